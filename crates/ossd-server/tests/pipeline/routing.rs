//! Routing (docs/architecture.md, "One request"): REST vs RPC (`Action=` in the query, a form
//! POST, `x-acs-action`) vs PostObject (a multipart form POST at bucket level) vs the operations
//! endpoints (`/-/health/*`, `/-/metrics`) vs the root-only admin endpoints; path-style vs
//! virtual-hosted addressing.

use ossd_sig::post_policy_v1_signature;
use serde_json::json;

use crate::support::client::multipart;
use crate::support::ram::{STS_VERSION, signed_params};
use crate::support::{ACCOUNT_ID, Request, Server};

#[tokio::test]
async fn path_style_and_virtual_hosted_reach_the_same_object() -> anyhow::Result<()> {
    let s = Server::start().await?;
    s.create_bucket("route", None).await?;
    s.put_object("route", "dir/a b.txt", b"hello", &[]).await?;
    let r = Request::get("route", Some("dir/a b.txt"))
        .v4(&s.root)
        .send(&s)
        .await?;
    r.assert_status(200);
    assert_eq!(&r.body[..], b"hello");
    for v4 in [false, true] {
        let req = Request::get("route", Some("dir/a b.txt")).virtual_hosted();
        let req = if v4 { req.v4(&s.root) } else { req.v1(&s.root) };
        let r = req.send(&s).await?;
        r.assert_status(200);
        assert_eq!(&r.body[..], b"hello");
        assert_eq!(r.request_id().map(str::len), Some(24));
    }
    // A virtual-hosted bucket that does not exist is named in the error like a path-style one.
    Request::get("nobucket", Some("k"))
        .virtual_hosted()
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(404, "NoSuchBucket")
        .assert_field("BucketName", "nobucket");
    Ok(())
}

#[tokio::test]
async fn service_level_get_without_action_is_list_buckets() -> anyhow::Result<()> {
    let s = Server::start().await?;
    s.create_bucket("listed", None).await?;
    let r = Request::get("", None).v4(&s.root).send(&s).await?;
    r.assert_status(200);
    assert!(r.text().contains("<ListAllMyBucketsResult"), "{}", r.text());
    assert_eq!(r.xml("Name").as_deref(), Some("listed"));
    // Anonymous ListBuckets is refused with an OSS XML document, not an RPC one.
    Request::get("", None)
        .send(&s)
        .await?
        .assert_error(403, "AccessDenied");
    Ok(())
}

#[tokio::test]
async fn action_in_the_query_or_a_form_post_is_an_rpc_call() -> anyhow::Result<()> {
    let s = Server::start().await?;
    for via_form in [false, true] {
        let method = if via_form { "POST" } else { "GET" };
        let params = signed_params(method, "GetCallerIdentity", STS_VERSION, &[], &s.root);
        let r = match via_form {
            true => s.rpc_form(&params).await?,
            false => s.rpc_get(&params).await?,
        };
        r.assert_status(200);
        assert_eq!(
            r.header("content-type"),
            Some("application/json;charset=utf-8")
        );
        let body = r.json()?;
        assert_eq!(body["AccountId"], json!(ACCOUNT_ID), "{body}");
        // RPC request ids are UUIDs, in the body and the header.
        let id = body["RequestId"].as_str().unwrap_or_default();
        assert_eq!(id.len(), 36, "{body}");
        assert_eq!(r.request_id(), Some(id));
    }
    Ok(())
}

#[tokio::test]
async fn rpc_errors_are_json() -> anyhow::Result<()> {
    let s = Server::start().await?;
    // A tampered signature.
    let mut params = signed_params("GET", "GetCallerIdentity", STS_VERSION, &[], &s.root);
    if let Some(p) = params.iter_mut().find(|p| p.key == "Version") {
        p.value = "2015-04-02".to_owned();
    }
    let r = s.rpc_get(&params).await?;
    r.assert_status(400);
    let body = r.json()?;
    assert_eq!(body["Code"], json!("SignatureDoesNotMatch"), "{body}");
    // `x-acs-action` routes to RPC even without `Action=`; unsigned, it is refused in JSON.
    let uri = format!("http://{}/", s.authority());
    let req = http::Request::post(uri)
        .header("x-acs-action", "GetCallerIdentity")
        .header("x-acs-version", STS_VERSION)
        .body(http_body_util::Full::new(bytes::Bytes::new()))?;
    let r = s.send(req).await?;
    assert!(r.status.is_client_error(), "{r:?}");
    let body = r.json()?;
    assert!(body["Code"].is_string(), "{body}");
    assert!(body["RequestId"].is_string(), "{body}");
    // Both are counted by the family of their code (docs/operations.md#metrics); the record
    // is finished once the body is sent, so the scrape may come first.
    let series = r#"ossd_errors_total{code="SignatureDoesNotMatch",dialect="rpc"} 1"#;
    let mut text = String::new();
    for _ in 0..50 {
        let m = Request::get("-", Some("metrics"))
            .v4(&s.root)
            .send(&s)
            .await?;
        text = m.text();
        if text.contains(series) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(text.contains(series), "{text}");
    Ok(())
}

#[tokio::test]
async fn multipart_post_at_bucket_level_is_post_object() -> anyhow::Result<()> {
    let s = Server::start().await?;
    s.create_bucket("forms", None).await?;
    let policy = base64_policy(&json!({
        "expiration": "2099-01-01T00:00:00.000Z",
        "conditions": [["starts-with", "$key", "up/"]],
    }));
    let signature = post_policy_v1_signature(&s.root.secret, &policy);
    let fields = [
        ("key", "up/a.txt"),
        ("OSSAccessKeyId", s.root.id.as_str()),
        ("policy", policy.as_str()),
        ("Signature", signature.as_str()),
    ];
    let (content_type, body) = multipart(&fields, b"form body");
    let r = Request::post("forms", None)
        .header("content-type", &content_type)
        .body(body)
        .send(&s)
        .await?;
    r.assert_status(204);
    let r = Request::get("forms", Some("up/a.txt"))
        .v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(&r.body[..], b"form body");
    // A form without its file, and a POST body that is no form.
    let (content_type, body) = multipart(&fields, b"");
    let no_file = String::from_utf8_lossy(&body).replace("name=\"file\"", "name=\"other\"");
    Request::post("forms", None)
        .header("content-type", &content_type)
        .body(no_file)
        .send(&s)
        .await?
        .assert_error(400, "IncorrectNumberOfFilesInPOSTRequest");
    Request::post("forms", None)
        .header("content-type", "text/plain")
        .body("plain")
        .send(&s)
        .await?
        .assert_error(400, "RequestIsNotMultiPartContent");
    // Anonymous, the form is authorized as PutObject on a private bucket.
    let (content_type, body) = multipart(&[("key", "up/b.txt")], b"x");
    Request::post("forms", None)
        .header("content-type", &content_type)
        .body(body)
        .send(&s)
        .await?
        .assert_error(403, "AccessDenied");
    Ok(())
}

/// Base64 of a POST policy document.
fn base64_policy(doc: &serde_json::Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(doc.to_string())
}

#[tokio::test]
async fn health_endpoints_answer_anyone() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let r = Request::get("-", Some("health/live")).send(&s).await?;
    r.assert_status(200);
    assert_eq!(r.json()?, json!({"status": "ok"}));
    assert!(r.request_id().is_some());
    let r = Request::get("-", Some("health/ready")).send(&s).await?;
    r.assert_status(200);
    assert_eq!(r.json()?["status"], json!("ok"));
    let r = Request::post("-", Some("health/live")).send(&s).await?;
    r.assert_status(405);
    Ok(())
}

#[tokio::test]
async fn metrics_need_the_root_key() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let r = Request::get("-", Some("metrics"))
        .v4(&s.root)
        .send(&s)
        .await?;
    r.assert_status(200);
    assert!(r.text().contains("ossd_"), "{}", r.text());
    let user = s.ram_user(None).await?;
    let r = Request::get("-", Some("metrics"))
        .v4(&user)
        .send(&s)
        .await?;
    r.assert_status(403);
    let r = Request::get("-", Some("metrics")).send(&s).await?;
    r.assert_status(403);
    Ok(())
}

#[tokio::test]
async fn admin_endpoints_are_root_only_and_path_style_only() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let r = Request::get("-", Some("admin/audit"))
        .query("tail", "5")
        .v4(&s.root)
        .send(&s)
        .await?;
    r.assert_status(200);
    assert!(r.json()?.is_object());
    let user = s.ram_user(None).await?;
    for req in [
        Request::get("-", Some("admin/audit")).v1(&user),
        Request::get("-", Some("admin/audit")),
    ] {
        let r = req.send(&s).await?;
        r.assert_status(403);
        let body = r.json()?;
        assert_eq!(body["Code"], json!("AccessDenied"), "{body}");
        assert_eq!(
            body["Message"],
            json!("Administrative endpoints require the account's root AccessKey."),
        );
    }
    // `-` is no bucket name: virtual-hosted, the admin path is an OSS request and refused.
    Request::get("-", Some("admin/audit"))
        .virtual_hosted()
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(400, "InvalidBucketName");
    Ok(())
}
