//! Verification: time checks first, then the signature, compared in constant time.

use time::OffsetDateTime;

use crate::auth::{AuthRequest, Detail};
use crate::aws_v2::{aws_v2_header_date, aws_v2_string_to_sign};
use crate::aws_v4::{
    aws_v4_canonical_request, aws_v4_payload_hash, aws_v4_string_to_sign, aws_v4_uri_forms,
    missing_signed_header,
};
use crate::crypto::{aws_v4_signing_key, v4_signing_key};
use crate::crypto::{signatures_equal, v1_signature, v2_signature, v4_signature};
use crate::error::SigError;
use crate::key_cache::SigningKeyCache;
use crate::scope::Scope;
use crate::v1::{header_date, v1_string_to_sign};
use crate::v2::v2_string_to_sign;
use crate::v4::{
    EmptyValueForm, has_empty_equals, missing_additional_header, v4_canonical_request,
    v4_string_to_sign,
};
use crate::view::SigningView;
use crate::window::{
    check_aws_v2_header_date, check_aws_v4_header_date, check_aws_v4_url, check_not_expired,
    check_rfc1123, check_v4_header_date, check_v4_url, date_header,
};

/// The two times a verification compares with. They differ only when the server's clock is
/// moved (the emulator's clock offset): expiry follows the server's clock, while the 15-minute
/// window compares the client's request time with the real time, so clients need no fake time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyTime {
    /// The server's (effective) time: signed URLs expire against it.
    pub effective: OffsetDateTime,
    /// The real wall-clock time: request times (`Date`, `x-oss-date`) must lie within
    /// [`MAX_SKEW_SECS`](crate::MAX_SKEW_SECS) of it, and a V4 URL may not be signed further
    /// ahead of it.
    pub real: OffsetDateTime,
}

impl VerifyTime {
    /// Both times equal to `now` (no clock offset).
    pub fn at(now: OffsetDateTime) -> Self {
        Self {
            effective: now,
            real: now,
        }
    }
}

/// Checks time (skew for header auth, expiry for URLs) and then the signature, with one `now`
/// for both and a V4 signing key derived afresh; see [`verify_at`].
pub fn verify(
    auth: &AuthRequest,
    view: &SigningView,
    secret: &str,
    now: OffsetDateTime,
) -> Result<(), SigError> {
    let check = Check {
        auth,
        view,
        secret,
        keys: None,
    };
    check.run(VerifyTime::at(now))
}

/// Checks time and then the signature: the skew window of header auth against `time.real`,
/// the expiry of URLs against `time.effective`. A V4 signing key comes from `keys`.
pub fn verify_at(
    auth: &AuthRequest,
    view: &SigningView,
    secret: &str,
    time: VerifyTime,
    keys: &SigningKeyCache,
) -> Result<(), SigError> {
    let check = Check {
        auth,
        view,
        secret,
        keys: Some(keys),
    };
    check.run(time)
}

impl Check<'_> {
    /// The time checks of the request's scheme, then its signature.
    fn run(&self, time: VerifyTime) -> Result<(), SigError> {
        let view = self.view;
        let now = time.effective.unix_timestamp();
        let real = time.real.unix_timestamp();
        match &self.auth.detail {
            Detail::V1Header => {
                let date = header_date(view).ok_or(SigError::MissingDate)?;
                check_rfc1123(date, real)?;
                self.v1(date)
            }
            Detail::V1Query {
                expires,
                expires_raw,
            } => {
                check_not_expired(*expires, now)?;
                self.v1(expires_raw)
            }
            Detail::V2Header { additional } => {
                let date = date_header(view, "date")?;
                check_rfc1123(date, real)?;
                self.v2(date, additional)
            }
            Detail::V2Query {
                expires,
                expires_raw,
                additional,
            } => {
                check_not_expired(*expires, now)?;
                self.v2(expires_raw, additional)
            }
            Detail::V4Header { scope, additional } => {
                let date = date_header(view, "x-oss-date")?;
                check_v4_header_date(date, scope, real)?;
                self.v4(scope, additional, date)
            }
            Detail::V4Query {
                scope,
                additional,
                date_raw,
                date,
                expires,
            } => {
                check_v4_url(date_raw, scope, *date, *expires, time)?;
                self.v4(scope, additional, date_raw)
            }
            Detail::AwsV4Header {
                scope,
                signed_headers,
            } => {
                let date = check_aws_v4_header_date(view, scope, real)?;
                self.aws_v4(scope, signed_headers, &date)
            }
            Detail::AwsV4Query {
                scope,
                signed_headers,
                date_raw,
                date,
                expires,
            } => {
                check_aws_v4_url(date_raw, scope, *date, *expires, time)?;
                self.aws_v4(scope, signed_headers, date_raw)
            }
            Detail::AwsV2Header => {
                check_aws_v2_header_date(view, real)?;
                self.aws_v2(aws_v2_header_date(view))
            }
            Detail::AwsV2Query {
                expires,
                expires_raw,
            } => {
                check_not_expired(*expires, now)?;
                self.aws_v2(expires_raw)
            }
        }
    }
}

/// The signature check of one request.
struct Check<'a> {
    auth: &'a AuthRequest,
    view: &'a SigningView<'a>,
    secret: &'a str,
    /// Where V4 signing keys come from (`None`: derived for this check alone).
    keys: Option<&'a SigningKeyCache>,
}

impl Check<'_> {
    /// V1: one string to sign. Every sub-resource and `x-oss-*` query key is in it, with no
    /// retry without them, so none can be added to a signed request ([`V1QueryKey`](crate::V1QueryKey)).
    fn v1(&self, date: &str) -> Result<(), SigError> {
        let sts = v1_string_to_sign(self.view, date);
        if self.matches(&v1_signature(self.secret, &sts)) {
            return Ok(());
        }
        Err(self.mismatch(sts, None))
    }

    /// V2: one string to sign; a listed additional header missing from the request never matches.
    fn v2(&self, date: &str, additional: &[String]) -> Result<(), SigError> {
        let presigned = self.auth.scheme.is_presigned();
        let sts = v2_string_to_sign(self.view, date, additional, presigned);
        let complete = missing_additional_header(self.view, additional).is_none();
        if complete && self.matches(&v2_signature(self.secret, &sts)) {
            return Ok(());
        }
        Err(self.mismatch(sts, None))
    }

    /// V4: the bare-key canonical query, then the `k=` form if a parameter arrived as `k=`
    /// (docs/protocol/signatures.md#v4-empty-query-values).
    fn v4(&self, scope: &Scope, additional: &[String], date: &str) -> Result<(), SigError> {
        let presigned = self.auth.scheme.is_presigned();
        let (date_scope, region, product) = (&scope.date, &scope.region, &scope.product);
        let key = match self.keys {
            Some(keys) => keys.v4_signing_key(self.secret, date_scope, region, product),
            None => v4_signing_key(self.secret, date_scope, region, product),
        };
        let strings = |form| {
            let canonical = v4_canonical_request(self.view, additional, presigned, form);
            let sts = v4_string_to_sign(date, scope, &canonical);
            (canonical, sts)
        };
        let complete = missing_additional_header(self.view, additional).is_none();
        let (canonical, sts) = strings(EmptyValueForm::BareKey);
        if complete && self.matches(&v4_signature(&key, &sts)) {
            return Ok(());
        }
        if complete && has_empty_equals(self.view.query, presigned) {
            let (_, retry) = strings(EmptyValueForm::KeepEquals);
            if self.matches(&v4_signature(&key, &retry)) {
                return Ok(());
            }
        }
        Err(self.mismatch(sts, Some(canonical)))
    }

    /// AWS V4 (docs/protocol/s3-signatures.md#v4-canonical-request): the payload hash first (a
    /// missing or invalid one is its own error), then each canonical URI form of the service; a
    /// signed header missing from the request never matches.
    fn aws_v4(&self, scope: &Scope, signed_headers: &[String], date: &str) -> Result<(), SigError> {
        let view = self.view;
        let presigned = self.auth.scheme.is_presigned();
        let payload = aws_v4_payload_hash(view, &scope.product, presigned)?;
        let (date_scope, region, service) = (&scope.date, &scope.region, &scope.product);
        let key = match self.keys {
            Some(keys) => keys.aws_v4_signing_key(self.secret, date_scope, region, service),
            None => aws_v4_signing_key(self.secret, date_scope, region, service),
        };
        let complete = !missing_signed_header(view, signed_headers);
        let mut first = None;
        for &form in aws_v4_uri_forms(service, view.raw_path) {
            let canonical =
                aws_v4_canonical_request(view, signed_headers, &payload, form, presigned);
            let sts = aws_v4_string_to_sign(date, scope, &canonical);
            if complete && self.matches(&v4_signature(&key, &sts)) {
                return Ok(());
            }
            first.get_or_insert((sts, canonical));
        }
        let (sts, canonical) = first.unwrap_or_default();
        Err(self.mismatch(sts, Some(canonical)))
    }

    /// AWS V2 (docs/protocol/s3-signatures.md#v2-signature): one string to sign, HMAC-SHA1.
    fn aws_v2(&self, date: &str) -> Result<(), SigError> {
        let presigned = self.auth.scheme.is_presigned();
        let sts = aws_v2_string_to_sign(self.view, date, presigned);
        if self.matches(&v1_signature(self.secret, &sts)) {
            return Ok(());
        }
        Err(self.mismatch(sts, None))
    }

    /// Constant-time comparison with the signature the client sent.
    fn matches(&self, expected: &str) -> bool {
        signatures_equal(expected, &self.auth.signature)
    }

    /// A `SignatureDoesNotMatch` carrying the server's strings.
    fn mismatch(&self, string_to_sign: String, canonical_request: Option<String>) -> SigError {
        SigError::Mismatch {
            string_to_sign,
            canonical_request,
            signature_provided: self.auth.signature.clone(),
        }
    }
}
