//! Building an OSS V4 header-signed request (`OSS4-HMAC-SHA256`,
//! docs/protocol/signatures.md#v4-header-signature): for the server's administrative endpoints
//! under `/-/`, which authenticate like OSS requests rather than RPC, and for the object
//! commands (`crate::cli`), path-style (docs/protocol/addressing.md#bucket-and-key-resolution).

use ossd_sig::{
    QueryParam, Scope, SigningView, UNSIGNED_PAYLOAD, format_iso8601_basic, uri_encode,
    uri_encode_path, v4_authorization,
};
use time::OffsetDateTime;

use super::conn::Credentials;

/// The pseudo-bucket of administrative paths.
const ADMIN_BUCKET: &str = "-";
/// The product in the V4 scope.
pub(crate) const PRODUCT: &str = "oss";

/// A request ready to send: method, path with query, and headers (Authorization included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignedRequest {
    /// HTTP method.
    pub method: &'static str,
    /// `/<bucket>/<key>?<query>`, encoded.
    pub path_and_query: String,
    /// Headers to send besides Host.
    pub headers: Vec<(String, String)>,
}

/// What one OSS request addresses and carries, before signing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    /// HTTP method.
    pub method: &'static str,
    /// The bucket (`None`: service level).
    pub bucket: Option<&'a str>,
    /// The object key (`None`: bucket level).
    pub key: Option<&'a str>,
    /// Query parameters; an empty value is sent as the bare key (`?uploads`).
    pub query: &'a [(&'a str, &'a str)],
    /// Headers with lower-case names (`x-oss-*` and `content-type` are signed).
    pub headers: &'a [(String, String)],
}

/// Signs `method /-/<path>?<query>` with `creds` for `region` at `at`.
pub(super) fn sign(
    creds: &Credentials,
    region: &str,
    method: &'static str,
    path: &str,
    query: &[(&str, &str)],
    at: OffsetDateTime,
) -> SignedRequest {
    let target = Target {
        method,
        bucket: Some(ADMIN_BUCKET),
        key: Some(path),
        query,
        headers: &[],
    };
    sign_request(creds, region, &target, at)
}

/// Signs `target` with `creds` for `region` at `at` (V4 header signature, unsigned payload).
pub(crate) fn sign_request(
    creds: &Credentials,
    region: &str,
    target: &Target<'_>,
    at: OffsetDateTime,
) -> SignedRequest {
    let datetime = format_iso8601_basic(at);
    let mut headers = target.headers.to_vec();
    headers.push((
        "x-oss-content-sha256".to_owned(),
        UNSIGNED_PAYLOAD.to_owned(),
    ));
    headers.push(("x-oss-date".to_owned(), datetime.clone()));
    if let Some(token) = &creds.security_token {
        headers.push(("x-oss-security-token".to_owned(), token.expose().to_owned()));
    }
    let params = query_params(target.query);
    let raw_path = path_and_query(target.bucket, target.key, &[]);
    let view = SigningView {
        method: target.method,
        bucket: target.bucket,
        key: target.key,
        query: &params,
        headers: &headers,
        raw_path: &raw_path,
        body_sha256: None,
    };
    let date = datetime.get(..8).unwrap_or(&datetime);
    let scope = Scope::new(date, region, PRODUCT);
    let authorization = v4_authorization(
        &creds.access_key_id,
        creds.secret.expose(),
        &view,
        &scope,
        &[],
    );
    headers.push(("authorization".to_owned(), authorization));
    SignedRequest {
        method: target.method,
        path_and_query: path_and_query(target.bucket, target.key, target.query),
        headers,
    }
}

/// The query as the signer sees it: an empty value is a bare key.
pub(crate) fn query_params(query: &[(&str, &str)]) -> Vec<QueryParam> {
    query
        .iter()
        .map(|(k, v)| match v.is_empty() {
            true => QueryParam::bare(*k),
            false => QueryParam::new(*k, *v),
        })
        .collect()
}

/// The path-style `/<bucket>/<key>?<query>`, strictly encoded (`/` kept in keys).
pub(crate) fn path_and_query(
    bucket: Option<&str>,
    key: Option<&str>,
    query: &[(&str, &str)],
) -> String {
    let mut out = match (bucket, key) {
        (None, _) => "/".to_owned(),
        (Some(b), None) => format!("/{b}/"),
        (Some(b), Some(k)) => format!("/{b}/{}", uri_encode_path(k)),
    };
    for (i, (k, v)) in query.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(&uri_encode(k));
        if !v.is_empty() {
            out.push('=');
            out.push_str(&uri_encode(v));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::conn::Secret;

    fn creds() -> Credentials {
        Credentials {
            access_key_id: "LTAIroot".to_owned(),
            secret: Secret::from("s3cret".to_owned()),
            security_token: None,
        }
    }

    #[test]
    fn path_query_and_headers() -> Result<(), time::error::ComponentRange> {
        let at = OffsetDateTime::from_unix_timestamp(1_736_929_800)?;
        let req = sign(
            &creds(),
            "cn-hangzhou",
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

    #[test]
    fn path_style_targets() {
        assert_eq!(path_and_query(None, None, &[]), "/");
        assert_eq!(
            path_and_query(Some("b"), None, &[("uploads", "")]),
            "/b/?uploads"
        );
        assert_eq!(
            path_and_query(Some("b"), Some("a b/c+d"), &[("versionId", "v 1")]),
            "/b/a%20b/c%2Bd?versionId=v%201"
        );
    }
}
