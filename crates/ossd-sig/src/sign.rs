//! Client-side signing helpers (benchmark client, tests), built on the verification code paths.

use std::borrow::Cow;

use crate::aws_v2::{aws_v2_header_date, aws_v2_string_to_sign};
use crate::aws_v4::{
    AWS_V4_ALGORITHM, AwsUriForm, aws_v4_canonical_request, aws_v4_payload_hash,
    aws_v4_string_to_sign, aws_v4_uri_forms,
};
use crate::crypto::{aws_v4_signing_key, v1_signature, v2_signature, v4_signature, v4_signing_key};
use crate::dates::{format_iso8601_basic, parse_aws_http_date};
use crate::fields::normalize_additional_headers;
use crate::scope::Scope;
use crate::v1::{header_date, v1_string_to_sign};
use crate::v2::v2_string_to_sign;
use crate::v4::{
    EmptyValueForm, UNSIGNED_PAYLOAD, V4_ALGORITHM, v4_canonical_request, v4_string_to_sign,
};
use crate::view::SigningView;

/// The V1 `Authorization` value; the view must carry `Date` or `x-oss-date`.
pub fn v1_authorization(access_key_id: &str, secret: &str, view: &SigningView) -> String {
    let sts = v1_string_to_sign(view, header_date(view).unwrap_or(""));
    format!("OSS {access_key_id}:{}", v1_signature(secret, &sts))
}

/// The V1 URL `Signature` for absolute expiry `expires` (the view's query carries `security-token`
/// for STS; `OSSAccessKeyId`, `Expires` and `Signature` are never signed).
pub fn v1_presign_signature(secret: &str, view: &SigningView, expires: i64) -> String {
    v1_signature(secret, &v1_string_to_sign(view, &expires.to_string()))
}

/// The V2 `Authorization` value; `additional` must be normalised and present in the view.
pub fn v2_authorization(
    access_key_id: &str,
    secret: &str,
    view: &SigningView,
    additional: &[String],
) -> String {
    let date = view.header("date").map(str::trim).unwrap_or("");
    let sig = v2_signature(secret, &v2_string_to_sign(view, date, additional, false));
    match additional.is_empty() {
        true => format!("OSS2 AccessKeyId:{access_key_id},Signature:{sig}"),
        false => format!(
            "OSS2 AccessKeyId:{access_key_id},AdditionalHeaders:{},Signature:{sig}",
            additional.join(";")
        ),
    }
}

/// The V4 `Authorization` value; the view must carry `x-oss-date` (and usually
/// `x-oss-content-sha256`), `additional` must be normalised.
pub fn v4_authorization(
    access_key_id: &str,
    secret: &str,
    view: &SigningView,
    scope: &Scope,
    additional: &[String],
) -> String {
    let date = view.header("x-oss-date").map(str::trim).unwrap_or("");
    let sig = v4_sign(secret, view, scope, date, additional, false);
    let credential = scope.credential(access_key_id);
    match additional.is_empty() {
        true => format!("{V4_ALGORITHM} Credential={credential},Signature={sig}"),
        false => format!(
            "{V4_ALGORITHM} Credential={credential},AdditionalHeaders={},Signature={sig}",
            additional.join(";")
        ),
    }
}

/// The V4 URL `x-oss-signature`; the view's query must already carry every `x-oss-*` presign
/// parameter except `x-oss-signature`, and `date` equals its `x-oss-date`.
pub fn v4_presign_signature(
    secret: &str,
    view: &SigningView,
    scope: &Scope,
    date: &str,
    additional: &[String],
) -> String {
    v4_sign(secret, view, scope, date, additional, true)
}

/// The V4 signature over the bare-key canonical request.
fn v4_sign(
    secret: &str,
    view: &SigningView,
    scope: &Scope,
    date: &str,
    additional: &[String],
    presigned: bool,
) -> String {
    let canonical = v4_canonical_request(view, additional, presigned, EmptyValueForm::BareKey);
    let key = v4_signing_key(secret, &scope.date, &scope.region, &scope.product);
    v4_signature(&key, &v4_string_to_sign(date, scope, &canonical))
}

/// The AWS V4 `Authorization` value (docs/protocol/s3-signatures.md#v4-authorization-header).
/// The view must carry `x-amz-date` (or `Date`), `host` and, for S3, `x-amz-content-sha256`
/// (or `body_sha256`); `signed_headers` names the headers to sign (`host` among them).
pub fn aws_v4_authorization(
    access_key_id: &str,
    secret: &str,
    view: &SigningView,
    scope: &Scope,
    signed_headers: &[String],
) -> String {
    let signed = normalize_additional_headers(&signed_headers.join(";"));
    let date = match view.header("x-amz-date").map(str::trim) {
        Some(date) => date.to_owned(),
        None => view
            .header("date")
            .and_then(parse_aws_http_date)
            .map(format_iso8601_basic)
            .unwrap_or_default(),
    };
    let sig = aws_v4_sign(secret, view, scope, &date, &signed, false);
    format!(
        "{AWS_V4_ALGORITHM} Credential={}, SignedHeaders={}, Signature={sig}",
        scope.aws_credential(access_key_id),
        signed.join(";")
    )
}

/// The AWS V4 URL `X-Amz-Signature` (docs/protocol/s3-signatures.md#v4-presigned-urls); the
/// view's query must already carry every `X-Amz-*` presign parameter except `X-Amz-Signature`
/// (and `X-Amz-Security-Token` for STS credentials), and `date` equals its `X-Amz-Date`.
pub fn aws_v4_presign(
    secret: &str,
    view: &SigningView,
    scope: &Scope,
    date: &str,
    signed_headers: &[String],
) -> String {
    let signed = normalize_additional_headers(&signed_headers.join(";"));
    aws_v4_sign(secret, view, scope, date, &signed, true)
}

/// The AWS V2 `Authorization` value `AWS ak:signature` (docs/protocol/s3-signatures.md#v2-signature);
/// the view must carry `Date` or `x-amz-date`.
pub fn aws_v2_authorization(access_key_id: &str, secret: &str, view: &SigningView) -> String {
    let sts = aws_v2_string_to_sign(view, aws_v2_header_date(view), false);
    format!("AWS {access_key_id}:{}", v1_signature(secret, &sts))
}

/// The AWS V2 URL `Signature` for absolute expiry `expires`
/// (docs/protocol/s3-signatures.md#v2-presigned-urls); the view's query carries
/// `x-amz-security-token` for STS credentials.
pub fn aws_v2_presign_signature(secret: &str, view: &SigningView, expires: i64) -> String {
    let sts = aws_v2_string_to_sign(view, &expires.to_string(), true);
    v1_signature(secret, &sts)
}

/// The AWS V4 signature with the service's first canonical URI form.
fn aws_v4_sign(
    secret: &str,
    view: &SigningView,
    scope: &Scope,
    date: &str,
    signed: &[String],
    presigned: bool,
) -> String {
    let payload = aws_v4_payload_hash(view, &scope.product, presigned)
        .unwrap_or(Cow::Borrowed(UNSIGNED_PAYLOAD));
    let form = aws_v4_uri_forms(&scope.product, view.raw_path)
        .first()
        .copied()
        .unwrap_or(AwsUriForm::Raw);
    let canonical = aws_v4_canonical_request(view, signed, &payload, form, presigned);
    let key = aws_v4_signing_key(secret, &scope.date, &scope.region, &scope.product);
    v4_signature(&key, &aws_v4_string_to_sign(date, scope, &canonical))
}
