//! Client-side signing helpers (benchmark client, tests), built on the verification code paths.

use crate::crypto::{v1_signature, v2_signature, v4_signature, v4_signing_key};
use crate::scope::Scope;
use crate::v1::{header_date, v1_string_to_sign};
use crate::v2::v2_string_to_sign;
use crate::v4::{EmptyValueForm, V4_ALGORITHM, v4_canonical_request, v4_string_to_sign};
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
