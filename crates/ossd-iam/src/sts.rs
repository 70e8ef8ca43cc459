//! The STS API (docs/protocol/sts.md): [`StsCall`] with typed parameters; AssumeRole, with the processing
//! order of 2.3, returns [`IssuedCredentials`]; GetCallerIdentity (2.4) is the [`Caller`]
//! itself. The JSON the SDKs read is rendered by `ossd-rpc`.

use crate::denied::denial;
use crate::store::{PolicyType, RoleRecord, StoreError};
use crate::token::{CLAIMS_VERSION, SessionClaims};
use crate::{ActionError, Entity, StsAction};
use crate::{Caller, Iam, codes, validate};
use ossd_policy::{Policy, PolicyKind, RequestContext, RoleTarget};
use zeroize::Zeroizing;

/// Shortest session (docs/protocol/sts.md#assumerole).
pub(crate) const MIN_DURATION: u64 = 900;
/// Default session length (docs/protocol/sts.md#assumerole).
pub(crate) const DEFAULT_DURATION: u64 = 3600;
/// Longest session any role allows (docs/protocol/ram.md#names-and-limits).
pub(crate) const MAX_DURATION: u64 = 43200;

/// An STS call with its parameters.
#[derive(Debug, Clone)]
pub enum StsCall {
    /// AssumeRole.
    AssumeRole(AssumeRole),
    /// GetCallerIdentity (no parameters).
    GetCallerIdentity,
}

impl StsCall {
    /// The action.
    pub const fn action(&self) -> StsAction {
        match self {
            Self::AssumeRole(_) => StsAction::AssumeRole,
            Self::GetCallerIdentity => StsAction::GetCallerIdentity,
        }
    }
}

/// The parameters of AssumeRole as sent (empty values count as absent). They are validated by
/// [`Iam::assume_role`] after the caller check, in the order of docs/protocol/sts.md#assumerole, so required ones are
/// options here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssumeRole {
    /// `RoleArn`: `acs:ram::{account}:role/{name}` (required).
    pub role_arn: Option<String>,
    /// `RoleSessionName` (required).
    pub role_session_name: Option<String>,
    /// `DurationSeconds`, as sent (900 to the role's maximum; default 3600).
    pub duration_seconds: Option<String>,
    /// `Policy`: a session policy narrowing the role's permissions.
    pub policy: Option<String>,
    /// `ExternalId`, matched by the trust policy's `sts:ExternalId` condition.
    pub external_id: Option<String>,
    /// `SourceIdentity`, carried in the session.
    pub source_identity: Option<String>,
}

/// Temporary credentials issued by AssumeRole.
#[derive(Clone)]
pub struct IssuedCredentials {
    /// The temporary AccessKey id (`STS.…`).
    pub access_key_id: String,
    /// The temporary secret.
    pub secret: Zeroizing<String>,
    /// The security token (`CAIS…`).
    pub security_token: String,
    /// When the credentials expire (Unix seconds).
    pub expiration: i64,
    /// `acs:ram::{account}:role/{role}/{session}`.
    pub assumed_role_arn: String,
    /// `{role id}:{session}`.
    pub assumed_role_id: String,
    /// The `SourceIdentity` of the call, if any.
    pub source_identity: Option<String>,
    /// Who the credentials act as: the role session (AssumeRole), or the caller itself
    /// (GetSessionToken).
    pub principal: Caller,
}

impl std::fmt::Debug for IssuedCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("expiration", &self.expiration)
            .field("assumed_role_arn", &self.assumed_role_arn)
            .finish_non_exhaustive()
    }
}

/// The validated parameters of an AssumeRole call.
struct AssumeParams<'a> {
    account_id: &'a str,
    role_name: &'a str,
    session_name: &'a str,
    duration: u64,
    policy: Option<&'a str>,
    external_id: Option<&'a str>,
    source_identity: Option<&'a str>,
}

/// Splits `acs:ram:{region}:{account}:role/{name}` (any region spelling) or the IAM form
/// `arn:aws:iam::{account}:role/[{path}/]{name}` of the same role
/// (docs/protocol/iam-grammar.md#principals).
fn parse_role_arn(arn: &str) -> Option<(&str, &str)> {
    let (account, name) = if let Some(rest) = arn.strip_prefix("arn:aws:iam::") {
        let (account, path) = rest.split_once(':')?;
        // A path (`role/division/name`) ends with the name.
        (account, path.strip_prefix("role/")?.rsplit('/').next()?)
    } else {
        let mut parts = arn.splitn(5, ':');
        let (acs, ram, _region) = (parts.next()?, parts.next()?, parts.next()?);
        let (account, resource) = (parts.next()?, parts.next()?);
        if acs != "acs" || ram != "ram" {
            return None;
        }
        (account, resource.strip_prefix("role/")?)
    };
    let ok = !account.is_empty() && account.bytes().all(|b| b.is_ascii_alphanumeric());
    (ok && validate::role_name("RoleName", name).is_ok()).then_some((account, name))
}

/// A non-empty value.
fn opt(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|v| !v.is_empty())
}

/// A non-empty value, or 400 `Missing{name}`.
fn required<'a>(v: &'a Option<String>, name: &str) -> Result<&'a str, ActionError> {
    opt(v).ok_or_else(|| codes::missing(name))
}

/// Step 3 of docs/protocol/sts.md#assumerole: validates every parameter.
fn assume_params(p: &AssumeRole) -> Result<AssumeParams<'_>, ActionError> {
    let arn = required(&p.role_arn, "RoleArn")?;
    let (account_id, role_name) =
        parse_role_arn(arn).ok_or_else(|| codes::wrongly_formed("RoleArn"))?;
    let session_name = required(&p.role_session_name, "RoleSessionName")?;
    if !validate::session_name(session_name) {
        return Err(codes::wrongly_formed("RoleSessionName"));
    }
    let duration = match opt(&p.duration_seconds) {
        None => DEFAULT_DURATION,
        Some(d) => match d.parse::<u64>() {
            Ok(d) if (MIN_DURATION..=MAX_DURATION).contains(&d) => d,
            Ok(d) if d > MAX_DURATION => return Err(codes::duration(MAX_DURATION as u32)),
            _ => return Err(codes::duration(DEFAULT_DURATION as u32)),
        },
    };
    let policy = opt(&p.policy);
    if let Some(text) = policy {
        Policy::parse(text, PolicyKind::Session).map_err(codes::policy)?;
    }
    let external_id = opt(&p.external_id);
    if external_id.is_some_and(|e| !validate::external_id(e)) {
        return Err(codes::wrongly_formed("ExternalId"));
    }
    let source_identity = opt(&p.source_identity);
    if source_identity.is_some_and(|s| !validate::source_identity(s)) {
        return Err(codes::wrongly_formed("SourceIdentity"));
    }
    Ok(AssumeParams {
        account_id,
        role_name,
        session_name,
        duration,
        policy,
        external_id,
        source_identity,
    })
}

/// Logs a store failure and returns it as an error.
fn internal(e: StoreError) -> ActionError {
    tracing::error!(error = %ossd_meta::ErrorChain(&e), "identity store failure in STS");
    ActionError::Backend(e.into())
}

impl Iam {
    /// AssumeRole, steps 2–7 of docs/protocol/sts.md#assumerole (step 1, authentication, is the server's): the caller
    /// must be a RAM user or role session, the parameters valid, the role existing, the
    /// caller's policies and the role's trust policy allowing, the duration within the role's
    /// maximum.
    pub async fn assume_role(
        &self,
        caller: &Caller,
        p: &AssumeRole,
        ctx: &RequestContext,
    ) -> Result<IssuedCredentials, ActionError> {
        match caller {
            Caller::Root { .. } => {
                self.no_permission(None);
                return Err(ActionError::RootCannotAssume);
            }
            Caller::Anonymous => return Err(self.no_permission(None)),
            Caller::User { .. } | Caller::Session { .. } => {}
        }
        let a = assume_params(p)?;
        let role = self.role_for_assume(a.account_id, a.role_name).await?;
        self.authorize_assume(caller, &role, a.external_id, ctx)
            .await?;
        if a.duration > u64::from(role.max_session_duration) {
            return Err(codes::duration(role.max_session_duration));
        }
        self.issue(caller, &role, &a)
    }

    /// The documents of managed policies named as AWS STS session policies
    /// (docs/protocol/aws-sts.md#assumerole, `PolicyArns`): `arn:aws:iam::aws:policy/{name}` or
    /// `acs:ram::system:policy/{name}` for a system policy, `arn:aws:iam::{account}:policy/{name}`
    /// or `acs:ram::{account}:policy/{name}` for a custom one (its default version).
    pub async fn managed_session_policies(
        &self,
        arns: &[String],
    ) -> Result<Vec<String>, ActionError> {
        let mut documents = Vec::with_capacity(arns.len());
        for arn in arns {
            let (ptype, name) = self
                .policy_arn(arn)
                .ok_or_else(|| codes::wrongly_formed("PolicyArns"))?;
            let found = self.default_document(ptype, name).await.map_err(internal)?;
            let (document, _) = found.ok_or(ActionError::NotExist(Entity::Policy))?;
            documents.push(document);
        }
        Ok(documents)
    }

    /// The type and name of a policy ARN of this account or of the system.
    fn policy_arn<'a>(&self, arn: &'a str) -> Option<(PolicyType, &'a str)> {
        let (owner, path) = arn
            .strip_prefix("arn:aws:iam::")
            .or_else(|| arn.strip_prefix("acs:ram::"))
            .and_then(|rest| rest.split_once(':'))?;
        let name = path.strip_prefix("policy/")?;
        if name.is_empty() || name.contains('/') {
            return None;
        }
        match owner {
            "aws" | "system" => Some((PolicyType::System, name)),
            account if account == self.inner.account_id => Some((PolicyType::Custom, name)),
            _ => None,
        }
    }

    /// Step 4: the role, looked up case-insensitively in its account.
    async fn role_for_assume(
        &self,
        account_id: &str,
        name: &str,
    ) -> Result<RoleRecord, ActionError> {
        if account_id != self.inner.account_id {
            return Err(ActionError::NotExist(Entity::Role));
        }
        let key = self.store().layout.role(name);
        let found = self
            .store()
            .get::<RoleRecord>(&key)
            .await
            .map_err(internal)?;
        found
            .map(|r| r.value)
            .ok_or(ActionError::NotExist(Entity::Role))
    }

    /// Step 5 (docs/protocol/authorization.md#assumerole-authorization): the caller's identity policies AND the role's trust policy.
    async fn authorize_assume(
        &self,
        caller: &Caller,
        role: &RoleRecord,
        external_id: Option<&str>,
        ctx: &RequestContext,
    ) -> Result<(), ActionError> {
        let governing = match self.governing(caller).await.map_err(internal)? {
            Ok(g) => g,
            Err(()) => return Err(self.no_permission(None)),
        };
        let Ok(trust) = Policy::parse(&role.trust_policy, PolicyKind::Trust) else {
            tracing::warn!(
                role = role.name,
                "stored trust policy does not parse; denying"
            );
            return Err(self.no_permission(None));
        };
        let mut ctx = ctx.clone();
        if let Some(id) = external_id {
            ctx.set(ossd_policy::keys::EXTERNAL_ID, [id]);
        }
        let target = RoleTarget {
            account_id: &self.inner.account_id,
            role_name: &role.name,
            trust_policy: &trust,
        };
        let refs = governing.identity.refs();
        let decision = ossd_policy::authorize_assume_role(&governing.subject(&refs), &target, &ctx);
        if decision.is_allowed() {
            return Ok(());
        }
        let resource = ossd_policy::ram_role_arn(&self.inner.account_id, &role.name);
        let denial = denial(caller, "sts:AssumeRole", &resource, &decision);
        Err(self.no_permission(Some(denial)))
    }

    /// Step 7: seals a token and answers with the credentials.
    fn issue(
        &self,
        caller: &Caller,
        role: &RoleRecord,
        a: &AssumeParams<'_>,
    ) -> Result<IssuedCredentials, ActionError> {
        let now = self.now();
        let expires_at = now.saturating_add(i64::try_from(a.duration).unwrap_or(i64::MAX));
        let claims = SessionClaims {
            version: CLAIMS_VERSION,
            access_key_id: String::new(),
            account_id: self.inner.account_id.clone(),
            role_id: role.id.clone(),
            role_name: role.name.clone(),
            session_name: a.session_name.to_owned(),
            session_policy: a.policy.map(str::to_owned),
            issued_at: now,
            expires_at,
            source_identity: a.source_identity.map(str::to_owned),
            caller_arn: caller.arn(),
            owner: None,
        };
        let issued = claims.seal(&self.inner.keyring).map_err(|e| {
            tracing::error!(error = %ossd_meta::ErrorChain(&e), "sealing a session token");
            ActionError::Backend(e)
        })?;
        self.inner.counters.token_issued();
        tracing::info!(
            caller = caller.label(),
            role = role.name,
            session = a.session_name,
            "issued STS credentials"
        );
        Ok(IssuedCredentials {
            access_key_id: issued.access_key_id.clone(),
            secret: issued.secret,
            security_token: issued.security_token,
            expiration: expires_at,
            assumed_role_arn: format!("{}/{}", self.role_arn(&role.name), a.session_name),
            assumed_role_id: format!("{}:{}", role.id, a.session_name),
            source_identity: a.source_identity.map(str::to_owned),
            principal: Caller::Session {
                account_id: self.inner.account_id.clone(),
                role_id: role.id.clone(),
                role_name: role.name.clone(),
                session_name: a.session_name.to_owned(),
                session_policy: a.policy.map(str::to_owned),
                expires_at,
                access_key_id: issued.access_key_id,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::parse_role_arn;

    #[test]
    fn role_arns_in_both_grammars() {
        let cases = [
            ("acs:ram::123:role/reader", Some(("123", "reader"))),
            ("acs:ram:*:123:role/reader", Some(("123", "reader"))),
            ("arn:aws:iam::123:role/reader", Some(("123", "reader"))),
            ("arn:aws:iam::123:role/team/reader", Some(("123", "reader"))),
            ("arn:aws:iam::123:user/reader", None),
            ("arn:aws:iam:::role/reader", None),
            ("arn:aws:sts::123:role/reader", None),
            ("acs:ram::123:user/reader", None),
            ("acs:oss::123:role/reader", None),
            ("arn:aws:iam::1-2:role/reader", None),
            ("", None),
        ];
        for (arn, want) in cases {
            assert_eq!(parse_role_arn(arn), want, "{arn}");
        }
    }
}
