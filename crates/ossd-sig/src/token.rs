//! Where the STS security token comes from, per scheme
//! (docs/protocol/signatures.md#security-token-carriers,
//! docs/protocol/s3-signatures.md#security-token-carriers).

use crate::auth::Scheme;
use crate::error::SigError;
use crate::view::SigningView;

/// The security token of a request with this scheme, or `TokenNotInQuery` when a presigned URL
/// carries it only in a header.
pub(crate) fn security_token(
    scheme: Scheme,
    view: &SigningView,
) -> Result<Option<String>, SigError> {
    let header = non_empty(view.header("x-oss-security-token"));
    match scheme {
        // The Python v2 SDK sends `security-token` (no prefix) in V1 header mode.
        Scheme::V1Header => Ok(header.or_else(|| non_empty(view.header("security-token")))),
        Scheme::V2Header | Scheme::V4Header => Ok(header),
        Scheme::V1Query | Scheme::V2Query => from_query(view, "security-token", header.is_some()),
        Scheme::V4Query => from_query(view, "x-oss-security-token", header.is_some()),
        Scheme::AwsV4Header | Scheme::AwsV2Header => {
            Ok(non_empty(view.header("x-amz-security-token")))
        }
        Scheme::AwsV4Query => aws_from_query(view, "X-Amz-Security-Token"),
        Scheme::AwsV2Query => aws_from_query(view, "x-amz-security-token"),
    }
}

/// An AWS presigned URL's token: query parameter `key`, else the `x-amz-security-token` header.
fn aws_from_query(view: &SigningView, key: &str) -> Result<Option<String>, SigError> {
    match view.unique_query(key)?.filter(|t| !t.is_empty()) {
        Some(token) => Ok(Some(token.to_owned())),
        None => Ok(non_empty(view.header("x-amz-security-token"))),
    }
}

/// The token from query parameter `key`.
fn from_query(view: &SigningView, key: &str, in_header: bool) -> Result<Option<String>, SigError> {
    match view.unique_query(key)?.filter(|t| !t.is_empty()) {
        Some(token) => Ok(Some(token.to_owned())),
        None if in_header => Err(SigError::TokenNotInQuery),
        None => Ok(None),
    }
}

/// A trimmed, non-empty header value.
fn non_empty(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}
