"""Image processing on download (docs/protocol/image-processing.md): oss2 get_object(process=...), oss2 signed URLs with
x-oss-process, image/info JSON, and the error and header rules (no source CRC-64, source ETag).

Source images are generated here: a PNG written by hand with zlib + struct (no Pillow)."""

from __future__ import annotations

import json
import struct
import zlib

import oss2
import pytest
import requests

from conftest import etag_inner


def make_png(width: int, height: int) -> bytes:
    """An RGB PNG with a diagonal gradient (filter 0 rows, one IDAT)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += bytes(((x * 255) // max(width - 1, 1), (y * 255) // max(height - 1, 1), 128))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b"")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:16]
    return struct.unpack(">II", data[16:24])


def webp_size(data: bytes) -> tuple[int, int]:
    """Width and height from a WebP header (VP8, VP8L or VP8X)."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP", data[:16]
    kind = data[12:16]
    if kind == b"VP8 ":
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if kind == b"VP8L":
        b = int.from_bytes(data[21:25], "little")
        return (b & 0x3FFF) + 1, ((b >> 14) & 0x3FFF) + 1
    assert kind == b"VP8X", kind
    return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1


PIPELINE = "image/resize,w_300/crop,w_100,h_100,g_center/format,webp/quality,q_80"


@pytest.fixture
def source(bucket):
    data = make_png(600, 400)
    bucket.put_object("img/src.png", data, headers={"Content-Type": "image/png"})
    return data


def test_get_object_with_process_gives_webp(bucket, source):
    r = bucket.get_object("img/src.png", process=PIPELINE)
    body = r.read()
    assert r.status == 200
    assert r.headers["Content-Type"] == "image/webp"
    assert int(r.headers["Content-Length"]) == len(body)
    assert webp_size(body) == (100, 100)
    assert "x-oss-hash-crc64ecma" not in r.headers
    assert r.etag == etag_inner(source)


def test_get_object_to_file_with_process_passes_the_crc_check(bucket, source, tmp_path):
    out = tmp_path / "thumb.png"
    bucket.get_object_to_file("img/src.png", str(out), process="image/resize,w_150")
    assert png_size(out.read_bytes()) == (150, 100)


def test_signed_url_with_process(bucket, source):
    url = bucket.sign_url("GET", "img/src.png", 60, params={"x-oss-process": "image/resize,w_200"})
    assert "x-oss-process=image%2Fresize%2Cw_200" in url
    r = requests.get(url, timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "image/png"
    assert png_size(r.content) == (200, 133)


def test_info_json(bucket, source):
    r = bucket.get_object("img/src.png", process="image/info")
    assert r.headers["Content-Type"] == "application/json"
    info = json.loads(r.read())
    assert info["FileSize"]["value"] == str(len(source))
    assert info["Format"]["value"] == "png"
    assert info["ImageWidth"]["value"] == "600"
    assert info["ImageHeight"]["value"] == "400"


def test_average_hue_json(bucket, source):
    hue = json.loads(bucket.get_object("img/src.png", process="image/average-hue").read())
    assert hue["RGB"].startswith("0x") and len(hue["RGB"]) == 8


def test_errors(bucket, source):
    bucket.put_object("img/not-an-image.txt", b"hello world")
    cases = [
        ("img/src.png", "image/resize,w_0", "InvalidArgument"),
        ("img/src.png", "image/explode,1", "InvalidArgument"),
        ("img/src.png", "image/crop,x_9999,w_10", "BadRequest"),
        ("img/not-an-image.txt", "image/resize,w_10", "BadRequest"),
    ]
    for key, process, code in cases:
        with pytest.raises(oss2.exceptions.ServerError) as e:
            bucket.get_object(key, process=process).read()
        assert e.value.status == 400, process
        assert e.value.code == code, process
    with pytest.raises(oss2.exceptions.ServerError) as e:
        bucket.get_object("img/src.png", process="style/thumb").read()
    assert (e.value.status, e.value.code) == (404, "NoSuchStyle")
    with pytest.raises(oss2.exceptions.NoSuchKey):
        bucket.get_object("img/missing.png", process="image/info")
