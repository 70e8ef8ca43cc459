//! The AWS STS Query API endpoint (docs/protocol/aws-sts.md): routing beside the Alibaba RPC, the
//! XML error document, and the Alibaba STS left as it was.

use serde_json::json;

use crate::support::ram::{STS_VERSION, signed_params};
use crate::support::{ACCOUNT_ID, Server};

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
    assert!(r.xml("Code").is_some_and(|c| !c.is_empty()), "{}", r.text());
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
