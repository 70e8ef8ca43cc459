//! The AWS STS Query API endpoint (docs/protocol/aws-sts.md): routing beside the Alibaba RPC,
//! SigV4 for service `sts` over the form body, the XML bodies and error documents, and the
//! Alibaba STS left as it was.

use ossd_sig::{Scope, SigningView, aws_v4_authorization, format_iso8601_basic};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::support::ram::{STS_VERSION, signed_params};
use crate::support::{ACCOUNT_ID, Creds, Server};

/// A form POST of `body` signed as botocore signs STS calls: AWS SigV4 for `service` in
/// `us-east-1` over `content-type;host;x-amz-date`, no `x-amz-content-sha256`; `tamper` is
/// appended to the body after signing.
fn signed_post(
    s: &Server,
    creds: &Creds,
    service: &str,
    body: &str,
    tamper: &str,
) -> anyhow::Result<http::Request<http_body_util::Full<bytes::Bytes>>> {
    let now = time::OffsetDateTime::now_utc();
    let date = format_iso8601_basic(now);
    let host = s.authority();
    let headers = vec![
        (
            "content-type".to_owned(),
            "application/x-www-form-urlencoded; charset=utf-8".to_owned(),
        ),
        ("host".to_owned(), host.clone()),
        ("x-amz-date".to_owned(), date.clone()),
    ];
    let hash = hex::encode(Sha256::digest(body.as_bytes()));
    let view = SigningView {
        method: "POST",
        bucket: None,
        key: None,
        query: &[],
        headers: &headers,
        raw_path: "/",
        body_sha256: Some(&hash),
    };
    let scope = Scope::new(date.get(..8).unwrap_or_default(), "us-east-1", service);
    let signed: Vec<String> = headers.iter().map(|(k, _)| k.clone()).collect();
    let authorization = aws_v4_authorization(&creds.id, &creds.secret, &view, &scope, &signed);
    let mut b = http::Request::post(format!("http://{host}/"));
    for (k, v) in &headers {
        b = b.header(k.as_str(), v.as_str());
    }
    let body = format!("{body}{tamper}");
    Ok(b.header("authorization", authorization)
        .body(http_body_util::Full::new(bytes::Bytes::from(body)))?)
}

#[tokio::test]
async fn signed_calls_answer_in_sts_xml() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let r = s.send(signed_post(&s, &s.root, "sts", body, "")?).await?;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("text/xml"));
    let arn = format!("arn:aws:iam::{ACCOUNT_ID}:root");
    assert_eq!(r.xml("Arn").as_deref(), Some(arn.as_str()), "{}", r.text());
    assert_eq!(r.xml("Account").as_deref(), Some(ACCOUNT_ID));
    assert!(
        r.text().contains("<GetCallerIdentityResult>"),
        "{}",
        r.text()
    );
    // The body is covered by the signature.
    let r = s
        .send(signed_post(&s, &s.root, "sts", body, "&x=1")?)
        .await?;
    assert_eq!(
        (r.status.as_u16(), r.xml("Code").as_deref()),
        (403, Some("SignatureDoesNotMatch")),
        "{}",
        r.text()
    );
    // Signed for S3: not an STS signature.
    let mut req = signed_post(&s, &s.root, "s3", body, "")?;
    *req.uri_mut() = format!(
        "http://{}/?Action=GetCallerIdentity&Version=2011-06-15",
        s.authority()
    )
    .parse()?;
    let r = s.send(req).await?;
    assert_eq!(
        r.xml("Code").as_deref(),
        Some("IncompleteSignature"),
        "{}",
        r.text()
    );
    // An unknown key.
    let stranger = Creds::new("LTAInosuchkey0000", "secret");
    let r = s.send(signed_post(&s, &stranger, "sts", body, "")?).await?;
    assert_eq!(
        (r.status.as_u16(), r.xml("Code").as_deref()),
        (403, Some("InvalidClientTokenId")),
        "{}",
        r.text()
    );
    // An unknown action of the right version.
    let other = "Action=GetFederationToken&Version=2011-06-15&Name=x";
    let r = s.send(signed_post(&s, &s.root, "sts", other, "")?).await?;
    assert_eq!(
        r.xml("Code").as_deref(),
        Some("InvalidAction"),
        "{}",
        r.text()
    );
    Ok(())
}

/// A request to the service root.
fn request(
    s: &Server,
    method: &str,
    query: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> anyhow::Result<http::Request<http_body_util::Full<bytes::Bytes>>> {
    let mut b = http::Request::builder()
        .method(method)
        .uri(format!("http://{}/{query}", s.authority()));
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    Ok(b.body(http_body_util::Full::new(bytes::Bytes::from(
        body.to_owned(),
    )))?)
}

#[tokio::test]
async fn unsigned_aws_sts_calls_get_an_sts_error_document() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let form = (
        "content-type",
        "application/x-www-form-urlencoded; charset=utf-8",
    );
    let get = request(
        &s,
        "GET",
        "?Action=GetCallerIdentity&Version=2011-06-15",
        &[],
        "",
    )?;
    let scoped = (
        "authorization",
        "AWS4-HMAC-SHA256 Credential=NOSUCHKEY/20260101/us-east-1/sts/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date, Signature=00",
    );
    let post = request(
        &s,
        "POST",
        "",
        &[form, scoped],
        "Action=GetCallerIdentity&Version=2011-06-15",
    )?;
    let r = s.send(get).await?;
    assert_eq!(r.status.as_u16(), 403, "{r:?}");
    assert_eq!(r.header("content-type"), Some("text/xml"));
    let text = r.text();
    assert!(
        text.contains("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code>"),
        "{text}"
    );
    let id = r.xml("RequestId").unwrap_or_default();
    assert!(
        !id.is_empty() && r.header("x-amzn-requestid") == Some(id.as_str()),
        "{r:?}"
    );
    // Signed for `sts`: an AWS STS call, refused in XML (never the Alibaba JSON).
    let r = s.send(post).await?;
    assert!(r.status.is_client_error(), "{r:?}");
    assert!(r.text().starts_with("<?xml"), "{}", r.text());
    assert_eq!(r.xml("Type").as_deref(), Some("Sender"), "{}", r.text());
    Ok(())
}

#[tokio::test]
async fn alibaba_sts_is_unchanged() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let params = signed_params("POST", "GetCallerIdentity", STS_VERSION, &[], &s.root);
    let r = s.rpc_form(&params).await?;
    r.assert_status(200);
    assert_eq!(r.json()?["AccountId"], json!(ACCOUNT_ID));
    Ok(())
}
