//! Building an OSS V4 header-signed request (`OSS4-HMAC-SHA256`,
//! docs/protocol/signatures.md#v4-header-signature): for the server's administrative endpoints
//! under `/-/`, which authenticate like OSS requests rather than RPC, and for the object
//! commands (`crate::cli`), path-style (docs/protocol/addressing.md#bucket-and-key-resolution).

use ossd_sig::{OssRequest, SigningCredentials, sign_oss_request};
use time::OffsetDateTime;

use super::conn::Credentials;

pub(crate) use ossd_sig::{
    OSS_PRODUCT as PRODUCT, oss_path_and_query as path_and_query, oss_query_params as query_params,
};

/// The pseudo-bucket of administrative paths.
const ADMIN_BUCKET: &str = "-";

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

/// Signs `target` with `creds` for `region` at `at` (V4 header signature, unsigned payload;
/// `ossd_sig::sign_oss_request`).
pub(crate) fn sign_request(
    creds: &Credentials,
    region: &str,
    target: &Target<'_>,
    at: OffsetDateTime,
) -> SignedRequest {
    let request = OssRequest {
        method: target.method,
        bucket: target.bucket,
        key: target.key,
        query: target.query,
        headers: target.headers,
        payload_sha256: None,
    };
    let signing = SigningCredentials {
        access_key_id: &creds.access_key_id,
        secret: creds.secret.expose(),
        security_token: creds.security_token.as_ref().map(|t| t.expose()),
    };
    let signed = sign_oss_request(&request, &signing, region, at);
    SignedRequest {
        method: target.method,
        path_and_query: signed.path_and_query,
        headers: signed.headers,
    }
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
}
