//! Second objects that do not exist (docs/security.md, "Order of checks", step 5): a copy source
//! (CopyObject, UploadPartCopy), a symlink's target (GET, HEAD, a copied link, a watermark that
//! is a link) and a watermark are authorized as reads before the caller is told that they are
//! missing. An anonymous caller, a RAM user allowed a few keys and an STS session limited to
//! `alice/*` get 403 `AccessDenied` for a missing object they may not read, and the 404 only for
//! one they may read.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::authz_identities::{BUCKET, alice_session, allow, expect, server};
use crate::support::{Creds, Request, Server};

/// A public-read-write bucket: anonymous callers may write it and read its missing keys.
const OPEN: &str = "idbopen";

/// The identities fixture plus dangling links: in `idb`, `alice/dangling` → `bob/missing`,
/// `alice/dangling-ok` → `alice/missing`, `alice/loop` → `onelink` (itself a link),
/// `onedangling` → `bob/missing`, `onedangling-ok` → `gone`, public-read `pub` (an object)
/// and `pubdangling` → `bob/missing`; bucket `idbopen` with `dangling` → `missing`.
async fn world() -> anyhow::Result<Server> {
    let s = server().await?;
    s.create_bucket(OPEN, Some("public-read-write")).await?;
    // public-read objects below (docs/protocol/buckets.md#new-bucket-defaults)
    s.allow_public_access(BUCKET).await?;
    s.put_object(
        BUCKET,
        "pub",
        b"pub",
        &[("x-oss-object-acl", "public-read")],
    )
    .await?;
    s.put_object(OPEN, "pic", b"pic", &[]).await?;
    let links = [
        (BUCKET, "alice/dangling", "bob/missing", None),
        (BUCKET, "alice/dangling-ok", "alice/missing", None),
        (BUCKET, "alice/loop", "onelink", None),
        (BUCKET, "onedangling", "bob/missing", None),
        (BUCKET, "onedangling-ok", "gone", None),
        (BUCKET, "pubdangling", "bob/missing", Some("public-read")),
        (OPEN, "dangling", "missing", None),
    ];
    for (bucket, link, target, acl) in links {
        let mut req = Request::put(bucket, Some(link))
            .sub("symlink")
            .header("x-oss-symlink-target", target);
        if let Some(acl) = acl {
            req = req.header("x-oss-object-acl", acl);
        }
        req.v4(&s.root).send(&s).await?.ok()?;
    }
    Ok(s)
}

/// A RAM user allowed to read `one`, `gone` and the `onedangling*` links, and to write `copy`.
async fn one_object_user(s: &Server) -> anyhow::Result<Creds> {
    let mut policy = allow(
        &["oss:GetObject"],
        &["one", "gone", "onedangling", "onedangling-ok"],
    );
    let write = allow(&["oss:PutObject"], &["copy"]);
    if let (Some(statements), Some(more)) = (
        policy["Statement"].as_array_mut(),
        write["Statement"].as_array(),
    ) {
        statements.extend(more.iter().cloned());
    }
    s.ram_user(Some(&policy)).await
}

/// The STS session allowed to read (any version of) and write `alice/*`.
async fn alice(s: &Server) -> anyhow::Result<Creds> {
    let session = ["oss:GetObject", "oss:GetObjectVersion", "oss:PutObject"];
    alice_session(s, &["oss:*"], &session).await
}

/// A well-formed version id that names no version.
const NO_VERSION: &str = "0123456789abcdef0123456789abcdef";

/// `x-oss-copy-source` of `key` in `bucket`.
fn source(bucket: &str, key: &str) -> String {
    format!("/{bucket}/{key}")
}

/// Signs `req` with `creds`, or leaves it anonymous.
fn sign(req: Request, creds: Option<&Creds>) -> Request {
    match creds {
        Some(c) => req.v4(c),
        None => req,
    }
}

/// CopyObject onto `bucket`/`key` from `src`, by `creds` (anonymous when `None`).
fn copy(bucket: &str, key: &str, src: &str, creds: Option<&Creds>) -> Request {
    sign(
        Request::put(bucket, Some(key)).header("x-oss-copy-source", src),
        creds,
    )
}

#[tokio::test]
async fn a_missing_copy_source_is_told_only_to_a_caller_who_may_read_it() -> anyhow::Result<()> {
    let s = world().await?;
    let sts = alice(&s).await?;
    let one = one_object_user(&s).await?;
    // (destination bucket, key, caller, unreadable sources, readable missing sources)
    // (destination bucket and key, caller, unreadable sources in `idb`, a readable missing one)
    let cases = [
        (
            OPEN,
            "copy",
            None,
            vec!["bob/missing", "pubdangling"],
            source(OPEN, "missing"),
        ),
        (
            BUCKET,
            "copy",
            Some(&one),
            vec!["bob/missing", "onedangling"],
            source(BUCKET, "gone"),
        ),
        (
            BUCKET,
            "alice/copy",
            Some(&sts),
            vec!["bob/missing", "alice/dangling", "alice/loop"],
            source(BUCKET, "alice/missing"),
        ),
    ];
    for (bucket, key, creds, refused, missing) in cases {
        for src in refused {
            expect(&s, copy(bucket, key, &source(BUCKET, src), creds), 403).await?;
        }
        copy(bucket, key, &missing, creds)
            .send(&s)
            .await?
            .assert_error(404, "NoSuchKey");
    }
    // A named version is authorized as GetObjectVersion before it is looked up.
    let versioned = |key: &str| format!("{}?versionId={NO_VERSION}", source(BUCKET, key));
    expect(
        &s,
        copy(BUCKET, "alice/copy", &versioned("bob/secret"), Some(&sts)),
        403,
    )
    .await?;
    copy(BUCKET, "alice/copy", &versioned("alice/x"), Some(&sts))
        .send(&s)
        .await?
        .assert_error(404, "NoSuchVersion");
    // A copied link whose target the caller may read but which is missing.
    copy(
        BUCKET,
        "alice/copy",
        &source(BUCKET, "alice/dangling-ok"),
        Some(&sts),
    )
    .send(&s)
    .await?
    .assert_error(404, "SymlinkTargetNotExist");
    // The root is told.
    copy(BUCKET, "c", &source(BUCKET, "bob/missing"), Some(&s.root))
        .send(&s)
        .await?
        .assert_error(404, "NoSuchKey");
    copy(
        BUCKET,
        "c",
        &source(BUCKET, "alice/dangling"),
        Some(&s.root),
    )
    .send(&s)
    .await?
    .assert_error(404, "SymlinkTargetNotExist");
    Ok(())
}

/// Initiates a multipart upload of `bucket`/`key` as root; returns its id.
async fn initiate(s: &Server, bucket: &str, key: &str) -> anyhow::Result<String> {
    let r = Request::post(bucket, Some(key))
        .sub("uploads")
        .v4(&s.root)
        .send(s)
        .await?;
    r.ok()?;
    r.xml("UploadId")
        .ok_or_else(|| anyhow::anyhow!("no UploadId: {}", r.text()))
}

#[tokio::test]
async fn a_missing_upload_part_copy_source_is_told_only_to_a_caller_who_may_read_it()
-> anyhow::Result<()> {
    let s = world().await?;
    let sts = alice(&s).await?;
    let one = one_object_user(&s).await?;
    let cases = [
        (OPEN, "mp", None, "bob/missing", source(OPEN, "missing")),
        (
            BUCKET,
            "copy",
            Some(&one),
            "onedangling",
            source(BUCKET, "gone"),
        ),
        (
            BUCKET,
            "alice/mp",
            Some(&sts),
            "alice/dangling",
            source(BUCKET, "alice/missing"),
        ),
    ];
    for (bucket, key, creds, refused, missing) in cases {
        let upload = initiate(&s, bucket, key).await?;
        let part = |src: &str| {
            sign(
                Request::put(bucket, Some(key))
                    .query("partNumber", "1")
                    .query("uploadId", &upload)
                    .header("x-oss-copy-source", src),
                creds,
            )
        };
        expect(&s, part(&source(BUCKET, "bob/missing")), 403).await?;
        expect(&s, part(&source(BUCKET, refused)), 403).await?;
        part(&missing)
            .send(&s)
            .await?
            .assert_error(404, "NoSuchKey");
    }
    Ok(())
}

#[tokio::test]
async fn a_missing_symlink_target_is_told_only_to_a_caller_who_may_read_it() -> anyhow::Result<()> {
    let s = world().await?;
    let sts = alice(&s).await?;
    let one = one_object_user(&s).await?;
    // (bucket, caller, links to unreadable targets, a link to a readable missing target)
    let cases = [
        (BUCKET, None, vec!["pubdangling"], None),
        (OPEN, None, vec![], Some("dangling")),
        (
            BUCKET,
            Some(&one),
            vec!["onedangling"],
            Some("onedangling-ok"),
        ),
        (
            BUCKET,
            Some(&sts),
            vec!["alice/dangling", "alice/loop"],
            Some("alice/dangling-ok"),
        ),
    ];
    for (bucket, creds, refused, missing) in cases {
        for link in refused {
            expect(&s, sign(Request::get(bucket, Some(link)), creds), 403).await?;
            expect(&s, sign(Request::head(bucket, Some(link)), creds), 403).await?;
        }
        if let Some(link) = missing {
            sign(Request::get(bucket, Some(link)), creds)
                .send(&s)
                .await?
                .assert_error(404, "SymlinkTargetNotExist");
            sign(Request::head(bucket, Some(link)), creds)
                .send(&s)
                .await?
                .assert_head_error(404, "SymlinkTargetNotExist");
        }
    }
    // The root is told; a link to a link is InvalidTargetType.
    let get = |key: &str| Request::get(BUCKET, Some(key)).v4(&s.root);
    get("alice/dangling")
        .send(&s)
        .await?
        .assert_error(404, "SymlinkTargetNotExist");
    get("alice/loop")
        .send(&s)
        .await?
        .assert_error(400, "InvalidTargetType");
    Ok(())
}

/// `x-oss-process` drawing `key` as an image watermark.
fn mark(key: &str) -> String {
    let encoded = URL_SAFE_NO_PAD.encode(key);
    format!("image/watermark,image_{encoded},g_nw,x_0,y_0")
}

#[tokio::test]
async fn a_missing_watermark_is_told_only_to_a_caller_who_may_read_it() -> anyhow::Result<()> {
    let s = world().await?;
    let sts = alice(&s).await?;
    let one = one_object_user(&s).await?;
    // (bucket, source, caller, unreadable marks, readable missing marks)
    let cases = [
        (
            BUCKET,
            "pub",
            None,
            vec!["bob/missing", "pubdangling"],
            vec![],
        ),
        (OPEN, "pic", None, vec![], vec!["missing", "dangling"]),
        (
            BUCKET,
            "one",
            Some(&one),
            vec!["bob/missing", "onedangling"],
            vec!["gone", "onedangling-ok"],
        ),
        (
            BUCKET,
            "alice/x",
            Some(&sts),
            vec!["bob/missing", "alice/dangling", "alice/loop"],
            vec!["alice/missing", "alice/dangling-ok"],
        ),
    ];
    for (bucket, key, creds, refused, missing) in cases {
        let processed = |m: &str| {
            sign(
                Request::get(bucket, Some(key)).query("x-oss-process", &mark(m)),
                creds,
            )
        };
        for m in refused {
            expect(&s, processed(m), 403).await?;
        }
        for m in missing {
            processed(m).send(&s).await?.assert_error(404, "NoSuchKey");
        }
    }
    Request::get(BUCKET, Some("alice/x"))
        .query("x-oss-process", &mark("alice/dangling"))
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(404, "NoSuchKey");
    Ok(())
}
