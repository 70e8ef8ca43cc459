//! Links and figures of the bucket and object pages: console paths with encoded query strings,
//! sizes in readable units, and the checked "back" targets of forms.

use ossd_sig::uri_encode;

use super::ROOT;

/// `/-/console/<path>?k=v&...`, each key and value strictly percent-encoded; pairs with an
/// empty value are left out.
pub(crate) fn href(path: &str, query: &[(&str, &str)]) -> String {
    let mut out = format!("{ROOT}{path}");
    let mut first = true;
    for (k, v) in query.iter().filter(|(_, v)| !v.is_empty()) {
        out.push(if first { '?' } else { '&' });
        first = false;
        out.push_str(&uri_encode(k));
        out.push('=');
        out.push_str(&uri_encode(v));
    }
    out
}

/// A byte count in binary units (`1.5 MiB`); exact below 1 KiB.
pub(crate) fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    // Precision is for reading, not arithmetic.
    #[allow(clippy::cast_precision_loss)]
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS.get(unit).unwrap_or(&"EiB"))
}

/// `back` when it is a console path, else `fallback`: forms say where to return, and a
/// redirect never leaves the console.
pub(crate) fn console_path<'a>(back: Option<&'a str>, fallback: &'a str) -> &'a str {
    back.filter(|b| b.starts_with(ROOT) && !b.contains("//") && !b.contains('\\'))
        .unwrap_or(fallback)
}

/// The "folder" part of a key: everything up to and including its last `/`.
pub(crate) fn parent_prefix(key: &str) -> &str {
    key.rfind('/').map_or("", |i| key.get(..=i).unwrap_or(""))
}

/// The name a download is saved as: the key's last segment.
pub(crate) fn file_name(key: &str) -> &str {
    key.rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("download")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_encode_and_skip_empty_values() {
        assert_eq!(
            href("buckets/b", &[("prefix", "a b/"), ("token", "")]),
            "/-/console/buckets/b?prefix=a%20b%2F"
        );
        assert_eq!(href("buckets", &[]), "/-/console/buckets");
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(8 * 1024 * 1024), "8.0 MiB");
    }

    #[test]
    fn back_targets_stay_in_the_console() {
        assert_eq!(
            console_path(Some("/-/console/buckets/b"), "x"),
            "/-/console/buckets/b"
        );
        assert_eq!(console_path(Some("https://evil.example/"), "x"), "x");
        assert_eq!(console_path(Some("/-/console//evil.example"), "x"), "x");
        assert_eq!(console_path(None, "x"), "x");
    }

    #[test]
    fn key_parts() {
        assert_eq!(parent_prefix("a/b/c.txt"), "a/b/");
        assert_eq!(parent_prefix("c.txt"), "");
        assert_eq!(file_name("a/b/c.txt"), "c.txt");
        assert_eq!(file_name("a/"), "download");
    }
}
