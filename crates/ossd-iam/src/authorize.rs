//! Authorization through `ossd-policy`: OSS requests, RAM actions and the pieces AssumeRole needs
//! (docs/protocol/authorization.md#oss-request-authorization, #ram-and-sts-action-resources,
//! #assumerole-authorization). This module gathers the inputs (policy sets, session policy,
//! bucket policy); `ossd-policy` decides.

use crate::ActionError;
use crate::denied::denial;
use crate::identity::{PolicySet, Principal};
use crate::store::StoreError;
use crate::{Caller, Denial, Denied, Iam};
use ossd_policy::{
    Authorization, OssAction, OssTarget, Policy, PolicyKind, PublicAccessBlock, Request,
    RequestContext, Subject,
};
use std::sync::Arc;

/// One OSS authorization question, with everything `authorize_oss` leaves at defaults.
#[derive(Debug, Clone, Copy)]
pub struct OssRequest<'a> {
    /// The operation's row of the OSS action map (`ossd_proto::op::Operation::authorization`).
    pub action: &'static OssAction,
    /// The bucket, if any.
    pub bucket: Option<&'a str>,
    /// The decoded object key, if any.
    pub key: Option<&'a str>,
    /// The account owning the bucket (`None`: the caller's, e.g. ListBuckets).
    pub bucket_owner: Option<&'a str>,
    /// The bucket policy JSON, if any.
    pub bucket_policy: Option<&'a str>,
    /// The region for the resource ARN (`None`: empty field).
    pub region: Option<&'a str>,
    /// The request names a `versionId` (uses the `…Version` action when there is one).
    pub versioned: bool,
    /// The effective object / bucket ACL grants this access
    /// (docs/protocol/authorization.md#oss-request-authorization step 7).
    pub acl_allows: bool,
    /// The Block Public Access settings in force for the bucket (its own and its owner
    /// account's; docs/protocol/policy.md#block-public-access).
    pub public_access: PublicAccessBlock,
}

/// The governing policies of a caller, loaded.
pub(crate) struct Governing {
    /// The caller as `ossd-policy` sees it.
    pub caller: ossd_policy::Caller,
    /// Identity-based policies.
    pub identity: Arc<PolicySet>,
    /// The session policy, parsed.
    pub session: Option<Arc<Policy>>,
}

impl Governing {
    /// The `ossd-policy` subject (borrows `refs`, the identity policies as a slice).
    pub(crate) fn subject<'a>(&'a self, refs: &'a [&'a Policy]) -> Subject<'a> {
        Subject {
            caller: &self.caller,
            identity: refs,
            session: self.session.as_deref(),
        }
    }
}

/// The `ossd-policy` form of a caller.
pub(crate) fn policy_caller(caller: &Caller) -> ossd_policy::Caller {
    match caller.clone() {
        Caller::Anonymous => ossd_policy::Caller::Anonymous,
        Caller::Root { account_id, .. } => ossd_policy::Caller::Root { account_id },
        Caller::User {
            account_id,
            user_id,
            user_name,
            ..
        } => ossd_policy::Caller::User {
            account_id,
            user_id,
            user_name,
        },
        Caller::Session {
            account_id,
            role_name,
            session_name,
            ..
        } => ossd_policy::Caller::RoleSession {
            account_id,
            role_name,
            session_name,
        },
    }
}

/// The session policy of a session caller. A stored policy that no longer parses yields an
/// `Err`: the caller must then be denied (fail closed).
fn session_policy(
    parsed: &crate::parsed::ParsedPolicies,
    caller: &Caller,
) -> Result<Option<Arc<Policy>>, ()> {
    let Caller::Session {
        session_policy: Some(text),
        ..
    } = caller
    else {
        return Ok(None);
    };
    parsed
        .get(text, PolicyKind::Session)
        .map(Some)
        .map_err(|e| {
            tracing::warn!(error = %e, "session policy does not parse; denying");
        })
}

impl Iam {
    /// Loads what governs `caller`: its policy set (users, sessions) and session policy.
    pub(crate) async fn governing(
        &self,
        caller: &Caller,
    ) -> Result<Result<Governing, ()>, StoreError> {
        let principal = match caller {
            Caller::User { user_id, .. } => Some(Principal::User(user_id.clone())),
            Caller::Session { role_id, .. } => Some(Principal::Role(role_id.clone())),
            Caller::Anonymous | Caller::Root { .. } => None,
        };
        let identity = match &principal {
            Some(p) => self.policy_set(p).await?,
            None => Arc::default(),
        };
        Ok(
            session_policy(&self.inner.parsed, caller).map(|session| Governing {
                caller: policy_caller(caller),
                identity,
                session,
            }),
        )
    }

    /// Authorizes an OSS operation (docs/protocol/authorization.md#oss-request-authorization):
    /// `action` is the operation's row of the OSS action map (RAM action + resource level);
    /// `bucket_owner` the account owning the bucket; `bucket_policy`
    /// the bucket's policy JSON if any; `context` the condition keys (source ip, secure transport,
    /// referer, user agent, prefix, delimiter, ...).
    #[allow(clippy::too_many_arguments)]
    pub async fn authorize_oss(
        &self,
        caller: &Caller,
        action: &'static OssAction,
        bucket: Option<&str>,
        key: Option<&str>,
        bucket_owner: Option<&str>,
        bucket_policy: Option<&str>,
        context: &RequestContext,
    ) -> Result<(), Denied> {
        let request = OssRequest {
            action,
            bucket,
            key,
            bucket_owner,
            bucket_policy,
            region: None,
            versioned: false,
            acl_allows: false,
            public_access: PublicAccessBlock::default(),
        };
        self.authorize_oss_request(caller, &request, context).await
    }

    /// [`Iam::authorize_oss`] with region, `versionId` and the ACL's verdict
    /// (docs/protocol/authorization.md#oss-request-authorization step 7).
    pub async fn authorize_oss_request(
        &self,
        caller: &Caller,
        req: &OssRequest<'_>,
        context: &RequestContext,
    ) -> Result<(), Denied> {
        let row = req.action;
        let action = row.action_for(req.versioned);
        let owner = req
            .bucket_owner
            .or(caller.account_id())
            .unwrap_or(&self.inner.account_id);
        let (bucket, key) = match row.resource {
            ossd_policy::ResourceLevel::Service => (None, None),
            ossd_policy::ResourceLevel::Bucket => (req.bucket, None),
            ossd_policy::ResourceLevel::Object => (req.bucket, req.key),
        };
        let resource = ossd_policy::oss_resource_arn(req.region, owner, bucket, key);
        let (reason, matched) = match self
            .decide_oss(caller, req, owner, action, &resource, context)
            .await
        {
            Ok(decision) => match decision.deny_reason() {
                None => return Ok(()),
                Some(reason) => (reason, decision.matched),
            },
            Err(reason) => (reason, None),
        };
        let denied = Denied::new(reason, action, &resource, row.access).with_matched(matched);
        Err(self.denied(denied))
    }

    /// The decision of `ossd-policy` for one OSS request; `Err(reason)` when its inputs could not
    /// be loaded (fail closed).
    async fn decide_oss(
        &self,
        caller: &Caller,
        req: &OssRequest<'_>,
        owner: &str,
        action: &str,
        resource: &str,
        context: &RequestContext,
    ) -> Result<Authorization, ossd_policy::DenyReason> {
        let fail = ossd_policy::DenyReason::NoAllow { ram_caller: false };
        let governing = match self.governing(caller).await {
            Ok(Ok(g)) => g,
            Ok(Err(())) => return Err(ossd_policy::DenyReason::SessionPolicy { explicit: false }),
            Err(e) => {
                tracing::error!(error = %ossd_meta::ErrorChain(&e), "loading policies for an OSS request");
                return Err(fail);
            }
        };
        let refs = governing.identity.refs();
        let request = Request::new(action, resource, context);
        Ok(self.oss_decision(
            &governing.subject(&refs),
            owner,
            req.bucket_policy,
            req.acl_allows,
            req.public_access,
            &request,
        ))
    }

    /// The one combination of identity policies, session policy, bucket policy and ACL for an
    /// OSS action (docs/protocol/authorization.md#oss-request-authorization), shared by real
    /// requests and SimulatePrincipalPolicy: `owner` owns the bucket, `bucket_policy` is its
    /// stored policy JSON (one that no longer parses is ignored), `acl_allows` the ACL's verdict,
    /// `public_access` the Block Public Access settings in force.
    pub(crate) fn oss_decision(
        &self,
        subject: &Subject<'_>,
        owner: &str,
        bucket_policy: Option<&str>,
        acl_allows: bool,
        public_access: PublicAccessBlock,
        request: &Request<'_>,
    ) -> Authorization {
        let bucket_policy = bucket_policy.and_then(|text| {
            self.inner
                .parsed
                .get(text, PolicyKind::Bucket)
                .map_err(
                    |e| tracing::warn!(error = %e, "stored bucket policy does not parse; ignored"),
                )
                .ok()
        });
        let target = OssTarget {
            bucket_owner: owner,
            bucket_policy: bucket_policy.as_deref(),
            acl_allows,
            public_access,
        };
        ossd_policy::authorize_oss(subject, &target, request)
    }

    /// Counts and returns a denial.
    fn denied(&self, denied: Denied) -> Denied {
        self.inner.counters.denied();
        denied
    }

    /// Authorizes RAM action `action` on each of `resources`
    /// (docs/protocol/authorization.md#ram-and-sts-action-resources); root always allowed.
    pub(crate) async fn authorize_ram(
        &self,
        caller: &Caller,
        action: &str,
        resources: &[String],
        context: &RequestContext,
    ) -> Result<(), ActionError> {
        if matches!(caller, Caller::Root { account_id, .. } if *account_id == self.inner.account_id)
        {
            return Ok(());
        }
        let auth_action = format!("ram:{action}");
        let governing = match self.governing(caller).await {
            Ok(Ok(g)) => g,
            Ok(Err(())) => return Err(self.no_permission(None)),
            Err(e) => return Err(crate::ram::internal(e)),
        };
        let refs = governing.identity.refs();
        let subject = governing.subject(&refs);
        for resource in resources {
            let request = Request::new(&auth_action, resource, context);
            let decision = ossd_policy::authorize_ram(&subject, &self.inner.account_id, &request);
            if !decision.is_allowed() {
                let denial = denial(caller, &auth_action, resource, &decision);
                return Err(self.no_permission(Some(denial)));
            }
        }
        Ok(())
    }

    /// Counts a `NoPermission` error.
    pub(crate) fn no_permission(&self, denial: Option<Denial>) -> ActionError {
        self.inner.counters.denied();
        ActionError::NoPermission(denial.map(Box::new))
    }
}
