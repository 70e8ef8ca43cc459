//! Authentication (who signed this request) and authorization (may they do this). Every OSS
//! request passes through [`authorize`], the one decision point: RAM policies, the STS session
//! policy, the bucket policy and the ACL, evaluated by `ossd-iam` / `ossd-policy`.

use ossd_iam::{Caller, Denied, Iam, IamError, OssRequest};
use ossd_meta::BucketRecord;
use ossd_policy::{AclGrant, PublicAccessBlock};
use ossd_proto::dialect::Dialect;
use ossd_proto::error::{OssError, Refusal};
use ossd_proto::op::Operation;
use ossd_sig::chunked::ChunkSigning;
use ossd_sig::{Scheme, ScopeFamily, SigError, SigningKeyCache, SigningView, VerifyTime};
use ossd_types::{BucketAcl, Clock, ObjectAcl};
use time::OffsetDateTime;

use crate::pipeline::errors::sig_error;

/// Verifies the request's signature (if any) and returns who made it. The URL's own expiry is
/// checked first (against the effective time), then the credentials (token expiry, key status),
/// then the signature (the request-time window against the real time).
/// With `region`, a V4 signature must be for that region. V4 signing keys come from `keys`.
pub(crate) async fn authenticate(
    iam: &Iam,
    keys: &SigningKeyCache,
    view: &SigningView<'_>,
    time: VerifyTime,
    region: Option<&str>,
) -> Result<Caller, OssError> {
    Ok(authenticate_signed(iam, keys, view, time, region)
        .await?
        .caller)
}

/// Who signed a request, and what its signed `aws-chunked` body's chunk signatures chain from.
pub(crate) struct Authenticated {
    /// The caller.
    pub caller: Caller,
    /// For an AWS V4 header signature over a `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`
    /// body: the signing key, date, scope and seed signature of the chunk chain
    /// (docs/protocol/s3-chunked.md#chunk-signatures).
    pub chunk_signing: Option<ChunkSigning>,
}

/// [`authenticate`], keeping what a signed `aws-chunked` body needs.
pub(crate) async fn authenticate_signed(
    iam: &Iam,
    keys: &SigningKeyCache,
    view: &SigningView<'_>,
    time: VerifyTime,
    region: Option<&str>,
) -> Result<Authenticated, OssError> {
    let now = time.effective;
    let parsed = ossd_sig::parse(view).map_err(|e| match e {
        // S3 refuses a presigned URL's lifetime outside 1..=604800 s with 403 (ceph/s3-tests,
        // which run against AWS, expect it).
        SigError::ExpiresOutOfRange if view.has_query("X-Amz-Expires") => OssError::access_denied(
            "X-Amz-Expires must be an integer between 1 and 604800 seconds.",
        ),
        e => sig_error(&e, None),
    })?;
    let Some(auth) = parsed else {
        return Ok(Authenticated {
            caller: Caller::Anonymous,
            chunk_signing: None,
        });
    };
    if auth
        .url_expires_at()
        .is_some_and(|t| now.unix_timestamp() > t)
    {
        return Err(OssError::request_expired());
    }
    if let (Some(scope), Some(region)) = (auth.scope(), region) {
        // S3 tools sign for us-east-1 unless told otherwise; it names this server's region too
        // (docs/s3.md#signatures-and-credentials).
        let aws_default = auth.scheme.is_aws() && scope.region == AWS_DEFAULT_REGION;
        if !aws_default {
            check_signing_region(&scope.region, region, auth.url_expires_at().is_some())?;
        }
    }
    let resolved = iam
        .resolve(&auth.access_key_id, auth.security_token.as_deref())
        .await
        .map_err(|e| credential_error(e, &auth.access_key_id))?;
    ossd_sig::verify_at(&auth, view, &resolved.secret, time, keys).map_err(|e| match e {
        // S3's text for a missing or invalid request date (docs/protocol/s3-signatures.md#time-checks).
        SigError::MissingDate if auth.scheme.is_aws() => {
            OssError::access_denied("AWS authentication requires a valid Date or x-amz-date header")
        }
        e => sig_error(&e, Some(&auth.access_key_id)),
    })?;
    let chunk_signing = match (auth.scheme, auth.scope(), view.header("x-amz-date")) {
        (Scheme::AwsV4Header, Some(scope), Some(amz_date)) => {
            let key = keys.aws_v4_signing_key(
                &resolved.secret,
                &scope.date,
                &scope.region,
                &scope.product,
            );
            Some(ChunkSigning::new(
                key,
                amz_date,
                scope.render_for(ScopeFamily::Aws),
                auth.signature_provided(),
            ))
        }
        _ => None,
    };
    Ok(Authenticated {
        caller: resolved.caller,
        chunk_signing,
    })
}

/// The region AWS clients sign for when none is configured.
const AWS_DEFAULT_REGION: &str = "us-east-1";

/// 400 `InvalidArgument` for a V4 signature made for another region than the server's: OSS
/// ties a V4 signature to the bucket's region (OSS error reference 0002-00000226 and
/// 0002-00000228). `in_url` picks the message for a presigned URL or a POST form.
pub(crate) fn check_signing_region(
    signed: &str,
    region: &str,
    in_url: bool,
) -> Result<(), OssError> {
    if signed == region {
        return Ok(());
    }
    let message = if in_url {
        "Invalid signing region in credential."
    } else {
        "Invalid signing region in Authorization header."
    };
    Err(OssError::invalid_argument(message).with_ec("0002-00000226"))
}

/// Authenticates a request to a server endpoint under `/-/` (signed like an OSS request, V1,
/// V2 or V4, header or URL); returns the caller and the decoded query.
pub(crate) async fn authenticate_endpoint(
    state: &crate::AppState,
    parts: &http::request::Parts,
    target: &ossd_proto::request::Target,
    now: OffsetDateTime,
) -> Result<(Caller, Vec<ossd_sig::QueryParam>), OssError> {
    let query = ossd_proto::request::parse_query(parts.uri.query().unwrap_or_default())
        .map_err(|_| OssError::invalid_uri())?;
    let headers = crate::pipeline::dispatch::collect_headers(&parts.headers);
    let view = SigningView {
        method: parts.method.as_str(),
        bucket: target.bucket.as_deref(),
        key: target.key.as_deref(),
        query: &query,
        headers: &headers,
        raw_path: parts.uri.path(),
        body_sha256: None,
    };
    let time = verify_time(state.clock.as_ref(), now);
    // The administrative endpoints are the server's own, in no region: any region signs them.
    let caller = authenticate(&state.iam, &state.signing_keys, &view, time, None).await?;
    Ok((caller, query))
}

/// Whether `caller` is the root of the account this server serves.
pub(crate) fn is_account_root(state: &crate::AppState, caller: &Caller) -> bool {
    matches!(caller, Caller::Root { account_id, .. } if *account_id == state.config.account_id)
}

/// The times of a request that arrived at `now` (the clock's effective time): expiry is checked
/// against `now`, the request-time window against the clock's real time.
pub(crate) fn verify_time(clock: &dyn Clock, now: OffsetDateTime) -> VerifyTime {
    VerifyTime {
        effective: now,
        real: clock.real_now(),
    }
}

/// The OSS error for a credential that cannot be used (docs/protocol/sts.md#sts-credential-errors).
pub(crate) fn credential_error(e: IamError, access_key_id: &str) -> OssError {
    match e {
        IamError::InvalidAccessKeyId
        | IamError::AccessKeyInactive
        | IamError::MissingSecurityToken => {
            OssError::invalid_access_key_id(access_key_id).with_ec("0002-00000002")
        }
        IamError::InvalidSecurityToken => {
            OssError::invalid_security_token().with_ec("0002-00000006")
        }
        IamError::SecurityTokenExpired => {
            OssError::security_token_expired().with_ec("0002-00000007")
        }
        IamError::AccessKeyIdAndSecurityTokenNotMatch => {
            OssError::access_key_id_and_security_token_not_match().with_ec("0002-00000004")
        }
        other => {
            tracing::error!(error = %ossd_meta::ErrorChain(&other), "identity backend failure");
            OssError::internal_error()
        }
    }
}

/// What an authorization decision looks at besides the caller and the operation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resource<'a> {
    /// The bucket, when it exists.
    pub bucket: Option<&'a BucketRecord>,
    /// The addressed key, if any.
    pub key: Option<&'a str>,
    /// The object's own ACL, when the operation addresses an existing object.
    pub object_acl: Option<ObjectAcl>,
    /// The bucket policy document, if the bucket has one.
    pub bucket_policy: Option<&'a str>,
    /// The request names a version.
    pub versioned: bool,
    /// The addressed object's tags (`oss:ExistingObjectTag/<k>`), when it exists and they were
    /// loaded ([`needs_tags`] says when they must be).
    pub object_tags: Option<&'a [(String, String)]>,
}

/// Whether a decision for `caller` on `bucket` could read the tag condition keys
/// (`oss:BucketTag/<k>`, `oss:ExistingObjectTag/<k>`, `oss:RequestObjectTag/<k>`;
/// docs/protocol/policy.md): only policies read condition keys, so only a RAM caller (its
/// identity and session policies) or a bucket with a policy needs them. An anonymous caller or
/// an account root facing no bucket policy is decided by ownership and ACLs alone.
pub(crate) fn needs_tags(caller: &Caller, bucket_policy: Option<&str>) -> bool {
    bucket_policy.is_some() || matches!(caller, Caller::User { .. } | Caller::Session { .. })
}

/// The record of `key` (`version_id`, else the latest; without inline bytes) for the ACL and
/// tags its authorization reads: looked up only when an ACL could grant what policies do not
/// (a caller other than the bucket owner's root) or a policy could test the object's tags
/// ([`needs_tags`]). `None` for a missing object or a delete marker.
pub(crate) async fn object_facts(
    state: &crate::AppState,
    ctx: &crate::pipeline::ctx::Ctx,
    bucket: &BucketRecord,
    policy: Option<&str>,
    key: &str,
    version_id: Option<&str>,
) -> Result<Option<ossd_meta::ObjectRecord>, OssError> {
    let owners_root =
        matches!(&ctx.caller, Caller::Root { account_id, .. } if *account_id == bucket.owner);
    if owners_root && !needs_tags(&ctx.caller, policy) {
        return Ok(None);
    }
    Ok(state
        .store
        .object_meta(&bucket.name, key, version_id)
        .await
        .map_err(|e| crate::pipeline::errors::store_error(e, ctx))?
        .filter(|r| !r.delete_marker))
}

/// `context` with the tag condition keys a policy may test (docs/protocol/policy.md, "Keys ossd
/// provides"): the bucket's tags, the addressed object's (`res.object_tags`) and those the
/// request sends in `x-oss-tagging` (S3's `x-amz-tagging`, translated). `None` when no policy
/// can read them ([`needs_tags`]) or there is none to add. `request_tags` are the tags the
/// request sets when known otherwise than from its header (a PutObjectTagging body). A tagging header that does not parse
/// adds nothing: the operation refuses it later. A failure to read the bucket's tags fails the
/// request (closed).
async fn with_tags(
    state: &crate::AppState,
    ctx: &crate::pipeline::ctx::Ctx,
    res: Resource<'_>,
    context: &ossd_policy::RequestContext,
    request_tags: Option<&[(String, String)]>,
) -> Result<Option<ossd_policy::RequestContext>, OssError> {
    let Some(bucket) = res.bucket else {
        return Ok(None);
    };
    if !needs_tags(&ctx.caller, res.bucket_policy) {
        return Ok(None);
    }
    let bucket_tags = state
        .store
        .bucket_configs()
        .get::<ossd_proto::xml::BucketTagging>(&bucket.name)
        .await
        .map_err(|e| crate::pipeline::errors::store_error(e, ctx))?
        .map(|t| t.tags)
        .unwrap_or_default();
    let request_tags = match request_tags {
        Some(tags) => tags.to_vec(),
        None => ossd_proto::headers::tagging(ctx.header("x-oss-tagging")).unwrap_or_default(),
    };
    let object_tags = res.object_tags.unwrap_or_default();
    if bucket_tags.is_empty() && request_tags.is_empty() && object_tags.is_empty() {
        return Ok(None);
    }
    Ok(Some(tag_context(
        context.clone(),
        bucket_tags
            .iter()
            .map(|t| (t.key.as_str(), t.value.as_str())),
        object_tags.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        request_tags.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    )))
}

/// `context` with `oss:BucketTag/<k>`, `oss:ExistingObjectTag/<k>` and
/// `oss:RequestObjectTag/<k>` set from the three sets of tags.
fn tag_context<'t>(
    mut context: ossd_policy::RequestContext,
    bucket: impl Iterator<Item = (&'t str, &'t str)>,
    object: impl Iterator<Item = (&'t str, &'t str)>,
    request: impl Iterator<Item = (&'t str, &'t str)>,
) -> ossd_policy::RequestContext {
    for (k, v) in bucket {
        context = context.with_bucket_tag(k, v);
    }
    for (k, v) in object {
        context = context.with_existing_object_tag(k, v);
    }
    for (k, v) in request {
        context = context.with_request_object_tag(k, v);
    }
    context
}

/// The one authorization decision for OSS operations (by `ctx.caller`); denials are recorded
/// in the audit trail.
pub(crate) async fn authorize(
    state: &crate::AppState,
    ctx: &crate::pipeline::ctx::Ctx,
    op: Operation,
    res: Resource<'_>,
    context: &ossd_policy::RequestContext,
) -> Result<(), OssError> {
    authorize_with_tags(state, ctx, op, res, context, None).await
}

/// A PutObjectTagging's tags, known once its body is read: authorized again with them as
/// `oss:RequestObjectTag/<k>` (docs/protocol/policy.md), so that a Deny on the tags a request
/// sets applies to this operation as to a PutObject with `x-oss-tagging`. `rec` is the object
/// being tagged (its ACL and current tags).
pub(crate) async fn authorize_tag_write(
    state: &crate::AppState,
    ctx: &crate::pipeline::ctx::Ctx,
    rec: &ossd_meta::ObjectRecord,
    tags: &[(String, String)],
) -> Result<(), OssError> {
    let (bucket, policy) = bucket_scope(state, ctx).await?;
    let res = Resource {
        bucket: Some(&bucket),
        key: Some(&rec.key),
        object_acl: Some(rec.acl),
        bucket_policy: policy.as_deref(),
        versioned: ctx.version_id().is_some(),
        object_tags: Some(&rec.tags),
    };
    let op = Operation::PutObjectTagging;
    let context = crate::pipeline::policy_ctx::oss(ctx.conn, ctx.now, &ctx.headers, op, |_| None);
    authorize_with_tags(state, ctx, op, res, &context, Some(tags)).await
}

/// The request's bucket and its policy, for the checks a handler makes after the dispatcher's.
pub(crate) async fn bucket_scope(
    state: &crate::AppState,
    ctx: &crate::pipeline::ctx::Ctx,
) -> Result<(BucketRecord, Option<String>), OssError> {
    let store_error = |e| crate::pipeline::errors::store_error(e, ctx);
    let bucket = state
        .store
        .buckets()
        .get(ctx.bucket())
        .await
        .map_err(store_error)?
        .ok_or_else(|| OssError::no_such_bucket(ctx.bucket()))?;
    let policy = crate::handlers::bucket_policy::load(state, ctx.bucket())
        .await
        .map_err(store_error)?;
    Ok((bucket, policy))
}

/// [`authorize`] with the tags the request sets: `request_tags`, else its `x-oss-tagging`.
async fn authorize_with_tags(
    state: &crate::AppState,
    ctx: &crate::pipeline::ctx::Ctx,
    op: Operation,
    res: Resource<'_>,
    context: &ossd_policy::RequestContext,
    request_tags: Option<&[(String, String)]>,
) -> Result<(), OssError> {
    let Some(action) = op.authorization() else {
        // A CORS preflight is answered from the CORS rules; nothing reaches here without a row.
        return Err(OssError::access_denied(
            "The operation cannot be authorized.",
        ));
    };
    let acl_allows =
        acl_allows(action.acl, res, ctx.dialect) && acls_enabled(state, ctx, res).await?;
    let request = OssRequest {
        action,
        bucket: res.bucket.map(|b| b.name.as_str()),
        key: res.key,
        bucket_owner: res.bucket.map(|b| b.owner.as_str()),
        bucket_policy: res.bucket_policy,
        region: None,
        versioned: res.versioned,
        acl_allows,
        public_access: public_access(state, ctx, res, acl_allows).await?,
    };
    let tagged = with_tags(state, ctx, res, context, request_tags).await?;
    let context = tagged.as_ref().unwrap_or(context);
    decide(state, ctx, &request, context).await?;
    if sets_tags(ctx, op) {
        // Tags set by a write need `oss:PutObjectTagging` as well (crates/ossd-policy/ACTIONS.md:
        // PutObject "+ `oss:PutObjectTagging` with `x-oss-tagging`"; OSS PutObject,
        // "Permissions"). An ACL that grants the write covers the tags the write sets: an
        // anonymous upload with tags into a public-read-write bucket stores them
        // (docs/protocol/authorization.md, "Tags set by a write").
        let tagging = OssRequest {
            action: &ossd_policy::rows::PutObjectTagging,
            versioned: false,
            ..request
        };
        decide(state, ctx, &tagging, context).await?;
    }
    Ok(())
}

/// Whether `op` sets the object's tags from the request's `x-oss-tagging` (S3's
/// `x-amz-tagging`, translated): PutObject (and PostObject, authorized as PutObject with the
/// form's fields), the first AppendObject (later ones keep the object's tags), an
/// InitiateMultipartUpload, and a CopyObject with `x-oss-tagging-directive: Replace`.
fn sets_tags(ctx: &crate::pipeline::ctx::Ctx, op: Operation) -> bool {
    writes_tags(
        op,
        ctx.header("x-oss-tagging"),
        ctx.header("x-oss-tagging-directive"),
        ctx.query("position"),
    )
}

/// [`sets_tags`] over the request's `x-oss-tagging`, `x-oss-tagging-directive` and `position`.
fn writes_tags(
    op: Operation,
    tagging: Option<&str>,
    directive: Option<&str>,
    position: Option<&str>,
) -> bool {
    if tagging.is_none_or(str::is_empty) {
        return false;
    }
    match op {
        Operation::PutObject | Operation::InitiateMultipartUpload => true,
        Operation::AppendObject => position == Some("0"),
        Operation::CopyObject => directive.is_some_and(|d| d.eq_ignore_ascii_case("replace")),
        _ => false,
    }
}

/// The Block Public Access settings that apply to this decision
/// (docs/protocol/buckets.md#block-public-access). They can only take away what a public ACL
/// or a bucket policy grants, and never anything from the bucket owner's root: they are read
/// only when the ACL grants or the bucket has a policy, for another caller. A failure to read
/// them fails the request (closed).
async fn public_access(
    state: &crate::AppState,
    ctx: &crate::pipeline::ctx::Ctx,
    res: Resource<'_>,
    acl_allows: bool,
) -> Result<PublicAccessBlock, OssError> {
    let Some(bucket) = res.bucket else {
        return Ok(PublicAccessBlock::default());
    };
    let owners_root =
        matches!(&ctx.caller, Caller::Root { account_id, .. } if *account_id == bucket.owner);
    if owners_root || !(acl_allows || res.bucket_policy.is_some()) {
        return Ok(PublicAccessBlock::default());
    }
    crate::handlers::public_access_block::in_force(state, ctx, bucket).await
}

/// Whether the bucket's ACLs count: not when its S3 Object Ownership is `BucketOwnerEnforced`
/// (docs/s3.md#object-ownership). Read only when an ACL would grant; a failure to read the
/// setting fails the request (closed).
async fn acls_enabled(
    state: &crate::AppState,
    ctx: &crate::pipeline::ctx::Ctx,
    res: Resource<'_>,
) -> Result<bool, OssError> {
    let Some(bucket) = res.bucket else {
        return Ok(true);
    };
    crate::handlers::ownership_config::acls_disabled(state, &bucket.name)
        .await
        .map(|disabled| !disabled)
        .map_err(|e| crate::pipeline::errors::store_error(e, ctx))
}

/// Whether the caller's policies (identity, session, the bucket's policy; not the ACLs) let
/// it list `bucket`: which buckets S3's ListBuckets shows a RAM principal. Nothing is audited:
/// this is a filter, not a request.
pub(crate) async fn may_list(
    state: &crate::AppState,
    ctx: &crate::pipeline::ctx::Ctx,
    bucket: &BucketRecord,
    bucket_policy: Option<&str>,
    context: &ossd_policy::RequestContext,
) -> bool {
    let request = OssRequest {
        action: &ossd_policy::rows::ListObjects,
        bucket: Some(bucket.name.as_str()),
        key: None,
        bucket_owner: Some(bucket.owner.as_str()),
        bucket_policy,
        region: None,
        versioned: false,
        acl_allows: false,
        public_access: PublicAccessBlock::default(),
    };
    state
        .iam
        .authorize_oss_request(&ctx.caller, &request, context)
        .await
        .is_ok()
}

/// Authorizes creating bucket `name`, which does not exist yet (PutBucket, and a PutBucketAcl
/// that creates its bucket): `oss:PutBucket` on the bucket itself,
/// `acs:oss:<region>:<the caller's account>:<name>`, as for every bucket-level action
/// (`crates/ossd-policy/ACTIONS.md`; OSS "Authorization syntax and elements" lists PutBucket
/// among the bucket-level actions,
/// <https://www.alibabacloud.com/help/en/oss/user-guide/authorization-syntax-and-elements>).
/// No bucket policy or ACL exists to grant it.
pub(crate) async fn authorize_creation(
    state: &crate::AppState,
    ctx: &crate::pipeline::ctx::Ctx,
    name: &str,
    context: &ossd_policy::RequestContext,
) -> Result<(), OssError> {
    let request = OssRequest {
        action: &ossd_policy::rows::PutBucket,
        bucket: Some(name),
        key: None,
        bucket_owner: None,
        bucket_policy: None,
        region: None,
        versioned: false,
        acl_allows: false,
        public_access: PublicAccessBlock::default(),
    };
    decide(state, ctx, &request, context).await
}

/// Asks `ossd-iam` for the decision on `request` by `ctx.caller`; a denial is recorded in the
/// audit trail and becomes the AccessDenied document.
async fn decide(
    state: &crate::AppState,
    ctx: &crate::pipeline::ctx::Ctx,
    request: &OssRequest<'_>,
    context: &ossd_policy::RequestContext,
) -> Result<(), OssError> {
    let caller = &ctx.caller;
    state
        .iam
        .authorize_oss_request(caller, request, context)
        .await
        .map_err(|d| {
            crate::observability::audit::oss_denied(state, ctx, &d);
            let versioned = request.versioned && request.action.version_action.is_some();
            access_denied(&d, caller, request.bucket, versioned)
        })
}

/// Whether the canned ACLs grant an operation with ACL grant `grant` to anyone
/// (docs/protocol/buckets.md#acls-and-anonymous-access). In S3 writing is a permission of the
/// bucket alone: a public-read-write bucket lets anyone write any key (docs/s3.md#acls).
pub(crate) fn acl_allows(grant: AclGrant, res: Resource<'_>, dialect: Dialect) -> bool {
    let Some(bucket) = res.bucket else {
        return false;
    };
    let effective = bucket
        .acl
        .effective(res.object_acl.unwrap_or(ObjectAcl::Default));
    match grant {
        AclGrant::Never => false,
        AclGrant::ObjectRead => effective != BucketAcl::Private,
        AclGrant::BucketRead => bucket.acl != BucketAcl::Private,
        AclGrant::Write if dialect == Dialect::S3 => bucket.acl == BucketAcl::PublicReadWrite,
        AclGrant::Write => effective == BucketAcl::PublicReadWrite,
    }
}

/// The AccessDenied document with the detail OSS gives
/// (docs/protocol/access-denied.md#oss-accessdenied-document). A request that names a version is
/// authorized as the operation's version action (`oss:GetObjectVersion` for a GetObject), which
/// a policy granting the plain action does not cover: the message then names it
/// (docs/protocol/access-denied.md#versioned-requests).
fn access_denied(d: &Denied, caller: &Caller, bucket: Option<&str>, versioned: bool) -> OssError {
    let detail = vec![
        ("PolicyType", d.policy_type.clone()),
        (
            "AuthPrincipalOwnerId",
            caller.account_id().unwrap_or_default().to_owned(),
        ),
        ("AuthPrincipalType", caller.principal_type().to_owned()),
        ("AuthPrincipalDisplayName", caller.display_name()),
        ("NoPermissionType", d.no_permission_type().to_owned()),
        ("AuthAction", d.auth_action.clone()),
    ];
    let why = if d.explicit {
        Refusal::ExplicitDeny
    } else {
        Refusal::ImplicitDeny
    };
    let message = if versioned {
        format!(
            "{} The request names a versionId, so it is authorized as {}.",
            d.message, d.auth_action
        )
    } else {
        d.message.clone()
    };
    let mut err = OssError::access_denied(&message)
        .with_access_denied_detail(detail)
        .with_refusal(why);
    if let Some(b) = bucket {
        err = err.with_extra("Bucket", b.to_owned());
    }
    if !matches!(caller, Caller::Anonymous) {
        err = err.with_extra("User", caller.user_id());
    }
    if let Some(ec) = d.ec {
        err = err.with_ec(ec);
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;
    use ossd_policy::{Decision, Policy, PolicyKind, Request, RequestContext, evaluate};

    fn user() -> Caller {
        Caller::User {
            account_id: "1".into(),
            user_id: "2".into(),
            user_name: "u".into(),
            access_key_id: "k".into(),
        }
    }

    #[test]
    fn writes_that_set_tags() {
        use Operation::*;
        let tags = Some("a=b");
        assert!(writes_tags(PutObject, tags, None, None));
        assert!(writes_tags(InitiateMultipartUpload, tags, None, None));
        assert!(writes_tags(AppendObject, tags, None, Some("0")));
        assert!(!writes_tags(AppendObject, tags, None, Some("5")));
        assert!(writes_tags(CopyObject, tags, Some("Replace"), None));
        assert!(writes_tags(CopyObject, tags, Some("REPLACE"), None));
        assert!(!writes_tags(CopyObject, tags, Some("Copy"), None));
        assert!(!writes_tags(CopyObject, tags, None, None));
        assert!(!writes_tags(PutObject, None, None, None));
        assert!(!writes_tags(PutObject, Some(""), None, None));
        assert!(!writes_tags(GetObject, tags, None, None));
        assert!(!writes_tags(PutObjectTagging, tags, None, None));
    }

    #[test]
    fn tags_are_needed_when_a_policy_can_read_them() {
        let root = Caller::Root {
            account_id: "1".into(),
            access_key_id: "k".into(),
        };
        assert!(needs_tags(&user(), None));
        assert!(needs_tags(&Caller::Anonymous, Some("{}")));
        assert!(needs_tags(&root, Some("{}")));
        assert!(!needs_tags(&Caller::Anonymous, None));
        assert!(!needs_tags(&root, None));
    }

    /// A Deny conditioned on each tag key applies once the keys are in the context, and not
    /// when the tag differs.
    #[test]
    fn tag_context_feeds_tag_conditions() {
        let deny_if = |key: &str, value: &str| {
            let text = format!(
                r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"oss:*","Resource":"*"}},
                {{"Effect":"Deny","Action":"oss:*","Resource":"*",
                  "Condition":{{"StringEquals":{{"{key}":"{value}"}}}}}}]}}"#
            );
            Policy::parse(&text, PolicyKind::Identity).ok()
        };
        let ctx = tag_context(
            RequestContext::new(),
            [("env", "prod")].into_iter(),
            [("secret", "yes")].into_iter(),
            [("classification", "public")].into_iter(),
        );
        let decide = |p: &Option<Policy>, ctx: &RequestContext| {
            let p = p.as_ref().map(|p| vec![p]).unwrap_or_default();
            let request = Request::new("oss:GetObject", "acs:oss:*:1:b/k", ctx);
            evaluate(&p, &request).decision
        };
        for (key, value) in [
            ("oss:BucketTag/env", "prod"),
            ("oss:ExistingObjectTag/secret", "yes"),
            ("oss:RequestObjectTag/classification", "public"),
        ] {
            let policy = deny_if(key, value);
            assert!(policy.is_some(), "{key}");
            assert_eq!(decide(&policy, &ctx), Decision::ExplicitDeny, "{key}");
            assert_eq!(
                decide(&policy, &RequestContext::new()),
                Decision::Allow,
                "{key} without tags"
            );
            assert_eq!(
                decide(&deny_if(key, "other"), &ctx),
                Decision::Allow,
                "{key} other value"
            );
        }
    }
}
