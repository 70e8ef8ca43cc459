//! The read rule: every byte a response carries comes from an object the caller may read.
//!
//! The dispatcher authorizes the operation on the addressed object. A response can also carry
//! bytes of other objects: a symlink's target, a watermark image, a copy source. Each of those
//! is authorized here, through the same [`authorize`] call, as `oss:GetObject` (or
//! `oss:GetObjectVersion` when a version is named) on that object, with the caller's full
//! context: identity and session policies, the bucket policy, the bucket and object ACLs
//! (docs/security.md, "Reads of a second object").

use ossd_meta::BucketRecord;
use ossd_proto::error::OssError;
use ossd_proto::op::Operation;
use ossd_store::ObjectBody;
use ossd_types::{ObjectAcl, ObjectType};

use crate::AppState;
use crate::auth::{Resource, authorize};
use crate::ctx::Ctx;
use crate::errors::store_error;

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
        let policy = crate::bucket_policy::load(state, name)
            .await
            .map_err(|e| store_error(e, ctx))?;
        Ok(Self { bucket, policy })
    }

    /// The bucket's name.
    pub(crate) fn name(&self) -> &str {
        &self.bucket.name
    }

    /// Authorizes reading `key` (its own ACL `acl`) by the request's caller: `GetObject`, or
    /// `GetObjectVersion` when `versioned`.
    pub(crate) async fn authorize_read(
        &self,
        state: &AppState,
        ctx: &Ctx,
        key: &str,
        acl: ObjectAcl,
        versioned: bool,
    ) -> Result<(), OssError> {
        let res = Resource {
            bucket: Some(&self.bucket),
            key: Some(key),
            object_acl: Some(acl),
            bucket_policy: self.policy.as_deref(),
            versioned,
        };
        let read = Operation::GetObject;
        let context = crate::policy_ctx::oss(ctx.conn, ctx.now, &ctx.headers, read, |_| None);
        authorize(state, ctx, read, res, &context).await
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
            self.authorize_read(state, ctx, &rec.key, rec.acl, versioned)
                .await?;
        }
        if body.record.object_type == ObjectType::Symlink {
            let target = &body.data;
            self.authorize_read(state, ctx, &target.key, target.acl, false)
                .await?;
        }
        Ok(())
    }
}

/// For the request's own object: authorizes a symlink's target (no lookup otherwise).
pub(crate) async fn authorize_target(
    state: &AppState,
    ctx: &Ctx,
    body: &ObjectBody,
) -> Result<(), OssError> {
    if body.record.object_type != ObjectType::Symlink {
        return Ok(());
    }
    let scope = ReadScope::load(state, ctx, ctx.bucket()).await?;
    scope
        .authorize_body(state, ctx, body, Addressed::Authorized, false)
        .await
}
