"""Hand-made V1 signing for raw `requests` tests (malformed input the SDKs never send)."""

from __future__ import annotations

import base64
import email.utils
import hashlib
import hmac
import re
import time
from urllib.parse import unquote

import requests

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET

SUBRESOURCES = {
    "acl", "append", "position", "delete", "symlink", "tagging", "objectMeta", "bucketInfo", "location",
    "continuation-token", "uploads", "uploadId", "partNumber", "versionId", "response-content-type",
    "response-content-disposition", "response-cache-control", "response-content-language",
    "response-content-encoding", "response-expires",
}


def http_date(offset_s: float = 0) -> str:
    return email.utils.formatdate(time.time() + offset_s, usegmt=True)


def v1_signature(method, resource, headers, secret=None):
    secret = secret or ACCESS_KEY_SECRET
    lower = {k.lower(): str(v).strip() for k, v in headers.items()}
    oss = "".join(f"{k}:{lower[k]}\n" for k in sorted(k for k in lower if k.startswith("x-oss-")))
    date = lower.get("x-oss-date") or lower.get("date", "")
    sts = f"{method}\n{lower.get('content-md5', '')}\n{lower.get('content-type', '')}\n{date}\n{oss}{resource}"
    return base64.b64encode(hmac.new(secret.encode(), sts.encode(), hashlib.sha1).digest()).decode()


def canonical_resource(path_qs: str) -> str:
    """'/bucket/key%20x?acl&prefix=a' -> '/bucket/key x?acl' (path style only)."""
    path, _, qs = path_qs.partition("?")
    res = unquote(path)
    if res.count("/") == 1 and res != "/":
        res += "/"  # '/bucket' -> '/bucket/'
    subs = []
    for item in filter(None, qs.split("&")):
        k, eq, v = item.partition("=")
        k = unquote(k)
        if k in SUBRESOURCES or k.startswith("x-oss-"):
            v = unquote(v.replace("+", " "))
            subs.append((k, v if eq else ""))
    if subs:
        res += "?" + "&".join(f"{k}={v}" if v else k for k, v in sorted(subs))
    return res


def signed_request(
    endpoint,
    method,
    path_qs,
    data=None,
    headers=None,
    secret=ACCESS_KEY_SECRET,
    date=None,
    key_id=ACCESS_KEY_ID,
):
    headers = dict(headers or {})
    headers.setdefault("Date", date or http_date())
    sig = v1_signature(method, canonical_resource(path_qs), headers, secret)
    headers["Authorization"] = f"OSS {key_id}:{sig}"
    return requests.request(method, endpoint + path_qs, data=data, headers=headers, timeout=30)


def xml_value(text: str, tag: str):
    m = re.search(rf"<{tag}>(.*?)</{tag}>", text, re.S)
    return m.group(1) if m else None
