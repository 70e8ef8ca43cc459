"""Security regression suite: reads of a second object (docs/security.md).

Every byte a response carries must come from an object the caller may read. Each feature that
reads a second object — an image watermark (also nested, `key?x-oss-process=...`, and through a
symlink), a symlink's target (GET and HEAD), a CopyObject / UploadPartCopy source, and the
watermark of a save-as — is tried by three callers who may read the addressed object but not the
second one:

- an anonymous caller, through public-read objects;
- a RAM user allowed to read one object (and write one key);
- an STS session whose session policy limits it to the prefix `alice/` (the role allows `oss:*`).

Each refusal is paired with the same request naming a readable second object, which succeeds, so
the refusal is about the second object and nothing else."""

from __future__ import annotations

import base64
import json
import uuid

import oss2
import pytest
import requests

from conftest import allow_public_access
from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer
from sts_helpers import account_id, ram_call, wide_role_session
from test_image import make_png

SECRET_TEXT = b"top secret: never in a response to these callers"


def b64(s: str) -> str:
    return base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")


def mark(key: str) -> str:
    return f"image/watermark,image_{b64(key)},g_nw,x_0,y_0"


@pytest.fixture(scope="module")
def world():
    srv = OssdServer().start()
    try:
        yield _build(srv)
    finally:
        srv.stop()
        srv.cleanup()


def _build(srv: OssdServer) -> dict:
    name = f"authz-{uuid.uuid4().hex[:8]}"
    pubrw = f"authzrw-{uuid.uuid4().hex[:8]}"
    root = oss2.Bucket(oss2.AuthV4(ACCESS_KEY_ID, ACCESS_KEY_SECRET), srv.endpoint, name, region=REGION)
    root.create_bucket()
    root_rw = oss2.Bucket(oss2.AuthV4(ACCESS_KEY_ID, ACCESS_KEY_SECRET), srv.endpoint, pubrw, region=REGION)
    root_rw.create_bucket()
    # public ACLs need Block Public Access off on new buckets (docs/protocol/buckets.md#new-bucket-defaults)
    allow_public_access(root)
    allow_public_access(root_rw)
    root_rw.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ_WRITE)
    pic, small = make_png(64, 48), make_png(8, 8)
    public = {"x-oss-object-acl": "public-read"}
    root.put_object("public/pic.png", pic, headers=public)
    root.put_object("public/mark.png", small, headers=public)
    root.put_object("secret/mark.png", small)
    root.put_object("secret/s.txt", SECRET_TEXT)
    root.put_object("one.png", pic)
    root.put_object("alice/pic.png", pic)
    root.put_object("alice/mark.png", small)
    # Links created by the owner: public-read links to private targets, and the one-object user's
    # readable key as a link to a secret.
    root.put_symlink("secret/s.txt", "public/ln", headers=public)
    root.put_symlink("secret/mark.png", "public/marklink", headers=public)
    root.put_symlink("public/mark.png", "public/oklink", headers=public)
    root.put_symlink("secret/s.txt", "onelink")

    acct = account_id(srv)
    bucket_arn = f"acs:oss:*:{acct}:{name}"
    one_doc = {
        "Version": "1",
        "Statement": [
            {"Effect": "Allow", "Action": ["oss:GetObject"], "Resource": [f"{bucket_arn}/one.png", f"{bucket_arn}/onelink"]},
            {"Effect": "Allow", "Action": ["oss:PutObject"], "Resource": [f"{bucket_arn}/one-copy"]},
        ],
    }
    ram_call(srv, "CreatePolicy", PolicyName="AuthzOneObject", PolicyDocument=json.dumps(one_doc))
    ram_call(srv, "CreateUser", UserName="authz-one")
    key = ram_call(srv, "CreateAccessKey", UserName="authz-one")["AccessKey"]
    ram_call(srv, "AttachPolicyToUser", PolicyType="Custom", PolicyName="AuthzOneObject", UserName="authz-one")

    session_policy = {
        "Version": "1",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["oss:GetObject", "oss:PutObject", "oss:PostProcessTask", "oss:AbortMultipartUpload"],
                "Resource": [f"acs:oss:*:*:{name}/alice/*"],
            }
        ],
    }
    creds = wide_role_session(srv, "AuthzWide", session_policy)
    sts = oss2.StsAuth(creds["AccessKeyId"], creds["AccessKeySecret"], creds["SecurityToken"], auth_version="v4")
    return {
        "srv": srv,
        "name": name,
        "pubrw": pubrw,
        "root": root,
        "one": oss2.Bucket(oss2.AuthV4(key["AccessKeyId"], key["AccessKeySecret"]), srv.endpoint, name, region=REGION),
        "sts": oss2.Bucket(sts, srv.endpoint, name, region=REGION),
        "sts_rw": oss2.Bucket(sts, srv.endpoint, pubrw, region=REGION),
    }


def anon_url(w: dict, key: str, process: str | None = None, bucket: str | None = None) -> str:
    url = f"{w['srv'].endpoint}/{bucket or w['name']}/{key}"
    return url + (f"?x-oss-process={process}" if process else "")


def assert_denied(fn) -> None:
    with pytest.raises(oss2.exceptions.OssError) as e:
        fn()
    assert (e.value.status, e.value.code) == (403, "AccessDenied"), e.value
    assert SECRET_TEXT.decode() not in str(e.value.body)


def assert_head_denied(fn) -> None:
    with pytest.raises(oss2.exceptions.OssError) as e:
        fn()
    assert e.value.status == 403, e.value


def assert_anon_denied(resp: requests.Response) -> None:
    assert resp.status_code == 403, (resp.status_code, resp.text[:300])
    assert "<Code>AccessDenied</Code>" in resp.text
    assert resp.headers.get("x-oss-request-id")
    assert SECRET_TEXT not in resp.content


def is_image(data: bytes) -> bool:
    return data[:8] == b"\x89PNG\r\n\x1a\n" or data[:2] == b"\xff\xd8"


# ----- image watermarks -----


def test_watermark_anonymous(world):
    w = world
    assert_anon_denied(requests.get(anon_url(w, "public/pic.png", mark("secret/mark.png")), timeout=30))
    # through a public-read symlink to a private mark
    assert_anon_denied(requests.get(anon_url(w, "public/pic.png", mark("public/marklink")), timeout=30))
    # nested: the mark's own pipeline
    nested = "secret/mark.png?x-oss-process=image/resize,P_20"
    assert_anon_denied(requests.get(anon_url(w, "public/pic.png", mark(nested)), timeout=30))
    # a missing mark is not told to a caller who could not read it
    assert_anon_denied(requests.get(anon_url(w, "public/pic.png", mark("secret/none.png")), timeout=30))
    ok = requests.get(anon_url(w, "public/pic.png", mark("public/mark.png")), timeout=30)
    assert ok.status_code == 200 and is_image(ok.content), ok.text[:300]
    ok = requests.get(anon_url(w, "public/pic.png", mark("public/oklink")), timeout=30)
    assert ok.status_code == 200 and is_image(ok.content), ok.text[:300]


def test_watermark_one_object_user(world):
    one = world["one"]
    assert_denied(lambda: one.get_object("one.png", process=mark("secret/mark.png")))
    assert_denied(lambda: one.get_object("one.png", process=mark("secret/mark.png?x-oss-process=image/resize,P_20")))
    assert is_image(one.get_object("one.png", process=mark("one.png")).read())
    # a public-read mark is readable by anyone, this user included
    assert is_image(one.get_object("one.png", process=mark("public/mark.png")).read())


def test_watermark_prefix_sts(world):
    sts = world["sts"]
    assert_denied(lambda: sts.get_object("alice/pic.png", process=mark("secret/mark.png")))
    assert_denied(lambda: sts.get_object("alice/pic.png", process=mark("secret/mark.png?x-oss-process=image/resize,P_20")))
    assert is_image(sts.get_object("alice/pic.png", process=mark("alice/mark.png")).read())
    nested = "alice/mark.png?x-oss-process=image/resize,P_20"
    assert is_image(sts.get_object("alice/pic.png", process=mark(nested)).read())


def test_watermark_style(world):
    """A stored style naming a private mark is no way around it."""
    w = world
    w["root"].put_bucket_style("secretmark", mark("secret/mark.png"))
    assert_anon_denied(requests.get(anon_url(w, "public/pic.png", "style/secretmark"), timeout=30))
    assert_denied(lambda: w["sts"].get_object("alice/pic.png", process="style/secretmark"))
    assert is_image(w["root"].get_object("public/pic.png", process="style/secretmark").read())


# ----- symlinks -----


def test_symlink_anonymous(world):
    w = world
    assert_anon_denied(requests.get(anon_url(w, "public/ln"), timeout=30))
    head = requests.head(anon_url(w, "public/ln"), timeout=30)
    assert head.status_code == 403
    assert head.headers.get("content-length") != str(len(SECRET_TEXT))
    ok = requests.get(anon_url(w, "public/oklink"), timeout=30)
    assert ok.status_code == 200 and is_image(ok.content)
    # reading the link itself (GetSymlink) is allowed: it names the target, it carries no bytes of it
    meta = requests.get(anon_url(w, "public/ln") + "?symlink", timeout=30)
    assert meta.status_code == 200 and meta.headers["x-oss-symlink-target"] == "secret/s.txt"


def test_symlink_one_object_user(world):
    one = world["one"]
    assert_denied(lambda: one.get_object("onelink"))
    assert_head_denied(lambda: one.head_object("onelink"))
    assert one.get_object("one.png").read()[:8] == b"\x89PNG\r\n\x1a\n"


def test_symlink_prefix_sts(world):
    sts, root = world["sts"], world["root"]
    assert_denied(lambda: sts.get_object("secret/s.txt"))
    sts.put_symlink("secret/s.txt", "alice/ln")  # creating it is allowed: OSS checks at read time
    assert_denied(lambda: sts.get_object("alice/ln"))
    assert_head_denied(lambda: sts.head_object("alice/ln"))
    assert_denied(lambda: sts.get_object("alice/ln", byte_range=(0, 3)))
    # root may follow it; the STS session may follow a link inside its prefix
    assert root.get_object("alice/ln").read() == SECRET_TEXT
    sts.put_symlink("alice/pic.png", "alice/oklink")
    assert is_image(sts.get_object("alice/oklink").read())
    # an image process on a link to a secret image
    sts.put_symlink("secret/mark.png", "alice/imglink")
    assert_denied(lambda: sts.get_object("alice/imglink", process="image/resize,w_4"))


# ----- CopyObject and UploadPartCopy -----


def test_copy_anonymous(world):
    w = world
    dst = anon_url(w, "copied", bucket=w["pubrw"])
    for src in ("secret/s.txt", "public/ln"):
        r = requests.put(dst, headers={"x-oss-copy-source": f"/{w['name']}/{src}"}, timeout=30)
        assert_anon_denied(r)
    ok = requests.put(dst, headers={"x-oss-copy-source": f"/{w['name']}/public/mark.png"}, timeout=30)
    assert ok.status_code == 200, ok.text


def test_copy_one_object_user(world):
    one = world["one"]
    name = world["name"]
    assert_denied(lambda: one.copy_object(name, "secret/s.txt", "one-copy"))
    assert_denied(lambda: one.copy_object(name, "onelink", "one-copy"))
    one.copy_object(name, "one.png", "one-copy")
    assert world["root"].get_object("one-copy").read()[:4] == b"\x89PNG"


def test_copy_prefix_sts(world):
    sts, name = world["sts"], world["name"]
    assert_denied(lambda: sts.copy_object(name, "secret/s.txt", "alice/copy"))
    sts.put_symlink("secret/s.txt", "alice/ln2")
    assert_denied(lambda: sts.copy_object(name, "alice/ln2", "alice/copy"))
    sts.copy_object(name, "alice/mark.png", "alice/copy")


def test_upload_part_copy(world):
    w, name = world, world["name"]
    sts = w["sts"]
    up = sts.init_multipart_upload("alice/mp").upload_id
    assert_denied(lambda: sts.upload_part_copy(name, "secret/s.txt", (0, 5), "alice/mp", up, 1))
    sts.put_symlink("secret/s.txt", "alice/ln3")
    assert_denied(lambda: sts.upload_part_copy(name, "alice/ln3", (0, 5), "alice/mp", up, 1))
    part = sts.upload_part_copy(name, "alice/mark.png", (0, 5), "alice/mp", up, 1)
    assert part.etag
    sts.abort_multipart_upload("alice/mp", up)
    # anonymous, into a public-read-write bucket
    r = requests.post(anon_url(w, "mp", bucket=w["pubrw"]) + "?uploads", timeout=30)
    assert r.status_code == 200, r.text
    upload_id = r.text.split("<UploadId>")[1].split("</UploadId>")[0]
    part_url = anon_url(w, "mp", bucket=w["pubrw"]) + f"?partNumber=1&uploadId={upload_id}"
    for src in ("secret/s.txt", "public/ln"):
        r = requests.put(part_url, headers={"x-oss-copy-source": f"/{name}/{src}"}, timeout=30)
        assert_anon_denied(r)
    ok = requests.put(part_url, headers={"x-oss-copy-source": f"/{name}/public/mark.png"}, timeout=30)
    assert ok.status_code == 200, ok.text


# ----- save-as -----


def test_saveas_watermark(world):
    sts = world["sts"]
    target = f"sys/saveas,o_{b64('alice/saved.png')}"
    assert_denied(lambda: sts.process_object("alice/pic.png", f"{mark('secret/mark.png')}|{target}"))
    sts.put_symlink("secret/mark.png", "alice/imglink2")
    assert_denied(lambda: sts.process_object("alice/imglink2", f"image/resize,w_4|{target}"))
    ok = sts.process_object("alice/pic.png", f"{mark('alice/mark.png')}|{target}")
    assert ok.process_status == "OK"
    # anonymous callers cannot save-as at all (no ACL grants PostProcessTask)
    w = world
    r = requests.post(
        anon_url(w, "public/pic.png") + "?x-oss-process",
        data=f"x-oss-process={mark('secret/mark.png')}|sys/saveas,o_{b64('public/x.png')}",
        timeout=30,
    )
    assert_anon_denied(r)
