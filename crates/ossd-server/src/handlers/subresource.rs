//! Object sub-resources that only change metadata: ACL and tagging.

use ossd_meta::{BucketRecord, ObjectRecord};
use ossd_proto::dialect::Dialect;
use ossd_proto::error::OssError;
use ossd_proto::xml::{
    AccessControlPolicy, MAX_TAGGING_BODY_BYTES, Owner, Tag, Tagging, check_oss_tag_characters,
};
use ossd_types::ObjectAcl;

use crate::AppState;
use crate::handlers::put::version_header;
use crate::handlers::read_checked_body;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::pipeline::headers::object_acl;
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, ok, xml};

async fn current(state: &AppState, ctx: &Ctx) -> Result<ObjectRecord, OssError> {
    state
        .store
        .head_object(ctx.bucket(), ctx.key(), ctx.version_id())
        .await
        .map_err(|e| store_error(e, ctx))
}

async fn save(state: &AppState, ctx: &Ctx, rec: ObjectRecord) -> Result<Resp, OssError> {
    let mut resp = ok();
    version_header(&mut resp, ctx, &rec);
    state
        .store
        .update_record(rec)
        .await
        .map_err(|e| store_error(e, ctx))?;
    Ok(resp)
}

/// `PUT /<key>?acl`.
pub(super) async fn put_object_acl(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
    body: RequestBody,
) -> Result<Resp, OssError> {
    let acl = match object_acl(ctx)? {
        Some(acl) => Some(acl),
        None => super::s3_acl_from_body(ctx, body, &state.config.account_id)
            .await?
            .and_then(|c| ossd_types::ObjectAcl::parse(c).ok()),
    };
    let acl = acl.ok_or_else(|| OssError::missing_argument("Missing x-oss-object-acl header."))?;
    let public = matches!(acl, ObjectAcl::PublicRead | ObjectAcl::PublicReadWrite)
        || super::public_access_block::s3_authenticated_read(ctx);
    super::public_access_block::refuse_public_acl(state, ctx, bucket, public).await?;
    let mut rec = current(state, ctx).await?;
    rec.acl = acl;
    save(state, ctx, rec).await
}

/// `GET /<key>?acl`.
pub(super) async fn get_object_acl(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let rec = current(state, ctx).await?;
    let owner = Owner::new(state.config.account_id.clone());
    // With ACLs disabled, an ACL read shows the owner's full control only (S3 User Guide,
    // "Troubleshooting" Object Ownership), whatever ACL the object was stored with.
    let acl = if super::ownership_config::acls_disabled(state, ctx.bucket())
        .await
        .map_err(|e| store_error(e, ctx))?
    {
        ObjectAcl::Private
    } else {
        rec.acl
    };
    let mut resp = xml(AccessControlPolicy::object(owner, acl).to_xml());
    version_header(&mut resp, ctx, &rec);
    Ok(resp)
}

/// `PUT /<key>?tagging`.
pub(super) async fn put_tagging(
    state: &AppState,
    ctx: &Ctx,
    body: RequestBody,
) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, MAX_TAGGING_BODY_BYTES).await?;
    let tagging = Tagging::parse(&raw)?;
    if ctx.dialect == Dialect::Oss {
        check_oss_tag_characters(
            tagging
                .tags
                .iter()
                .map(|t| (t.key.as_str(), t.value.as_str())),
        )?;
    }
    let mut rec = current(state, ctx).await?;
    let tags: Vec<(String, String)> = tagging.tags.into_iter().map(|t| (t.key, t.value)).collect();
    crate::pipeline::auth::authorize_tag_write(state, ctx, &rec, &tags).await?;
    rec.tags = tags;
    save(state, ctx, rec).await
}

/// `GET /<key>?tagging`.
pub(super) async fn get_tagging(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let rec = current(state, ctx).await?;
    let mut tags: Vec<Tag> = rec
        .tags
        .iter()
        .map(|(k, v)| Tag {
            key: k.clone(),
            value: v.clone(),
        })
        .collect();
    // S3 lists an object's tags by key (s3-tests' test_put_obj_with_tags sends
    // `foo=bar&bar` and reads back `bar`, then `foo`; docs/s3.md#tagging); OSS keeps their order.
    if ctx.dialect == Dialect::S3 {
        tags.sort_by(|a, b| a.key.cmp(&b.key));
    }
    let mut resp = xml(Tagging { tags }.to_xml());
    version_header(&mut resp, ctx, &rec);
    Ok(resp)
}

/// `DELETE /<key>?tagging`.
pub(super) async fn delete_tagging(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let mut rec = current(state, ctx).await?;
    rec.tags.clear();
    let mut resp = save(state, ctx, rec).await?;
    *resp.status_mut() = http::StatusCode::NO_CONTENT;
    Ok(resp)
}
