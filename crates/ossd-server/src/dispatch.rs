//! The request pipeline: parse → authenticate → load the bucket → authorize → run the operation
//! → add the common headers → log one access line.

use std::{convert::Infallible, net::SocketAddr, sync::Arc, time::Instant};

use http::{Method, Request, header, request::Parts};
use hyper::body::Incoming;
use ossd_meta::BucketRecord;
use ossd_proto::error::OssError;
use ossd_proto::op::{ClassifyError, Operation, classify};
use ossd_proto::request::{parse_query, resolve_target};
use ossd_types::{BucketName, ObjectKey};
use time::OffsetDateTime;

use crate::auth::{Principal, Resource, authenticate, authorize};
use crate::ctx::Ctx;
use crate::response::{Resp, error, finish, new_request_id};
use crate::{AppState, errors::meta_error, handlers};

/// Handles one HTTP request; never fails (errors become OSS error documents).
pub async fn handle(
    state: Arc<AppState>,
    req: Request<Incoming>,
    remote: SocketAddr,
    secure: bool,
) -> Result<Resp, Infallible> {
    let started = Instant::now();
    let request_id = new_request_id();
    let now = state.clock.now();
    let (parts, body) = req.into_parts();
    let is_head = parts.method == Method::HEAD;
    let host = host_of(&parts);
    let (mut resp, op, principal) = match parse(&state, &parts, &request_id, now, &host) {
        Ok(ctx) => {
            let (op, label) = (ctx.op, ctx.principal.label());
            let resp = run(&state, ctx, body).await;
            (resp, Some(op), label)
        }
        Err(e) => (error(&e, &request_id, &host, is_head), None, String::new()),
    };
    finish(&mut resp, &request_id, now);
    tracing::info!(
        target: "ossd::access",
        request_id = %request_id,
        method = %parts.method,
        op = op.map(Operation::name).unwrap_or("-"),
        status = resp.status().as_u16(),
        principal = %principal,
        remote = %remote,
        secure,
        micros = started.elapsed().as_micros() as u64,
    );
    Ok(resp)
}

fn host_of(parts: &Parts) -> String {
    parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|a| a.to_string()))
        .unwrap_or_default()
}

/// Everything up to authentication: addressing, names, operation, signature.
fn parse(
    state: &AppState,
    parts: &Parts,
    request_id: &str,
    now: OffsetDateTime,
    host: &str,
) -> Result<Ctx, OssError> {
    let target = resolve_target(Some(host), parts.uri.path(), &state.config.domains)
        .map_err(|_| OssError::invalid_uri())?;
    let query =
        parse_query(parts.uri.query().unwrap_or_default()).map_err(|_| OssError::invalid_uri())?;
    let headers = collect_headers(&parts.headers);
    if let Some(b) = &target.bucket {
        BucketName::new(b).map_err(|_| OssError::invalid_bucket_name(b))?;
    }
    if let Some(k) = &target.key {
        ObjectKey::new(k).map_err(|_| OssError::invalid_object_name())?;
    }
    let has_copy = headers.iter().any(|(k, _)| k == "x-oss-copy-source");
    let op = classify(
        parts.method.as_str(),
        target.bucket.is_some(),
        target.key.is_some(),
        &query,
        has_copy,
    )
    .map_err(|e| match e {
        ClassifyError::NotImplemented(what) => OssError::not_implemented(what),
        _ => OssError::method_not_allowed(),
    })?;
    let mut ctx = Ctx {
        request_id: request_id.to_owned(),
        method: parts.method.as_str().to_owned(),
        host: host.to_owned(),
        target,
        query,
        headers,
        op,
        now,
        principal: Principal::Anonymous,
    };
    if op != Operation::Options {
        ctx.principal = authenticate(&state.credentials, &ctx.signing_view(), now)?;
    }
    Ok(ctx)
}

/// Lowercase names; repeated headers joined with `,`; values as UTF-8 (or Latin-1 when not).
fn collect_headers(map: &http::HeaderMap) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(map.len());
    for (name, value) in map {
        let v = match std::str::from_utf8(value.as_bytes()) {
            Ok(s) => s.trim().to_owned(),
            Err(_) => value.as_bytes().iter().map(|&b| b as char).collect(),
        };
        match out.iter_mut().find(|(k, _)| k == name.as_str()) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(&v);
            }
            None => out.push((name.as_str().to_owned(), v)),
        }
    }
    out
}

/// Loads the bucket, authorizes, and runs the operation.
async fn run(state: &AppState, ctx: Ctx, body: Incoming) -> Resp {
    let is_head = ctx.method == "HEAD";
    match authorized(state, &ctx).await {
        Ok(bucket) => match handlers::run(state, &ctx, bucket, body).await {
            Ok(resp) => resp,
            Err(e) => error(&e, &ctx.request_id, &ctx.host, is_head),
        },
        Err(e) => error(&e, &ctx.request_id, &ctx.host, is_head),
    }
}

async fn authorized(state: &AppState, ctx: &Ctx) -> Result<Option<BucketRecord>, OssError> {
    let Some(name) = ctx.target.bucket.as_deref() else {
        authorize(
            &ctx.principal,
            ctx.op,
            Resource {
                bucket: None,
                object_acl: None,
            },
        )?;
        return Ok(None);
    };
    let bucket = state
        .store
        .meta()
        .get_bucket(name)
        .await
        .map_err(|e| meta_error(e, ctx))?;
    let needs_bucket = !matches!(ctx.op, Operation::PutBucket | Operation::Options);
    if needs_bucket && bucket.is_none() {
        return Err(OssError::no_such_bucket(name));
    }
    let object_acl = match (&ctx.principal, ctx.target.key.as_deref()) {
        (Principal::Anonymous, Some(key)) => state
            .store
            .meta()
            .get_object(name, key, ctx.version_id())
            .await
            .map_err(|e| meta_error(e, ctx))?
            .filter(|r| !r.delete_marker)
            .map(|r| r.acl),
        _ => None,
    };
    authorize(
        &ctx.principal,
        ctx.op,
        Resource {
            bucket: bucket.as_ref(),
            object_acl,
        },
    )?;
    Ok(bucket)
}
