"""Image memory is bounded by decoded bytes, not pixels (docs/limits.md, "Image processing"):
a 16-bit 225-megapixel PNG of a few MB is refused from its header with 400 ImageTooLarge, one
request at a time or eight at once, and the server's peak RSS stays small; a normal image still
processes. The PNG is written here with zlib, row by row (no Pillow, no GB buffer)."""

from __future__ import annotations

import concurrent.futures
import struct
import zlib

import oss2
import pytest

from conftest import oss2_bucket, unique_bucket
from ossd_harness import OssdServer
from test_image import make_png, png_size

SIDE = 15_000  # 225 Mpx; 16-bit RGB decodes to 1.35 GB
RSS_LIMIT_KB = 300 * 1024


def png16_black(width: int, height: int) -> bytes:
    """A black 16-bit RGB PNG, compressed a row at a time."""
    z = zlib.compressobj(9)
    row = b"\x00" * (1 + width * 6)  # filter byte 0, then 6 bytes a pixel
    parts = [z.compress(row) for _ in range(height)]
    parts.append(z.flush())
    idat = b"".join(parts)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def vm_hwm_kb(pid: int) -> int:
    """The process's peak resident set (VmHWM), KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


@pytest.fixture(scope="module")
def own_server():
    """A server of its own, so its peak RSS reflects only these requests."""
    srv = OssdServer().start()
    yield srv
    srv.stop()
    srv.cleanup()


@pytest.fixture(scope="module")
def big_png() -> bytes:
    return png16_black(SIDE, SIDE)


@pytest.fixture(scope="module")
def img_bucket(own_server):
    b = oss2_bucket(own_server.endpoint, unique_bucket("imgmem"), "v4")
    b.create_bucket()
    return b


def test_the_bomb_is_small(big_png):
    assert len(big_png) < 20 * 1024 * 1024
    assert big_png[24] == 16  # bit depth


def test_a_16_bit_225_megapixel_png_is_refused_without_decoding(own_server, img_bucket, big_png):
    img_bucket.put_object("bomb16.png", big_png)
    with pytest.raises(oss2.exceptions.ServerError) as e:
        img_bucket.get_object("bomb16.png", process="image/resize,w_100")
    assert e.value.status == 400
    assert e.value.code == "ImageTooLarge"
    assert vm_hwm_kb(own_server.proc.pid) < RSS_LIMIT_KB
    # Its header alone is still answered.
    info = img_bucket.get_object("bomb16.png", process="image/info").read()
    assert b'"ImageWidth":{"value":"15000"}' in info


def test_eight_at_once_are_refused_and_the_server_lives(own_server, img_bucket, big_png):
    img_bucket.put_object("bomb16.png", big_png)

    def one(_: int):
        try:
            img_bucket.get_object("bomb16.png", process="image/resize,w_100").read()
            return 200, None
        except oss2.exceptions.OssError as e:
            return e.status, e.code

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(8)))
    assert results == [(400, "ImageTooLarge")] * 8, results
    assert own_server.proc.poll() is None
    assert vm_hwm_kb(own_server.proc.pid) < RSS_LIMIT_KB

    # A normal image still processes.
    img_bucket.put_object("small.png", make_png(200, 100))
    out = img_bucket.get_object("small.png", process="image/resize,w_50").read()
    assert png_size(out) == (50, 25)
