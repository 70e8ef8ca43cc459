"""Versioning end to end with oss2 (V1, V2 and V4 auth) and alibabacloud-oss-v2: bucket
configuration, versions readable by id, delete markers, paged ListObjectVersions (oss2 has no
ObjectVersionIterator, so a small generator pages with key-marker / version-id-marker), batch deletes
of versions, presigned URLs of an old version, and the null version of a Suspended bucket."""

from __future__ import annotations

import alibabacloud_oss_v2 as oss
import oss2
import pytest
import requests

from conftest import oss2_bucket, unique_bucket, v2_client
from ossd_harness import OssdServer


@pytest.fixture(scope="module")
def ver_server():
    srv = OssdServer().start()
    yield srv
    srv.stop()
    srv.cleanup()


@pytest.fixture
def bucket(ver_server, auth_version):
    b = oss2_bucket(ver_server.endpoint, unique_bucket(f"ver{auth_version}"), auth_version)
    b.create_bucket()
    b.put_bucket_versioning(oss2.models.BucketVersioningConfig(oss2.BUCKET_VERSIONING_ENABLE))
    return b


def object_versions(bucket, prefix="", delimiter="", max_keys=100):
    """Every version and delete marker under `prefix`, in listing order, one page at a time."""
    key_marker, version_marker = "", ""
    while True:
        page = bucket.list_object_versions(
            prefix=prefix, delimiter=delimiter, key_marker=key_marker, versionid_marker=version_marker, max_keys=max_keys
        )
        entries = [(v.key, v.versionid, "version", v.is_latest) for v in page.versions]
        entries += [(m.key, m.versionid, "marker", m.is_latest) for m in page.delete_marker]
        yield page, entries
        if not page.is_truncated:
            return
        key_marker, version_marker = page.next_key_marker, page.next_versionid_marker


def test_configuration(ver_server, auth_version):
    b = oss2_bucket(ver_server.endpoint, unique_bucket(f"vcfg{auth_version}"), auth_version)
    b.create_bucket()
    assert b.get_bucket_versioning().status is None
    b.put_bucket_versioning(oss2.models.BucketVersioningConfig(oss2.BUCKET_VERSIONING_SUSPEND))
    assert b.get_bucket_versioning().status == "Suspended"
    b.put_bucket_versioning(oss2.models.BucketVersioningConfig(oss2.BUCKET_VERSIONING_ENABLE))
    assert b.get_bucket_versioning().status == "Enabled"
    assert b.get_bucket_info().versioning_status == "Enabled"


def test_versions_and_delete_markers(bucket):
    ids = [bucket.put_object("doc.txt", body).versionid for body in (b"one", b"two", b"three")]
    assert len(set(ids)) == 3 and all(ids)
    assert bucket.get_object("doc.txt").read() == b"three"
    old = bucket.get_object("doc.txt", params={"versionId": ids[0]})
    assert old.read() == b"one"
    assert old.versionid == ids[0]
    assert bucket.head_object("doc.txt", params={"versionId": ids[1]}).content_length == 3
    assert bucket.get_object_meta("doc.txt", params={"versionId": ids[1]}).headers["x-oss-version-id"] == ids[1]

    deleted = bucket.delete_object("doc.txt")
    assert deleted.delete_marker is True
    marker = deleted.versionid
    with pytest.raises(oss2.exceptions.NoSuchKey) as ei:
        bucket.get_object("doc.txt")
    assert ei.value.headers["x-oss-delete-marker"] == "true"
    assert ei.value.headers["x-oss-version-id"] == marker
    with pytest.raises(oss2.exceptions.NotFound) as ei:
        bucket.head_object("doc.txt")
    assert ei.value.headers["x-oss-delete-marker"] == "true"
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.get_object("doc.txt", params={"versionId": marker})
    assert (ei.value.status, ei.value.code) == (405, "MethodNotAllowed")
    assert ei.value.headers["x-oss-delete-marker"] == "true"
    assert not bucket.object_exists("doc.txt")
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.get_object("doc.txt", params={"versionId": "0123456789abcdef0123456789abcdef"})
    assert (ei.value.status, ei.value.code) == (404, "NoSuchVersion")

    undo = bucket.delete_object("doc.txt", params={"versionId": marker})
    assert undo.delete_marker is True and undo.versionid == marker
    assert bucket.get_object("doc.txt").read() == b"three"


def test_list_object_versions_pages(bucket):
    expected = []
    for key in ("v/a", "v/b c+d", "v/z"):
        ids = [bucket.put_object(key, key.encode() + bytes([i])).versionid for i in range(2)]
        expected += [(key, vid) for vid in reversed(ids)]
    marker = bucket.delete_object("v/b c+d").versionid
    at = next(i for i, (k, _) in enumerate(expected) if k == "v/b c+d")
    expected.insert(at, ("v/b c+d", marker))

    pages = list(object_versions(bucket, prefix="v/", max_keys=2))
    assert len(pages) == 4
    order = {e: i for i, e in enumerate(expected)}
    seen = []
    for _, entries in pages:
        seen += sorted(((k, v) for k, v, _, _ in entries), key=order.__getitem__)
    assert seen == expected
    _, first = next(object_versions(bucket, prefix="v/a"))
    assert [latest for _, _, _, latest in first] == [True, False]
    _, markers = next(object_versions(bucket, prefix="v/b"))
    assert ("v/b c+d", marker, "marker", True) in markers
    page, _ = next(object_versions(bucket, delimiter="/"))
    assert page.common_prefix == ["v/"] or [p.prefix for p in page.common_prefix] == ["v/"]


def test_batch_delete_versions_and_copy_from_version(bucket):
    v1 = bucket.put_object("src", b"old source").versionid
    bucket.put_object("src", b"new source")
    copy = bucket.copy_object(bucket.bucket_name, "src", "dst", params={"versionId": v1})
    assert copy.versionid
    assert copy.headers["x-oss-copy-source-version-id"] == v1
    assert bucket.get_object("dst").read() == b"old source"

    versions = oss2.models.BatchDeleteObjectVersionList()
    versions.append(oss2.models.BatchDeleteObjectVersion("src", v1))
    versions.append(oss2.models.BatchDeleteObjectVersion("dst"))
    result = bucket.delete_object_versions(versions)
    by_key = {d.key: d for d in result.delete_versions}
    assert by_key["src"].versionid == v1
    assert by_key["dst"].delete_marker is True and by_key["dst"].delete_marker_versionid
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.get_object("src", params={"versionId": v1})
    assert ei.value.code == "NoSuchVersion"
    assert bucket.get_object("src").read() == b"new source"


def test_sign_url_of_an_old_version(bucket):
    v1 = bucket.put_object("url.txt", b"original").versionid
    bucket.put_object("url.txt", b"overwritten")
    url = bucket.sign_url("GET", "url.txt", 60, params={"versionId": v1})
    r = requests.get(url)
    assert r.status_code == 200, r.text
    assert r.content == b"original"
    assert r.headers["x-oss-version-id"] == v1
    assert requests.get(bucket.sign_url("GET", "url.txt", 60)).content == b"overwritten"


def test_suspended_bucket_writes_the_null_version(bucket):
    kept = bucket.put_object("n.txt", b"versioned").versionid
    bucket.put_bucket_versioning(oss2.models.BucketVersioningConfig(oss2.BUCKET_VERSIONING_SUSPEND))
    r = bucket.put_object("n.txt", b"null one")
    assert r.versionid == "null"
    bucket.put_object("n.txt", b"null two")
    assert bucket.get_object("n.txt", params={"versionId": "null"}).read() == b"null two"
    assert bucket.get_object("n.txt", params={"versionId": kept}).read() == b"versioned"
    _, entries = next(object_versions(bucket, prefix="n.txt"))
    assert [(v, kind) for _, v, kind, _ in entries] == [("null", "version"), (kept, "version")]


def test_append_in_a_versioned_bucket_keeps_its_version(bucket):
    first = bucket.append_object("log", 0, b"abc")
    second = bucket.append_object("log", first.next_position, b"def")
    assert first.versionid and second.versionid == first.versionid
    assert second.crc == 15028124401329963252
    assert bucket.get_object("log", params={"versionId": first.versionid}).read() == b"abcdef"


# ---------------------------------------------------------------- alibabacloud-oss-v2


@pytest.mark.parametrize("signer", ["v4", "v1"])
def test_v2_versions(ver_server, signer):
    client = v2_client(ver_server.endpoint, signer)
    name = unique_bucket(f"verv2{signer}")
    client.put_bucket(oss.PutBucketRequest(bucket=name))
    cfg = oss.VersioningConfiguration(status="Enabled")
    client.put_bucket_versioning(oss.PutBucketVersioningRequest(bucket=name, versioning_configuration=cfg))
    got = client.get_bucket_versioning(oss.GetBucketVersioningRequest(bucket=name))
    assert got.version_status == "Enabled"
    ids = [
        client.put_object(oss.PutObjectRequest(bucket=name, key="k", body=b)).version_id for b in (b"first", b"second")
    ]
    old = client.get_object(oss.GetObjectRequest(bucket=name, key="k", version_id=ids[0]))
    assert old.body.read() == b"first"
    assert old.version_id == ids[0]
    deleted = client.delete_object(oss.DeleteObjectRequest(bucket=name, key="k"))
    assert deleted.delete_marker is True
    pages = list(client.list_object_versions_paginator(limit=1).iter_page(oss.ListObjectVersionsRequest(bucket=name)))
    assert len(pages) == 3
    assert [p.delete_marker[0].version_id for p in pages if p.delete_marker] == [deleted.version_id]
    assert [p.version[0].version_id for p in pages if p.version] == list(reversed(ids))
    client.delete_object(oss.DeleteObjectRequest(bucket=name, key="k", version_id=deleted.version_id))
    assert client.get_object(oss.GetObjectRequest(bucket=name, key="k")).body.read() == b"second"
