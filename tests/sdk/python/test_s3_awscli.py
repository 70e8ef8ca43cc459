"""The S3 dialect with aws-cli (docs/s3.md): `aws s3` (mb, cp, ls, sync, rm, rb) and `aws s3api`,
as a user would type them."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import unique_bucket
from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION
from s3_helpers import start_s3_server

AWS = Path(sys.executable).with_name("aws")


@pytest.fixture(scope="module")
def srv():
    server = start_s3_server()
    yield server
    server.stop()
    server.cleanup()


@pytest.fixture(scope="module")
def aws(srv, tmp_path_factory):
    home = tmp_path_factory.mktemp("aws-home")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": ACCESS_KEY_SECRET,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "AWS_MAX_ATTEMPTS": "1",
    }

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [str(AWS), "--endpoint-url", srv.endpoint, *args],
            env=env, capture_output=True, text=True, timeout=120,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc

    return run


def test_s3_commands(aws, tmp_path):
    bucket = unique_bucket("cli")
    aws("s3", "mb", f"s3://{bucket}")
    assert bucket in aws("s3", "ls").stdout
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("alpha")
    (src / "sub" / "b.bin").write_bytes(os.urandom(9 * 1024 * 1024))
    # `aws s3 sync` re-uploads a file whose mtime is later than the object's LastModified, which
    # has whole seconds (as on S3): files written in the second of their upload would look newer.
    past = time.time() - 60
    for f in (src / "a.txt", src / "sub" / "b.bin"):
        os.utime(f, (past, past))
    aws("s3", "cp", str(src / "a.txt"), f"s3://{bucket}/one/a.txt")
    aws("s3", "sync", str(src), f"s3://{bucket}/tree")
    listing = aws("s3", "ls", "--recursive", f"s3://{bucket}/").stdout
    assert "one/a.txt" in listing and "tree/sub/b.bin" in listing and "tree/a.txt" in listing
    back = tmp_path / "back"
    aws("s3", "sync", f"s3://{bucket}/tree", str(back))
    assert (back / "sub" / "b.bin").read_bytes() == (src / "sub" / "b.bin").read_bytes()
    again = aws("s3", "sync", str(src), f"s3://{bucket}/tree").stdout
    assert again.strip() == "", f"a second sync uploaded again: {again}"
    aws("s3", "cp", f"s3://{bucket}/one/a.txt", str(tmp_path / "a-copy.txt"))
    assert (tmp_path / "a-copy.txt").read_text() == "alpha"
    aws("s3", "mv", f"s3://{bucket}/one/a.txt", f"s3://{bucket}/two/a.txt")
    assert "one/a.txt" not in aws("s3", "ls", "--recursive", f"s3://{bucket}/").stdout
    failed = aws("s3", "rb", f"s3://{bucket}", check=False)
    assert failed.returncode != 0 and "BucketNotEmpty" in failed.stderr
    aws("s3", "rm", "--recursive", f"s3://{bucket}/")
    aws("s3", "rb", f"s3://{bucket}")
    assert bucket not in aws("s3", "ls").stdout


def test_s3api_commands(aws, tmp_path):
    bucket = unique_bucket("api")
    aws("s3api", "create-bucket", "--bucket", bucket)
    body = tmp_path / "body"
    body.write_bytes(b"api-bytes")
    put = json.loads(aws("s3api", "put-object", "--bucket", bucket, "--key", "k", "--body", str(body),
                         "--metadata", "owner=cli").stdout)
    assert put["ETag"] == '"' + hashlib.md5(b"api-bytes").hexdigest() + '"'
    head = json.loads(aws("s3api", "head-object", "--bucket", bucket, "--key", "k").stdout)
    assert head["ContentLength"] == 9 and head["Metadata"] == {"owner": "cli"}
    out = tmp_path / "out"
    aws("s3api", "get-object", "--bucket", bucket, "--key", "k", "--range", "bytes=0-2", str(out))
    assert out.read_bytes() == b"api"
    missing = aws("s3api", "head-object", "--bucket", bucket, "--key", "nope", check=False)
    assert missing.returncode != 0 and "404" in missing.stderr
    listed = json.loads(aws("s3api", "list-objects-v2", "--bucket", bucket).stdout)
    assert [o["Key"] for o in listed["Contents"]] == ["k"]


def test_sts_commands(aws):
    who = json.loads(aws("sts", "get-caller-identity").stdout)
    assert who["Account"] and who["Arn"].endswith(":root")
