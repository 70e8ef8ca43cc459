//! A small AWS SigV4 header signer (`AWS4-HMAC-SHA256`, service `s3`) for driving S3 servers.

use hmac::{Hmac, Mac};
use ossd_sig::{uri_encode, uri_encode_path};
use sha2::{Digest, Sha256};

use crate::sign::{Credentials, RequestToSign};

/// The SigV4 algorithm name.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The payload hash sent when the body is not hashed.
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The service in the credential scope.
const SERVICE: &str = "s3";

/// The headers (`x-amz-date`, `x-amz-content-sha256`, `Authorization`) that sign `req` at `datetime`
/// (`YYYYMMDDTHHMMSSZ`); `host` and `req.headers` are signed as well.
pub(crate) fn sign(
    creds: &Credentials,
    req: &RequestToSign,
    datetime: &str,
) -> Vec<(String, String)> {
    let given = req
        .headers
        .iter()
        .find(|(n, _)| n == "x-amz-content-sha256");
    let payload = given
        .map_or(UNSIGNED_PAYLOAD, |(_, v)| v.as_str())
        .to_owned();
    let mut added = vec![("x-amz-date".to_owned(), datetime.to_owned())];
    if given.is_none() {
        added.push(("x-amz-content-sha256".to_owned(), payload.clone()));
    }
    let mut signed: Vec<(String, String)> = vec![("host".to_owned(), req.host.to_owned())];
    signed.extend(req.headers.iter().cloned());
    signed.extend(added.iter().cloned());
    signed.sort();
    let names: Vec<&str> = signed.iter().map(|(n, _)| n.as_str()).collect();
    let signed_names = names.join(";");
    let canonical = canonical_request(req, &signed, &signed_names, &payload);
    let date = datetime.get(..8).unwrap_or(datetime);
    let scope = format!("{date}/{}/{SERVICE}/aws4_request", creds.region);
    let hashed = hex::encode(Sha256::digest(canonical.as_bytes()));
    let string_to_sign = format!("{ALGORITHM}\n{datetime}\n{scope}\n{hashed}");
    let key = signing_key(&creds.secret, date, &creds.region);
    let signature = hex::encode(hmac(&key, string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope},SignedHeaders={signed_names},Signature={signature}",
        creds.access_key_id
    );
    added.push(("authorization".to_owned(), authorization));
    added
}

/// The canonical request over sorted, lowercase `signed` headers.
fn canonical_request(
    req: &RequestToSign,
    signed: &[(String, String)],
    names: &str,
    payload: &str,
) -> String {
    let headers: String = signed
        .iter()
        .map(|(n, v)| format!("{n}:{}\n", v.trim()))
        .collect();
    format!(
        "{}\n{}\n{}\n{headers}\n{names}\n{payload}",
        req.method,
        uri_encode_path(&canonical_path(req)),
        canonical_query(req.query),
    )
}

/// The unencoded path: `/bucket/key`, `/bucket`, `/key` (virtual-hosted) or `/`.
fn canonical_path(req: &RequestToSign) -> String {
    match (req.bucket, req.key) {
        (Some(bucket), Some(key)) => format!("/{bucket}/{key}"),
        (Some(bucket), None) => format!("/{bucket}"),
        (None, Some(key)) => format!("/{key}"),
        (None, None) => "/".to_owned(),
    }
}

/// Encoded `k=v` pairs sorted by key then value, joined with `&` (empty values keep the `=`).
fn canonical_query(query: &[(&str, Option<&str>)]) -> String {
    let mut pairs: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (uri_encode(k), uri_encode(v.unwrap_or(""))))
        .collect();
    pairs.sort();
    let rendered: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    rendered.join("&")
}

/// The SigV4 signing key: HMAC chain over `AWS4` + secret, date, region, service, `aws4_request`.
fn signing_key(secret: &str, date: &str, region: &str) -> [u8; 32] {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, SERVICE.as_bytes());
    hmac(&k_service, b"aws4_request")
}

/// HMAC-SHA256 of `msg` under `key`.
fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        // HMAC takes keys of any length; this branch cannot be reached.
        Err(_) => Hmac::<Sha256>::new(&Default::default()),
    };
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The "GET Object" example of the AWS SigV4 header documentation.
    #[test]
    fn aws_documented_get_object() {
        let creds = Credentials {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".to_owned(),
            secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned(),
            region: "us-east-1".to_owned(),
        };
        let empty_sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let extra = [
            ("range".to_owned(), "bytes=0-9".to_owned()),
            ("x-amz-content-sha256".to_owned(), empty_sha.to_owned()),
        ];
        let req = RequestToSign {
            method: "GET",
            host: "examplebucket.s3.amazonaws.com",
            bucket: None,
            key: Some("test.txt"),
            query: &[],
            headers: &extra,
        };
        let added = sign(&creds, &req, "20130524T000000Z");
        let auth = added
            .iter()
            .find(|(n, _)| n == "authorization")
            .map(|(_, v)| v.as_str());
        assert_eq!(
            auth,
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
            )
        );
    }

    #[test]
    fn query_sorted_and_encoded() {
        let q = [
            ("prefix", Some("a/b c")),
            ("list-type", Some("2")),
            ("max-keys", None),
        ];
        assert_eq!(
            canonical_query(&q),
            "list-type=2&max-keys=&prefix=a%2Fb%20c"
        );
    }
}
