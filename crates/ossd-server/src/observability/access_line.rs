//! The access-log line written without tracing's generic formatter: the same bytes
//! `tracing-subscriber`'s `fmt` layer writes for the `ossd::access` event (its plain-text `Full`
//! format without colours, or its JSON format), formatted straight into the log buffer
//! (docs/operations.md, "Access log"; docs/performance.md, "Per-request cost").
//!
//! The layouts, as `tracing-subscriber` 0.3 writes them for an event outside any span:
//! - text: `<timestamp>  INFO ossd::access: name=value name=value…` — `%`-recorded values
//!   (request id, method, principal, addresses) as their `Display`, strings as their `Debug`
//!   (quoted, escaped), numbers and booleans bare;
//! - JSON: `{"timestamp":…,"level":"INFO","fields":{…},"target":"ossd::access"}` — strings
//!   as JSON strings, numbers and booleans bare.
//!
//! Absent optional fields are left out, as tracing leaves out a `None`. The timestamp is UTC with
//! microseconds (`2026-12-06T13:43:47.123456Z`).

use std::io::Write;
use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

/// The line layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessLogFormat {
    /// tracing-subscriber's default text layout, without ANSI colours.
    Text,
    /// tracing-subscriber's JSON layout.
    Json,
}

/// The target every access line carries.
pub(crate) const TARGET: &str = "ossd::access";

/// The values of one access line, in the order they are written.
#[derive(Debug)]
pub(crate) struct AccessLine<'a> {
    pub request_id: &'a str,
    pub method: &'a str,
    pub op: &'a str,
    pub bucket: Option<&'a str>,
    pub key: Option<&'a str>,
    pub status: u16,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub micros: u64,
    pub principal: &'a str,
    pub principal_type: Option<&'a str>,
    pub account: Option<&'a str>,
    pub user: Option<&'a str>,
    pub role: Option<&'a str>,
    pub session: Option<&'a str>,
    pub remote: SocketAddr,
    pub secure: bool,
    pub complete: bool,
    pub denial: Option<&'a str>,
    pub code: Option<&'a str>,
}

/// How one value is written.
enum Value<'a> {
    /// A `%`-recorded value: its `Display` (text), a JSON string (JSON).
    Shown(&'a str),
    /// A string: its `Debug` (text), a JSON string (JSON).
    Str(&'a str),
    /// A number.
    Num(u64),
    /// A boolean.
    Bool(bool),
}

impl AccessLine<'_> {
    /// Emits the line as a `tracing` event (target `ossd::access`), for subscribers other than
    /// the dedicated writer: the same fields, in the same order, as [`Self::write`] writes them.
    pub(crate) fn emit_event(&self) {
        tracing::info!(
            target: "ossd::access",
            request_id = %self.request_id,
            method = %self.method,
            op = self.op,
            bucket = self.bucket,
            key = self.key,
            status = self.status,
            bytes_in = self.bytes_in,
            bytes_out = self.bytes_out,
            micros = self.micros,
            principal = %self.principal,
            principal_type = self.principal_type,
            account = self.account,
            user = self.user,
            role = self.role,
            session = self.session,
            remote = %self.remote,
            source_ip = %self.remote.ip(),
            secure = self.secure,
            complete = self.complete,
            denial = self.denial,
            code = self.code,
        );
    }

    /// Appends the line (with its newline) to `out`, stamped `now`.
    pub(crate) fn write(&self, format: AccessLogFormat, now: SystemTime, out: &mut Vec<u8>) {
        match format {
            AccessLogFormat::Text => self.write_text(now, out),
            AccessLogFormat::Json => self.write_json(now, out),
        }
    }

    fn write_text(&self, now: SystemTime, out: &mut Vec<u8>) {
        timestamp(now, out);
        out.extend_from_slice(b"  INFO ");
        out.extend_from_slice(TARGET.as_bytes());
        out.extend_from_slice(b": ");
        let mut first = true;
        self.fields(|name, value| {
            if !first {
                out.push(b' ');
            }
            first = false;
            out.extend_from_slice(name.as_bytes());
            out.push(b'=');
            match value {
                Value::Shown(s) => out.extend_from_slice(s.as_bytes()),
                Value::Str(s) => debug_str(s, out),
                Value::Num(n) => number(n, out),
                Value::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
            }
        });
        out.push(b'\n');
    }

    fn write_json(&self, now: SystemTime, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"timestamp\":\"");
        timestamp(now, out);
        out.extend_from_slice(b"\",\"level\":\"INFO\",\"fields\":{");
        let mut first = true;
        self.fields(|name, value| {
            if !first {
                out.push(b',');
            }
            first = false;
            json_str(name, out);
            out.push(b':');
            match value {
                Value::Shown(s) | Value::Str(s) => json_str(s, out),
                Value::Num(n) => number(n, out),
                Value::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
            }
        });
        out.extend_from_slice(b"},\"target\":\"");
        out.extend_from_slice(TARGET.as_bytes());
        out.extend_from_slice(b"\"}\n");
    }

    /// Calls `f` with each present field, in the event's order.
    fn fields(&self, mut f: impl FnMut(&'static str, Value<'_>)) {
        let mut addr = AddrBuf::default();
        f("request_id", Value::Shown(self.request_id));
        f("method", Value::Shown(self.method));
        f("op", Value::Str(self.op));
        let opt = |name, v: Option<&str>, f: &mut dyn FnMut(&'static str, Value<'_>)| {
            if let Some(v) = v {
                f(name, Value::Str(v));
            }
        };
        opt("bucket", self.bucket, &mut f);
        opt("key", self.key, &mut f);
        f("status", Value::Num(u64::from(self.status)));
        f("bytes_in", Value::Num(self.bytes_in));
        f("bytes_out", Value::Num(self.bytes_out));
        f("micros", Value::Num(self.micros));
        f("principal", Value::Shown(self.principal));
        opt("principal_type", self.principal_type, &mut f);
        opt("account", self.account, &mut f);
        opt("user", self.user, &mut f);
        opt("role", self.role, &mut f);
        opt("session", self.session, &mut f);
        let remote = addr.socket(self.remote);
        f("remote", Value::Shown(remote));
        match self.remote {
            // `a.b.c.d:port`: the address is the text before the colon, not formatted again.
            SocketAddr::V4(_) => {
                let ip = remote.rsplit_once(':').map_or(remote, |(ip, _)| ip);
                f("source_ip", Value::Shown(ip));
            }
            SocketAddr::V6(_) => {
                let mut ip = AddrBuf::default();
                f("source_ip", Value::Shown(ip.ip(self.remote)));
            }
        }
        f("secure", Value::Bool(self.secure));
        f("complete", Value::Bool(self.complete));
        opt("denial", self.denial, &mut f);
        opt("code", self.code, &mut f);
    }
}

/// Room for a socket address's text (`[ffff:…:ffff%4294967295]:65535` fits in 64 bytes).
struct AddrBuf {
    buf: [u8; 64],
    len: usize,
}

impl Default for AddrBuf {
    fn default() -> Self {
        Self {
            buf: [0; 64],
            len: 0,
        }
    }
}

impl AddrBuf {
    /// `addr` as `Display` writes it.
    fn socket(&mut self, addr: SocketAddr) -> &str {
        match addr {
            SocketAddr::V4(v4) => {
                self.len = 0;
                self.ipv4(v4.ip().octets());
                self.push(b':');
                self.decimal(u64::from(v4.port()));
                self.text()
            }
            SocketAddr::V6(_) => self.show(|w| write!(w, "{addr}")),
        }
    }

    /// `addr`'s IP as `Display` writes it.
    fn ip(&mut self, addr: SocketAddr) -> &str {
        match addr {
            SocketAddr::V4(v4) => {
                self.len = 0;
                self.ipv4(v4.ip().octets());
                self.text()
            }
            SocketAddr::V6(v6) => self.show(|w| write!(w, "{}", v6.ip())),
        }
    }

    /// Dotted decimal, as `Ipv4Addr`'s `Display` without width or precision writes it.
    fn ipv4(&mut self, octets: [u8; 4]) {
        for (i, o) in octets.into_iter().enumerate() {
            if i > 0 {
                self.push(b'.');
            }
            self.decimal(u64::from(o));
        }
    }

    fn decimal(&mut self, n: u64) {
        let mut buf = [0u8; 20];
        for &d in digits(n, &mut buf) {
            self.push(d);
        }
    }

    fn push(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    fn text(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }

    fn show(&mut self, write: impl FnOnce(&mut &mut [u8]) -> std::io::Result<()>) -> &str {
        let mut rest: &mut [u8] = &mut self.buf;
        let total = rest.len();
        // An address always fits; a failure would leave the text cut short, never invalid.
        let _ = write(&mut rest);
        self.len = total - rest.len();
        self.text()
    }
}

/// `s` as `<str as Debug>` writes it: quoted, the common printable-ASCII case copied as is.
fn debug_str(s: &str, out: &mut Vec<u8>) {
    if s.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing into a Vec cannot fail.
        let _ = write!(out, "{s:?}");
    }
}

/// `s` as a JSON string, escaped as serde_json escapes (`"`, `\`, control characters).
fn json_str(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..0x20 => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// `n` in decimal.
fn number(n: u64, out: &mut Vec<u8>) {
    let mut buf = [0u8; 20];
    out.extend_from_slice(digits(n, &mut buf));
}

/// The decimal digits of `n`, written at the end of `buf`.
fn digits(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// `now` as `2026-12-06T13:43:47.123456Z` (UTC, microseconds), as tracing-subscriber's default
/// timer writes it (years 0–9999; a clock before 1970 is written as 1970).
fn timestamp(now: SystemTime, out: &mut Vec<u8>) {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    // Whole days since 1970 fit an `i64` for any `u64` of seconds.
    let days = i64::try_from(secs / 86_400).unwrap_or_default();
    let (year, month, day) = ossd_proto::time_fmt::civil_from_days(days);
    let of_day = secs % 86_400;
    let mut b = *b"0000-00-00T00:00:00.000000Z";
    let mut put = |at: usize, width: usize, mut v: u64| {
        for i in (at..at + width).rev() {
            b[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, u64::from(year));
    put(5, 2, u64::from(month));
    put(8, 2, u64::from(day));
    put(11, 2, of_day / 3600);
    put(14, 2, of_day / 60 % 60);
    put(17, 2, of_day % 60);
    put(20, 6, u64::from(since.subsec_micros()));
    out.extend_from_slice(&b);
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use super::*;

    fn sample<'a>(bucket: Option<&'a str>, key: Option<&'a str>) -> AccessLine<'a> {
        AccessLine {
            request_id: "5F1C0A9E3B7D2C4A1E6F8B90",
            method: "PUT",
            op: "PutObject",
            bucket,
            key,
            status: 200,
            bytes_in: 12,
            bytes_out: 0,
            micros: 2145,
            principal: "session:1234567890123456/MetricsRole/metrics-session",
            principal_type: Some("session"),
            account: Some("1234567890123456"),
            user: None,
            role: Some("MetricsRole"),
            session: Some("metrics-session"),
            remote: "[::1]:53122".parse().expect("address"),
            secure: false,
            complete: true,
            denial: Some("ExplicitDeny"),
            code: Some("AccessDenied"),
        }
    }

    /// What tracing-subscriber writes for the same event (the fallback of
    /// `AccessRecord::emit`), with the given layout.
    fn by_tracing(line: &AccessLine<'_>, format: AccessLogFormat) -> String {
        #[derive(Clone, Default)]
        struct Capture(Arc<Mutex<Vec<u8>>>);
        impl Write for Capture {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.lock().expect("lock").extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let capture = Capture::default();
        let sink = capture.clone();
        let builder = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || sink.clone());
        let emit = || line.emit_event();
        match format {
            AccessLogFormat::Text => tracing::subscriber::with_default(builder.finish(), emit),
            AccessLogFormat::Json => {
                tracing::subscriber::with_default(builder.json().finish(), emit)
            }
        }
        let bytes = capture.0.lock().expect("lock").clone();
        String::from_utf8(bytes).expect("utf-8")
    }

    /// The line without its timestamp (the two writers read the clock at different times).
    fn untimed(line: &str, format: AccessLogFormat) -> String {
        match format {
            AccessLogFormat::Text => line[27..].to_owned(),
            AccessLogFormat::Json => format!("{}{}", &line[..14], &line[41..]),
        }
    }

    #[test]
    #[allow(clippy::disallowed_methods)] // log times are the system clock's, as tracing's are
    fn lines_are_byte_for_byte_tracing_subscribers() {
        let odd_key = "dir/naïve \"quoted\"\t\\ \u{7f}\u{1b}[31m\u{301}";
        let cases = [
            sample(Some("examplebucket"), Some("sts.txt")),
            sample(None, None),
            sample(Some("b"), Some(odd_key)),
            AccessLine {
                remote: "127.0.0.1:5000".parse().expect("address"),
                principal: "",
                principal_type: None,
                account: None,
                role: None,
                session: None,
                denial: None,
                code: None,
                ..sample(Some("b"), Some(""))
            },
            AccessLine {
                remote: "10.200.0.255:65535".parse().expect("address"),
                ..sample(Some("b"), Some("k"))
            },
            AccessLine {
                remote: "[fe80::1%2]:80".parse().expect("address"),
                ..sample(Some("b"), Some("k"))
            },
        ];
        for format in [AccessLogFormat::Text, AccessLogFormat::Json] {
            for line in &cases {
                let mut ours = Vec::new();
                line.write(format, SystemTime::now(), &mut ours);
                let ours = String::from_utf8(ours).expect("utf-8");
                let theirs = by_tracing(line, format);
                assert_eq!(untimed(&ours, format), untimed(&theirs, format));
                if format == AccessLogFormat::Json {
                    let parsed: serde_json::Value = serde_json::from_str(&ours).expect("json");
                    assert_eq!(parsed["fields"]["key"].as_str(), line.key);
                }
            }
        }
    }

    #[test]
    fn timestamps_are_utc_with_microseconds() {
        let at = |secs: u64, micros: u64| {
            let mut out = Vec::new();
            timestamp(
                UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_micros(micros),
                &mut out,
            );
            String::from_utf8(out).expect("utf-8")
        };
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(at(951_782_400, 7), "2000-02-29T00:00:00.000007Z");
        assert_eq!(at(1_796_564_627, 123_456), "2026-12-06T13:43:47.123456Z");
        assert_eq!(at(4_102_444_799, 999_999), "2099-12-31T23:59:59.999999Z");
    }

    #[test]
    fn numbers_are_decimal() {
        for n in [0, 7, 10, 499, u64::MAX] {
            let mut out = Vec::new();
            number(n, &mut out);
            assert_eq!(out, n.to_string().into_bytes());
        }
    }
}
