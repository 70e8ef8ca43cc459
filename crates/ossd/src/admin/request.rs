//! Building a signed RPC request (docs/protocol/rpc.md#v1-common-parameters, #v1-signature): common
//! parameters, the v1 HMAC-SHA1 signature and the `application/x-www-form-urlencoded` body.

use ossd_sig::QueryParam;
use ossd_sig::rpc::{format_rpc_timestamp, sign_v1};

use super::conn::Credentials;

/// The HTTP method every admin request uses.
pub(super) const METHOD: &str = "POST";

/// The action-specific parameters of one request, in insertion order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Params(Vec<(&'static str, String)>);

impl Params {
    /// No parameters.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds a parameter.
    pub(crate) fn set(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.0.push((name, value.into()));
        self
    }

    /// Adds a parameter when a value is given.
    pub(crate) fn opt(self, name: &'static str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.set(name, v),
            None => self,
        }
    }

    /// The parameters.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(k, v)| (*k, v.as_str()))
    }
}

/// The per-request nonce and timestamp.
#[derive(Debug, Clone)]
pub(super) struct Stamp {
    /// `SignatureNonce`.
    pub nonce: String,
    /// `Timestamp` (`YYYY-MM-DDThh:mm:ssZ`).
    pub timestamp: String,
}

impl Stamp {
    /// A fresh random nonce and the current time.
    #[allow(clippy::disallowed_methods)] // a client stamps its request with its own real time
    pub(super) fn now() -> Self {
        Self {
            nonce: uuid::Uuid::new_v4().to_string(),
            timestamp: format_rpc_timestamp(time::OffsetDateTime::now_utc()),
        }
    }
}

/// Every parameter of a request to `action` of API `version`, `Signature` last.
pub(super) fn signed_params(
    action: &str,
    version: &str,
    params: &Params,
    creds: &Credentials,
    stamp: &Stamp,
) -> Vec<QueryParam> {
    let mut all = vec![
        QueryParam::new("Action", action),
        QueryParam::new("Version", version),
        QueryParam::new("Format", "JSON"),
        QueryParam::new("AccessKeyId", creds.access_key_id.as_str()),
        QueryParam::new("SignatureMethod", "HMAC-SHA1"),
        QueryParam::new("SignatureVersion", "1.0"),
        QueryParam::new("SignatureNonce", stamp.nonce.as_str()),
        QueryParam::new("Timestamp", stamp.timestamp.as_str()),
    ];
    if let Some(token) = &creds.security_token {
        all.push(QueryParam::new("SecurityToken", token.expose()));
    }
    all.extend(params.iter().map(|(k, v)| QueryParam::new(k, v)));
    let signature = sign_v1(METHOD, &all, creds.secret.expose());
    all.push(QueryParam::new("Signature", signature));
    all
}

/// The form body: `name=value` pairs, RFC 3986-encoded, joined with `&`.
pub(super) fn form_body(params: &[QueryParam]) -> String {
    params
        .iter()
        .map(|p| {
            format!(
                "{}={}",
                ossd_sig::uri_encode(&p.key),
                ossd_sig::uri_encode(&p.value)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::conn::Secret;
    use ossd_sig::rpc::{V1Variant, collect_params, v1_matching_variant};

    const POLICY: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject","oss:PutObject"],"Resource":["acs:oss:*:*:examplebucket/dir/*"]}]}"#;

    fn creds(token: Option<&str>) -> Credentials {
        Credentials {
            access_key_id: "testid".to_owned(),
            secret: Secret::from("testsecret".to_owned()),
            security_token: token.map(|t| Secret::from(t.to_owned())),
        }
    }

    fn stamp() -> Stamp {
        Stamp {
            nonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf".to_owned(),
            timestamp: "2024-01-01T00:00:00Z".to_owned(),
        }
    }

    fn assume_role() -> Params {
        Params::new()
            .set("RoleArn", "acs:ram::1234567890123456:role/oss-writer")
            .set("RoleSessionName", "alice")
            .set("DurationSeconds", "3600")
            .set("Policy", POLICY)
    }

    /// Vector 9.2 of docs/protocol/rpc.md#test-vectors (`@alicloud/pop-core` AssumeRole, POST form
    /// body).
    #[test]
    fn reproduces_vector_9_2() {
        let all = signed_params(
            "AssumeRole",
            "2015-04-01",
            &assume_role(),
            &creds(None),
            &stamp(),
        );
        let last = all.last().map(|p| (p.key.as_str(), p.value.as_str()));
        assert_eq!(last, Some(("Signature", "4g1fyMQR5qMEYyD8ziUZYa+bFbY=")));
    }

    #[test]
    fn body_round_trips_and_verifies() {
        let all = signed_params(
            "AssumeRole",
            "2015-04-01",
            &assume_role(),
            &creds(Some("CAIS+/=")),
            &stamp(),
        );
        let body = form_body(&all);
        assert!(body.contains("Signature="), "{body}");
        assert!(body.contains("%2A") && !body.contains('*'), "{body}");
        assert!(body.contains("SecurityToken=CAIS%2B%2F%3D"), "{body}");
        let parsed = collect_params("", Some(body.as_bytes()));
        assert_eq!(parsed.all(), all.as_slice());
        let sig = parsed.get("Signature").unwrap_or_default();
        let found = v1_matching_variant(METHOD, parsed.all(), "testsecret", sig);
        assert_eq!(found, Some(V1Variant::Standard));
    }

    #[test]
    fn optional_params() {
        let p = Params::new()
            .set("UserName", "alice")
            .opt("DisplayName", None::<String>)
            .opt("Comments", Some("a b"));
        let got: Vec<_> = p.iter().collect();
        assert_eq!(got, [("UserName", "alice"), ("Comments", "a b")]);
        assert_eq!(
            form_body(&[QueryParam::new("a b", "ä&=+")]),
            "a%20b=%C3%A4%26%3D%2B"
        );
    }

    #[test]
    fn stamp_format() {
        let s = Stamp::now();
        assert!(ossd_sig::rpc::parse_rpc_timestamp(&s.timestamp).is_some());
        assert_eq!(s.timestamp.len(), 20);
        assert_ne!(s.nonce, Stamp::now().nonce);
    }
}
