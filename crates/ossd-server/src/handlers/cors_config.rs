//! Bucket CORS over HTTP: `PUT|GET|DELETE /?cors` (stored through the bucket service as the
//! configuration `CorsConfiguration`), the `OPTIONS` preflight, and CORS headers on actual
//! cross-origin responses.

use ossd_proto::cors;
use ossd_proto::dialect::Dialect;
use ossd_proto::error::OssError;
use ossd_proto::xml::{CorsConfiguration, MAX_CORS_BODY_BYTES};

use crate::AppState;
use crate::handlers::put_config;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, ok, set, xml};

/// `PUT /?cors`: validates and replaces the whole configuration.
pub(crate) async fn put(state: &AppState, ctx: &Ctx, body: RequestBody) -> Result<Resp, OssError> {
    put_config(
        state,
        ctx,
        body,
        MAX_CORS_BODY_BYTES,
        CorsConfiguration::parse,
    )
    .await
}

/// `GET /?cors`, or 404 `NoSuchCORSConfiguration`.
pub(crate) async fn get(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let config = load(state, ctx.bucket())
        .await
        .map_err(|e| store_error(e, ctx))?
        .ok_or_else(|| {
            OssError::no_such_cors_configuration().with_extra("BucketName", ctx.bucket().to_owned())
        })?;
    Ok(xml(config.to_xml()))
}

/// `DELETE /?cors`: 204 whether or not rules were set.
pub(crate) async fn delete(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    super::delete_config::<CorsConfiguration>(state, ctx).await
}

/// The bucket's CORS configuration, if any (a stored document that no longer parses counts
/// as none).
pub(crate) async fn load(
    state: &AppState,
    bucket: &str,
) -> Result<Option<CorsConfiguration>, ossd_store::StoreError> {
    state.store.bucket_configs().get(bucket).await
}

/// `OPTIONS /` or `OPTIONS /<key>` on an existing bucket (docs/protocol/cors.md#preflight; never
/// authenticated).
pub(crate) async fn preflight(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let origin = ctx.header("origin").ok_or_else(|| {
        OssError::bad_request("Insufficient information. Origin request header needed.")
    })?;
    let method = ctx.header("access-control-request-method").ok_or_else(|| {
        OssError::bad_request(
            "Insufficient information. Request Access-Control-Request-Method header needed.",
        )
    })?;
    let requested = cors::request_headers(ctx.header("access-control-request-headers"));
    let config = load(state, ctx.bucket())
        .await
        .map_err(|e| store_error(e, ctx))?
        .ok_or_else(OssError::cors_forbidden)?;
    let rule = cors::find_rule(&config, origin, method, &requested)
        .ok_or_else(OssError::cors_forbidden)?;
    let mut resp = ok();
    for (name, value) in
        cors::preflight_headers(&config, rule, origin, &requested, wildcard(ctx.dialect))
    {
        set(&mut resp, name, value);
    }
    Ok(resp)
}

/// Adds CORS headers to the response of an actual (non-OPTIONS) request to `bucket` that
/// carries `Origin`, success or error alike, when a rule allows the origin and method.
pub(crate) async fn decorate(
    state: &AppState,
    bucket: &str,
    origin: &str,
    method: &str,
    dialect: Dialect,
    resp: &mut Resp,
) {
    let config = match load(state, bucket).await {
        Ok(Some(c)) => c,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!(error = %ossd_meta::ErrorChain(&e), "CORS configuration unavailable");
            return;
        }
    };
    for (name, value) in cors::actual_headers(&config, origin, method, wildcard(dialect)) {
        if name == "vary" {
            add_vary(resp, &value);
        } else {
            set(resp, name, value);
        }
    }
}

/// How a rule allowing every origin answers: S3 says `*`, OSS echoes the origin (docs/s3.md#cors).
fn wildcard(dialect: Dialect) -> cors::Wildcard {
    match dialect {
        Dialect::S3 => cors::Wildcard::Star,
        Dialect::Oss => cors::Wildcard::EchoOrigin,
    }
}

/// Adds `value` to the response's `Vary` without dropping what is there (a gzip-compressed
/// GetObject varies on `Accept-Encoding` too): one header listing every name once.
fn add_vary(resp: &mut Resp, value: &str) {
    let mut names: Vec<String> = resp
        .headers()
        .get_all(http::header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    for n in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !names.iter().any(|m| m.eq_ignore_ascii_case(n)) {
            names.push(n.to_owned());
        }
    }
    set(resp, "vary", names.join(", "));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vary(resp: &Resp) -> Vec<&str> {
        let all = resp.headers().get_all(http::header::VARY);
        all.iter().filter_map(|v| v.to_str().ok()).collect()
    }

    #[test]
    fn vary_keeps_what_the_response_varies_on() {
        let mut resp = ok();
        resp.headers_mut().append(
            http::header::VARY,
            http::HeaderValue::from_static("Accept-Encoding"),
        );
        add_vary(&mut resp, "Origin");
        assert_eq!(vary(&resp), ["Accept-Encoding, Origin"]);
        add_vary(&mut resp, "origin");
        assert_eq!(vary(&resp), ["Accept-Encoding, Origin"]);
        let mut plain = ok();
        add_vary(&mut plain, "Origin");
        assert_eq!(vary(&plain), ["Origin"]);
    }
}
