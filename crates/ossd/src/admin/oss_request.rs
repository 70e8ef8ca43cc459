//! Building an OSS V4 header-signed request (`OSS4-HMAC-SHA256`,
//! docs/protocol/signatures.md#v4-header-signature) for the server's administrative endpoints under
//! `/-/`, which authenticate like OSS requests rather than RPC.

use ossd_sig::{
    QueryParam, Scope, SigningView, UNSIGNED_PAYLOAD, format_iso8601_basic, uri_encode,
    uri_encode_path, v4_authorization,
};
use time::OffsetDateTime;

use super::conn::Credentials;

/// The pseudo-bucket of administrative paths.
const ADMIN_BUCKET: &str = "-";
/// The region in the V4 scope (the server does not pin one; OSS clients default to this).
const REGION: &str = "cn-hangzhou";
/// The product in the V4 scope.
const PRODUCT: &str = "oss";

/// A request ready to send: method, path with query, and headers (Authorization included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SignedRequest {
    /// HTTP method.
    pub method: &'static str,
    /// `/-/<path>?<query>`, encoded.
    pub path_and_query: String,
    /// Headers to send besides Host.
    pub headers: Vec<(String, String)>,
}

/// Signs `method /-/<path>?<query>` with `creds` at `at`.
pub(super) fn sign(
    creds: &Credentials,
    method: &'static str,
    path: &str,
    query: &[(&str, &str)],
    at: OffsetDateTime,
) -> SignedRequest {
    let datetime = format_iso8601_basic(at);
    let mut headers = vec![
        (
            "x-oss-content-sha256".to_owned(),
            UNSIGNED_PAYLOAD.to_owned(),
        ),
        ("x-oss-date".to_owned(), datetime.clone()),
    ];
    if let Some(token) = &creds.security_token {
        headers.push(("x-oss-security-token".to_owned(), token.expose().to_owned()));
    }
    let params: Vec<QueryParam> = query.iter().map(|(k, v)| QueryParam::new(*k, *v)).collect();
    let raw_path = format!("/{ADMIN_BUCKET}/{}", uri_encode_path(path));
    let view = SigningView {
        method,
        bucket: Some(ADMIN_BUCKET),
        key: Some(path),
        query: &params,
        headers: &headers,
        raw_path: &raw_path,
        body_sha256: None,
    };
    let date = datetime.get(..8).unwrap_or(&datetime);
    let scope = Scope::new(date, REGION, PRODUCT);
    let authorization = v4_authorization(
        &creds.access_key_id,
        creds.secret.expose(),
        &view,
        &scope,
        &[],
    );
    headers.push(("authorization".to_owned(), authorization));
    let mut path_and_query = format!("/{ADMIN_BUCKET}/{}", uri_encode_path(path));
    for (i, (k, v)) in query.iter().enumerate() {
        let sep = if i == 0 { '?' } else { '&' };
        path_and_query.push_str(&format!("{sep}{}={}", uri_encode(k), uri_encode(v)));
    }
    SignedRequest {
        method,
        path_and_query,
        headers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::conn::Secret;

    #[test]
    fn path_query_and_headers() -> Result<(), time::error::ComponentRange> {
        let creds = Credentials {
            access_key_id: "LTAIroot".to_owned(),
            secret: Secret::from("s3cret".to_owned()),
            security_token: None,
        };
        let at = OffsetDateTime::from_unix_timestamp(1_736_929_800)?;
        let req = sign(
            &creds,
            "POST",
            "admin/lifecycle/run",
            &[("bucket", "b-1")],
            at,
        );
        assert_eq!(req.path_and_query, "/-/admin/lifecycle/run?bucket=b-1");
        let auth = req
            .headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        assert!(
            auth.starts_with(
                "OSS4-HMAC-SHA256 Credential=LTAIroot/20250115/cn-hangzhou/oss/aliyun_v4_request,"
            ),
            "{auth}"
        );
        assert!(
            req.headers
                .iter()
                .any(|(k, v)| k == "x-oss-date" && v == "20250115T083000Z")
        );
        Ok(())
    }
}
