//! The AWS STS error codes ossd answers with (docs/protocol/aws-sts.md#errors): each with its
//! HTTP status, `Type` and default message, and [`AwsError`], a code with its message.

/// An AWS STS error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AwsCode {
    /// 403: not allowed (permission, trust, missing role, root, temporary credentials).
    AccessDenied,
    /// 400: a missing or out-of-range parameter.
    ValidationError,
    /// 400: a parameter value ossd does not support.
    InvalidParameterValue,
    /// 400: the session policy is invalid.
    MalformedPolicyDocument,
    /// 400: the session policy is too large.
    PackedPolicyTooLarge,
    /// 400: the caller's session token expired.
    ExpiredToken,
    /// 403: unknown or inactive AccessKey, invalid session token.
    InvalidClientTokenId,
    /// 403: wrong signature, or request time outside the window.
    SignatureDoesNotMatch,
    /// 400: a malformed or non-AWS signature.
    IncompleteSignature,
    /// 403: the request is not signed.
    MissingAuthenticationToken,
    /// 400: a presigned request past its expiry.
    RequestExpired,
    /// 400: no `Action`.
    MissingAction,
    /// 400: an `Action` ossd does not implement.
    InvalidAction,
    /// 400: the request body is too large or unreadable (ossd's choice).
    InvalidRequest,
    /// 500: a backend failure.
    InternalFailure,
}

impl AwsCode {
    /// The `Code` as sent; also the bounded metrics label.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AccessDenied => "AccessDenied",
            Self::ValidationError => "ValidationError",
            Self::InvalidParameterValue => "InvalidParameterValue",
            Self::MalformedPolicyDocument => "MalformedPolicyDocument",
            Self::PackedPolicyTooLarge => "PackedPolicyTooLarge",
            Self::ExpiredToken => "ExpiredToken",
            Self::InvalidClientTokenId => "InvalidClientTokenId",
            Self::SignatureDoesNotMatch => "SignatureDoesNotMatch",
            Self::IncompleteSignature => "IncompleteSignature",
            Self::MissingAuthenticationToken => "MissingAuthenticationToken",
            Self::RequestExpired => "RequestExpired",
            Self::MissingAction => "MissingAction",
            Self::InvalidAction => "InvalidAction",
            Self::InvalidRequest => "InvalidRequest",
            Self::InternalFailure => "InternalFailure",
        }
    }

    /// The HTTP status.
    pub const fn status(self) -> u16 {
        match self {
            Self::AccessDenied
            | Self::InvalidClientTokenId
            | Self::SignatureDoesNotMatch
            | Self::MissingAuthenticationToken => 403,
            Self::InternalFailure => 500,
            _ => 400,
        }
    }

    /// `Sender` for client errors, `Receiver` for server errors.
    pub const fn error_type(self) -> &'static str {
        if self.status() >= 500 {
            "Receiver"
        } else {
            "Sender"
        }
    }

    /// The message sent when nothing more specific is known.
    pub const fn default_message(self) -> &'static str {
        match self {
            Self::AccessDenied => "Access denied.",
            Self::ValidationError => "1 validation error detected.",
            Self::InvalidParameterValue => "An invalid or out-of-range value was supplied.",
            Self::MalformedPolicyDocument => "The policy document is malformed.",
            Self::PackedPolicyTooLarge => "The session policy is too large.",
            Self::ExpiredToken => "The security token included in the request is expired",
            Self::InvalidClientTokenId => "The security token included in the request is invalid.",
            Self::SignatureDoesNotMatch => {
                "The request signature we calculated does not match the signature you provided. \
                 Check your AWS Secret Access Key and signing method. Consult the service \
                 documentation for details."
            }
            Self::IncompleteSignature => "The request signature does not conform to AWS standards.",
            Self::MissingAuthenticationToken => "Request is missing Authentication Token",
            Self::RequestExpired => "Request has expired.",
            Self::MissingAction => "Missing Action",
            Self::InvalidAction => "The action or operation requested is invalid.",
            Self::InvalidRequest => "The request body is too large or could not be read.",
            Self::InternalFailure => {
                "The request processing has failed because of an unknown error, exception or \
                 failure."
            }
        }
    }
}

impl std::fmt::Display for AwsCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error as AWS STS clients see it: a code and its message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AwsError {
    /// The code (status and `Type` follow from it).
    pub code: AwsCode,
    /// The `Message`.
    pub message: String,
}

impl AwsError {
    /// `code` with its default message.
    pub fn new(code: AwsCode) -> Self {
        Self::with(code, code.default_message())
    }

    /// `code` with `message`.
    pub fn with(code: AwsCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// A `ValidationError` for the member `member` (lower camel case, as AWS names it).
    pub fn validation(value: Option<&str>, member: &str, constraint: &str) -> Self {
        let value = value.map_or_else(|| "null".to_owned(), |v| format!("'{v}'"));
        Self::with(
            AwsCode::ValidationError,
            format!(
                "1 validation error detected: Value {value} at '{member}' failed to satisfy \
                 constraint: {constraint}"
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_types() {
        assert_eq!(AwsCode::AccessDenied.status(), 403);
        assert_eq!(AwsCode::ExpiredToken.status(), 400);
        assert_eq!(AwsCode::MissingAuthenticationToken.status(), 403);
        assert_eq!(AwsCode::InternalFailure.error_type(), "Receiver");
        assert_eq!(AwsCode::ValidationError.error_type(), "Sender");
        let e = AwsError::validation(
            Some("a"),
            "roleSessionName",
            "Member must have length greater than or equal to 2",
        );
        assert_eq!(
            e.message,
            "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy \
             constraint: Member must have length greater than or equal to 2"
        );
        assert_eq!(
            AwsError::validation(None, "roleArn", "Member must not be null").message,
            "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: \
             Member must not be null"
        );
    }
}
