#!/usr/bin/env python3
"""Scans the logs of every ossd process a test run started (files in $OSSD_TEST_LOG_DIR, written by
the Node and Python harnesses) for leaked credentials, and checks that no request was logged twice.

Fails (exit 1) when a log holds:
- a secret the suites use: the root AccessKey secrets, the well-known --dev and seed secrets, and
  every secret and token the suites handed to an SDK (recorded by the harnesses in
  `secrets-*.txt` beside the logs: tests/sdk/python/secret_log.py, `recordSecrets` in
  tests/sdk/node/test/helpers.js),
- an STS security token (`CAIS...`), a signature or an Authorization header value,
- two access lines with the same request id,
or when the run produced no access lines at all (the scan would then prove nothing).

Usage: scan.py LOG_DIR
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

# Secrets the suites hand to ossd; none may ever appear in a log.
KNOWN_SECRETS = [
    "TestRootSecret0123456789abcdefgh",  # tests/sdk/*/helpers: root AccessKey secret
]

# Shapes of credentials and signatures, whatever their value.
PATTERNS = {
    "STS security token": re.compile(r"CAIS[A-Za-z0-9+/_=-]{16,}"),
    "URL signature": re.compile(r"(?i)(?:[?&\s\"]|^)(?:Signature|x-oss-signature)=[A-Za-z0-9%+/=]{8,}"),
    "Authorization header": re.compile(r"OSS4-HMAC-SHA256 Credential=|\bOSS [A-Za-z0-9.]+:[A-Za-z0-9+/=]{20,}"),
    "security token parameter": re.compile(r"(?i)security-token=[A-Za-z0-9%+/=]{8,}"),
    "secret field": re.compile(r"(?i)\"?access_?key_?secret\"?\s*[=:]\s*\"?[A-Za-z0-9+/=]{8,}"),
}

ANSI = re.compile(r"\x1b\[[0-9;]*m")
REQUEST_ID = re.compile(r"request_id\"?\s*[=:]\s*\"?([0-9A-Fa-f-]{16,})")


def seeded_secrets() -> list[str]:
    """Fixed secrets the suites seed: the --dev credentials and every `secret = "..."` of a seed file
    (examples/*.toml, and the seed files the Node emulator test writes from its own source)."""
    root = Path(__file__).resolve().parents[2]
    found = {"DevRootSecretNotForProduction0", "DevUserSecretNotForProduction0"}
    sources = list((root / "examples").glob("*.toml")) + [root / "tests/sdk/node/test/emulator.test.js"]
    for src in sources:
        if src.exists():
            found.update(re.findall(r'secret\s*=\s*"([A-Za-z0-9]{12,})"', src.read_text(encoding="utf-8")))
    return sorted(found)


def access_request_id(line: str) -> str | None:
    """The request id of an access-log line (text or JSON format), else None."""
    if "ossd::access" not in line:
        return None
    if line.lstrip().startswith("{"):
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            return None
        fields = rec.get("fields", rec)
        rid = fields.get("request_id")
        return str(rid) if rid else None
    m = REQUEST_ID.search(line)
    return m.group(1) if m else None


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    log_dir = Path(sys.argv[1])
    files = sorted(p for p in log_dir.glob("*.log") if p.is_file())
    recorded = set()
    for f in log_dir.glob("secrets-*.txt"):
        recorded.update(line for line in f.read_text(encoding="utf-8").splitlines() if len(line) >= 8)
    secrets = sorted(set(KNOWN_SECRETS + seeded_secrets()) | recorded)
    problems: list[str] = []
    access_lines = 0
    for path in files:
        seen: dict[str, int] = {}
        for n, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            line = ANSI.sub("", raw)
            for s in secrets:
                if s in line:  # a linear scan: fine for the few hundred secrets of a run
                    problems.append(f"{path.name}:{n}: a known secret ({s[:4]}...) is logged")
            for what, pat in PATTERNS.items():
                if pat.search(line):
                    problems.append(f"{path.name}:{n}: {what} is logged: {line[:200]}")
            rid = access_request_id(line)
            if rid is not None:
                access_lines += 1
                if rid in seen:
                    problems.append(f"{path.name}:{n}: request {rid} has a second access line (first at {seen[rid]})")
                seen[rid] = n
    print(
        f"logscan: {len(files)} server logs, {access_lines} access lines, "
        f"{len(secrets)} secrets checked ({len(recorded)} recorded by the suites)"
    )
    if not recorded:
        problems.append("no recorded secrets found: the SDK wrappers did not record what the suites used")
    if access_lines == 0:
        problems.append("no access lines found: the harnesses did not keep the logs")
    for p in problems[:50]:
        print("  " + p)
    if len(problems) > 50:
        print(f"  ... and {len(problems) - 50} more")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
