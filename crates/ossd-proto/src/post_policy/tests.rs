//! Unit tests of the PostObject policy document.

use base64::Engine;
use time::macros::datetime;

use super::{Kind, PostPolicy};

fn encode(json: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(json)
}

fn policy(conditions: &str) -> PostPolicy {
    let doc = format!(r#"{{"expiration":"2030-01-15T09:30:00.000Z","conditions":{conditions}}}"#);
    match PostPolicy::decode(&encode(&doc)) {
        Ok(p) => p,
        Err(e) => panic!("{e:?}"),
    }
}

fn code(r: Result<impl std::fmt::Debug, crate::error::OssError>) -> (u16, String, String) {
    match r {
        Ok(v) => panic!("unexpected success {v:?}"),
        Err(e) => (e.status, e.code.as_str().to_owned(), e.message.clone()),
    }
}

#[test]
fn parses_every_form() {
    let p = policy(
        r#"[{"bucket":"b"},["content-length-range",1,"10"],["eq","$success_action_status","201"],
            ["starts-with","$Key","user/"],["in","$content-type",["image/jpg","text/plain"]],
            ["not-in","$cache-control",["no-cache"]]]"#,
    );
    assert_eq!(p.expiration, datetime!(2030-01-15 09:30:00 UTC));
    assert_eq!(p.conditions[0].kind, Kind::Eq("bucket".into(), "b".into()));
    assert_eq!(p.conditions[1].kind, Kind::LengthRange(1, 10));
    assert_eq!(
        p.conditions[3].kind,
        Kind::StartsWith("key".into(), "user/".into())
    );
    assert_eq!(p.length_range().map(|(a, b, _)| (a, b)), Some((1, 10)));
    assert!(p.has_eq("bucket"));
    assert!(!p.has_eq("key"));
}

#[test]
fn checks_fields() {
    let p = policy(
        r#"[{"bucket":"b"},["starts-with","$key","user/"],["in","$content-type",["text/plain"]],
            ["not-in","$cache-control",["no-cache"]],["eq","$x-oss-meta-a","1"]]"#,
    );
    let fields = |bucket: &'static str, key: &'static str, ct: &'static str, meta: &'static str| {
        move |f: &str| -> Option<&'static str> {
            match f {
                "bucket" => Some(bucket),
                "key" => Some(key),
                "content-type" => Some(ct),
                "x-oss-meta-a" => Some(meta),
                _ => None,
            }
        }
    };
    assert!(
        p.check_fields(fields("b", "user/a", "text/plain", "1"))
            .is_ok()
    );
    let (status, c, msg) = code(p.check_fields(fields("other", "user/a", "text/plain", "1")));
    assert_eq!((status, c.as_str()), (403, "AccessDenied"));
    assert_eq!(
        msg,
        r#"Invalid according to Policy: Policy Condition failed: {"bucket":"b"}"#
    );
    let (_, _, msg) = code(p.check_fields(fields("b", "admin/a", "text/plain", "1")));
    assert!(msg.ends_with(r#"["starts-with","$key","user/"]"#), "{msg}");
    assert!(
        p.check_fields(fields("b", "user/a", "image/png", "1"))
            .is_err()
    );
    assert!(
        p.check_fields(fields("b", "user/a", "text/plain", "2"))
            .is_err()
    );
    let empty_prefix = policy(r#"[["starts-with","$key",""]]"#);
    assert!(empty_prefix.check_fields(|_| None).is_ok());
}

#[test]
fn expiration() {
    let p = policy("[]");
    assert!(
        p.check_expiration(datetime!(2030-01-15 09:29:59 UTC))
            .is_ok()
    );
    let (status, c, msg) = code(p.check_expiration(datetime!(2030-01-15 09:30:01 UTC)));
    assert_eq!((status, c.as_str()), (403, "AccessDenied"));
    assert_eq!(msg, "Invalid according to Policy: Policy expired.");
    let no_ms = encode(r#"{"expiration":"2030-01-15T09:30:00Z","conditions":[]}"#);
    assert!(PostPolicy::decode(&no_ms).is_ok());
}

#[test]
fn invalid_documents() {
    let bad = |doc: &str| code(PostPolicy::decode(&encode(doc)));
    let (status, c, msg) = bad("{not json");
    assert_eq!((status, c.as_str()), (400, "InvalidPolicyDocument"));
    assert!(msg.starts_with("Invalid Policy: Invalid JSON: "), "{msg}");
    let (_, _, msg) =
        bad(r#"{"expiration":"2030-01-15T09:30:00Z","conditions":[{"a":"1","b":"2"}]}"#);
    assert_eq!(
        msg,
        "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."
    );
    assert_eq!(bad(r#"{"conditions":[]}"#).1, "InvalidPolicyDocument");
    assert_eq!(
        bad(r#"{"expiration":"soon","conditions":[]}"#).1,
        "InvalidPolicyDocument"
    );
    // `T` between date and time: not the space RFC 3339 would also take.
    for spaced in ["2030-01-15 09:30:00.123456+00:00", "2030-01-15 09:30:00Z"] {
        let doc = format!(r#"{{"expiration":"{spaced}","conditions":[]}}"#);
        assert_eq!(bad(&doc).1, "InvalidPolicyDocument", "{spaced}");
    }
    let offset = encode(r#"{"expiration":"2030-01-15T17:30:00+08:00","conditions":[]}"#);
    assert!(PostPolicy::decode(&offset).is_ok());
    let op = r#"{"expiration":"2030-01-15T09:30:00Z","conditions":[["like","$key","a"]]}"#;
    assert_eq!(bad(op).1, "InvalidPolicyDocument");
    assert_eq!(code(PostPolicy::decode("!!!")).1, "InvalidPolicyDocument");
}
