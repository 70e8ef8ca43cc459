"""Three ossd nodes on one PostgreSQL database and one shared blob directory (docs/scale-out.md),
driven with the official SDKs spread across the nodes: the seed's STS flow (AssumeRole on node A,
upload on B, a signed URL served by C), a policy detached on A denying on B and C within the
documented bound, concurrent writers to one key ending with one winner and no orphan blob, the
leader's background work moving to another node when it is killed, and kill -9 of a node under
load losing no acknowledged write; bucket changes are seen by the next request on any node; an
RPC signature nonce used on one node is refused on the others (the shared nonce table).

PostgreSQL comes from Debian's `postgresql` package (`initdb`, `pg_ctl`; `$OSSD_PG_BIN` first): a
throw-away cluster in a temp directory, removed at the end. Skipped, with the reason printed, when
the binaries are missing or `OSSD_TEST_NO_POSTGRES=1`."""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import oss2
import pytest
import requests
from aliyunsdkram.request.v20150501.AttachPolicyToRoleRequest import AttachPolicyToRoleRequest
from aliyunsdkram.request.v20150501.DetachPolicyFromRoleRequest import DetachPolicyFromRoleRequest

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer
from sts_helpers import STS_VERSION, EXAMPLE, acs_client, assume_role, core_call, rpc_get, rpc_v1_params, seed_ram_setup

# Every node is this account (docs/scale-out.md, "Identity").
ACCOUNT_ID = "1857320964125703"
# The leader lease the nodes run with, seconds.
LEASE = 3
# How late a node may see another node's IAM change: the change feed's poll period (1 s) plus
# slack for a loaded machine; without NOTIFY and the poll it would be the 5 s cache age.
IAM_BOUND = 2.5


def _pg_bin() -> Path | None:
    def has(d: Path) -> bool:
        return (d / "initdb").is_file() and (d / "pg_ctl").is_file()

    if os.environ.get("OSSD_PG_BIN"):
        d = Path(os.environ["OSSD_PG_BIN"])
        return d if has(d) else None
    candidates = [Path(p) for p in os.environ.get("PATH", "").split(os.pathsep) if p]
    candidates.append(Path("/usr/local/bin"))
    candidates.extend(Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True))
    return next((d for d in candidates if has(d)), None)


def _skip(reason: str):
    print(f"\nNOTICE: test_multinode skipped: {reason}", file=sys.stderr)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throw-away PostgreSQL cluster on 127.0.0.1 (run as `postgres` when we are root)."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="ossd-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / program), *args], check=True, capture_output=True)

    def start(self) -> "Postgres":
        self.data.mkdir()
        if self.as_user:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.data, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "ossd", "-A", "trust", "-E", "UTF8", "--no-locale", "-N")
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.data} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
            "-c shared_buffers=16MB"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w", "-o", options, "start")
        return self

    @property
    def url(self) -> str:
        return f"postgres://ossd@127.0.0.1:{self.port}/postgres?pool_size=8"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)


class Cluster:
    """PostgreSQL, a shared directory (blobs, master key) and three nodes A, B, C."""

    def __init__(self, pg: Postgres):
        self.pg = pg
        self.shared = Path(tempfile.mkdtemp(prefix="ossd-shared-"))
        self.nodes: list[OssdServer] = []

    def node_args(self) -> list[str]:
        return [
            "--meta", self.pg.url,
            "--blobs", str(self.shared / "blobs"),
            "--master-key-file", str(self.shared / "master.key"),
            "--leader-lease", str(LEASE),
        ]  # fmt: skip

    def start_node(self, data_dir: Path | None = None) -> OssdServer:
        node = OssdServer(
            data_dir=data_dir,
            extra_env={"OSSD_ACCOUNT_ID": ACCOUNT_ID, "OSSD_LOG": "info"},
            extra_args=self.node_args(),
        ).start()
        return node

    def blob_files(self) -> list[str]:
        return [p.name for p in (self.shared / "blobs" / "objects").glob("*/*/*") if p.is_file()]

    def stop(self) -> None:
        for n in self.nodes:
            n.kill()
            n.cleanup()
        shutil.rmtree(self.shared, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    if os.environ.get("OSSD_TEST_NO_POSTGRES") == "1":
        _skip("OSSD_TEST_NO_POSTGRES=1")
    bin_dir = _pg_bin()
    if bin_dir is None:
        _skip("PostgreSQL (initdb, pg_ctl) not found: install Debian's postgresql package or set OSSD_PG_BIN")
    pg = Postgres(bin_dir)
    c = Cluster(pg)
    try:
        pg.start()
        # The first node creates the shared master key; the others read it.
        c.nodes.append(c.start_node())
        c.nodes.append(c.start_node())
        c.nodes.append(c.start_node())
        yield c
    finally:
        c.stop()
        pg.stop()


def root_bucket(node: OssdServer, name: str) -> oss2.Bucket:
    return oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), node.endpoint, name, region=REGION)


def sts_bucket(node: OssdServer, c: dict, name: str = EXAMPLE, version: str = "v4") -> oss2.Bucket:
    auth = oss2.StsAuth(c["AccessKeyId"], c["AccessKeySecret"], c["SecurityToken"], auth_version=version)
    return oss2.Bucket(auth, node.endpoint, name, region=REGION)


@pytest.fixture(scope="module")
def seed(cluster):
    a = cluster.nodes[0]
    s = seed_ram_setup(a)
    assert s["account_id"] == ACCOUNT_ID
    root_bucket(a, EXAMPLE).create_bucket()
    return s


def test_seed_flow_across_nodes(cluster, seed):
    a, b, c = cluster.nodes
    creds = assume_role(a, seed)["Credentials"]  # issued (and sealed) by node A
    data = b"uploaded through node B with a token from node A"
    assert sts_bucket(b, creds).put_object("seed/flow.txt", data).status == 200
    url = sts_bucket(c, creds).sign_url("GET", "seed/flow.txt", 600)
    assert url.startswith(c.endpoint)
    r = requests.get(url, timeout=30)
    assert (r.status_code, r.content) == (200, data)
    # A and C see B's write too, as root.
    assert root_bucket(a, EXAMPLE).get_object("seed/flow.txt").read() == data


def _role_policy(node: OssdServer, seed: dict, attach: bool) -> None:
    r = AttachPolicyToRoleRequest() if attach else DetachPolicyFromRoleRequest()
    r.set_PolicyType("Custom")
    r.set_PolicyName(seed["policy_name"])
    r.set_RoleName(seed["role_name"])
    core_call(acs_client(node), node, r)


def test_detached_policy_denies_on_every_node_within_the_bound(cluster, seed):
    a, b, c = cluster.nodes
    creds = assume_role(a, seed)["Credentials"]
    root_bucket(a, EXAMPLE).put_object("seed/detach.txt", b"x")
    readers = {n.endpoint: sts_bucket(n, creds) for n in (b, c)}
    # Warm every node's policy cache.
    for bucket in readers.values():
        assert bucket.get_object("seed/detach.txt").read() == b"x"
    _role_policy(a, seed, attach=False)
    detached = time.monotonic()
    try:
        pending = dict(readers)
        while pending:
            for endpoint, bucket in list(pending.items()):
                try:
                    bucket.get_object("seed/detach.txt").read()
                except oss2.exceptions.AccessDenied:
                    del pending[endpoint]
            elapsed = time.monotonic() - detached
            assert elapsed < IAM_BOUND, f"still allowed after {elapsed:.2f}s on {list(pending)}"
            time.sleep(0.05)
    finally:
        _role_policy(a, seed, attach=True)
    # Attaching it again is seen everywhere too.
    deadline = time.monotonic() + IAM_BOUND
    for bucket in readers.values():
        while True:
            try:
                assert bucket.get_object("seed/detach.txt").read() == b"x"
                break
            except oss2.exceptions.AccessDenied:
                assert time.monotonic() < deadline, "the re-attached policy did not reach every node"
                time.sleep(0.05)


def test_bucket_changes_are_seen_by_the_next_request_on_every_node(cluster):
    # PostgreSQL-backed nodes keep no bucket cache (docs/scale-out.md, "Caches"): no delay.
    a, b, c = cluster.nodes
    name = "acl-bucket"
    root_bucket(a, name).create_bucket()
    root_bucket(a, name).put_object("public.txt", b"hello")
    url = f"{c.endpoint}/{name}/public.txt"
    assert requests.get(url, timeout=30).status_code == 403
    root_bucket(a, name).put_bucket_public_access_block(False)  # docs/protocol/buckets.md#new-bucket-defaults
    root_bucket(a, name).put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ)
    r = requests.get(url, timeout=30)
    assert (r.status_code, r.content) == (200, b"hello")
    root_bucket(b, name).put_bucket_acl(oss2.BUCKET_ACL_PRIVATE)
    assert requests.get(f"{a.endpoint}/{name}/public.txt", timeout=30).status_code == 403
    root_bucket(c, name).delete_object("public.txt")
    root_bucket(c, name).delete_bucket()
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        root_bucket(b, name).get_bucket_info()


def test_an_rpc_nonce_used_on_one_node_is_refused_on_the_others(cluster):
    # docs/scale-out.md, "Caches": nonces are recorded in the database, not only per node.
    a, b, c = cluster.nodes
    params, _ = rpc_v1_params("GetCallerIdentity", STS_VERSION, ACCESS_KEY_ID, ACCESS_KEY_SECRET)
    first = rpc_get(a, params)
    assert first.status_code == 200, first.text
    for node in (b, c, a):
        again = rpc_get(node, params)
        assert again.status_code == 400, again.text
        assert again.json()["Code"] == "SignatureNonceUsed"
    # Another nonce with the same signing key is fine on any node.
    fresh, _ = rpc_v1_params("GetCallerIdentity", STS_VERSION, ACCESS_KEY_ID, ACCESS_KEY_SECRET)
    assert rpc_get(c, fresh).status_code == 200


def test_concurrent_writers_to_one_key_leave_one_winner_and_no_orphan(cluster):
    name = "race-bucket"
    root_bucket(cluster.nodes[0], name).create_bucket()
    before = set(cluster.blob_files())
    # Bodies above the inline threshold, so each write makes a blob.
    bodies = {f"{n}-{i}": hashlib.sha256(f"{n}-{i}".encode()).digest() * 4096 for n in range(3) for i in range(6)}
    errors: list[BaseException] = []

    def writer(node: OssdServer, tags: list[str]):
        bucket = root_bucket(node, name)
        try:
            for tag in tags:
                bucket.put_object("contended", bodies[tag])
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [
        threading.Thread(target=writer, args=(node, [t for t in bodies if t.startswith(f"{n}-")]))
        for n, node in enumerate(cluster.nodes)
        for _ in range(1)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    finals = {root_bucket(n, name).get_object("contended").read() for n in cluster.nodes}
    assert len(finals) == 1, "every node reads the same winner"
    assert finals.pop() in bodies.values()
    created = set(cluster.blob_files()) - before
    assert len(created) == 1, f"the winner's blob only, found {len(created)}"


def _leader(cluster: Cluster) -> OssdServer | None:
    """The node whose log last says it became leader (and is alive)."""
    best, at = None, -1
    for n in cluster.nodes:
        if n.proc is None or n.proc.poll() is not None:
            continue
        with n._log_lock:
            lines = list(n.log)
        for i, line in enumerate(lines):
            if "now the cluster leader" in line and i >= at:
                best, at = n, i
    return best


def _wait_leader(cluster: Cluster, within: float, exclude: OssdServer | None = None) -> OssdServer:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for n in cluster.nodes:
            if n is exclude or n.proc is None or n.proc.poll() is not None:
                continue
            if any("now the cluster leader" in line for line in n.log):
                return n
        time.sleep(0.1)
    raise AssertionError(f"no leader within {within}s")


def test_killing_the_leader_moves_the_background_work(cluster):
    leader = _wait_leader(cluster, LEASE * 2)
    leaders = [n for n in cluster.nodes if any("now the cluster leader" in line for line in n.log)]
    assert leaders == [leader], "exactly one node leads"
    killed_at = time.monotonic()
    leader.kill()
    successor = _wait_leader(cluster, LEASE + LEASE / 3 + 3, exclude=leader)
    took = time.monotonic() - killed_at
    assert successor is not leader
    assert took < LEASE + LEASE / 3 + 3, f"takeover took {took:.1f}s"
    # The killed node comes back as a follower on its data directory.
    index = cluster.nodes.index(leader)
    cluster.nodes[index] = cluster.start_node(data_dir=leader.data_dir)
    cluster.nodes[index]._own_dir = True


def test_kill9_of_a_node_under_load_loses_no_acknowledged_write(cluster):
    name = "load-bucket"
    a, b, c = cluster.nodes
    root_bucket(a, name).create_bucket()
    acked: dict[str, bytes] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def writer(node: OssdServer, prefix: str):
        bucket = oss2.Bucket(
            oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), node.endpoint, name, region=REGION, connect_timeout=5
        )
        i = 0
        while not stop.is_set():
            key = f"{prefix}/{i:05d}"
            body = hashlib.sha256(key.encode()).digest() * (64 if i % 2 else 2048)
            i += 1
            try:
                bucket.put_object(key, body)
            except (oss2.exceptions.OssError, requests.exceptions.RequestException):
                continue  # not acknowledged: no promise
            with lock:
                acked[key] = body

    threads = [threading.Thread(target=writer, args=(n, f"{tag}{t}")) for tag, n in (("b", b), ("c", c)) for t in range(2)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    b.kill()  # SIGKILL mid-load
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join()
    assert any(k.startswith("b") for k in acked), "node B acknowledged writes before it died"
    survivor = root_bucket(a, name)
    for key, body in acked.items():
        assert survivor.get_object(key).read() == body, key
    index = cluster.nodes.index(b)
    cluster.nodes[index] = cluster.start_node(data_dir=b.data_dir)
    cluster.nodes[index]._own_dir = True
