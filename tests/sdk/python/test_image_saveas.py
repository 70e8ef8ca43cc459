"""Save-as (docs/protocol/image-processing.md#save-as): oss2 process_object with
`image/...|sys/saveas,o_<b64>,b_<b64>` writes the processed image as a new object (same or another bucket) and answers with the OSS JSON."""

from __future__ import annotations

import base64

import oss2
import pytest

from conftest import oss2_bucket, unique_bucket
from test_image import make_png, png_size


def b64(s: str) -> str:
    return base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")


def test_process_object_saves_the_result(bucket):
    bucket.put_object("sa/src.png", make_png(400, 200))
    process = f"image/resize,w_100|sys/saveas,o_{b64('sa/thumb.png')},b_{b64(bucket.bucket_name)}"
    r = bucket.process_object("sa/src.png", process)
    assert r.status == 200
    assert (r.bucket, r.object, r.process_status) == (bucket.bucket_name, "sa/thumb.png", "OK")
    saved = bucket.get_object("sa/thumb.png")
    body = saved.read()
    assert png_size(body) == (100, 50)
    assert r.fileSize == len(body)
    assert saved.headers["Content-Type"] == "image/png"


def test_process_object_into_another_bucket_and_errors(bucket, endpoint, auth_version):
    other = oss2_bucket(endpoint, unique_bucket("sa"), auth_version)
    other.create_bucket()
    bucket.put_object("sa/src.png", make_png(40, 20))
    bucket.put_bucket_style("half", "image/resize,p_50")
    process = f"style/half|sys/saveas,o_{b64('copy.png')},b_{b64(other.bucket_name)}"
    r = bucket.process_object("sa/src.png", process)
    assert r.bucket == other.bucket_name
    assert png_size(other.get_object("copy.png").read()) == (20, 10)

    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.process_object("sa/src.png", f"image/resize,w_10|sys/saveas,o_{b64('x')},b_{b64('no-such-bkt-x')}")
    assert (e.value.status, e.value.code) == (404, "NoSuchBucket")
    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.process_object("sa/missing.png", f"image/resize,w_10|sys/saveas,o_{b64('x')}")
    assert (e.value.status, e.value.code) == (404, "NoSuchKey")
    with pytest.raises(oss2.exceptions.OssError) as e:
        bucket.process_object("sa/src.png", "image/resize,w_10")
    assert e.value.status == 400


def test_process_object_is_authorized_as_put_object_on_the_target():
    """A role allowed PostProcessTask/GetObject/PutObject on examplebucket may save there but
    not into otherbucket (403 AccessDenied)."""
    import json

    from aliyunsdkram.request.v20150501.AttachPolicyToRoleRequest import AttachPolicyToRoleRequest
    from aliyunsdkram.request.v20150501.CreatePolicyRequest import CreatePolicyRequest

    from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer
    from sts_helpers import EXAMPLE, OTHER, acs_client, assume_role, core_call, seed_ram_setup

    srv = OssdServer().start()
    try:
        seed = seed_ram_setup(srv)
        root = oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        example = oss2.Bucket(root, srv.endpoint, EXAMPLE, region=REGION)
        example.create_bucket()
        oss2.Bucket(root, srv.endpoint, OTHER, region=REGION).create_bucket()
        example.put_object("src.png", make_png(40, 20))
        doc = {
            "Version": "1",
            "Statement": [
                {"Effect": "Allow", "Action": ["oss:PostProcessTask"], "Resource": [f"acs:oss:*:*:{EXAMPLE}/*"]}
            ],
        }
        r = CreatePolicyRequest()
        r.set_PolicyName("SaveAsPolicy")
        r.set_PolicyDocument(json.dumps(doc))
        core_call(acs_client(srv), srv, r)
        r = AttachPolicyToRoleRequest()
        r.set_PolicyType("Custom")
        r.set_PolicyName("SaveAsPolicy")
        r.set_RoleName(seed["role_name"])
        core_call(acs_client(srv), srv, r)
        c = assume_role(srv, seed)["Credentials"]
        auth = oss2.StsAuth(c["AccessKeyId"], c["AccessKeySecret"], c["SecurityToken"])
        role = oss2.Bucket(auth, srv.endpoint, EXAMPLE, region=REGION)

        ok = role.process_object("src.png", f"image/resize,w_10|sys/saveas,o_{b64('small.png')}")
        assert ok.process_status == "OK"
        with pytest.raises(oss2.exceptions.OssError) as e:
            role.process_object("src.png", f"image/resize,w_10|sys/saveas,o_{b64('x.png')},b_{b64(OTHER)}")
        assert (e.value.status, e.value.code) == (403, "AccessDenied")
    finally:
        srv.stop()
        srv.cleanup()
