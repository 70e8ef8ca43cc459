"""The operations surface end to end: `/-/health/live` and `/-/health/ready`, `/-/metrics` (parsed
with the `prometheus-client` text parser; scraped with the bearer token and with a root-signed
request; refused anonymously and with a wrong token), and the JSON access log (one line per
request, matched by `x-oss-request-id`, with the right principal, and none of the secrets, tokens
or signatures used anywhere in the log).

The server here is dedicated: `--log-format json`, a metrics token in `OSSD_METRICS_TOKEN`, and its
stderr (the log) in a file apart from the stdout banner."""

from __future__ import annotations

import atexit
import json
import os
import re
import subprocess
import threading
import time
import uuid

import oss2
import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

import sts_helpers as sh
from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, OSSD_BIN, REGION, OssdServer
from raw_helpers import signed_request
from test_image import make_png

METRICS_TOKEN = "mtok-" + uuid.uuid4().hex
_LISTEN_RE = re.compile(r"ossd listening on http://127\.0\.0\.1:(\d+)")


class LoggedServer(OssdServer):
    """An ossd whose stderr (the log) goes to `log_path`; stdout (the banner) is read for the port."""

    @property
    def log_path(self):
        return self.data_dir.parent / f"{self.data_dir.name}.stderr.log"

    def start(self, timeout: float = 20.0) -> "LoggedServer":
        env = dict(os.environ)
        for k in ("OSSD_ADDR", "OSSD_DATA_DIR", "OSSD_TLS_SELF_SIGNED", "OSSD_LOG_FORMAT"):
            env.pop(k, None)
        env.update(
            OSSD_ROOT_ACCESS_KEY_ID=ACCESS_KEY_ID,
            OSSD_ROOT_ACCESS_KEY_SECRET=ACCESS_KEY_SECRET,
            OSSD_METRICS_TOKEN=METRICS_TOKEN,
            OSSD_LOG="info",
        )
        args = [str(OSSD_BIN), "serve", "--addr", "127.0.0.1:0", "--data-dir", str(self.data_dir)]
        args += ["--region", REGION, "--log-format", "json"]
        self._log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._log_file, text=True
        )
        atexit.register(self.kill)  # never leave a server behind if the test process dies early
        found = threading.Event()

        def reader(stream):
            for line in stream:
                m = _LISTEN_RE.search(line)
                if m and self.port is None:
                    self.port = int(m.group(1))
                    found.set()

        threading.Thread(target=reader, args=(self.proc.stdout,), daemon=True).start()
        if not found.wait(timeout):
            self.kill()
            raise RuntimeError(f"ossd did not start:\n{self.log_path.read_text()}")
        return self

    def log_text(self) -> str:
        return self.log_path.read_text()

    def cleanup(self) -> None:
        self._log_file.close()
        self.log_path.unlink(missing_ok=True)
        super().cleanup()


@pytest.fixture(scope="module")
def srv():
    s = LoggedServer().start()
    yield s
    s.stop()
    s.cleanup()


# ----- helpers -----


def scrape(srv, token=METRICS_TOKEN) -> dict:
    r = requests.get(srv.endpoint + "/-/metrics", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    return parse(r.text)


def parse(text: str) -> dict:
    """Every sample as {(sample name, frozenset(labels)): value}, through the Prometheus parser."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def val(samples: dict, name: str, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def access_lines(srv) -> list[dict]:
    """The access-log events; every line of the log must be one JSON object."""
    events = []
    for line in srv.log_text().splitlines():
        event = json.loads(line)  # fails the test on a non-JSON line
        assert isinstance(event, dict)
        if event.get("target") == "ossd::access":
            events.append(event["fields"])
    return events


def lines_for(srv, request_ids, timeout=5.0) -> dict:
    """{request id: [access fields]} once every id has a line (the line is written when the
    response body has been sent, a moment after the client has it)."""
    deadline = time.monotonic() + timeout
    while True:
        by_id = {}
        for f in access_lines(srv):
            by_id.setdefault(f["request_id"], []).append(f)
        if all(rid in by_id for rid in request_ids) or time.monotonic() > deadline:
            return by_id
        time.sleep(0.05)


def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def root_bucket(srv, name, version="v4"):
    auth = {"v1": oss2.Auth, "v4": oss2.AuthV4}[version](ACCESS_KEY_ID, ACCESS_KEY_SECRET)
    return oss2.Bucket(auth, srv.endpoint, name, region=REGION)


class SentCredentials:
    """Records the Authorization and token headers and the URL signatures oss2 sends."""

    def __init__(self, monkeypatch):
        self.values: set[str] = set()
        original = oss2.http.Session.do_request

        def spy(session, req, timeout):
            for name, value in req.headers.items():
                if name.lower() in ("authorization", "x-oss-security-token"):
                    self.add_authorization(value)
            for name, value in (req.params or {}).items():
                if name.lower() in ("signature", "x-oss-signature", "security-token", "x-oss-security-token"):
                    self.values.add(value)
            return original(session, req, timeout)

        monkeypatch.setattr(oss2.http.Session, "do_request", spy)

    def add_authorization(self, value: str):
        self.values.add(value)
        m = re.search(r"Signature=([0-9a-fA-F]+)", value) or re.match(r"OSS [^:]+:(.+)$", value)
        if m:
            self.values.add(m.group(1))

    def add_url(self, url: str):
        for m in re.finditer(r"(?:Signature|x-oss-signature|security-token)=([^&]+)", url):
            self.values.add(requests.utils.unquote(m.group(1)))


# ----- health -----


def test_health_endpoints_answer_without_credentials(srv):
    live = requests.get(srv.endpoint + "/-/health/live", timeout=10)
    assert live.status_code == 200
    assert live.json() == {"status": "ok"}
    ready = requests.get(srv.endpoint + "/-/health/ready", timeout=10)
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ok"
    assert ready.json()["checks"] == {"metadata": "ok", "data": "ok"}
    for path in ("/-/health/live", "/-/health/ready"):
        head = requests.head(srv.endpoint + path, timeout=10)
        assert head.status_code == 200
        assert head.content == b""
        assert head.headers["x-oss-request-id"]
    assert requests.post(srv.endpoint + "/-/health/live", timeout=10).status_code == 405
    # The probe writes a real blob and deletes it again: no data file is left behind.
    blobs = srv.data_dir / "blobs"

    def files():
        return sorted(p for p in blobs.rglob("*") if p.is_file())

    before = files()
    assert requests.get(srv.endpoint + "/-/health/ready", timeout=10).status_code == 200
    assert files() == before


def test_readiness_fails_when_the_data_directory_is_not_writable(tmp_path):
    # (Permissions would not stop root, so the blob store's tmp/ becomes a file instead.)
    s = LoggedServer(data_dir=tmp_path / "d").start()
    try:
        assert requests.get(s.endpoint + "/-/health/ready", timeout=10).status_code == 200
        tmp = s.data_dir / "blobs" / "tmp"
        for p in tmp.iterdir():
            p.unlink()
        tmp.rmdir()
        tmp.write_text("not a directory")
        r = requests.get(s.endpoint + "/-/health/ready", timeout=10)
        assert r.status_code == 503, r.text
        body = r.json()
        assert body["status"] == "unavailable" and body["failed"] == "data"
        assert requests.get(s.endpoint + "/-/health/live", timeout=10).status_code == 200
    finally:
        s.stop()
        s._log_file.close()


# ----- metrics -----


def test_metrics_refused_without_valid_credentials(srv):
    anon = requests.get(srv.endpoint + "/-/metrics", timeout=10)
    assert anon.status_code == 403
    assert anon.json()["Code"] == "AccessDenied"
    wrong = requests.get(srv.endpoint + "/-/metrics", headers={"Authorization": "Bearer nope"}, timeout=10)
    assert wrong.status_code == 403
    bad_secret = signed_request(srv.endpoint, "GET", "/-/metrics", secret="not-the-secret")
    assert bad_secret.status_code == 403
    assert bad_secret.json()["Code"] == "SignatureDoesNotMatch"
    assert "mtok-" not in anon.text + wrong.text
    after = scrape(srv)
    assert val(after, "ossd_auth_denials_total", reason="invalid_token") >= 1
    assert val(after, "ossd_auth_denials_total", reason="signature") >= 1
    assert val(after, "ossd_requests_total", operation="Metrics", status="403") >= 3


def test_metrics_scraped_with_a_root_signature(srv):
    v1 = signed_request(srv.endpoint, "GET", "/-/metrics")
    assert v1.status_code == 200, v1.text
    samples = parse(v1.text)
    assert ("ossd_requests_in_flight", frozenset()) in samples
    # oss2's own signers (oss2.Bucket refuses the name '-', so its signing step is called directly):
    # V4 in the header, and V1 / V4 signed URLs, for bucket '-' and key 'metrics'.
    for version in ("v1", "v4"):
        auth = {"v1": oss2.Auth, "v4": oss2.AuthV4}[version](ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        req = oss2.http.Request("GET", srv.endpoint + "/-/metrics", region=REGION, product="oss")
        auth._sign_request(req, "-", "metrics")
        signed = requests.get(srv.endpoint + "/-/metrics", headers=dict(req.headers), timeout=10)
        assert signed.status_code == 200, (version, signed.text)
        assert "# TYPE ossd_requests counter" in signed.text
        req = oss2.http.Request("GET", srv.endpoint + "/-/metrics", region=REGION, product="oss")
        url = auth._sign_url(req, "-", "metrics", 60)
        by_url = requests.get(url, timeout=10)
        assert by_url.status_code == 200, (version, by_url.text)
    # A RAM user's valid signature is not enough.
    seed = sh.seed_ram_setup(srv, user_name="scrape-user", role_name="ScrapeRole", policy_name="ScrapePol")
    user = signed_request(srv.endpoint, "GET", "/-/metrics", key_id=seed["ak"], secret=seed["secret"])
    assert user.status_code == 403, user.text
    om = requests.get(
        srv.endpoint + "/-/metrics",
        headers={"Authorization": f"Bearer {METRICS_TOKEN}", "Accept": "application/openmetrics-text"},
        timeout=10,
    )
    assert om.headers["content-type"].startswith("application/openmetrics-text")
    assert om.text.endswith("# EOF\n")


def test_counters_move_with_requests(srv):
    name = f"metrics-{uuid.uuid4().hex[:8]}"
    b = root_bucket(srv, name)
    b.create_bucket()
    before = scrape(srv)
    sizes = [10, 5000, 70_000]
    for i, n in enumerate(sizes):
        b.put_object(f"k{i}", os.urandom(n))
    got = b.get_object("k2").read()
    assert len(got) == 70_000
    with pytest.raises(oss2.exceptions.NoSuchKey):
        b.get_object("missing")
    wait_for(lambda: val(scrape(srv), "ossd_requests_total", operation="GetObject", status="404")
             >= val(before, "ossd_requests_total", operation="GetObject", status="404") + 1)
    after = scrape(srv)

    def delta(name, **labels):
        return val(after, name, **labels) - val(before, name, **labels)

    assert delta("ossd_requests_total", operation="PutObject", status="200") == len(sizes)
    assert delta("ossd_request_bytes_total", operation="PutObject") == sum(sizes)
    assert delta("ossd_requests_total", operation="GetObject", status="200") == 1
    assert delta("ossd_response_bytes_total", operation="GetObject") >= 70_000
    assert delta("ossd_request_duration_seconds_count", operation="PutObject") == len(sizes)
    assert delta("ossd_request_duration_seconds_bucket", operation="PutObject", le="+Inf") == len(sizes)
    # Image jobs by outcome: one processed, one refused (bad parameter).
    b.put_object("img.png", make_png(40, 30))
    info = b.get_object("img.png", process="image/info").read()
    assert json.loads(info)["ImageWidth"]["value"] == "40"
    with pytest.raises(oss2.exceptions.OssError):
        b.get_object("img.png", process="image/resize,w_abc").read()
    wait_for(lambda: val(scrape(srv), "ossd_image_jobs_total", outcome="rejected")
             >= val(before, "ossd_image_jobs_total", outcome="rejected") + 1)
    images = scrape(srv)
    assert val(images, "ossd_image_jobs_total", outcome="ok") - val(before, "ossd_image_jobs_total", outcome="ok") == 1
    # Objects above the inline threshold and the bucket: metadata commits happened.
    assert delta("ossd_meta_commit_batch_size_count") >= len(sizes)
    assert delta("ossd_meta_commit_duration_seconds_count") >= len(sizes)
    # The scrape itself is in flight while it renders.
    assert val(after, "ossd_requests_in_flight") >= 1
    assert ("ossd_image_jobs_in_flight", frozenset()) in after


# ----- access log with root, RAM user and STS credentials -----


def test_access_log_one_line_per_request_and_no_secrets(srv, monkeypatch):
    sent = SentCredentials(monkeypatch)
    before = scrape(srv)
    acct = sh.account_id(srv)
    name = sh.EXAMPLE
    root = root_bucket(srv, name)
    root.create_bucket()
    ids: dict[str, dict] = {}  # request id -> expected fields

    def expect(request_id, **fields):
        assert request_id, "every response carries x-oss-request-id"
        ids[request_id] = fields

    # root
    r = root.put_object("root.txt", b"by root")
    expect(r.request_id, op="PutObject", status=200, principal_type="root", account=acct, key="root.txt",
           bytes_in=7)
    r = root.get_object("root.txt")
    assert r.read() == b"by root"
    expect(r.request_id, op="GetObject", status=200, principal_type="root", bytes_out=7, complete=True)
    big = os.urandom(200_000)  # above the inline threshold: streamed from a data file
    r = root.put_object("big.bin", big)
    expect(r.request_id, op="PutObject", status=200, bytes_in=len(big))
    r = root.get_object("big.bin")
    assert r.read() == big
    expect(r.request_id, op="GetObject", status=200, bytes_out=len(big), complete=True)
    r = root.get_object("big.bin", byte_range=(0, 999))
    assert len(r.read()) == 1000
    expect(r.request_id, op="GetObject", status=206, bytes_out=1000, complete=True)
    r = root.head_object("big.bin")
    expect(r.request_id, op="HeadObject", status=200, bytes_out=0, complete=True)
    url = root.sign_url("GET", "root.txt", 60)
    sent.add_url(url)
    resp = requests.get(url, timeout=10)
    assert resp.status_code == 200
    expect(resp.headers["x-oss-request-id"], op="GetObject", status=200, principal_type="root")

    # a RAM user (seed user + read-only OSS access)
    seed = sh.seed_ram_setup(srv, user_name="metrics-user", role_name="MetricsRole", policy_name="MetricsPol")
    for step in ("create_user", "create_access_key", "create_role", "attach_role"):
        expect(seed[step]["RequestId"], op="RPC", status=200, principal_type="root")
    sh.ram_call(srv, "AttachPolicyToUser", PolicyType="System", PolicyName="AliyunOSSReadOnlyAccess",
                UserName="metrics-user")
    user = oss2.Bucket(oss2.AuthV4(seed["ak"], seed["secret"]), srv.endpoint, name, region=REGION)
    r = user.get_object("root.txt")
    assert r.read() == b"by root"
    expect(r.request_id, op="GetObject", status=200, principal_type="user", user="metrics-user", account=acct)
    with pytest.raises(oss2.exceptions.AccessDenied) as denied:
        user.put_object("user.txt", b"nope")
    expect(denied.value.request_id, op="PutObject", status=403, principal_type="user", user="metrics-user",
           denial="implicit")

    # STS: AssumeRole as the user, then OSS with the temporary credentials
    assumed = sh.assume_role(srv, seed, session="metrics-session")
    creds = assumed["Credentials"]
    expect(assumed["RequestId"], op="RPC", status=200, principal_type="user", user="metrics-user")
    sts = oss2.Bucket(
        oss2.StsAuth(creds["AccessKeyId"], creds["AccessKeySecret"], creds["SecurityToken"], auth_version="v4"),
        srv.endpoint, name, region=REGION,
    )
    r = sts.put_object("sts.txt", b"by a session")
    expect(r.request_id, op="PutObject", status=200, principal_type="session", role="MetricsRole",
           session="metrics-session", account=acct)
    sts_url = sts.sign_url("GET", "sts.txt", 60)
    sent.add_url(sts_url)
    resp = requests.get(sts_url, timeout=10)
    assert resp.status_code == 200 and resp.content == b"by a session"
    expect(resp.headers["x-oss-request-id"], op="GetObject", status=200, principal_type="session",
           role="MetricsRole", session="metrics-session")
    bad = oss2.Bucket(oss2.AuthV4(seed["ak"], "wrong-secret-value"), srv.endpoint, name, region=REGION)
    with pytest.raises(oss2.exceptions.OssError) as sig_err:
        bad.get_object("root.txt")
    assert sig_err.value.status == 403
    expect(sig_err.value.request_id, op="GetObject", status=403, denial="signature")

    # metrics scrapes with the token and with a bad token
    ok = requests.get(srv.endpoint + "/-/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10)
    expect(ok.headers["x-oss-request-id"], op="Metrics", status=200)
    no = requests.get(srv.endpoint + "/-/metrics", headers={"Authorization": "Bearer x" + METRICS_TOKEN}, timeout=10)
    expect(no.headers["x-oss-request-id"], op="Metrics", status=403, denial="invalid_token")

    # The counters saw the same: a token issued, an implicit denial, a bad signature.
    after = scrape(srv)
    for series, labels in (
        ("ossd_sts_tokens_issued_total", {}),
        ("ossd_auth_denials_total", {"reason": "implicit"}),
        ("ossd_auth_denials_total", {"reason": "signature"}),
        ("ossd_auth_denials_total", {"reason": "invalid_token"}),
    ):
        assert val(after, series, **labels) - val(before, series, **labels) >= 1, (series, labels)

    by_id = lines_for(srv, ids)
    for rid, want in ids.items():
        lines = by_id.get(rid, [])
        assert len(lines) == 1, f"{rid} ({want}) has {len(lines)} access lines"
        line = lines[0]
        for k, v in want.items():
            assert line.get(k) == v, f"{rid}: {k}={line.get(k)!r}, want {v!r}: {line}"
        for k in ("method", "op", "status", "bytes_in", "bytes_out", "micros", "source_ip", "principal"):
            assert k in line, f"{k} missing in {line}"
        assert line["source_ip"] == "127.0.0.1"
        if want.get("op") not in ("RPC", "Metrics"):
            assert line["bucket"] == name
    # Every request this module made is in the log once at most (ids are unique per request).
    counts = {}
    for f in access_lines(srv):
        counts[f["request_id"]] = counts.get(f["request_id"], 0) + 1
    assert max(counts.values()) == 1

    secrets = {
        ACCESS_KEY_SECRET,
        seed["secret"],
        creds["AccessKeySecret"],
        creds["SecurityToken"],
        METRICS_TOKEN,
        "wrong-secret-value",
    } | sent.values
    assert len(sent.values) >= 10, "signatures and tokens were captured"
    log = srv.log_text()
    for secret in secrets:
        assert secret and secret not in log, f"a secret or signature ({secret[:6]}...) is in the log"
    for marker in ("Signature=", "x-oss-signature", "security-token", "SecurityToken", "OSS4-HMAC-SHA256"):
        assert marker not in log, marker
