//! The console's cookies (docs/console.md#sign-in-and-sessions): `ossd_console` carries the
//! session id, `ossd_console_pre` the token of the sign-in form. Both are `HttpOnly`,
//! `SameSite=Strict`, limited to `Path=/-/console/`, and `Secure` when the listener is TLS.

/// The session cookie's name.
pub(crate) const SESSION: &str = "ossd_console";
/// The sign-in form's token cookie (login CSRF, before there is a session).
pub(crate) const PRE_SESSION: &str = "ossd_console_pre";
/// The path every console cookie is limited to.
pub(crate) const PATH: &str = "/-/console/";

/// The value of cookie `name` in a request's `Cookie` headers.
pub(crate) fn read<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// A `Set-Cookie` value that sets `name` to `value` for the browser's session.
pub(crate) fn set(name: &str, value: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path={PATH}; HttpOnly; SameSite=Strict{secure}")
}

/// A `Set-Cookie` value that deletes `name`.
pub(crate) fn clear(name: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}=; Path={PATH}; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookie_attributes() {
        let plain = set(SESSION, "abc", false);
        assert_eq!(
            plain,
            "ossd_console=abc; Path=/-/console/; HttpOnly; SameSite=Strict"
        );
        let tls = set(SESSION, "abc", true);
        assert!(tls.ends_with("; Secure"), "{tls}");
        assert!(tls.contains("HttpOnly") && tls.contains("SameSite=Strict"));
        let gone = clear(SESSION, true);
        assert!(gone.contains("Max-Age=0") && gone.contains("; Secure"));
    }

    #[test]
    fn reads_one_cookie_among_several() {
        let mut h = http::HeaderMap::new();
        h.append(
            http::header::COOKIE,
            http::HeaderValue::from_static("a=1; ossd_console=xyz ; b=2"),
        );
        assert_eq!(read(&h, SESSION), Some("xyz"));
        assert_eq!(read(&h, "b"), Some("2"));
        assert_eq!(read(&h, PRE_SESSION), None);
    }
}
