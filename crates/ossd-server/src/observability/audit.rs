//! What goes into the audit trail (`ossd-audit`): RAM changes and STS calls from the RPC
//! endpoint and the AWS STS endpoint (allowed or not), OSS authorization denials, and administrative actions; and the
//! root-only `GET /-/admin/audit?tail=N` that reads it back.
//!
//! Records carry names and ids only. RPC parameters are copied from an allow-list of entity
//! names (never a secret, a token, a signature or a policy document); responses contribute only
//! the ids of what was created.

use std::collections::BTreeMap;

use ossd_audit::{AuditRecord, Decision, Kind, Matched, Principal};
use ossd_iam::{Caller, Denial, Denied, IssuedCredentials, RamOutcome};
use ossd_proto::error::OssError;
use ossd_rpc::aws_sts::{AwsFailure, AwsOutcome, AwsStsAction};
use ossd_rpc::{Outcome, RpcFailure, Service};
use ossd_sig::rpc::RpcParams;
use serde_json::{Value, json};

use crate::AppState;
use crate::pipeline::ctx::Ctx;

/// RPC parameters copied into a record's `target` (entity names and settings, no secrets).
const TARGET_PARAMS: &[&str] = &[
    "UserName",
    "NewUserName",
    "GroupName",
    "NewGroupName",
    "RoleName",
    "NewRoleName",
    "PolicyName",
    "PolicyType",
    "VersionId",
    "SetAsDefault",
    "UserAccessKeyId",
    "Status",
    "RoleArn",
    "RoleSessionName",
    "DurationSeconds",
    "AccountAlias",
    "SourceIdentity",
];

/// The most records `GET /-/admin/audit` returns.
pub(crate) const MAX_TAIL: usize = 10_000;

/// What an RPC call tells the audit trail, filled in as the request is parsed.
#[derive(Debug, Default)]
pub(crate) struct RpcTrace {
    action: String,
    version: String,
    target: BTreeMap<String, String>,
    access_key_id: Option<String>,
    caller: Option<Caller>,
}

impl RpcTrace {
    /// Action, version and the allow-listed entity names of a request.
    pub(crate) fn new(params: &RpcParams, headers: &[(String, String)]) -> Self {
        let header = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.to_owned())
        };
        let mut target = BTreeMap::new();
        for name in TARGET_PARAMS {
            if let Some(v) = params.get(name) {
                target.insert((*name).to_owned(), v.to_owned());
            }
        }
        Self {
            action: params
                .get("Action")
                .map(str::to_owned)
                .or_else(|| header("x-acs-action"))
                .unwrap_or_default(),
            version: params
                .get("Version")
                .map(str::to_owned)
                .or_else(|| header("x-acs-version"))
                .unwrap_or_default(),
            target,
            access_key_id: params.get("AccessKeyId").map(str::to_owned),
            caller: None,
        }
    }

    /// Records who the signature proved the caller to be.
    pub(crate) fn set_caller(&mut self, caller: &Caller) {
        self.caller = Some(caller.clone());
    }

    /// The audited kind of this call: RAM actions that change something, STS actions that
    /// issue credentials, and calls of actions that do not exist; `None` for reads and
    /// unknown versions.
    fn kind(&self) -> Option<Kind> {
        let service = Service::from_version(&self.version)?;
        if self.action.is_empty() || service.is_mutation(&self.action) == Some(false) {
            return None;
        }
        Some(match service {
            Service::Ram => Kind::Ram,
            Service::Sts => Kind::Sts,
        })
    }
}

/// Records an RPC call if it is a RAM change or an STS credential call.
pub(crate) fn rpc(
    state: &AppState,
    trace: &RpcTrace,
    request_id: &str,
    context: &ossd_policy::RequestContext,
    result: Result<&Outcome, &RpcFailure>,
) {
    let Some(kind) = trace.kind() else {
        return;
    };
    let prefix = if kind == Kind::Ram { "ram" } else { "sts" };
    let wire = result.err().map(RpcFailure::to_wire);
    let decision = match (result, &wire) {
        (Ok(_), _) => Decision::Allow,
        (Err(e), Some(w)) if w.status == 403 || e.denial().is_some() => Decision::Deny,
        (Err(_), _) => Decision::Error,
    };
    let mut r = AuditRecord::now(kind, format!("{prefix}:{}", trace.action), decision);
    r.request_id = request_id.to_owned();
    r.source_ip = source_ip(context);
    r.target = trace.target.clone();
    r.principal = match &trace.caller {
        Some(c) => principal(c),
        None => Principal {
            kind: "Unauthenticated".to_owned(),
            arn: None,
            access_key_id: trace.access_key_id.clone(),
        },
    };
    match (result, wire) {
        (Ok(outcome), _) => created_ids(outcome, &mut r.target),
        (Err(e), wire) => {
            r.code = wire.as_ref().map(|w| w.code.clone());
            r.reason = wire.map(|w| w.message);
            r.matched = e.denial().and_then(rpc_matched);
        }
    }
    state.audit.record(&r);
}

/// Records an AWS STS call that issues credentials (AssumeRole, GetSessionToken), allowed or
/// not, like the Alibaba STS calls (docs/protocol/aws-sts.md).
pub(crate) fn aws_sts(
    state: &AppState,
    request_id: &str,
    context: &ossd_policy::RequestContext,
    params: &BTreeMap<String, String>,
    caller: Option<&Caller>,
    result: Result<&AwsOutcome, &AwsFailure>,
) {
    let action = params.get("Action").map(String::as_str).unwrap_or_default();
    if AwsStsAction::parse(action).is_some_and(|a| !a.issues_credentials()) {
        return;
    }
    let denial = result.err().and_then(|f| f.action_error.as_ref()?.denial());
    let decision = match result {
        Ok(_) => Decision::Allow,
        Err(f) if f.wire.code.status() == 403 || denial.is_some() => Decision::Deny,
        Err(_) => Decision::Error,
    };
    let mut r = AuditRecord::now(Kind::Sts, format!("sts:{action}"), decision);
    r.request_id = request_id.to_owned();
    r.source_ip = source_ip(context);
    for name in TARGET_PARAMS {
        if let Some(v) = params.get(*name) {
            r.target.insert((*name).to_owned(), v.clone());
        }
    }
    r.principal = match caller {
        Some(c) => principal(c),
        None => Principal {
            kind: "Unauthenticated".to_owned(),
            arn: None,
            access_key_id: None,
        },
    };
    match result {
        Ok(outcome) => {
            if let Some(c) = outcome.issued() {
                issued_ids(c, &mut r.target);
            }
        }
        Err(f) => {
            r.code = Some(f.wire.code.as_str().to_owned());
            r.reason = Some(f.wire.message.clone());
            r.matched = denial.and_then(rpc_matched);
        }
    }
    state.audit.record(&r);
}

/// Records an OSS authorization denial.
pub(crate) fn oss_denied(state: &AppState, ctx: &Ctx, d: &Denied) {
    let mut r = AuditRecord::now(Kind::Oss, d.auth_action.clone(), Decision::Deny);
    r.code = Some("AccessDenied".to_owned());
    r.reason = Some(format!("{}: {}", d.no_permission_type(), d.message));
    r.principal = principal(&ctx.caller);
    r.resource = Some(d.resource.clone());
    r.request_id = ctx.request_id.clone();
    r.source_ip = Some(ctx.conn.source_ip.to_string());
    let statement = d.matched.as_ref();
    if !d.policy_type.is_empty() || statement.is_some() {
        r.matched = Some(Matched {
            policy_type: Some(d.policy_type.clone()).filter(|p| !p.is_empty()),
            policy: statement.and_then(|m| m.policy_name.clone()),
            statement: statement.map(|m| m.statement_index),
            sid: statement.and_then(|m| m.sid.clone()),
        });
    }
    state.audit.record(&r);
}

/// Records an administrative action (`admin:Backup`), or a refused administrative request.
pub(crate) fn admin(
    state: &AppState,
    action: &str,
    caller: Option<&Caller>,
    request_id: &str,
    outcome: Result<BTreeMap<String, String>, &OssError>,
) {
    let decision = match outcome {
        Ok(_) => Decision::Allow,
        Err(e) if e.status == 403 => Decision::Deny,
        Err(_) => Decision::Error,
    };
    let mut r = AuditRecord::now(Kind::Admin, format!("admin:{action}"), decision);
    r.request_id = request_id.to_owned();
    r.principal = caller.map(principal).unwrap_or_else(|| Principal {
        kind: "Unauthenticated".to_owned(),
        ..Principal::default()
    });
    match outcome {
        Ok(target) => r.target = target,
        Err(e) => {
            r.code = Some(e.code.to_string());
            r.reason = Some(e.message.to_string());
        }
    }
    state.audit.record(&r);
}

/// `GET /-/admin/audit?tail=N` (default 100, at most [`MAX_TAIL`]): the last records, oldest
/// first, as JSON objects.
pub(crate) async fn tail(state: &AppState, n: Option<&str>) -> Result<Value, OssError> {
    let n = match n {
        None | Some("") => 100,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_TAIL).contains(n))
            .ok_or_else(|| {
                OssError::invalid_argument("tail must be a whole number from 1 to 10000.")
            })?,
    };
    let lines = state.audit.tail(n).await.map_err(|e| {
        tracing::error!(error = %e, "reading the audit trail");
        OssError::internal_error()
    })?;
    let records: Vec<Value> = lines
        .iter()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    Ok(json!({ "records": records }))
}

/// Who a caller is, for a record.
fn principal(caller: &Caller) -> Principal {
    let arn = caller.arn();
    Principal {
        kind: caller.principal_type().to_owned(),
        arn: (!arn.is_empty()).then_some(arn),
        access_key_id: caller.access_key_id().map(str::to_owned),
    }
}

fn source_ip(context: &ossd_policy::RequestContext) -> Option<String> {
    context.get("acs:SourceIp").and_then(|v| v.first()).cloned()
}

/// The ids a successful call created: a new AccessKey's id, an STS session's temporary
/// AccessKey id, ARN and expiry (never the secrets or the token beside them).
fn created_ids(outcome: &Outcome, target: &mut BTreeMap<String, String>) {
    match outcome {
        Outcome::Issued(c) => issued_ids(c, target),
        Outcome::Ram(RamOutcome::AccessKeyCreated(new)) => {
            target.insert("CreatedAccessKeyId".to_owned(), new.key.id.clone());
        }
        Outcome::Ram(_) | Outcome::Identity(_) => {}
    }
}

/// The ids of issued credentials: the temporary AccessKey id, its expiry and the session's ARN.
fn issued_ids(c: &IssuedCredentials, target: &mut BTreeMap<String, String>) {
    target.insert("IssuedAccessKeyId".to_owned(), c.access_key_id.clone());
    let expiration = ossd_rpc::json::timestamp(c.expiration);
    target.insert("Expiration".to_owned(), expiration);
    target.insert("AssumedRoleArn".to_owned(), c.assumed_role_arn.clone());
}

/// The deciding policy and statement of a `NoPermission` denial.
fn rpc_matched(d: &Denial) -> Option<Matched> {
    let statement = d.matched.as_ref();
    let matched = Matched {
        policy_type: d.policy_type.map(str::to_owned),
        policy: statement.and_then(|m| m.policy_name.clone()),
        statement: statement.map(|m| m.statement_index),
        sid: statement.and_then(|m| m.sid.clone()),
    };
    (matched != Matched::default()).then_some(matched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_ids_never_copy_secrets() {
        let created = RamOutcome::AccessKeyCreated(ossd_iam::NewAccessKey {
            key: ossd_iam::AccessKey {
                id: "LTAInew".to_owned(),
                active: true,
                created: 0,
            },
            secret: String::from("s3cr3t").into(),
        });
        let issued = ossd_iam::IssuedCredentials {
            access_key_id: "STS.x".to_owned(),
            secret: String::from("tmp-secret").into(),
            security_token: "tok".to_owned(),
            expiration: 1_900_000_000,
            assumed_role_arn: "acs:ram::1:role/r/s".to_owned(),
            assumed_role_id: "1:s".to_owned(),
            source_identity: None,
            principal: ossd_iam::Caller::Anonymous,
        };
        let mut target = BTreeMap::new();
        created_ids(&Outcome::Ram(created), &mut target);
        created_ids(&Outcome::Issued(issued), &mut target);
        let text = serde_json::to_string(&target).unwrap_or_default();
        assert!(text.contains("LTAInew") && text.contains("STS.x"), "{text}");
        for secret in ["s3cr3t", "tmp-secret", "tok\""] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }

    #[test]
    fn matched_statement_from_the_denial() {
        let mut denial = Denial {
            action: "sts:AssumeRole".to_owned(),
            resource: "acs:ram::1:role/r".to_owned(),
            principal_type: "SubUser",
            principal_name: "u".to_owned(),
            principal_owner: "1".to_owned(),
            explicit: true,
            policy_type: Some("AssumeRolePolicy"),
            matched: Some(ossd_policy::MatchedStatement {
                policy_index: 0,
                policy_name: Some("deny-all".to_owned()),
                statement_index: 2,
                sid: Some("no".to_owned()),
            }),
        };
        assert_eq!(
            rpc_matched(&denial),
            Some(Matched {
                policy_type: Some("AssumeRolePolicy".to_owned()),
                policy: Some("deny-all".to_owned()),
                statement: Some(2),
                sid: Some("no".to_owned()),
            })
        );
        denial.policy_type = None;
        denial.matched = None;
        assert_eq!(rpc_matched(&denial), None);
    }

    #[test]
    fn only_changes_and_credential_calls_are_audited() {
        let trace = |action: &str, version: &str| RpcTrace {
            action: action.to_owned(),
            version: version.to_owned(),
            ..RpcTrace::default()
        };
        assert_eq!(trace("CreateUser", "2015-05-01").kind(), Some(Kind::Ram));
        assert_eq!(
            trace("AttachPolicyToUser", "2015-05-01").kind(),
            Some(Kind::Ram)
        );
        assert_eq!(trace("ListUsers", "2015-05-01").kind(), None);
        assert_eq!(trace("GetUser", "2015-05-01").kind(), None);
        assert_eq!(trace("AssumeRole", "2015-04-01").kind(), Some(Kind::Sts));
        assert_eq!(trace("GetCallerIdentity", "2015-04-01").kind(), None);
        assert_eq!(trace("CreateUser", "1999-01-01").kind(), None);
    }
}
