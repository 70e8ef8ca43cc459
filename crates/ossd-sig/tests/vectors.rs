//! Test vectors TV1 to TV18 (docs/protocol/signatures.md#test-vectors): strings to sign byte for
//! byte, signatures, acceptance at signing time, expiry, and tampering.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ossd_sig::{
    EmptyValueForm, Scheme, Scope, SigError, SigningKeyCache, normalize_additional_headers,
    v1_authorization, v1_presign_signature, v1_signature, v1_string_to_sign, v4_authorization,
    v4_canonical_request, v4_presign_signature, v4_string_to_sign,
};

/// One signature vector.
struct Vector {
    name: &'static str,
    method: &'static str,
    bucket: Option<&'static str>,
    key: Option<&'static str>,
    /// The raw query as sent (including URL signature parameters for presigned vectors).
    query: &'static str,
    /// Headers besides Authorization.
    headers: &'static [(&'static str, &'static str)],
    /// The expected Authorization header (header vectors).
    authorization: Option<&'static str>,
    canonical_request: Option<&'static str>,
    string_to_sign: &'static str,
}

const V4_STS_PREFIX: &str =
    "OSS4-HMAC-SHA256\n20250115T083000Z\n20250115/cn-hangzhou/oss/aliyun_v4_request\n";
const OBJ: Option<&str> = Some(KEY);
const B: Option<&str> = Some(BUCKET);

fn vectors() -> Vec<Vector> {
    vec![
        Vector {
            name: "TV1",
            method: "PUT",
            bucket: B,
            key: OBJ,
            query: "",
            headers: &[
                ("Content-MD5", "M3szwC+JSTAmhDmD/ycqMA=="),
                ("Content-Type", "image/jpeg"),
                ("x-oss-meta-author", "alice"),
                ("X-OSS-Object-Acl", "private"),
                ("Date", RFC_DATE),
            ],
            authorization: Some("OSS LTAI5tVectorKeyId0001:RLKNpWZWgW3l4JgOr2sc/jYtq6E="),
            canonical_request: None,
            string_to_sign: "PUT\nM3szwC+JSTAmhDmD/ycqMA==\nimage/jpeg\nWed, 15 Jan 2025 08:30:00 GMT\nx-oss-meta-author:alice\nx-oss-object-acl:private\n/examplebucket/photos/2025/cat & dog+1.jpg",
        },
        Vector {
            name: "TV2",
            method: "GET",
            bucket: None,
            key: None,
            query: "prefix=ex&max-keys=10",
            headers: &[("Date", RFC_DATE)],
            authorization: Some("OSS LTAI5tVectorKeyId0001:i5qdF0YMUXTl9rMok5EIEri12gs="),
            canonical_request: None,
            string_to_sign: "GET\n\n\nWed, 15 Jan 2025 08:30:00 GMT\n/",
        },
        Vector {
            name: "TV3",
            method: "GET",
            bucket: B,
            key: OBJ,
            query: "versionId=CAEQNhiBgMDJgZCA0BYiIDc4MGZjZGI2OTBjOTRmNTE5NmU5NmFmZjQyYzk3MDg1&x-oss-process=image%2Fresize%2Cw_100",
            headers: &[("x-oss-security-token", TOKEN), ("Date", RFC_DATE)],
            authorization: Some("OSS LTAI5tVectorKeyId0001:dlISHK7QZwipSXwkAU12Z3aUMtU="),
            canonical_request: None,
            string_to_sign: "GET\n\n\nWed, 15 Jan 2025 08:30:00 GMT\nx-oss-security-token:CAIS+vectorToken/ABC==\n/examplebucket/photos/2025/cat & dog+1.jpg?versionId=CAEQNhiBgMDJgZCA0BYiIDc4MGZjZGI2OTBjOTRmNTE5NmU5NmFmZjQyYzk3MDg1&x-oss-process=image/resize,w_100",
        },
        Vector {
            name: "TV4",
            method: "GET",
            bucket: B,
            key: None,
            query: "prefix=photos%2F&delimiter=%2F&max-keys=100&encoding-type=url",
            headers: &[("Date", RFC_DATE)],
            authorization: Some("OSS LTAI5tVectorKeyId0001:uCXvajaZS2Af5Fm/msNatdSNYGI="),
            canonical_request: None,
            string_to_sign: "GET\n\n\nWed, 15 Jan 2025 08:30:00 GMT\n/examplebucket/",
        },
        Vector {
            name: "TV5",
            method: "GET",
            bucket: B,
            key: OBJ,
            query: "OSSAccessKeyId=LTAI5tVectorKeyId0001&Expires=1736933400&Signature=TUl5GW%2F%2FLyIb02ehlXH3fLFyXgg%3D",
            headers: &[],
            authorization: None,
            canonical_request: None,
            string_to_sign: "GET\n\n\n1736933400\n/examplebucket/photos/2025/cat & dog+1.jpg",
        },
        Vector {
            name: "TV6",
            method: "GET",
            bucket: B,
            key: OBJ,
            query: "response-content-disposition=attachment%3B%20filename%3Dcat.jpg&OSSAccessKeyId=LTAI5tVectorKeyId0001&Expires=1736933400&security-token=CAIS%2BvectorToken%2FABC%3D%3D&Signature=Oi%2BTefjgZt7oz%2BKQxLe3qH15OUM%3D",
            headers: &[],
            authorization: None,
            canonical_request: None,
            string_to_sign: "GET\n\n\n1736933400\n/examplebucket/photos/2025/cat & dog+1.jpg?response-content-disposition=attachment; filename=cat.jpg&security-token=CAIS+vectorToken/ABC==",
        },
        Vector {
            name: "TV7",
            method: "PUT",
            bucket: B,
            key: OBJ,
            query: "OSSAccessKeyId=LTAI5tVectorKeyId0001&Expires=1736933400&Signature=eaNOaojBdwjP0hW3DhrTjI%2BmVqw%3D",
            headers: &[("Content-Type", "image/jpeg")],
            authorization: None,
            canonical_request: None,
            string_to_sign: "PUT\n\nimage/jpeg\n1736933400\n/examplebucket/photos/2025/cat & dog+1.jpg",
        },
        Vector {
            name: "TV8",
            method: "PUT",
            bucket: B,
            key: OBJ,
            query: "",
            headers: &[
                ("Content-MD5", "M3szwC+JSTAmhDmD/ycqMA=="),
                ("Content-Type", "image/jpeg"),
                ("x-oss-meta-author", "alice"),
                ("x-oss-date", ISO_DATE),
                ("Date", RFC_DATE),
                ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"),
            ],
            authorization: Some(
                "OSS4-HMAC-SHA256 Credential=LTAI5tVectorKeyId0001/20250115/cn-hangzhou/oss/aliyun_v4_request,Signature=add839b0d7c1224c9858bcc3041b2eb0732df134b9ff7cd3a586d9f14bc05db7",
            ),
            canonical_request: Some(
                "PUT\n/examplebucket/photos/2025/cat%20%26%20dog%2B1.jpg\n\ncontent-md5:M3szwC+JSTAmhDmD/ycqMA==\ncontent-type:image/jpeg\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20250115T083000Z\nx-oss-meta-author:alice\n\n\nUNSIGNED-PAYLOAD",
            ),
            string_to_sign: "09673fc91bb51558e2c63f96c0ffe55281f76cb1d4e0ab635c2a6e8c2c311b92",
        },
        Vector {
            name: "TV9",
            method: "GET",
            bucket: B,
            key: OBJ,
            query: "",
            headers: &[
                ("Range", "bytes=0-99"),
                ("If-None-Match", "\"0123456789ABCDEF0123456789ABCDEF\""),
                ("x-oss-date", ISO_DATE),
                ("Date", RFC_DATE),
                ("x-oss-security-token", TOKEN),
                ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"),
            ],
            authorization: Some(
                "OSS4-HMAC-SHA256 Credential=LTAI5tVectorKeyId0001/20250115/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=if-none-match;range,Signature=3e11526fbeae5af7caf1b592816ca38c626e5f51846de4d49698b99626d6d1fb",
            ),
            canonical_request: Some(
                "GET\n/examplebucket/photos/2025/cat%20%26%20dog%2B1.jpg\n\nif-none-match:\"0123456789ABCDEF0123456789ABCDEF\"\nrange:bytes=0-99\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20250115T083000Z\nx-oss-security-token:CAIS+vectorToken/ABC==\n\nif-none-match;range\nUNSIGNED-PAYLOAD",
            ),
            string_to_sign: "c6bf387626522b00e1fdde93e5b4d1ca71c37d24bd2c9dd4e1eec1de27c4622a",
        },
        Vector {
            name: "TV10",
            method: "GET",
            bucket: B,
            key: None,
            query: "list-type=2&prefix=&delimiter=%2F&max-keys=100&encoding-type=url",
            headers: V4_HEADERS,
            authorization: Some(
                "OSS4-HMAC-SHA256 Credential=LTAI5tVectorKeyId0001/20250115/cn-hangzhou/oss/aliyun_v4_request,Signature=e760fc8db4c00e41a46add0867b53f74a64884dbca53ed8da54af43219c0fd2e",
            ),
            canonical_request: Some(
                "GET\n/examplebucket/\ndelimiter=%2F&encoding-type=url&list-type=2&max-keys=100&prefix\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20250115T083000Z\n\n\nUNSIGNED-PAYLOAD",
            ),
            string_to_sign: "4fb3012fcbc883547df318e0831c02a848d484eabca3865e786d16c1d478e5e4",
        },
        Vector {
            name: "TV11",
            method: "GET",
            bucket: B,
            key: OBJ,
            query: "versionId=CAEQNhiBgMDJgZCA0BYiIDc4MGZjZGI2OTBjOTRmNTE5NmU5NmFmZjQyYzk3MDg1&x-oss-process=image%2Fresize%2Cw_100",
            headers: V4_HEADERS,
            authorization: Some(
                "OSS4-HMAC-SHA256 Credential=LTAI5tVectorKeyId0001/20250115/cn-hangzhou/oss/aliyun_v4_request,Signature=8956f7c57cc7ffcc8a8cb1607247e28eb109025ef59e773623d996621b97407c",
            ),
            canonical_request: Some(
                "GET\n/examplebucket/photos/2025/cat%20%26%20dog%2B1.jpg\nversionId=CAEQNhiBgMDJgZCA0BYiIDc4MGZjZGI2OTBjOTRmNTE5NmU5NmFmZjQyYzk3MDg1&x-oss-process=image%2Fresize%2Cw_100\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20250115T083000Z\n\n\nUNSIGNED-PAYLOAD",
            ),
            string_to_sign: "83cbe0e0c601796c97da35dd5de5b37241cb42a0a23e1eb870b793d281ff051b",
        },
        Vector {
            name: "TV12",
            method: "GET",
            bucket: None,
            key: None,
            query: "",
            headers: V4_HEADERS,
            authorization: Some(
                "OSS4-HMAC-SHA256 Credential=LTAI5tVectorKeyId0001/20250115/cn-hangzhou/oss/aliyun_v4_request,Signature=93785ec7e34cf300a02a8a387a8cc1255fc64abe8965ae7c4c2a1a0b6d468d19",
            ),
            canonical_request: Some(
                "GET\n/\n\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20250115T083000Z\n\n\nUNSIGNED-PAYLOAD",
            ),
            string_to_sign: "488c5fa0a3e979ff00a2bb85588d631d99be70d8cb9c8d1d5cb9835333f5f8bb",
        },
        Vector {
            name: "TV13",
            method: "GET",
            bucket: B,
            key: OBJ,
            query: "x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20250115T083000Z&x-oss-expires=3600&x-oss-credential=LTAI5tVectorKeyId0001%2F20250115%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-signature=ae7a31c7e33c04b1a4c767aab3bcc13b50eff88f7b4187f76db593963e5ff428",
            headers: &[],
            authorization: None,
            canonical_request: Some(
                "GET\n/examplebucket/photos/2025/cat%20%26%20dog%2B1.jpg\nx-oss-credential=LTAI5tVectorKeyId0001%2F20250115%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20250115T083000Z&x-oss-expires=3600&x-oss-signature-version=OSS4-HMAC-SHA256\n\n\nUNSIGNED-PAYLOAD",
            ),
            string_to_sign: "264b276eacdd8f6eeeda27630e5456b011cd4c2b9d77ac93c10b1dc80fb20945",
        },
        Vector {
            name: "TV14",
            method: "PUT",
            bucket: B,
            key: OBJ,
            query: "x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20250115T083000Z&x-oss-expires=3600&x-oss-credential=LTAI5tVectorKeyId0001%2F20250115%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-security-token=CAIS%2BvectorToken%2FABC%3D%3D&x-oss-signature=ca2e74bcd7dbe39a82e04aaf391bee1e4c4b825980eb0f08be04f345fbb7d64d",
            headers: &[("Content-Type", "image/jpeg")],
            authorization: None,
            canonical_request: Some(
                "PUT\n/examplebucket/photos/2025/cat%20%26%20dog%2B1.jpg\nx-oss-credential=LTAI5tVectorKeyId0001%2F20250115%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20250115T083000Z&x-oss-expires=3600&x-oss-security-token=CAIS%2BvectorToken%2FABC%3D%3D&x-oss-signature-version=OSS4-HMAC-SHA256\ncontent-type:image/jpeg\n\n\nUNSIGNED-PAYLOAD",
            ),
            string_to_sign: "3db2da585bd8524456ff707a93fbbb1d014d25de744a70574cdd087c0b8d3396",
        },
        Vector {
            name: "TV15",
            method: "GET",
            bucket: B,
            key: OBJ,
            query: "x-oss-process=image%2Fresize%2Cm_fill%2Cw_200%2Ch_200&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20250115T083000Z&x-oss-expires=3600&x-oss-credential=LTAI5tVectorKeyId0001%2F20250115%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-additional-headers=host&x-oss-signature=1cb1e0c194c528e67ce063fb18db13e5d2b510fc68c35f18459daf2a8fa1f816",
            headers: &[("Host", "examplebucket.oss-cn-hangzhou.aliyuncs.com")],
            authorization: None,
            canonical_request: Some(
                "GET\n/examplebucket/photos/2025/cat%20%26%20dog%2B1.jpg\nx-oss-additional-headers=host&x-oss-credential=LTAI5tVectorKeyId0001%2F20250115%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20250115T083000Z&x-oss-expires=3600&x-oss-process=image%2Fresize%2Cm_fill%2Cw_200%2Ch_200&x-oss-signature-version=OSS4-HMAC-SHA256\nhost:examplebucket.oss-cn-hangzhou.aliyuncs.com\n\nhost\nUNSIGNED-PAYLOAD",
            ),
            string_to_sign: "50e5d22c9c79094a2f51a325b94257d1880a3bf59842fb7f4db94fe72be0ee8f",
        },
    ]
}

const V4_HEADERS: &[(&str, &str)] = &[
    ("x-oss-date", ISO_DATE),
    ("Date", RFC_DATE),
    ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"),
];

impl Vector {
    fn is_v4(&self) -> bool {
        self.canonical_request.is_some()
    }

    /// The full expected string to sign (V4 entries store only the hash line).
    fn expected_sts(&self) -> String {
        match self.is_v4() {
            true => format!("{V4_STS_PREFIX}{}", self.string_to_sign),
            false => self.string_to_sign.to_owned(),
        }
    }

    /// The request as received by the server (with Authorization for header vectors).
    fn request(&self) -> Req {
        let mut req = Req::new(self.method, self.bucket, self.key, self.query, self.headers);
        if let Some(a) = self.authorization {
            req.set_header("authorization", a);
        }
        req
    }

    fn expected_scheme(&self) -> Scheme {
        match (self.authorization.is_some(), self.is_v4()) {
            (true, true) => Scheme::V4Header,
            (true, false) => Scheme::V1Header,
            (false, true) => Scheme::V4Query,
            (false, false) => Scheme::V1Query,
        }
    }

    /// The V4 additional header names the vector signs (from the header or the URL).
    fn additional_headers(&self) -> Vec<String> {
        let raw = match self.authorization {
            Some(a) => a
                .split("AdditionalHeaders=")
                .nth(1)
                .and_then(|s| s.split(',').next()),
            None => self
                .query
                .split("x-oss-additional-headers=")
                .nth(1)
                .and_then(|s| s.split('&').next()),
        };
        normalize_additional_headers(raw.unwrap_or(""))
    }

    /// The signature the vector carries.
    fn signature(&self, req: &Req) -> String {
        match self.expected_scheme() {
            Scheme::V1Query => req.query_value("Signature"),
            Scheme::V4Query => req.query_value("x-oss-signature"),
            _ => {
                let auth = self.authorization.unwrap();
                let tail = auth.rsplit_once("Signature=").map(|(_, s)| s.to_owned());
                tail.unwrap_or_else(|| auth.rsplit_once(':').unwrap().1.to_owned())
            }
        }
    }
}

fn scope() -> Scope {
    Scope::new("20250115", "cn-hangzhou", "oss")
}

#[test]
fn parse_detects_scheme_key_and_token() {
    for v in vectors() {
        let req = v.request();
        let auth = req.auth();
        assert_eq!(auth.scheme, v.expected_scheme(), "{}", v.name);
        assert_eq!(auth.access_key_id, AK, "{}", v.name);
        let sts = matches!(v.name, "TV3" | "TV6" | "TV9" | "TV14");
        let expected_token = sts.then(|| TOKEN.to_owned());
        assert_eq!(auth.security_token, expected_token, "{}", v.name);
        assert_eq!(auth.signature_provided(), v.signature(&req), "{}", v.name);
    }
}

#[test]
fn server_reproduces_strings_byte_for_byte() {
    // Verifying with a wrong secret yields the server's own strings in the Mismatch error.
    for v in vectors() {
        let err = v.request().check_with("wrong-secret", T0);
        let Err(SigError::Mismatch {
            string_to_sign,
            canonical_request,
            signature_provided,
        }) = err
        else {
            panic!("{}: expected mismatch, got {err:?}", v.name);
        };
        assert_eq!(string_to_sign, v.expected_sts(), "{}", v.name);
        assert_eq!(
            canonical_request.as_deref(),
            v.canonical_request,
            "{}",
            v.name
        );
        assert_eq!(signature_provided, v.signature(&v.request()), "{}", v.name);
    }
}

#[test]
fn public_builders_reproduce_strings() {
    for v in vectors() {
        let req = v.request();
        let view = req.view();
        if let Some(expected_cr) = v.canonical_request {
            let presigned = v.authorization.is_none();
            let additional = v.additional_headers();
            let cr = v4_canonical_request(&view, &additional, presigned, EmptyValueForm::BareKey);
            assert_eq!(cr, expected_cr, "{}", v.name);
            assert_eq!(
                v4_string_to_sign(ISO_DATE, &scope(), &cr),
                v.expected_sts(),
                "{}",
                v.name
            );
        } else {
            let date = if v.authorization.is_some() {
                RFC_DATE.to_owned()
            } else {
                EXPIRES.to_string()
            };
            assert_eq!(
                v1_string_to_sign(&view, &date),
                v.expected_sts(),
                "{}",
                v.name
            );
        }
    }
}

#[test]
fn signers_reproduce_signatures() {
    for v in vectors() {
        let mut req = v.request();
        let expected = v.signature(&req);
        match v.expected_scheme() {
            Scheme::V1Header => {
                req.remove_header("authorization");
                assert_eq!(
                    Some(v1_authorization(AK, SECRET, &req.view()).as_str()),
                    v.authorization,
                    "{}",
                    v.name
                );
            }
            Scheme::V4Header => {
                let auth = req.auth();
                req.remove_header("authorization");
                let additional = v.additional_headers();
                let got =
                    v4_authorization(AK, SECRET, &req.view(), auth.scope().unwrap(), &additional);
                assert_eq!(Some(got.as_str()), v.authorization, "{}", v.name);
            }
            Scheme::V1Query => {
                assert_eq!(
                    v1_presign_signature(SECRET, &req.view(), EXPIRES),
                    expected,
                    "{}",
                    v.name
                );
            }
            Scheme::V4Query => {
                let additional = v.additional_headers();
                req.remove_query("x-oss-signature");
                let got =
                    v4_presign_signature(SECRET, &req.view(), &scope(), ISO_DATE, &additional);
                assert_eq!(got, expected, "{}", v.name);
            }
            other => panic!("unexpected scheme {other:?}"),
        }
    }
}

#[test]
fn accepted_at_signing_time() {
    for v in vectors() {
        assert_eq!(v.request().check_at(T0), Ok(()), "{}", v.name);
    }
}

#[test]
fn presigned_accepted_until_expiry_then_rejected() {
    for v in vectors().into_iter().filter(|v| v.authorization.is_none()) {
        let req = v.request();
        assert_eq!(req.auth().url_expires_at(), Some(EXPIRES), "{}", v.name);
        assert_eq!(req.check_at(EXPIRES), Ok(()), "{}", v.name);
        assert_eq!(
            req.check_at(EXPIRES + 1),
            Err(SigError::Expired),
            "{}",
            v.name
        );
        assert_eq!(
            req.check_at(EXPIRES + 86_400),
            Err(SigError::Expired),
            "{}",
            v.name
        );
    }
}

#[test]
fn header_auth_has_no_url_expiry() {
    for v in vectors().into_iter().filter(|v| v.authorization.is_some()) {
        assert_eq!(v.request().auth().url_expires_at(), None, "{}", v.name);
    }
}

#[test]
fn tampered_signature_rejected() {
    for v in vectors() {
        let mut req = v.request();
        let bad = tamper(&v.signature(&req));
        match v.authorization {
            Some(a) => {
                let good = v.signature(&req);
                req.set_header("authorization", &a.replace(&good, &bad));
            }
            None if v.is_v4() => {
                req.set_query("x-oss-signature", &bad);
            }
            None => {
                req.set_query("Signature", &bad);
            }
        }
        assert!(is_mismatch(&req.check_at(T0)), "{}", v.name);
    }
}

#[test]
fn tampered_request_rejected() {
    for v in vectors() {
        // The method is in every string to sign.
        let mut req = v.request();
        req.method = "DELETE".into();
        assert!(is_mismatch(&req.check_at(T0)), "{} method", v.name);
        // So is the resource.
        let mut req = v.request();
        req.bucket = Some("otherbucket".into());
        assert!(is_mismatch(&req.check_at(T0)), "{} bucket", v.name);
    }
}

#[test]
fn tampered_signed_params_rejected() {
    let all = vectors();
    let find = |name: &str| all.iter().find(|v| v.name == name).unwrap();
    let cases: &[(&str, &str, &str)] = &[
        ("TV3", "versionId", "other"),
        ("TV3", "x-oss-process", "image/resize,w_999"),
        ("TV6", "response-content-disposition", "inline"),
        ("TV6", "security-token", "CAIS+otherToken"),
        ("TV11", "x-oss-process", "image/resize,w_999"),
        ("TV11", "prefix", "added-param"),
        ("TV13", "x-oss-expires", "7200"),
        ("TV14", "x-oss-security-token", "CAIS+otherToken"),
        ("TV15", "x-oss-process", "image/resize,w_1"),
    ];
    for (name, key, value) in cases {
        let mut req = find(name).request();
        req.set_query(key, value);
        assert!(is_mismatch(&req.check_at(T0)), "{name} {key}");
    }
    let header_cases: &[(&str, &str, &str)] = &[
        ("TV1", "x-oss-meta-author", "mallory"),
        ("TV1", "content-type", "text/html"),
        ("TV1", "content-md5", "1B2M2Y8AsgTpgAmY7PhCfg=="),
        ("TV7", "content-type", "text/html"),
        ("TV8", "x-oss-meta-author", "mallory"),
        ("TV9", "range", "bytes=0-1000"),
        ("TV14", "content-type", "text/html"),
        ("TV15", "host", "evil.example.com"),
    ];
    for (name, header, value) in header_cases {
        let mut req = find(name).request();
        req.set_header(header, value);
        assert!(is_mismatch(&req.check_at(T0)), "{name} {header}");
    }
}

#[test]
fn unsigned_params_do_not_matter_in_v1() {
    // TV4: prefix, delimiter, max-keys and encoding-type are not sub-resources.
    let all = vectors();
    let v = all.iter().find(|v| v.name == "TV4").unwrap();
    let mut req = v.request();
    req.set_query("prefix", "other/").set_query("marker", "m");
    assert_eq!(req.check_at(T0), Ok(()));
}

#[test]
fn tv16_post_policy_v1() {
    let policy = "eyJleHBpcmF0aW9uIjoiMjAyNS0wMS0xNVQwOTozMDowMC4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZWJ1Y2tldCJ9LFsiY29udGVudC1sZW5ndGgtcmFuZ2UiLDEsMTA0ODU3NjBdLFsic3RhcnRzLXdpdGgiLCIka2V5IiwidXNlci9hbGljZS8iXSxbImVxIiwiJHN1Y2Nlc3NfYWN0aW9uX3N0YXR1cyIsIjIwMSJdXX0=";
    let sig = "lbObrkNfIUe+3CQRRtydmBidvDc=";
    assert_eq!(ossd_sig::post_policy_v1_signature(SECRET, policy), sig);
    assert_eq!(ossd_sig::verify_post_policy_v1(SECRET, policy, sig), Ok(()));
    let bad = ossd_sig::verify_post_policy_v1(SECRET, policy, &tamper(sig));
    assert!(is_mismatch(&bad));
    let other_policy = format!("{policy}x");
    assert!(is_mismatch(&ossd_sig::verify_post_policy_v1(
        SECRET,
        &other_policy,
        sig
    )));
}

#[test]
fn tv17_post_policy_v4() {
    let policy = "eyJleHBpcmF0aW9uIjoiMjAyNS0wMS0xNVQwOTozMDowMC4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZWJ1Y2tldCJ9LHsieC1vc3Mtc2lnbmF0dXJlLXZlcnNpb24iOiJPU1M0LUhNQUMtU0hBMjU2In0seyJ4LW9zcy1jcmVkZW50aWFsIjoiTFRBSTV0VmVjdG9yS2V5SWQwMDAxLzIwMjUwMTE1L2NuLWhhbmd6aG91L29zcy9hbGl5dW5fdjRfcmVxdWVzdCJ9LHsieC1vc3MtZGF0ZSI6IjIwMjUwMTE1VDA4MzAwMFoifSxbImNvbnRlbnQtbGVuZ3RoLXJhbmdlIiwxLDEwNDg1NzYwXSxbInN0YXJ0cy13aXRoIiwiJGtleSIsInVzZXIvYWxpY2UvIl1dfQ==";
    let sig = "dac32c75d5eb29ced137e78e5ac5ad34fd8e785aecf42ed7717c7dfa90e5aae8";
    let credential = "LTAI5tVectorKeyId0001/20250115/cn-hangzhou/oss/aliyun_v4_request";
    let (ak, scope) = Scope::parse_credential(credential).unwrap();
    assert_eq!(ak, AK);
    assert_eq!(
        ossd_sig::post_policy_v4_signature(SECRET, &scope, policy),
        sig
    );
    let keys = SigningKeyCache::new();
    assert_eq!(
        ossd_sig::verify_post_policy_v4(SECRET, &scope, policy, sig, &keys),
        Ok(())
    );
    let bad = ossd_sig::verify_post_policy_v4(SECRET, &scope, policy, &tamper(sig), &keys);
    assert!(is_mismatch(&bad));
    let other_region = Scope::new("20250115", "cn-beijing", "oss");
    assert!(is_mismatch(&ossd_sig::verify_post_policy_v4(
        SECRET,
        &other_region,
        policy,
        sig,
        &keys
    )));
}

#[test]
fn tv18_official_examples() {
    let secret = "OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV";
    let sts = "PUT\nODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=\ntext/html\nThu, 17 Nov 2005 18:49:58 GMT\nx-oss-magic:abracadabra\nx-oss-meta-author:foo@bar.com\n/oss-example/nelson";
    assert_eq!(v1_signature(secret, sts), "26NBxoKdsyly4EDv6inkoDft/yA=");
    assert_eq!(
        v1_signature(secret, "GET\n\n\n1141889120\n/oss-example/oss-api.pdf"),
        "EwaNTn1erJGkimiJ9WmXgwnANLc="
    );

    // The same strings built from requests.
    let req = Req::new(
        "PUT",
        Some("oss-example"),
        Some("nelson"),
        "",
        &[
            (
                "Content-MD5",
                "ODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=",
            ),
            ("Content-Type", "text/html"),
            ("Date", "Thu, 17 Nov 2005 18:49:58 GMT"),
            ("X-OSS-Meta-Author", "foo@bar.com"),
            ("X-OSS-Magic", "abracadabra"),
        ],
    );
    assert_eq!(
        v1_string_to_sign(&req.view(), "Thu, 17 Nov 2005 18:49:58 GMT"),
        sts
    );
    let url = Req::new(
        "GET",
        Some("oss-example"),
        Some("oss-api.pdf"),
        "OSSAccessKeyId=nz2pc56s936**9l&Expires=1141889120&Signature=EwaNTn1erJGkimiJ9WmXgwnANLc%3D",
        &[],
    );
    assert_eq!(url.check_with(secret, 1_141_889_000), Ok(()));
    assert_eq!(
        url.check_with(secret, 1_141_889_121),
        Err(SigError::Expired)
    );
}
