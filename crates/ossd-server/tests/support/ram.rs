//! RAM and STS through the real RPC API over HTTP: requests signed with RPC signature v1
//! (`ossd_sig::rpc::sign_v1`), and helpers for a RAM user with one policy and an STS session.

use anyhow::{Context, bail};
use bytes::Bytes;
use http_body_util::Full;
use ossd_sig::rpc::{format_rpc_timestamp, sign_v1};
use ossd_sig::{QueryParam, uri_encode};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{ACCOUNT_ID, Creds, Reply, Server};

/// RAM's API version.
pub(crate) const RAM_VERSION: &str = "2015-05-01";
/// STS's API version.
pub(crate) const STS_VERSION: &str = "2015-04-01";

/// The common parameters of an RPC v1 request for `action`, signed for `method`, with `params`.
pub(crate) fn signed_params(
    method: &str,
    action: &str,
    version: &str,
    params: &[(&str, &str)],
    creds: &Creds,
) -> Vec<QueryParam> {
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let mut all = vec![
        QueryParam::new("Action", action),
        QueryParam::new("Version", version),
        QueryParam::new("Format", "JSON"),
        QueryParam::new("AccessKeyId", &creds.id),
        QueryParam::new("SignatureMethod", "HMAC-SHA1"),
        QueryParam::new("SignatureVersion", "1.0"),
        QueryParam::new("SignatureNonce", nonce),
        QueryParam::new("Timestamp", format_rpc_timestamp(OffsetDateTime::now_utc())),
    ];
    if let Some(token) = &creds.token {
        all.push(QueryParam::new("SecurityToken", token));
    }
    all.extend(params.iter().map(|(k, v)| QueryParam::new(*k, *v)));
    let signature = sign_v1(method, &all, &creds.secret);
    all.push(QueryParam::new("Signature", signature));
    all
}

/// `k=v&...`, every component percent-encoded.
pub(crate) fn encode(params: &[QueryParam]) -> String {
    let items: Vec<String> = params
        .iter()
        .map(|p| format!("{}={}", uri_encode(&p.key), uri_encode(&p.value)))
        .collect();
    items.join("&")
}

impl Server {
    /// An RPC call with its parameters in the query of `GET /`.
    pub(crate) async fn rpc_get(&self, params: &[QueryParam]) -> anyhow::Result<Reply> {
        let uri = format!("http://{}/?{}", self.authority(), encode(params));
        let req = http::Request::get(uri).body(Full::new(Bytes::new()))?;
        self.send(req).await
    }

    /// An RPC call with its parameters in a form body of `POST /`.
    pub(crate) async fn rpc_form(&self, params: &[QueryParam]) -> anyhow::Result<Reply> {
        let uri = format!("http://{}/", self.authority());
        let req = http::Request::post(uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Full::new(Bytes::from(encode(params))))?;
        self.send(req).await
    }

    /// A signed RPC call (form POST) that must succeed; its JSON body.
    pub(crate) async fn call(
        &self,
        action: &str,
        version: &str,
        params: &[(&str, &str)],
        creds: &Creds,
    ) -> anyhow::Result<Value> {
        let signed = signed_params("POST", action, version, params, creds);
        let reply = self.rpc_form(&signed).await?;
        if !reply.status.is_success() {
            bail!("{action}: HTTP {}: {}", reply.status, reply.text());
        }
        reply.json()
    }

    /// A RAM action as the account root.
    pub(crate) async fn ram(&self, action: &str, params: &[(&str, &str)]) -> anyhow::Result<Value> {
        let root = self.root.clone();
        self.call(action, RAM_VERSION, params, &root).await
    }

    /// A new custom policy with `document`; returns its name.
    pub(crate) async fn create_policy(&self, document: &Value) -> anyhow::Result<String> {
        let name = self.unique("Policy");
        let doc = document.to_string();
        self.ram(
            "CreatePolicy",
            &[("PolicyName", &name), ("PolicyDocument", &doc)],
        )
        .await?;
        Ok(name)
    }

    /// A new RAM user with an AccessKey; `policy` (a custom policy document) attached if given.
    pub(crate) async fn ram_user(&self, policy: Option<&Value>) -> anyhow::Result<Creds> {
        Ok(self.named_ram_user(policy).await?.1)
    }

    /// Like [`Server::ram_user`]; also returns the user's name.
    pub(crate) async fn named_ram_user(
        &self,
        policy: Option<&Value>,
    ) -> anyhow::Result<(String, Creds)> {
        let user = self.unique("user");
        self.ram("CreateUser", &[("UserName", &user)]).await?;
        let key = self.ram("CreateAccessKey", &[("UserName", &user)]).await?;
        let id = str_at(&key, &["AccessKey", "AccessKeyId"])?;
        let secret = str_at(&key, &["AccessKey", "AccessKeySecret"])?;
        if let Some(document) = policy {
            let name = self.create_policy(document).await?;
            self.ram(
                "AttachPolicyToUser",
                &[
                    ("PolicyType", "Custom"),
                    ("PolicyName", &name),
                    ("UserName", &user),
                ],
            )
            .await?;
        }
        Ok((user, Creds::new(id, secret)))
    }

    /// An STS session: a role with `role_policy` that trusts the account, assumed by a RAM user
    /// allowed `sts:AssumeRole`, narrowed by `session_policy` when given.
    pub(crate) async fn sts_session(
        &self,
        role_policy: &Value,
        session_policy: Option<&Value>,
    ) -> anyhow::Result<Creds> {
        let (name, caller) = self.named_ram_user(None).await?;
        self.ram(
            "AttachPolicyToUser",
            &[
                ("PolicyType", "System"),
                ("PolicyName", "AliyunSTSAssumeRoleAccess"),
                ("UserName", &name),
            ],
        )
        .await?;
        let role = self.unique("role");
        let trust = json!({
            "Version": "1",
            "Statement": [{
                "Action": "sts:AssumeRole",
                "Effect": "Allow",
                "Principal": {"RAM": [format!("acs:ram::{ACCOUNT_ID}:root")]},
            }],
        })
        .to_string();
        let created = self
            .ram(
                "CreateRole",
                &[("RoleName", &role), ("AssumeRolePolicyDocument", &trust)],
            )
            .await?;
        let arn = str_at(&created, &["Role", "Arn"])?.to_owned();
        let policy = self.create_policy(role_policy).await?;
        self.ram(
            "AttachPolicyToRole",
            &[
                ("PolicyType", "Custom"),
                ("PolicyName", &policy),
                ("RoleName", &role),
            ],
        )
        .await?;
        let session_doc = session_policy.map(Value::to_string);
        let mut params = vec![
            ("RoleArn", arn.as_str()),
            ("RoleSessionName", "pipeline"),
            ("DurationSeconds", "3600"),
        ];
        if let Some(doc) = &session_doc {
            params.push(("Policy", doc));
        }
        let assumed = self
            .call("AssumeRole", STS_VERSION, &params, &caller)
            .await?;
        Ok(Creds {
            id: str_at(&assumed, &["Credentials", "AccessKeyId"])?.to_owned(),
            secret: str_at(&assumed, &["Credentials", "AccessKeySecret"])?.to_owned(),
            token: Some(str_at(&assumed, &["Credentials", "SecurityToken"])?.to_owned()),
        })
    }
}

/// The string at a path of object keys.
pub(crate) fn str_at<'a>(v: &'a Value, path: &[&str]) -> anyhow::Result<&'a str> {
    path.iter()
        .try_fold(v, |v, key| v.get(key))
        .and_then(Value::as_str)
        .with_context(|| format!("no string at {path:?} in {v}"))
}
