"""Bucket tags end to end: oss2 (`put_bucket_tagging`, `get_bucket_tagging`, `delete_bucket_tagging`
with and without `tagging=k1,k2`, `Service.list_buckets(params={'tag-key', 'tag-value'})`, V1/V2/V4
auth), alibabacloud-oss-v2 (`put_bucket_tags`, `list_buckets` with `tag_key`/`tag_value`/`tagging`)
and raw requests for what the SDKs refuse to send: over 20 tags, a 65-character key, a
129-character value, reserved prefixes, a wrong Content-MD5 (400, nothing stored)."""

from __future__ import annotations

import alibabacloud_oss_v2 as oss
import oss2
import pytest
from oss2.models import Tagging, TaggingRule

from conftest import md5_b64, oss2_service, unique_bucket, v2_client
from raw_helpers import signed_request, xml_value


def tagging(pairs: dict[str, str]) -> Tagging:
    rule = TaggingRule()
    for k, v in pairs.items():
        rule.add(k, v)
    return Tagging(rule)


def tags_of(bucket) -> dict[str, str]:
    return dict(bucket.get_bucket_tagging().tag_set.tagging_rule)


def test_oss2_put_get_delete(bucket):
    assert tags_of(bucket) == {}
    bucket.put_bucket_tagging(tagging({"%@abc": "abc", "123++": "++123%", "empty": ""}))
    assert tags_of(bucket) == {"%@abc": "abc", "123++": "++123%", "empty": ""}
    # A put replaces the whole set.
    bucket.put_bucket_tagging(tagging({"a": "1"}))
    assert tags_of(bucket) == {"a": "1"}
    assert bucket.delete_bucket_tagging().status == 204
    assert tags_of(bucket) == {}
    assert bucket.delete_bucket_tagging().status == 204


def test_oss2_delete_named_keys(bucket):
    bucket.put_bucket_tagging(tagging({"%@abc": "abc", "123++": "x", "test": "abc"}))
    assert bucket.delete_bucket_tagging(params={"tagging": "%@abc"}).status == 204
    assert bucket.delete_bucket_tagging(params={"tagging": "test,missing"}).status == 204
    assert tags_of(bucket) == {"123++": "x"}


def test_oss2_list_buckets_by_tag(endpoint, auth_version):
    service = oss2_service(endpoint, auth_version)
    prefix = unique_bucket("lt" + auth_version)
    names = [f"{prefix}-{i}" for i in range(3)]
    for n in names:
        oss2.Bucket(service.auth, endpoint, n, region=service.region).create_bucket()
    b = [oss2.Bucket(service.auth, endpoint, n, region=service.region) for n in names]
    b[0].put_bucket_tagging(tagging({"tagging_key_test_test1": "value1", "tagging_key_test1": "value1"}))
    b[1].put_bucket_tagging(tagging({"tagging_key2": "value2"}))

    def listed(params):
        return [x.name for x in service.list_buckets(prefix=prefix, params=params).buckets]

    assert listed({"tag-key": "tagging_key_test_test1", "tag-value": "value1"}) == names[:1]
    assert listed({"tag-key": "tagging_key2"}) == names[1:2]
    assert listed({"tag-key": "tagging_key2", "tag-value": "other"}) == []
    assert listed({"tagging": '"tagging_key_test1":"value1","tagging_key_test_test1":"value1"'}) == names[:1]
    assert listed({}) == names
    with pytest.raises(oss2.exceptions.OssError) as e:
        listed({"tag-value": "value1"})
    assert (e.value.status, e.value.code) == (400, "InvalidArgument")


def test_v2_tags_and_list_filters(endpoint, signer):
    client = v2_client(endpoint, signer)
    prefix = unique_bucket("lv" + signer)
    names = [f"{prefix}-tag{i}" for i in range(1, 4)]
    sets = [{"env": "test"}, {"env": "test", "team": "dev"}, {"env": "prod"}]
    for n, s in zip(names, sets):
        client.put_bucket(oss.PutBucketRequest(bucket=n))
        tags = [oss.Tag(key=k, value=v) for k, v in s.items()]
        client.put_bucket_tags(oss.PutBucketTagsRequest(bucket=n, tagging=oss.Tagging(tag_set=oss.TagSet(tags=tags))))
    got = client.get_bucket_tags(oss.GetBucketTagsRequest(bucket=names[1]))
    assert [(t.key, t.value) for t in got.tagging.tag_set.tags] == [("env", "test"), ("team", "dev")]

    def listed(**kw):
        return [b.name for b in client.list_buckets(oss.ListBucketsRequest(prefix=prefix, **kw)).buckets or []]

    assert listed(tag_key="env") == names
    assert listed(tag_key="env", tag_value="test") == names[:2]
    assert listed(tagging='"env":"test","team":"dev"') == names[1:2]
    r = client.delete_bucket_tags(oss.DeleteBucketTagsRequest(bucket=names[1], tagging="team"))
    assert r.status_code == 204
    assert listed(tagging='"env":"test","team":"dev"') == []


def doc(pairs) -> bytes:
    tags = "".join(f"<Tag><Key>{k}</Key><Value>{v}</Value></Tag>" for k, v in pairs)
    return f"<Tagging><TagSet>{tags}</TagSet></Tagging>".encode()


@pytest.mark.parametrize(
    "pairs, ec",
    [
        ([(f"k{i}", "v") for i in range(21)], None),
        ([("k" * 65, "v")], "0010-00000219"),
        ([("a", "v" * 129)], "0010-00000219"),
        ([("", "v")], "0010-00000219"),
        ([("Aliyun-abc", "v")], "0010-00000207"),
        ([("https://x", "v")], "0010-00000207"),
        ([("acs:abc", "v")], "0010-00000002"),
        ([("a", "1"), ("a", "2")], None),
    ],
)
def test_raw_bad_tags_are_invalid_tag(endpoint, pairs, ec):
    name = unique_bucket("bt")
    assert signed_request(endpoint, "PUT", f"/{name}").status_code == 200
    assert signed_request(endpoint, "PUT", f"/{name}?tagging", data=doc([("keep", "me")])).status_code == 200
    r = signed_request(endpoint, "PUT", f"/{name}?tagging", data=doc(pairs))
    assert r.status_code == 400, r.text
    assert xml_value(r.text, "Code") == "InvalidTag"
    if ec is not None:
        assert xml_value(r.text, "EC") == ec
    got = signed_request(endpoint, "GET", f"/{name}?tagging")
    assert "<Key>keep</Key>" in got.text and "<Key>a</Key>" not in got.text


def test_raw_limits_and_digest(endpoint):
    name = unique_bucket("bt")
    assert signed_request(endpoint, "PUT", f"/{name}").status_code == 200
    full = [(f"k{i:02}" + "x" * 61, "v" * 128) for i in range(20)]
    body = doc(full)
    r = signed_request(endpoint, "PUT", f"/{name}?tagging", data=body, headers={"Content-MD5": md5_b64(body)})
    assert r.status_code == 200, r.text
    other = doc([("z", "1")])
    r = signed_request(endpoint, "PUT", f"/{name}?tagging", data=other, headers={"Content-MD5": md5_b64(body)})
    assert (r.status_code, xml_value(r.text, "Code")) == (400, "InvalidDigest")
    got = signed_request(endpoint, "GET", f"/{name}?tagging")
    assert got.text.count("<Tag>") == 20 and "<Key>z</Key>" not in got.text
    empty = signed_request(endpoint, "DELETE", f"/{name}?tagging")
    assert empty.status_code == 204
    got = signed_request(endpoint, "GET", f"/{name}?tagging")
    assert got.status_code == 200 and "<Tag>" not in got.text and "<Tagging>" in got.text
    # Another method on ?tagging is not a plain bucket request.
    assert signed_request(endpoint, "POST", f"/{name}?tagging").status_code == 405
    missing = signed_request(endpoint, "GET", f"/{unique_bucket('nb')}?tagging")
    assert (missing.status_code, xml_value(missing.text, "Code")) == (404, "NoSuchBucket")
