"""One server per data directory: a second `ossd serve` on a directory in use refuses to start
(the SQLite writer and its bucket cache assume they see every write), and the lock is released
when the first server stops, however it stops."""

from __future__ import annotations

import time

import pytest

from ossd_harness import OssdServer


def test_second_server_on_the_same_data_dir_is_refused(tmp_path):
    first = OssdServer(data_dir=tmp_path / "d").start()
    try:
        second = OssdServer(data_dir=tmp_path / "d", extra_env={"RUST_BACKTRACE": "0"})
        with pytest.raises(RuntimeError, match="exited early"):
            second.start()
        assert second.proc is not None and second.proc.returncode not in (None, 0)
        # the log reader thread may still be draining stderr
        deadline = time.monotonic() + 5
        while "is in use by another ossd process" not in second.tail(200) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert "is in use by another ossd process" in second.tail(200)
    finally:
        first.kill()
    # SIGKILL releases the lock too: a new server starts on the same directory.
    again = OssdServer(data_dir=tmp_path / "d").start()
    again.stop()
