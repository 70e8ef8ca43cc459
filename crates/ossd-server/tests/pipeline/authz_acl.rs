//! Anonymous callers against private, public-read and public-read-write buckets: reads,
//! writes and management operations, and object ACLs that override the bucket's.

use crate::support::{Request, Server};

/// Buckets `priv`, `pubr` and `pubrw` with the matching ACLs, each holding `k`.
async fn server() -> anyhow::Result<Server> {
    let s = Server::start().await?;
    for (bucket, acl) in [
        ("priv", "private"),
        ("pubr", "public-read"),
        ("pubrw", "public-read-write"),
    ] {
        s.create_bucket(bucket, Some(acl)).await?;
        s.put_object(bucket, "k", b"v", &[]).await?;
    }
    Ok(s)
}

/// The status of each request on `priv`, `pubr` and `pubrw`, in that order.
async fn statuses(s: &Server, make: impl Fn(&str) -> Request) -> anyhow::Result<[u16; 3]> {
    let mut out = [0; 3];
    for (i, bucket) in ["priv", "pubr", "pubrw"].into_iter().enumerate() {
        let r = make(bucket).send(s).await?;
        if !r.status.is_success() {
            r.assert_error(r.code_num(), "AccessDenied");
        }
        out[i] = r.code_num();
    }
    Ok(out)
}

#[tokio::test]
async fn anonymous_reads_follow_the_bucket_acl() -> anyhow::Result<()> {
    let s = server().await?;
    let get = |b: &str| Request::get(b, Some("k"));
    assert_eq!(statuses(&s, get).await?, [403, 200, 200]);
    let r = get("priv").send(&s).await?;
    r.assert_error(403, "AccessDenied")
        .assert_message("You have no right to access this object because of bucket acl.")
        .assert_field("AuthAction", "oss:GetObject")
        .assert_field("AuthPrincipalType", "Anonymous");
    let head = |b: &str| Request::head(b, Some("k"));
    assert_eq!(statuses(&s, head).await?, [403, 200, 200]);
    let list = |b: &str| Request::get(b, None);
    assert_eq!(statuses(&s, list).await?, [403, 200, 200]);
    let list_v2 = |b: &str| Request::get(b, None).query("list-type", "2");
    assert_eq!(statuses(&s, list_v2).await?, [403, 200, 200]);
    Ok(())
}

#[tokio::test]
async fn anonymous_writes_need_public_read_write() -> anyhow::Result<()> {
    let s = server().await?;
    let put = |b: &str| Request::put(b, Some("new")).body(&b"x"[..]);
    assert_eq!(statuses(&s, put).await?, [403, 403, 200]);
    let delete = |b: &str| Request::delete(b, Some("k"));
    assert_eq!(statuses(&s, delete).await?, [403, 403, 204]);
    let append = |b: &str| {
        Request::post(b, Some("app"))
            .sub("append")
            .query("position", "0")
            .body(&b"x"[..])
    };
    assert_eq!(statuses(&s, append).await?, [403, 403, 200]);
    let initiate = |b: &str| Request::post(b, Some("mp")).sub("uploads");
    assert_eq!(statuses(&s, initiate).await?, [403, 403, 200]);
    Ok(())
}

#[tokio::test]
async fn anonymous_management_operations_are_refused_on_every_bucket() -> anyhow::Result<()> {
    let s = server().await?;
    let get_acl = |b: &str| Request::get(b, None).sub("acl");
    assert_eq!(statuses(&s, get_acl).await?, [403, 403, 403]);
    let put_acl = |b: &str| {
        Request::put(b, None)
            .sub("acl")
            .header("x-oss-acl", "public-read-write")
    };
    assert_eq!(statuses(&s, put_acl).await?, [403, 403, 403]);
    let get_object_acl = |b: &str| Request::get(b, Some("k")).sub("acl");
    assert_eq!(statuses(&s, get_object_acl).await?, [403, 403, 403]);
    let put_object_acl = |b: &str| {
        Request::put(b, Some("k"))
            .sub("acl")
            .header("x-oss-object-acl", "public-read")
    };
    assert_eq!(statuses(&s, put_object_acl).await?, [403, 403, 403]);
    let tagging = |b: &str| Request::get(b, Some("k")).sub("tagging");
    assert_eq!(statuses(&s, tagging).await?, [403, 403, 403]);
    let delete_bucket = |b: &str| Request::delete(b, None);
    assert_eq!(statuses(&s, delete_bucket).await?, [403, 403, 403]);
    let bucket_info = |b: &str| Request::get(b, None).sub("bucketInfo");
    assert_eq!(statuses(&s, bucket_info).await?, [403, 403, 403]);
    // The ACLs are what they were.
    let r = Request::get("priv", None)
        .sub("acl")
        .v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(r.xml("Grant").as_deref(), Some("private"));
    Ok(())
}

#[tokio::test]
async fn object_acls_override_the_bucket_acl() -> anyhow::Result<()> {
    let s = server().await?;
    // public object ACLs in the private bucket (docs/protocol/buckets.md#new-bucket-defaults)
    s.allow_public_access("priv").await?;
    s.put_object("priv", "open", b"o", &[("x-oss-object-acl", "public-read")])
        .await?;
    s.put_object("pubr", "closed", b"c", &[("x-oss-object-acl", "private")])
        .await?;
    s.put_object(
        "priv",
        "rw",
        b"w",
        &[("x-oss-object-acl", "public-read-write")],
    )
    .await?;
    Request::get("priv", Some("open"))
        .send(&s)
        .await?
        .assert_status(200);
    Request::get("pubr", Some("closed"))
        .send(&s)
        .await?
        .assert_error(403, "AccessDenied");
    Request::head("pubr", Some("closed"))
        .send(&s)
        .await?
        .assert_head_error(403, "AccessDenied");
    Request::put("priv", Some("rw"))
        .body(&b"new"[..])
        .send(&s)
        .await?
        .assert_status(200);
    // Listing stays governed by the bucket ACL.
    Request::get("priv", None)
        .send(&s)
        .await?
        .assert_error(403, "AccessDenied");
    Ok(())
}

#[tokio::test]
async fn the_root_may_do_everything() -> anyhow::Result<()> {
    let s = server().await?;
    let root = s.root.clone();
    for req in [
        Request::get("priv", Some("k")),
        Request::get("priv", None).sub("acl"),
        Request::get("priv", Some("k")).sub("acl"),
        Request::get("priv", Some("k")).sub("tagging"),
        Request::get("priv", None).sub("bucketInfo"),
        Request::put("priv", None)
            .sub("acl")
            .header("x-oss-acl", "private"),
    ] {
        req.v4(&root).send(&s).await?.assert_status(200);
    }
    Request::delete("priv", Some("k"))
        .v1(&root)
        .send(&s)
        .await?
        .assert_status(204);
    Ok(())
}
