//! STS on the wire: RPC parameters into an [`StsCall`], and the JSON bodies of AssumeRole and
//! GetCallerIdentity as the STS API reference documents them
//! (<https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole>,
//! <https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-getcalleridentity>):
//! every value a string, no `Code`.

use crate::json::timestamp;
use ossd_iam::{AssumeRole, Caller, IssuedCredentials, StsAction, StsCall};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The call of `action` with the decoded parameters.
pub fn parse(action: StsAction, params: &BTreeMap<String, String>) -> StsCall {
    let opt = |name: &str| params.get(name).filter(|v| !v.is_empty()).cloned();
    match action {
        StsAction::AssumeRole => StsCall::AssumeRole(AssumeRole {
            role_arn: opt("RoleArn"),
            role_session_name: opt("RoleSessionName"),
            duration_seconds: opt("DurationSeconds"),
            policy: opt("Policy"),
            external_id: opt("ExternalId"),
            source_identity: opt("SourceIdentity"),
        }),
        StsAction::GetCallerIdentity => StsCall::GetCallerIdentity,
    }
}

/// The AssumeRole response body.
pub fn credentials(c: &IssuedCredentials) -> Value {
    let mut body = json!({
        "AssumedRoleUser": {
            "Arn": c.assumed_role_arn,
            "AssumedRoleId": c.assumed_role_id,
        },
        "Credentials": {
            "AccessKeyId": c.access_key_id,
            "AccessKeySecret": c.secret.as_str(),
            "SecurityToken": c.security_token,
            "Expiration": timestamp(c.expiration),
        },
    });
    if let (Some(source), Some(map)) = (&c.source_identity, body.as_object_mut()) {
        map.insert("SourceIdentity".to_owned(), source.as_str().into());
    }
    body
}

/// The GetCallerIdentity response body.
pub fn caller_identity(caller: &Caller) -> Value {
    let mut obj = Map::new();
    let mut set = |k: &str, v: &str| {
        obj.insert(k.to_owned(), Value::String(v.to_owned()));
    };
    set("Arn", &caller.arn());
    match caller {
        Caller::Anonymous => {}
        Caller::Root { account_id, .. } => {
            set("IdentityType", "Account");
            set("AccountId", account_id);
            set("UserId", account_id);
            set("PrincipalId", account_id);
        }
        Caller::User {
            account_id,
            user_id,
            ..
        } => {
            set("IdentityType", "RAMUser");
            set("AccountId", account_id);
            set("UserId", user_id);
            set("PrincipalId", user_id);
        }
        Caller::Session {
            account_id,
            role_id,
            session_name,
            ..
        } => {
            set("IdentityType", "AssumedRoleUser");
            set("AccountId", account_id);
            set("RoleId", role_id);
            set("PrincipalId", &format!("{role_id}:{session_name}"));
        }
    }
    Value::Object(obj)
}
