//! The AWS STS Query API (`Version=2011-06-15`, docs/protocol/aws-sts.md) over the same typed
//! `ossd-iam` STS API as the Alibaba STS RPC: parameters into an [`AwsStsCall`] (with the AWS
//! constraints checked first), the call, the XML bodies ([`xml`]) and the one mapping of every
//! failure to an AWS code ([`code`]).

pub mod code;
pub mod xml;

pub use code::{AwsCode, AwsError};

use std::collections::BTreeMap;

use ossd_iam::{ActionError, AssumeRole, Caller, Iam, IssuedCredentials};
use ossd_policy::{MAX_SESSION_POLICY_CHARS, PolicyError, RequestContext};

/// The API version of the AWS STS Query API.
pub const AWS_STS_VERSION: &str = "2011-06-15";

/// Longest AssumeRole session any role allows (the model's maximum).
const MAX_ASSUME_SECONDS: u64 = 43_200;
/// Most session tags (docs/protocol/aws-sts.md#assumerole).
const MAX_TAGS: usize = 50;
/// Most managed session policies (docs/protocol/aws-sts.md#assumerole).
const MAX_POLICY_ARNS: usize = 10;

/// An AWS STS action ossd implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AwsStsAction {
    /// AssumeRole.
    AssumeRole,
    /// GetCallerIdentity.
    GetCallerIdentity,
    /// GetSessionToken.
    GetSessionToken,
}

impl AwsStsAction {
    /// Every action.
    pub const ALL: [Self; 3] = [
        Self::AssumeRole,
        Self::GetCallerIdentity,
        Self::GetSessionToken,
    ];

    /// The wire name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::AssumeRole => "AssumeRole",
            Self::GetCallerIdentity => "GetCallerIdentity",
            Self::GetSessionToken => "GetSessionToken",
        }
    }

    /// The action named `name` (exact spelling).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Whether the action issues credentials (and is audited).
    pub const fn issues_credentials(self) -> bool {
        !matches!(self, Self::GetCallerIdentity)
    }
}

/// A parsed AWS STS call.
#[derive(Debug, Clone)]
pub enum AwsStsCall {
    /// AssumeRole with the parameters `ossd-iam` takes, and the managed session policies
    /// (`PolicyArns.member.N.arn`, in order).
    AssumeRole(AssumeRole, Vec<String>),
    /// GetCallerIdentity.
    GetCallerIdentity,
    /// GetSessionToken with its `DurationSeconds`.
    GetSessionToken {
        /// The requested duration, if given.
        duration: Option<u64>,
    },
}

impl AwsStsCall {
    /// The action.
    pub const fn action(&self) -> AwsStsAction {
        match self {
            Self::AssumeRole(..) => AwsStsAction::AssumeRole,
            Self::GetCallerIdentity => AwsStsAction::GetCallerIdentity,
            Self::GetSessionToken { .. } => AwsStsAction::GetSessionToken,
        }
    }
}

/// What a successful call produced.
#[derive(Debug)]
pub enum AwsOutcome {
    /// AssumeRole: a role session, and the session policy's share of its limit (percent).
    Assumed(IssuedCredentials, Option<u32>),
    /// GetSessionToken: a session of the caller itself.
    SessionToken(IssuedCredentials),
    /// GetCallerIdentity: who signed.
    Identity(Caller),
}

impl AwsOutcome {
    /// The issued credentials, if the call issued any.
    pub const fn issued(&self) -> Option<&IssuedCredentials> {
        match self {
            Self::Assumed(c, _) | Self::SessionToken(c) => Some(c),
            Self::Identity(_) => None,
        }
    }

    /// The response body.
    pub fn to_xml(&self, request_id: &str) -> String {
        match self {
            Self::Assumed(c, size) => xml::assume_role(c, *size, request_id),
            Self::SessionToken(c) => xml::session_token(c, request_id),
            Self::Identity(caller) => xml::caller_identity(caller, request_id),
        }
    }
}

/// A failed call: the error clients see, and the action error behind it (its `Denial` for the
/// audit trail), if the action ran.
#[derive(Debug, thiserror::Error)]
#[error("{wire}")]
pub struct AwsFailure {
    /// The error as sent.
    pub wire: AwsError,
    /// The `ossd-iam` error, when the action itself failed.
    #[source]
    pub action_error: Option<ActionError>,
}

impl From<AwsError> for AwsFailure {
    fn from(wire: AwsError) -> Self {
        Self {
            wire,
            action_error: None,
        }
    }
}

/// Parses the decoded parameters (first value of each) into a call, checking `Version`,
/// `Action` and the AWS constraints of docs/protocol/aws-sts.md#assumerole, #getsessiontoken.
pub fn parse(params: &BTreeMap<String, String>) -> Result<AwsStsCall, AwsError> {
    let get = |name: &str| params.get(name).map(String::as_str);
    let opt = |name: &str| get(name).filter(|v| !v.is_empty()).map(str::to_owned);
    let action = get("Action")
        .filter(|a| !a.is_empty())
        .ok_or_else(|| AwsError::new(AwsCode::MissingAction))?;
    let version = get("Version").unwrap_or_default();
    let not_found = || {
        AwsError::with(
            AwsCode::InvalidAction,
            format!(
                "Could not find operation {action} for version {}",
                if version.is_empty() {
                    "NO_VERSION_SPECIFIED"
                } else {
                    version
                }
            ),
        )
    };
    if version != AWS_STS_VERSION {
        return Err(not_found());
    }
    match AwsStsAction::parse(action).ok_or_else(not_found)? {
        AwsStsAction::GetCallerIdentity => Ok(AwsStsCall::GetCallerIdentity),
        AwsStsAction::GetSessionToken => {
            if get("SerialNumber").is_some() || get("TokenCode").is_some() {
                return Err(unsupported("MFA (SerialNumber, TokenCode)"));
            }
            let duration = duration(get("DurationSeconds"), 129_600)?;
            Ok(AwsStsCall::GetSessionToken { duration })
        }
        AwsStsAction::AssumeRole => {
            let role_arn = opt("RoleArn")
                .ok_or_else(|| AwsError::validation(None, "roleArn", "Member must not be null"))?;
            if !(20..=2048).contains(&role_arn.chars().count()) {
                return Err(AwsError::validation(
                    Some(&role_arn),
                    "roleArn",
                    "Member must have length between 20 and 2048",
                ));
            }
            let session = opt("RoleSessionName").ok_or_else(|| {
                AwsError::validation(None, "roleSessionName", "Member must not be null")
            })?;
            session_name(&session)?;
            let duration = duration(get("DurationSeconds"), MAX_ASSUME_SECONDS)?;
            let policy_arns = policy_arns(params)?;
            tags(params)?;
            let call = AssumeRole {
                role_arn: Some(role_arn),
                role_session_name: Some(session),
                duration_seconds: duration.map(|d| d.to_string()),
                policy: opt("Policy"),
                external_id: opt("ExternalId"),
                source_identity: opt("SourceIdentity"),
            };
            Ok(AwsStsCall::AssumeRole(call, policy_arns))
        }
    }
}

/// 400 `InvalidParameterValue` for a parameter ossd does not support.
fn unsupported(what: &str) -> AwsError {
    AwsError::with(
        AwsCode::InvalidParameterValue,
        format!("{what} is not supported by this server."),
    )
}

/// `DurationSeconds`: an integer from 900 to `max`, if given.
fn duration(value: Option<&str>, max: u64) -> Result<Option<u64>, AwsError> {
    let Some(text) = value.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let member = "durationSeconds";
    let n: u64 = text
        .parse()
        .map_err(|_| AwsError::validation(Some(text), member, "Member must be a number"))?;
    if n < 900 {
        return Err(AwsError::validation(
            Some(text),
            member,
            "Member must have value greater than or equal to 900",
        ));
    }
    if n > max {
        return Err(AwsError::validation(
            Some(text),
            member,
            &format!("Member must have value less than or equal to {max}"),
        ));
    }
    Ok(Some(n))
}

/// `RoleSessionName`: 2–64 characters of `[\w+=,.@-]`.
fn session_name(name: &str) -> Result<(), AwsError> {
    let member = "roleSessionName";
    let len = name.chars().count();
    if len < 2 {
        return Err(AwsError::validation(
            Some(name),
            member,
            "Member must have length greater than or equal to 2",
        ));
    }
    if len > 64 {
        return Err(AwsError::validation(
            Some(name),
            member,
            "Member must have length less than or equal to 64",
        ));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c);
    if !name.chars().all(allowed) {
        return Err(AwsError::validation(
            Some(name),
            member,
            r"Member must satisfy regular expression pattern: [\w+=,.@-]*",
        ));
    }
    Ok(())
}

/// `PolicyArns.member.N.arn`, in the order of `N`: at most 10, each 20–2048 characters.
fn policy_arns(params: &BTreeMap<String, String>) -> Result<Vec<String>, AwsError> {
    let mut arns: Vec<(u32, &String)> = Vec::new();
    for (name, value) in params.range("PolicyArns.member.".to_owned()..) {
        let Some(rest) = name.strip_prefix("PolicyArns.member.") else {
            break;
        };
        let index = rest
            .strip_suffix(".arn")
            .and_then(|n| n.parse::<u32>().ok());
        let Some(index) = index else {
            return Err(unsupported(&format!("The parameter {name}")));
        };
        if !(20..=2048).contains(&value.chars().count()) {
            return Err(AwsError::validation(
                Some(value),
                "policyArns.member.arn",
                "Member must have length between 20 and 2048",
            ));
        }
        arns.push((index, value));
    }
    if arns.len() > MAX_POLICY_ARNS {
        return Err(AwsError::validation(
            None,
            "policyArns",
            "Member must have length less than or equal to 10",
        ));
    }
    arns.sort_by_key(|(index, _)| *index);
    Ok(arns.into_iter().map(|(_, arn)| arn.clone()).collect())
}

/// `Tags.member.N.Key` / `.Value`: at most 50, keys 1–128 and values 0–256 characters. The
/// engine has no session-tag keys, so valid tags are not used further.
fn tags(params: &BTreeMap<String, String>) -> Result<(), AwsError> {
    let mut count = 0;
    for (name, value) in params.range("Tags.member.".to_owned()..) {
        let Some(rest) = name.strip_prefix("Tags.member.") else {
            break;
        };
        let len = value.chars().count();
        if rest.ends_with(".Key") {
            count += 1;
            if !(1..=128).contains(&len) {
                return Err(AwsError::validation(
                    Some(value),
                    "tags.member.key",
                    "Member must have length between 1 and 128",
                ));
            }
        } else if rest.ends_with(".Value") && len > 256 {
            return Err(AwsError::validation(
                Some(value),
                "tags.member.value",
                "Member must have length less than or equal to 256",
            ));
        }
    }
    if count > MAX_TAGS {
        return Err(AwsError::validation(
            None,
            "tags",
            "Member must have length less than or equal to 50",
        ));
    }
    Ok(())
}

/// Runs `call` for `caller` through the typed `ossd-iam` STS API.
pub async fn call(
    iam: &Iam,
    caller: &Caller,
    call: &AwsStsCall,
    ctx: &RequestContext,
) -> Result<AwsOutcome, AwsFailure> {
    let failed = |error: ActionError| AwsFailure {
        wire: action_error(call, caller, &error),
        action_error: Some(error),
    };
    match call {
        AwsStsCall::GetCallerIdentity => Ok(AwsOutcome::Identity(caller.clone())),
        AwsStsCall::GetSessionToken { duration } => iam
            .get_session_token(caller, *duration)
            .await
            .map(AwsOutcome::SessionToken)
            .map_err(failed),
        AwsStsCall::AssumeRole(a, policy_arns) if policy_arns.is_empty() => {
            let size = a.policy.as_deref().map(packed_policy_size);
            iam.assume_role(caller, a, ctx)
                .await
                .map(|c| AwsOutcome::Assumed(c, size))
                .map_err(failed)
        }
        AwsStsCall::AssumeRole(a, policy_arns) => {
            let managed = iam
                .managed_session_policies(policy_arns)
                .await
                .map_err(failed)?;
            let merged = merge_session_policies(a.policy.as_deref(), &managed)?;
            let size = packed_policy_size(&merged);
            let a = AssumeRole {
                policy: Some(merged),
                ..a.clone()
            };
            iam.assume_role(caller, &a, ctx)
                .await
                .map(|c| AwsOutcome::Assumed(c, Some(size)))
                .map_err(failed)
        }
    }
}

/// One session policy made of the inline `Policy` and the managed session policies: their
/// statements together, so that any of them may allow and any may deny, as a set of session
/// policies does (docs/protocol/aws-sts.md#assumerole). Its size limit is then that of the one
/// session policy, as AWS limits inline and managed session policies together.
fn merge_session_policies(inline: Option<&str>, managed: &[String]) -> Result<String, AwsError> {
    let malformed = |detail: &str| {
        AwsError::with(
            AwsCode::MalformedPolicyDocument,
            format!("malformed policy document: {detail}"),
        )
    };
    let mut statements = Vec::new();
    for text in inline.into_iter().chain(managed.iter().map(String::as_str)) {
        let document: serde_json::Value =
            serde_json::from_str(text).map_err(|e| malformed(&e.to_string()))?;
        match document.get("Statement") {
            Some(serde_json::Value::Array(items)) => statements.extend(items.iter().cloned()),
            Some(one @ serde_json::Value::Object(_)) => statements.push(one.clone()),
            _ => return Err(malformed("missing element \"Statement\"")),
        }
    }
    let merged = serde_json::json!({"Version": "2012-10-17", "Statement": statements});
    Ok(merged.to_string())
}

/// The session policy's share of its size limit, in percent (`PackedPolicySize`).
fn packed_policy_size(policy: &str) -> u32 {
    let chars = policy.chars().count();
    let percent = chars.saturating_mul(100).div_ceil(MAX_SESSION_POLICY_CHARS);
    u32::try_from(percent).unwrap_or(u32::MAX)
}

/// The AWS error of a failed action (docs/protocol/aws-sts.md#errors).
pub fn action_error(call: &AwsStsCall, caller: &Caller, e: &ActionError) -> AwsError {
    let assume = match call {
        AwsStsCall::AssumeRole(a, _) => Some(a.role_arn.as_deref().unwrap_or_default()),
        _ => None,
    };
    match e {
        ActionError::NotExist(ossd_iam::Entity::Policy) => AwsError::with(
            AwsCode::InvalidParameterValue,
            "A policy named in PolicyArns does not exist.",
        ),
        ActionError::RootCannotAssume => AwsError::with(
            AwsCode::AccessDenied,
            "Roles may not be assumed by root accounts.",
        ),
        ActionError::NoPermission(_) | ActionError::NotExist(_) => match assume {
            Some(role_arn) => AwsError::with(
                AwsCode::AccessDenied,
                format!(
                    "User: {} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
                    xml::aws_arn(caller)
                ),
            ),
            None => AwsError::with(
                AwsCode::AccessDenied,
                "Cannot call GetSessionToken with session credentials",
            ),
        },
        ActionError::Duration { .. } if assume.is_some() => AwsError::with(
            AwsCode::ValidationError,
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        ),
        ActionError::Duration { max } => AwsError::validation(
            None,
            "durationSeconds",
            &format!("Member must have value less than or equal to {max}"),
        ),
        ActionError::Missing { param } => {
            AwsError::validation(None, &lower_camel(param), "Member must not be null")
        }
        ActionError::Invalid { param, .. } if param == "RoleArn" => {
            AwsError::with(AwsCode::ValidationError, "Request ARN is invalid")
        }
        ActionError::Invalid { param, .. } => AwsError::validation(
            None,
            &lower_camel(param),
            "Member must satisfy the constraints of this parameter",
        ),
        ActionError::Policy(p) => policy_error(p),
        ActionError::UnknownAction => AwsError::new(AwsCode::InvalidAction),
        other => {
            tracing::error!(error = %ossd_meta::ErrorChain(other), "AWS STS action failed");
            AwsError::new(AwsCode::InternalFailure)
        }
    }
}

/// A rejected session policy: too large, or malformed with the validator's detail.
fn policy_error(e: &PolicyError) -> AwsError {
    match e {
        PolicyError::TooLong { size, limit, .. } => AwsError::with(
            AwsCode::PackedPolicyTooLarge,
            format!("The session policy has {size} characters; at most {limit} are allowed."),
        ),
        PolicyError::Malformed { detail, .. } => {
            AwsError::with(AwsCode::MalformedPolicyDocument, detail.clone())
        }
        other => AwsError::with(AwsCode::MalformedPolicyDocument, other.to_string()),
    }
}

/// `RoleSessionName` → `roleSessionName`, AWS's member spelling in validation messages.
fn lower_camel(param: &str) -> String {
    let mut chars = param.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_lowercase().to_string() + chars.as_str()
    })
}

#[cfg(test)]
mod tests;
