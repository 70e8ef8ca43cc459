//! The AWS STS Query API endpoint on the same port (docs/protocol/aws-sts.md): `POST /` with a
//! form body, or `GET /?Action=…&Version=2011-06-15`, signed with AWS Signature Version 4 for
//! service `sts`.
//!
//! Pipeline: read the form (bounded) → hash it (the payload hash botocore does not send) →
//! `pipeline::auth::authenticate` (the same credential resolution and signature checks as every
//! other request) → `ossd_rpc::aws_sts` parses and runs the call through the typed `ossd-iam` STS
//! API (same authorization, tokens and audit as the Alibaba STS) → the STS XML.

use std::collections::BTreeMap;

use crate::transport::body::Inbound;
use http::request::Parts;
use http::{HeaderValue, StatusCode, header};
use ossd_iam::Caller;
use ossd_proto::error::{OssCode, OssError, Refusal};
use ossd_proto::request::Target;
use ossd_rpc::aws_sts::{self, AwsCode, AwsError, AwsFailure, AwsOutcome};
use ossd_sig::rpc::{collect_params, is_form_urlencoded};
use ossd_sig::{Scheme, SigningView};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::endpoints::rpc::{MAX_RPC_BODY_BYTES, RpcRequest};
use crate::pipeline::auth::{authenticate, verify_time};
use crate::pipeline::dispatch::collect_headers;
use crate::transport::body::{ReadError, full, read_limited};
use crate::transport::response::{Resp, set};

/// The credential scope's service and terminator, as signed and as percent-encoded in a URL.
const STS_SCOPE: [&str; 2] = ["/sts/aws4_request", "%2fsts%2faws4_request"];

/// Whether a service-level request is an AWS STS call
/// (docs/protocol/aws-sts.md#requests): a `POST` or `GET` whose credential scope names service
/// `sts`, or whose query has `Action` and `Version=2011-06-15`.
pub(crate) fn is_aws_sts(parts: &Parts, target: &Target) -> bool {
    let method = &parts.method;
    if target.bucket.is_some() || (method != http::Method::POST && method != http::Method::GET) {
        return false;
    }
    let query = parts.uri.query().unwrap_or_default();
    let scoped = |text: &str| {
        let lower = text.to_ascii_lowercase();
        STS_SCOPE.iter().any(|s| lower.contains(s))
    };
    let signed_for_sts = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|auth| auth.starts_with("AWS4-HMAC-SHA256") && scoped(auth));
    let presigned_for_sts = query
        .split('&')
        .any(|kv| kv.starts_with("X-Amz-Credential=") && scoped(kv));
    let has = |name: &str, value: Option<&str>| {
        query.split('&').any(|kv| match kv.split_once('=') {
            Some((k, v)) => k == name && value.is_none_or(|want| v == want),
            None => kv == name && value.is_none(),
        })
    };
    let aws_query = has("Action", None) && has("Version", Some(aws_sts::AWS_STS_VERSION));
    signed_for_sts || presigned_for_sts || aws_query
}

/// Handles one AWS STS request; errors become STS XML error documents. Returns the response and
/// the caller's label for the access log.
pub(crate) async fn handle(
    state: &AppState,
    parts: &Parts,
    body: Inbound,
    req: RpcRequest<'_>,
) -> (Resp, String) {
    let mut trace = Trace::default();
    let result = run(state, parts, body, &req, &mut trace).await;
    crate::observability::audit::aws_sts(
        state,
        req.request_id,
        req.context,
        &trace.params,
        trace.caller.as_ref(),
        result.as_ref(),
    );
    match result {
        Ok(outcome) => {
            if outcome.issued().is_some() {
                state.metrics.sts_issued();
            }
            let label = trace.caller.as_ref().map(Caller::label).unwrap_or_default();
            (
                xml(
                    StatusCode::OK,
                    outcome.to_xml(req.request_id),
                    req.request_id,
                ),
                label,
            )
        }
        Err(failure) => {
            let code = failure.wire.code;
            let status = StatusCode::from_u16(code.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let body = aws_sts::xml::error(&failure.wire, req.request_id);
            let mut resp = xml(status, body, req.request_id);
            resp.extensions_mut()
                .insert(crate::observability::metrics::ErrorCode::rpc(code.as_str()));
            (resp, String::new())
        }
    }
}

/// What the audit trail learns while the request runs.
#[derive(Default)]
struct Trace {
    /// The decoded parameters (first value of each).
    params: BTreeMap<String, String>,
    /// Who signed, once the signature is verified.
    caller: Option<Caller>,
}

/// Reads, authenticates, parses and runs the call.
async fn run(
    state: &AppState,
    parts: &Parts,
    body: Inbound,
    req: &RpcRequest<'_>,
    trace: &mut Trace,
) -> Result<AwsOutcome, AwsFailure> {
    let raw = read_limited(body, MAX_RPC_BODY_BYTES)
        .await
        .map_err(|e| match e {
            ReadError::TooLarge => {
                AwsError::with(AwsCode::InvalidRequest, "The request body is too large.")
            }
            ReadError::Io(_) => AwsError::with(
                AwsCode::InvalidRequest,
                "The request body could not be read.",
            ),
        })?;
    let raw_query = parts.uri.query().unwrap_or_default();
    let form = is_form(parts).then_some(raw.as_slice());
    trace.params = first_values(&collect_params(raw_query, form));
    let caller = authenticate_request(state, parts, &raw).await?;
    trace.caller = Some(caller.clone());
    let call = aws_sts::parse(&trace.params)?;
    aws_sts::call(&state.iam, &caller, &call, req.context).await
}

/// Verifies the AWS signature through the shared authentication; an unsigned request is
/// refused (docs/protocol/aws-sts.md#errors).
async fn authenticate_request(
    state: &AppState,
    parts: &Parts,
    raw_body: &[u8],
) -> Result<Caller, AwsError> {
    let query = ossd_proto::request::parse_query(parts.uri.query().unwrap_or_default())
        .map_err(|_| AwsError::new(AwsCode::IncompleteSignature))?;
    let headers = collect_headers(&parts.headers);
    let body_sha256 = hex::encode(Sha256::digest(raw_body));
    let view = SigningView {
        method: parts.method.as_str(),
        bucket: None,
        key: None,
        query: &query,
        headers: &headers,
        raw_path: parts.uri.path(),
        body_sha256: Some(&body_sha256),
    };
    // Only AWS Signature Version 4 for service `sts` signs an STS call; malformed signatures are
    // left to `authenticate`, which reports them.
    if let Ok(Some(auth)) = ossd_sig::parse(&view) {
        let v4 = matches!(auth.scheme, Scheme::AwsV4Header | Scheme::AwsV4Query);
        if !v4 || auth.scope().is_none_or(|s| s.product != "sts") {
            return Err(AwsError::with(
                AwsCode::IncompleteSignature,
                "Credential should be scoped to correct service: 'sts'.",
            ));
        }
    }
    let time = verify_time(state.clock.as_ref(), state.clock.now());
    // STS is global: a signature for any region is accepted (docs/protocol/aws-sts.md#requests).
    match authenticate(&state.iam, &state.signing_keys, &view, time, None).await {
        Ok(Caller::Anonymous) => Err(AwsError::new(AwsCode::MissingAuthenticationToken)),
        Ok(caller) => Ok(caller),
        Err(e) => Err(auth_error(&e)),
    }
}

/// The AWS error of a refused authentication (docs/protocol/aws-sts.md#errors), from the typed
/// [`Refusal`] the shared authentication records.
fn auth_error(e: &OssError) -> AwsError {
    let skewed = e.refusal() == Some(Refusal::TimeSkew) || e.code == OssCode::RequestTimeTooSkewed;
    let code = match (e.refusal(), e.code) {
        (_, OssCode::SecurityTokenExpired) => AwsCode::ExpiredToken,
        (Some(Refusal::Signature | Refusal::TimeSkew), _)
        | (_, OssCode::SignatureDoesNotMatch | OssCode::RequestTimeTooSkewed) => {
            AwsCode::SignatureDoesNotMatch
        }
        (Some(Refusal::InvalidKey | Refusal::InvalidToken), _)
        | (
            _,
            OssCode::InvalidAccessKeyId
            | OssCode::InvalidSecurityToken
            | OssCode::AccessKeyIdAndSecurityTokenNotMatch,
        ) => AwsCode::InvalidClientTokenId,
        (Some(Refusal::Expired), _) => AwsCode::RequestExpired,
        (_, OssCode::InternalError) => AwsCode::InternalFailure,
        _ => return AwsError::with(AwsCode::IncompleteSignature, e.message.clone()),
    };
    let message = if skewed {
        "Signature expired: the request time is too far from the server time."
    } else {
        code.default_message()
    };
    AwsError::with(code, message)
}

/// Whether the body is a form.
fn is_form(parts: &Parts) -> bool {
    parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_form_urlencoded)
}

/// The first value of every parameter.
fn first_values(params: &ossd_sig::rpc::RpcParams) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for p in params.all() {
        map.entry(p.key.clone()).or_insert_with(|| p.value.clone());
    }
    map
}

/// An STS XML response with the request id in the headers SDKs read.
fn xml(status: StatusCode, body: String, request_id: &str) -> Resp {
    let mut r = Resp::new(full(body));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    set(&mut r, "x-amzn-requestid", request_id);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The request head of `method uri` with `headers`.
    fn parts(method: &str, uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut b = http::Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(())
            .map(|r| r.into_parts().0)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// A service-level target, or a bucket-level one.
    fn target(bucket: Option<&str>) -> Target {
        Target {
            bucket: bucket.map(str::to_owned),
            key: None,
            virtual_hosted: false,
        }
    }

    #[test]
    fn detection() {
        let form = (
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        );
        let sts = (
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00",
        );
        let s3 = (
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00",
        );
        let t = target(None);
        assert!(is_aws_sts(&parts("POST", "/", &[form, sts]), &t));
        assert!(is_aws_sts(
            &parts("GET", "/?Action=GetCallerIdentity&Version=2011-06-15", &[]),
            &t
        ));
        assert!(is_aws_sts(
            &parts(
                "GET",
                "/?Action=GetCallerIdentity&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fsts%2Faws4_request",
                &[]
            ),
            &t
        ));
        assert!(!is_aws_sts(&parts("POST", "/", &[form, s3]), &t));
        assert!(
            !is_aws_sts(&parts("POST", "/", &[form]), &t),
            "Alibaba RPC form posts"
        );
        assert!(!is_aws_sts(
            &parts("GET", "/?Action=AssumeRole&Version=2015-04-01", &[]),
            &t
        ));
        assert!(!is_aws_sts(&parts("PUT", "/", &[sts]), &t));
        let bucket = target(Some("b"));
        assert!(!is_aws_sts(&parts("POST", "/", &[form, sts]), &bucket));
    }

    #[test]
    fn authentication_errors() {
        let cases = [
            (
                OssError::new(OssCode::SignatureDoesNotMatch).with_refusal(Refusal::Signature),
                AwsCode::SignatureDoesNotMatch,
            ),
            (
                OssError::invalid_access_key_id("AKID"),
                AwsCode::InvalidClientTokenId,
            ),
            (
                OssError::invalid_security_token(),
                AwsCode::InvalidClientTokenId,
            ),
            (OssError::security_token_expired(), AwsCode::ExpiredToken),
            (OssError::request_expired(), AwsCode::RequestExpired),
            (
                OssError::new(OssCode::RequestTimeTooSkewed).with_refusal(Refusal::TimeSkew),
                AwsCode::SignatureDoesNotMatch,
            ),
            (OssError::internal_error(), AwsCode::InternalFailure),
            (
                OssError::invalid_argument("bad"),
                AwsCode::IncompleteSignature,
            ),
        ];
        for (e, want) in cases {
            assert_eq!(auth_error(&e).code, want, "{:?}", e.code);
        }
    }
}
