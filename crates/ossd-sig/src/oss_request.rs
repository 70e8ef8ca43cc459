//! Signing one OSS REST request as a client does: path-style
//! (docs/protocol/addressing.md#bucket-and-key-resolution), V4 in the `Authorization` header
//! (docs/protocol/signatures.md#v4-header-signature), with `x-oss-date`, `x-oss-content-sha256`
//! and, for temporary credentials, `x-oss-security-token`
//! (docs/protocol/signatures.md#security-token-carriers). One sequence for every in-tree client
//! (the `ossd` CLI, the web console).

use time::OffsetDateTime;

use crate::dates::format_iso8601_basic;
use crate::encode::{uri_encode, uri_encode_path};
use crate::scope::Scope;
use crate::sign::v4_authorization;
use crate::v4::UNSIGNED_PAYLOAD;
use crate::view::{QueryParam, SigningView};

/// The product in an OSS request's V4 scope.
pub const OSS_PRODUCT: &str = "oss";

/// The credentials a request is signed with.
#[derive(Clone, Copy)]
pub struct SigningCredentials<'a> {
    /// The AccessKey id (`STS.…` for temporary credentials).
    pub access_key_id: &'a str,
    /// The AccessKey secret.
    pub secret: &'a str,
    /// The STS security token of temporary credentials.
    pub security_token: Option<&'a str>,
}

impl std::fmt::Debug for SigningCredentials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningCredentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// What one OSS request addresses and carries, before signing.
#[derive(Debug, Clone, Copy)]
pub struct OssRequest<'a> {
    /// The HTTP method, uppercase.
    pub method: &'a str,
    /// The bucket (`None`: service level).
    pub bucket: Option<&'a str>,
    /// The object key, decoded (`None`: bucket level).
    pub key: Option<&'a str>,
    /// Query parameters, decoded; an empty value is sent as the bare key (`?uploads`).
    pub query: &'a [(&'a str, &'a str)],
    /// Headers with lower-case names (`x-oss-*`, `content-type` and `content-md5` are signed).
    pub headers: &'a [(String, String)],
    /// The body's lowercase hex SHA-256 when it is signed; `None` signs `UNSIGNED-PAYLOAD`.
    pub payload_sha256: Option<&'a str>,
}

/// A signed request: its path with query and the headers to send besides `Host`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedOssRequest {
    /// `/<bucket>/<key>?<query>`, strictly encoded.
    pub path_and_query: String,
    /// The request's headers followed by `x-oss-content-sha256`, `x-oss-date`,
    /// `x-oss-security-token` (temporary credentials) and `authorization`.
    pub headers: Vec<(String, String)>,
}

/// Signs `req` with `creds` for `region` at `at` (V4 header signature, no additional headers).
pub fn sign_oss_request(
    req: &OssRequest<'_>,
    creds: &SigningCredentials<'_>,
    region: &str,
    at: OffsetDateTime,
) -> SignedOssRequest {
    let datetime = format_iso8601_basic(at);
    let mut headers = req.headers.to_vec();
    headers.push((
        "x-oss-content-sha256".to_owned(),
        req.payload_sha256.unwrap_or(UNSIGNED_PAYLOAD).to_owned(),
    ));
    headers.push(("x-oss-date".to_owned(), datetime.clone()));
    if let Some(token) = creds.security_token {
        headers.push(("x-oss-security-token".to_owned(), token.to_owned()));
    }
    let params = oss_query_params(req.query);
    let raw_path = oss_path_and_query(req.bucket, req.key, &[]);
    let view = SigningView {
        method: req.method,
        bucket: req.bucket,
        key: req.key,
        query: &params,
        headers: &headers,
        raw_path: &raw_path,
        body_sha256: None,
    };
    let date = datetime.get(..8).unwrap_or(&datetime);
    let scope = Scope::new(date, region, OSS_PRODUCT);
    let authorization = v4_authorization(creds.access_key_id, creds.secret, &view, &scope, &[]);
    headers.push(("authorization".to_owned(), authorization));
    SignedOssRequest {
        path_and_query: oss_path_and_query(req.bucket, req.key, req.query),
        headers,
    }
}

/// The query as the signer sees it: an empty value is a bare key.
pub fn oss_query_params(query: &[(&str, &str)]) -> Vec<QueryParam> {
    query
        .iter()
        .map(|(k, v)| match v.is_empty() {
            true => QueryParam::bare(*k),
            false => QueryParam::new(*k, *v),
        })
        .collect()
}

/// The path-style `/<bucket>/<key>?<query>`, strictly encoded (`/` kept in keys); an empty
/// query value is written as the bare key.
pub fn oss_path_and_query(
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
    use crate::{parse, verify};

    const AT: i64 = 1_736_929_800; // 2025-01-15T08:30:00Z

    fn header<'a>(signed: &'a SignedOssRequest, name: &str) -> Option<&'a str> {
        signed
            .headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn paths_are_strictly_encoded() {
        assert_eq!(oss_path_and_query(None, None, &[]), "/");
        assert_eq!(
            oss_path_and_query(Some("b"), None, &[("uploads", "")]),
            "/b/?uploads"
        );
        assert_eq!(
            oss_path_and_query(Some("b"), Some("a b/c+d"), &[("versionId", "v 1")]),
            "/b/a%20b/c%2Bd?versionId=v%201"
        );
    }

    #[test]
    fn signs_what_the_server_verifies() -> Result<(), Box<dyn std::error::Error>> {
        let at = OffsetDateTime::from_unix_timestamp(AT)?;
        let creds = SigningCredentials {
            access_key_id: "STS.id",
            secret: "s3cret",
            security_token: Some("tok"),
        };
        let extra = [("content-type".to_owned(), "text/plain".to_owned())];
        let req = OssRequest {
            method: "PUT",
            bucket: Some("b"),
            key: Some("dir/a b.txt"),
            query: &[("acl", "")],
            headers: &extra,
            payload_sha256: None,
        };
        let signed = sign_oss_request(&req, &creds, "cn-hangzhou", at);
        assert_eq!(signed.path_and_query, "/b/dir/a%20b.txt?acl");
        assert_eq!(header(&signed, "x-oss-date"), Some("20250115T083000Z"));
        assert_eq!(
            header(&signed, "x-oss-content-sha256"),
            Some(UNSIGNED_PAYLOAD)
        );
        assert_eq!(header(&signed, "x-oss-security-token"), Some("tok"));
        let auth = header(&signed, "authorization").unwrap_or_default();
        assert!(
            auth.starts_with(
                "OSS4-HMAC-SHA256 Credential=STS.id/20250115/cn-hangzhou/oss/aliyun_v4_request,"
            ),
            "{auth}"
        );
        // The server's side accepts it.
        let params = oss_query_params(req.query);
        let raw_path = oss_path_and_query(req.bucket, req.key, &[]);
        let view = SigningView {
            method: "PUT",
            bucket: req.bucket,
            key: req.key,
            query: &params,
            headers: &signed.headers,
            raw_path: &raw_path,
            body_sha256: None,
        };
        let parsed = parse(&view)?.ok_or("no signature found")?;
        verify(&parsed, &view, "s3cret", at)?;
        Ok(())
    }

    #[test]
    fn a_signed_payload_hash_is_sent() -> Result<(), time::error::ComponentRange> {
        let at = OffsetDateTime::from_unix_timestamp(AT)?;
        let creds = SigningCredentials {
            access_key_id: "LTAIroot",
            secret: "s3cret",
            security_token: None,
        };
        let hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let req = OssRequest {
            method: "GET",
            bucket: None,
            key: None,
            query: &[],
            headers: &[],
            payload_sha256: Some(hash),
        };
        let signed = sign_oss_request(&req, &creds, "cn-hangzhou", at);
        assert_eq!(signed.path_and_query, "/");
        assert_eq!(header(&signed, "x-oss-content-sha256"), Some(hash));
        assert_eq!(header(&signed, "x-oss-security-token"), None);
        Ok(())
    }
}
