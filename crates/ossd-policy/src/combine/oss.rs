//! Authorising one OSS (action, resource) pair: RAM policies, bucket policy, owner, ACL
//! (docs/protocol/authorization.md#oss-request-authorization).

use super::{Subject, evaluate_if, session_gate};
use crate::caller::Caller;
use crate::document::Policy;
use crate::evaluate::{Decision, Evaluation};
use crate::kind::PolicyKind;
use crate::public_access::PublicAccessBlock;
use crate::reason::{AllowReason, Authorization, DenyReason};
use crate::request::Request;

/// The bucket side of an OSS authorisation.
#[derive(Debug, Clone, Copy)]
pub struct OssTarget<'a> {
    /// The account owning the bucket (for ListBuckets: the caller's account).
    pub bucket_owner: &'a str,
    /// The bucket policy, if any; a policy not parsed as [`PolicyKind::Bucket`] is ignored.
    pub bucket_policy: Option<&'a Policy>,
    /// Whether the effective object / bucket ACL grants this access. Always `false` for
    /// management APIs (service, bucket configuration, LiveChannel); see `crate::Access`.
    pub acl_allows: bool,
    /// The Block Public Access settings in force for the bucket (its own and its owner
    /// account's): public ACLs and public bucket policies may stop granting (step 3 and 7).
    pub public_access: PublicAccessBlock,
}

/// Authorises one (action, resource) pair of an OSS request
/// (docs/protocol/authorization.md#oss-request-authorization). Call it once per pair (CopyObject:
/// source and destination, each with its own bucket) and require every Allow.
///
/// Steps: (1) the session gate; (2) A = RAM policies, only for RAM identities of the bucket
/// owner's account; (3) B = the bucket policy with principal matching and the owner rule (a public one granting
/// only the owner's account under RestrictPublicBuckets);
/// (4) an explicit Deny in A or B denies; (5) an Allow in A or B allows; (6) the owner's root
/// is allowed; (7) otherwise `acl_allows` decides, unless IgnorePublicAcls
/// (docs/protocol/policy.md#block-public-access).
pub fn authorize_oss(
    subject: &Subject<'_>,
    target: &OssTarget<'_>,
    request: &Request<'_>,
) -> Authorization {
    let request =
        Request::new(request.action, request.resource, request.context).with_caller(subject.caller);
    if let Err(denied) = session_gate(subject.session, &request) {
        return denied;
    }
    let caller = subject.caller;
    let same_account = caller.is_ram_identity() && caller.account_id() == Some(target.bucket_owner);
    let identity = evaluate_if(same_account, subject.identity, &request);
    let bucket = bucket_decision(subject, target, &request);
    decide(caller, target, identity, bucket)
}

/// Steps 4–7: explicit Deny, then Allow from either set, then ownership, then the ACL.
fn decide(
    caller: &Caller,
    target: &OssTarget<'_>,
    identity: Evaluation,
    bucket: Evaluation,
) -> Authorization {
    if let Some(denied) = explicit_deny(&identity, &bucket) {
        return denied;
    }
    if identity.decision == Decision::Allow {
        return Authorization::allow(AllowReason::IdentityPolicy, identity.matched);
    }
    if bucket.decision == Decision::Allow {
        return Authorization::allow(AllowReason::BucketPolicy, bucket.matched);
    }
    if caller.is_root_of(target.bucket_owner) {
        return Authorization::allow(AllowReason::AccountRoot, None);
    }
    if target.public_access.acl_counts(target.acl_allows) {
        return Authorization::allow(AllowReason::Acl, None);
    }
    Authorization::deny(
        DenyReason::NoAllow {
            ram_caller: caller.is_ram_identity(),
        },
        None,
    )
}

/// The bucket policy's evaluation for this caller; implicit deny without a bucket policy.
fn bucket_decision(
    subject: &Subject<'_>,
    target: &OssTarget<'_>,
    request: &Request<'_>,
) -> Evaluation {
    let policy = target
        .bucket_policy
        .filter(|p| p.kind() == PolicyKind::Bucket);
    let request = request
        .with_principal(subject.caller)
        .with_resource_owner(target.bucket_owner);
    match policy {
        Some(policy) => {
            let evaluation = evaluate_if(true, &[policy], &request);
            let counts = target.public_access.policy_allow_counts(
                policy,
                subject.caller.account_id(),
                target.bucket_owner,
            );
            if evaluation.decision == Decision::Allow && !counts {
                // RestrictPublicBuckets: the public policy's Allow is not for this caller;
                // its Deny statements still apply (they were evaluated first).
                Evaluation::implicit_deny()
            } else {
                evaluation
            }
        }
        None => Evaluation::implicit_deny(),
    }
}

/// The denial for an explicit Deny in the RAM policies, the bucket policy, or both.
fn explicit_deny(identity: &Evaluation, bucket: &Evaluation) -> Option<Authorization> {
    let explicit = |e: &Evaluation| e.decision == Decision::ExplicitDeny;
    let reason = match (explicit(identity), explicit(bucket)) {
        (true, true) => DenyReason::IdentityAndBucketPolicy,
        (true, false) => DenyReason::IdentityPolicy { explicit: true },
        (false, true) => DenyReason::BucketPolicy,
        (false, false) => return None,
    };
    let matched = if explicit(identity) {
        &identity.matched
    } else {
        &bucket.matched
    };
    Some(Authorization::deny(reason, matched.clone()))
}
