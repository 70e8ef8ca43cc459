//! CopyObject: `PUT /<key>` with `x-oss-copy-source: /<bucket>/<key>[?versionId=...]`.

use ossd_proto::dialect::Dialect;
use ossd_proto::error::OssError;
use ossd_proto::headers as wire;
use ossd_proto::xml::CopyObjectResult;
use ossd_store::WriteSpec;
use ossd_types::ETag;

use crate::AppState;
use crate::handlers::copy_source::{Source, load_source, source_conditions};
use crate::handlers::put::version_header;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::pipeline::headers::{
    etag_condition, object_acl, storage_class, stored_headers, tagging_header, user_meta,
};
use crate::transport::response::{Resp, set, xml};

/// `PUT /<key>` with `x-oss-copy-source`.
pub(super) async fn copy_object(
    state: &AppState,
    ctx: &Ctx,
    dest: &ossd_meta::BucketRecord,
) -> Result<Resp, OssError> {
    let source = load_source(state, ctx).await?;
    if let Some(not_modified) = source_conditions(ctx, &source)? {
        return Ok(not_modified);
    }
    if ctx.dialect == Dialect::S3 {
        let same = source.src.bucket == ctx.bucket() && source.src.key == ctx.key();
        let version = source.src.version_id.as_deref();
        ossd_proto::s3::copy_onto_itself(same, version, |h| ctx.header(h))?;
    }
    let spec = copy_spec(ctx, dest, &source.body.data, &source.src)?;
    let record = state
        .store
        .copy_object(&source.body.data, spec, ctx.now_ms())
        .await
        .map_err(|e| store_error(e, ctx))?;
    let mut resp = xml(CopyObjectResult {
        etag: ETag::from_inner(record.etag.clone()),
        last_modified_ms: record.last_modified_ms,
    }
    .to_xml());
    set(&mut resp, "etag", ossd_types::quote_etag(&record.etag));
    set(&mut resp, "x-oss-hash-crc64ecma", record.crc64.to_string());
    version_header(&mut resp, ctx, &record);
    source.version_header(&mut resp);
    Ok(resp)
}

/// The new object's attributes: copied from the source (`x-oss-metadata-directive: COPY`, the
/// default) or taken from this request (`REPLACE`, and any copy onto itself, which is how clients
/// change metadata: OSS applies the request's metadata then whatever the directive says).
fn copy_spec(
    ctx: &Ctx,
    dest: &ossd_meta::BucketRecord,
    source: &ossd_meta::ObjectRecord,
    src: &Source,
) -> Result<WriteSpec, OssError> {
    let onto_itself = src.bucket == ctx.bucket() && src.key == ctx.key();
    let replace =
        wire::replace_directive(ctx.header("x-oss-metadata-directive"), "metadata")? || onto_itself;
    let tags = if wire::replace_directive(ctx.header("x-oss-tagging-directive"), "tagging")? {
        tagging_header(ctx)?
    } else {
        source.tags.clone()
    };
    if ctx.dialect == Dialect::Oss {
        wire::server_side_encryption(ctx.header("x-oss-server-side-encryption"))?;
    }
    Ok(WriteSpec {
        bucket: ctx.bucket().to_owned(),
        key: ctx.key().to_owned(),
        headers: if replace {
            replaced_headers(stored_headers(ctx), &source.headers)
        } else {
            source.headers.clone()
        },
        user_meta: if replace {
            replaced_user_meta(user_meta(ctx)?, &source.user_meta)
        } else {
            source.user_meta.clone()
        },
        tags,
        acl: object_acl(ctx)?.unwrap_or(ossd_types::ObjectAcl::Default),
        storage_class: storage_class(ctx)?.unwrap_or(dest.storage_class),
        content_md5: None,
        forbid_overwrite: ctx
            .header("x-oss-forbid-overwrite")
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        etag_condition: etag_condition(ctx),
        content_length: None,
        checksum: Default::default(),
    })
}

/// `REPLACE` content headers for a copy: the request's, and the source's `Content-Type` when the
/// request names none (OSS keeps it: the v2 SDK's `Copier` suite copies with `REPLACE` and no type
/// and expects the source's; the other content headers are dropped).
fn replaced_headers(
    mut requested: Vec<(String, String)>,
    source: &[(String, String)],
) -> Vec<(String, String)> {
    let is_type = |k: &str| k == "content-type";
    if !requested.iter().any(|(k, _)| is_type(k)) {
        requested.extend(source.iter().filter(|(k, _)| is_type(k)).cloned());
    }
    requested
}

/// The user metadata prefix the OSS SDKs' client-side encryption writes its envelope under
/// (`x-oss-meta-client-side-encryption-key`, `-start`, `-cek-alg`, ...).
const CLIENT_SIDE_ENCRYPTION_META: &str = "client-side-encryption-";

/// `REPLACE` metadata for a copy: the request's, except that the client-side encryption entries of
/// an encrypted source are kept (the copied bytes stay encrypted under that key). OSS protects
/// them: "the object metadata related to client-side encryption is protected and cannot be
/// modified by initiating a CopyObject request" (OSS error reference, EC 0005-00000421).
fn replaced_user_meta(
    requested: Vec<(String, String)>,
    source: &[(String, String)],
) -> Vec<(String, String)> {
    let is_cse = |k: &str| k.starts_with(CLIENT_SIDE_ENCRYPTION_META);
    if !source.iter().any(|(k, _)| is_cse(k)) {
        return requested;
    }
    let kept = source.iter().filter(|(k, _)| is_cse(k)).cloned();
    let others = requested.into_iter().filter(|(k, _)| !is_cse(k));
    kept.chain(others).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn replace_keeps_the_source_type_unless_given() {
        let source = meta(&[
            ("content-type", "text/plain"),
            ("cache-control", "no-cache"),
        ]);
        assert_eq!(
            replaced_headers(Vec::new(), &source),
            meta(&[("content-type", "text/plain")])
        );
        let requested = meta(&[("content-type", "image/png")]);
        assert_eq!(replaced_headers(requested.clone(), &source), requested);
    }

    #[test]
    fn replace_keeps_the_client_side_encryption_envelope() {
        let source = meta(&[("client-side-encryption-key", "K"), ("flag", "false")]);
        let requested = meta(&[("flag", "true"), ("client-side-encryption-key", "X")]);
        assert_eq!(
            replaced_user_meta(requested, &source),
            meta(&[("client-side-encryption-key", "K"), ("flag", "true")])
        );
    }

    #[test]
    fn replace_of_a_plain_source_takes_the_request() {
        let requested = meta(&[("client-side-encryption-key", "X"), ("a", "1")]);
        assert_eq!(
            replaced_user_meta(requested.clone(), &meta(&[("b", "2")])),
            requested
        );
    }
}
