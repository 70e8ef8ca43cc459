//! The request pipeline: parse → (PostObject, RPC calls, `/-/health`, `/-/metrics` and admin
//! endpoints branch off) → authenticate → load the bucket → authorize → run the operation → add
//! the common headers → one access line and the request metrics when the response body is sent
//! ([`crate::observability::access`]).

use std::{convert::Infallible, net::SocketAddr, sync::Arc};

use http::{Method, Request, header, request::Parts};
use hyper::body::Incoming;
use ossd_iam::Caller;
use ossd_meta::BucketRecord;
use ossd_proto::error::OssError;
use ossd_proto::op::{ClassifyError, Operation, classify};
use ossd_proto::params::Params;
use ossd_proto::request::{Target, parse_query, resolve_target};
use ossd_types::{BucketName, VersioningState};
use time::OffsetDateTime;

use crate::AppState;
use crate::console;
use crate::endpoints::post::{self, PostRequest};
use crate::endpoints::rpc::{self, RpcRequest};
use crate::endpoints::{admin, aws_sts, ops};
use crate::handlers::{self, cors_config};
use crate::observability::access::AccessRecord;
use crate::observability::metrics::{Denial, ErrorCode};
use crate::pipeline::auth::{
    Resource, authenticate_signed, authorize, authorize_creation, object_facts, verify_time,
};
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::pipeline::policy_ctx::{self, Connection};
use crate::transport::body::{BYTES_IN, settle_unread};
use crate::transport::body::{Inbound, RequestBody};
use crate::transport::response::{Resp, error, finish, new_request_id};
use crate::transport::s3_body::BodyPlan;
use crate::transport::s3_render;
use ossd_proto::dialect::Dialect;

/// Handles one HTTP request; never fails (errors become OSS or RPC error documents). Its
/// [`AccessRecord`] travels with the response body and writes the access line when the body
/// has been sent.
pub(crate) async fn handle(
    state: Arc<AppState>,
    req: Request<Incoming>,
    remote: SocketAddr,
    secure: bool,
    listener: Dialect,
) -> Result<Resp, Infallible> {
    Ok(handle_inbound(&state, req.map(Inbound::from), remote, secure, listener).await)
}

/// Handles one request built in process by the web console's caller (`console::caller`):
/// routed, authenticated, authorized, audited and logged exactly like a request from a
/// connection from `remote` (docs/console.md#no-privileges-of-its-own). Boxed: a console page
/// runs inside the dispatcher and calls it again.
pub(crate) fn handle_local(
    state: &AppState,
    req: Request<Inbound>,
    remote: SocketAddr,
    secure: bool,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Resp> + Send + '_>> {
    Box::pin(handle_inbound(state, req, remote, secure, Dialect::Oss))
}

async fn handle_inbound(
    state: &AppState,
    req: Request<Inbound>,
    remote: SocketAddr,
    secure: bool,
    listener: Dialect,
) -> Resp {
    let mut record =
        AccessRecord::start(state.metrics.clone(), remote, secure, req.method().as_str());
    let bytes_in = record.bytes_in.clone();
    // Boxed: `route`'s future is kilobytes (every handler's state), and the task-local scope
    // would move it by value (docs/performance.md, "GET/HEAD per-request costs").
    let route = Box::pin(route(state, req, remote, secure, listener, &mut record));
    let resp = BYTES_IN.scope(bytes_in, route).await;
    record.attach(resp)
}

/// Where a request goes.
enum Route {
    Console(Target),
    Post(Target),
    AwsSts,
    Rpc,
    Ops(Target, ops::Endpoint),
    Admin(Target),
    Oss(Result<Target, ossd_proto::request::TargetError>),
}

/// Routes and runs one request, filling in `record` as it learns who and what.
async fn route(
    state: &AppState,
    req: Request<Inbound>,
    remote: SocketAddr,
    secure: bool,
    listener: Dialect,
    record: &mut AccessRecord,
) -> Resp {
    let now = state.clock.now();
    let conn = Connection {
        source_ip: remote.ip(),
        secure,
    };
    let (parts, body) = req.into_parts();
    let host = host_of(&parts);
    let target = resolve_target(Some(&host), parts.uri.path(), &state.config.domains);
    if let Ok(t) = &target {
        record.bucket.clone_from(&t.bucket);
        record.key.clone_from(&t.key);
    }
    let route = match target {
        Ok(t) if state.config.console && console::is_console(&t) => Route::Console(t),
        Ok(t) if post::is_post_object(&parts, &t) => Route::Post(t),
        Ok(t) if aws_sts::is_aws_sts(&parts, &t) => Route::AwsSts,
        Ok(t) if rpc::is_rpc(&parts, &t) => Route::Rpc,
        Ok(t) => match ops::endpoint(&t) {
            Some(which) => Route::Ops(t, which),
            None if admin::is_admin(&t) => Route::Admin(t),
            None => Route::Oss(Ok(t)),
        },
        Err(e) => Route::Oss(Err(e)),
    };
    let mut dialect = match route {
        Route::Oss(_) => dialect_of(&parts, listener),
        Route::Post(_) => listener,
        _ => Dialect::Oss,
    };
    // The id lives in the record; the request borrows it (no copy per request).
    record.request_id = match route {
        Route::Rpc => uuid::Uuid::new_v4().hyphenated().to_string().to_uppercase(),
        _ => new_request_id(),
    };
    let request_id = record.request_id.as_str();
    let (mut resp, caller) = match route {
        Route::Post(t) => {
            record.op = "PostObject";
            let req = PostRequest {
                request_id,
                host: &host,
                now,
                conn,
                dialect,
            };
            let (resp, caller, form_dialect) = post::handle(state, &parts, body, t, req).await;
            dialect = form_dialect;
            (resp, caller)
        }
        Route::AwsSts => {
            record.op = "AwsSts";
            let headers = collect_headers(&parts.headers);
            let context = policy_ctx::base(conn, now, &headers);
            let req = RpcRequest {
                request_id,
                host: &host,
                context: &context,
            };
            aws_sts::handle(state, &parts, body, req).await
        }
        Route::Rpc => {
            record.op = "RPC";
            let headers = collect_headers(&parts.headers);
            let context = policy_ctx::base(conn, now, &headers);
            let req = RpcRequest {
                request_id,
                host: &host,
                context: &context,
            };
            rpc::handle(state, &parts, body, req).await
        }
        Route::Ops(t, which) => {
            record.op = which.op();
            ops::handle(state, &parts, &t, which, request_id, now).await
        }
        Route::Console(t) => {
            record.op = "Console";
            let req = console::ConsoleRequest {
                host: &host,
                remote,
                secure,
            };
            console::handle(state, &parts, body, &t, req).await
        }
        Route::Admin(t) => {
            record.op = "Admin";
            admin::handle(state, &parts, &t, request_id, now).await
        }
        Route::Oss(target) => {
            let req = OssRequest {
                request_id,
                now,
                host: &host,
                conn,
                dialect,
            };
            let (resp, op, caller) = oss(state, &parts, body, target, req).await;
            record.op = op;
            (resp, caller)
        }
    };
    record.principal = caller;
    record.image = is_image_request(record.op, &parts);
    record.denial = resp.extensions().get::<Denial>().map(|d| d.0);
    record.error_code = resp.extensions().get::<ErrorCode>().copied();
    let origin = parts
        .headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok());
    if let (Some(bucket), Some(origin)) = (&record.bucket, origin)
        && parts.method != Method::OPTIONS
    {
        let requested_method = parts
            .headers
            .get(header::ACCESS_CONTROL_REQUEST_METHOD)
            .and_then(|v| v.to_str().ok());
        let method =
            ossd_proto::cors::actual_method(parts.method.as_str(), requested_method, dialect);
        cors_config::decorate(state, bucket, origin, method, dialect, &mut resp).await;
    }
    finish(&mut resp, request_id, now);
    if dialect == Dialect::S3 {
        s3_render::render(
            &mut resp,
            request_id,
            &host,
            &parts.method,
            &state.config.account_id,
        );
    }
    resp
}

/// The dialect of a request to the object API: the signature's scheme decides, and anonymous
/// requests take the listener's (docs/s3.md#the-dialect-rule). The query is scanned without
/// decoding: the keys that mark a presigned URL are plain ASCII.
fn dialect_of(parts: &Parts, listener: Dialect) -> Dialect {
    let auth = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let raw = parts.uri.query().unwrap_or_default();
    let keys: Vec<ossd_sig::QueryParam> = raw
        .split('&')
        .filter_map(|kv| kv.split('=').next())
        .filter(|k| {
            k.starts_with("X-Amz-")
                || k.starts_with("AWS")
                || k.starts_with("OSS")
                || k.starts_with("x-oss-")
        })
        .map(ossd_sig::QueryParam::bare)
        .collect();
    let dialect = Dialect::of_request(auth, &keys, listener);
    let anonymous = auth.is_none() && keys.is_empty();
    if anonymous
        && parts
            .headers
            .keys()
            .any(|k| k.as_str().starts_with("x-amz-"))
    {
        // An anonymous request with S3's headers (docs/s3.md#the-dialect-rule).
        return Dialect::S3;
    }
    dialect
}

/// S3's `x-amz-expected-bucket-owner` (and `x-amz-source-expected-bucket-owner` of copies):
/// a request naming another owner than the account every bucket here belongs to is 403
/// `AccessDenied` (docs/s3.md#headers).
fn expected_owner(state: &AppState, ctx: &Ctx) -> Result<(), OssError> {
    if ctx.dialect != Dialect::S3 {
        return Ok(());
    }
    for name in [
        "x-amz-expected-bucket-owner",
        "x-amz-source-expected-bucket-owner",
    ] {
        if ctx
            .header(name)
            .is_some_and(|owner| owner.trim() != state.config.account_id)
        {
            return Err(OssError::access_denied("Access Denied"));
        }
    }
    Ok(())
}

/// What the object pipeline needs to know about a request besides its parts and body.
#[derive(Clone, Copy)]
struct OssRequest<'a> {
    request_id: &'a str,
    now: OffsetDateTime,
    host: &'a str,
    conn: Connection,
    dialect: Dialect,
}

/// An image-processing request: GetObject with `x-oss-process`, or a save-as.
fn is_image_request(op: &str, parts: &Parts) -> bool {
    op == Operation::ImgSaveAs.name()
        || (op == Operation::GetObject.name()
            && parts
                .uri
                .query()
                .unwrap_or_default()
                .split('&')
                .any(|kv| kv.split('=').next() == Some("x-oss-process")))
}

/// An object API request (OSS or S3): parse, authenticate, authorize, run.
async fn oss(
    state: &AppState,
    parts: &Parts,
    body: Inbound,
    target: Result<Target, ossd_proto::request::TargetError>,
    req: OssRequest<'_>,
) -> (Resp, &'static str, String) {
    let OssRequest {
        request_id,
        now,
        host,
        ..
    } = req;
    let is_head = parts.method == Method::HEAD;
    let mut ctx = match target
        .map_err(|_| (OssError::invalid_uri(), None))
        .and_then(|t| parse(parts, t, req, &state.config.account_id))
    {
        Ok(ctx) => ctx,
        Err((e, op)) => {
            let mut resp = error(&e, request_id, host, is_head);
            settle_unread(body, &mut resp, is_http1(parts)).await;
            return (resp, op.map_or("-", Operation::name), String::new());
        }
    };
    let op = ctx.op.name();
    if let Err(e) = expected_owner(state, &ctx) {
        let mut resp = error(&e, request_id, host, is_head);
        settle_unread(body, &mut resp, is_http1(parts)).await;
        return (resp, op, String::new());
    }
    // OSS tells that a bucket does not exist before it looks at the signature (docs/security.md,
    // "Order of checks").
    let bucket = match load_bucket(state, &ctx).await {
        Ok(b) => b,
        Err(e) => {
            let mut resp = error(&e, request_id, host, is_head);
            settle_unread(body, &mut resp, is_http1(parts)).await;
            return (resp, op, String::new());
        }
    };
    let mut chunk_signing = None;
    if ctx.op != Operation::Options {
        let time = verify_time(state.clock.as_ref(), now);
        let region = Some(state.config.region.as_str());
        let keys = &state.signing_keys;
        match authenticate_signed(&state.iam, keys, &ctx.signing_view(), time, region).await {
            Ok(signed) => {
                ctx.caller = signed.caller;
                chunk_signing = signed.chunk_signing;
            }
            Err(e) => {
                let mut resp = error(&e, request_id, host, is_head);
                settle_unread(body, &mut resp, is_http1(parts)).await;
                return (resp, op, String::new());
            }
        }
    }
    let label = ctx.caller.label();
    let has_body = has_request_body(parts);
    let body = match ctx.dialect {
        Dialect::Oss => RequestBody::from(body),
        Dialect::S3 => match BodyPlan::of(
            &parts.headers,
            chunk_signing,
            ctx.op == Operation::CompleteMultipartUpload,
        ) {
            Ok(plan) => plan.apply(body),
            Err(e) => {
                let mut resp = error(&e, request_id, host, is_head);
                settle_unread(body, &mut resp, is_http1(parts)).await;
                return (resp, op, label);
            }
        },
    };
    let sandboxed = state.config.console && ctx.op == Operation::GetObject;
    // `ctx` is lent, not moved: a move would copy it into `run`'s future (docs/performance.md,
    // "GET/HEAD: moves, clocks and the access line").
    let mut resp = run(state, &mut ctx, bucket, body).await;
    if sandboxed {
        console::sandbox_object(&mut resp);
    }
    let unread = resp.status().is_client_error()
        || matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if has_body && is_http1(parts) && unread && !resp.headers().contains_key(header::CONNECTION) {
        // A handler may have failed before reading the body, and a GET or HEAD never reads the
        // body it declared (oss2 sends `Content-Length` on signed GETs without one): hyper
        // would then take the client's next request for that body, or drop the connection
        // silently, so say that it closes.
        crate::transport::body::close_after(&mut resp);
    }
    (resp, op, label)
}

fn is_http1(parts: &Parts) -> bool {
    parts.version <= http::Version::HTTP_11
}

/// Whether the request declared a body (non-zero Content-Length or chunked).
fn has_request_body(parts: &Parts) -> bool {
    let h = &parts.headers;
    h.get(header::TRANSFER_ENCODING).is_some()
        || h.get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0")
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

/// Everything up to authentication: names, query, headers, operation and its typed parameters.
/// A failure carries the operation when it was known (for the access log and metrics).
fn parse(
    parts: &Parts,
    target: Target,
    req: OssRequest<'_>,
    account_id: &str,
) -> Result<Ctx, (OssError, Option<Operation>)> {
    let early = |e: OssError| (e, None);
    let query = parse_query(parts.uri.query().unwrap_or_default())
        .map_err(|_| early(OssError::invalid_uri()))?;
    let (mut headers, latin1_seen) = collect_headers_noting_latin1(&parts.headers);
    let mut wire_headers = None;
    if req.dialect == Dialect::S3 {
        if let Some(sub) = ossd_proto::s3::unsupported_subresource(&query) {
            return Err(early(OssError::not_implemented(sub)));
        }
        let write = target.key.is_some() && matches!(parts.method, Method::PUT | Method::POST);
        let translated = ossd_proto::s3::request_headers(&headers, target.key.is_some(), write)
            .map_err(early)?;
        // A grant header may name no account but this one (docs/s3.md#acls).
        ossd_proto::s3::check_grant_headers(&headers, account_id).map_err(|e| early(e.into()))?;
        wire_headers = Some(std::mem::replace(&mut headers, translated));
    }
    if latin1_seen {
        keep_opaque_meta(&parts.headers, req.dialect, &mut headers, &mut wire_headers);
    }
    if let Some(b) = &target.bucket {
        let valid = match req.dialect {
            Dialect::Oss => BucketName::new(b),
            Dialect::S3 => BucketName::new_s3(b),
        };
        valid.map_err(|_| early(OssError::invalid_bucket_name(b)))?;
    }
    if let Some(k) = &target.key {
        if !req.dialect.valid_key(k) {
            return Err(early(OssError::invalid_object_name()));
        }
        if req.dialect == Dialect::S3 && ossd_proto::s3::unreadable_key(k) {
            return Err(early(OssError::invalid_uri()));
        }
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
    })
    .map_err(early)?;
    let op = match req.dialect {
        Dialect::S3 => ossd_proto::s3::s3_operation(op, &query)
            .map_err(|_| early(OssError::method_not_allowed()))?,
        Dialect::Oss => op,
    };
    let with_op = |e: OssError| (e, Some(op));
    if req.dialect == Dialect::S3
        && matches!(op, Operation::PutObject | Operation::UploadPart)
        && !headers
            .iter()
            .any(|(k, _)| k == "content-length" || k == "transfer-encoding")
        && !headers
            .iter()
            .any(|(k, v)| k == "x-amz-content-sha256" && v.starts_with("STREAMING-"))
    {
        // S3 needs an upload's length (411): a Content-Length, a chunked transfer, or an
        // aws-chunked body.
        return Err(with_op(OssError::missing_content_length()));
    }
    if req.dialect == Dialect::S3
        && matches!(
            op,
            Operation::PutObject | Operation::CopyObject | Operation::InitiateMultipartUpload
        )
        && !headers.iter().any(|(k, _)| k == "x-oss-object-acl")
    {
        // An S3 object without a canned ACL is private, whatever its bucket's ACL; an OSS
        // object follows its bucket's (docs/s3.md#acls).
        headers.push(("x-oss-object-acl".to_owned(), "private".to_owned()));
    }
    let params = Params::parse(op, &query, &headers, req.dialect).map_err(with_op)?;
    let plan = match op {
        Operation::GetObject => {
            handlers::early_plan(ossd_proto::request::query_get(&query, "x-oss-process"))
                .map_err(with_op)?
        }
        _ => None,
    };
    let ctx = Ctx {
        request_id: req.request_id.to_owned(),
        method: parts.method.as_str().to_owned(),
        host: req.host.to_owned(),
        target,
        raw_path: parts.uri.path().to_owned(),
        query,
        headers,
        wire_headers,
        dialect: req.dialect,
        op,
        params,
        plan,
        now: req.now,
        caller: Caller::Anonymous,
        conn: req.conn,
        versioning: VersioningState::Disabled,
    };
    if ctx.target.key.is_some() {
        ctx.check_version_id().map_err(with_op)?;
    }
    Ok(ctx)
}

/// Lowercase names; repeated headers joined with `,`; values as UTF-8 (or Latin-1 when not).
/// A `HeaderMap` yields all the values of one name one after the other, so a repeated header
/// only ever extends the last entry (no search of the earlier ones).
pub(crate) fn collect_headers(map: &http::HeaderMap) -> Vec<(String, String)> {
    collect_headers_noting_latin1(map).0
}

/// [`collect_headers`], and whether any value was not UTF-8 (read as Latin-1).
fn collect_headers_noting_latin1(map: &http::HeaderMap) -> (Vec<(String, String)>, bool) {
    let mut out: Vec<(String, String)> = Vec::with_capacity(map.keys_len());
    let mut latin1_seen = false;
    for (name, value) in map {
        let v = match std::str::from_utf8(value.as_bytes()) {
            Ok(s) => s.trim(),
            Err(_) => {
                latin1_seen = true;
                let latin1: String = value.as_bytes().iter().map(|&b| b as char).collect();
                push_header(&mut out, name, &latin1);
                continue;
            }
        };
        push_header(&mut out, name, v);
    }
    (out, latin1_seen)
}

/// User metadata sent as bytes that are not UTF-8 is stored byte for byte: its entry in
/// `headers` (OSS vocabulary) becomes the stored form ([`ossd_proto::headers::meta_stored_value`])
/// of the bytes as sent, while the signature keeps covering the values as read (`wire`, made
/// from `headers` first if the request had none). oss2 (through requests) sends a `str` value
/// as Latin-1, one byte per character, and reads answers as Latin-1, so only the same bytes
/// give its value back (docs/protocol/objects.md#user-metadata).
fn keep_opaque_meta(
    map: &http::HeaderMap,
    dialect: Dialect,
    headers: &mut [(String, String)],
    wire: &mut Option<Vec<(String, String)>>,
) {
    let wire_prefix = match dialect {
        Dialect::Oss => "x-oss-meta-",
        Dialect::S3 => "x-amz-meta-",
    };
    let mut kept = Vec::new();
    for (index, (name, _)) in headers.iter().enumerate() {
        let Some(meta) = name.strip_prefix("x-oss-meta-") else {
            continue;
        };
        let values = map.get_all(format!("{wire_prefix}{meta}").as_str());
        if values
            .iter()
            .all(|v| std::str::from_utf8(v.as_bytes()).is_ok())
        {
            continue;
        }
        let raw: Vec<&[u8]> = values.iter().map(|v| v.as_bytes().trim_ascii()).collect();
        let stored = ossd_proto::headers::meta_stored_value(&raw.join(&b',')).into_owned();
        kept.push((index, stored));
    }
    if kept.is_empty() {
        return;
    }
    if wire.is_none() {
        *wire = Some(headers.to_vec());
    }
    for (index, stored) in kept {
        if let Some((_, value)) = headers.get_mut(index) {
            *value = stored;
        }
    }
}

/// Appends one value of `name` to `out`, joining it to the previous entry's when that is the
/// same header.
fn push_header(out: &mut Vec<(String, String)>, name: &http::HeaderName, value: &str) {
    match out.last_mut() {
        Some((k, existing)) if k == name.as_str() => {
            existing.push(',');
            existing.push_str(value);
        }
        _ => out.push((name.as_str().to_owned(), value.to_owned())),
    }
}

/// The addressed bucket's record: `None` for service-level requests and for a PutBucket or
/// PutBucketAcl of a new bucket (both create it); 404 `NoSuchBucket` for any other request to
/// a bucket that does not exist.
async fn load_bucket(state: &AppState, ctx: &Ctx) -> Result<Option<BucketRecord>, OssError> {
    let Some(name) = ctx.target.bucket.as_deref() else {
        return Ok(None);
    };
    let bucket = state
        .store
        .buckets()
        .get(name)
        .await
        .map_err(|e| store_error(e, ctx))?;
    if bucket.is_none() && !matches!(ctx.op, Operation::PutBucket | Operation::PutBucketAcl) {
        return Err(OssError::no_such_bucket(name));
    }
    Ok(bucket)
}

/// Authorizes and runs the operation on the bucket loaded before authentication.
async fn run(
    state: &AppState,
    ctx: &mut Ctx,
    bucket: Option<BucketRecord>,
    body: RequestBody,
) -> Resp {
    let is_head = ctx.method == "HEAD";
    let result = match authorized(state, ctx, bucket).await {
        Ok(bucket) => {
            if let Some(b) = &bucket {
                ctx.versioning = b.versioning;
            }
            match creates_by_acl(ctx, bucket.as_ref()) {
                Err(e) => Err(e),
                Ok(creates) => {
                    if creates {
                        // The creation PutBucket does, with the ACL of the header.
                        ctx.op = Operation::PutBucket;
                    }
                    // Not boxed here: `handlers::run` boxes each operation's own future
                    // (docs/performance.md, "GET/HEAD: moves, clocks and the access line").
                    handlers::run(state, ctx, bucket, body).await
                }
            }
        }
        Err(e) => Err(e),
    };
    result.unwrap_or_else(|e| error(&e, &ctx.request_id, &ctx.host, is_head))
}

/// Whether this is a PutBucketAcl of a bucket that does not exist, which creates the bucket
/// with that ACL as OSS does (PutBucketAcl reference: "If the specified bucket ... does not
/// exist ..., a new bucket is created"); the `x-oss-acl` header is still required.
fn creates_by_acl(ctx: &Ctx, bucket: Option<&BucketRecord>) -> Result<bool, OssError> {
    if bucket.is_some() || ctx.op != Operation::PutBucketAcl {
        return Ok(false);
    }
    if ctx.header("x-oss-acl").is_none() {
        return Err(OssError::missing_argument("Missing x-oss-acl header."));
    }
    Ok(true)
}

/// The one authorization of the request's operation on what it addresses; returns the bucket.
/// A PutBucketAcl that creates its bucket is authorized as PutBucket (`oss:PutBucket`), so a
/// caller allowed only `oss:PutBucketAcl` cannot create buckets.
async fn authorized(
    state: &AppState,
    ctx: &Ctx,
    bucket: Option<BucketRecord>,
) -> Result<Option<BucketRecord>, OssError> {
    let context = policy_ctx::oss(ctx.conn, ctx.now, &ctx.headers, ctx.op, |k| {
        ctx.query(k).map(str::to_owned)
    });
    let context = policy_ctx::with_s3_headers(context, ctx.wire_headers.as_deref());
    let Some(name) = ctx.target.bucket.as_deref() else {
        let res = Resource {
            bucket: None,
            key: None,
            object_acl: None,
            bucket_policy: None,
            versioned: false,
            object_tags: None,
        };
        authorize(state, ctx, ctx.op, res, &context).await?;
        return Ok(None);
    };
    if ctx.op == Operation::Options {
        return Ok(bucket);
    }
    if bucket.is_none() {
        // Only PutBucket and PutBucketAcl reach here for a bucket that does not exist
        // (`load_bucket`): both create it, authorized as PutBucket on the bucket's resource.
        authorize_creation(state, ctx, name, &context).await?;
        return Ok(None);
    }
    crate::handlers::referer_config::check(state, ctx).await?;
    let policy = crate::handlers::bucket_policy::load(state, name)
        .await
        .map_err(|e| store_error(e, ctx))?;
    let object = match (bucket.as_ref(), ctx.target.key.as_deref()) {
        (Some(b), Some(key)) => {
            object_facts(state, ctx, b, policy.as_deref(), key, ctx.version_id()).await?
        }
        _ => None,
    };
    let res = Resource {
        bucket: bucket.as_ref(),
        key: ctx.target.key.as_deref(),
        object_acl: object.as_ref().map(|r| r.acl),
        bucket_policy: policy.as_deref(),
        versioned: ctx.version_id().is_some(),
        object_tags: object.as_ref().map(|r| r.tags.as_slice()),
    };
    if let Err(denied) = authorize(state, ctx, ctx.op, res, &context).await {
        return Err(match bucket.as_ref() {
            Some(b) => denied_or_missing(state, ctx, b, policy.as_deref(), denied).await,
            None => denied,
        });
    }
    Ok(bucket)
}

/// S3's answer to a GetObject or HeadObject the caller may not make: 404 `NoSuchKey` when the
/// caller may list the key — `s3:ListBucket` (`oss:ListObjects`) on the bucket with `s3:prefix`
/// the key — and the object does not exist (S3 API reference, GetObject and HeadObject,
/// "Permissions"); otherwise `denied`. The listing is authorized first, through the one
/// `authorize()` with the caller's context, so a caller who may neither read nor list never
/// learns whether the key exists. A request naming a version, and the OSS dialect, keep the
/// denial (docs/s3.md).
async fn denied_or_missing(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
    policy: Option<&str>,
    denied: OssError,
) -> OssError {
    let (Dialect::S3, Operation::GetObject | Operation::HeadObject, Some(key), None) = (
        ctx.dialect,
        ctx.op,
        ctx.target.key.as_deref(),
        ctx.version_id(),
    ) else {
        return denied;
    };
    let context = policy_ctx::oss(
        ctx.conn,
        ctx.now,
        &ctx.headers,
        Operation::ListObjects,
        |k| (k == "prefix").then(|| key.to_owned()),
    );
    let context = policy_ctx::with_s3_headers(context, ctx.wire_headers.as_deref());
    let listing = Resource {
        bucket: Some(bucket),
        key: None,
        object_acl: None,
        bucket_policy: policy,
        versioned: false,
        object_tags: None,
    };
    if authorize(state, ctx, Operation::ListObjects, listing, &context)
        .await
        .is_err()
    {
        return denied;
    }
    match state.store.object_meta(&bucket.name, key, None).await {
        Ok(Some(record)) if !record.delete_marker => denied,
        Ok(_) => OssError::no_such_key(key),
        Err(e) => store_error(e, ctx),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The join of repeated headers as a search of every earlier entry does it.
    fn collect_by_search(map: &http::HeaderMap) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
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

    fn size2<A, B, F>(_: fn(A, B) -> F) -> usize {
        std::mem::size_of::<F>()
    }
    fn size3<A, B, C, F>(_: fn(A, B, C) -> F) -> usize {
        std::mem::size_of::<F>()
    }
    fn size4<A, B, C, D, F>(_: fn(A, B, C, D) -> F) -> usize {
        std::mem::size_of::<F>()
    }
    fn size5<A, B, C, D, E, F>(_: fn(A, B, C, D, E) -> F) -> usize {
        std::mem::size_of::<F>()
    }
    fn size6<A, B, C, D, E, G, F>(_: fn(A, B, C, D, E, G) -> F) -> usize {
        std::mem::size_of::<F>()
    }

    /// What a request's futures and values weigh (`cargo test -p ossd-server --lib sizes --
    /// --nocapture`): every value moved by a `.await` or a return is copied whole
    /// (docs/performance.md, "GET/HEAD: moves, clocks and the access line").
    #[test]
    fn sizes() {
        let sizes = [
            ("handle future", size5(handle)),
            ("handle_inbound future", size5(handle_inbound)),
            ("route future", size6(route)),
            ("oss future", size5(oss)),
            ("load_bucket future", size2(load_bucket)),
            ("run future", size4(run)),
            ("authorized future", size3(authorized)),
            (
                "handlers::run future",
                size4::<_, _, _, RequestBody, _>(handlers::run),
            ),
            (
                "authenticate_signed future",
                size5(crate::pipeline::auth::authenticate_signed),
            ),
            ("post::handle future", size5(post::handle)),
            ("aws_sts::handle future", size4(aws_sts::handle)),
            ("rpc::handle future", size4(rpc::handle)),
            ("ops::handle future", size6(ops::handle)),
            ("admin::handle future", size5(admin::handle)),
            ("console::handle future", size5(console::handle)),
            ("Ctx", std::mem::size_of::<Ctx>()),
            ("Params", std::mem::size_of::<Params>()),
            ("Resp", std::mem::size_of::<Resp>()),
            ("AccessRecord", std::mem::size_of::<AccessRecord>()),
            ("OssError", std::mem::size_of::<OssError>()),
        ];
        for (what, size) in sizes {
            eprintln!("{what}: {size} bytes");
        }
        // `route` is boxed where it is made; what hyper moves is the smaller future around it.
        assert!(size5(handle) < size6(route));
        // Each operation's future is boxed in `handlers::run`, which holds only pointers to them.
        assert!(size4::<_, _, _, RequestBody, _>(handlers::run) < 1536);
    }

    #[test]
    fn metadata_that_is_not_utf8_is_kept_as_sent_and_signed_as_read() {
        let map = |pairs: &[(&'static str, &[u8])]| {
            let mut map = http::HeaderMap::new();
            for (k, v) in pairs {
                if let Ok(v) = http::HeaderValue::from_bytes(v) {
                    map.append(*k, v);
                }
            }
            map
        };
        let stored = |v: &[u8]| ossd_proto::headers::meta_stored_value(v).into_owned();
        let find = |h: &[(String, String)], k: &str| {
            h.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        };
        // OSS: the signed view keeps the Latin-1 reading, the stored value the bytes.
        let oss = map(&[
            ("x-oss-meta-latin", b"Hello World\xe9"),
            ("x-oss-meta-utf8", "caf\u{e9}".as_bytes()),
        ]);
        let (mut headers, latin1_seen) = collect_headers_noting_latin1(&oss);
        assert!(latin1_seen);
        let mut wire = None;
        keep_opaque_meta(&oss, Dialect::Oss, &mut headers, &mut wire);
        assert_eq!(
            find(&headers, "x-oss-meta-latin"),
            Some(stored(b"Hello World\xe9"))
        );
        assert_eq!(
            find(&headers, "x-oss-meta-utf8"),
            Some("caf\u{e9}".to_owned())
        );
        let wire = wire.unwrap_or_default();
        assert_eq!(
            find(&wire, "x-oss-meta-latin"),
            Some("Hello World\u{e9}".to_owned())
        );
        // S3: the translated `x-oss-meta-*` entry takes the bytes of its `x-amz-meta-*` header.
        let s3 = map(&[("x-amz-meta-meta1", b"Hello World\xe9")]);
        let (read, _) = collect_headers_noting_latin1(&s3);
        let mut headers = ossd_proto::s3::request_headers(&read, true, true).unwrap_or_default();
        let mut wire = Some(read.clone());
        keep_opaque_meta(&s3, Dialect::S3, &mut headers, &mut wire);
        assert_eq!(
            find(&headers, "x-oss-meta-meta1"),
            Some(stored(b"Hello World\xe9"))
        );
        assert_eq!(wire, Some(read));
        // All UTF-8: nothing changes and no wire copy is made.
        let plain = map(&[("x-oss-meta-a", b"b")]);
        let (mut headers, latin1_seen) = collect_headers_noting_latin1(&plain);
        let mut wire = None;
        keep_opaque_meta(&plain, Dialect::Oss, &mut headers, &mut wire);
        assert!(!latin1_seen && wire.is_none());
        assert_eq!(find(&headers, "x-oss-meta-a"), Some("b".to_owned()));
    }

    #[test]
    fn repeated_headers_join_whatever_their_order() {
        let mut map = http::HeaderMap::new();
        let add = |map: &mut http::HeaderMap, k: &'static str, v: &[u8]| {
            map.append(
                k,
                http::HeaderValue::from_bytes(v).unwrap_or(http::HeaderValue::from_static("x")),
            );
        };
        add(&mut map, "x-oss-meta-a", b" one ");
        add(&mut map, "host", b"b.example.com");
        add(&mut map, "x-oss-meta-a", b"two");
        add(&mut map, "x-oss-meta-latin", b"caf\xe9");
        add(&mut map, "accept", b"*/*");
        add(&mut map, "x-oss-meta-a", b"three");
        add(&mut map, "accept", b"text/plain");
        let got = collect_headers(&map);
        assert_eq!(got, collect_by_search(&map));
        let find = |k: &str| got.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(find("x-oss-meta-a"), Some("one,two,three"));
        assert_eq!(find("accept"), Some("*/*,text/plain"));
        assert_eq!(find("x-oss-meta-latin"), Some("caf\u{e9}"));
        assert_eq!(got.len(), 4);
    }
}
