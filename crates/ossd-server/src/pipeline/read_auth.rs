//! The read rule: every byte a response carries comes from an object the caller may read.
//!
//! The dispatcher authorizes the operation on the addressed object. A response can also carry
//! bytes of other objects: a symlink's target, a watermark image, a copy source. Each of those
//! is authorized here, through the same [`authorize`] call, as `oss:GetObject` (or
//! `oss:GetObjectVersion` when a version is named) on that object, with the caller's full
//! context: identity and session policies, the bucket policy, the bucket and object ACLs
//! (docs/security.md, "One rule for reads"). Whether such an object exists is told only after
//! that read is authorized; an absent one is authorized as OSS authorizes a missing object, by
//! the bucket's policy and ACL alone (docs/security.md, "Order of checks").

use ossd_meta::BucketRecord;
use ossd_proto::error::OssError;
use ossd_proto::op::Operation;
use ossd_store::{ObjectBody, StoreError};
use ossd_types::{ObjectAcl, ObjectType};

use crate::AppState;
use crate::pipeline::auth::{Resource, authorize};
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;

/// Whether the addressed object of an [`ObjectBody`] was already authorized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Addressed {
    /// The dispatcher authorized the request's operation on it (the request's own object).
    Authorized,
    /// It is a second object of the response (a copy source, a watermark): authorize it.
    Unchecked,
}

/// A bucket with the policy that governs reads of its objects.
pub(crate) struct ReadScope {
    bucket: BucketRecord,
    policy: Option<String>,
}

impl ReadScope {
    /// Loads `name` and its bucket policy; 404 `NoSuchBucket` when it does not exist.
    pub(crate) async fn load(state: &AppState, ctx: &Ctx, name: &str) -> Result<Self, OssError> {
        let bucket = state
            .store
            .buckets()
            .get(name)
            .await
            .map_err(|e| store_error(e, ctx))?
            .ok_or_else(|| OssError::no_such_bucket(name))?;
        let policy = crate::handlers::bucket_policy::load(state, name)
            .await
            .map_err(|e| store_error(e, ctx))?;
        Ok(Self { bucket, policy })
    }

    /// The bucket's name.
    pub(crate) fn name(&self) -> &str {
        &self.bucket.name
    }

    /// Authorizes reading `key` (its own ACL `acl` and tags `tags`, which policies test as
    /// `oss:ExistingObjectTag/<k>`) by the request's caller: `GetObject`, or `GetObjectVersion`
    /// when `versioned`.
    pub(crate) async fn authorize_read(
        &self,
        state: &AppState,
        ctx: &Ctx,
        key: &str,
        (acl, tags): (ObjectAcl, &[(String, String)]),
        versioned: bool,
    ) -> Result<(), OssError> {
        self.authorize_as(
            state,
            ctx,
            Operation::GetObject,
            key,
            (acl, tags),
            versioned,
        )
        .await
    }

    /// Authorizes reading the tags of `rec`, which a copy gives its new object
    /// (`oss:GetObjectTagging`, `oss:GetObjectVersionTagging` when `versioned`;
    /// crates/ossd-policy/ACTIONS.md, CopyObject: "+ `oss:GetObjectTagging` … when tags are
    /// copied"): without it, a caller who may read an object but not its tags would read them
    /// from its copy.
    pub(crate) async fn authorize_tags_read(
        &self,
        state: &AppState,
        ctx: &Ctx,
        rec: &ossd_meta::ObjectRecord,
        versioned: bool,
    ) -> Result<(), OssError> {
        let op = Operation::GetObjectTagging;
        self.authorize_as(state, ctx, op, &rec.key, (rec.acl, &rec.tags), versioned)
            .await
    }

    /// Authorizes `op` on `key` of this bucket by the request's caller.
    async fn authorize_as(
        &self,
        state: &AppState,
        ctx: &Ctx,
        op: Operation,
        key: &str,
        (acl, tags): (ObjectAcl, &[(String, String)]),
        versioned: bool,
    ) -> Result<(), OssError> {
        let res = Resource {
            bucket: Some(&self.bucket),
            key: Some(key),
            object_acl: Some(acl),
            bucket_policy: self.policy.as_deref(),
            versioned,
            object_tags: Some(tags),
        };
        let context =
            crate::pipeline::policy_ctx::oss(ctx.conn, ctx.now, &ctx.headers, op, |_| None);
        authorize(state, ctx, op, res, &context).await
    }

    /// Authorizes every object whose bytes `body` serves: the addressed one unless
    /// [`Addressed::Authorized`] (`versioned` when the request named its version), and, for a
    /// symlink, its target (the latest version, always `GetObject`).
    pub(crate) async fn authorize_body(
        &self,
        state: &AppState,
        ctx: &Ctx,
        body: &ObjectBody,
        addressed: Addressed,
        versioned: bool,
    ) -> Result<(), OssError> {
        if addressed == Addressed::Unchecked {
            let rec = &body.record;
            self.authorize_read(state, ctx, &rec.key, (rec.acl, &rec.tags), versioned)
                .await?;
        }
        if body.record.object_type == ObjectType::Symlink {
            let target = &body.data;
            self.authorize_read(state, ctx, &target.key, (target.acl, &target.tags), false)
                .await?;
        }
        Ok(())
    }

    /// Resolves `key` of this bucket (`version_id`, else the latest; a symlink with its target)
    /// and authorizes it as [`Self::authorize_body`] does. When it cannot be resolved, the same
    /// reads are authorized first, as for missing objects, so that the inner `Err` — for the
    /// caller to map — is told only to a caller who may read what it is about; the outer `Err`
    /// is the refusal.
    pub(crate) async fn resolve(
        &self,
        state: &AppState,
        ctx: &Ctx,
        key: &str,
        version_id: Option<&str>,
        addressed: Addressed,
    ) -> Result<Result<ObjectBody, StoreError>, OssError> {
        match state.store.resolve(self.name(), key, version_id).await {
            Ok(body) => {
                let versioned = version_id.is_some();
                self.authorize_body(state, ctx, &body, addressed, versioned)
                    .await?;
                Ok(Ok(body))
            }
            Err(e) => {
                self.authorize_unresolved(state, ctx, key, version_id, addressed, &e)
                    .await?;
                Ok(Err(e))
            }
        }
    }

    /// Before `err`, a failed resolution of `key` (`version_id`), is told: authorizes the reads
    /// it would have needed. An absent object (missing, a delete marker) is authorized without an
    /// object ACL, as OSS authorizes a missing object; for a symlink whose target is missing or
    /// is itself a symlink, the link (unless `addressed` was authorized) and the target, each
    /// with its own ACL when it has one. Other failures need nothing.
    async fn authorize_unresolved(
        &self,
        state: &AppState,
        ctx: &Ctx,
        key: &str,
        version_id: Option<&str>,
        addressed: Addressed,
        err: &StoreError,
    ) -> Result<(), OssError> {
        let versioned = version_id.is_some();
        let check_addressed = addressed == Addressed::Unchecked;
        match err {
            StoreError::NoSuchKey
            | StoreError::NoSuchVersion
            | StoreError::CurrentIsDeleteMarker(_)
            | StoreError::VersionIsDeleteMarker(_)
                if check_addressed =>
            {
                self.authorize_read(state, ctx, key, (ObjectAcl::Default, &[]), versioned)
                    .await
            }
            e if is_target_failure(e) => {
                let link = self.object_meta(state, ctx, key, version_id).await?;
                if check_addressed {
                    let facts = link
                        .as_ref()
                        .map_or((ObjectAcl::Default, &[][..]), |r| (r.acl, &r.tags));
                    self.authorize_read(state, ctx, key, facts, versioned)
                        .await?;
                }
                // No longer a link (replaced since it was resolved): no target is left to
                // authorize, and the failure names none.
                let Some(target) = link.and_then(|r| r.symlink_target) else {
                    return Ok(());
                };
                let record = self.object_meta(state, ctx, &target, None).await?;
                let facts = record
                    .as_ref()
                    .map_or((ObjectAcl::Default, &[][..]), |r| (r.acl, &r.tags));
                self.authorize_read(state, ctx, &target, facts, false).await
            }
            _ => Ok(()),
        }
    }

    /// `key`'s record (`version_id`, else the latest) without inline bytes; `None` when it is
    /// missing or a delete marker.
    async fn object_meta(
        &self,
        state: &AppState,
        ctx: &Ctx,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<Option<ossd_meta::ObjectRecord>, OssError> {
        Ok(state
            .store
            .object_meta(self.name(), key, version_id)
            .await
            .map_err(|e| store_error(e, ctx))?
            .filter(|r| !r.delete_marker))
    }
}

/// For the request's own object (authorized by the dispatcher) as the store resolved it:
/// authorizes a symlink's target as a read — also when the target is missing or is itself a
/// symlink, before that is told — then maps a failure to its OSS error. No lookup for objects
/// that are not symlinks.
pub(crate) async fn authorize_target(
    state: &AppState,
    ctx: &Ctx,
    resolved: Result<ObjectBody, StoreError>,
) -> Result<ObjectBody, OssError> {
    let follows_link = match &resolved {
        Ok(body) => body.record.object_type == ObjectType::Symlink,
        Err(e) => is_target_failure(e),
    };
    if !follows_link {
        return resolved.map_err(|e| store_error(e, ctx));
    }
    let scope = ReadScope::load(state, ctx, ctx.bucket()).await?;
    match resolved {
        Ok(body) => {
            scope
                .authorize_body(state, ctx, &body, Addressed::Authorized, false)
                .await?;
            Ok(body)
        }
        Err(e) => {
            let (key, version) = (ctx.key(), ctx.version_id());
            scope
                .authorize_unresolved(state, ctx, key, version, Addressed::Authorized, &e)
                .await?;
            Err(store_error(e, ctx))
        }
    }
}

/// A failure of a symlink's target: missing (or a delete marker), or itself a symlink.
fn is_target_failure(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::SymlinkTargetNotExist | StoreError::InvalidTargetType
    )
}
