//! OSS V4 header signing (`OSS4-HMAC-SHA256`), delegated to the `ossd-sig` crate.

use ossd_sig::{
    QueryParam, Scope, SigningView, UNSIGNED_PAYLOAD, uri_encode_path, v4_authorization,
};

use crate::sign::{Credentials, RequestToSign};

/// The product in the V4 credential scope.
const PRODUCT: &str = "oss";

/// The headers (`x-oss-date`, `x-oss-content-sha256`, `Authorization`) that sign `req` at `datetime`
/// (`YYYYMMDDTHHMMSSZ`); `req.headers` are signed too when V4 covers them (e.g. `content-type`).
pub(crate) fn sign(
    creds: &Credentials,
    req: &RequestToSign,
    datetime: &str,
) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = req.headers.to_vec();
    headers.push((
        "x-oss-content-sha256".to_owned(),
        UNSIGNED_PAYLOAD.to_owned(),
    ));
    headers.push(("x-oss-date".to_owned(), datetime.to_owned()));
    let query: Vec<QueryParam> = req
        .query
        .iter()
        .map(|(k, v)| match v {
            Some(v) => QueryParam::new(*k, *v),
            None => QueryParam::bare(*k),
        })
        .collect();
    let raw_path = match (req.bucket, req.key) {
        (Some(bucket), Some(key)) => format!("/{bucket}/{}", uri_encode_path(key)),
        (Some(bucket), None) => format!("/{bucket}/"),
        (None, _) => "/".to_owned(),
    };
    let view = SigningView {
        method: req.method,
        bucket: req.bucket,
        key: req.key,
        query: &query,
        headers: &headers,
        raw_path: &raw_path,
        body_sha256: None,
    };
    let date = datetime.get(..8).unwrap_or(datetime);
    let scope = Scope::new(date, creds.region.as_str(), PRODUCT);
    let authorization = v4_authorization(&creds.access_key_id, &creds.secret, &view, &scope, &[]);
    headers.push(("authorization".to_owned(), authorization));
    headers.split_off(req.headers.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixed credentials of the test vectors (docs/protocol/signatures.md#test-vectors).
    fn vector_creds() -> Credentials {
        Credentials {
            access_key_id: "LTAI5tVectorKeyId0001".to_owned(),
            secret: "VectorSecret0123456789ABCDEFGHIJ".to_owned(),
            region: "cn-hangzhou".to_owned(),
        }
    }

    /// The `authorization` value among signed headers.
    fn authorization(headers: &[(String, String)]) -> Option<&str> {
        headers
            .iter()
            .find(|(n, _)| n == "authorization")
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn tv8_put_object() {
        let extra = [
            (
                "content-md5".to_owned(),
                "M3szwC+JSTAmhDmD/ycqMA==".to_owned(),
            ),
            ("content-type".to_owned(), "image/jpeg".to_owned()),
            ("x-oss-meta-author".to_owned(), "alice".to_owned()),
        ];
        let req = RequestToSign {
            method: "PUT",
            host: "examplebucket.oss-cn-hangzhou.aliyuncs.com",
            bucket: Some("examplebucket"),
            key: Some("photos/2025/cat & dog+1.jpg"),
            query: &[],
            headers: &extra,
        };
        let signed = sign(&vector_creds(), &req, "20250115T083000Z");
        assert_eq!(
            authorization(&signed),
            Some(
                "OSS4-HMAC-SHA256 Credential=LTAI5tVectorKeyId0001/20250115/cn-hangzhou/oss/aliyun_v4_request,Signature=add839b0d7c1224c9858bcc3041b2eb0732df134b9ff7cd3a586d9f14bc05db7"
            )
        );
    }

    #[test]
    fn tv12_list_buckets() {
        let req = RequestToSign {
            method: "GET",
            host: "oss-cn-hangzhou.aliyuncs.com",
            bucket: None,
            key: None,
            query: &[],
            headers: &[],
        };
        let signed = sign(&vector_creds(), &req, "20250115T083000Z");
        assert_eq!(
            authorization(&signed),
            Some(
                "OSS4-HMAC-SHA256 Credential=LTAI5tVectorKeyId0001/20250115/cn-hangzhou/oss/aliyun_v4_request,Signature=93785ec7e34cf300a02a8a387a8cc1255fc64abe8965ae7c4c2a1a0b6d468d19"
            )
        );
        assert_eq!(signed.len(), 3);
    }
}
