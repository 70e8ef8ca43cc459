"""End-to-end tests with alibabacloud-oss-v2 (CRC-64 checks on by default), each run with the default
V4 signer and with the V1 signer (signature_version='v1')."""

from __future__ import annotations

import datetime
import os
import time

import alibabacloud_oss_v2 as oss
import pytest
import requests

from conftest import crc64, etag_of, md5_b64, unique_bucket, v2_client
from ossd_harness import REGION


def service_error(excinfo) -> oss.exceptions.ServiceError:
    err = excinfo.value
    if isinstance(err, oss.exceptions.OperationError):
        err = err.unwrap()
    assert isinstance(err, oss.exceptions.ServiceError), repr(err)
    return err


def expect_error(fn, status, code):
    with pytest.raises(oss.exceptions.OperationError) as ei:
        fn()
    err = service_error(ei)
    assert (err.status_code, err.code) == (status, code), err.message
    assert err.request_id
    return err


def put(client, bucket, key, data, **kw):
    return client.put_object(oss.PutObjectRequest(bucket=bucket, key=key, body=data, **kw))


def get(client, bucket, key, **kw):
    return client.get_object(oss.GetObjectRequest(bucket=bucket, key=key, **kw))


# ---------------------------------------------------------------- buckets


def test_buckets(v2, signer):
    prefix = unique_bucket(f"v2lb{signer}")
    names = [f"{prefix}-{i}" for i in range(3)]
    for n in names:
        r = v2.put_bucket(oss.PutBucketRequest(bucket=n))
        assert r.status_code == 200
        assert r.request_id
    special = f"{prefix}-ia"
    v2.put_bucket(
        oss.PutBucketRequest(
            bucket=special,
            create_bucket_configuration=oss.CreateBucketConfiguration(storage_class="IA", data_redundancy_type="LRS"),
        )
    )
    # A public ACL needs Block Public Access off first, as on OSS since October 2025 and in the
    # alibabacloud-oss-v2 suite's test_put_bucket_acl (docs/protocol/buckets.md#new-bucket-defaults).
    put_block(v2, special, False)
    v2.put_bucket_acl(oss.PutBucketAclRequest(bucket=special, acl="public-read-write"))
    res = v2.list_buckets(oss.ListBucketsRequest(prefix=prefix))
    assert [b.name for b in res.buckets] == names + [special]
    assert res.owner.id
    b = res.buckets[-1]
    assert b.storage_class == "IA"
    assert b.location == f"oss-{REGION}"
    assert b.region == REGION
    page = v2.list_buckets(oss.ListBucketsRequest(prefix=prefix, max_keys=2))
    assert page.is_truncated is True
    assert page.next_marker == names[1]
    page = v2.list_buckets(oss.ListBucketsRequest(prefix=prefix, max_keys=2, marker=names[1]))
    assert [b.name for b in page.buckets] == [names[2], special]
    all_names = []
    for p in v2.list_buckets_paginator(limit=1).iter_page(oss.ListBucketsRequest(prefix=prefix)):
        all_names += [b.name for b in p.buckets]
    assert all_names == names + [special]

    info = v2.get_bucket_info(oss.GetBucketInfoRequest(bucket=special)).bucket_info
    assert info.name == special
    assert info.storage_class == "IA"
    assert info.acl == "public-read-write"
    assert info.location == f"oss-{REGION}"
    assert info.data_redundancy_type == "LRS"
    assert isinstance(info.creation_date, datetime.datetime)
    assert info.owner.id

    assert v2.get_bucket_location(oss.GetBucketLocationRequest(bucket=special)).location == f"oss-{REGION}"
    assert v2.get_bucket_acl(oss.GetBucketAclRequest(bucket=special)).acl == "public-read-write"
    v2.put_bucket_acl(oss.PutBucketAclRequest(bucket=special, acl="private"))
    assert v2.get_bucket_acl(oss.GetBucketAclRequest(bucket=special)).acl == "private"
    assert v2.is_bucket_exist(special) is True
    assert v2.is_bucket_exist(unique_bucket("nope")) is False

    put(v2, special, "k", b"v")
    expect_error(lambda: v2.delete_bucket(oss.DeleteBucketRequest(bucket=special)), 409, "BucketNotEmpty")
    v2.delete_object(oss.DeleteObjectRequest(bucket=special, key="k"))
    r = v2.delete_bucket(oss.DeleteBucketRequest(bucket=special))
    assert r.status_code == 204
    expect_error(lambda: v2.get_bucket_info(oss.GetBucketInfoRequest(bucket=special)), 404, "NoSuchBucket")


# ---------------------------------------------------------------- objects


def test_put_get_head_meta(v2, v2_bucket):
    data = os.urandom(123_457)
    r = put(
        v2,
        v2_bucket,
        "o/data.bin",
        data,
        metadata={"Owner-Name": "Bob", "x": "1"},
        content_type="application/x-test",
        cache_control="max-age=5",
        content_disposition="attachment",
        content_language="en",
        content_encoding="identity",
        expires="Wed, 21 Oct 2037 07:28:00 GMT",
    )
    assert r.status_code == 200
    assert r.etag == etag_of(data)
    assert r.hash_crc64 == str(crc64(data))
    assert r.content_md5 == md5_b64(data)

    g = get(v2, v2_bucket, "o/data.bin")
    assert g.body.content == data
    assert g.content_length == len(data)
    assert g.etag == etag_of(data)
    assert g.hash_crc64 == str(crc64(data))
    assert g.content_type == "application/x-test"
    assert g.metadata == {"owner-name": "Bob", "x": "1"}
    assert g.cache_control == "max-age=5"
    assert g.content_disposition == "attachment"
    assert g.content_encoding == "identity"
    assert g.expires == "Wed, 21 Oct 2037 07:28:00 GMT"
    assert g.object_type == "Normal"
    assert g.storage_class == "Standard"
    assert isinstance(g.last_modified, datetime.datetime)

    h = v2.head_object(oss.HeadObjectRequest(bucket=v2_bucket, key="o/data.bin"))
    assert h.content_length == len(data)
    assert h.etag == etag_of(data)
    assert h.hash_crc64 == str(crc64(data))
    assert h.metadata == {"owner-name": "Bob", "x": "1"}
    assert h.content_type == "application/x-test"

    m = v2.get_object_meta(oss.GetObjectMetaRequest(bucket=v2_bucket, key="o/data.bin"))
    assert m.content_length == len(data)
    assert m.etag == etag_of(data)
    assert isinstance(m.last_modified, datetime.datetime)

    assert v2.is_object_exist(v2_bucket, "o/data.bin") is True
    assert v2.is_object_exist(v2_bucket, "o/none.bin") is False


def test_get_object_to_file_and_downloader(endpoint, signer, v2, v2_bucket, tmp_path):
    data = os.urandom(1_500_000)
    put(v2, v2_bucket, "dl.bin", data)
    out = tmp_path / "a.bin"
    r = v2_client(endpoint, signer, retries=True).get_object_to_file(oss.GetObjectRequest(bucket=v2_bucket, key="dl.bin"), str(out))
    assert r.status_code == 200
    assert out.read_bytes() == data
    # the downloader: HEAD, then ranged GETs with x-oss-range-behavior: standard, then a CRC check
    d = v2.downloader(part_size=256 * 1024, parallel_num=2)
    out2 = tmp_path / "b.bin"
    res = d.download_file(oss.GetObjectRequest(bucket=v2_bucket, key="dl.bin"), str(out2))
    assert res.written == len(data)
    assert out2.read_bytes() == data


def test_put_errors(v2, v2_bucket):
    expect_error(lambda: put(v2, v2_bucket, "md5.txt", b"abc", content_md5=md5_b64(b"xyz")), 400, "InvalidDigest")
    put(v2, v2_bucket, "fo.txt", b"1")
    expect_error(lambda: put(v2, v2_bucket, "fo.txt", b"2", forbid_overwrite=True), 409, "FileAlreadyExists")
    assert get(v2, v2_bucket, "fo.txt").body.content == b"1"
    expect_error(lambda: put(v2, v2_bucket, "x" * 1024, b"2"), 400, "InvalidObjectName")
    expect_error(lambda: get(v2, v2_bucket, "missing"), 404, "NoSuchKey")
    expect_error(lambda: get(v2, unique_bucket("nob"), "missing"), 404, "NoSuchBucket")
    # HEAD errors come back through x-oss-err
    expect_error(lambda: v2.head_object(oss.HeadObjectRequest(bucket=v2_bucket, key="missing")), 404, "NoSuchKey")


def test_put_options(v2, v2_bucket):
    put_block(v2, v2_bucket, False)  # a public object ACL below (docs/protocol/buckets.md#new-bucket-defaults)
    put(v2, v2_bucket, "opt.txt", b"o", acl="public-read", storage_class="IA", tagging="t1=a&t2=b")
    assert v2.get_object_acl(oss.GetObjectAclRequest(bucket=v2_bucket, key="opt.txt")).acl == "public-read"
    h = v2.head_object(oss.HeadObjectRequest(bucket=v2_bucket, key="opt.txt"))
    assert h.storage_class == "IA"
    assert h.tagging_count == 2
    tags = v2.get_object_tagging(oss.GetObjectTaggingRequest(bucket=v2_bucket, key="opt.txt")).tag_set.tags
    assert sorted((t.key, t.value) for t in tags) == [("t1", "a"), ("t2", "b")]


def test_range_and_conditions(v2, v2_bucket):
    data = b"0123456789" * 10
    r = put(v2, v2_bucket, "rc.txt", data)
    etag = r.etag
    g = get(v2, v2_bucket, "rc.txt", range_header="bytes=10-19")
    assert g.status_code == 206
    assert g.body.content == data[10:20]
    assert g.content_range == "bytes 10-19/100"
    g = get(v2, v2_bucket, "rc.txt", range_header="bytes=90-200", range_behavior="standard")
    assert g.status_code == 206
    assert g.body.content == data[90:]
    assert g.content_range == "bytes 90-99/100"
    expect_error(lambda: get(v2, v2_bucket, "rc.txt", range_header="bytes=100-", range_behavior="standard"), 416, "InvalidRange")
    g = get(v2, v2_bucket, "rc.txt", range_header="bytes=100-")
    assert g.status_code == 200
    assert g.body.content == data

    assert get(v2, v2_bucket, "rc.txt", if_match=etag).body.content == data
    expect_error(lambda: get(v2, v2_bucket, "rc.txt", if_match='"0"'), 412, "PreconditionFailed")
    with pytest.raises(oss.exceptions.OperationError) as ei:
        get(v2, v2_bucket, "rc.txt", if_none_match=etag)
    assert service_error(ei).status_code == 304
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    fmt = "%a, %d %b %Y %H:%M:%S GMT"
    with pytest.raises(oss.exceptions.OperationError) as ei:
        get(v2, v2_bucket, "rc.txt", if_modified_since=future.strftime(fmt))
    assert service_error(ei).status_code == 304
    assert get(v2, v2_bucket, "rc.txt", if_unmodified_since=future.strftime(fmt)).body.content == data
    expect_error(lambda: get(v2, v2_bucket, "rc.txt", if_unmodified_since=past.strftime(fmt)), 412, "PreconditionFailed")

    g = get(
        v2,
        v2_bucket,
        "rc.txt",
        response_content_type="text/x-over",
        response_content_disposition="inline",
        response_cache_control="no-cache",
        response_content_language="it",
        response_expires="Fri, 01 Jan 2038 00:00:00 GMT",
    )
    assert g.content_type == "text/x-over"
    assert g.content_disposition == "inline"
    assert g.cache_control == "no-cache"
    assert g.headers.get("Content-Language") == "it"
    assert g.expires == "Fri, 01 Jan 2038 00:00:00 GMT"


def test_delete_and_delete_multiple(v2, v2_bucket):
    keys = ["dm/a", "dm/b c", "dm/d+e", "dm/f&g", "dm/ü"]
    for k in keys:
        put(v2, v2_bucket, k, k.encode())
    r = v2.delete_object(oss.DeleteObjectRequest(bucket=v2_bucket, key="dm/a"))
    assert r.status_code == 204
    r = v2.delete_object(oss.DeleteObjectRequest(bucket=v2_bucket, key="dm/a"))
    assert r.status_code == 204
    r = v2.delete_multiple_objects(
        oss.DeleteMultipleObjectsRequest(
            bucket=v2_bucket, objects=[oss.DeleteObject(key=k) for k in keys[1:3]] + [oss.DeleteObject(key="dm/zz")]
        )
    )
    assert sorted(d.key for d in r.deleted_objects) == sorted(keys[1:3] + ["dm/zz"])
    r = v2.delete_multiple_objects(
        oss.DeleteMultipleObjectsRequest(bucket=v2_bucket, objects=[oss.DeleteObject(key=k) for k in keys[3:]], quiet=True)
    )
    assert not r.deleted_objects
    left = v2.list_objects_v2(oss.ListObjectsV2Request(bucket=v2_bucket, prefix="dm/"))
    assert not left.contents


def test_copy(v2, v2_bucket, signer):
    data = os.urandom(50_000)
    put(v2, v2_bucket, "c/src dir/s.bin", data, metadata={"a": "1"}, content_type="image/gif")
    r = v2.copy_object(oss.CopyObjectRequest(bucket=v2_bucket, key="c/dst.bin", source_key="c/src dir/s.bin"))
    assert r.etag == etag_of(data)
    assert r.hash_crc64 == str(crc64(data))
    h = v2.head_object(oss.HeadObjectRequest(bucket=v2_bucket, key="c/dst.bin"))
    assert h.metadata == {"a": "1"}
    assert h.content_type == "image/gif"
    v2.copy_object(
        oss.CopyObjectRequest(
            bucket=v2_bucket,
            key="c/rep.bin",
            source_key="c/src dir/s.bin",
            metadata_directive="REPLACE",
            metadata={"b": "2"},
            content_type="text/plain",
        )
    )
    h = v2.head_object(oss.HeadObjectRequest(bucket=v2_bucket, key="c/rep.bin"))
    assert h.metadata == {"b": "2"}
    assert h.content_type == "text/plain"
    other = unique_bucket("v2cp")
    v2.put_bucket(oss.PutBucketRequest(bucket=other))
    r = v2.copy_object(
        oss.CopyObjectRequest(bucket=other, key="x.bin", source_bucket=v2_bucket, source_key="c/src dir/s.bin")
    )
    assert r.etag == etag_of(data)
    assert get(v2, other, "x.bin").body.content == data
    expect_error(
        lambda: v2.copy_object(
            oss.CopyObjectRequest(bucket=v2_bucket, key="c/no.bin", source_key="c/src dir/s.bin", if_match='"00"')
        ),
        412,
        "PreconditionFailed",
    )
    r = v2.copy_object(
        oss.CopyObjectRequest(bucket=v2_bucket, key="c/yes.bin", source_key="c/src dir/s.bin", if_match=etag_of(data))
    )
    assert r.status_code == 200
    expect_error(
        lambda: v2.copy_object(oss.CopyObjectRequest(bucket=v2_bucket, key="c/n.bin", source_key="c/none")), 404, "NoSuchKey"
    )


def test_append(v2, v2_bucket):
    r = v2.append_object(oss.AppendObjectRequest(bucket=v2_bucket, key="ap.log", position=0, body=b"abc"))
    assert r.next_position == 3
    assert r.hash_crc64 == "3231342946509354535"
    r = v2.append_object(
        oss.AppendObjectRequest(bucket=v2_bucket, key="ap.log", position=3, body=b"def")
    )
    assert r.next_position == 6
    assert r.hash_crc64 == "15028124401329963252"
    err = expect_error(
        lambda: v2.append_object(oss.AppendObjectRequest(bucket=v2_bucket, key="ap.log", position=1, body=b"x")),
        409,
        "PositionNotEqualToLength",
    )
    assert err.headers.get("x-oss-next-append-position") == "6"
    g = get(v2, v2_bucket, "ap.log")
    assert g.body.content == b"abcdef"
    assert g.object_type == "Appendable"
    assert g.next_append_position == 6
    # append_file helper (appendable file-like API)
    with v2.append_file(v2_bucket, "ap2.log") as f:
        f.write(b"hello ")
        f.write(b"world")
    assert get(v2, v2_bucket, "ap2.log").body.content == b"hello world"
    put(v2, v2_bucket, "normal", b"n")
    expect_error(
        lambda: v2.append_object(oss.AppendObjectRequest(bucket=v2_bucket, key="normal", position=1, body=b"x")),
        409,
        "ObjectNotAppendable",
    )


def test_acl_symlink_tagging(v2, v2_bucket, endpoint):
    put_block(v2, v2_bucket, False)  # public object ACLs below (docs/protocol/buckets.md#new-bucket-defaults)
    put(v2, v2_bucket, "t/target", b"target!")
    for acl in ("public-read", "private", "public-read-write", "default"):
        v2.put_object_acl(oss.PutObjectAclRequest(bucket=v2_bucket, key="t/target", acl=acl))
        assert v2.get_object_acl(oss.GetObjectAclRequest(bucket=v2_bucket, key="t/target")).acl == acl
    assert requests.get(f"{endpoint}/{v2_bucket}/t/target").status_code == 403

    v2.put_symlink(oss.PutSymlinkRequest(bucket=v2_bucket, key="t/link", target="t/target", metadata={"s": "1"}))
    s = v2.get_symlink(oss.GetSymlinkRequest(bucket=v2_bucket, key="t/link"))
    assert s.target == "t/target"
    assert s.metadata == {"s": "1"}
    g = get(v2, v2_bucket, "t/link")
    assert g.body.content == b"target!"
    assert g.object_type == "Symlink"
    expect_error(lambda: v2.get_symlink(oss.GetSymlinkRequest(bucket=v2_bucket, key="t/target")), 404, "NoSuchKey")

    tagging = oss.Tagging(tag_set=oss.TagSet(tags=[oss.Tag(key="k", value="v"), oss.Tag(key="k2", value="v 2")]))
    v2.put_object_tagging(oss.PutObjectTaggingRequest(bucket=v2_bucket, key="t/target", tagging=tagging))
    tags = v2.get_object_tagging(oss.GetObjectTaggingRequest(bucket=v2_bucket, key="t/target")).tag_set.tags
    assert sorted((t.key, t.value) for t in tags) == [("k", "v"), ("k2", "v 2")]
    r = v2.delete_object_tagging(oss.DeleteObjectTaggingRequest(bucket=v2_bucket, key="t/target"))
    assert r.status_code == 204
    ts = v2.get_object_tagging(oss.GetObjectTaggingRequest(bucket=v2_bucket, key="t/target")).tag_set
    assert not (ts and ts.tags)


def test_bucket_policy_status(v2, v2_bucket):
    """GetBucketPolicyStatus (OSS API reference): whether the bucket policy is public
    (docs/protocol/policy.md#public-policies). With the V1 signer `policyStatus` is a signed
    sub-resource, as alibabacloud-oss-v2 signs it."""

    def is_public() -> bool:
        r = v2.get_bucket_policy_status(oss.GetBucketPolicyStatusRequest(bucket=v2_bucket))
        assert r.status_code == 200
        return r.policy_status.is_public

    assert is_public() is False
    put_block(v2, v2_bucket, False)  # public ACL and policies below (docs/protocol/buckets.md#new-bucket-defaults)
    # In OSS the ACL does not count: the status is the policy's.
    v2.put_bucket_acl(oss.PutBucketAclRequest(bucket=v2_bucket, acl="public-read"))
    assert is_public() is False
    v2.put_bucket_acl(oss.PutBucketAclRequest(bucket=v2_bucket, acl="private"))

    res = f'"Resource":["acs:oss:*:*:{v2_bucket}","acs:oss:*:*:{v2_bucket}/*"]'
    # A RAM-grammar statement without Principal is everyone's.
    for statement, public in [
        (f'{{"Action":["oss:PutObject"],"Effect":"Allow",{res}}}', True),
        (f'{{"Action":["oss:GetObject"],"Effect":"Allow","Principal":["*"],{res}}}', True),
        (
            f'{{"Action":["oss:GetObject"],"Effect":"Allow","Principal":["*"],{res},'
            '"Condition":{"IpAddress":{"acs:SourceIp":["192.168.0.0/16"]}}}',
            False,
        ),
        (f'{{"Action":["oss:GetObject"],"Effect":"Allow","Principal":["1234567890"],{res}}}', False),
        (f'{{"Action":["oss:GetObject"],"Effect":"Deny","Principal":["*"],{res}}}', False),
    ]:
        policy = '{"Version":"1","Statement":[' + statement + "]}"
        v2.put_bucket_policy(oss.PutBucketPolicyRequest(bucket=v2_bucket, body=policy))
        assert is_public() is public, statement
    v2.delete_bucket_policy(oss.DeleteBucketPolicyRequest(bucket=v2_bucket))
    assert is_public() is False


def v2_service_error(call, *args):
    """The ServiceError an alibabacloud-oss-v2 call fails with."""
    with pytest.raises(oss.exceptions.OperationError) as e:
        call(*args)
    err = e.value.unwrap()
    assert isinstance(err, oss.exceptions.ServiceError), err
    return err


def put_block(v2, bucket: str, on: bool):
    return v2.put_bucket_public_access_block(
        oss.PutBucketPublicAccessBlockRequest(
            bucket=bucket,
            public_access_block_configuration=oss.PublicAccessBlockConfiguration(block_public_access=on),
        )
    )


def test_bucket_public_access_block(v2, v2_bucket):
    """Put/Get/DeleteBucketPublicAccessBlock (OSS API reference; the alibabacloud-oss-v2 suite's
    test_bucket_public_access_block*): while on, public ACLs and public policies cannot be set
    (403 AccessDenied), GetBucketInfo reports BlockPublicAccess; DELETE turns it off
    (docs/protocol/buckets.md#block-public-access)."""

    def block_public_access() -> bool:
        r = v2.get_bucket_public_access_block(oss.GetBucketPublicAccessBlockRequest(bucket=v2_bucket))
        assert r.status_code == 200
        return r.public_access_block_configuration.block_public_access

    # on for a new bucket, as the alibabacloud-oss-v2 suite's test_get_bucket_info expects
    # (docs/protocol/buckets.md#new-bucket-defaults)
    assert block_public_access() is True
    put_block(v2, v2_bucket, False)
    assert block_public_access() is False
    r = put_block(v2, v2_bucket, True)
    assert r.status_code == 200
    assert block_public_access() is True
    info = v2.get_bucket_info(oss.GetBucketInfoRequest(bucket=v2_bucket))
    assert info.bucket_info.block_public_access is True

    for call, req in [
        (v2.put_bucket_acl, oss.PutBucketAclRequest(bucket=v2_bucket, acl="public-read")),
        (v2.put_bucket_acl, oss.PutBucketAclRequest(bucket=v2_bucket, acl="public-read-write")),
        (v2.put_object, oss.PutObjectRequest(bucket=v2_bucket, key="o", body=b"x", acl="public-read")),
    ]:
        err = v2_service_error(call, req)
        assert (err.status_code, err.code) == (403, "AccessDenied"), err
    v2.put_object(oss.PutObjectRequest(bucket=v2_bucket, key="o", body=b"x", acl="private"))
    err = v2_service_error(v2.put_object_acl, oss.PutObjectAclRequest(bucket=v2_bucket, key="o", acl="public-read"))
    assert (err.status_code, err.code) == (403, "AccessDenied")

    res = f'"Resource":["acs:oss:*:*:{v2_bucket}","acs:oss:*:*:{v2_bucket}/*"]'
    public = '{"Version":"1","Statement":[{"Action":["oss:GetObject"],"Effect":"Allow",' + res + "}]}"
    err = v2_service_error(v2.put_bucket_policy, oss.PutBucketPolicyRequest(bucket=v2_bucket, body=public))
    assert (err.status_code, err.code) == (403, "AccessDenied")
    fixed = '{"Version":"1","Statement":[{"Action":["oss:GetObject"],"Effect":"Allow","Principal":["1234567890"],' + res + "}]}"
    v2.put_bucket_policy(oss.PutBucketPolicyRequest(bucket=v2_bucket, body=fixed))
    v2.delete_bucket_policy(oss.DeleteBucketPolicyRequest(bucket=v2_bucket))

    r = v2.delete_bucket_public_access_block(oss.DeleteBucketPublicAccessBlockRequest(bucket=v2_bucket))
    assert r.status_code == 204
    assert block_public_access() is False
    info = v2.get_bucket_info(oss.GetBucketInfoRequest(bucket=v2_bucket))
    assert info.bucket_info.block_public_access is False
    v2.put_bucket_acl(oss.PutBucketAclRequest(bucket=v2_bucket, acl="public-read"))
    v2.put_bucket_policy(oss.PutBucketPolicyRequest(bucket=v2_bucket, body=public))


def test_public_access_block_ignores_existing_public_access(v2, v2_bucket, endpoint):
    """With Block Public Access on, an existing public-read ACL and a public bucket policy stop
    granting anonymous access (OSS API reference, PutBucketPublicAccessBlock: "existing public
    access permissions are ignored"); turning it off (false, or DELETE) restores them."""
    put_block(v2, v2_bucket, False)  # on for a new bucket (docs/protocol/buckets.md#new-bucket-defaults)
    v2.put_object(oss.PutObjectRequest(bucket=v2_bucket, key="acl/o", body=b"by acl", acl="public-read"))
    v2.put_object(oss.PutObjectRequest(bucket=v2_bucket, key="pol/o", body=b"by policy"))
    res = f'"Resource":["acs:oss:*:*:{v2_bucket}/pol/*"]'
    public = '{"Version":"1","Statement":[{"Action":["oss:GetObject"],"Effect":"Allow","Principal":["*"],' + res + "}]}"
    v2.put_bucket_policy(oss.PutBucketPolicyRequest(bucket=v2_bucket, body=public))

    def anonymous(key: str) -> int:
        return requests.get(f"{endpoint}/{v2_bucket}/{key}", timeout=10).status_code

    assert (anonymous("acl/o"), anonymous("pol/o")) == (200, 200)
    put_block(v2, v2_bucket, True)
    assert (anonymous("acl/o"), anonymous("pol/o")) == (403, 403)
    r = requests.get(f"{endpoint}/{v2_bucket}/acl/o", timeout=10)
    assert "<Code>AccessDenied</Code>" in r.text
    # The owner still reads.
    assert v2.get_object(oss.GetObjectRequest(bucket=v2_bucket, key="acl/o")).body.read() == b"by acl"
    put_block(v2, v2_bucket, False)
    assert (anonymous("acl/o"), anonymous("pol/o")) == (200, 200)
    put_block(v2, v2_bucket, True)
    v2.delete_bucket_public_access_block(oss.DeleteBucketPublicAccessBlockRequest(bucket=v2_bucket))
    assert (anonymous("acl/o"), anonymous("pol/o")) == (200, 200)


def test_public_access_block_ram_actions(server, endpoint, signer, v2, v2_bucket):
    """A RAM user allowed only oss:GetBucketPublicAccessBlock reads the setting and is denied
    oss:PutBucketPublicAccessBlock and oss:DeleteBucketPublicAccessBlock."""
    from sts_helpers import ram_user

    doc = {
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": ["oss:GetBucketPublicAccessBlock"], "Resource": [f"acs:oss:*:*:{v2_bucket}"]}],
    }
    key = ram_user(server, "bpa", doc)
    client = v2_client(endpoint, signer, key["AccessKeyId"], key["AccessKeySecret"])
    put_block(v2, v2_bucket, True)
    r = client.get_bucket_public_access_block(oss.GetBucketPublicAccessBlockRequest(bucket=v2_bucket))
    assert r.public_access_block_configuration.block_public_access is True
    err = v2_service_error(put_block, client, v2_bucket, False)
    assert (err.status_code, err.code) == (403, "AccessDenied")
    err = v2_service_error(
        client.delete_bucket_public_access_block, oss.DeleteBucketPublicAccessBlockRequest(bucket=v2_bucket)
    )
    assert (err.status_code, err.code) == (403, "AccessDenied")


def test_account_public_access_block(signer):
    """Put/Get/DeletePublicAccessBlock on the service (OSS API reference, PutPublicAccessBlock;
    the alibabacloud-oss-v2 suite's test_public_access_block*): the account's setting applies to
    every bucket, with the bucket's own (docs/protocol/buckets.md#block-public-access). Its own
    server, as the setting is account-wide."""
    from ossd_harness import OssdServer
    from sts_helpers import ram_user

    srv = OssdServer().start()
    try:
        v2 = v2_client(srv.endpoint, signer)

        def account_block() -> bool:
            r = v2.get_public_access_block(oss.GetPublicAccessBlockRequest())
            assert r.status_code == 200
            return r.public_access_block_configuration.block_public_access

        bucket = unique_bucket("bpa")
        v2.put_bucket(oss.PutBucketRequest(bucket=bucket))
        put_block(v2, bucket, False)  # on for a new bucket (docs/protocol/buckets.md#new-bucket-defaults)
        v2.put_bucket_acl(oss.PutBucketAclRequest(bucket=bucket, acl="public-read"))
        v2.put_object(oss.PutObjectRequest(bucket=bucket, key="o", body=b"x"))
        url = f"{srv.endpoint}/{bucket}/o"
        assert requests.get(url, timeout=10).status_code == 200

        assert account_block() is False
        r = v2.put_public_access_block(
            oss.PutPublicAccessBlockRequest(
                public_access_block_configuration=oss.PublicAccessBlockConfiguration(block_public_access=True)
            )
        )
        assert r.status_code == 200
        assert account_block() is True
        # The bucket's own setting is still off, but the account's applies.
        r = v2.get_bucket_public_access_block(oss.GetBucketPublicAccessBlockRequest(bucket=bucket))
        assert r.public_access_block_configuration.block_public_access is False
        info = v2.get_bucket_info(oss.GetBucketInfoRequest(bucket=bucket))
        assert info.bucket_info.block_public_access is True
        assert requests.get(url, timeout=10).status_code == 403
        err = v2_service_error(v2.put_object_acl, oss.PutObjectAclRequest(bucket=bucket, key="o", acl="public-read"))
        assert (err.status_code, err.code) == (403, "AccessDenied")
        err = v2_service_error(v2.put_bucket, oss.PutBucketRequest(bucket=unique_bucket("bpa"), acl="public-read"))
        assert (err.status_code, err.code) == (403, "AccessDenied")

        # A RAM user allowed to read the account's setting only.
        doc = {"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["oss:GetPublicAccessBlock"], "Resource": ["acs:oss:*:*:*"]}]}
        key = ram_user(srv, "bpa", doc)
        client = v2_client(srv.endpoint, signer, key["AccessKeyId"], key["AccessKeySecret"])
        r = client.get_public_access_block(oss.GetPublicAccessBlockRequest())
        assert r.public_access_block_configuration.block_public_access is True
        for call, req in [
            (client.put_public_access_block, oss.PutPublicAccessBlockRequest(
                public_access_block_configuration=oss.PublicAccessBlockConfiguration(block_public_access=False))),
            (client.delete_public_access_block, oss.DeletePublicAccessBlockRequest()),
        ]:
            err = v2_service_error(call, req)
            assert (err.status_code, err.code) == (403, "AccessDenied")

        r = v2.delete_public_access_block(oss.DeletePublicAccessBlockRequest())
        assert r.status_code == 204
        assert account_block() is False
        assert requests.get(url, timeout=10).status_code == 200
    finally:
        srv.stop()
        srv.cleanup()


# ---------------------------------------------------------------- listing


def test_listing_paginators(v2, v2_bucket):
    keys = [f"l/{i:02d}" for i in range(12)] + ["l/d1/a", "l/d1/b", "l/d 2/c", "l/+/d", "m", "é"]
    for k in keys:
        put(v2, v2_bucket, k, b"x")
    want = sorted(keys, key=lambda k: k.encode())
    got = []
    for page in v2.list_objects_v2_paginator(limit=5).iter_page(oss.ListObjectsV2Request(bucket=v2_bucket)):
        assert page.key_count == len(page.contents or []) + len(page.common_prefixes or [])
        got += [o.key for o in page.contents or []]
    assert got == want
    got = []
    for page in v2.list_objects_paginator(limit=4).iter_page(oss.ListObjectsRequest(bucket=v2_bucket)):
        got += [o.key for o in page.contents or []]
    assert got == want
    objs, prefixes = [], []
    for page in v2.list_objects_v2_paginator(limit=3).iter_page(
        oss.ListObjectsV2Request(bucket=v2_bucket, prefix="l/", delimiter="/")
    ):
        objs += [o.key for o in page.contents or []]
        prefixes += [p.prefix for p in page.common_prefixes or []]
    assert objs == [f"l/{i:02d}" for i in range(12)]
    assert prefixes == ["l/+/", "l/d 2/", "l/d1/"]
    r = v2.list_objects_v2(oss.ListObjectsV2Request(bucket=v2_bucket, prefix="l/d", start_after="l/d 2/c", fetch_owner=True))
    assert [o.key for o in r.contents] == ["l/d1/a", "l/d1/b"]
    assert all(o.owner and o.owner.id for o in r.contents)
    assert r.encoding_type == "url"
    r = v2.list_objects(oss.ListObjectsRequest(bucket=v2_bucket, prefix="l/d", marker="l/d1/a"))
    assert [o.key for o in r.contents] == ["l/d1/b"]
    assert r.contents[0].size == 1
    assert r.contents[0].etag == etag_of(b"x")


# ---------------------------------------------------------------- streaming / keys


def test_streaming_body(v2, v2_bucket):
    chunks = [os.urandom(100_000) for _ in range(5)]

    def gen():
        yield from chunks

    data = b"".join(chunks)
    r = put(v2, v2_bucket, "s/gen.bin", gen())
    assert r.hash_crc64 == str(crc64(data))
    assert get(v2, v2_bucket, "s/gen.bin").body.content == data


@pytest.mark.parametrize("key", ["a b", "a+b", "a%b", "中文/キー", "x/y/z", "q?x=1&y", "semi;colon,comma"])
def test_keys(v2, v2_bucket, key):
    put(v2, v2_bucket, key, key.encode())
    assert get(v2, v2_bucket, key).body.content == key.encode()
    r = v2.list_objects_v2(oss.ListObjectsV2Request(bucket=v2_bucket, prefix=key))
    assert [o.key for o in r.contents] == [key]


# ---------------------------------------------------------------- presign


def test_presign_get_put(endpoint, signer, v2, v2_bucket):
    data = os.urandom(4000)
    put(v2, v2_bucket, "p/get me.bin", data)
    pre = v2.presign(oss.GetObjectRequest(bucket=v2_bucket, key="p/get me.bin"), expires=datetime.timedelta(seconds=60))
    assert pre.method == "GET"
    if signer == "v4":
        assert "x-oss-signature-version=OSS4-HMAC-SHA256" in pre.url
    else:
        assert "OSSAccessKeyId=" in pre.url
    r = requests.get(pre.url, headers=pre.signed_headers or {})
    assert r.status_code == 200, r.text
    assert r.content == data

    pre = v2.presign(
        oss.PutObjectRequest(bucket=v2_bucket, key="p/put.txt", content_type="text/plain", metadata={"m": "v"}),
        expires=datetime.timedelta(seconds=60),
    )
    assert pre.method == "PUT"
    r = requests.put(pre.url, data=b"presigned put", headers=pre.signed_headers)
    assert r.status_code == 200, r.text
    g = get(v2, v2_bucket, "p/put.txt")
    assert g.body.content == b"presigned put"
    assert g.content_type == "text/plain"
    assert g.metadata == {"m": "v"}

    # the signed headers are required
    r = requests.put(pre.url, data=b"no headers")
    assert r.status_code == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in r.text

    pre = v2.presign(
        oss.GetObjectRequest(bucket=v2_bucket, key="p/get me.bin"), expires=datetime.timedelta(seconds=2)
    )
    # (v2 sends x-oss-expires = expiration - now, truncated: 2 s becomes 1, 1 s would become 0)
    time.sleep(3.1)
    r = requests.get(pre.url)
    assert r.status_code == 403
    assert "<Code>AccessDenied</Code>" in r.text


def test_wrong_secret(endpoint, signer, v2_bucket):
    bad = v2_client(endpoint, signer, secret="wrong-secret-wrong-secret")
    expect_error(lambda: get(bad, v2_bucket, "x"), 403, "SignatureDoesNotMatch")
    unknown = v2_client(endpoint, signer, key_id="LTAI5tUnknown000000")
    expect_error(lambda: get(unknown, v2_bucket, "x"), 403, "InvalidAccessKeyId")


def test_style_category(v2, v2_bucket):
    """GetStyle and ListStyle carry `Category`: `image` by default, or the one PutStyle named
    (alibabacloud-oss-v2's test_style; docs/protocol/image-processing.md#styles)."""
    v2.put_style(oss.PutStyleRequest(
        bucket=v2_bucket, style_name="plain", style=oss.StyleContent(content="image/resize,p_50"),
    ))
    v2.put_style(oss.PutStyleRequest(
        bucket=v2_bucket, style_name="clip", category="video",
        style=oss.StyleContent(content="image/resize,w_200"),
    ))
    got = v2.get_style(oss.GetStyleRequest(bucket=v2_bucket, style_name="plain"))
    assert (got.style.content, got.style.category) == ("image/resize,p_50", "image")
    listed = v2.list_style(oss.ListStyleRequest(bucket=v2_bucket)).style_list.styles
    assert [(s.name, s.category) for s in listed] == [("clip", "video"), ("plain", "image")]
    expect_error(
        lambda: v2.put_style(oss.PutStyleRequest(
            bucket=v2_bucket, style_name="bad", category="test_category",
            style=oss.StyleContent(content="image/resize,w_1"),
        )),
        400, "InvalidArgument",
    )
