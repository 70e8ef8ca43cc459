"""End-to-end tests with the oss2 SDK (enable_crc=True), each run with Auth (V1), AuthV2 and AuthV4."""

from __future__ import annotations

import email.utils
import os
import time

import oss2
import pytest
import requests
from oss2.models import BucketCreateConfig, Tagging, TaggingRule

from conftest import (
    allow_public_access,
    crc64,
    etag_inner,
    md5_b64,
    oss2_auth,
    oss2_bucket,
    oss2_service,
    unique_bucket,
)
from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION


def http_date(offset_s: float = 0) -> str:
    return email.utils.formatdate(time.time() + offset_s, usegmt=True)


# ---------------------------------------------------------------- service and buckets


def test_list_buckets_prefix_marker_max_keys(endpoint, auth_version):
    prefix = unique_bucket(f"lb{auth_version}")
    names = [f"{prefix}-{s}" for s in ("a", "b", "c", "d", "e")]
    for n in names:
        oss2_bucket(endpoint, n, auth_version).create_bucket()
    svc = oss2_service(endpoint, auth_version)
    res = svc.list_buckets(prefix=prefix)
    assert [b.name for b in res.buckets] == names
    assert res.is_truncated is False
    for b in res.buckets:
        assert b.location == f"oss-{REGION}"
        assert b.storage_class == "Standard"
        # the host the request came in on (test_compat_bucket.py covers the other cases)
        assert b.extranet_endpoint == endpoint.split("://", 1)[1]
        assert b.creation_date > 0

    page = svc.list_buckets(prefix=prefix, max_keys=2)
    assert [b.name for b in page.buckets] == names[:2]
    assert page.is_truncated is True
    assert page.next_marker == names[1]
    page2 = svc.list_buckets(prefix=prefix, marker=page.next_marker, max_keys=2)
    assert [b.name for b in page2.buckets] == names[2:4]

    # the iterator follows next_marker across pages
    assert [b.name for b in oss2.BucketIterator(svc, prefix=prefix, max_keys=2)] == names


def test_create_bucket_acl_storage_class_info_location(open_server, auth_version):
    # PutBucket with a public ACL, as oss2 clients did before OSS turned Block Public Access on
    # for new buckets: served as before under `--bucket-defaults open` (refused under `cloud`:
    # test_bucket_defaults.py).
    endpoint = open_server.endpoint
    name = unique_bucket(f"ci{auth_version}")
    b = oss2_bucket(endpoint, name, auth_version)
    r = b.create_bucket(oss2.BUCKET_ACL_PUBLIC_READ, BucketCreateConfig(oss2.BUCKET_STORAGE_CLASS_IA))
    assert r.status == 200
    assert r.request_id
    info = b.get_bucket_info()
    assert info.name == name
    assert info.storage_class == "IA"
    assert info.location == f"oss-{REGION}"
    assert info.acl.grant == "public-read"
    assert info.owner.id
    assert info.extranet_endpoint == endpoint.split("://", 1)[1]
    assert info.intranet_endpoint == info.extranet_endpoint
    assert b.get_bucket_location().location == f"oss-{REGION}"
    assert b.get_bucket_acl().acl == "public-read"
    b.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ_WRITE)
    assert b.get_bucket_acl().acl == "public-read-write"
    b.put_bucket_acl(oss2.BUCKET_ACL_PRIVATE)
    assert b.get_bucket_acl().acl == "private"


def test_delete_bucket(endpoint, auth_version):
    b = oss2_bucket(endpoint, unique_bucket(f"db{auth_version}"), auth_version)
    b.create_bucket()
    b.put_object("k", b"v")
    with pytest.raises(oss2.exceptions.BucketNotEmpty) as ei:
        b.delete_bucket()
    assert ei.value.status == 409
    b.delete_object("k")
    assert b.delete_bucket().status == 204
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        b.get_bucket_info()
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        b.put_object("k", b"v")


def test_invalid_bucket_name_rejected_by_server(endpoint):
    # oss2 validates names client-side; send a raw signed request instead.
    from raw_helpers import signed_request

    r = signed_request(endpoint, "PUT", "/Bad_Bucket_Name/")
    assert r.status_code == 400
    assert "<Code>InvalidBucketName</Code>" in r.text


# ---------------------------------------------------------------- put / get / head


def test_put_get_crc_checked(bucket):
    data = os.urandom(300 * 1024 + 3)
    r = bucket.put_object("bin/data.bin", data)
    assert r.status == 200
    assert r.etag == etag_inner(data)
    assert r.crc == crc64(data)
    assert r.headers["Content-MD5"] == md5_b64(data)

    g = bucket.get_object("bin/data.bin")
    body = g.read()
    assert body == data
    assert g.server_crc == crc64(data)
    assert g.client_crc == g.server_crc
    assert g.content_length == len(data)
    assert g.etag == etag_inner(data)
    assert g.object_type == "Normal"
    assert g.headers["x-oss-storage-class"] == "Standard"


def test_get_object_to_file_checks_crc(bucket, tmp_path):
    data = os.urandom(1024 * 1024)
    bucket.put_object("file.bin", data)
    out = tmp_path / "out.bin"
    r = bucket.get_object_to_file("file.bin", str(out))
    assert r.status == 200
    assert out.read_bytes() == data
    bucket.put_object_from_file("from-file.bin", str(out))
    assert bucket.get_object("from-file.bin").read() == data


def test_metadata_values_come_back_as_the_bytes_sent(bucket):
    """oss2 sends a str header through requests as Latin-1 and a bytes one as is, and reads answers
    as Latin-1: both come back as sent (docs/protocol/objects.md#user-metadata)."""
    bucket.put_object("meta-latin1", b"x", headers={"x-oss-meta-v": "caf\u00e9"})
    assert bucket.head_object("meta-latin1").headers["x-oss-meta-v"] == "caf\u00e9"
    assert bucket.get_object("meta-latin1").headers["x-oss-meta-v"] == "caf\u00e9"
    # UTF-8 bytes, as oss2's own suite sends them, decode back with the same two steps.
    bucket.put_object("meta-utf8", b"x", headers={"x-oss-meta-v": "caf\u00e9 \u6d4b\u8bd5".encode()})
    raw = bucket.head_object("meta-utf8").headers["x-oss-meta-v"]
    assert raw.encode("iso-8859-1").decode("utf-8") == "caf\u00e9 \u6d4b\u8bd5"
    # A copy keeps the stored value, and so its bytes.
    bucket.copy_object(bucket.bucket_name, "meta-latin1", "meta-copy")
    assert bucket.head_object("meta-copy").headers["x-oss-meta-v"] == "caf\u00e9"


def test_put_metadata_and_standard_headers(bucket):
    headers = {
        "Content-Type": "application/json",
        "Content-Disposition": 'inline; filename="x.json"',
        "Content-Encoding": "identity",
        "Content-Language": "fr",
        "Cache-Control": "no-cache",
        "Expires": "Wed, 21 Oct 2037 07:28:00 GMT",
        "x-oss-meta-Project": "OSSD",
        "x-oss-meta-punct": "a value, with: punctuation",
    }
    bucket.put_object("m.json", b"{}", headers=headers)
    g = bucket.get_object("m.json")
    assert g.read() == b"{}"
    h = g.headers
    assert h["Content-Type"] == "application/json"
    assert h["Content-Disposition"] == 'inline; filename="x.json"'
    assert h["Content-Encoding"] == "identity"
    assert h["Content-Language"] == "fr"
    assert h["Cache-Control"] == "no-cache"
    assert h["Expires"] == "Wed, 21 Oct 2037 07:28:00 GMT"
    assert h["x-oss-meta-project"] == "OSSD"
    assert h["x-oss-meta-punct"] == "a value, with: punctuation"
    head = bucket.head_object("m.json")
    assert head.content_type == "application/json"
    assert head.content_length == 2
    assert head.headers["x-oss-meta-project"] == "OSSD"
    assert head.server_crc == crc64(b"{}")
    meta = bucket.get_object_meta("m.json")
    assert meta.etag == etag_inner(b"{}")
    assert meta.content_length == 2
    assert meta.last_modified > 0


def test_default_content_type(bucket):
    # oss2 guesses from the extension; with no extension nothing is sent and the server default applies
    bucket.put_object("noext", b"x")
    assert bucket.head_object("noext").content_type == "application/octet-stream"
    bucket.put_object("page.html", b"<p>")
    assert bucket.head_object("page.html").content_type == "text/html"


def test_content_md5_mismatch(bucket):
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.put_object("md5.txt", b"abc", headers={"Content-MD5": md5_b64(b"abd")})
    assert ei.value.status == 400
    assert ei.value.code == "InvalidDigest"
    assert not bucket.object_exists("md5.txt")
    r = bucket.put_object("md5.txt", b"abc", headers={"Content-MD5": md5_b64(b"abc")})
    assert r.etag == etag_inner(b"abc")


def test_forbid_overwrite(bucket):
    bucket.put_object("fo.txt", b"one")
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.put_object("fo.txt", b"two", headers={"x-oss-forbid-overwrite": "true"})
    assert ei.value.status == 409
    assert ei.value.code == "FileAlreadyExists"
    assert bucket.get_object("fo.txt").read() == b"one"


def test_put_with_object_acl_storage_class_tagging(bucket, endpoint):
    allow_public_access(bucket)
    bucket.put_object(
        "opt.txt",
        b"opt",
        headers={"x-oss-object-acl": "public-read", "x-oss-storage-class": "IA", "x-oss-tagging": "a=1&b=two%20words"},
    )
    assert bucket.get_object_acl("opt.txt").acl == "public-read"
    head = bucket.head_object("opt.txt")
    assert head.headers["x-oss-storage-class"] == "IA"
    assert head.headers["x-oss-tagging-count"] == "2"
    assert bucket.get_object_tagging("opt.txt").tag_set.tagging_rule == {"a": "1", "b": "two words"}
    anon = requests.get(f"{endpoint}/{bucket.bucket_name}/opt.txt")
    assert anon.status_code == 200
    assert anon.content == b"opt"


def test_range_reads(bucket):
    data = bytes(range(256)) * 4
    bucket.put_object("r.bin", data)
    g = bucket.get_object("r.bin", byte_range=(10, 19))
    assert g.status == 206
    assert g.read() == data[10:20]
    assert g.headers["Content-Range"] == f"bytes 10-19/{len(data)}"
    assert "x-oss-hash-crc64ecma" not in g.headers
    g = bucket.get_object("r.bin", byte_range=(1000, None))
    assert g.read() == data[1000:]
    g = bucket.get_object("r.bin", byte_range=(None, 24))
    assert g.read() == data[-24:]
    # unsatisfiable range: legacy behaviour returns the whole object
    g = bucket.get_object("r.bin", byte_range=(5000, 6000))
    assert g.status == 200
    assert g.read() == data
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.get_object("r.bin", byte_range=(5000, 6000), headers={"x-oss-range-behavior": "standard"})
    assert ei.value.status == 416
    assert ei.value.code == "InvalidRange"


def test_conditional_get(bucket):
    r = bucket.put_object("c.txt", b"cond")
    etag = r.etag
    assert bucket.get_object("c.txt", headers={"If-Match": etag}).read() == b"cond"  # unquoted, as oss2 sends it
    assert bucket.get_object("c.txt", headers={"If-Match": f'"{etag}"'}).read() == b"cond"
    with pytest.raises(oss2.exceptions.PreconditionFailed):
        bucket.get_object("c.txt", headers={"If-Match": '"ABC"'})
    with pytest.raises(oss2.exceptions.NotModified):
        bucket.get_object("c.txt", headers={"If-None-Match": f'"{etag}"'})
    with pytest.raises(oss2.exceptions.NotModified):
        bucket.get_object("c.txt", headers={"If-Modified-Since": http_date(3600)})
    assert bucket.get_object("c.txt", headers={"If-Modified-Since": http_date(-3600)}).read() == b"cond"
    with pytest.raises(oss2.exceptions.PreconditionFailed):
        bucket.get_object("c.txt", headers={"If-Unmodified-Since": http_date(-3600)})
    assert bucket.get_object("c.txt", headers={"If-Unmodified-Since": http_date(3600)}).read() == b"cond"
    # oss2's resumable download style: If-Match without quotes together with If-Unmodified-Since
    g = bucket.get_object(
        "c.txt", byte_range=(0, 1), headers={"If-Match": etag, "If-Unmodified-Since": http_date(3600)}
    )
    assert g.read() == b"co"


def test_response_header_overrides(bucket):
    bucket.put_object("ov.txt", b"ov", headers={"Content-Type": "text/plain"})
    g = bucket.get_object(
        "ov.txt",
        params={
            "response-content-type": "application/x-ov",
            "response-content-disposition": "attachment; filename=ov.txt",
            "response-cache-control": "private",
            "response-content-language": "ja",
            "response-content-encoding": "identity",
            "response-expires": "Fri, 01 Jan 2038 00:00:00 GMT",
        },
    )
    assert g.read() == b"ov"
    assert g.headers["Content-Type"] == "application/x-ov"
    assert g.headers["Content-Disposition"] == "attachment; filename=ov.txt"
    assert g.headers["Cache-Control"] == "private"
    assert g.headers["Content-Language"] == "ja"
    assert g.headers["Content-Encoding"] == "identity"
    assert g.headers["Expires"] == "Fri, 01 Jan 2038 00:00:00 GMT"


def test_not_found_errors(bucket, endpoint, auth_version):
    with pytest.raises(oss2.exceptions.NoSuchKey) as ei:
        bucket.get_object("missing.txt")
    assert ei.value.status == 404
    assert ei.value.request_id
    assert ei.value.details.get("Key") == "missing.txt"
    with pytest.raises(oss2.exceptions.NotFound) as ei:
        bucket.head_object("missing.txt")
    assert ei.value.status == 404
    assert bucket.object_exists("missing.txt") is False
    nb = oss2_bucket(endpoint, unique_bucket("nosuch"), auth_version)
    with pytest.raises(oss2.exceptions.NoSuchBucket) as ei:
        nb.get_object("k")
    assert ei.value.status == 404


def test_long_keys(bucket):
    ok = "k" * 1023
    bucket.put_object(ok, b"1023")
    assert bucket.get_object(ok).read() == b"1023"
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.put_object("k" * 1024, b"1024")
    assert ei.value.status == 400
    assert ei.value.code == "InvalidObjectName"
    # multi-byte: 342 x 3 bytes = 1026 bytes
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.put_object("中" * 342, b"x")
    assert ei.value.code == "InvalidObjectName"


def test_wrong_secret_and_unknown_key(endpoint, bucket, auth_version):
    bad = oss2_bucket(endpoint, bucket.bucket_name, auth_version, auth=oss2_auth(auth_version, secret="nope-nope-nope"))
    with pytest.raises(oss2.exceptions.SignatureDoesNotMatch) as ei:
        bad.put_object("x", b"x")
    assert ei.value.status == 403
    unknown = oss2_bucket(
        endpoint, bucket.bucket_name, auth_version, auth=oss2_auth(auth_version, key_id="LTAI5tNoSuchKey")
    )
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        unknown.get_bucket_info()
    assert ei.value.status == 403
    assert ei.value.code == "InvalidAccessKeyId"


# ---------------------------------------------------------------- keys and streaming


SPECIAL_KEYS = [
    "with space.txt",
    "plus+sign.txt",
    "percent%25and%.txt",
    "unicode/中文/ключ/ü.txt",
    "a/b/c/d.txt",
    "amp&eq=semi;comma,.txt",
    "tilde~star*(paren)!.txt",
    "trailing-slash/",
    "quote'dq\"hash#.txt",
]


@pytest.mark.parametrize("key", SPECIAL_KEYS)
def test_special_keys_roundtrip(bucket, key):
    data = f"data for {key}".encode()
    r = bucket.put_object(key, data)
    assert r.crc == crc64(data)
    assert bucket.get_object(key).read() == data
    assert bucket.head_object(key).content_length == len(data)
    listed = [o.key for o in oss2.ObjectIterator(bucket, prefix=key)]
    assert listed == [key]
    listed = [o.key for o in oss2.ObjectIteratorV2(bucket, prefix=key)]
    assert listed == [key]
    bucket.copy_object(bucket.bucket_name, key, key + ".copy")
    assert bucket.get_object(key + ".copy").read() == data
    assert bucket.delete_object(key).status == 204
    assert not bucket.object_exists(key)


def test_streaming_chunked_put(bucket):
    chunks = [os.urandom(64 * 1024 + i) for i in range(10)]

    def gen():
        yield from chunks

    data = b"".join(chunks)
    r = bucket.put_object("stream/chunked.bin", gen())
    assert r.status == 200
    assert r.crc == crc64(data)
    assert r.etag == etag_inner(data)
    g = bucket.get_object("stream/chunked.bin")
    assert g.read() == data
    assert g.content_length == len(data)


def test_streaming_put_from_file_object(bucket, tmp_path):
    p = tmp_path / "f.bin"
    data = os.urandom(777_777)
    p.write_bytes(data)
    with open(p, "rb") as f:
        r = bucket.put_object("stream/file.bin", f)
    assert r.crc == crc64(data)
    assert bucket.get_object("stream/file.bin").read() == data


# ---------------------------------------------------------------- delete / copy / append


def test_delete_and_batch_delete(bucket):
    keys = ["d/1.txt", "d/2 two.txt", "d/3+three.txt", "d/4&<>.txt", "d/ü.txt"]
    for k in keys:
        bucket.put_object(k, k.encode())
    assert bucket.delete_object("d/1.txt").status == 204
    assert bucket.delete_object("d/does-not-exist").status == 204
    r = bucket.batch_delete_objects(keys[1:] + ["d/missing"])
    assert sorted(r.deleted_keys) == sorted(keys[1:] + ["d/missing"])
    assert list(oss2.ObjectIterator(bucket, prefix="d/")) == []


def test_copy_object(bucket, endpoint, auth_version):
    data = os.urandom(10000)
    bucket.put_object("cp/src.bin", data, headers={"Content-Type": "image/png", "x-oss-meta-a": "1"})
    r = bucket.copy_object(bucket.bucket_name, "cp/src.bin", "cp/dst.bin")
    assert r.etag == etag_inner(data)
    assert r.crc == crc64(data)
    h = bucket.head_object("cp/dst.bin")
    assert h.content_type == "image/png"
    assert h.headers["x-oss-meta-a"] == "1"

    r = bucket.copy_object(
        bucket.bucket_name,
        "cp/src.bin",
        "cp/replaced.bin",
        headers={"x-oss-metadata-directive": "REPLACE", "Content-Type": "text/csv", "x-oss-meta-b": "2"},
    )
    h = bucket.head_object("cp/replaced.bin")
    assert h.content_type == "text/csv"
    assert h.headers["x-oss-meta-b"] == "2"
    assert "x-oss-meta-a" not in h.headers
    assert bucket.get_object("cp/replaced.bin").read() == data

    # cross bucket
    other = oss2_bucket(endpoint, unique_bucket("cpdst"), auth_version)
    other.create_bucket()
    r = other.copy_object(bucket.bucket_name, "cp/src.bin", "in/other.bin")
    assert r.etag == etag_inner(data)
    assert other.get_object("in/other.bin").read() == data

    # update metadata in place
    bucket.update_object_meta("cp/src.bin", {"x-oss-meta-c": "3", "Content-Type": "text/plain"})
    h = bucket.head_object("cp/src.bin")
    assert h.headers["x-oss-meta-c"] == "3"
    assert "x-oss-meta-a" not in h.headers
    assert h.content_type == "text/plain"
    assert h.etag == etag_inner(data)

    # copy conditions
    etag = h.etag
    bucket.copy_object(bucket.bucket_name, "cp/src.bin", "cp/if.bin", headers={"x-oss-copy-source-if-match": f'"{etag}"'})
    with pytest.raises(oss2.exceptions.PreconditionFailed):
        bucket.copy_object(bucket.bucket_name, "cp/src.bin", "cp/if2.bin", headers={"x-oss-copy-source-if-match": '"00"'})
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.copy_object(
            bucket.bucket_name, "cp/src.bin", "cp/if3.bin", headers={"x-oss-copy-source-if-none-match": f'"{etag}"'}
        )
    assert ei.value.status in (304, 412)
    with pytest.raises(oss2.exceptions.PreconditionFailed):
        bucket.copy_object(
            bucket.bucket_name, "cp/src.bin", "cp/if4.bin", headers={"x-oss-copy-source-if-unmodified-since": http_date(-3600)}
        )
    bucket.copy_object(
        bucket.bucket_name, "cp/src.bin", "cp/if5.bin", headers={"x-oss-copy-source-if-modified-since": http_date(-3600)}
    )
    assert not bucket.object_exists("cp/if2.bin")
    assert bucket.object_exists("cp/if5.bin")
    with pytest.raises(oss2.exceptions.NoSuchKey):
        bucket.copy_object(bucket.bucket_name, "cp/none.bin", "cp/x.bin")
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.copy_object(bucket.bucket_name, "cp/src.bin", "cp/dst.bin", headers={"x-oss-forbid-overwrite": "true"})
    assert ei.value.code == "FileAlreadyExists"


def test_append_object_with_crc(bucket):
    r1 = bucket.append_object("ap.log", 0, b"abc")
    assert r1.next_position == 3
    assert r1.crc == 3231342946509354535
    r2 = bucket.append_object("ap.log", r1.next_position, b"def", init_crc=r1.crc)
    assert r2.next_position == 6
    assert r2.crc == 15028124401329963252
    big = os.urandom(200_000)
    r3 = bucket.append_object("ap.log", r2.next_position, big, init_crc=r2.crc)
    assert r3.next_position == 6 + len(big)
    assert r3.crc == crc64(b"abcdef" + big)
    with pytest.raises(oss2.exceptions.PositionNotEqualToLength) as ei:
        bucket.append_object("ap.log", 3, b"zzz")
    assert ei.value.status == 409
    assert ei.value.headers.get("x-oss-next-append-position") == str(r3.next_position)
    g = bucket.get_object("ap.log")
    assert g.read() == b"abcdef" + big
    assert g.object_type == "Appendable"
    assert g.headers["x-oss-next-append-position"] == str(r3.next_position)
    bucket.put_object("normal.txt", b"n")
    with pytest.raises(oss2.exceptions.ObjectNotAppendable):
        bucket.append_object("normal.txt", 1, b"x")
    # append with headers on the first call keeps the content type
    bucket.append_object("ap2.txt", 0, b"x", headers={"Content-Type": "text/x-log", "x-oss-meta-k": "v"})
    bucket.append_object("ap2.txt", 1, b"y")
    h = bucket.head_object("ap2.txt")
    assert h.content_type == "text/x-log"
    assert h.headers["x-oss-meta-k"] == "v"
    assert bucket.get_object("ap2.txt").read() == b"xy"


# ---------------------------------------------------------------- ACL / symlink / tagging


def test_object_acl_and_anonymous_access(bucket, endpoint):
    allow_public_access(bucket)
    bucket.put_object("acl.txt", b"acl")
    url = f"{endpoint}/{bucket.bucket_name}/acl.txt"
    assert bucket.get_object_acl("acl.txt").acl == "default"
    assert requests.get(url).status_code == 403
    for acl in ("public-read", "public-read-write", "private", "default"):
        bucket.put_object_acl("acl.txt", acl)
        assert bucket.get_object_acl("acl.txt").acl == acl
    bucket.put_object_acl("acl.txt", "public-read")
    r = requests.get(url)
    assert r.status_code == 200 and r.content == b"acl"
    r = requests.head(url)
    assert r.status_code == 200 and r.headers["Content-Length"] == "3"
    r = requests.put(url, data=b"anon")
    assert r.status_code == 403
    assert "<Code>AccessDenied</Code>" in r.text
    r = requests.delete(url)
    assert r.status_code == 403
    # anonymous response-* overrides are refused
    r = requests.get(url, params={"response-content-type": "text/html"})
    assert r.status_code == 400
    assert "<Code>InvalidRequest</Code>" in r.text
    # bucket ACL public-read: objects with default ACL become readable, listing allowed
    bucket.put_object_acl("acl.txt", "default")
    bucket.put_bucket_acl("public-read")
    assert requests.get(url).status_code == 200
    r = requests.get(f"{endpoint}/{bucket.bucket_name}/")
    assert r.status_code == 200
    assert "<Key>acl.txt</Key>" in r.text
    assert requests.put(f"{endpoint}/{bucket.bucket_name}/anon.txt", data=b"a").status_code == 403
    # ... public-read-write allows anonymous writes and deletes
    bucket.put_bucket_acl("public-read-write")
    r = requests.put(f"{endpoint}/{bucket.bucket_name}/anon.txt", data=b"anon")
    assert r.status_code == 200
    assert bucket.get_object("anon.txt").read() == b"anon"
    assert requests.delete(f"{endpoint}/{bucket.bucket_name}/anon.txt").status_code == 204
    assert not bucket.object_exists("anon.txt")
    # bucket configuration is never anonymous
    r = requests.get(f"{endpoint}/{bucket.bucket_name}/?acl")
    assert r.status_code == 403
    # an object ACL private beats the public bucket
    bucket.put_object_acl("acl.txt", "private")
    assert requests.get(url).status_code == 403


def test_symlink(bucket):
    data = b"target data"
    bucket.put_object("t/target file.txt", data)
    r = bucket.put_symlink("t/target file.txt", "t/link", headers={"x-oss-meta-l": "link"})
    assert r.status == 200
    s = bucket.get_symlink("t/link")
    assert s.target_key == "t/target file.txt"
    g = bucket.get_object("t/link")
    assert g.read() == data
    assert g.headers["x-oss-object-type"] == "Symlink"
    h = bucket.head_object("t/link")
    assert h.content_length == len(data)
    assert h.object_type == "Symlink"
    with pytest.raises(oss2.exceptions.NoSuchKey):
        bucket.get_symlink("t/target file.txt")
    bucket.put_symlink("t/nothing", "t/dangling")
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.get_object("t/dangling")
    assert ei.value.status == 404
    assert ei.value.code == "SymlinkTargetNotExist"


def test_symlink_headers_are_the_targets_etag_and_the_links_meta(bucket):
    """GET/HEAD of a symlink (docs/protocol/objects.md#symlinks): the target's ETag, length and
    CRC-64, the link's own user metadata and object type; GetSymlink and GetObjectMeta describe
    the link itself (oss2's test_put_symlink)."""
    bucket.put_object("sm/target", b"hello", headers={"x-oss-meta-who": "target"})
    target_etag = etag_inner(b"hello").upper()
    bucket.put_symlink("sm/target", "sm/link", headers={"x-oss-meta-key1": "value1", "X-Oss-Meta-Key2": "value2"})
    for read in (bucket.head_object, bucket.get_object):
        r = read("sm/link")
        assert r.etag == target_etag
        assert r.content_length == 5
        assert r.headers["x-oss-object-type"] == "Symlink"
        assert r.headers["x-oss-meta-key1"] == "value1"
        assert r.headers["x-oss-meta-key2"] == "value2"
        assert "x-oss-meta-who" not in r.headers
        assert int(r.headers["x-oss-hash-crc64ecma"]) == crc64(b"hello")
    assert bucket.get_object("sm/link").read() == b"hello"
    # the link's own ETag stays the link's
    link_etag = bucket.get_symlink("sm/link").headers["etag"].strip('"')
    assert link_etag != target_etag
    assert bucket.get_object_meta("sm/link").etag == link_etag
    # conditions compare against what is served
    with pytest.raises(oss2.exceptions.NotModified):
        bucket.get_object("sm/link", headers={"If-None-Match": f'"{target_etag}"'})
    with pytest.raises(oss2.exceptions.PreconditionFailed):
        bucket.get_object("sm/link", headers={"If-Match": f'"{link_etag}"'})


def test_object_tag_rules(bucket):
    """OSS's tag rules (docs/protocol/objects.md#object-tagging): lengths, characters, count;
    a non-first append ignores x-oss-tagging (oss2's test_object_tagging_wrong_key, _wrong_value,
    test_append_object_with_tagging_wrong_num)."""
    bucket.put_object("rules.txt", b"t")

    def refused(tags: dict) -> None:
        rule = TaggingRule()
        rule.tagging_rule.update(tags)  # past TaggingRule.add's own checks, as the suite does
        with pytest.raises(oss2.exceptions.OssError) as e:
            bucket.put_object_tagging("rules.txt", Tagging(rule))
        assert (e.value.status, e.value.code) == (400, "InvalidTag")

    refused({"a" * 129: "v"})
    refused({"k": "b" * 257})
    refused({"%@abc": "abc"})
    refused({"test": "%abc"})
    refused({f"k{i}": "v" for i in range(11)})
    ok = TaggingRule()
    ok.add("a" * 128, "b" * 256)
    ok.add("+-/", ":+:")
    ok.add("test", "")
    ok.add("A b.c_d=e", "F:g/h")
    ok.add("中文", "++中文++")
    assert bucket.put_object_tagging("rules.txt", Tagging(ok)).status == 200
    got = bucket.get_object_tagging("rules.txt").tag_set.tagging_rule
    assert got == {"a" * 128: "b" * 256, "+-/": ":+:", "test": "", "A b.c_d=e": "F:g/h", "中文": "++中文++"}
    # the header form is checked alike, on PutObject and PutSymlink
    bad_header = {"x-oss-tagging": "k=%25abc"}
    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.put_object("hdr.txt", b"x", headers=bad_header)
    assert (e.value.status, e.value.code) == (400, "InvalidTag")
    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.put_symlink("rules.txt", "hdr-link", headers=bad_header)
    assert (e.value.status, e.value.code) == (400, "InvalidTag")
    fifteen = TaggingRule()
    for i in range(15):
        fifteen.add(f"key{i}", f"value{i}")
    many = {"x-oss-tagging": fifteen.to_query_string()}
    # appends: only the first (position 0) reads x-oss-tagging
    first = bucket.append_object("app.txt", 0, b"abc")
    later = bucket.append_object("app.txt", first.next_position, b"def", headers=many)
    assert later.next_position == 6
    assert bucket.get_object_tagging("app.txt").tag_set.tagging_rule == {}
    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.append_object("app2.txt", 0, b"abc", headers=many)
    assert (e.value.status, e.value.code) == (400, "InvalidTag")


def test_object_tagging(bucket):
    bucket.put_object("tag.txt", b"t")
    assert bucket.get_object_tagging("tag.txt").tag_set.tagging_rule == {}
    rule = TaggingRule()
    rule.add("k1", "v1")
    rule.add("key two", "value two")
    assert bucket.put_object_tagging("tag.txt", Tagging(rule)).status == 200
    assert bucket.get_object_tagging("tag.txt").tag_set.tagging_rule == {"k1": "v1", "key two": "value two"}
    assert bucket.head_object("tag.txt").headers["x-oss-tagging-count"] == "2"
    assert bucket.delete_object_tagging("tag.txt").status == 204
    assert bucket.get_object_tagging("tag.txt").tag_set.tagging_rule == {}


# ---------------------------------------------------------------- listing


def _fill(bucket, keys):
    for k in keys:
        bucket.put_object(k, k.encode())


LIST_KEYS = [f"p/{i:03d}.txt" for i in range(25)] + [
    "p/sub1/a.txt",
    "p/sub1/b.txt",
    "p/sub2/c.txt",
    "p/sp ace/d.txt",
    "p/plus+/e.txt",
    "q.txt",
    "ü/f.txt",
]


def test_list_objects_v1_pagination(bucket):
    _fill(bucket, LIST_KEYS)
    all_sorted = sorted(LIST_KEYS, key=lambda k: k.encode())
    assert [o.key for o in oss2.ObjectIterator(bucket, max_keys=7)] == all_sorted
    res = bucket.list_objects(prefix="p/", delimiter="/", max_keys=1000)
    assert [o.key for o in res.object_list] == [f"p/{i:03d}.txt" for i in range(25)]
    assert res.prefix_list == ["p/plus+/", "p/sp ace/", "p/sub1/", "p/sub2/"]
    for o in res.object_list:
        assert o.size == len(o.key)
        assert o.etag == etag_inner(o.key.encode())
        assert o.type == "Normal"
        assert o.storage_class == "Standard"
        assert o.owner.id
    # delimiter + pagination: common prefixes count toward max-keys and are not repeated
    items = []
    for info in oss2.ObjectIterator(bucket, prefix="p/", delimiter="/", max_keys=4):
        items.append(info.key)
    assert items == [f"p/{i:03d}.txt" for i in range(25)] + ["p/plus+/", "p/sp ace/", "p/sub1/", "p/sub2/"]
    page = bucket.list_objects(prefix="p/", max_keys=3)
    assert page.is_truncated is True
    assert page.next_marker == "p/002.txt"
    page2 = bucket.list_objects(prefix="p/", marker=page.next_marker, max_keys=3)
    assert [o.key for o in page2.object_list] == ["p/003.txt", "p/004.txt", "p/005.txt"]


def test_list_objects_v2_pagination(bucket):
    _fill(bucket, LIST_KEYS)
    all_sorted = sorted(LIST_KEYS, key=lambda k: k.encode())
    assert [o.key for o in oss2.ObjectIteratorV2(bucket, max_keys=6)] == all_sorted
    items = [o.key for o in oss2.ObjectIteratorV2(bucket, prefix="p/", delimiter="/", max_keys=5)]
    assert items == [f"p/{i:03d}.txt" for i in range(25)] + ["p/plus+/", "p/sp ace/", "p/sub1/", "p/sub2/"]
    # continuation tokens that need encoding (the key after the token contains a space)
    p_keys = sorted((k for k in LIST_KEYS if k.startswith("p/")), key=lambda k: k.encode())
    assert [o.key for o in oss2.ObjectIteratorV2(bucket, prefix="p/", max_keys=1)] == p_keys
    assert [o.key for o in oss2.ObjectIterator(bucket, prefix="p/", max_keys=1)] == p_keys
    res = bucket.list_objects_v2(prefix="p/", start_after="p/sub1/a.txt", max_keys=1000)
    assert [o.key for o in res.object_list] == ["p/sub1/b.txt", "p/sub2/c.txt"]
    res = bucket.list_objects_v2(prefix="p/s", fetch_owner=True)
    assert all(o.owner and o.owner.id for o in res.object_list)
    res = bucket.list_objects_v2(prefix="p/s")
    assert all(o.owner is None for o in res.object_list)
    page = bucket.list_objects_v2(prefix="p/", max_keys=10)
    assert page.is_truncated is True
    assert page.next_continuation_token
    page2 = bucket.list_objects_v2(prefix="p/", max_keys=10, continuation_token=page.next_continuation_token)
    assert [o.key for o in page2.object_list] == [f"p/{i:03d}.txt" for i in range(10, 20)]


def test_list_tricky_keys_encoding(bucket):
    keys = ["x/a b", "x/a+b", "x/a%2Fb", "x/中", "x/\u00e9/", "x/<&>'\""]
    _fill(bucket, keys)
    want = sorted(keys, key=lambda k: k.encode())
    assert [o.key for o in oss2.ObjectIterator(bucket, prefix="x/", max_keys=2)] == want
    assert [o.key for o in oss2.ObjectIteratorV2(bucket, prefix="x/", max_keys=2)] == want
    got = [o.key for o in oss2.ObjectIteratorV2(bucket, prefix="x/", delimiter="/", max_keys=2)]
    assert got == want  # "x/\u00e9/" comes back as a common prefix equal to the key


# ---------------------------------------------------------------- signed URLs


@pytest.mark.parametrize("version", ["v1", "v2", "v4"])
def test_sign_url_get_put(endpoint, version):
    b = oss2_bucket(endpoint, unique_bucket(f"su{version}"), version)
    b.create_bucket()
    data = os.urandom(5000)
    b.put_object("dir/signed get.bin", data)
    url = b.sign_url("GET", "dir/signed get.bin", 60)
    if version == "v4":
        assert "x-oss-signature-version=OSS4-HMAC-SHA256" in url
    elif version == "v2":
        assert "x-oss-signature-version=OSS2" in url
    else:
        assert "OSSAccessKeyId=" in url and "Signature=" in url
    r = requests.get(url)
    assert r.status_code == 200, r.text
    assert r.content == data

    put_url = b.sign_url("PUT", "dir/signed put+.txt", 60, headers={"Content-Type": "text/plain"})
    r = requests.put(put_url, data=b"via signed url", headers={"Content-Type": "text/plain"})
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == '"' + etag_inner(b"via signed url") + '"'
    g = b.get_object("dir/signed put+.txt")
    assert g.read() == b"via signed url"
    assert g.content_type == "text/plain"

    # with response overrides (signed sub-resources)
    url = b.sign_url("GET", "dir/signed get.bin", 60, params={"response-content-type": "text/x-signed"})
    r = requests.get(url)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/x-signed"

    # tampered: another key with the same query
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    r = requests.get(urlunsplit(parts._replace(path=f"/{b.bucket_name}/dir/other.bin")))
    assert r.status_code == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in r.text


@pytest.mark.parametrize("version", ["v1", "v2", "v4"])
def test_sign_url_expired(endpoint, version):
    b = oss2_bucket(endpoint, unique_bucket(f"sx{version}"), version)
    b.create_bucket()
    b.put_object("e.txt", b"e")
    url = b.sign_url("GET", "e.txt", 1)
    time.sleep(2.1)
    r = requests.get(url)
    assert r.status_code == 403
    assert "<Code>AccessDenied</Code>" in r.text
    assert "expired" in r.text.lower()


@pytest.mark.parametrize("additional", [["referer", "range"], ["range", "referer"], ["x-b", "xa-c", "range"]])
def test_sign_url_v4_additional_headers(endpoint, additional):
    """oss2 sorts AdditionalHeaders by their first character only; the server must sort them fully."""
    b = oss2_bucket(endpoint, unique_bucket("sua"), "v4")
    b.create_bucket()
    b.put_object("k.txt", b"hello world")
    hdrs = {"Range": "bytes=0-4", "Referer": "http://example", "X-B": "1", "XA-C": "2"}
    url = b.sign_url("GET", "k.txt", 60, headers=hdrs, additional_headers=additional)
    assert "x-oss-additional-headers=" in url
    r = requests.get(url, headers=hdrs)
    assert r.status_code == 206, r.text
    assert r.content == b"hello"
    # a signed additional header with another value breaks the signature
    r = requests.get(url, headers=dict(hdrs, Range="bytes=0-5"))
    assert r.status_code == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in r.text


def test_service_with_host_header_variants(endpoint, server):
    # oss2 sends Host: 127.0.0.1:PORT; the same service call with Host: localhost works too
    svc = oss2.Service(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), f"http://localhost:{server.port}")
    assert isinstance(svc.list_buckets().buckets, list)
