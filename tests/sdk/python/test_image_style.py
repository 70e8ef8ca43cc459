"""Image styles (docs/protocol/image-processing.md#styles): oss2 put/get/list/delete_bucket_style, then
get_object(process='style/NAME') resolving the stored pipeline; unknown styles are 404
NoSuchStyle. The source PNG is generated as in test_image.py."""

from __future__ import annotations

import oss2
import pytest

from test_image import make_png, png_size


@pytest.fixture
def source(bucket):
    data = make_png(400, 200)
    bucket.put_object("img/style-src.png", data, headers={"Content-Type": "image/png"})
    return data


def test_style_lifecycle_and_use(bucket, source):
    bucket.put_bucket_style("small", "image/resize,w_200")
    bucket.put_bucket_style("tiny", "image/resize,w_100/format,png")

    got = bucket.get_bucket_style("small")
    assert got.name == "small"
    assert got.content == "image/resize,w_200"
    assert got.create_time and got.last_modify_time

    names = sorted(s.name for s in bucket.list_bucket_style().styles)
    assert names == ["small", "tiny"]

    r = bucket.get_object("img/style-src.png", process="style/small")
    assert r.status == 200
    assert png_size(r.read()) == (200, 100)
    r = bucket.get_object("img/style-src.png", process="style/tiny")
    assert png_size(r.read()) == (100, 50)

    bucket.put_bucket_style("small", "image/resize,w_50")
    assert bucket.get_bucket_style("small").content == "image/resize,w_50"

    r = bucket.delete_bucket_style("small")
    assert r.status == 204
    assert [s.name for s in bucket.list_bucket_style().styles] == ["tiny"]
    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.get_bucket_style("small")
    assert (e.value.status, e.value.code) == (404, "NoSuchStyle")
    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.get_object("img/style-src.png", process="style/small")
    assert (e.value.status, e.value.code) == (404, "NoSuchStyle")
    bucket.delete_bucket_style("tiny")


def test_style_content_is_validated(bucket):
    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.put_bucket_style("bad", "image/nosuchaction,w_1")
    assert e.value.status == 400
    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.put_bucket_style("bad name!", "image/resize,w_1")
    assert e.value.status == 400


def test_style_content_rules_and_category(bucket, source, endpoint):
    """Empty content is refused with OSS's message; content that is not an image pipeline is
    stored as sent (oss2's test_bucket_style_content) and fails only when used; GetStyle and
    ListStyle carry the category, `image` by default (docs/protocol/image-processing.md#styles)."""
    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.put_bucket_style("empty", "")
    assert (e.value.status, e.value.code) == (400, "InvalidArgument")
    assert e.value.details["Message"] == "Style content is invalid."
    bucket.put_bucket_style("opaque", "csdar5324")
    got = bucket.get_bucket_style("opaque")
    assert (got.name, got.content) == ("opaque", "csdar5324")
    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.get_object("img/style-src.png", process="style/opaque")
    assert e.value.status == 400
    # the category, through the raw XML oss2 does not model
    r = bucket._do("GET", bucket.bucket_name, "", params={"style": "", "styleName": "opaque"})
    assert b"<Category>image</Category>" in r.read()
    bucket.delete_bucket_style("opaque")
