//! Block Public Access (docs/protocol/buckets.md#block-public-access): `PUT|GET|DELETE
//! /?publicAccessBlock` on a bucket, stored as a bucket configuration
//! ([`PublicAccessBlockConfiguration`]); [`in_force`], the settings the one authorization
//! applies (`pipeline::auth::authorize`); and the refusals of public ACLs and policies while
//! they are on ([`refuse_public_acl`], [`refuse_public_policy`]).

use ossd_meta::BucketRecord;
use ossd_policy::{BucketPolicyDocument, PublicAccessBlock};
use ossd_proto::dialect::Dialect;
use ossd_proto::error::{OssCode, OssError};
use ossd_proto::xml::PublicAccessBlockConfiguration;

use crate::AppState;
use crate::handlers::read_checked_body;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::{iam_error, store_error};
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, ok, xml};

/// The largest body accepted: the document has at most four short elements.
const MAX_BODY_BYTES: usize = 4 * 1024;

/// `PUT /?publicAccessBlock`: OSS's `BlockPublicAccess` or S3's four settings.
pub(crate) async fn put(state: &AppState, ctx: &Ctx, body: RequestBody) -> Result<Resp, OssError> {
    super::put_config(state, ctx, body, MAX_BODY_BYTES, parser(ctx.dialect)).await
}

/// The body parser of `dialect`.
fn parser(dialect: Dialect) -> fn(&[u8]) -> Result<PublicAccessBlockConfiguration, OssError> {
    match dialect {
        Dialect::Oss => |body| PublicAccessBlockConfiguration::parse(body, Dialect::Oss),
        Dialect::S3 => |body| PublicAccessBlockConfiguration::parse(body, Dialect::S3),
    }
}

/// `GET /?publicAccessBlock`. Without a configuration S3 answers 404
/// `NoSuchPublicAccessBlockConfiguration` (S3 API reference, GetPublicAccessBlock; ceph/s3-tests
/// `test_get_undefined_public_block`); OSS documents no such error, and reports the
/// documented default, `BlockPublicAccess` `false`.
pub(crate) async fn get(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let config = state
        .store
        .bucket_configs()
        .get::<PublicAccessBlockConfiguration>(ctx.bucket())
        .await
        .map_err(|e| store_error(e, ctx))?;
    let config = match (config, ctx.dialect) {
        (Some(c), _) => c,
        (None, Dialect::Oss) => PublicAccessBlockConfiguration::default(),
        (None, Dialect::S3) => {
            return Err(OssError::new(OssCode::NoSuchPublicAccessBlockConfiguration)
                .with_extra("BucketName", ctx.bucket().to_owned()));
        }
    };
    Ok(xml(config.to_xml(ctx.dialect)))
}

/// `DELETE /?publicAccessBlock`: 204 whether or not a configuration was set.
pub(crate) async fn delete(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    super::delete_config::<PublicAccessBlockConfiguration>(state, ctx).await
}

/// `PUT /?publicAccessBlock` on the service: the account's settings (OSS API reference,
/// PutPublicAccessBlock), stored by `ossd-iam`.
pub(crate) async fn put_account(
    state: &AppState,
    ctx: &Ctx,
    body: RequestBody,
) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, MAX_BODY_BYTES).await?;
    let config = parser(ctx.dialect)(&raw)?;
    state
        .iam
        .set_account_public_access_block(Some(config.0))
        .await
        .map_err(|e| iam_error(e, ctx))?;
    Ok(ok())
}

/// `GET /?publicAccessBlock` on the service: the account's settings (`false` when none).
pub(crate) async fn get_account(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let settings = account(state, ctx).await?;
    Ok(xml(
        PublicAccessBlockConfiguration(settings).to_xml(ctx.dialect)
    ))
}

/// `DELETE /?publicAccessBlock` on the service: 204 whether or not settings were set.
pub(crate) async fn delete_account(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    state
        .iam
        .set_account_public_access_block(None)
        .await
        .map_err(|e| iam_error(e, ctx))?;
    Ok(crate::transport::response::status(
        http::StatusCode::NO_CONTENT,
    ))
}

/// The account's settings (all off when none were set).
async fn account(state: &AppState, ctx: &Ctx) -> Result<PublicAccessBlock, OssError> {
    let settings = state
        .iam
        .account_public_access_block()
        .await
        .map_err(|e| iam_error(e, ctx))?;
    Ok(settings.unwrap_or_default())
}

/// The Block Public Access settings in force for `bucket`: its own configuration combined
/// with its owner account's ([`PublicAccessBlock::union`]).
pub(crate) async fn in_force(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
) -> Result<PublicAccessBlock, OssError> {
    let own = state
        .store
        .bucket_configs()
        .get::<PublicAccessBlockConfiguration>(&bucket.name)
        .await
        .map_err(|e| store_error(e, ctx))?;
    let own = own.map(|c| c.0).unwrap_or_default();
    Ok(own.union(account(state, ctx).await?))
}

/// [`refuse_public_acl`] for a bucket being created (PutBucket with a public `x-oss-acl`):
/// only the account's settings apply.
pub(crate) async fn refuse_public_acl_of_account(
    state: &AppState,
    ctx: &Ctx,
    public: bool,
) -> Result<(), OssError> {
    if public && account(state, ctx).await?.block_public_acls {
        return Err(blocked("public ACLs"));
    }
    Ok(())
}

/// Refuses setting a public ACL on `bucket` or one of its objects under `BlockPublicAcls`:
/// 403 `AccessDenied` (S3: ceph/s3-tests `test_block_public_put_bucket_acls`,
/// `test_block_public_object_canned_acls`; OSS API reference, PutBucketPublicAccessBlock:
/// "you cannot configure public access permissions"). `public` says whether the ACL the
/// request sets is public.
pub(crate) async fn refuse_public_acl(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
    public: bool,
) -> Result<(), OssError> {
    if !public {
        return Ok(());
    }
    let block = in_force(state, ctx, bucket).await?;
    if block.block_public_acls {
        return Err(blocked("public ACLs"));
    }
    Ok(())
}

/// Refuses storing a public bucket policy under `BlockPublicPolicy`: 403 `AccessDenied`
/// (ceph/s3-tests `test_block_public_policy`; a policy naming fixed principals is stored,
/// `test_block_public_policy_with_principal`).
pub(crate) async fn refuse_public_policy(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
    policy: &BucketPolicyDocument,
) -> Result<(), OssError> {
    let block = in_force(state, ctx, bucket).await?;
    if block.refuses_policy(policy) {
        return Err(blocked("public bucket policies"));
    }
    Ok(())
}

/// Whether the ACL the request sets in `header` (`x-oss-acl`, `x-oss-object-acl`, which an S3
/// request's `x-amz-acl` / `x-amz-grant-*` were translated into) is public: `public-read` or
/// `public-read-write`, or S3's `authenticated-read` ([`s3_authenticated_read`]).
pub(crate) fn header_acl_is_public(ctx: &Ctx, header: &str) -> bool {
    let public = ctx
        .header(header)
        .map(str::trim)
        .is_some_and(|v| matches!(v, "public-read" | "public-read-write"));
    public || s3_authenticated_read(ctx)
}

/// Whether an S3 request's headers grant any authenticated AWS account (`x-amz-acl:
/// authenticated-read`, or an `x-amz-grant-*` naming the AuthenticatedUsers group): public
/// in S3's sense (S3 user guide, "The meaning of public"), though ossd stores it as `private`
/// (docs/s3.md#acls).
pub(crate) fn s3_authenticated_read(ctx: &Ctx) -> bool {
    ctx.dialect == Dialect::S3
        && ctx.wire_headers.as_deref().is_some_and(|headers| {
            headers.iter().any(|(k, v)| {
                (k.eq_ignore_ascii_case("x-amz-acl") && v.trim() == "authenticated-read")
                    || (k.to_ascii_lowercase().starts_with("x-amz-grant-")
                        && v.contains("AuthenticatedUsers"))
            })
        })
}

/// The refusal of a public permission while Block Public Access is on.
fn blocked(what: &str) -> OssError {
    OssError::access_denied(format!("Block Public Access is on: {what} cannot be set."))
}
