//! One handler per OSS operation, grouped by family: service, bucket, listing, object writes,
//! object reads, copy, deletes, ACL/tagging/symlink sub-resources, versioning, multipart, and the
//! bucket configurations (policy, lifecycle, CORS, Referer, image styles, S3 ownership controls).

mod attributes;
mod bucket;
pub(crate) mod bucket_policy;
mod bucket_stat;
mod bucket_tags;
mod checksum;
mod complete;
mod copy;
mod copy_source;
pub(crate) mod cors_config;
mod delete;
mod get;
mod image_process;
mod lifecycle_config;
mod list;
mod multipart;
mod multipart_list;
pub(crate) mod new_bucket;
pub(crate) mod ownership_config;
pub(crate) mod public_access_block;
mod put;
pub(crate) mod referer_config;
mod restore;
mod saveas;
mod service;
pub(crate) mod style_config;
mod subresource;
mod versioning;

use md5::{Digest, Md5};
use ossd_meta::BucketRecord;
use ossd_proto::error::OssError;
use ossd_proto::op::Operation;
use ossd_types::BucketConfig;

use crate::AppState;
use crate::pipeline::ctx::Ctx;
use crate::transport::body::{ReadError, RequestBody, read_limited};
use crate::transport::response::{Resp, status};

pub(crate) use checksum::form_stream;
pub(crate) use image_process::early_plan;
pub(crate) use put::written;

/// The canned ACL of an S3 PutBucketAcl/PutObjectAcl that gives its grants in an
/// `AccessControlPolicy` document instead of a header (docs/s3.md#acls); `None` for OSS
/// requests and empty bodies. A grant to an account other than `owner_id` (the only one) or
/// to an e-mail address is refused, as S3 refuses grantees it cannot resolve.
pub(crate) async fn s3_acl_from_body(
    ctx: &Ctx,
    body: RequestBody,
    owner_id: &str,
) -> Result<Option<&'static str>, OssError> {
    if ctx.dialect != ossd_proto::dialect::Dialect::S3 {
        return Ok(None);
    }
    let raw = read_checked_body(ctx, body, ossd_proto::xml::MAX_CONFIG_BODY_BYTES).await?;
    if raw.is_empty() {
        return Ok(None);
    }
    ossd_proto::s3::check_acl_document(&raw)?;
    let text = std::str::from_utf8(&raw).map_err(|_| OssError::malformed_xml())?;
    ossd_proto::s3::check_grantees(text, owner_id)?;
    Ok(Some(ossd_proto::s3::canned_from_grants(text)))
}

/// Reads a whole request body (a configuration or request document) of at most `limit` bytes and
/// checks it against `Content-MD5` when the request carries one. Every handler that reads a body
/// whole goes through here, so a malformed or mismatching digest is 400 `InvalidDigest` with the
/// same code and message as PutObject's, and nothing is applied. The header is checked before the
/// body is read.
pub(crate) async fn read_checked_body(
    ctx: &Ctx,
    body: RequestBody,
    limit: usize,
) -> Result<Vec<u8>, OssError> {
    let expected = crate::pipeline::headers::content_md5(ctx)?;
    let raw = read_body(body, limit).await?;
    if let Some(expected) = expected {
        let actual: [u8; 16] = Md5::digest(&raw).into();
        if actual != expected {
            return Err(OssError::invalid_digest());
        }
    }
    Ok(raw)
}

/// Replaces the bucket's configuration `C` with the request's document: the body read whole (at
/// most `limit` bytes, Content-MD5 checked) and parsed by `parse` — one path for every
/// `PUT /?<configuration>` whose document replaces the stored one.
pub(crate) async fn put_config<C: BucketConfig>(
    state: &AppState,
    ctx: &Ctx,
    body: RequestBody,
    limit: usize,
    parse: fn(&[u8]) -> Result<C, OssError>,
) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, limit).await?;
    let config = parse(&raw)?;
    state
        .store
        .bucket_configs()
        .put(ctx.bucket(), &config)
        .await
        .map_err(|e| crate::pipeline::errors::store_error(e, ctx))?;
    Ok(crate::transport::response::ok())
}

/// `DELETE /?<configuration>`: removes the bucket's configuration `C`; 204 whether or not one
/// was set.
pub(crate) async fn delete_config<C: BucketConfig>(
    state: &AppState,
    ctx: &Ctx,
) -> Result<Resp, OssError> {
    state
        .store
        .bucket_configs()
        .delete::<C>(ctx.bucket())
        .await
        .map_err(|e| crate::pipeline::errors::store_error(e, ctx))?;
    Ok(status(http::StatusCode::NO_CONTENT))
}

/// Reads a whole request body of at most `limit` bytes (the body part of [`read_checked_body`]).
async fn read_body(body: RequestBody, limit: usize) -> Result<Vec<u8>, OssError> {
    read_limited(body, limit).await.map_err(|e| match e {
        ReadError::TooLarge => OssError::entity_too_large(),
        ReadError::Io(e) => crate::pipeline::errors::body_error(&e),
    })
}

/// Runs `ctx.op` on the request `body` (an OSS request's as received, or an S3 body decoded and
/// checked). `bucket` is the addressed bucket (present for every operation but ListBuckets
/// and PutBucket, which the dispatcher guarantees).
///
/// Each operation's future is boxed where it is made: this future then holds a pointer instead
/// of the largest handler's state, and a request copies only its own handler's future into
/// the heap, not the kilobytes of the largest one (docs/performance.md, "GET/HEAD: moves,
/// clocks and the access line").
pub(crate) async fn run(
    state: &AppState,
    ctx: &Ctx,
    bucket: Option<BucketRecord>,
    body: impl Into<RequestBody>,
) -> Result<Resp, OssError> {
    use Operation::*;
    let body = body.into();
    let Some(b) = bucket else {
        return match ctx.op {
            ListBuckets => Box::pin(service::list_buckets(state, ctx)).await,
            PutBucket => {
                let public = public_access_block::header_acl_is_public(ctx, "x-oss-acl");
                Box::pin(public_access_block::refuse_public_acl_of_account(
                    state, ctx, public,
                ))
                .await?;
                Box::pin(bucket::put_bucket(state, ctx, body)).await
            }
            PutPublicAccessBlock => {
                Box::pin(public_access_block::put_account(state, ctx, body)).await
            }
            GetPublicAccessBlock => Box::pin(public_access_block::get_account(state, ctx)).await,
            DeletePublicAccessBlock => {
                Box::pin(public_access_block::delete_account(state, ctx)).await
            }
            _ => Ok(status(http::StatusCode::OK)),
        };
    };
    // ACLs disabled first: S3 answers a public ACL on a new bucket (Block Public Access on,
    // `BucketOwnerEnforced`) with `AccessControlListNotSupported` (S3 User Guide,
    // "Troubleshooting" Object Ownership).
    ownership_config::refuse_acl(state, ctx, &b).await?;
    if matches!(
        ctx.op,
        PutObject
            | AppendObject
            | PutSymlink
            | CopyObject
            | InitiateMultipartUpload
            | CompleteMultipartUpload
    ) {
        let public = public_access_block::header_acl_is_public(ctx, "x-oss-object-acl");
        Box::pin(public_access_block::refuse_public_acl(
            state, ctx, &b, public,
        ))
        .await?;
    }
    match ctx.op {
        PutBucket => Box::pin(bucket::put_bucket_existing(ctx, &b, body)).await,
        DeleteBucket => Box::pin(bucket::delete_bucket(state, ctx)).await,
        HeadBucket => Ok(status(http::StatusCode::OK)),
        GetBucketInfo => Box::pin(bucket::get_bucket_info(state, ctx, &b)).await,
        GetBucketLocation => bucket::get_bucket_location(&b),
        GetBucketStat => Box::pin(bucket_stat::get_bucket_stat(state, ctx)).await,
        PutBucketAcl => Box::pin(bucket::put_bucket_acl(state, ctx, b, body)).await,
        GetBucketAcl => bucket::get_bucket_acl(state, &b),
        ListObjects | ListObjectsV2 => Box::pin(list::list_objects(state, ctx)).await,
        DeleteMultipleObjects => Box::pin(delete::delete_multiple(state, ctx, body)).await,
        PutObject => Box::pin(put::put_object(state, ctx, &b, body)).await,
        AppendObject => Box::pin(put::append_object(state, ctx, &b, body)).await,
        PutSymlink => Box::pin(put::put_symlink(state, ctx, &b)).await,
        CopyObject => Box::pin(copy::copy_object(state, ctx, &b)).await,
        GetObject => Box::pin(get::get_object(state, ctx)).await,
        HeadObject => Box::pin(get::head_object(state, ctx)).await,
        GetObjectMeta => Box::pin(get::get_object_meta(state, ctx)).await,
        GetObjectAttributes => Box::pin(attributes::get_object_attributes(state, ctx)).await,
        GetSymlink => Box::pin(get::get_symlink(state, ctx)).await,
        DeleteObject => Box::pin(delete::delete_object(state, ctx)).await,
        PutObjectAcl => Box::pin(subresource::put_object_acl(state, ctx, &b, body)).await,
        GetObjectAcl => Box::pin(subresource::get_object_acl(state, ctx)).await,
        PutObjectTagging => Box::pin(subresource::put_tagging(state, ctx, body)).await,
        GetObjectTagging => Box::pin(subresource::get_tagging(state, ctx)).await,
        DeleteObjectTagging => Box::pin(subresource::delete_tagging(state, ctx)).await,
        RestoreObject => Box::pin(restore::restore_object(state, ctx, body)).await,
        PutBucketPolicy => Box::pin(bucket_policy::put(state, ctx, &b, body)).await,
        GetBucketPolicy => Box::pin(bucket_policy::get(state, ctx)).await,
        DeleteBucketPolicy => Box::pin(bucket_policy::delete(state, ctx)).await,
        GetBucketPolicyStatus => Box::pin(bucket_policy::status(state, ctx, &b)).await,
        PutBucketPublicAccessBlock => Box::pin(public_access_block::put(state, ctx, body)).await,
        GetBucketPublicAccessBlock => Box::pin(public_access_block::get(state, ctx)).await,
        DeleteBucketPublicAccessBlock => Box::pin(public_access_block::delete(state, ctx)).await,
        PutBucketOwnershipControls => Box::pin(ownership_config::put(state, ctx, &b, body)).await,
        GetBucketOwnershipControls => Box::pin(ownership_config::get(state, ctx)).await,
        DeleteBucketOwnershipControls => Box::pin(ownership_config::delete(state, ctx)).await,
        PutBucketLifecycle => Box::pin(lifecycle_config::put(state, ctx, body)).await,
        GetBucketLifecycle => Box::pin(lifecycle_config::get(state, ctx)).await,
        DeleteBucketLifecycle => Box::pin(lifecycle_config::delete(state, ctx)).await,
        PutBucketCors => Box::pin(cors_config::put(state, ctx, body)).await,
        GetBucketCors => Box::pin(cors_config::get(state, ctx)).await,
        DeleteBucketCors => Box::pin(cors_config::delete(state, ctx)).await,
        PutBucketReferer => Box::pin(referer_config::put(state, ctx, body)).await,
        GetBucketReferer => Box::pin(referer_config::get(state, ctx)).await,
        PutBucketTags => Box::pin(bucket_tags::put(state, ctx, body)).await,
        GetBucketTags => Box::pin(bucket_tags::get(state, ctx)).await,
        DeleteBucketTags => Box::pin(bucket_tags::delete(state, ctx)).await,
        PutStyle => Box::pin(style_config::put(state, ctx, body)).await,
        GetStyle => Box::pin(style_config::get(state, ctx)).await,
        ListStyle => Box::pin(style_config::list(state, ctx)).await,
        DeleteStyle => Box::pin(style_config::delete(state, ctx)).await,
        PutBucketVersioning => {
            Box::pin(versioning::put_bucket_versioning(state, ctx, b, body)).await
        }
        GetBucketVersioning => versioning::get_bucket_versioning(&b),
        ListObjectVersions => Box::pin(versioning::list_object_versions(state, ctx)).await,
        InitiateMultipartUpload => Box::pin(multipart::initiate(state, ctx, &b)).await,
        UploadPart => Box::pin(multipart::upload_part(state, ctx, body)).await,
        UploadPartCopy => Box::pin(multipart::upload_part_copy(state, ctx)).await,
        CompleteMultipartUpload => Box::pin(complete::complete(state, ctx, body)).await,
        AbortMultipartUpload => Box::pin(multipart::abort(state, ctx)).await,
        ListParts => Box::pin(multipart_list::list_parts(state, ctx)).await,
        ListMultipartUploads => Box::pin(multipart_list::list_uploads(state, ctx)).await,
        ImgSaveAs => Box::pin(saveas::save_as(state, ctx, body)).await,
        Options => Box::pin(cors_config::preflight(state, ctx)).await,
        ListBuckets | PutPublicAccessBlock | GetPublicAccessBlock | DeletePublicAccessBlock => {
            Ok(status(http::StatusCode::OK))
        }
    }
}
