"""Watermarks (docs/protocol/image-processing.md#watermarks) through oss2: image marks read from another object of the same bucket
(a missing one is 404 NoSuchKey; `resize,P_<n>` in the mark's own pipeline scales it to a share of
the main image), text marks drawn with the bundled fonts (colour, position, tiling, errors), and
both side by side. Pixels are checked on BMP output, parsed here."""

from __future__ import annotations

import base64
import struct
import zlib

import oss2
import pytest
import requests

from test_image import make_png, png_size

RED = (255, 0, 0)
WHITE = (255, 255, 255)
BLUE = (0, 0, 255)


def b64(s: str) -> str:
    return base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")


def solid_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """An RGB PNG of one colour."""
    row = b"\x00" + bytes(rgb) * width

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(row * height)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


class Bmp:
    """A decoded 24- or 32-bit uncompressed BMP: `size` and `px(x, y)` as (r, g, b)."""

    def __init__(self, data: bytes):
        assert data[:2] == b"BM", data[:16]
        offset = struct.unpack_from("<I", data, 10)[0]
        width, height = struct.unpack_from("<ii", data, 18)
        bpp = struct.unpack_from("<H", data, 28)[0]
        assert bpp in (24, 32), bpp
        self.size = (width, abs(height))
        self._top_down = height < 0
        self._bytes = bpp // 8
        self._stride = (bpp * width + 31) // 32 * 4
        self._data = data
        self._offset = offset

    def px(self, x: int, y: int) -> tuple[int, int, int]:
        row = y if self._top_down else self.size[1] - 1 - y
        i = self._offset + row * self._stride + x * self._bytes
        b, g, r = self._data[i : i + 3]
        return (r, g, b)

    def where(self, pred) -> list[tuple[int, int]]:
        w, h = self.size
        return [(x, y) for y in range(h) for x in range(w) if pred(self.px(x, y))]


def near(p, c, tol: int = 40) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(p, c))


def bbox(points):
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def processed(bucket, key: str, process: str) -> Bmp:
    r = bucket.get_object(key, process=process + "/format,bmp")
    assert r.status == 200
    assert r.headers["Content-Type"] == "image/bmp"
    return Bmp(r.read())


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


def test_nested_percent_scales_the_mark_to_the_main_image(bucket):
    bucket.put_object("wm/white.png", solid_png(200, 100, WHITE))
    bucket.put_object("wm/blue.png", solid_png(10, 10, BLUE))
    mark = b64("wm/blue.png?x-oss-process=image/resize,P_20")
    img = processed(bucket, "wm/white.png", f"image/watermark,image_{mark},g_nw,x_0,y_0")
    assert img.size == (200, 100)
    # 20% of 200x100 is a 40x20 box; the square mark fits it as 20x20.
    assert bbox(img.where(lambda p: p == BLUE)) == (0, 0, 19, 19)


def test_text_watermark_draws_the_colour_in_its_cell_only(bucket):
    bucket.put_object("wm/white.png", solid_png(300, 200, WHITE))
    plain = processed(bucket, "wm/white.png", "image/resize,p_100")
    img = processed(bucket, "wm/white.png", f"image/watermark,text_{b64('OSS 水印')},color_FF0000,size_40")
    assert img.size == plain.size == (300, 200)
    red = img.where(lambda p: near(p, RED))
    assert len(red) > 150, len(red)
    x0, y0, x1, y1 = bbox(red)
    # Default g_se with 10 px margins: the text ends near the bottom-right corner.
    assert x0 > 100 and y0 > 120, (x0, y0)
    assert 280 <= x1 <= 290 and 170 <= y1 <= 190, (x1, y1)
    # Everything outside the text's box is exactly as without the watermark.
    changed = [(x, y) for (x, y) in img.where(lambda p: p != WHITE)]
    cx0, cy0, cx1, cy1 = bbox(changed)
    assert cx0 >= x0 - 2 and cy0 >= y0 - 2 and cx1 <= x1 + 2 and cy1 <= y1 + 2
    assert all(plain.px(x, y) == WHITE for x, y in [(0, 0), (150, 100), (299, 0), (0, 199)])


def test_text_watermark_position_font_and_signed_url(bucket):
    bucket.put_object("wm/white.png", solid_png(300, 200, WHITE))
    font = b64("fangzhengkaiti")
    process = f"image/watermark,text_{b64('hello')},type_{font},color_0000FF,g_nw,x_5,y_5,size_30"
    img = processed(bucket, "wm/white.png", process)
    x0, y0, x1, y1 = bbox(img.where(lambda p: near(p, BLUE)))
    assert 5 <= x0 <= 10 and 5 <= y0 <= 20 and x1 < 100 and y1 < 50, (x0, y0, x1, y1)
    # The same through a signed URL (the process is part of what is signed).
    url = bucket.sign_url("GET", "wm/white.png", 60, params={"x-oss-process": process + "/format,bmp"})
    r = requests.get(url, timeout=10)
    assert r.status_code == 200, r.text
    assert Bmp(r.content).where(lambda p: near(p, BLUE)) == img.where(lambda p: near(p, BLUE))


def test_text_watermark_fill_tiles_the_image(bucket):
    bucket.put_object("wm/white.png", solid_png(400, 400, WHITE))
    img = processed(bucket, "wm/white.png", f"image/watermark,text_{b64('tile')},color_FF0000,size_24,fill_1,rotate_30")
    assert img.size == (400, 400)
    red = set(img.where(lambda p: near(p, RED)))
    for qx in (0, 200):
        for qy in (0, 200):
            hits = sum(1 for (x, y) in red if qx <= x < qx + 200 and qy <= y < qy + 200)
            assert hits > 50, ((qx, qy), hits)
    once = processed(bucket, "wm/white.png", f"image/watermark,text_{b64('tile')},color_FF0000,size_24")
    assert len(once.where(lambda p: near(p, RED))) * 4 < len(red)


def test_image_and_text_side_by_side(bucket):
    bucket.put_object("wm/white.png", solid_png(300, 100, WHITE))
    bucket.put_object("wm/blue.png", solid_png(20, 20, BLUE))
    process = (
        f"image/watermark,image_{b64('wm/blue.png')},text_{b64('Hi')},color_FF0000,"
        "g_nw,x_0,y_0,order_0,interval_10"
    )
    img = processed(bucket, "wm/white.png", process)
    bx0, _, bx1, _ = bbox(img.where(lambda p: p == BLUE))
    tx0, _, _, _ = bbox(img.where(lambda p: near(p, RED)))
    assert (bx0, bx1) == (0, 19)
    assert tx0 >= 30
    img = processed(bucket, "wm/white.png", process.replace("order_0", "order_1"))
    bx0, _, _, _ = bbox(img.where(lambda p: p == BLUE))
    _, _, tx1, _ = bbox(img.where(lambda p: near(p, RED)))
    assert tx1 < bx0


@pytest.mark.parametrize(
    "params, mention",
    [
        (f"text_{b64('hi')},type_{b64('comic-sans')}", "type"),
        (f"text_{b64('hi')},size_0", "size"),
        (f"text_{b64('hi')},size_1001", "size"),
        (f"text_{b64('hi')},color_red", "color"),
        (f"text_{b64('hi')},rotate_361", "rotate"),
        (f"text_{b64('hi')},fill_2", "fill"),
        (f"text_{b64('x' * 65)}", "text"),
        ("text_%25%25", "text"),
    ],
)
def test_text_watermark_bad_parameters(bucket, params, mention):
    bucket.put_object("wm/white.png", solid_png(50, 50, WHITE))
    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.get_object("wm/white.png", process=f"image/watermark,{params}")
    assert (e.value.status, e.value.code) == (400, "InvalidArgument")
    assert f"'{mention}'" in e.value.message


def test_text_watermark_too_large_is_refused(bucket):
    bucket.put_object("wm/white.png", solid_png(50, 50, WHITE))
    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.get_object("wm/white.png", process=f"image/watermark,text_{b64('W' * 64)},size_1000")
    assert (e.value.status, e.value.code) == (400, "ImageTooLarge")
    # The server keeps serving.
    assert bucket.get_object("wm/white.png").read() == solid_png(50, 50, WHITE)
