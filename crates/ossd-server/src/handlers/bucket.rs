//! PutBucket, DeleteBucket, GetBucketInfo, GetBucketLocation and the bucket ACL.

use ossd_meta::BucketRecord;
use ossd_proto::error::OssError;
use ossd_proto::xml::{
    AccessControlPolicy, BucketInfo, CreateBucketConfiguration, DataRedundancyType,
    LocationConstraint, MAX_CONFIG_BODY_BYTES, Owner,
};
use ossd_types::{BucketAcl, StorageClass, VersioningState};

use crate::AppState;
use crate::handlers::read_checked_body;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::pipeline::public_endpoint;
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, ok, set, status, xml};

fn bucket_acl(ctx: &Ctx) -> Result<Option<BucketAcl>, OssError> {
    ctx.header("x-oss-acl")
        .map(|v| {
            BucketAcl::parse(v.trim())
                .map_err(|_| OssError::invalid_argument("no such bucket access control exists"))
        })
        .transpose()
}

/// `PUT /` for a bucket that does not exist yet.
pub(super) async fn put_bucket(
    state: &AppState,
    ctx: &Ctx,
    body: RequestBody,
) -> Result<Resp, OssError> {
    if ctx.dialect == ossd_proto::dialect::Dialect::S3
        && ossd_types::BucketName::is_s3_reserved(ctx.bucket())
    {
        return Err(OssError::invalid_bucket_name(ctx.bucket()));
    }
    let acl = bucket_acl(ctx)?.unwrap_or(BucketAcl::Private);
    let ownership = super::ownership_config::requested(ctx, acl)?;
    let configs = super::new_bucket::configs(
        state.config.bucket_defaults,
        super::new_bucket::Request {
            dialect: ctx.dialect,
            acl,
            public_acl: super::public_access_block::header_acl_is_public(ctx, "x-oss-acl"),
            ownership,
        },
    )?;
    let raw = read_checked_body(ctx, body, MAX_CONFIG_BODY_BYTES).await?;
    let cfg = if raw.iter().all(u8::is_ascii_whitespace) {
        CreateBucketConfiguration::default()
    } else {
        CreateBucketConfiguration::parse(&raw)?
    };
    let record = BucketRecord {
        name: ctx.bucket().to_owned(),
        owner: state.config.account_id.clone(),
        created_ms: ctx.now_ms(),
        acl,
        storage_class: cfg.storage_class.unwrap_or(StorageClass::Standard),
        region: state.config.region.clone(),
        versioning: VersioningState::Disabled,
    };
    // A name taken meanwhile by another request is ours too (one owner here): 200, as OSS. The
    // bucket's initial settings are written with it, in one step (`Buckets::create_with`).
    state
        .store
        .buckets()
        .create_with(record, configs)
        .await
        .map_err(|e| store_error(e, ctx))?;
    Ok(created(ctx))
}

/// `PUT /` for a bucket that exists: the owner gets 200 (ACL header applied), as OSS does.
pub(super) async fn put_bucket_existing(
    ctx: &Ctx,
    b: &BucketRecord,
    body: RequestBody,
) -> Result<Resp, OssError> {
    read_checked_body(ctx, body, MAX_CONFIG_BODY_BYTES).await?;
    if ctx.dialect == ossd_proto::dialect::Dialect::S3
        && bucket_acl(ctx)?.unwrap_or(BucketAcl::Private) != b.acl
    {
        // S3 (us-east-1) answers a CreateBucket of a bucket you own with 200 only when it would
        // create the same bucket; one with another ACL is refused (docs/s3.md#known-differences).
        return Err(OssError::with_message(
            ossd_proto::error::OssCode::BucketAlreadyExists,
            "The requested bucket name is not available.",
        )
        .with_extra("BucketName", ctx.bucket()));
    }
    Ok(created(ctx))
}

/// The PutBucket (and PutBucketAcl) reply: 200 with `Location: /<bucket>`, as OSS answers;
/// ali-oss's `putBucket()` and `putBucketACL()` return the bucket name taken from it (`null`
/// without it, which fails the before-hooks of its own bucket and multiversion suites).
fn created(ctx: &Ctx) -> Resp {
    let mut resp = ok();
    set(&mut resp, "location", format!("/{}", ctx.bucket()));
    resp
}

/// `DELETE /`.
pub(super) async fn delete_bucket(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    if ctx.dialect == ossd_proto::dialect::Dialect::S3 {
        // S3 deletes a bucket whose only content is uploads in progress; OSS refuses
        // (docs/s3.md#known-differences).
        state
            .store
            .abort_all_uploads(ctx.bucket())
            .await
            .map_err(|e| store_error(e, ctx))?;
    }
    state
        .store
        .buckets()
        .delete(ctx.bucket())
        .await
        .map_err(|e| store_error(e, ctx))?;
    Ok(status(http::StatusCode::NO_CONTENT))
}

/// `GET /?bucketInfo`.
pub(super) async fn get_bucket_info(
    state: &AppState,
    ctx: &Ctx,
    b: &BucketRecord,
) -> Result<Resp, OssError> {
    let block = super::public_access_block::in_force(state, ctx, b).await?;
    let endpoint = public_endpoint::reported(&state.config, ctx);
    let info = BucketInfo {
        name: b.name.clone(),
        creation_date_ms: b.created_ms,
        location: format!("oss-{}", b.region),
        extranet_endpoint: endpoint.clone(),
        intranet_endpoint: endpoint,
        storage_class: b.storage_class,
        data_redundancy_type: DataRedundancyType::Lrs,
        resource_group_id: "rg-default".to_owned(),
        owner: Owner::new(state.config.account_id.clone()),
        acl: b.acl,
        comment: String::new(),
        versioning: b.versioning,
        block_public_access: block.blocks_all(),
    };
    Ok(xml(info.to_xml()))
}

/// `GET /?location`.
pub(super) fn get_bucket_location(b: &BucketRecord) -> Result<Resp, OssError> {
    Ok(xml(LocationConstraint {
        location: format!("oss-{}", b.region),
    }
    .to_xml()))
}

/// `PUT /?acl`; answers with `Location: /<bucket>` like PutBucket (ali-oss's `putBucketACL()`
/// reads the bucket name from it, and its test expects the name).
pub(super) async fn put_bucket_acl(
    state: &AppState,
    ctx: &Ctx,
    b: BucketRecord,
    body: RequestBody,
) -> Result<Resp, OssError> {
    let acl = match bucket_acl(ctx)? {
        Some(acl) => Some(acl),
        None => super::s3_acl_from_body(ctx, body, &state.config.account_id)
            .await?
            .and_then(|c| BucketAcl::parse(c).ok()),
    };
    let acl = acl.ok_or_else(|| OssError::missing_argument("Missing x-oss-acl header."))?;
    let public =
        acl != BucketAcl::Private || super::public_access_block::s3_authenticated_read(ctx);
    super::public_access_block::refuse_public_acl(state, ctx, &b, public).await?;
    state
        .store
        .buckets()
        .set_acl(&b.name, acl)
        .await
        .map_err(|e| store_error(e, ctx))?;
    Ok(created(ctx))
}

/// `GET /?acl`.
pub(super) fn get_bucket_acl(state: &AppState, b: &BucketRecord) -> Result<Resp, OssError> {
    let owner = Owner::new(state.config.account_id.clone());
    Ok(xml(AccessControlPolicy::bucket(owner, b.acl).to_xml()))
}
