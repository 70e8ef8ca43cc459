"""Security odds and ends, end to end against a real ossd:

- `Content-MD5` on every request body: a wrong or malformed digest is 400 `InvalidDigest` and
  changes nothing (read back), the right one is accepted (docs/security.md, "Bodies and input").
- Concurrent PutStyle / DeleteStyle lose no update (styles share one stored document).
- Everything ossd creates under its data directory is private: files 0600, directories 0700,
  even under umask 022 (docs/security.md, "At rest").

Requests with a chosen Content-MD5 are signed by hand (V1, raw_helpers.v1_signature), since the
SDKs compute the digest themselves.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import stat
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote

import oss2
import pytest
import requests

from conftest import md5_b64, oss2_bucket, unique_bucket
from ossd_harness import ACCESS_KEY_ID, OssdServer
from raw_helpers import http_date, v1_signature, xml_value

# V1 sub-resources used below (OSS API reference, V1 signature: CanonicalizedResource).
_SUBRESOURCES = {
    "acl", "bucketInfo", "cors", "delete", "lifecycle", "policy", "publicAccessBlock", "referer", "style",
    "styleName", "tagging",
    "uploadId", "uploads", "versioning", "partNumber",
}

WRONG_MD5 = md5_b64(b"something else")


def _resource(bucket: str, key: str, query: str) -> str:
    res = f"/{bucket}/{key}"
    subs = []
    for item in filter(None, query.split("&")):
        k, eq, v = item.partition("=")
        if k in _SUBRESOURCES:
            subs.append((k, unquote(v) if eq else ""))
    if subs:
        res += "?" + "&".join(f"{k}={v}" if v else k for k, v in sorted(subs))
    return res


def raw(endpoint, method, bucket, key="", query="", body=b"", md5=None, headers=None):
    """A V1-signed request to /bucket/key?query whose Content-MD5 is `md5` (none if None)."""
    headers = dict(headers or {})
    headers["Date"] = http_date()
    if md5 is not None:
        headers["Content-MD5"] = md5
    sig = v1_signature(method, _resource(bucket, key, query), headers)
    headers["Authorization"] = f"OSS {ACCESS_KEY_ID}:{sig}"
    url = f"{endpoint}/{bucket}/{key}" + (f"?{query}" if query else "")
    return requests.request(method, url, data=body, headers=headers, timeout=30)


def assert_invalid_digest(r: requests.Response):
    assert r.status_code == 400, r.text
    assert xml_value(r.text, "Code") == "InvalidDigest", r.text
    assert xml_value(r.text, "Message") == "The Content-MD5 you specified was invalid.", r.text


def _config(name):
    """(query, body, read-back check) per configuration operation; the check is given the
    endpoint and bucket and says whether the configuration is set."""

    def code_of(r):
        return xml_value(r.text, "Code")

    def cors(ep, b):
        r = raw(ep, "GET", b, query="cors")
        assert r.status_code in (200, 404), r.text
        return r.status_code == 200 and "<AllowedOrigin>" in r.text

    def lifecycle(ep, b):
        r = raw(ep, "GET", b, query="lifecycle")
        assert r.status_code == 200 or code_of(r) == "NoSuchLifecycle", r.text
        return r.status_code == 200 and "<ID>digest-rule</ID>" in r.text

    def referer(ep, b):
        r = raw(ep, "GET", b, query="referer")
        assert r.status_code == 200, r.text
        return "https://digest.example.com" in r.text

    def policy(ep, b):
        r = raw(ep, "GET", b, query="policy")
        assert r.status_code == 200 or code_of(r) == "NoSuchBucketPolicy", r.text
        return r.status_code == 200

    def style(ep, b):
        r = raw(ep, "GET", b, query="style&styleName=digest")
        assert r.status_code == 200 or code_of(r) == "NoSuchStyle", r.text
        return r.status_code == 200

    def versioning(ep, b):
        r = raw(ep, "GET", b, query="versioning")
        assert r.status_code == 200, r.text
        return xml_value(r.text, "Status") == "Enabled"

    table = {
        "cors": (
            "cors",
            b"<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
            b"<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>",
            cors,
        ),
        "lifecycle": (
            "lifecycle",
            b"<LifecycleConfiguration><Rule><ID>digest-rule</ID><Prefix>logs/</Prefix>"
            b"<Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule>"
            b"</LifecycleConfiguration>",
            lifecycle,
        ),
        "referer": (
            "referer",
            b"<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><RefererList>"
            b"<Referer>https://digest.example.com</Referer></RefererList></RefererConfiguration>",
            referer,
        ),
        "policy": ("policy", None, policy),
        "style": (
            "style&styleName=digest",
            b"<Style><Content>image/resize,w_200</Content></Style>",
            style,
        ),
        "versioning": (
            "versioning",
            b"<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>",
            versioning,
        ),
    }
    return table[name]


def _policy_body(bucket: str) -> bytes:
    doc = {
        "Version": "1",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["oss:GetObject"],
                "Principal": ["*"],
                "Resource": [f"acs:oss:*:*:{bucket}/public/*"],
            }
        ],
    }
    return json.dumps(doc).encode()


@pytest.fixture
def fresh_bucket(endpoint):
    name = unique_bucket("md5")
    r = raw(endpoint, "PUT", name)
    assert r.status_code == 200, r.text
    # The policy below is public: new buckets block public policies until Block Public Access is
    # turned off (docs/protocol/buckets.md#new-bucket-defaults).
    off = b"<PublicAccessBlockConfiguration><BlockPublicAccess>false</BlockPublicAccess></PublicAccessBlockConfiguration>"
    r = raw(endpoint, "PUT", name, query="publicAccessBlock", body=off)
    assert r.status_code == 200, r.text
    return name


CONFIGS = ["cors", "lifecycle", "referer", "policy", "style", "versioning"]
BAD_DIGESTS = {
    "mismatch": WRONG_MD5,
    "not-base64": "not base64!!",
    "short": base64.b64encode(b"\x00" * 15).decode(),
    "empty": "",
}


@pytest.mark.parametrize("kind", CONFIGS)
@pytest.mark.parametrize("digest", sorted(BAD_DIGESTS))
def test_config_body_with_bad_digest_is_refused_and_changes_nothing(endpoint, fresh_bucket, kind, digest):
    query, body, is_set = _config(kind)
    body = body or _policy_body(fresh_bucket)
    r = raw(endpoint, "PUT", fresh_bucket, query=query, body=body, md5=BAD_DIGESTS[digest])
    assert_invalid_digest(r)
    assert not is_set(endpoint, fresh_bucket)


@pytest.mark.parametrize("kind", CONFIGS)
def test_config_body_with_right_digest_is_applied(endpoint, fresh_bucket, kind):
    query, body, is_set = _config(kind)
    body = body or _policy_body(fresh_bucket)
    r = raw(endpoint, "PUT", fresh_bucket, query=query, body=body, md5=md5_b64(body))
    assert r.status_code == 200, r.text
    assert is_set(endpoint, fresh_bucket)


# A different configuration per kind, sent with the digest of the first one.
_CHANGES = {
    "cors": (b"GET", b"PUT"),
    "lifecycle": (b"<Days>30<", b"<Days>31<"),
    "referer": (b"digest.example", b"other.example"),
    "policy": (b"/public/", b"/other/"),
    "style": (b"w_200", b"w_300"),
    "versioning": (b"Enabled", b"Suspended"),
}


@pytest.mark.parametrize("kind", CONFIGS)
def test_wrong_digest_leaves_an_existing_config_alone(endpoint, fresh_bucket, kind):
    query, body, is_set = _config(kind)
    body = body or _policy_body(fresh_bucket)
    assert raw(endpoint, "PUT", fresh_bucket, query=query, body=body).status_code == 200
    before = raw(endpoint, "GET", fresh_bucket, query=query).text
    old, new = _CHANGES[kind]
    changed = body.replace(old, new)
    assert changed != body
    r = raw(endpoint, "PUT", fresh_bucket, query=query, body=changed, md5=md5_b64(body))
    assert_invalid_digest(r)
    assert is_set(endpoint, fresh_bucket)
    assert raw(endpoint, "GET", fresh_bucket, query=query).text == before


TAGGING = b"<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>"


def test_put_object_tagging_checks_content_md5(endpoint, fresh_bucket):
    assert raw(endpoint, "PUT", fresh_bucket, "obj", body=b"data").status_code == 200
    for bad in BAD_DIGESTS.values():
        assert_invalid_digest(raw(endpoint, "PUT", fresh_bucket, "obj", "tagging", TAGGING, bad))
    r = raw(endpoint, "GET", fresh_bucket, "obj", "tagging")
    assert r.status_code == 200 and "<Key>k</Key>" not in r.text, r.text
    r = raw(endpoint, "PUT", fresh_bucket, "obj", "tagging", TAGGING, md5_b64(TAGGING))
    assert r.status_code == 200, r.text
    assert "<Key>k</Key>" in raw(endpoint, "GET", fresh_bucket, "obj", "tagging").text


CREATE_CONFIG = (
    b"<CreateBucketConfiguration><StorageClass>Standard</StorageClass></CreateBucketConfiguration>"
)


def test_put_bucket_checks_content_md5(endpoint):
    name = unique_bucket("md5c")
    assert_invalid_digest(raw(endpoint, "PUT", name, body=CREATE_CONFIG, md5=WRONG_MD5))
    r = raw(endpoint, "GET", name, query="bucketInfo")
    assert xml_value(r.text, "Code") == "NoSuchBucket", r.text
    r = raw(endpoint, "PUT", name, body=CREATE_CONFIG, md5=md5_b64(CREATE_CONFIG))
    assert r.status_code == 200, r.text
    # The owner's PUT on an existing bucket reads (and checks) the body too.
    assert_invalid_digest(raw(endpoint, "PUT", name, body=CREATE_CONFIG, md5=WRONG_MD5))


def test_complete_multipart_checks_content_md5(endpoint, fresh_bucket):
    r = raw(endpoint, "POST", fresh_bucket, "mp", "uploads")
    assert r.status_code == 200, r.text
    upload_id = xml_value(r.text, "UploadId")
    part = os.urandom(1024)
    r = raw(endpoint, "PUT", fresh_bucket, "mp", f"partNumber=1&uploadId={upload_id}", part)
    assert r.status_code == 200, r.text
    etag = r.headers["ETag"]
    body = (
        f"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{etag}</ETag></Part>"
        "</CompleteMultipartUpload>"
    ).encode()
    assert_invalid_digest(raw(endpoint, "POST", fresh_bucket, "mp", f"uploadId={upload_id}", body, WRONG_MD5))
    assert raw(endpoint, "HEAD", fresh_bucket, "mp").status_code == 404
    assert raw(endpoint, "GET", fresh_bucket, "mp", f"uploadId={upload_id}").status_code == 200
    r = raw(endpoint, "POST", fresh_bucket, "mp", f"uploadId={upload_id}", body, md5_b64(body))
    assert r.status_code == 200, r.text
    assert raw(endpoint, "GET", fresh_bucket, "mp").content == part


def test_delete_multiple_checks_content_md5(endpoint, fresh_bucket):
    assert raw(endpoint, "PUT", fresh_bucket, "victim", body=b"x").status_code == 200
    body = b"<Delete><Quiet>true</Quiet><Object><Key>victim</Key></Object></Delete>"
    for bad in BAD_DIGESTS.values():
        assert_invalid_digest(raw(endpoint, "POST", fresh_bucket, query="delete", body=body, md5=bad))
    assert raw(endpoint, "HEAD", fresh_bucket, "victim").status_code == 200
    r = raw(endpoint, "POST", fresh_bucket, query="delete", body=body, md5=md5_b64(body))
    assert r.status_code == 200, r.text
    assert raw(endpoint, "HEAD", fresh_bucket, "victim").status_code == 404


def test_put_object_bad_digest_is_the_same_error(endpoint, fresh_bucket):
    """The configuration bodies answer exactly as PutObject does."""
    for bad in BAD_DIGESTS.values():
        assert_invalid_digest(raw(endpoint, "PUT", fresh_bucket, "o", body=b"data", md5=bad))
    assert raw(endpoint, "HEAD", fresh_bucket, "o").status_code == 404


# ----- concurrent styles -----

STYLE_WRITERS = 48


def test_concurrent_put_style_loses_nothing(endpoint):
    name = unique_bucket("style-race")
    oss2_bucket(endpoint, name, "v4").create_bucket()

    def put(i):
        b = oss2_bucket(endpoint, name, "v4")
        b.put_bucket_style(f"s{i}", f"image/resize,w_{i + 1}")

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(put, range(STYLE_WRITERS)))
    styles = oss2_bucket(endpoint, name, "v4").list_bucket_style().styles
    assert sorted(s.name for s in styles) == sorted(f"s{i}" for i in range(STYLE_WRITERS))
    for s in styles:
        assert s.content == f"image/resize,w_{int(s.name[1:]) + 1}"

    # Deletes racing with new puts: every delete and every put holds.
    def churn(i):
        b = oss2_bucket(endpoint, name, "v4")
        if i % 2 == 0:
            b.delete_bucket_style(f"s{i}")
        else:
            b.put_bucket_style(f"n{i}", "image/resize,w_10")

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(churn, range(STYLE_WRITERS)))
    names = sorted(s.name for s in oss2_bucket(endpoint, name, "v4").list_bucket_style().styles)
    expected = [f"s{i}" for i in range(STYLE_WRITERS) if i % 2] + [f"n{i}" for i in range(STYLE_WRITERS) if i % 2]
    assert names == sorted(expected)


# ----- file modes -----


def _loose_entries(root: Path) -> list[str]:
    """Entries under `root` (and root itself) that group or others can read, write or enter."""
    loose = []
    for path in [root, *root.rglob("*")]:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            continue
        if st.st_mode & 0o077:
            loose.append(f"{path.relative_to(root.parent)} {stat.filemode(st.st_mode)}")
    return loose


def _exercise(srv: OssdServer) -> None:
    """Objects above the 4 KiB inline threshold, inline ones, a multipart upload, an append."""
    b = oss2_bucket(srv.endpoint, unique_bucket("modes"), "v4")
    b.create_bucket()
    b.put_object("small", b"tiny")
    b.put_object("big", os.urandom(64 * 1024))
    b.put_object("dir/bigger", os.urandom(300 * 1024))
    b.append_object("appended", 0, os.urandom(8 * 1024))
    upload_id = b.init_multipart_upload("mp").upload_id
    part = b.upload_part("mp", upload_id, 1, os.urandom(100 * 1024))
    b.complete_multipart_upload("mp", upload_id, [oss2.models.PartInfo(1, part.etag)])
    b.put_bucket_style("s", "image/resize,w_10")
    assert b.get_object("dir/bigger").read()


@pytest.fixture
def permissive_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_data_dir_is_private_under_umask_022(permissive_umask):
    parent = Path(tempfile.mkdtemp(prefix="ossd-modes-"))
    data_dir = parent / "data"  # created by ossd itself
    srv = OssdServer(data_dir=data_dir).start()
    try:
        _exercise(srv)
        files = {p.name for p in data_dir.rglob("*") if p.is_file()}
        assert {"meta.sqlite", "meta.sqlite-wal"} <= files, files
        assert any(p.parent.parent.parent.name == "objects" for p in data_dir.glob("blobs/objects/*/*/*"))
        assert _loose_entries(data_dir) == []
    finally:
        srv.stop()
    assert _loose_entries(data_dir) == []
    shutil.rmtree(parent, ignore_errors=True)


def test_existing_data_dir_is_narrowed_on_start(permissive_umask):
    parent = Path(tempfile.mkdtemp(prefix="ossd-modes-"))
    data_dir = parent / "data"
    data_dir.mkdir(mode=0o755)
    os.chmod(data_dir, 0o755)
    srv = OssdServer(data_dir=data_dir).start()
    try:
        assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
        _exercise(srv)
        assert _loose_entries(data_dir) == []
    finally:
        srv.stop()
    shutil.rmtree(parent, ignore_errors=True)
