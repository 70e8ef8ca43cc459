//! The object browser's upload form without JavaScript: an OSS PostObject form
//! (docs/protocol/post-object.md#policy-document, #signatures) signed with the console
//! session's credentials (V4), posted by the browser straight to the bucket. The server streams
//! the file into the store as for any PostObject, authorizes it as PutObject for the session's
//! identity, and `success_action_redirect` brings the browser back to the console. The session's
//! secret never leaves the server: the page holds the policy's signature (and, for temporary
//! credentials, the security token the signature is bound to), valid for [`FORM_LIFETIME_SECS`].

use base64::Engine;
use ossd_sig::{Scope, V4_ALGORITHM, format_iso8601_basic, post_policy_v4_signature};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// How long a rendered upload form can be used.
pub(crate) const FORM_LIFETIME_SECS: i64 = 3600;
/// The largest file the form takes (OSS's PutObject limit, 5 GiB).
pub(crate) const MAX_FORM_FILE_BYTES: u64 = 5 * 1024 * 1024 * 1024;

/// The fields of a signed upload form, in the order they are sent (the file comes last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PostForm {
    /// Where the form posts: `/<bucket>` (path-style, this host).
    pub(crate) action: String,
    /// `(name, value)` hidden fields.
    pub(crate) fields: Vec<(String, String)>,
}

/// What a form is signed for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FormRequest<'a> {
    /// The bucket.
    pub(crate) bucket: &'a str,
    /// The "folder" the file goes into; the key is `<prefix><file name>`.
    pub(crate) prefix: &'a str,
    /// The server's region (the V4 scope's).
    pub(crate) region: &'a str,
    /// The console path the server redirects to after the upload.
    pub(crate) redirect: &'a str,
}

/// A form signed with `access_key_id` / `secret` (and `security_token`) at `now`.
pub(crate) fn signed_form(
    access_key_id: &str,
    secret: &str,
    security_token: Option<&str>,
    req: &FormRequest<'_>,
    now: OffsetDateTime,
) -> PostForm {
    let datetime = format_iso8601_basic(now);
    let date = datetime.get(..8).unwrap_or(&datetime);
    let scope = Scope::new(date, req.region, "oss");
    let credential = scope.credential(access_key_id);
    let expiration = (now + time::Duration::seconds(FORM_LIFETIME_SECS))
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default();
    let mut conditions = vec![
        json!({ "bucket": req.bucket }),
        json!(["starts-with", "$key", req.prefix]),
        json!(["content-length-range", 0, MAX_FORM_FILE_BYTES]),
        json!({ "success_action_redirect": req.redirect }),
        json!({ "x-oss-signature-version": V4_ALGORITHM }),
        json!({ "x-oss-credential": credential }),
        json!({ "x-oss-date": datetime }),
    ];
    if let Some(token) = security_token {
        conditions.push(json!({ "x-oss-security-token": token }));
    }
    let policy = json!({ "expiration": expiration, "conditions": conditions });
    let policy_b64 = base64::engine::general_purpose::STANDARD.encode(policy.to_string());
    let signature = post_policy_v4_signature(secret, &scope, &policy_b64);
    let mut fields = vec![
        ("key".to_owned(), format!("{}${{filename}}", req.prefix)),
        (
            "success_action_redirect".to_owned(),
            req.redirect.to_owned(),
        ),
        ("policy".to_owned(), policy_b64),
        (
            "x-oss-signature-version".to_owned(),
            V4_ALGORITHM.to_owned(),
        ),
        ("x-oss-credential".to_owned(), credential),
        ("x-oss-date".to_owned(), datetime.clone()),
        ("x-oss-signature".to_owned(), signature),
    ];
    if let Some(token) = security_token {
        fields.push(("x-oss-security-token".to_owned(), token.to_owned()));
    }
    PostForm {
        action: format!("/{}", req.bucket),
        fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ossd_sig::{SigningKeyCache, verify_post_policy_v4};

    #[test]
    fn the_form_verifies_and_bounds_the_key() {
        let now = OffsetDateTime::from_unix_timestamp(1_750_000_000).unwrap();
        let req = FormRequest {
            bucket: "examplebucket",
            prefix: "uploads/",
            region: "cn-hangzhou",
            redirect: "/-/console/buckets/examplebucket?prefix=uploads%2F",
        };
        let form = signed_form("STS.abc", "secret", Some("tok"), &req, now);
        assert_eq!(form.action, "/examplebucket");
        let field = |n: &str| {
            form.fields
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(field("key"), "uploads/${filename}");
        assert_eq!(field("x-oss-security-token"), "tok");
        let scope = Scope::new("20250615", "cn-hangzhou", "oss");
        assert_eq!(field("x-oss-credential"), scope.credential("STS.abc"));
        let policy = field("policy");
        verify_post_policy_v4(
            "secret",
            &scope,
            &policy,
            &field("x-oss-signature"),
            &SigningKeyCache::default(),
        )
        .unwrap();
        let doc = base64::engine::general_purpose::STANDARD
            .decode(policy)
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&doc).unwrap();
        assert_eq!(doc["expiration"], "2025-06-15T16:06:40Z");
        assert_eq!(
            doc["conditions"][1],
            json!(["starts-with", "$key", "uploads/"])
        );
    }
}
