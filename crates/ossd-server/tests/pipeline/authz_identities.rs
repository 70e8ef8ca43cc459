//! Authorization of RAM users and STS sessions: a user allowed exactly one object, a session
//! limited to a prefix (the role's policy ∩ the session policy), and reads of a second object
//! (a symlink's target, a copy source) that are refused when that object is not allowed
//! (docs/security.md).

use serde_json::{Value, json};

use crate::support::client::content_md5;
use crate::support::{ACCOUNT_ID, Creds, Request, Server};

pub(super) const BUCKET: &str = "idb";

/// Bucket `idb` with `one`, `two`, `alice/x`, `bob/secret`, and symlinks `alice/ln` →
/// `bob/secret`, `alice/ok` → `alice/x`, `onelink` → `two`.
pub(super) async fn server() -> anyhow::Result<Server> {
    let s = Server::start().await?;
    s.create_bucket(BUCKET, None).await?;
    for key in ["one", "two", "alice/x", "bob/secret"] {
        s.put_object(BUCKET, key, key.as_bytes(), &[]).await?;
    }
    for (link, target) in [
        ("alice/ln", "bob/secret"),
        ("alice/ok", "alice/x"),
        ("onelink", "two"),
    ] {
        Request::put(BUCKET, Some(link))
            .sub("symlink")
            .header("x-oss-symlink-target", target)
            .v4(&s.root)
            .send(&s)
            .await?
            .ok()?;
    }
    Ok(s)
}

/// `Allow` of `actions` on object `keys` of the bucket.
pub(super) fn allow(actions: &[&str], keys: &[&str]) -> Value {
    let resources: Vec<String> = keys
        .iter()
        .map(|k| format!("acs:oss:*:{ACCOUNT_ID}:{BUCKET}/{k}"))
        .collect();
    json!({
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resources}],
    })
}

/// Asserts a request's status, and that a refusal is an `AccessDenied` document.
pub(super) async fn expect(s: &Server, req: Request, status: u16) -> anyhow::Result<()> {
    let r = req.send(s).await?;
    match status {
        403 if r.body.is_empty() => {
            r.assert_head_error(403, "AccessDenied");
        }
        403 => {
            r.assert_error(403, "AccessDenied");
        }
        _ => {
            r.assert_status(status);
        }
    }
    Ok(())
}

#[tokio::test]
async fn a_ram_user_allowed_one_object_reads_only_that_object() -> anyhow::Result<()> {
    let s = server().await?;
    let user = s
        .ram_user(Some(&allow(&["oss:GetObject"], &["one"])))
        .await?;
    for v4 in [true, false] {
        let sign = |r: Request| if v4 { r.v4(&user) } else { r.v1(&user) };
        expect(&s, sign(Request::get(BUCKET, Some("one"))), 200).await?;
        expect(&s, sign(Request::head(BUCKET, Some("one"))), 200).await?;
        expect(&s, sign(Request::get(BUCKET, Some("two"))), 403).await?;
        expect(&s, sign(Request::head(BUCKET, Some("two"))), 403).await?;
        let put = Request::put(BUCKET, Some("one")).body(&b"x"[..]);
        expect(&s, sign(put), 403).await?;
        expect(&s, sign(Request::get(BUCKET, None)), 403).await?;
        expect(&s, sign(Request::get(BUCKET, Some("one")).sub("acl")), 403).await?;
        expect(&s, sign(Request::delete(BUCKET, Some("one"))), 403).await?;
        expect(&s, sign(Request::get("", None)), 403).await?;
        expect(&s, sign(Request::put("newbucket", None)), 403).await?;
    }
    // A signed URL carries the same permissions.
    let later = time::OffsetDateTime::now_utc().unix_timestamp() + 600;
    let url = Request::get(BUCKET, Some("one")).presign_v1(&user, later);
    expect(&s, url, 200).await?;
    let url = Request::get(BUCKET, Some("two")).presign_v1(&user, later);
    expect(&s, url, 403).await?;
    Ok(())
}

#[tokio::test]
async fn a_user_with_no_policy_is_refused_everything() -> anyhow::Result<()> {
    let s = server().await?;
    let user = s.ram_user(None).await?;
    let r = Request::get(BUCKET, Some("one")).v4(&user).send(&s).await?;
    r.assert_error(403, "AccessDenied")
        .assert_field("AuthAction", "oss:GetObject")
        .assert_field("AuthPrincipalType", "SubUser")
        .assert_field("NoPermissionType", "ImplicitDeny")
        .assert_field("Bucket", BUCKET);
    Ok(())
}

/// A read that names a version needs `oss:GetObjectVersion`: the refusal names it in
/// `AuthAction` and in the message (docs/protocol/access-denied.md#versioned-requests); a plain
/// read keeps OSS's message.
#[tokio::test]
async fn a_versioned_read_names_get_object_version() -> anyhow::Result<()> {
    let s = server().await?;
    let user = s
        .ram_user(Some(&allow(&["oss:GetObject"], &["one"])))
        .await?;
    let version = "0123456789abcdef0123456789abcdef";
    let r = Request::get(BUCKET, Some("one"))
        .query("versionId", version)
        .v4(&user)
        .send(&s)
        .await?;
    r.assert_error(403, "AccessDenied")
        .assert_field("AuthAction", "oss:GetObjectVersion")
        .assert_message(
            "You have no right to access this object because of bucket acl. The request names \
             a versionId, so it is authorized as oss:GetObjectVersion.",
        );
    let r = Request::get(BUCKET, Some("two")).v4(&user).send(&s).await?;
    r.assert_error(403, "AccessDenied")
        .assert_field("AuthAction", "oss:GetObject")
        .assert_message("You have no right to access this object because of bucket acl.");
    Ok(())
}

/// A role allowed `role` actions on the whole bucket, assumed with a session policy allowing
/// `session` actions on `alice/*`.
pub(super) async fn alice_session(
    s: &Server,
    role: &[&str],
    session: &[&str],
) -> anyhow::Result<Creds> {
    s.sts_session(&allow(role, &["*"]), Some(&allow(session, &["alice/*"])))
        .await
}

#[tokio::test]
async fn an_sts_session_is_limited_to_its_session_policy() -> anyhow::Result<()> {
    let s = server().await?;
    let sts = alice_session(&s, &["oss:*"], &["oss:GetObject", "oss:PutObject"]).await?;
    expect(&s, Request::get(BUCKET, Some("alice/x")).v4(&sts), 200).await?;
    let put = Request::put(BUCKET, Some("alice/new")).body(&b"n"[..]);
    expect(&s, put.v1(&sts), 200).await?;
    expect(&s, Request::get(BUCKET, Some("bob/secret")).v4(&sts), 403).await?;
    Request::get(BUCKET, Some("bob/secret"))
        .v4(&sts)
        .send(&s)
        .await?
        .assert_field("AuthPrincipalType", "AssumedRoleUser")
        .assert_field("AuthAction", "oss:GetObject");
    let put = Request::put(BUCKET, Some("bob/new")).body(&b"n"[..]);
    expect(&s, put.v4(&sts), 403).await?;
    // The role allows it, the session policy does not.
    let del = Request::delete(BUCKET, Some("alice/x"));
    expect(&s, del.v4(&sts), 403).await?;
    expect(&s, Request::get(BUCKET, None).sub("acl").v4(&sts), 403).await?;
    Ok(())
}

#[tokio::test]
async fn an_sts_session_is_limited_to_its_role_policy() -> anyhow::Result<()> {
    let s = server().await?;
    // The session policy allows writes; the role does not.
    let sts = alice_session(&s, &["oss:GetObject"], &["oss:*"]).await?;
    expect(&s, Request::get(BUCKET, Some("alice/x")).v4(&sts), 200).await?;
    let put = Request::put(BUCKET, Some("alice/new")).body(&b"n"[..]);
    expect(&s, put.v4(&sts), 403).await?;
    Ok(())
}

#[tokio::test]
async fn symlink_targets_are_authorized_as_reads() -> anyhow::Result<()> {
    let s = server().await?;
    let sts = alice_session(&s, &["oss:*"], &["oss:GetObject"]).await?;
    expect(&s, Request::get(BUCKET, Some("alice/ok")).v4(&sts), 200).await?;
    expect(&s, Request::get(BUCKET, Some("alice/ln")).v4(&sts), 403).await?;
    expect(&s, Request::head(BUCKET, Some("alice/ln")).v4(&sts), 403).await?;
    // The one-object user may read the link but not its target.
    let user = s
        .ram_user(Some(&allow(&["oss:GetObject"], &["one", "onelink"])))
        .await?;
    expect(&s, Request::get(BUCKET, Some("onelink")).v4(&user), 403).await?;
    // Anonymous: a public-read link to a private target (Block Public Access off first,
    // docs/protocol/buckets.md#new-bucket-defaults).
    s.allow_public_access(BUCKET).await?;
    Request::put(BUCKET, Some("publink"))
        .sub("symlink")
        .header("x-oss-symlink-target", "bob/secret")
        .header("x-oss-object-acl", "public-read")
        .v4(&s.root)
        .send(&s)
        .await?
        .ok()?;
    expect(&s, Request::get(BUCKET, Some("publink")), 403).await?;
    // The root follows every link.
    let r = Request::get(BUCKET, Some("alice/ln"))
        .v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(&r.body[..], b"bob/secret");
    Ok(())
}

/// GET and HEAD of a symlink answer with the target's ETag and length and the link's own user
/// metadata and object type (docs/protocol/objects.md#symlinks); a caller refused the target
/// learns neither.
#[tokio::test]
async fn a_symlink_answers_with_its_targets_etag_and_its_own_metadata() -> anyhow::Result<()> {
    let s = server().await?;
    s.put_object(
        BUCKET,
        "alice/meta",
        b"hello",
        &[("x-oss-meta-who", "target")],
    )
    .await?;
    Request::put(BUCKET, Some("alice/metalink"))
        .sub("symlink")
        .header("x-oss-symlink-target", "alice/meta")
        .header("x-oss-meta-who", "link")
        .v4(&s.root)
        .send(&s)
        .await?
        .ok()?;
    // the MD5 of "hello"
    let target_etag = "\"5D41402ABC4B2A76B9719D911017C592\"";
    for head in [false, true] {
        let req = match head {
            true => Request::head(BUCKET, Some("alice/metalink")),
            false => Request::get(BUCKET, Some("alice/metalink")),
        };
        let r = req.v4(&s.root).send(&s).await?;
        r.assert_status(200);
        assert_eq!(r.header("etag"), Some(target_etag));
        assert_eq!(r.header("content-length"), Some("5"));
        assert_eq!(r.header("x-oss-meta-who"), Some("link"));
        assert_eq!(r.header("x-oss-object-type"), Some("Symlink"));
    }
    // If-None-Match on the target's ETag is 304 through the link.
    Request::get(BUCKET, Some("alice/metalink"))
        .header("if-none-match", target_etag)
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_status(304);
    // GetSymlink still describes the link itself.
    let r = Request::get(BUCKET, Some("alice/metalink"))
        .sub("symlink")
        .v4(&s.root)
        .send(&s)
        .await?;
    r.assert_status(200);
    assert_ne!(r.header("etag"), Some(target_etag));
    // A session that may read the link but not the target gets no header of the target.
    let sts = alice_session(&s, &["oss:*"], &["oss:GetObject"]).await?;
    let r = Request::head(BUCKET, Some("alice/ln"))
        .v4(&sts)
        .send(&s)
        .await?;
    r.assert_head_error(403, "AccessDenied");
    assert_eq!(r.header("etag"), None);
    assert_eq!(r.header("x-oss-object-type"), None);
    Ok(())
}

#[tokio::test]
async fn copy_sources_are_authorized_as_reads() -> anyhow::Result<()> {
    let s = server().await?;
    let sts = alice_session(&s, &["oss:*"], &["oss:GetObject", "oss:PutObject"]).await?;
    let copy = |source: &str| {
        Request::put(BUCKET, Some("alice/copy"))
            .header("x-oss-copy-source", &format!("/{BUCKET}/{source}"))
            .v4(&sts)
    };
    expect(&s, copy("alice/x"), 200).await?;
    expect(&s, copy("bob/secret"), 403).await?;
    let r = Request::get(BUCKET, Some("alice/copy"))
        .v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(&r.body[..], b"alice/x");
    // The root is told that a source does not exist.
    Request::put(BUCKET, Some("c"))
        .header("x-oss-copy-source", &format!("/{BUCKET}/bob/missing"))
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(404, "NoSuchKey");
    Ok(())
}

/// `Allow` of `actions` on bucket `name` itself.
fn allow_bucket(actions: &[&str], name: &str) -> Value {
    json!({
        "Version": "1",
        "Statement": [{
            "Effect": "Allow",
            "Action": actions,
            "Resource": [format!("acs:oss:*:{ACCOUNT_ID}:{name}")],
        }],
    })
}

#[tokio::test]
async fn a_put_bucket_acl_that_creates_its_bucket_is_authorized_as_put_bucket() -> anyhow::Result<()>
{
    let s = Server::start().await?;
    // A private ACL: a public one would be refused (403) for Block Public Access alone, which a
    // new bucket has on (docs/protocol/buckets.md#new-bucket-defaults).
    let put_acl = |bucket: &str| {
        Request::put(bucket, None)
            .sub("acl")
            .header("x-oss-acl", "private")
    };
    let acl_only = s
        .ram_user(Some(&allow_bucket(&["oss:PutBucketAcl"], "newb")))
        .await?;
    expect(&s, put_acl("newb").v4(&acl_only), 403).await?;
    Request::get("newb", None)
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(404, "NoSuchBucket");
    // Allowed PutBucket on every bucket of the account.
    let creator = s
        .ram_user(Some(&allow_bucket(&["oss:PutBucket"], "*")))
        .await?;
    expect(&s, put_acl("newb").v4(&creator), 200).await?;
    let r = Request::get("newb", None)
        .sub("acl")
        .v4(&s.root)
        .send(&s)
        .await?;
    assert_eq!(r.xml("Grant").as_deref(), Some("private"));
    // Without `x-oss-acl` there is nothing to create the bucket with.
    Request::put("other", None)
        .sub("acl")
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(400, "MissingArgument")
        .assert_message("Missing x-oss-acl header.");
    Ok(())
}

/// `crates/ossd-policy/ACTIONS.md`: PutBucket's resource is the bucket
/// (`acs:oss:*:<account>:<bucket>`), also for a bucket that does not exist yet.
#[tokio::test]
async fn a_user_allowed_put_bucket_on_one_name_may_create_that_bucket() -> anyhow::Result<()> {
    let s = Server::start().await?;
    let creator = s
        .ram_user(Some(&allow_bucket(&["oss:PutBucket"], "mine")))
        .await?;
    expect(&s, Request::put("mine", None).v4(&creator), 200).await?;
    let r = Request::put("theirs", None).v4(&creator).send(&s).await?;
    r.assert_error(403, "AccessDenied")
        .assert_field("AuthAction", "oss:PutBucket")
        .assert_field("NoPermissionType", "ImplicitDeny")
        .assert_field("Bucket", "theirs");
    Request::get("theirs", None)
        .v4(&s.root)
        .send(&s)
        .await?
        .assert_error(404, "NoSuchBucket");
    // A PutBucketAcl that creates its bucket is authorized the same way.
    let put_acl = |bucket: &str| {
        Request::put(bucket, None)
            .sub("acl")
            .header("x-oss-acl", "private")
            .v4(&creator)
    };
    expect(&s, put_acl("theirs"), 403).await?;
    let acl_creator = s
        .ram_user(Some(&allow_bucket(&["oss:PutBucket"], "byacl")))
        .await?;
    let by_acl = Request::put("byacl", None)
        .sub("acl")
        .header("x-oss-acl", "private")
        .v4(&acl_creator);
    expect(&s, by_acl, 200).await?;
    // The bucket exists now: PutBucketAcl is itself, and PutBucket alone does not allow it.
    let again = Request::put("byacl", None)
        .sub("acl")
        .header("x-oss-acl", "public-read")
        .v4(&acl_creator);
    expect(&s, again, 403).await?;
    Ok(())
}

/// `Allow` of `oss:ListObjects` on the bucket for keys under `prefix` (`oss:Prefix`), for
/// `principal` when given (a bucket policy), else for the policy's holder.
fn allow_listing(prefix: &str, principal: Option<&str>) -> Value {
    let mut statement = json!({
        "Effect": "Allow",
        "Action": ["oss:ListObjects"],
        "Resource": [format!("acs:oss:*:{ACCOUNT_ID}:{BUCKET}")],
        "Condition": {"StringLike": {"oss:Prefix": [prefix]}},
    });
    if let Some(p) = principal {
        statement["Principal"] = json!([p]);
    }
    json!({"Version": "1", "Statement": [statement]})
}

/// The status of an S3 GET and HEAD of `key` signed by `creds` (anonymous when `None`).
async fn s3_read(s: &Server, key: &str, creds: Option<&Creds>) -> anyhow::Result<(u16, u16)> {
    let mut out = [0; 2];
    for (i, req) in [
        Request::get(BUCKET, Some(key)),
        Request::head(BUCKET, Some(key)),
    ]
    .into_iter()
    .enumerate()
    {
        let r = match creds {
            Some(c) => req.aws_v4(c).send(s).await?,
            None => req.send_s3(s).await?,
        };
        if r.code_num() == 404 && i == 0 {
            assert_eq!(r.code().as_deref(), Some("NoSuchKey"), "{r:?}");
        }
        out[i] = r.code_num();
    }
    Ok((out[0], out[1]))
}

/// S3 answers a GET or HEAD of a missing key with 404 only to a caller who may list that key
/// (`s3:ListBucket` with `s3:prefix` = the key), else 403; a key that exists but may not be
/// read stays 403, and the OSS dialect keeps its 403 (S3 API reference, GetObject,
/// "Permissions"; docs/s3.md).
#[tokio::test]
async fn s3_missing_keys_are_404_only_for_callers_who_may_list_them() -> anyhow::Result<()> {
    let s = server().await?;
    // Anonymous: nothing to list, then a bucket policy letting anyone list `alice/`.
    assert_eq!(s3_read(&s, "alice/nope", None).await?, (403, 403));
    s.allow_public_access(BUCKET).await?;
    Request::put(BUCKET, None)
        .sub("policy")
        .body(allow_listing("alice/*", Some("*")).to_string())
        .v4(&s.root)
        .send(&s)
        .await?
        .ok()?;
    assert_eq!(s3_read(&s, "alice/nope", None).await?, (404, 404));
    assert_eq!(s3_read(&s, "bob/nope", None).await?, (403, 403));
    assert_eq!(s3_read(&s, "alice/x", None).await?, (403, 403));
    expect(&s, Request::get(BUCKET, Some("alice/nope")), 403).await?;
    Request::delete(BUCKET, None)
        .sub("policy")
        .v4(&s.root)
        .send(&s)
        .await?
        .ok()?;

    // A RAM user allowed one object: no listing, so a missing key is 403.
    let user = s
        .ram_user(Some(&allow(&["oss:GetObject"], &["one"])))
        .await?;
    assert_eq!(s3_read(&s, "one", Some(&user)).await?, (200, 200));
    assert_eq!(s3_read(&s, "missing", Some(&user)).await?, (403, 403));
    assert_eq!(s3_read(&s, "two", Some(&user)).await?, (403, 403));
    // The same object right plus listing the whole bucket: a missing key is 404.
    let lister = s.ram_user(Some(&allow_listing("*", None))).await?;
    assert_eq!(s3_read(&s, "missing", Some(&lister)).await?, (404, 404));
    assert_eq!(s3_read(&s, "two", Some(&lister)).await?, (403, 403));
    expect(&s, Request::get(BUCKET, Some("missing")).v4(&lister), 403).await?;

    // An STS session whose session policy lists and reads `alice/` only: the role allows
    // everything, the session does not.
    let mut session = allow(&["oss:GetObject"], &["alice/*"]);
    if let (Some(statements), Some(listing)) = (
        session["Statement"].as_array_mut(),
        allow_listing("alice/*", None)["Statement"].get(0).cloned(),
    ) {
        statements.push(listing);
    }
    let sts = s
        .sts_session(&allow(&["oss:*"], &["*"]), Some(&session))
        .await?;
    assert_eq!(s3_read(&s, "alice/x", Some(&sts)).await?, (200, 200));
    assert_eq!(s3_read(&s, "alice/nope", Some(&sts)).await?, (404, 404));
    assert_eq!(s3_read(&s, "bob/nope", Some(&sts)).await?, (403, 403));
    assert_eq!(s3_read(&s, "bob/secret", Some(&sts)).await?, (403, 403));
    Ok(())
}

/// DeleteMultipleObjects authorizes every key (crates/ossd-policy/ACTIONS.md, "one check per
/// key"): a user allowed to delete in the bucket except under `bob/` cannot delete `bob/secret`
/// by naming it in a batch, and a refused batch deletes nothing; the same batch without it does.
#[tokio::test]
async fn a_batch_delete_authorizes_every_key() -> anyhow::Result<()> {
    let s = server().await?;
    let bucket = format!("acs:oss:*:{ACCOUNT_ID}:{BUCKET}");
    let policy = json!({
        "Version": "1",
        "Statement": [
            {"Effect": "Allow", "Action": ["oss:DeleteObject"], "Resource": [&bucket, format!("{bucket}/*")]},
            {"Effect": "Deny", "Action": ["oss:DeleteObject"], "Resource": [format!("{bucket}/bob/*")]},
        ],
    });
    let user = s.ram_user(Some(&policy)).await?;
    let batch = |keys: &[&str]| {
        let objects: String = keys
            .iter()
            .map(|k| format!("<Object><Key>{k}</Key></Object>"))
            .collect();
        let body = format!("<Delete><Quiet>false</Quiet>{objects}</Delete>");
        Request::post(BUCKET, None)
            .sub("delete")
            .header("content-md5", &content_md5(body.as_bytes()))
            .body(body)
            .v4(&user)
    };
    expect(&s, batch(&["alice/x", "bob/secret"]), 403).await?;
    for key in ["alice/x", "bob/secret"] {
        expect(&s, Request::head(BUCKET, Some(key)).v4(&s.root), 200).await?;
    }
    expect(&s, batch(&["alice/x", "one"]), 200).await?;
    expect(&s, Request::head(BUCKET, Some("alice/x")).v4(&s.root), 404).await?;
    Ok(())
}
