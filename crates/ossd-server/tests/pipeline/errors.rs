//! Error paths, one example per status class, each with the OSS XML error document
//! (`Code`, `Message`, `RequestId` = `x-oss-request-id`, `HostId`) — and HEAD errors, which have
//! an empty body and the document Base64-encoded in `x-oss-err`.

use crate::support::{Request, Server};

/// A server with bucket `errs` holding `k` = `hello`.
async fn server() -> anyhow::Result<Server> {
    let s = Server::start().await?;
    s.create_bucket("errs", None).await?;
    s.put_object("errs", "k", b"hello", &[]).await?;
    Ok(s)
}

#[tokio::test]
async fn status_400_malformed_xml_and_invalid_argument() -> anyhow::Result<()> {
    let s = server().await?;
    Request::put("errs", None)
        .sub("versioning")
        .body(&b"<VersioningConfiguration><Status>"[..])
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(400, "MalformedXML");
    Request::put("errs", None)
        .sub("acl")
        .header("x-oss-acl", "everyone")
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(400, "InvalidArgument");
    Ok(())
}

#[tokio::test]
async fn status_404_names_what_is_missing() -> anyhow::Result<()> {
    let s = server().await?;
    let r = Request::get("errs", Some("nope"))
        .v4(&s.root)
        .send(&s)
        .await?;
    r.assert_error(404, "NoSuchKey")
        .assert_message("The specified key does not exist.")
        .assert_field("Key", "nope");
    assert!(r.header("x-oss-ec").is_some(), "{r:?}");
    Request::get("nosuch", None)
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(404, "NoSuchBucket")
        .assert_field("BucketName", "nosuch");
    Request::get("errs", Some("k"))
        .query("uploadId", "0123456789ABCDEF0123456789ABCDEF")
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(404, "NoSuchUpload");
    Ok(())
}

#[tokio::test]
async fn status_405_method_not_allowed() -> anyhow::Result<()> {
    let s = server().await?;
    Request::post("errs", Some("k"))
        .sub("acl")
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(405, "MethodNotAllowed");
    Ok(())
}

#[tokio::test]
async fn status_409_conflicts() -> anyhow::Result<()> {
    let s = server().await?;
    Request::put("errs", Some("k"))
        .header("x-oss-forbid-overwrite", "true")
        .body(&b"again"[..])
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(409, "FileAlreadyExists");
    Request::delete("errs", None)
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(409, "BucketNotEmpty")
        .assert_field("BucketName", "errs");
    let r = Request::post("errs", Some("k"))
        .sub("append")
        .query("position", "0")
        .body(&b"x"[..])
        .v4(&s.root)
        .send(&s)
        .await?;
    r.assert_error(409, "ObjectNotAppendable");
    Ok(())
}

#[tokio::test]
async fn status_411_put_without_a_length() -> anyhow::Result<()> {
    let s = Server::start().await?;
    s.create_bucket("open", Some("public-read-write")).await?;
    let head = format!(
        "PUT /open/k HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        s.authority()
    );
    let raw = s.raw(&head).await?;
    assert!(raw.starts_with("HTTP/1.1 411"), "{raw}");
    assert!(raw.contains("<Code>MissingContentLength</Code>"), "{raw}");
    Ok(())
}

#[tokio::test]
async fn status_412_precondition_failed() -> anyhow::Result<()> {
    let s = server().await?;
    Request::get("errs", Some("k"))
        .header("if-match", "\"00000000000000000000000000000000\"")
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(412, "PreconditionFailed")
        .assert_message("At least one of the pre-conditions you specified did not hold.")
        .assert_field("Condition", "If-Match");
    Ok(())
}

#[tokio::test]
async fn status_416_invalid_range_in_standard_behaviour() -> anyhow::Result<()> {
    let s = server().await?;
    // OSS ignores an unsatisfiable range unless asked for the standard behaviour.
    let r = Request::get("errs", Some("k"))
        .header("range", "bytes=50-")
        .v4(&s.root)
        .send(&s)
        .await?;
    r.assert_status(200);
    assert_eq!(&r.body[..], b"hello");
    Request::get("errs", Some("k"))
        .header("range", "bytes=50-")
        .header("x-oss-range-behavior", "standard")
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(416, "InvalidRange")
        .assert_message("The requested range cannot be satisfied.");
    Ok(())
}

#[tokio::test]
async fn not_implemented_is_400_as_in_oss() -> anyhow::Result<()> {
    // OSS answers unsupported features with 400 NotImplemented, never 501.
    let s = server().await?;
    Request::get("errs", None)
        .sub("website")
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(400, "NotImplemented");
    Ok(())
}

#[tokio::test]
async fn head_errors_have_an_empty_body_and_x_oss_err() -> anyhow::Result<()> {
    let s = server().await?;
    Request::head("errs", Some("nope"))
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_head_error(404, "NoSuchKey");
    Request::head("nosuch", Some("k"))
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_head_error(404, "NoSuchBucket");
    Request::head("errs", Some("k"))
        .send(&s)
        .await?
        .assert_head_error(403, "AccessDenied");
    Request::head("errs", Some("k"))
        .header("if-match", "\"00000000000000000000000000000000\"")
        .v1(&s.root)
        .send(&s)
        .await?
        .assert_head_error(412, "PreconditionFailed");
    Request::head("Bad_Bucket", Some("k"))
        .send(&s)
        .await?
        .assert_head_error(400, "InvalidBucketName");
    Ok(())
}
