"""Attack-surface matrix of authorization (docs/security.md, "One rule for reads").

Each case tries a request path as the three callers of the security suite — an anonymous caller,
a RAM user allowed a precise set of objects, and an STS session whose session policy limits it
to the prefix `alice/` (the role allows `oss:*`) — with real SDKs (oss2 for OSS, boto3 for S3)
against a real ossd, and pairs every refusal with the same request on an object the caller may
touch, which succeeds, so that the refusal is about the object and nothing else.

Paths covered here (the reads of a second object are in test_security_authz.py):

- the tag condition keys (`oss:ExistingObjectTag/<k>`, `oss:BucketTag/<k>`,
  `oss:RequestObjectTag/<k>`, docs/protocol/policy.md): a Deny conditioned on a tag must stop
  the read or write, also of a copy source;
- DeleteMultipleObjects / S3 DeleteObjects: every key is authorized (the action map's "one check
  per key"), so a Deny on some keys, a prefix-limited session or a private object in a
  public-read-write bucket is not deleted by naming it in a batch, and nothing of a refused
  batch is deleted.
"""

from __future__ import annotations

import json
import uuid

import oss2
import pytest
from botocore import UNSIGNED
from botocore.exceptions import ClientError

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer
from s3_helpers import error_code, s3_client, status
from sts_helpers import account_id, ram_user, wide_role_session

SECRET = b"classified bytes: never in a response to these callers"
PLAIN = b"plain bytes"


@pytest.fixture(scope="module")
def world():
    srv = OssdServer(extra_args=["--s3-addr", "127.0.0.1:0"]).start()
    try:
        yield _build(srv)
    finally:
        srv.stop()
        srv.cleanup()


def stmt(effect: str, action: str, resources: list[str], condition: dict | None = None) -> dict:
    """One statement of a RAM policy."""
    out = {"Effect": effect, "Action": [action], "Resource": resources}
    if condition:
        out["Condition"] = condition
    return out


def doc(*statements: dict) -> dict:
    return {"Version": "1", "Statement": list(statements)}


def _root(srv: OssdServer, name: str) -> oss2.Bucket:
    return oss2.Bucket(oss2.AuthV4(ACCESS_KEY_ID, ACCESS_KEY_SECRET), srv.endpoint, name, region=REGION)


def _build(srv: OssdServer) -> dict:
    acct = account_id(srv)
    name = f"atk-{uuid.uuid4().hex[:8]}"
    rw = f"atkrw-{uuid.uuid4().hex[:8]}"
    prod = f"atkprod-{uuid.uuid4().hex[:8]}"
    dev = f"atkdev-{uuid.uuid4().hex[:8]}"
    root, root_rw = _root(srv, name), _root(srv, rw)
    root.create_bucket()
    root_rw.create_bucket()
    for b in (prod, dev):
        _root(srv, b).create_bucket()
    for b, env in ((prod, "prod"), (dev, "dev")):
        rule = oss2.models.TaggingRule()
        rule.add("env", env)
        _root(srv, b).put_bucket_tagging(oss2.models.Tagging(rule))
    # Public grants below: Block Public Access off on these buckets, whatever the default.
    root.put_bucket_public_access_block(False)
    root_rw.put_bucket_public_access_block(False)
    root_rw.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ_WRITE)

    arn = f"acs:oss:*:{acct}:{name}"
    # The bucket policy: anyone may read pub/*, and nobody may read an object tagged secret=yes.
    root.put_bucket_policy(
        json.dumps(
            {
                "Version": "1",
                "Statement": [
                    {"Effect": "Allow", "Principal": ["*"], "Action": ["oss:GetObject"], "Resource": [f"{arn}/pub/*"]},
                    {
                        "Effect": "Deny",
                        "Principal": ["*"],
                        "Action": ["oss:GetObject"],
                        "Resource": [f"{arn}/*"],
                        "Condition": {"StringEquals": {"oss:ExistingObjectTag/secret": "yes"}},
                    },
                ],
            }
        )
    )
    tagged = {"x-oss-tagging": "secret=yes"}
    for prefix in ("pub/", "alice/", ""):
        root.put_object(f"{prefix}tagged.txt", SECRET, headers=tagged)
        root.put_object(f"{prefix}plain.txt", PLAIN)
    root.put_object("secret/s.txt", SECRET)

    # (b) RAM users: one allowed exactly two objects (one tagged secret), one allowed everything
    # in the bucket except deleting under secret/, one that may not write tagged public objects
    # nor into a bucket tagged env=prod.
    one = ram_user(
        srv,
        "atk-one",
        doc(
            stmt("Allow", "oss:GetObject", [f"{arn}/tagged.txt", f"{arn}/plain.txt"]),
            stmt("Allow", "oss:PutObject", [f"{arn}/one-copy"]),
        ),
    )
    most = ram_user(
        srv,
        "atk-most",
        doc(stmt("Allow", "oss:*", [arn, f"{arn}/*"]), stmt("Deny", "oss:DeleteObject", [f"{arn}/secret/*"])),
    )
    tagger = ram_user(
        srv,
        "atk-tagger",
        doc(
            stmt("Allow", "oss:*", ["*"]),
            stmt("Deny", "oss:PutObject", ["*"], {"StringEquals": {"oss:BucketTag/env": "prod"}}),
            dict(
                stmt("Deny", "oss:PutObject", ["*"], {"StringEquals": {"oss:RequestObjectTag/classification": "public"}}),
                Action=["oss:PutObject", "oss:PutObjectTagging"],
            ),
        ),
    )

    # (c) an STS session limited to alice/ (and listing the bucket) by its session policy.
    session_policy = {
        "Version": "1",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["oss:ListObjects", "oss:GetObject", "oss:PutObject", "oss:DeleteObject"],
                "Resource": [f"acs:oss:*:*:{name}", f"acs:oss:*:*:{name}/alice/*"],
            }
        ],
    }
    creds = wide_role_session(srv, "AtkWide", session_policy)
    sts_auth = oss2.StsAuth(creds["AccessKeyId"], creds["AccessKeySecret"], creds["SecurityToken"], auth_version="v4")

    def user(key: dict, bucket: str = name) -> oss2.Bucket:
        return oss2.Bucket(oss2.AuthV4(key["AccessKeyId"], key["AccessKeySecret"]), srv.endpoint, bucket, region=REGION)

    return {
        "srv": srv,
        "name": name,
        "rw": rw,
        "prod": prod,
        "dev": dev,
        "root": root,
        "root_rw": root_rw,
        "anon": oss2.Bucket(oss2.AnonymousAuth(), srv.endpoint, name),
        "anon_rw": oss2.Bucket(oss2.AnonymousAuth(), srv.endpoint, rw),
        "one": user(one),
        "most": user(most),
        "tagger": tagger,
        "user": user,
        "sts": oss2.Bucket(sts_auth, srv.endpoint, name, region=REGION),
        "sts_creds": creds,
        "s3_anon": s3_client(srv.s3_endpoint, signature_version=UNSIGNED),
        "s3_most": s3_client(srv.endpoint, most["AccessKeyId"], most["AccessKeySecret"]),
        "s3_sts": s3_client(srv.endpoint, creds["AccessKeyId"], creds["AccessKeySecret"], creds["SecurityToken"]),
    }


def assert_denied(fn) -> None:
    with pytest.raises(oss2.exceptions.OssError) as e:
        fn()
    assert (e.value.status, e.value.code) == (403, "AccessDenied"), e.value
    assert e.value.request_id
    assert SECRET.decode() not in str(e.value.body)


def assert_s3_denied(fn) -> None:
    with pytest.raises(ClientError) as e:
        fn()
    assert (status(e.value), error_code(e.value)) == (403, "AccessDenied"), e.value.response


def exists(bucket: oss2.Bucket, key: str) -> bool:
    return bucket.object_exists(key)


# ----- oss:ExistingObjectTag: a Deny on the object's tags -----


def test_existing_tag_deny_anonymous(world):
    w = world
    assert w["anon"].get_object("pub/plain.txt").read() == PLAIN
    assert_denied(lambda: w["anon"].get_object("pub/tagged.txt").read())
    with pytest.raises(oss2.exceptions.OssError) as e:
        w["anon"].head_object("pub/tagged.txt")
    assert e.value.status == 403
    # The S3 dialect: the same decision.
    assert w["s3_anon"].get_object(Bucket=w["name"], Key="pub/plain.txt")["Body"].read() == PLAIN
    assert_s3_denied(lambda: w["s3_anon"].get_object(Bucket=w["name"], Key="pub/tagged.txt"))


def read_and_copy(w: dict, client: oss2.Bucket, prefix: str, dest: str) -> None:
    """`client` reads `<prefix>plain.txt` and copies it to `dest`, and may do neither with
    `<prefix>tagged.txt`: the copy source is a second object read with its own tags."""
    assert client.get_object(f"{prefix}plain.txt").read() == PLAIN
    assert_denied(lambda: client.get_object(f"{prefix}tagged.txt").read())
    client.copy_object(w["name"], f"{prefix}plain.txt", dest)
    w["root"].delete_object(dest)
    assert_denied(lambda: client.copy_object(w["name"], f"{prefix}tagged.txt", dest))
    assert not exists(w["root"], dest)


def test_existing_tag_deny_one_object_user(world):
    read_and_copy(world, world["one"], "", "one-copy")


def test_existing_tag_deny_prefix_sts(world):
    w = world
    read_and_copy(w, w["sts"], "alice/", "alice/copy.txt")
    # A symlink the session may read, to a tagged target: the target's tags decide.
    w["root"].put_symlink("alice/tagged.txt", "alice/link-tagged")
    w["root"].put_symlink("alice/plain.txt", "alice/link-plain")
    assert w["sts"].get_object("alice/link-plain").read() == PLAIN
    assert_denied(lambda: w["sts"].get_object("alice/link-tagged").read())
    # boto3 with the session's credentials.
    s3 = w["s3_sts"]
    assert s3.get_object(Bucket=w["name"], Key="alice/plain.txt")["Body"].read() == PLAIN
    assert_s3_denied(lambda: s3.get_object(Bucket=w["name"], Key="alice/tagged.txt"))
    assert_s3_denied(
        lambda: s3.copy_object(Bucket=w["name"], Key="alice/copy3.txt", CopySource={"Bucket": w["name"], "Key": "alice/tagged.txt"})
    )


def test_root_is_not_exempt_from_a_tag_deny_in_the_bucket_policy(world):
    """The bucket policy's explicit Deny applies to the owner's root too (step 4 before 6,
    docs/protocol/authorization.md): with a policy, the root's reads see the tags."""
    w = world
    assert w["root"].get_object("plain.txt").read() == PLAIN
    assert_denied(lambda: w["root"].get_object("tagged.txt").read())


# ----- oss:BucketTag and oss:RequestObjectTag: Deny conditions of writes -----


def test_bucket_tag_deny(world):
    w = world
    dev, prod = w["user"](w["tagger"], w["dev"]), w["user"](w["tagger"], w["prod"])
    assert dev.put_object("k.txt", PLAIN).status == 200
    assert_denied(lambda: prod.put_object("k.txt", PLAIN))
    assert not exists(_root(w["srv"], w["prod"]), "k.txt")
    s3 = s3_client(w["srv"].endpoint, w["tagger"]["AccessKeyId"], w["tagger"]["AccessKeySecret"])
    s3.put_object(Bucket=w["dev"], Key="s3.txt", Body=PLAIN)
    assert_s3_denied(lambda: s3.put_object(Bucket=w["prod"], Key="s3.txt", Body=PLAIN))


def test_request_tag_deny(world):
    w = world
    dev = w["user"](w["tagger"], w["dev"])
    assert dev.put_object("t.txt", PLAIN, headers={"x-oss-tagging": "classification=internal"}).status == 200
    assert_denied(lambda: dev.put_object("t2.txt", PLAIN, headers={"x-oss-tagging": "classification=public"}))
    assert_denied(lambda: dev.init_multipart_upload("t3.txt", headers={"x-oss-tagging": "classification=public"}))
    assert not exists(_root(w["srv"], w["dev"]), "t2.txt")
    s3 = s3_client(w["srv"].endpoint, w["tagger"]["AccessKeyId"], w["tagger"]["AccessKeySecret"])
    assert_s3_denied(lambda: s3.put_object(Bucket=w["dev"], Key="t4.txt", Body=PLAIN, Tagging="classification=public"))
    s3.put_object(Bucket=w["dev"], Key="t5.txt", Body=PLAIN, Tagging="classification=internal")
    # Nor afterwards, through PutObjectTagging: its body's tags are the request's tags.
    rule = oss2.models.TaggingRule()
    rule.add("classification", "public")
    assert_denied(lambda: dev.put_object_tagging("t.txt", oss2.models.Tagging(rule)))
    public = {"TagSet": [{"Key": "classification", "Value": "public"}]}
    assert_s3_denied(lambda: s3.put_object_tagging(Bucket=w["dev"], Key="t5.txt", Tagging=public))
    assert _root(w["srv"], w["dev"]).get_object_tagging("t.txt").tag_set.tagging_rule == {"classification": "internal"}
    internal = {"TagSet": [{"Key": "classification", "Value": "secret"}]}
    s3.put_object_tagging(Bucket=w["dev"], Key="t5.txt", Tagging=internal)


# ----- DeleteMultipleObjects: every key authorized -----


def test_multi_delete_anonymous_public_read_write(world):
    """A private object in a public-read-write bucket is not the anonymous caller's to delete
    (its own ACL decides, as for DeleteObject), also in a batch."""
    w = world
    w["root_rw"].put_object("private.txt", SECRET, headers={"x-oss-object-acl": "private"})
    w["root_rw"].put_object("open1.txt", PLAIN)
    w["root_rw"].put_object("open2.txt", PLAIN)
    assert_denied(lambda: w["anon_rw"].delete_object("private.txt"))
    assert_denied(lambda: w["anon_rw"].batch_delete_objects(["open1.txt", "private.txt"]))
    assert exists(w["root_rw"], "private.txt") and exists(w["root_rw"], "open1.txt")
    assert w["anon_rw"].batch_delete_objects(["open1.txt"]).deleted_keys == ["open1.txt"]
    assert not exists(w["root_rw"], "open1.txt")
    # In S3 writing is the bucket's permission alone (docs/s3.md#acls): unsigned DeleteObjects on
    # the S3 listener deletes from a public-read-write bucket, as its DeleteObject does.
    s3 = s3_client(w["srv"].s3_endpoint, signature_version=UNSIGNED)
    out = s3.delete_objects(Bucket=w["rw"], Delete={"Objects": [{"Key": "open2.txt"}]})
    assert [d["Key"] for d in out["Deleted"]] == ["open2.txt"]
    assert not exists(w["root_rw"], "open2.txt")


def batch_refused(w: dict, client: oss2.Bucket, s3, allowed: str, forbidden: str) -> None:
    """`client` (and `s3`, the same caller through boto3) may delete `allowed` but not
    `forbidden`: through OSS a batch naming both is refused whole and deletes nothing; through
    S3 it deletes `allowed` and reports `forbidden` as an AccessDenied `<Error>` (also in quiet
    mode); a batch naming `allowed` alone deletes it."""
    w["root"].put_object(allowed, PLAIN)
    w["root"].put_object(forbidden, SECRET)
    assert_denied(lambda: client.delete_object(forbidden))
    assert_denied(lambda: client.batch_delete_objects([allowed, forbidden]))
    assert exists(w["root"], forbidden) and exists(w["root"], allowed)
    both = {"Objects": [{"Key": allowed}, {"Key": forbidden}]}
    out = s3.delete_objects(Bucket=w["name"], Delete=both)
    assert [d["Key"] for d in out["Deleted"]] == [allowed]
    assert [(e["Key"], e["Code"]) for e in out["Errors"]] == [(forbidden, "AccessDenied")]
    assert exists(w["root"], forbidden) and not exists(w["root"], allowed)
    w["root"].put_object(allowed, PLAIN)
    out = s3.delete_objects(Bucket=w["name"], Delete={**both, "Quiet": True})
    assert "Deleted" not in out
    assert [(e["Key"], e["Code"]) for e in out["Errors"]] == [(forbidden, "AccessDenied")]
    assert exists(w["root"], forbidden) and not exists(w["root"], allowed)
    w["root"].put_object(allowed, PLAIN)
    assert client.batch_delete_objects([allowed]).deleted_keys == [allowed]
    assert not exists(w["root"], allowed)
    w["root"].put_object(allowed, PLAIN)
    out = s3.delete_objects(Bucket=w["name"], Delete={"Objects": [{"Key": allowed}]})
    assert [d["Key"] for d in out["Deleted"]] == [allowed]
    assert not exists(w["root"], allowed) and exists(w["root"], forbidden)


def test_multi_delete_user_with_a_deny(world):
    batch_refused(world, world["most"], world["s3_most"], "alice/d1.txt", "secret/d.txt")


def test_multi_delete_prefix_sts(world):
    batch_refused(world, world["sts"], world["s3_sts"], "alice/d2.txt", "bob/d.txt")


# ----- tags set or copied by a write: oss:PutObjectTagging / oss:GetObjectTagging -----


@pytest.fixture(scope="module")
def writer(world):
    """A RAM user who may read and write objects under w/ but neither read nor set their tags
    (ACTIONS.md: PutObject "+ `oss:PutObjectTagging` with `x-oss-tagging`", CopyObject "+
    `oss:GetObjectTagging` / `oss:PutObjectTagging` when tags are copied / set")."""
    w = world
    arn = f"acs:oss:*:{account_id(w['srv'])}:{w['name']}"
    key = ram_user(w["srv"], "atk-writer", doc(stmt("Allow", "oss:GetObject", [f"{arn}/w/*"]), stmt("Allow", "oss:PutObject", [f"{arn}/w/*"])))
    w["root"].put_object("w/tagged-src", SECRET, headers={"x-oss-tagging": "code=1234"})
    w["root"].put_object("w/plain-src", PLAIN)
    return w["user"](key), s3_client(w["srv"].endpoint, key["AccessKeyId"], key["AccessKeySecret"])


def test_write_with_tags_needs_put_object_tagging(world, writer):
    w, (user, s3) = world, writer
    assert user.put_object("w/untagged", PLAIN).status == 200
    assert_denied(lambda: user.put_object("w/tagged", PLAIN, headers={"x-oss-tagging": "a=b"}))
    assert_denied(lambda: user.init_multipart_upload("w/mp", headers={"x-oss-tagging": "a=b"}))
    assert_denied(lambda: user.append_object("w/app", 0, PLAIN, headers={"x-oss-tagging": "a=b"}))
    assert not exists(w["root"], "w/tagged") and not exists(w["root"], "w/app")
    assert_s3_denied(lambda: s3.put_object(Bucket=w["name"], Key="w/s3tagged", Body=PLAIN, Tagging="a=b"))
    s3.put_object(Bucket=w["name"], Key="w/s3plain", Body=PLAIN)


def test_acl_granted_write_sets_its_tags(world):
    """A public-read-write bucket's ACL grants an anonymous upload, tags included (the ACL covers
    the tags its write sets; docs/protocol/authorization.md), but never PutObjectTagging itself."""
    w = world
    assert w["anon_rw"].put_object("anon-tagged.txt", PLAIN, headers={"x-oss-tagging": "a=b"}).status == 200
    assert w["root_rw"].get_object_tagging("anon-tagged.txt").tag_set.tagging_rule == {"a": "b"}
    rule = oss2.models.TaggingRule()
    rule.add("c", "d")
    assert_denied(lambda: w["anon_rw"].put_object_tagging("anon-tagged.txt", oss2.models.Tagging(rule)))
    assert w["root_rw"].get_object_tagging("anon-tagged.txt").tag_set.tagging_rule == {"a": "b"}


def test_copy_of_tags_needs_get_object_tagging(world, writer):
    """Copying a tagged object copies its tags: a caller who may not read them may not copy
    them to an object of its own (it may copy an untagged object, or replace the tags)."""
    w, (user, s3) = world, writer
    user.copy_object(w["name"], "w/plain-src", "w/copy-plain")
    assert_denied(lambda: user.get_object_tagging("w/tagged-src"))
    assert_denied(lambda: user.copy_object(w["name"], "w/tagged-src", "w/copy-tagged"))
    assert not exists(w["root"], "w/copy-tagged")
    assert_s3_denied(
        lambda: s3.copy_object(Bucket=w["name"], Key="w/s3copy", CopySource={"Bucket": w["name"], "Key": "w/tagged-src"})
    )
    # The root may, and the tags follow the copy.
    w["root"].copy_object(w["name"], "w/tagged-src", "w/root-copy")
    assert w["root"].get_object_tagging("w/root-copy").tag_set.tagging_rule == {"code": "1234"}


# ----- GetSymlink of a named version: oss:GetObjectVersion -----


def test_get_symlink_version_needs_get_object_version(world):
    w = world
    name = f"atkv-{uuid.uuid4().hex[:8]}"
    root = _root(w["srv"], name)
    root.create_bucket()
    root.put_bucket_versioning(oss2.models.BucketVersioningConfig(oss2.BUCKET_VERSIONING_ENABLE))
    old = root.put_symlink("secret/old-target", "ln").versionid
    root.put_symlink("public-target", "ln")
    arn = f"acs:oss:*:{account_id(w['srv'])}:{name}"
    key = ram_user(w["srv"], "atk-nover", doc(stmt("Allow", "oss:GetObject", [f"{arn}/*"])))
    user = w["user"](key, name)
    assert user.get_symlink("ln").target_key == "public-target"
    assert_denied(lambda: user.get_symlink("ln", params={"versionId": old}))
    assert root.get_symlink("ln", params={"versionId": old}).target_key == "secret/old-target"


# ----- save-as: the source is read -----


def test_saveas_source_needs_get_object(world):
    """`oss:PostProcessTask` on a source it may not read does not let a caller save a processed
    copy of it where it may read (docs/protocol/authorization.md: save-as needs `oss:GetObject`
    on the source)."""
    from base64 import urlsafe_b64encode

    from test_image import make_png

    w = world
    arn = f"acs:oss:*:{account_id(w['srv'])}:{w['name']}"
    w["root"].put_object("img/secret.png", make_png(32, 16))
    w["root"].put_object("img/mine.png", make_png(32, 16))
    key = ram_user(
        w["srv"],
        "atk-saveas",
        doc(
            stmt("Allow", "oss:PostProcessTask", [f"{arn}/img/*"]),
            stmt("Allow", "oss:GetObject", [f"{arn}/img/mine.png", f"{arn}/out/*"]),
            stmt("Allow", "oss:PutObject", [f"{arn}/out/*"]),
        ),
    )
    user = w["user"](key)
    target = urlsafe_b64encode(b"out/x.png").decode().rstrip("=")
    assert user.process_object("img/mine.png", f"image/resize,w_8|sys/saveas,o_{target}").process_status == "OK"
    w["root"].delete_object("out/x.png")
    assert_denied(lambda: user.process_object("img/secret.png", f"image/resize,w_8|sys/saveas,o_{target}"))
    assert not exists(w["root"], "out/x.png")
    # A missing source is 404 only to a caller who may read it.
    assert_denied(lambda: user.process_object("img/none.png", f"image/resize,w_8|sys/saveas,o_{target}"))


# ----- PostObject: the form's ACL and tags are what policies test -----


def test_post_object_form_acl_is_the_condition_value(world):
    from test_post_object import policy_b64, post, v1_fields

    w = world
    arn = f"acs:oss:*:{account_id(w['srv'])}:{w['name']}"
    key = ram_user(
        w["srv"],
        "atk-post",
        doc(
            stmt("Allow", "oss:PutObject", [f"{arn}/form/*"]),
            stmt(
                "Deny",
                "oss:PutObject",
                [f"{arn}/*"],
                {"StringEquals": {"oss:x-oss-object-acl": ["public-read", "public-read-write"]}},
            ),
        ),
    )

    def form(obj: str, acl: str | None) -> dict:
        fields = {"key": obj, **v1_fields(policy_b64([{"bucket": w["name"]}]), key["AccessKeyId"], key["AccessKeySecret"])}
        if acl:
            fields["x-oss-object-acl"] = acl
        return fields

    r = post(w["srv"].endpoint, w["name"], form("form/private.txt", "private"))
    assert r.status_code == 204, r.text
    r = post(w["srv"].endpoint, w["name"], form("form/public.txt", "public-read"))
    assert r.status_code == 403 and "<Code>AccessDenied</Code>" in r.text, r.text
    assert not exists(w["root"], "form/public.txt")
    # The same through a header signature: refused as well.
    assert_denied(lambda: w["user"](key).put_object("form/hdr.txt", PLAIN, headers={"x-oss-object-acl": "public-read"}))


# ----- versionId: every path that names a version needs the version action -----


def test_version_actions_everywhere(world):
    """A caller allowed GetObject, PutObject and DeleteObject but none of the `…Version` actions
    can neither read nor copy nor delete a named version, in either dialect, through any path
    that names one (the action map's versionId actions)."""
    w = world
    name = f"atkver-{uuid.uuid4().hex[:8]}"
    root = _root(w["srv"], name)
    root.create_bucket()
    root.put_bucket_versioning(oss2.models.BucketVersioningConfig(oss2.BUCKET_VERSIONING_ENABLE))
    old = root.put_object("doc.txt", SECRET).versionid
    root.put_object("doc.txt", PLAIN)
    arn = f"acs:oss:*:{account_id(w['srv'])}:{name}"
    actions = ["oss:GetObject", "oss:PutObject", "oss:DeleteObject", "oss:ListObjects"]
    key = ram_user(w["srv"], "atk-ver", doc(*(stmt("Allow", a, [arn, f"{arn}/*"]) for a in actions)))
    user = w["user"](key, name)
    s3 = s3_client(w["srv"].endpoint, key["AccessKeyId"], key["AccessKeySecret"])
    assert user.get_object("doc.txt").read() == PLAIN
    assert_denied(lambda: user.get_object("doc.txt", params={"versionId": old}).read())
    with pytest.raises(oss2.exceptions.OssError) as e:
        user.head_object("doc.txt", params={"versionId": old})
    assert e.value.status == 403
    user.copy_object(name, "doc.txt", "copy.txt")
    assert_denied(lambda: user.copy_object(name, "doc.txt", "copy2.txt", params={"versionId": old}))
    upload = user.init_multipart_upload("mp.txt").upload_id
    # oss2 names the source version from `params` (and adds the part's own parameters to it).
    assert_denied(lambda: user.upload_part_copy(name, "doc.txt", (0, 3), "mp.txt", upload, 1, params={"versionId": old}))
    assert_denied(lambda: user.delete_object("doc.txt", params={"versionId": old}))
    with pytest.raises(oss2.exceptions.OssError) as e:
        user.delete_object_versions(oss2.models.BatchDeleteObjectVersionList([oss2.models.BatchDeleteObjectVersion("doc.txt", old)]))
    assert (e.value.status, e.value.code) == (403, "AccessDenied")
    assert_s3_denied(lambda: s3.get_object(Bucket=name, Key="doc.txt", VersionId=old))
    assert_s3_denied(
        lambda: s3.copy_object(Bucket=name, Key="copy3.txt", CopySource={"Bucket": name, "Key": "doc.txt", "VersionId": old})
    )
    assert_s3_denied(lambda: s3.delete_object(Bucket=name, Key="doc.txt", VersionId=old))
    out = s3.delete_objects(Bucket=name, Delete={"Objects": [{"Key": "doc.txt", "VersionId": old}]})
    assert "Deleted" not in out
    assert [(e["Key"], e["VersionId"], e["Code"]) for e in out["Errors"]] == [("doc.txt", old, "AccessDenied")]
    # The version is intact and only the root reads it.
    assert root.get_object("doc.txt", params={"versionId": old}).read() == SECRET
    assert not exists(root, "copy2.txt") and not exists(root, "copy3.txt")


# ----- signed URLs: what changes the response is signed -----


def test_presigned_url_cannot_gain_x_oss_process(world):
    """A presigned URL (boto3: S3 SigV2 and SigV4; oss2: V1 and V4) for one object does not
    stretch to `x-oss-process`, with which a watermark could draw any object the signer may
    read into the response."""
    import requests
    from base64 import urlsafe_b64encode

    from test_image import make_png

    w = world
    w["root"].put_object("pic/shared.png", make_png(32, 16))
    w["root"].put_object("pic/private.png", make_png(8, 8))
    mark = urlsafe_b64encode(b"pic/private.png").decode().rstrip("=")
    process = f"x-oss-process=image/watermark,image_{mark}"
    urls = {
        "s3v2": s3_client(w["srv"].endpoint, signature_version="s3"),
        "s3v4": s3_client(w["srv"].endpoint, signature_version="s3v4"),
    }
    signed = [c.generate_presigned_url("get_object", Params={"Bucket": w["name"], "Key": "pic/shared.png"}, ExpiresIn=300) for c in urls.values()]
    v1 = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), w["srv"].endpoint, w["name"])
    signed += [v1.sign_url("GET", "pic/shared.png", 300), w["root"].sign_url("GET", "pic/shared.png", 300)]
    for url in signed:
        assert requests.get(url, timeout=30).status_code == 200, url
        r = requests.get(f"{url}&{process}", timeout=30)
        assert r.status_code == 403, (url, r.status_code, r.text[:300])
        assert "<Code>SignatureDoesNotMatch</Code>" in r.text, r.text


# ----- listings under a prefix-limited policy -----


def test_listings_stay_inside_the_allowed_prefix(world):
    """`oss:Prefix` (S3 `s3:prefix`) limits every listing — objects (v1, v2, S3 v2), versions,
    multipart uploads — for a RAM user and for a session whose session policy carries the
    condition; a marker or start-after outside the prefix lists nothing outside it."""
    w = world
    arn = f"acs:oss:*:{account_id(w['srv'])}:{w['name']}"
    listing = stmt(
        "Allow",
        "oss:ListObjects",
        [arn],
        {"StringLike": {"oss:Prefix": ["alice/*"]}},
    )
    listing["Action"] += ["oss:ListObjectVersions", "oss:ListMultipartUploads"]
    user_key = ram_user(w["srv"], "atk-list", doc(listing))
    creds = wide_role_session(w["srv"], "AtkList", doc(listing))
    sts = oss2.StsAuth(creds["AccessKeyId"], creds["AccessKeySecret"], creds["SecurityToken"], auth_version="v4")
    callers = [
        (w["user"](user_key), s3_client(w["srv"].endpoint, user_key["AccessKeyId"], user_key["AccessKeySecret"])),
        (
            oss2.Bucket(sts, w["srv"].endpoint, w["name"], region=REGION),
            s3_client(w["srv"].endpoint, creds["AccessKeyId"], creds["AccessKeySecret"], creds["SecurityToken"]),
        ),
    ]
    for client, s3 in callers:
        keys = [o.key for o in client.list_objects(prefix="alice/", max_keys=1000).object_list]
        assert keys and all(k.startswith("alice/") for k in keys), keys
        assert all(o.key.startswith("alice/") for o in client.list_objects(prefix="alice/", marker="a").object_list)
        v2 = client.list_objects_v2(prefix="alice/", start_after="").object_list
        assert all(o.key.startswith("alice/") for o in v2) and v2
        assert all(v.key.startswith("alice/") for v in client.list_object_versions(prefix="alice/").versions)
        assert client.list_multipart_uploads(prefix="alice/").status == 200
        for outside in (lambda: client.list_objects(), lambda: client.list_objects(prefix="secret/"),
                        lambda: client.list_objects_v2(prefix="alicex"), lambda: client.list_object_versions(),
                        lambda: client.list_multipart_uploads()):
            assert_denied(outside)
        got = s3.list_objects_v2(Bucket=w["name"], Prefix="alice/", StartAfter="bob/").get("Contents", [])
        assert got == []
        assert all(o["Key"].startswith("alice/") for o in s3.list_objects_v2(Bucket=w["name"], Prefix="alice/")["Contents"])
        assert_s3_denied(lambda: s3.list_objects_v2(Bucket=w["name"]))
        assert_s3_denied(lambda: s3.list_object_versions(Bucket=w["name"], Prefix="secret/"))
