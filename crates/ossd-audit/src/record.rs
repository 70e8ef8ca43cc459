//! One audit record and its JSON-lines encoding. Records carry names and ids only: never a
//! secret, a security token or a signature (AccessKey ids are fine).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::macros::format_description;

/// Which API an audited event came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A RAM (2015-05-01) change.
    Ram,
    /// An STS (2015-04-01) call that issues credentials.
    Sts,
    /// An authorization denial on the OSS API.
    Oss,
    /// A root-only administrative endpoint (`/-/admin/...`).
    Admin,
}

/// What was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// The change or call succeeded.
    Allow,
    /// Refused for lack of permission (policy, trust policy, root-only endpoint).
    Deny,
    /// Refused for another reason (bad parameter, missing entity, conflict, signature, backend).
    Error,
}

/// Who made the request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// `Account` (root), `SubUser`, `AssumedRoleUser`, `Anonymous`, or `Unauthenticated` when
    /// the signature was not accepted.
    #[serde(rename = "type")]
    pub kind: String,
    /// The caller's ARN (`acs:ram::<account>:user/<name>`, `...:assumed-role/<role>/<session>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The AccessKey id that signed (an `STS.` id for sessions); never the secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
}

/// The policy statement that decided a denial, when one did (explicit denies).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matched {
    /// `AccessDeniedDetail/PolicyType`: `SessionPolicy`, `AccountLevelIdentityBasedPolicy`,
    /// `ResourceBasedPolicy`, `AssumeRolePolicy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_type: Option<String>,
    /// The policy's name, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Index of the statement within the policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<usize>,
    /// The statement's `Sid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// When it was recorded (RFC 3339, UTC, real time even when the server's clock is offset).
    pub time: String,
    /// Which API.
    pub kind: Kind,
    /// `ram:CreateUser`, `sts:AssumeRole`, `oss:GetObject`, `admin:Backup`.
    pub action: String,
    /// Allowed, denied or failed.
    pub decision: Decision,
    /// The error code of a refusal (`NoPermission`, `AccessDenied`, `EntityNotExist.User`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Why: the error message, or for denials the deny kind (`ExplicitDeny` / `ImplicitDeny`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Who.
    pub principal: Principal,
    /// The resource ARN decided on (`acs:oss:*:<account>:<bucket>/<key>`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The entities named by the request (`UserName`, `RoleName`, `PolicyName`, `RoleArn`, the
    /// created AccessKey's id ...), from an allow-list of parameter names.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub target: BTreeMap<String, String>,
    /// The statement that decided a denial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<Matched>,
    /// The request id returned to the client.
    pub request_id: String,
    /// The peer address of the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
}

impl AuditRecord {
    /// A record stamped with the current real time; the other fields are filled by the caller.
    #[allow(clippy::disallowed_methods)] // the audit trail records when things really happened
    pub fn now(kind: Kind, action: impl Into<String>, decision: Decision) -> Self {
        Self {
            time: timestamp(OffsetDateTime::now_utc()),
            kind,
            action: action.into(),
            decision,
            code: None,
            reason: None,
            principal: Principal::default(),
            resource: None,
            target: BTreeMap::new(),
            matched: None,
            request_id: String::new(),
            source_ip: None,
        }
    }

    /// The record as one JSON line (no trailing newline).
    pub fn to_line(&self) -> String {
        // Serializing plain strings, numbers and maps with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// RFC 3339 with milliseconds, e.g. `2025-01-02T03:04:05.678Z`.
fn timestamp(t: OffsetDateTime) -> String {
    let format =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    t.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn sample() -> AuditRecord {
        let mut r = AuditRecord::now(Kind::Oss, "oss:GetObject", Decision::Deny);
        r.time = "2025-01-02T03:04:05.678Z".to_owned();
        r.code = Some("AccessDenied".to_owned());
        r.reason = Some("ImplicitDeny".to_owned());
        r.principal = Principal {
            kind: "SubUser".to_owned(),
            arn: Some("acs:ram::1:user/alice".to_owned()),
            access_key_id: Some("LTAIabc".to_owned()),
        };
        r.resource = Some("acs:oss:*:1:b/k".to_owned());
        r.request_id = "R1".to_owned();
        r.source_ip = Some("127.0.0.1".to_owned());
        r
    }

    #[test]
    fn encodes_as_one_line_with_wire_names() -> Result<(), serde_json::Error> {
        let line = sample().to_line();
        assert!(!line.contains('\n'));
        let v: Value = serde_json::from_str(&line)?;
        assert_eq!(
            v,
            json!({
                "time": "2025-01-02T03:04:05.678Z", "kind": "oss", "action": "oss:GetObject",
                "decision": "deny", "code": "AccessDenied", "reason": "ImplicitDeny",
                "principal": {"type": "SubUser", "arn": "acs:ram::1:user/alice",
                              "access_key_id": "LTAIabc"},
                "resource": "acs:oss:*:1:b/k", "request_id": "R1", "source_ip": "127.0.0.1"
            })
        );
        Ok(())
    }

    #[test]
    fn round_trips_with_target_and_matched() -> Result<(), serde_json::Error> {
        let mut r = sample();
        r.target.insert("UserName".to_owned(), "a\"b\nc".to_owned());
        r.matched = Some(Matched {
            policy_type: Some("ResourceBasedPolicy".to_owned()),
            policy: None,
            statement: Some(1),
            sid: Some("deny-all".to_owned()),
        });
        let line = r.to_line();
        assert!(!line.contains('\n'), "newlines in values are escaped");
        let back: AuditRecord = serde_json::from_str(&line)?;
        assert_eq!(back, r);
        Ok(())
    }

    #[test]
    fn timestamps_have_milliseconds() {
        let r = AuditRecord::now(Kind::Ram, "ram:CreateUser", Decision::Allow);
        assert!(r.time.ends_with('Z'), "{}", r.time);
        assert_eq!(r.time.len(), "2025-01-02T03:04:05.678Z".len(), "{}", r.time);
    }
}
