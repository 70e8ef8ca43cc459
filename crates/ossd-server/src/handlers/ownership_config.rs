//! S3 Object Ownership (docs/s3.md#object-ownership): `PUT|GET|DELETE /?ownershipControls`,
//! CreateBucket's `x-amz-object-ownership`, and what `BucketOwnerEnforced` changes — ACLs are
//! disabled (S3 User Guide, "Controlling ownership of objects and disabling ACLs" and
//! "Troubleshooting"): a request that sets an ACL is 400 `AccessControlListNotSupported`, ACL
//! reads show the owner's full control, and ACLs grant nothing ([`acls_disabled`], asked by the
//! one `authorize()`). ossd has one account per server, so every object is the bucket owner's
//! whatever the setting.

use ossd_meta::BucketRecord;
use ossd_proto::dialect::Dialect;
use ossd_proto::error::{OssCode, OssError};
use ossd_proto::op::Operation;
use ossd_proto::xml::{MAX_CONFIG_BODY_BYTES, ObjectOwnership, OwnershipControls};
use ossd_store::StoreError;
use ossd_types::BucketAcl;

use crate::AppState;
use crate::handlers::read_checked_body;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, ok, xml};

/// The canned ACL S3 still takes on writes to a bucket whose ACLs are disabled.
const OWNER_FULL_CONTROL: &str = "bucket-owner-full-control";

/// `PUT /?ownershipControls`: replaces the setting. `BucketOwnerEnforced` on a bucket whose ACL
/// grants anyone but the owner is 400 `InvalidBucketAclWithObjectOwnership`: the ACL must be
/// made private first (S3 User Guide, "Troubleshooting" Object Ownership).
pub(crate) async fn put(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
    body: RequestBody,
) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, MAX_CONFIG_BODY_BYTES).await?;
    let controls = OwnershipControls::parse(&raw)?;
    check_bucket_acl(controls.object_ownership, bucket.acl)?;
    save(state, ctx, controls).await?;
    Ok(ok())
}

/// Stores `controls` as the addressed bucket's setting.
async fn save(state: &AppState, ctx: &Ctx, controls: OwnershipControls) -> Result<(), OssError> {
    state
        .store
        .bucket_configs()
        .put(ctx.bucket(), &controls)
        .await
        .map_err(|e| store_error(e, ctx))
}

/// `GET /?ownershipControls`: the setting, or 404 `OwnershipControlsNotFoundError` for a bucket
/// that has none (ossd's default, docs/s3.md#object-ownership).
pub(crate) async fn get(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let controls = load(state, ctx.bucket())
        .await
        .map_err(|e| store_error(e, ctx))?
        .ok_or_else(|| {
            OssError::new(OssCode::OwnershipControlsNotFoundError)
                .with_extra("BucketName", ctx.bucket().to_owned())
        })?;
    Ok(xml(controls.to_xml()))
}

/// `DELETE /?ownershipControls`: 204 whether or not a setting was stored.
pub(crate) async fn delete(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    super::delete_config::<OwnershipControls>(state, ctx).await
}

/// The bucket's stored setting, if any.
async fn load(state: &AppState, bucket: &str) -> Result<Option<OwnershipControls>, StoreError> {
    state
        .store
        .bucket_configs()
        .get::<OwnershipControls>(bucket)
        .await
}

/// Whether `bucket`'s ACLs are disabled (`BucketOwnerEnforced`); the one `authorize()` then
/// lets no ACL grant anything.
pub(crate) async fn acls_disabled(state: &AppState, bucket: &str) -> Result<bool, StoreError> {
    Ok(load(state, bucket)
        .await?
        .is_some_and(|c| c.object_ownership.acls_disabled()))
}

/// `BucketOwnerEnforced` needs a private bucket ACL.
fn check_bucket_acl(ownership: ObjectOwnership, acl: BucketAcl) -> Result<(), OssError> {
    if ownership.acls_disabled() && acl != BucketAcl::Private {
        return Err(OssError::new(OssCode::InvalidBucketAclWithObjectOwnership));
    }
    Ok(())
}

/// CreateBucket's `x-amz-object-ownership` (S3 API reference, CreateBucket): the setting to
/// store with the new bucket (`new_bucket::configs`), checked before the bucket is made — an unknown value is 400
/// `InvalidArgument`, `BucketOwnerEnforced` with a public ACL 400
/// `InvalidBucketAclWithObjectOwnership`. Only S3 requests carry it.
pub(crate) fn requested(ctx: &Ctx, acl: BucketAcl) -> Result<Option<ObjectOwnership>, OssError> {
    if ctx.dialect != Dialect::S3 {
        return Ok(None);
    }
    let Some(value) = ctx.header("x-amz-object-ownership") else {
        return Ok(None);
    };
    let ownership = ObjectOwnership::parse(value.trim()).ok_or_else(|| {
        OssError::invalid_argument_value(
            "Invalid x-amz-object-ownership header",
            "x-amz-object-ownership",
            value,
        )
    })?;
    check_bucket_acl(ownership, acl)?;
    Ok(Some(ownership))
}

/// Refuses, with 400 `AccessControlListNotSupported`, a request that would set an ACL on
/// `bucket` while its ACLs are disabled: PutBucketAcl and PutObjectAcl always, and a write
/// that carries an ACL other than `bucket-owner-full-control` (S3 User Guide,
/// "Troubleshooting" Object Ownership; ceph/s3-tests' object-ownership tests: `private` is
/// refused too). The setting is read only for such requests.
pub(crate) async fn refuse_acl(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
) -> Result<(), OssError> {
    use Operation::*;
    let asks = match ctx.op {
        PutBucketAcl | PutObjectAcl => true,
        PutObject | CopyObject | InitiateMultipartUpload | AppendObject | PutSymlink => {
            carries_acl(ctx, &bucket.owner)
        }
        _ => false,
    };
    refuse_if_disabled(state, ctx, &bucket.name, asks).await
}

/// 400 `AccessControlListNotSupported` when the request `asks` to set an ACL and `bucket`'s ACLs
/// are disabled; the setting is read only when it asks.
pub(crate) async fn refuse_if_disabled(
    state: &AppState,
    ctx: &Ctx,
    bucket: &str,
    asks: bool,
) -> Result<(), OssError> {
    if asks
        && acls_disabled(state, bucket)
            .await
            .map_err(|e| store_error(e, ctx))?
    {
        return Err(OssError::new(OssCode::AccessControlListNotSupported));
    }
    Ok(())
}

/// Whether a PostObject form's canned ACL field (S3 `acl`, OSS `x-oss-object-acl`) sets an ACL
/// other than the owner's full control (S3) or `default` (OSS).
pub(crate) fn form_sets_acl<'a>(dialect: Dialect, field: impl Fn(&str) -> Option<&'a str>) -> bool {
    match dialect {
        Dialect::S3 => field("acl").is_some_and(|v| v.trim() != OWNER_FULL_CONTROL),
        Dialect::Oss => field("x-oss-object-acl").is_some_and(|v| v.trim() != "default"),
    }
}

/// Whether an object write carries an ACL that is not the bucket owner's full control: in S3,
/// an `x-amz-acl` other than `bucket-owner-full-control` or a grant header other than
/// `x-amz-grant-full-control` naming only the owner's id (its equivalent form); in OSS, an
/// `x-oss-object-acl` other than `default` (no ACL of its own).
fn carries_acl(ctx: &Ctx, owner: &str) -> bool {
    let wire = match (ctx.dialect, ctx.wire_headers.as_deref()) {
        (Dialect::S3, Some(wire)) => wire,
        _ => {
            return ctx
                .header("x-oss-object-acl")
                .is_some_and(|v| v.trim() != "default");
        }
    };
    wire.iter().any(|(name, value)| match name.as_str() {
        "x-amz-acl" => value.trim() != OWNER_FULL_CONTROL,
        "x-amz-grant-full-control" => !names_only(value, owner),
        other => other.starts_with("x-amz-grant-"),
    })
}

/// Whether the grantee list `value` (`id="…", id=…`) names the account `owner` and no one else.
fn names_only(value: &str, owner: &str) -> bool {
    value.split(',').all(|grantee| {
        grantee
            .trim()
            .strip_prefix("id=")
            .is_some_and(|id| id.trim().trim_matches('"') == owner)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_grant_is_the_only_accepted_grant() {
        assert!(names_only("id=\"123\"", "123"));
        assert!(names_only("id=123, id=\"123\"", "123"));
        assert!(!names_only("id=\"123\", id=\"456\"", "123"));
        assert!(!names_only(
            "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"",
            "123"
        ));
        assert!(!names_only("emailAddress=\"a@b\"", "123"));
        assert!(!names_only("", "123"));
    }

    #[test]
    fn enforced_needs_a_private_bucket_acl() {
        use ObjectOwnership::*;
        assert!(check_bucket_acl(BucketOwnerEnforced, BucketAcl::Private).is_ok());
        let refused = check_bucket_acl(BucketOwnerEnforced, BucketAcl::PublicRead).err();
        assert_eq!(
            refused.map(|e| e.code),
            Some(OssCode::InvalidBucketAclWithObjectOwnership)
        );
        assert!(check_bucket_acl(ObjectWriter, BucketAcl::PublicReadWrite).is_ok());
        assert!(check_bucket_acl(BucketOwnerPreferred, BucketAcl::PublicRead).is_ok());
    }
}
