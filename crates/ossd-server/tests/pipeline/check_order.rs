//! The order of checks (docs/security.md, "Order of checks"): the request's form, then the
//! bucket's existence, then the credentials and signature, then referer rules and
//! authorization, then the operation's own arguments (Content-MD5 among them).

use time::{Duration, OffsetDateTime};

use crate::support::client::content_md5;
use crate::support::{Creds, Request, Server};

/// An AccessKey the server does not know.
fn unknown() -> Creds {
    Creds::new("LTAI5tDoesNotExist01", "not-the-secret")
}

/// A server with bucket `order` holding `k`.
async fn server() -> anyhow::Result<Server> {
    let s = Server::start().await?;
    s.create_bucket("order", None).await?;
    s.put_object("order", "k", b"v", &[]).await?;
    Ok(s)
}

#[tokio::test]
async fn malformed_names_win_over_everything() -> anyhow::Result<()> {
    let s = server().await?;
    // Unknown credentials, a missing bucket: the name is checked first.
    Request::get("Bad_Bucket", Some("k"))
        .v4(&unknown())
        .send(&s)
        .await?
        .assert_error(400, "InvalidBucketName")
        .assert_message("The specified bucket is not valid.")
        .assert_field("BucketName", "Bad_Bucket");
    let long = "a".repeat(1024);
    Request::get("missing", Some(&long))
        .v1(&unknown())
        .send(&s)
        .await?
        .assert_error(400, "InvalidObjectName")
        .assert_message("The specified object is not valid.");
    Ok(())
}

#[tokio::test]
async fn bad_version_ids_win_over_the_bucket_lookup() -> anyhow::Result<()> {
    let s = server().await?;
    Request::get("missing", Some("k"))
        .query("versionId", "")
        .v4(&unknown())
        .send(&s)
        .await?
        .assert_error(400, "InvalidArgument")
        .assert_message("Version id can not be the empty string.");
    Request::get("missing", Some("k"))
        .query("versionId", "123")
        .send(&s)
        .await?
        .assert_error(400, "InvalidArgument")
        .assert_message("Invalid version id specified.");
    Ok(())
}

#[tokio::test]
async fn read_parameters_are_parsed_before_the_bucket_lookup() -> anyhow::Result<()> {
    let s = server().await?;
    // GetObject, HeadObject and GetObjectMeta parse their version, range, conditions and
    // overrides with the operation (`Params::Read`): a bad version id fails before the bucket
    // is looked up or the credentials are.
    Request::head("missing", Some("k"))
        .query("versionId", "123")
        .v4(&unknown())
        .send(&s)
        .await?
        .assert_head_error(400, "InvalidArgument");
    Request::head("missing", Some("k"))
        .sub("objectMeta")
        .query("versionId", "")
        .v1(&unknown())
        .send(&s)
        .await?
        .assert_head_error(400, "InvalidArgument");
    Request::get("missing", Some("k"))
        .query("versionId", "123")
        .header("range", "bytes=0-0")
        .header("if-modified-since", "not a date")
        .v4(&unknown())
        .send(&s)
        .await?
        .assert_error(400, "InvalidArgument")
        .assert_message("Invalid version id specified.");
    // What OSS ignores is not refused: an unparseable range or date, and (checked once the
    // caller is known) the overrides of an anonymous request.
    Request::get("missing", Some("k"))
        .header("range", "bytes=x-y")
        .header("x-oss-range-behavior", "standard")
        .header("if-unmodified-since", "yesterday")
        .query("response-content-type", "text/plain")
        .send(&s)
        .await?
        .assert_error(404, "NoSuchBucket");
    s.put_object("order", "ten", b"0123456789", &[]).await?;
    let whole = Request::get("order", Some("ten"))
        .header("range", "bytes=x-y")
        .header("if-unmodified-since", "yesterday")
        .v4(&s.root)
        .send(&s)
        .await?;
    whole.assert_status(200);
    assert_eq!(whole.text(), "0123456789");
    let part = Request::get("order", Some("ten"))
        .header("range", "bytes=8-20")
        .header("x-oss-range-behavior", "standard")
        .query("response-content-type", "text/plain")
        .v4(&s.root)
        .send(&s)
        .await?;
    part.assert_status(206);
    assert_eq!(part.text(), "89");
    assert_eq!(part.header("content-type"), Some("text/plain"));
    assert_eq!(part.header("content-range"), Some("bytes 8-9/10"));
    Ok(())
}

#[tokio::test]
async fn unsupported_operations_win_over_the_bucket_lookup() -> anyhow::Result<()> {
    let s = server().await?;
    Request::get("missing", None)
        .sub("logging")
        .v4(&unknown())
        .send(&s)
        .await?
        .assert_error(400, "NotImplemented")
        .assert_message("logging is not implemented.");
    Request::post("missing", None)
        .sub("versioning")
        .v4(&unknown())
        .send(&s)
        .await?
        .assert_error(405, "MethodNotAllowed")
        .assert_message("The specified method is not allowed against this resource.");
    Ok(())
}

#[tokio::test]
async fn typed_arguments_win_over_the_bucket_lookup() -> anyhow::Result<()> {
    let s = server().await?;
    // Parsed with the operation, before any I/O: a missing bucket and unknown credentials
    // come later.
    Request::get("missing", None)
        .query("max-keys", "0")
        .v4(&unknown())
        .send(&s)
        .await?
        .assert_error(400, "InvalidArgument")
        .assert_message("Argument max-keys must be an integer between 1 and 1000.");
    Request::get("missing", None)
        .sub("uploads")
        .query("encoding-type", "base64")
        .send(&s)
        .await?
        .assert_error(400, "InvalidArgument")
        .assert_message("The encoding-type must be url.");
    Request::get("missing", Some("k"))
        .query("x-oss-process", "image/resize,w_0")
        .v4(&unknown())
        .send(&s)
        .await?
        .assert_error(400, "InvalidArgument");
    // Another processing kind, and a stored style (which needs the bucket), are looked at after
    // authorization: a parameter added to a signed URL is refused as a signature mismatch first.
    Request::get("missing", Some("k"))
        .query("x-oss-process", "video/snapshot,t_1")
        .send(&s)
        .await?
        .assert_error(404, "NoSuchBucket");
    Request::get("missing", Some("k"))
        .query("x-oss-process", "style/thumb")
        .send(&s)
        .await?
        .assert_error(404, "NoSuchBucket");
    Ok(())
}

#[tokio::test]
async fn missing_bucket_wins_over_credentials_except_for_creation() -> anyhow::Result<()> {
    let s = server().await?;
    for v4 in [true, false] {
        let sign = |r: Request| {
            if v4 {
                r.v4(&unknown())
            } else {
                r.v1(&unknown())
            }
        };
        sign(Request::get("missing", None).sub("acl"))
            .send(&s)
            .await?
            .assert_error(404, "NoSuchBucket")
            .assert_message("The specified bucket does not exist.")
            .assert_field("BucketName", "missing");
        sign(Request::get("missing", Some("k")))
            .send(&s)
            .await?
            .assert_error(404, "NoSuchBucket");
        // PutBucket and PutBucketAcl (which creates the bucket) check the credentials first.
        sign(Request::put("missing", None))
            .send(&s)
            .await?
            .assert_error(403, "InvalidAccessKeyId")
            .assert_field("OSSAccessKeyId", "LTAI5tDoesNotExist01");
        sign(
            Request::put("missing", None)
                .sub("acl")
                .header("x-oss-acl", "private"),
        )
        .send(&s)
        .await?
        .assert_error(403, "InvalidAccessKeyId");
        // An existing bucket: the credentials are checked.
        sign(Request::get("order", None).sub("acl"))
            .send(&s)
            .await?
            .assert_error(403, "InvalidAccessKeyId");
    }
    // Anonymous and a wrong secret on a missing bucket: still NoSuchBucket.
    Request::get("missing", Some("k"))
        .send(&s)
        .await?
        .assert_error(404, "NoSuchBucket");
    let wrong = Creds::new(s.root.id.clone(), "wrong-secret");
    Request::get("missing", Some("k"))
        .v1(&wrong)
        .send(&s)
        .await?
        .assert_error(404, "NoSuchBucket");
    Ok(())
}

#[tokio::test]
async fn v4_region_is_checked_before_the_access_key() -> anyhow::Result<()> {
    let s = server().await?;
    Request::get("order", Some("k"))
        .region("us-east-1")
        .v4(&unknown())
        .send(&s)
        .await?
        .assert_error(400, "InvalidArgument")
        .assert_message("Invalid signing region in Authorization header.");
    Ok(())
}

#[tokio::test]
async fn signature_errors_win_over_authorization() -> anyhow::Result<()> {
    let s = server().await?;
    // A user with no permissions: every credential error shows before AccessDenied.
    let user = s.ram_user(None).await?;
    let wrong = Creds::new(user.id.clone(), "wrong-secret");
    Request::get("order", Some("k"))
        .v4(&wrong)
        .send(&s)
        .await?
        .assert_error(403, "SignatureDoesNotMatch");
    let skewed = OffsetDateTime::now_utc() - Duration::minutes(20);
    Request::get("order", Some("k"))
        .signed_at(skewed)
        .v1(&user)
        .send(&s)
        .await?
        .assert_error(403, "RequestTimeTooSkewed");
    let past = OffsetDateTime::now_utc().unix_timestamp() - 60;
    Request::get("order", Some("k"))
        .presign_v1(&user, past)
        .send(&s)
        .await?
        .assert_error(403, "AccessDenied")
        .assert_message("Request has expired.");
    // Valid credentials: now authorization refuses.
    let r = Request::get("order", Some("k")).v4(&user).send(&s).await?;
    r.assert_error(403, "AccessDenied");
    assert_ne!(r.message().as_deref(), Some("Request has expired."));
    Ok(())
}

#[tokio::test]
async fn referer_rules_apply_before_authorization_to_anonymous_and_url_requests()
-> anyhow::Result<()> {
    const DENIED: &str = "You are denied by bucket referer policy.";
    let s = Server::start().await?;
    s.create_bucket("refpub", Some("public-read")).await?;
    s.create_bucket("refpriv", None).await?;
    let config = "<RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer>\
                  <RefererList><Referer>http://*.good.com/*</Referer></RefererList>\
                  </RefererConfiguration>";
    for bucket in ["refpub", "refpriv"] {
        s.put_object(bucket, "k", b"v", &[]).await?;
        Request::put(bucket, None)
            .sub("referer")
            .body(config)
            .v4(&s.root)
            .send(&s)
            .await?
            .ok()?;
    }
    let good = "http://www.good.com/page";
    // Public-read: the referer alone decides.
    Request::get("refpub", Some("k"))
        .header("referer", "http://evil.com/")
        .send(&s)
        .await?
        .assert_error(403, "AccessDenied")
        .assert_message(DENIED);
    Request::get("refpub", Some("k"))
        .header("referer", good)
        .send(&s)
        .await?
        .assert_status(200);
    // Private: a bad referer is refused for the referer before authorization is asked.
    Request::get("refpriv", Some("k"))
        .header("referer", "http://evil.com/")
        .send(&s)
        .await?
        .assert_error(403, "AccessDenied")
        .assert_message(DENIED);
    let r = Request::get("refpriv", Some("k"))
        .header("referer", good)
        .send(&s)
        .await?;
    r.assert_error(403, "AccessDenied");
    assert_ne!(r.message().as_deref(), Some(DENIED));
    // A signed URL is subject to the rules; a header signature is not.
    let later = OffsetDateTime::now_utc().unix_timestamp() + 600;
    Request::get("refpriv", Some("k"))
        .presign_v1(&s.root, later)
        .header("referer", "http://evil.com/")
        .send(&s)
        .await?
        .assert_error(403, "AccessDenied")
        .assert_message(DENIED);
    Request::get("refpriv", Some("k"))
        .header("referer", "http://evil.com/")
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_status(200);
    Ok(())
}

#[tokio::test]
async fn content_md5_is_checked_after_authorization() -> anyhow::Result<()> {
    let s = server().await?;
    let wrong_md5 = content_md5(b"something else");
    // Anonymous on a private bucket: AccessDenied, whatever the digest.
    Request::put("order", Some("w"))
        .header("content-md5", &wrong_md5)
        .body(&b"abc"[..])
        .send(&s)
        .await?
        .assert_error(403, "AccessDenied");
    // The root: a digest that is not Base64 MD5, then one of other bytes.
    Request::put("order", Some("w"))
        .header("content-md5", "not-base64!!")
        .body(&b"abc"[..])
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(400, "InvalidDigest")
        .assert_message("The Content-MD5 you specified was invalid.");
    Request::put("order", Some("w"))
        .header("content-md5", &wrong_md5)
        .body(&b"abc"[..])
        .v1(&s.root)
        .send(&s)
        .await?
        .assert_error(400, "InvalidDigest");
    Request::head("order", Some("w"))
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_head_error(404, "NoSuchKey");
    Request::put("order", Some("w"))
        .header("content-md5", &content_md5(b"abc"))
        .body(&b"abc"[..])
        .v1(&s.root)
        .send(&s)
        .await?
        .assert_status(200);
    Ok(())
}
