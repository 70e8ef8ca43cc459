"""The S3 dialect with rclone from Debian (docs/s3.md): copy, sync, listing, cat, check and purge
against ossd as an S3 provider, as a backup or CI tool would use it."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import unique_bucket
from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET
from s3_helpers import start_s3_server

RCLONE = shutil.which("rclone")
if RCLONE is None and os.environ.get("OSSD_TEST_NO_SYSTEM_PACKAGES") == "1":
    pytest.skip("rclone (Debian package) not installed: OSSD_TEST_NO_SYSTEM_PACKAGES=1", allow_module_level=True)


@pytest.fixture(scope="module")
def srv():
    server = start_s3_server()
    yield server
    server.stop()
    server.cleanup()


@pytest.fixture(scope="module")
def rclone(srv, tmp_path_factory):
    assert RCLONE, "rclone is not installed (scripts/test installs Debian's rclone package)"
    home = tmp_path_factory.mktemp("rclone")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "RCLONE_CONFIG": str(home / "rclone.conf"),
        "RCLONE_CONFIG_OSSD_TYPE": "s3",
        "RCLONE_CONFIG_OSSD_PROVIDER": "Other",
        "RCLONE_CONFIG_OSSD_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "RCLONE_CONFIG_OSSD_SECRET_ACCESS_KEY": ACCESS_KEY_SECRET,
        "RCLONE_CONFIG_OSSD_ENDPOINT": srv.endpoint,
        "RCLONE_CONFIG_OSSD_REGION": "us-east-1",
        "RCLONE_CONFIG_OSSD_FORCE_PATH_STYLE": "true",
        # rclone sends `x-amz-acl: private` unless told otherwise; a new bucket's ACLs are disabled
        # (BucketOwnerEnforced, docs/s3.md#new-bucket-defaults), which takes only the owner's full
        # control or no ACL (S3 User Guide, Object Ownership "Troubleshooting"), as on AWS.
        "RCLONE_CONFIG_OSSD_ACL": "bucket-owner-full-control",
    }

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run([RCLONE, "--retries", "1", "--low-level-retries", "1", *args],
                              env=env, capture_output=True, text=True, timeout=180)
        if check and proc.returncode != 0:
            raise AssertionError(f"rclone {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc

    return run


def test_copy_sync_list_cat_check_purge(rclone, tmp_path):
    bucket = unique_bucket("rclone")
    rclone("mkdir", f"ossd:{bucket}")
    src = tmp_path / "src"
    (src / "deep" / "er").mkdir(parents=True)
    (src / "a.txt").write_text("alpha")
    (src / "deep" / "b.bin").write_bytes(os.urandom(300_000))
    # Above rclone's multipart cutoff, in 5 MiB chunks.
    (src / "deep" / "er" / "big.bin").write_bytes(os.urandom(12 * 1024 * 1024))
    rclone("copy", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", str(src), f"ossd:{bucket}/tree")
    listing = rclone("lsf", "-R", f"ossd:{bucket}/tree").stdout.split()
    assert sorted(listing) == ["a.txt", "deep/", "deep/b.bin", "deep/er/", "deep/er/big.bin"]
    assert rclone("cat", f"ossd:{bucket}/tree/a.txt").stdout == "alpha"
    rclone("check", str(src), f"ossd:{bucket}/tree")
    back = tmp_path / "back"
    rclone("sync", f"ossd:{bucket}/tree", str(back))
    assert (back / "deep" / "er" / "big.bin").read_bytes() == (src / "deep" / "er" / "big.bin").read_bytes()
    (src / "a.txt").unlink()
    rclone("sync", str(src), f"ossd:{bucket}/tree")
    assert "a.txt" not in rclone("lsf", "-R", f"ossd:{bucket}/tree").stdout.split()
    rclone("purge", f"ossd:{bucket}")
    assert bucket not in rclone("lsd", "ossd:").stdout
