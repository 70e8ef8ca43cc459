"""Records every credential secret the Python suites hand to an SDK, so that the suite-wide log scan
(tests/logscan/scan.py) can check that none of them ever appears in a server log.

Installed by conftest.py: wraps the constructors of oss2's signers, alibabacloud-oss-v2's static
credentials provider, aliyun-python-sdk-core's AcsClient and the OpenAPI `Config` of the
alibabacloud RAM/STS clients. Secrets go to
`$OSSD_TEST_LOG_DIR/secrets-py-<pid>.txt`, one per line; nothing is recorded when the variable is
unset.
"""

from __future__ import annotations

import functools
import os
import threading

_lock = threading.Lock()
_seen: set[str] = set()


def record(*values) -> None:
    """Adds secret values (None and short strings are ignored) to this process's secrets file."""
    log_dir = os.environ.get("OSSD_TEST_LOG_DIR")
    if not log_dir:
        return
    new = [v for v in values if isinstance(v, str) and len(v) >= 8 and v not in _seen]
    if not new:
        return
    with _lock:
        os.makedirs(log_dir, exist_ok=True)
        with open(os.path.join(log_dir, f"secrets-py-{os.getpid()}.txt"), "a", encoding="utf-8") as f:
            for v in new:
                if v not in _seen:
                    _seen.add(v)
                    f.write(v + "\n")


def _wrap(cls, pick):
    """Makes `cls(...)` record the secrets `pick(args, kwargs)` returns."""
    original = cls.__init__
    if getattr(original, "_records_secrets", False):
        return

    @functools.wraps(original)
    def init(self, *args, **kwargs):
        record(*pick(args, kwargs))
        original(self, *args, **kwargs)

    init._records_secrets = True
    cls.__init__ = init


def _arg(args, kwargs, index, name):
    if len(args) > index:
        return args[index]
    return kwargs.get(name)


def install() -> None:
    """Wraps the SDK constructors that take secrets."""
    import oss2

    for cls in (oss2.Auth, oss2.AuthV2, oss2.AuthV4):
        _wrap(cls, lambda a, k: [_arg(a, k, 1, "access_key_secret")])
    _wrap(
        oss2.StsAuth,
        lambda a, k: [_arg(a, k, 1, "access_key_secret"), _arg(a, k, 2, "security_token")],
    )
    import alibabacloud_oss_v2 as oss

    _wrap(
        oss.credentials.StaticCredentialsProvider,
        lambda a, k: [_arg(a, k, 1, "access_key_secret"), _arg(a, k, 2, "security_token")],
    )
    from aliyunsdkcore.client import AcsClient

    _wrap(AcsClient, lambda a, k: [_arg(a, k, 1, "secret")])
    from alibabacloud_tea_openapi import models as openapi

    _wrap(openapi.Config, lambda a, k: [k.get("access_key_secret"), k.get("security_token")])
