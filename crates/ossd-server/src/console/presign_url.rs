//! Signed URLs made with a console session's credentials: V4 in the query
//! (docs/protocol/signatures.md#v4-presigned-urls), the session's security token in
//! `x-oss-security-token` (docs/protocol/signatures.md#security-token-carriers), path-style on
//! the endpoint the browser reached the console through. The signature is `ossd-sig`'s signing
//! side, the code the server verifies SDK URLs against.

use ossd_sig::{
    MAX_V4_EXPIRES, QueryParam, Scope, SigningView, V4_ALGORITHM, format_iso8601_basic, uri_encode,
    uri_encode_path, v4_presign_signature,
};
use time::OffsetDateTime;

/// The product in the V4 scope.
const PRODUCT: &str = "oss";

/// The methods a signed URL can be made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UrlMethod {
    /// Download.
    Get,
    /// Upload.
    Put,
}

impl UrlMethod {
    /// The HTTP method.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
        }
    }
}

/// A signed-URL request that was refused before signing.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum PresignError {
    /// The expiry is not between 1 s and 7 days.
    #[error("the expiry must be between 1 second and {MAX_V4_EXPIRES} seconds (7 days)")]
    Expiry,
    /// No object key.
    #[error("a signed URL names an object: enter its key")]
    NoKey,
    /// `versionId` or `x-oss-process` on a PUT URL.
    #[error("versionId and x-oss-process apply to GET URLs only")]
    PutOptions,
}

/// The credentials a URL is signed with (the session's).
#[derive(Debug, Clone, Copy)]
pub(crate) struct UrlCredentials<'a> {
    /// AccessKey id (`STS.` for temporary credentials).
    pub(crate) access_key_id: &'a str,
    /// The secret.
    pub(crate) secret: &'a str,
    /// The STS security token, for temporary credentials.
    pub(crate) security_token: Option<&'a str>,
}

/// What a URL grants.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UrlRequest<'a> {
    /// `http://host:port` or `https://host:port`, without a trailing slash.
    pub(crate) endpoint: &'a str,
    /// The server's region (the V4 scope's).
    pub(crate) region: &'a str,
    /// Bucket.
    pub(crate) bucket: &'a str,
    /// Object key.
    pub(crate) key: &'a str,
    /// GET or PUT.
    pub(crate) method: UrlMethod,
    /// Seconds the URL is valid.
    pub(crate) expires: i64,
    /// `x-oss-process` (GET).
    pub(crate) process: Option<&'a str>,
    /// `versionId` (GET).
    pub(crate) version_id: Option<&'a str>,
}

/// The signed URL for `req` made at `now`.
pub(crate) fn signed_url(
    creds: UrlCredentials<'_>,
    req: &UrlRequest<'_>,
    now: OffsetDateTime,
) -> Result<String, PresignError> {
    if !(1..=MAX_V4_EXPIRES).contains(&req.expires) {
        return Err(PresignError::Expiry);
    }
    if req.key.is_empty() {
        return Err(PresignError::NoKey);
    }
    if req.method == UrlMethod::Put && (req.process.is_some() || req.version_id.is_some()) {
        return Err(PresignError::PutOptions);
    }
    let datetime = format_iso8601_basic(now);
    let date = datetime.get(..8).unwrap_or(&datetime);
    let scope = Scope::new(date, req.region, PRODUCT);
    let credential = scope.credential(creds.access_key_id);
    let expires = req.expires.to_string();
    let mut query: Vec<(&str, &str)> = Vec::new();
    if let Some(v) = req.version_id {
        query.push(("versionId", v));
    }
    if let Some(p) = req.process {
        query.push(("x-oss-process", p));
    }
    query.extend([
        ("x-oss-signature-version", V4_ALGORITHM),
        ("x-oss-credential", credential.as_str()),
        ("x-oss-date", datetime.as_str()),
        ("x-oss-expires", expires.as_str()),
    ]);
    if let Some(token) = creds.security_token {
        query.push(("x-oss-security-token", token));
    }
    let params: Vec<QueryParam> = query.iter().map(|(k, v)| QueryParam::new(*k, *v)).collect();
    let path = format!("/{}/{}", req.bucket, uri_encode_path(req.key));
    let view = SigningView {
        method: req.method.as_str(),
        bucket: Some(req.bucket),
        key: Some(req.key),
        query: &params,
        headers: &[],
        raw_path: &path,
        body_sha256: None,
    };
    let signature = v4_presign_signature(creds.secret, &view, &scope, &datetime, &[]);
    query.push(("x-oss-signature", &signature));
    let mut url = format!("{}{path}", req.endpoint);
    for (i, (k, v)) in query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(&uri_encode(k));
        url.push('=');
        url.push_str(&uri_encode(v));
    }
    Ok(url)
}

/// Whether a key looks like an image the browser can preview (by its extension).
pub(crate) fn is_image_key(key: &str) -> bool {
    let ext = key.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("jpg" | "jpeg" | "png" | "gif" | "webp" | "bmp" | "svg" | "avif")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ossd_proto::request::parse_query;
    use ossd_sig::verify;

    const SECRET: &str = "TestRootSecret0123456789abcdefgh";

    fn request<'a>(method: UrlMethod) -> UrlRequest<'a> {
        UrlRequest {
            endpoint: "http://127.0.0.1:9000",
            region: "cn-hangzhou",
            bucket: "examplebucket",
            key: "dir/a b+c.png",
            method,
            expires: 600,
            process: None,
            version_id: None,
        }
    }

    fn creds(token: Option<&str>) -> UrlCredentials<'_> {
        UrlCredentials {
            access_key_id: "LTAI5tTestRootKey0001",
            secret: SECRET,
            security_token: token,
        }
    }

    /// Verifies `url` as the server does: parse the query, find the scheme, check the signature.
    fn check(url: &str, method: &str, now: OffsetDateTime) -> Result<(), ossd_sig::SigError> {
        let (path, raw_query) = url
            .trim_start_matches("http://127.0.0.1:9000")
            .split_once('?')
            .unwrap();
        let query = parse_query(raw_query).unwrap();
        let key = path.trim_start_matches("/examplebucket/");
        let key = percent_encoding::percent_decode_str(key)
            .decode_utf8()
            .unwrap();
        let view = SigningView {
            method,
            bucket: Some("examplebucket"),
            key: Some(&key),
            query: &query,
            headers: &[],
            raw_path: path,
            body_sha256: None,
        };
        let auth = ossd_sig::parse(&view)?.unwrap();
        verify(&auth, &view, SECRET, now)
    }

    #[test]
    fn a_get_url_with_version_and_process_verifies() {
        let now = OffsetDateTime::from_unix_timestamp(1_750_000_000).unwrap();
        let req = UrlRequest {
            process: Some("image/resize,w_200"),
            version_id: Some("CAEQ"),
            ..request(UrlMethod::Get)
        };
        let url = signed_url(creds(None), &req, now).unwrap();
        assert!(url.starts_with("http://127.0.0.1:9000/examplebucket/dir/a%20b%2Bc.png?"));
        assert!(
            url.contains("x-oss-process=image%2Fresize%2Cw_200"),
            "{url}"
        );
        assert!(url.contains("versionId=CAEQ"), "{url}");
        check(&url, "GET", now).unwrap();
        assert!(check(&url, "PUT", now).is_err(), "the method is signed");
    }

    #[test]
    fn an_sts_url_carries_the_token_and_verifies() {
        let now = OffsetDateTime::from_unix_timestamp(1_750_000_000).unwrap();
        let url = signed_url(creds(Some("tok/en+=")), &request(UrlMethod::Put), now).unwrap();
        assert!(url.contains("x-oss-security-token=tok%2Fen%2B%3D"), "{url}");
        check(&url, "PUT", now).unwrap();
    }

    #[test]
    fn refuses_bad_requests() {
        let now = OffsetDateTime::UNIX_EPOCH;
        let zero = UrlRequest {
            expires: 0,
            ..request(UrlMethod::Get)
        };
        assert_eq!(
            signed_url(creds(None), &zero, now),
            Err(PresignError::Expiry)
        );
        let no_key = UrlRequest {
            key: "",
            ..request(UrlMethod::Get)
        };
        assert_eq!(
            signed_url(creds(None), &no_key, now),
            Err(PresignError::NoKey)
        );
        let put = UrlRequest {
            version_id: Some("v"),
            ..request(UrlMethod::Put)
        };
        assert_eq!(
            signed_url(creds(None), &put, now),
            Err(PresignError::PutOptions)
        );
    }

    #[test]
    fn image_keys() {
        assert!(is_image_key("a/b.JPG"));
        assert!(!is_image_key("a/b.txt"));
        assert!(!is_image_key("png"));
    }
}
