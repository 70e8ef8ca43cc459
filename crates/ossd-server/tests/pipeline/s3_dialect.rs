//! The S3 dialect (docs/s3.md): anonymous requests on the S3 listener are answered in S3's
//! form — S3 error documents and codes, `x-amz-*` headers and no `x-oss-*` ones, the S3
//! namespace, lowercase ETags and S3 storage classes — over the same objects the OSS dialect
//! serves.

use crate::support::{Reply, Request, Server};

/// A server with public-read bucket `pub` holding `k` = `hello` with user metadata.
async fn server() -> anyhow::Result<Server> {
    let s = Server::start().await?;
    s.create_bucket("pub", Some("public-read")).await?;
    s.put_object("pub", "k", b"hello", &[("x-oss-meta-color", "blue")])
        .await?;
    Ok(s)
}

/// No header of the OSS dialect leaks into an S3 response; the request id is S3's.
#[track_caller]
fn assert_s3_headers(r: &Reply) {
    let oss: Vec<&str> = r
        .headers
        .keys()
        .map(http::HeaderName::as_str)
        .filter(|n| n.starts_with("x-oss-"))
        .collect();
    assert!(oss.is_empty(), "OSS headers in an S3 response: {oss:?}");
    assert!(r.header("x-amz-request-id").is_some(), "{r:?}");
    assert!(r.header("x-amz-id-2").is_some(), "{r:?}");
}

#[tokio::test]
async fn errors_are_s3_documents() -> anyhow::Result<()> {
    let s = server().await?;
    let r = Request::get("nosuch", Some("k")).send_s3(&s).await?;
    assert_eq!(r.code_num(), 404);
    assert_eq!(r.code().as_deref(), Some("NoSuchBucket"));
    let doc = r.error_doc().unwrap_or_default();
    assert!(
        !doc.contains("<EC>") && !doc.contains("RecommendDoc"),
        "{doc}"
    );
    assert_eq!(
        crate::support::reply::xml_value(&doc, "RequestId").as_deref(),
        r.header("x-amz-request-id")
    );
    assert_s3_headers(&r);
    // HEAD: no body, and no x-oss-err either.
    let r = Request::head("pub", Some("nope")).send_s3(&s).await?;
    assert_eq!(r.code_num(), 404);
    assert!(r.body.is_empty());
    assert_s3_headers(&r);
    // What OSS answers in its own words has S3's code and status.
    let r = Request::get("pub", Some("k"))
        .sub("website")
        .send_s3(&s)
        .await?;
    assert_eq!(
        (r.code_num(), r.code().as_deref()),
        (501, Some("NotImplemented"))
    );
    let r = Request::get("pub", None).sub("acl").send_s3(&s).await?;
    assert_eq!(
        (r.code_num(), r.code().as_deref()),
        (403, Some("AccessDenied"))
    );
    Ok(())
}

#[tokio::test]
async fn objects_read_alike_in_both_dialects() -> anyhow::Result<()> {
    let s = server().await?;
    let oss = Request::get("pub", Some("k")).send(&s).await?;
    let s3 = Request::get("pub", Some("k")).send_s3(&s).await?;
    assert_eq!((oss.code_num(), s3.code_num()), (200, 200));
    assert_eq!(oss.body, s3.body);
    assert_eq!(s3.header("x-amz-meta-color"), Some("blue"));
    let etag = oss.header("etag").unwrap_or_default();
    assert_eq!(s3.header("etag"), Some(etag.to_ascii_lowercase().as_str()));
    assert_s3_headers(&s3);
    let r = Request::get("pub", None).send_s3(&s).await?;
    assert_eq!(r.code_num(), 200, "{r:?}");
    let doc = r.text();
    assert!(
        doc.contains(r#"<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"#),
        "{doc}"
    );
    assert!(
        doc.contains("<StorageClass>STANDARD</StorageClass>"),
        "{doc}"
    );
    assert!(
        doc.contains(&format!("<ETag>{}</ETag>", etag.to_ascii_lowercase())),
        "{doc}"
    );
    Ok(())
}

#[tokio::test]
async fn aws_signed_requests_round_trip() -> anyhow::Result<()> {
    let s = server().await?;
    let put = Request::put("pub", Some("dir/a b.txt"))
        .header("x-amz-meta-who", "s3")
        .body(&b"hello world"[..])
        .aws_v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(put.code_num(), 200, "{put:?}");
    assert_s3_headers(&put);
    assert_eq!(
        put.header("etag"),
        Some("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"")
    );
    let get = Request::get("pub", Some("dir/a b.txt"))
        .aws_v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!((get.code_num(), &get.body[..]), (200, &b"hello world"[..]));
    assert_eq!(get.header("x-amz-meta-who"), Some("s3"));
    // The same object read through OSS has the same bytes and the same (uppercase) ETag.
    let oss = Request::get("pub", Some("dir/a b.txt"))
        .v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(oss.header("x-oss-meta-who"), Some("s3"));
    assert_eq!(
        oss.header("etag"),
        Some("\"5EB63BBBE01EEED093CB22BB8F5ACDC3\"")
    );
    let wrong = crate::support::Creds::new(s.root.id.clone(), "not-the-secret");
    let r = Request::get("pub", Some("dir/a b.txt"))
        .aws_v4(&wrong)
        .send(&s)
        .await?;
    assert_eq!(
        (r.code_num(), r.code().as_deref()),
        (403, Some("SignatureDoesNotMatch"))
    );
    assert!(r.xml("CanonicalRequest").is_some(), "{r:?}");
    assert_s3_headers(&r);
    Ok(())
}

#[tokio::test]
async fn bodies_that_do_not_match_what_was_signed_store_nothing() -> anyhow::Result<()> {
    let s = server().await?;
    let r = Request::put("pub", Some("swapped"))
        .header(
            "x-amz-content-sha256",
            "0000000000000000000000000000000000000000000000000000000000000000",
        )
        .body(&b"hello world"[..])
        .aws_v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(
        (r.code_num(), r.code().as_deref()),
        (400, Some("XAmzContentSHA256Mismatch"))
    );
    let r = Request::put("pub", Some("badcrc"))
        .header("x-amz-checksum-crc32", "AAAAAA==")
        .body(&b"hello world"[..])
        .aws_v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(
        (r.code_num(), r.code().as_deref()),
        (400, Some("BadDigest"))
    );
    // aws-chunked with a CRC32 trailer, as current AWS SDKs send by default.
    let chunked = |crc: &str| {
        format!("b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:{crc}\r\n\r\n").into_bytes()
    };
    let send = |key: &'static str, crc: &str| {
        Request::put("pub", Some(key))
            .header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
            .header("content-encoding", "aws-chunked")
            .header("x-amz-decoded-content-length", "11")
            .header("x-amz-trailer", "x-amz-checksum-crc32")
            .body(chunked(crc))
            .aws_v4(&s.root)
    };
    let r = send("chunked-bad", "AAAAAA==").send(&s).await?;
    assert_eq!(
        (r.code_num(), r.code().as_deref()),
        (400, Some("BadDigest"))
    );
    let r = send("chunked", "DUoRhQ==").send(&s).await?;
    assert_eq!(r.code_num(), 200, "{r:?}");
    let got = Request::get("pub", Some("chunked"))
        .aws_v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(&got.body[..], b"hello world");
    assert_eq!(got.header("content-encoding"), None);
    for key in ["swapped", "badcrc", "chunked-bad"] {
        let r = Request::head("pub", Some(key))
            .aws_v4(&s.root)
            .send(&s)
            .await?;
        assert_eq!(r.code_num(), 404, "{key} was stored");
    }
    Ok(())
}

#[tokio::test]
async fn copies_read_the_source_as_the_caller() -> anyhow::Result<()> {
    let s = server().await?;
    s.put_object(
        "pub",
        "secret",
        b"private bytes",
        &[("x-oss-object-acl", "private")],
    )
    .await?;
    // Anonymous S3 requests may write nowhere in a public-read bucket, and may not read a
    // private source through a copy.
    let r = Request::put("pub", Some("stolen"))
        .header("x-amz-copy-source", "/pub/secret")
        .send_s3(&s)
        .await?;
    assert_eq!(
        (r.code_num(), r.code().as_deref()),
        (403, Some("AccessDenied"))
    );
    let r = Request::put("pub", Some("copy"))
        .header("x-amz-copy-source", "pub/secret")
        .aws_v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(r.code_num(), 200, "{r:?}");
    assert!(r.text().contains("<CopyObjectResult xmlns="), "{r:?}");
    Ok(())
}

/// GetBucketPolicyStatus in both dialects (docs/protocol/policy.md#public-policies): in S3 a
/// public ACL makes the bucket public, in OSS only the policy counts; V1 signs `policyStatus`.
#[tokio::test]
async fn bucket_policy_status_in_both_dialects() -> anyhow::Result<()> {
    let s = server().await?;
    let status = |r: &Reply| (r.code_num(), r.xml("IsPublic"));
    let s3 = Request::get("pub", None)
        .sub("policyStatus")
        .aws_v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(status(&s3), (200, Some("true".to_owned())), "{s3:?}");
    assert!(s3.text().contains("<PolicyStatus xmlns="), "{s3:?}");
    for oss in [
        Request::get("pub", None).sub("policyStatus").v4(&s.root),
        Request::get("pub", None).sub("policyStatus").v1(&s.root),
    ] {
        let r = oss.send(&s).await?;
        assert_eq!(status(&r), (200, Some("false".to_owned())), "{r:?}");
    }
    let policy = r#"{"Version":"1","Statement":[{"Effect":"Allow","Principal":["*"],
        "Action":["oss:GetObject"],"Resource":["acs:oss:*:*:pub/*"]}]}"#;
    Request::put("pub", None)
        .sub("policy")
        .body(policy)
        .v4(&s.root)
        .send(&s)
        .await?
        .ok()?;
    let r = Request::get("pub", None)
        .sub("policyStatus")
        .v1(&s.root)
        .send(&s)
        .await?;
    assert_eq!(status(&r), (200, Some("true".to_owned())), "{r:?}");
    // Anonymous callers may not ask, even of a public bucket.
    let r = Request::get("pub", None)
        .sub("policyStatus")
        .send(&s)
        .await?;
    r.assert_error(403, "AccessDenied");
    let r = Request::get("pub", None)
        .sub("policyStatus")
        .send_s3(&s)
        .await?;
    assert_eq!(r.code_num(), 403, "{r:?}");
    Ok(())
}

/// What a new bucket gets under the default `--bucket-defaults cloud`
/// (docs/protocol/buckets.md#new-bucket-defaults, docs/s3.md#new-bucket-defaults): Block Public
/// Access on in both dialects; through S3 also `BucketOwnerEnforced`, through OSS no ownership
/// setting.
#[tokio::test]
async fn new_buckets_get_the_cloud_defaults_in_both_dialects() -> anyhow::Result<()> {
    let s = Server::start().await?;
    Request::put("viaoss", None)
        .v4(&s.root)
        .send(&s)
        .await?
        .ok()?;
    Request::put("vias3", None)
        .aws_v4(&s.root)
        .send(&s)
        .await?
        .ok()?;
    for bucket in ["viaoss", "vias3"] {
        for sub in ["publicAccessBlock", "bucketInfo"] {
            let r = Request::get(bucket, None)
                .sub(sub)
                .v4(&s.root)
                .send(&s)
                .await?;
            assert_eq!(r.xml("BlockPublicAccess").as_deref(), Some("true"), "{r:?}");
        }
    }
    let r = Request::get("vias3", None)
        .sub("ownershipControls")
        .aws_v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(
        r.xml("ObjectOwnership").as_deref(),
        Some("BucketOwnerEnforced"),
        "{r:?}"
    );
    let r = Request::get("viaoss", None)
        .sub("ownershipControls")
        .aws_v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(r.code_num(), 404, "{r:?}");
    assert_eq!(r.code().as_deref(), Some("OwnershipControlsNotFoundError"));
    // A public ACL on the new bucket is refused until Block Public Access is turned off.
    let public_acl = |b: &str| {
        Request::put(b, None)
            .sub("acl")
            .header("x-oss-acl", "public-read")
            .v4(&s.root)
    };
    public_acl("viaoss")
        .send(&s)
        .await?
        .assert_error(403, "AccessDenied");
    s.allow_public_access("viaoss").await?;
    public_acl("viaoss").send(&s).await?.ok()
}
