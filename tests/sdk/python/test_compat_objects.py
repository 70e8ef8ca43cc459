"""Object-operation differences found by the SDKs' own suites (issue 12), with oss2 and
alibabacloud-oss-v2: UploadPartCopy ranges, copies from a version, the metadata directive,
the v2 Copier, ListMultipartUploads markers, the append position error, control characters in
keys and an empty key in DeleteMultipleObjects."""

from __future__ import annotations

import os

import alibabacloud_oss_v2 as oss
import oss2
import pytest
from oss2.models import BucketVersioningConfig, PartInfo

from conftest import md5_b64, oss2_bucket, unique_bucket, v2_client
from raw_helpers import signed_request


@pytest.fixture
def b2(endpoint):
    """A fresh bucket and an oss2.Bucket (AuthV4) for it."""
    b = oss2_bucket(endpoint, unique_bucket("cmp"), "v4")
    b.create_bucket()
    return b


@pytest.fixture
def v2c(endpoint):
    return v2_client(endpoint, "v4")


# ---------------------------------------------------------------- UploadPartCopy ranges


def test_upload_part_copy_range_forms(b2):
    data = os.urandom(300 * 1024)
    b2.put_object("src", data)
    upload = b2.init_multipart_upload("dst").upload_id
    # oss2's (first, last), (first, None) = "bytes=first-" and (None, n) = "bytes=-n"
    r1 = b2.upload_part_copy(b2.bucket_name, "src", (0, 100 * 1024 - 1), "dst", upload, 1)
    r2 = b2.upload_part_copy(b2.bucket_name, "src", (100 * 1024, None), "dst", upload, 2)
    b2.complete_multipart_upload("dst", upload, [PartInfo(1, r1.etag), PartInfo(2, r2.etag)])
    assert b2.get_object("dst").read() == data

    upload = b2.init_multipart_upload("tail").upload_id
    r = b2.upload_part_copy(b2.bucket_name, "src", (None, 1000), "tail", upload, 1)
    b2.complete_multipart_upload("tail", upload, [PartInfo(1, r.etag)])
    assert b2.get_object("tail").read() == data[-1000:]


@pytest.mark.parametrize("bad", ["bytes=10-999999999", "bytes=5-2", "bytes=x-y", "items=0-1"])
def test_upload_part_copy_range_outside_the_source_copies_it_whole(b2, bad):
    data = os.urandom(1000)
    b2.put_object("src", data)
    upload = b2.init_multipart_upload("dst").upload_id
    r = b2.upload_part_copy(
        b2.bucket_name, "src", None, "dst", upload, 1, headers={"x-oss-copy-source-range": bad}
    )
    b2.complete_multipart_upload("dst", upload, [PartInfo(1, r.etag)])
    assert b2.get_object("dst").read() == data


# ---------------------------------------------------------------- CopyObject


def test_copy_object_from_a_version(b2):
    cfg = BucketVersioningConfig()
    cfg.status = "Enabled"
    b2.put_bucket_versioning(cfg)
    v1 = b2.put_object("k", b"one").versionid
    b2.put_object("k", b"two")
    res = b2.copy_object(b2.bucket_name, "k", "copy", params={"versionId": v1})
    assert res.status == 200
    assert res.headers["x-oss-copy-source-version-id"] == v1
    assert b2.get_object("copy").read() == b"one"

    with pytest.raises(oss2.exceptions.InvalidArgument) as empty:
        b2.copy_object(b2.bucket_name, "k", "wrong", params={"versionId": ""})
    assert empty.value.message == "Version id can not be the empty string."
    with pytest.raises(oss2.exceptions.InvalidArgument):
        b2.copy_object(b2.bucket_name, "k", "wrong", params={"versionId": "a b"})
    with pytest.raises(oss2.exceptions.OssError) as missing:
        b2.copy_object(b2.bucket_name, "k", "wrong", params={"versionId": "NotExistVersionID"})
    assert (missing.value.status, missing.value.code) == (404, "NoSuchVersion")
    assert not b2.object_exists("wrong")


def test_copy_onto_itself_keeps_the_type_unless_given(b2):
    b2.put_object("m", b"123", headers={"Content-Type": "text/html", "x-oss-meta-a": "1"})
    # oss2's update_object_meta(key, None): no directive, no headers. A copy onto itself applies
    # the request's metadata (none) and keeps the type, as oss2's own suite expects.
    b2.update_object_meta("m", None)
    head = b2.head_object("m")
    assert head.content_type == "text/html"
    assert "x-oss-meta-a" not in head.headers
    # REPLACE with a type: the request's metadata
    b2.update_object_meta("m", {"Content-Type": "text/plain", "x-oss-meta-b": "2"})
    head = b2.head_object("m")
    assert head.content_type == "text/plain"
    assert head.headers["x-oss-meta-b"] == "2"
    assert b2.get_object("m").read() == b"123"


def test_replace_without_a_type_keeps_the_source_type(b2):
    b2.put_object(
        "src",
        b"data",
        headers={"Content-Type": "text/plain", "Content-Disposition": "attachment", "Cache-Control": "no-cache"},
    )
    b2.copy_object(b2.bucket_name, "src", "dst", headers={"x-oss-metadata-directive": "REPLACE"})
    head = b2.head_object("dst")
    assert head.content_type == "text/plain"
    assert "content-disposition" not in head.headers
    assert "cache-control" not in head.headers


def test_v2_copier_replaces_metadata_and_tags_but_keeps_the_encryption_envelope(v2c, endpoint):
    src_bucket, dst_bucket = unique_bucket("cps"), unique_bucket("cpd")
    for name in (src_bucket, dst_bucket):
        v2c.put_bucket(oss.PutBucketRequest(bucket=name))
    v2c.put_object(
        oss.PutObjectRequest(
            bucket=src_bucket,
            key="k",
            metadata={"client-side-encryption-key": "KEY=", "flag": "false", "content-type": "utf-8"},
            tagging="TagA=A",
            body=b"0123456789ab",
        )
    )
    res = v2c.copier().copy(
        oss.CopyObjectRequest(
            bucket=dst_bucket,
            key="copy",
            source_bucket=src_bucket,
            source_key="k",
            metadata_directive="replace",
            metadata={"flag": "true", "content-type": "text/txt", "client-side-encryption-key": "OTHER="},
            tagging="TagB=B",
            tagging_directive="replace",
        )
    )
    assert res.status_code == 200
    head = v2c.head_object(oss.HeadObjectRequest(bucket=dst_bucket, key="copy"))
    assert head.metadata == {"client-side-encryption-key": "KEY=", "flag": "true", "content-type": "text/txt"}
    tags = v2c.get_object_tagging(oss.GetObjectTaggingRequest(bucket=dst_bucket, key="copy")).tag_set.tags
    assert [(t.key, t.value) for t in tags] == [("TagB", "B")]


# ---------------------------------------------------------------- multipart listing


def test_list_uploads_markers_name_the_last_entry_with_encoded_keys(v2c, endpoint):
    bucket = unique_bucket("lmu")
    v2c.put_bucket(oss.PutBucketRequest(bucket=bucket))
    key = "mp-" + "\x01\x02\x07\b\t\n\v\f\r\x0e\x1f"
    init = v2c.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=bucket, key=key))
    assert init.key == key
    listed = v2c.list_multipart_uploads(oss.ListMultipartUploadsRequest(bucket=bucket))
    assert listed.is_truncated is False
    assert listed.next_key_marker == key
    assert listed.next_upload_id_marker == init.upload_id
    assert [u.key for u in listed.uploads] == [key]

    raw = signed_request(endpoint, "POST", f"/{bucket}/a%20b?uploads&encoding-type=url")
    assert raw.status_code == 200
    assert "<Key>a%20b</Key>" in raw.text
    assert "<EncodingType>url</EncodingType>" in raw.text

    empty = unique_bucket("lme")
    v2c.put_bucket(oss.PutBucketRequest(bucket=empty))
    page = v2c.list_multipart_uploads(oss.ListMultipartUploadsRequest(bucket=empty))
    assert not page.next_key_marker


# ---------------------------------------------------------------- AppendObject


def test_append_position_mismatch_is_oss_error(b2, endpoint):
    b2.append_object("ap", 0, b"foo")
    with pytest.raises(oss2.exceptions.PositionNotEqualToLength) as err:
        b2.append_object("ap", 0, b"foo")
    assert err.value.status == 409
    assert err.value.message == "Position is not equal to file length"
    assert err.value.ec == "0026-00000016"
    assert err.value.headers["x-oss-next-append-position"] == "3"


# ---------------------------------------------------------------- control characters in keys

CONTROL_KEYS = [
    "ctl/\x01\x0a\x0c\x07\x50\x63",
    "ctl/\x1f\x0e\x7f cr\r end",
    "ctl/a<b&c>d +",
]


def test_control_characters_round_trip_through_listings(b2, v2c, endpoint):
    for key in CONTROL_KEYS:
        b2.put_object(key, b"x")
        assert b2.get_object(key).read() == b"x"
    # oss2 always lists with encoding-type=url
    assert sorted(o.key for o in oss2.ObjectIterator(b2, prefix="ctl/")) == sorted(CONTROL_KEYS)
    assert sorted(o.key for o in oss2.ObjectIteratorV2(b2, prefix="ctl/")) == sorted(CONTROL_KEYS)
    pages = v2c.list_objects_v2_paginator().iter_page(oss.ListObjectsV2Request(bucket=b2.bucket_name, prefix="ctl/"))
    assert sorted(o.key for p in pages for o in p.contents) == sorted(CONTROL_KEYS)

    # Plain form: characters XML 1.0 cannot carry are character references, as OSS writes them.
    plain = signed_request(endpoint, "GET", f"/{b2.bucket_name}/?prefix=ctl%2F")
    assert plain.status_code == 200
    assert "<Key>ctl/&#1;\n&#12;&#7;Pc</Key>" in plain.text
    assert "<Key>ctl/&#31;&#14;\x7f cr&#13; end</Key>" in plain.text
    assert "<Key>ctl/a&lt;b&amp;c&gt;d +</Key>" in plain.text
    encoded = signed_request(endpoint, "GET", f"/{b2.bucket_name}/?list-type=2&prefix=ctl%2F&encoding-type=url")
    assert "<Key>ctl%2F%01%0A%0C%07Pc</Key>" in encoded.text


def _delete_body(keys: list[str]) -> bytes:
    objects = "".join(f"<Object><Key>{k}</Key></Object>" for k in keys)
    return f"<Delete><Quiet>false</Quiet>{objects}</Delete>".encode()


def test_delete_multiple_takes_raw_control_characters_and_empty_keys(b2, endpoint):
    key = "ctl/\x01\x0c\x07"
    b2.put_object(key, b"x")
    b2.put_object("plain", b"x")
    # ali-oss writes control characters raw; fsspec's ossfs sends an empty key for the bucket itself
    body = _delete_body([key, "", "plain", "missing"])
    res = signed_request(
        endpoint, "POST", f"/{b2.bucket_name}/?delete", data=body, headers={"Content-MD5": md5_b64(body)}
    )
    assert res.status_code == 200, res.text
    assert res.text.count("<Deleted>") == 4
    assert "<Key>ctl/&#1;&#12;&#7;</Key>" in res.text
    assert "<Key></Key>" in res.text
    assert not b2.object_exists(key)
    assert not b2.object_exists("plain")

    # oss2 (as ossfs calls it) with an empty key among others
    b2.put_object("dir/f", b"x")
    result = b2.batch_delete_objects(["", "dir/f"])
    assert sorted(result.deleted_keys) == ["", "dir/f"]

    nul = _delete_body(["a\x00"])
    bad = signed_request(endpoint, "POST", f"/{b2.bucket_name}/?delete", data=nul, headers={"Content-MD5": md5_b64(nul)})
    assert bad.status_code == 400
    assert "MalformedXML" in bad.text
