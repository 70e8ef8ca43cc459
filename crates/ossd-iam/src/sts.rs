//! The STS API (spec 2): AssumeRole, with the processing order of 2.3, and GetCallerIdentity
//! (2.4).

use crate::denied::denial;
use crate::json::{Obj, timestamp};
use crate::params::Params;
use crate::store::{RoleRecord, StoreError};
use crate::token::{CLAIMS_VERSION, IssuedSession, SessionClaims};
use crate::{ActionError, Entity, StsAction};
use crate::{Caller, Iam, codes, validate};
use ossd_policy::{Policy, PolicyKind, RequestContext, RoleTarget};
use serde_json::Value;
use std::collections::BTreeMap;

/// Shortest session (spec 2.3).
pub const MIN_DURATION: u64 = 900;
/// Default session length (spec 2.3).
pub const DEFAULT_DURATION: u64 = 3600;
/// Longest session any role allows (spec 1.2).
pub const MAX_DURATION: u64 = 43200;

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

/// Splits `acs:ram:{region}:{account}:role/{name}` (any region spelling).
fn parse_role_arn(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(5, ':');
    let (acs, ram, _region) = (parts.next()?, parts.next()?, parts.next()?);
    let (account, resource) = (parts.next()?, parts.next()?);
    let name = resource.strip_prefix("role/")?;
    let ok = acs == "acs" && ram == "ram" && !account.is_empty();
    let ok = ok && account.bytes().all(|b| b.is_ascii_alphanumeric());
    (ok && validate::role_name("RoleName", name).is_ok()).then_some((account, name))
}

/// Step 3 of spec 2.3: validates every parameter.
fn assume_params(p: Params<'_>) -> Result<AssumeParams<'_>, ActionError> {
    let arn = p.required("RoleArn")?;
    let (account_id, role_name) =
        parse_role_arn(arn).ok_or_else(|| codes::wrongly_formed("RoleArn"))?;
    let session_name = p.required("RoleSessionName")?;
    if !validate::session_name(session_name) {
        return Err(codes::wrongly_formed("RoleSessionName"));
    }
    let duration = match p.opt("DurationSeconds") {
        None => DEFAULT_DURATION,
        Some(d) => match d.parse::<u64>() {
            Ok(d) if (MIN_DURATION..=MAX_DURATION).contains(&d) => d,
            Ok(d) if d > MAX_DURATION => return Err(codes::duration(MAX_DURATION as u32)),
            _ => return Err(codes::duration(DEFAULT_DURATION as u32)),
        },
    };
    let policy = p.opt("Policy");
    if let Some(text) = policy {
        Policy::parse(text, PolicyKind::Session).map_err(codes::policy)?;
    }
    let external_id = p.opt("ExternalId");
    if external_id.is_some_and(|e| !validate::external_id(e)) {
        return Err(codes::wrongly_formed("ExternalId"));
    }
    let source_identity = p.opt("SourceIdentity");
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
    tracing::error!(error = %e, "identity store failure in STS");
    ActionError::Backend(e.into())
}

impl Iam {
    /// Runs one STS action: AssumeRole (spec 2.3, processing order exactly as listed, DurationSeconds 900..=role max,
    /// Policy validated and carried in the token, ExternalId), GetCallerIdentity (2.4); others → InvalidAction.NotFound.
    pub async fn sts(
        &self,
        caller: &Caller,
        action: StsAction,
        params: &BTreeMap<String, String>,
        ctx: &RequestContext,
    ) -> Result<Value, ActionError> {
        match action {
            StsAction::AssumeRole => self.assume_role(caller, Params(params), ctx).await,
            StsAction::GetCallerIdentity => Ok(caller_identity(caller)),
        }
    }

    /// AssumeRole, steps 2–7 of spec 2.3 (step 1, authentication, is the server's).
    async fn assume_role(
        &self,
        caller: &Caller,
        p: Params<'_>,
        ctx: &RequestContext,
    ) -> Result<Value, ActionError> {
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

    /// Step 5 (spec 6.5): the caller's identity policies AND the role's trust policy.
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
    ) -> Result<Value, ActionError> {
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
        };
        let issued = claims.seal(&self.inner.keyring).map_err(|e| {
            tracing::error!(error = %e, "sealing a session token");
            ActionError::Backend(e)
        })?;
        self.inner.counters.token_issued();
        tracing::info!(
            caller = caller.label(),
            role = role.name,
            session = a.session_name,
            "issued STS credentials"
        );
        Ok(self.credentials_json(role, a, &issued, expires_at))
    }

    /// The AssumeRole response body (spec 2.3): all values strings, no `Code`.
    fn credentials_json(
        &self,
        role: &RoleRecord,
        a: &AssumeParams<'_>,
        issued: &IssuedSession,
        expires_at: i64,
    ) -> Value {
        let user = Obj::new()
            .set(
                "Arn",
                format!("{}/{}", self.role_arn(&role.name), a.session_name),
            )
            .set("AssumedRoleId", format!("{}:{}", role.id, a.session_name));
        let credentials = Obj::new()
            .set("AccessKeyId", issued.access_key_id.as_str())
            .set("AccessKeySecret", issued.secret.as_str())
            .set("SecurityToken", issued.security_token.as_str())
            .set("Expiration", timestamp(expires_at));
        let body = Obj::new()
            .set("AssumedRoleUser", user)
            .set("Credentials", credentials);
        body.opt("SourceIdentity", a.source_identity.unwrap_or_default())
            .build()
    }
}

/// GetCallerIdentity (spec 2.4): no authorization.
fn caller_identity(caller: &Caller) -> Value {
    let obj = Obj::new().set("Arn", caller.arn());
    match caller {
        Caller::Anonymous => obj.build(),
        Caller::Root { account_id, .. } => obj
            .set("IdentityType", "Account")
            .set("AccountId", account_id.as_str())
            .set("UserId", account_id.as_str())
            .set("PrincipalId", account_id.as_str())
            .build(),
        Caller::User {
            account_id,
            user_id,
            ..
        } => obj
            .set("IdentityType", "RAMUser")
            .set("AccountId", account_id.as_str())
            .set("UserId", user_id.as_str())
            .set("PrincipalId", user_id.as_str())
            .build(),
        Caller::Session {
            account_id,
            role_id,
            session_name,
            ..
        } => obj
            .set("IdentityType", "AssumedRoleUser")
            .set("AccountId", account_id.as_str())
            .set("RoleId", role_id.as_str())
            .set("PrincipalId", format!("{role_id}:{session_name}"))
            .build(),
    }
}
