//! The RPC (POP) endpoint on the same port: STS (`Version=2015-04-01`) and RAM
//! (`Version=2015-05-01`) requests, told apart from OSS REST requests by their shape (an `Action`
//! parameter, an `x-acs-action` header, or a form-encoded POST at service level).
//!
//! Pipeline: collect parameters (query + form) → parse the signature (v1 HMAC-SHA1 or ACS3) →
//! timestamp window → resolve the AccessKey (and STS token) → verify → nonce replay check →
//! run the action in `ossd-iam` → JSON body with `RequestId`.

mod nonce;
mod reply;
mod simulate;

pub use nonce::{NonceCache, SharedNonces};

use std::collections::BTreeMap;

use crate::transport::body::Inbound;
use http::request::Parts;
use ossd_iam::Caller;
use ossd_proto::request::Target;
use ossd_rpc::{Outcome, RpcFailure};
use ossd_sig::rpc::{
    NONCE_RETENTION_SECS, RpcAuth, RpcParams, RpcView, collect_params, is_form_urlencoded,
};

use crate::AppState;
use crate::transport::body::{ReadError, read_limited};
use crate::transport::response::Resp;

/// The largest RPC request body read (form parameters; policy documents are at most 6 KiB).
pub(crate) const MAX_RPC_BODY_BYTES: usize = 256 * 1024;

/// Whether a service-level request is an RPC call rather than an OSS REST call.
pub(crate) fn is_rpc(parts: &Parts, target: &Target) -> bool {
    if target.bucket.is_some() {
        return false;
    }
    let query = parts.uri.query().unwrap_or_default();
    let has_action = query
        .split('&')
        .any(|kv| kv.split('=').next() == Some("Action"));
    let form_post = parts.method == http::Method::POST
        && parts
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(is_form_urlencoded);
    has_action || form_post || parts.headers.contains_key("x-acs-action")
}

/// What the RPC handler needs to know about the connection.
pub(crate) struct RpcRequest<'a> {
    /// Request id (an upper-case UUID for RPC).
    pub request_id: &'a str,
    /// Host header (for `HostId`).
    pub host: &'a str,
    /// Condition keys of the request (source IP, TLS, user agent, time).
    pub context: &'a ossd_policy::RequestContext,
}

/// Handles one RPC request; errors become JSON error bodies.
pub(crate) async fn handle(
    state: &AppState,
    parts: &Parts,
    body: Inbound,
    req: RpcRequest<'_>,
) -> (Resp, String) {
    let mut trace = crate::observability::audit::RpcTrace::default();
    let result = run(state, parts, body, &req, &mut trace).await;
    let outcome = result.as_ref().map(|(v, _)| v);
    crate::observability::audit::rpc(state, &trace, req.request_id, req.context, outcome);
    match result {
        Ok((outcome, caller)) => (reply::success(outcome.to_json(), req.request_id), caller),
        Err(e) => {
            let wire = e.to_wire();
            let mut resp = reply::error(&wire, req.request_id, req.host);
            resp.extensions_mut()
                .insert(crate::observability::metrics::ErrorCode::rpc(wire.family));
            if let Some(reason) = crate::observability::metrics::rpc_denial_reason(&e) {
                resp.extensions_mut()
                    .insert(crate::observability::metrics::Denial(reason));
            }
            (resp, String::new())
        }
    }
}

async fn run(
    state: &AppState,
    parts: &Parts,
    body: Inbound,
    req: &RpcRequest<'_>,
    trace: &mut crate::observability::audit::RpcTrace,
) -> Result<(Outcome, String), RpcFailure> {
    let raw = read_limited(body, MAX_RPC_BODY_BYTES)
        .await
        .map_err(|e| match e {
            ReadError::TooLarge => RpcFailure::BodyTooLarge,
            ReadError::Io(_) => RpcFailure::BodyUnreadable,
        })?;
    let form = is_form(parts).then_some(raw.as_slice());
    let params = collect_params(parts.uri.query().unwrap_or_default(), form);
    let headers = header_list(parts);
    *trace = crate::observability::audit::RpcTrace::new(&params, &headers);
    let view = RpcView {
        method: parts.method.as_str(),
        path: "/",
        params: &params,
        headers: &headers,
        body: Some(&raw),
    };
    let caller = authenticate(state, &view).await?;
    trace.set_caller(&caller);
    let action = params
        .get("Action")
        .or_else(|| header(&headers, "x-acs-action"))
        .unwrap_or_default()
        .to_owned();
    let version = params
        .get("Version")
        .or_else(|| header(&headers, "x-acs-version"))
        .unwrap_or_default()
        .to_owned();
    let map = first_values(&params);
    let label = caller.label();
    let buckets = simulate::Buckets(state);
    let outcome = ossd_rpc::call_with(
        &state.iam,
        &caller,
        &version,
        &action,
        &map,
        req.context,
        &buckets,
    )
    .await?;
    if matches!(outcome, Outcome::Issued(_)) {
        state.metrics.sts_issued();
    }
    Ok((outcome, label))
}

/// Verifies the signature and returns the caller. The `Timestamp` window is checked against the
/// real time (a moved emulator clock needs no fake time in clients); STS token expiry, inside
/// `resolve`, follows the effective clock.
async fn authenticate(state: &AppState, view: &RpcView<'_>) -> Result<Caller, RpcFailure> {
    let now = state.clock.real_now();
    let auth = RpcAuth::parse(view)
        .map_err(RpcFailure::Signature)?
        .ok_or_else(|| RpcFailure::Signature(RpcAuth::unsigned_error(view)))?;
    auth.check_timestamp(now).map_err(RpcFailure::Signature)?;
    let resolved = state
        .iam
        .resolve(auth.access_key_id(), auth.security_token())
        .await
        .map_err(RpcFailure::Credentials)?;
    ossd_sig::rpc::verify(&auth, view, &resolved.secret, now).map_err(RpcFailure::Signature)?;
    let now_s = now.unix_timestamp();
    let fresh = state
        .nonces
        .check(
            auth.replay_key(),
            now_s,
            now_s + NONCE_RETENTION_SECS as i64,
        )
        .await
        // The shared record is part of the identity store: its failure is that store's.
        .map_err(|e| RpcFailure::Credentials(e.into()))?;
    if !fresh {
        return Err(RpcFailure::NonceUsed);
    }
    Ok(resolved.caller)
}

fn is_form(parts: &Parts) -> bool {
    parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_form_urlencoded)
}

/// Headers one entry per occurrence, names lowercased.
fn header_list(parts: &Parts) -> Vec<(String, String)> {
    parts
        .headers
        .iter()
        .filter_map(|(k, v)| {
            v.to_str()
                .ok()
                .map(|v| (k.as_str().to_owned(), v.to_owned()))
        })
        .collect()
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The first value of every parameter.
fn first_values(params: &RpcParams) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for p in params.all() {
        map.entry(p.key.clone()).or_insert_with(|| p.value.clone());
    }
    map
}
