"""Image watermarks (spec 19.2): `image/watermark,image_<b64 key>` reads the mark from another
object of the same bucket; a missing mark is 404 NoSuchKey, a text mark is 501 NotImplemented."""

from __future__ import annotations

import base64

import oss2
import pytest

from test_image import make_png, png_size


def b64(s: str) -> str:
    return base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")


def test_image_watermark(bucket):
    bucket.put_object("wm/main.png", make_png(200, 100))
    bucket.put_object("wm/logo.png", make_png(20, 20))
    r = bucket.get_object("wm/main.png", process=f"image/watermark,image_{b64('wm/logo.png')},t_80,g_se")
    body = r.read()
    assert r.status == 200
    assert png_size(body) == (200, 100)
    assert body != make_png(200, 100)

    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.get_object("wm/main.png", process=f"image/watermark,image_{b64('wm/none.png')}")
    assert (e.value.status, e.value.code) == (404, "NoSuchKey")
    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.get_object("wm/main.png", process=f"image/watermark,text_{b64('hi')}")
    assert (e.value.status, e.value.code) == (501, "NotImplemented")
