//! The OSS error: HTTP status, `Code`, `Message`, extra elements and EC code
//! (docs/protocol/errors.md, docs/protocol/sts.md#sts-credential-errors).
//!
//! Constructors carry the exact status, code and message text of docs/protocol/errors.md. The XML
//! document is rendered by [`OssError::to_xml`] (in `xml::error_doc`).

/// EC of `SignatureDoesNotMatch` for header-signed requests.
pub const EC_SIGNATURE_HEADER: &str = "0002-00000040";
/// EC of `SignatureDoesNotMatch` for presigned URLs (use with [`OssError::with_ec`]).
pub const EC_SIGNATURE_PRESIGNED: &str = "0002-00000307";
/// EC of `NoSuchKey`.
pub const EC_NO_SUCH_KEY: &str = "0026-00000001";
/// EC of `NoSuchBucket`.
pub const EC_NO_SUCH_BUCKET: &str = "0015-00000101";

/// An OSS error response, ready to render as the docs/protocol/errors.md#error-document document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} ({status}): {message}")]
pub struct OssError {
    /// HTTP status code.
    pub status: u16,
    /// The `<Code>` value, e.g. `NoSuchKey`.
    pub code: &'static str,
    /// The `<Message>` value.
    pub message: String,
    /// Extra elements written after `<HostId>`, in order (`Key`, `BucketName`, `Condition`, ...).
    pub extras: Vec<(&'static str, String)>,
    /// The EC code (`<EC>` element and `x-oss-ec` header), when known.
    pub ec: Option<&'static str>,
    /// Extra response headers (e.g. `x-oss-next-append-position`, `x-oss-delete-marker`).
    pub headers: Vec<(&'static str, String)>,
    /// Children of `<AccessDeniedDetail>`, written first among the extras when present (boxed:
    /// rare, and errors travel in `Result`s everywhere).
    pub access_denied_detail: Option<Box<Vec<(&'static str, String)>>>,
}

/// Defines no-argument constructors with fixed status, code and message.
macro_rules! fixed_errors {
    ($($(#[$doc:meta])* $name:ident => $status:literal, $code:literal, $msg:literal;)+) => {
        impl OssError {
            $($(#[$doc])* pub fn $name() -> Self { Self::new($status, $code, $msg) })+
        }
    };
}

/// Defines one-argument constructors whose argument becomes the message.
macro_rules! message_errors {
    ($($(#[$doc:meta])* $name:ident => $status:literal, $code:literal;)+) => {
        impl OssError {
            $($(#[$doc])* pub fn $name(message: impl Into<String>) -> Self {
                Self::new($status, $code, message)
            })+
        }
    };
}

impl OssError {
    /// An error with no extras, EC or headers.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            status,
            code,
            message,
            extras: Vec::new(),
            ec: None,
            headers: Vec::new(),
            access_denied_detail: None,
        }
    }

    /// Sets the children of `<AccessDeniedDetail>`
    /// (docs/protocol/access-denied.md#oss-accessdenied-document).
    pub fn with_access_denied_detail(mut self, detail: Vec<(&'static str, String)>) -> Self {
        self.access_denied_detail = Some(Box::new(detail));
        self
    }

    /// Appends an extra element (`name` must be a fixed, valid XML element name).
    pub fn with_extra(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.extras.push((name, value.into()));
        self
    }

    /// Sets the EC code.
    pub fn with_ec(mut self, ec: &'static str) -> Self {
        self.ec = Some(ec);
        self
    }

    /// Appends a response header to send with the error.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The value of the first extra element called `name`.
    pub fn extra(&self, name: &str) -> Option<&str> {
        self.extras
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// 404 `NoSuchKey` with `<Key>`.
    pub fn no_such_key(key: &str) -> Self {
        Self::new(404, "NoSuchKey", "The specified key does not exist.")
            .with_extra("Key", key)
            .with_ec(EC_NO_SUCH_KEY)
    }

    /// 404 `NoSuchBucket` with `<BucketName>`.
    pub fn no_such_bucket(name: &str) -> Self {
        Self::new(404, "NoSuchBucket", "The specified bucket does not exist.")
            .with_extra("BucketName", name)
            .with_ec(EC_NO_SUCH_BUCKET)
    }

    /// 409 `PositionNotEqualToLength`: an append at a position other than the object's
    /// `length`, which `x-oss-next-append-position` tells. OSS's message has no final period
    /// (ali-oss compares it verbatim); EC from OSS's error reference (0026-00000016).
    pub fn position_not_equal_to_length(length: u64) -> Self {
        Self::new(
            409,
            "PositionNotEqualToLength",
            "Position is not equal to file length",
        )
        .with_ec("0026-00000016")
        .with_header("x-oss-next-append-position", length.to_string())
    }

    /// 400 `InvalidTargetType`: the target of a read symlink is itself a symlink (OSS follows
    /// one level only; ali-oss's HEAD test reads the code from `x-oss-err`).
    pub fn invalid_target_type() -> Self {
        Self::new(
            400,
            "InvalidTargetType",
            "The symbolic's target file type is invalid",
        )
        .with_ec("0026-00000011")
    }

    /// 409 `BucketNotEmpty` with `<BucketName>`.
    pub fn bucket_not_empty(name: &str) -> Self {
        Self::new(
            409,
            "BucketNotEmpty",
            "The bucket you tried to delete is not empty.",
        )
        .with_extra("BucketName", name)
    }

    /// 400 `InvalidBucketName` with `<BucketName>`.
    pub fn invalid_bucket_name(name: &str) -> Self {
        Self::new(
            400,
            "InvalidBucketName",
            "The specified bucket is not valid.",
        )
        .with_extra("BucketName", name)
    }

    /// 412 `PreconditionFailed` with `<Condition>` (e.g. `If-Match`).
    pub fn precondition_failed(condition: &str) -> Self {
        let msg = "At least one of the pre-conditions you specified did not hold.";
        Self::new(412, "PreconditionFailed", msg).with_extra("Condition", condition)
    }

    /// 400 `InvalidArgument` with `<ArgumentName>` and `<ArgumentValue>`.
    pub fn invalid_argument_value(message: &str, name: &str, value: &str) -> Self {
        Self::invalid_argument(message)
            .with_extra("ArgumentName", name)
            .with_extra("ArgumentValue", value)
    }

    /// 400 `NotImplemented`: `what` (a feature, header or parameter) is not supported.
    pub fn not_implemented(what: &str) -> Self {
        Self::new(400, "NotImplemented", format!("{what} is not implemented."))
    }

    /// 403 `RequestTimeTooSkewed` with `<RequestTime>` and `<ServerTime>` (ISO 8601).
    pub fn request_time_too_skewed(request_time: &str, server_time: &str) -> Self {
        let msg = "The difference between the request time and the current time is too large.";
        Self::new(403, "RequestTimeTooSkewed", msg)
            .with_extra("RequestTime", request_time)
            .with_extra("ServerTime", server_time)
    }

    /// 403 `InvalidAccessKeyId` with `<OSSAccessKeyId>`.
    pub fn invalid_access_key_id(access_key_id: &str) -> Self {
        let msg = "The OSS Access Key Id you provided does not exist in our records.";
        Self::new(403, "InvalidAccessKeyId", msg).with_extra("OSSAccessKeyId", access_key_id)
    }

    /// 403 `SignatureDoesNotMatch` with the debugging extras of
    /// docs/protocol/errors.md#authentication-errors: OSSAccessKeyId, SignatureProvided,
    /// StringToSign, StringToSignBytes, and for V4 also CanonicalRequest(Bytes).
    pub fn signature_does_not_match(
        access_key_id: &str,
        string_to_sign: &str,
        canonical_request: Option<&str>,
        signature_provided: &str,
    ) -> Self {
        let msg = "The request signature we calculated does not match the signature you provided. \
                   Check your key and signing method.";
        let err = Self::new(403, "SignatureDoesNotMatch", msg)
            .with_extra("OSSAccessKeyId", access_key_id)
            .with_extra("SignatureProvided", signature_provided)
            .with_extra("StringToSign", string_to_sign)
            .with_extra("StringToSignBytes", string_to_sign_bytes(string_to_sign))
            .with_ec(EC_SIGNATURE_HEADER);
        match canonical_request {
            Some(cr) => err
                .with_extra("CanonicalRequest", cr)
                .with_extra("CanonicalRequestBytes", string_to_sign_bytes(cr)),
            None => err,
        }
    }
}

/// The `StringToSignBytes` form: each byte as two uppercase hex digits, separated by spaces.
pub fn string_to_sign_bytes(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() * 3);
    for (i, b) in s.bytes().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

message_errors! {
    /// 403 `AccessDenied` with the given message.
    access_denied => 403, "AccessDenied";
    /// 400 `InvalidArgument` with the given message.
    invalid_argument => 400, "InvalidArgument";
    /// 400 `MissingArgument` with the given message (OSS default: `Missing Some Required Arguments.`).
    missing_argument => 400, "MissingArgument";
    /// 400 `InvalidRequest` with the given message.
    invalid_request => 400, "InvalidRequest";
    /// 400 `BadRequest` with the given message (v2 retries it: prefer specific codes).
    bad_request => 400, "BadRequest";
    /// 400 `InvalidPolicyDocument` with the given message (PostObject policy).
    invalid_policy_document => 400, "InvalidPolicyDocument";
    /// 400 `InvalidTag` with the given message (object tagging).
    invalid_tag => 400, "InvalidTag";
}

fixed_errors! {
    /// 400 `MalformedXML`.
    malformed_xml => 400, "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema.";
    /// 400 `InvalidDigest` (Content-MD5 mismatch or not a Base64 MD5).
    invalid_digest => 400, "InvalidDigest", "The Content-MD5 you specified was invalid.";
    /// 416 `InvalidRange`.
    invalid_range => 416, "InvalidRange", "The requested range cannot be satisfied.";
    /// 409 `BucketAlreadyExists`.
    bucket_already_exists => 409, "BucketAlreadyExists", "The requested bucket name is not available.";
    /// 409 `FileAlreadyExists` (`x-oss-forbid-overwrite: true`).
    file_already_exists => 409, "FileAlreadyExists",
        "The object you specified already exists and can not be overwritten.";
    /// 409 `ObjectNotAppendable`.
    object_not_appendable => 409, "ObjectNotAppendable", "The object is not appendable.";
    /// 400 `EntityTooLarge`.
    entity_too_large => 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.";
    /// 400 `EntityTooSmall` (a non-last multipart part under 100 KB).
    entity_too_small => 400, "EntityTooSmall",
        "Your proposed upload smaller than the minimum allowed size.";
    /// 411 `MissingContentLength`.
    missing_content_length => 411, "MissingContentLength",
        "You must provide the Content-Length HTTP header.";
    /// 405 `MethodNotAllowed`.
    method_not_allowed => 405, "MethodNotAllowed",
        "The specified method is not allowed against this resource.";
    /// 400 `InvalidObjectName`.
    invalid_object_name => 400, "InvalidObjectName", "The specified object is not valid.";
    /// 404 `SymlinkTargetNotExist`.
    symlink_target_not_exist => 404, "SymlinkTargetNotExist",
        "The symlink target object does not exist.";
    /// 404 `NoSuchUpload`.
    no_such_upload => 404, "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.";
    /// 404 `NoSuchVersion`.
    no_such_version => 404, "NoSuchVersion", "The specified version does not exist.";
    /// 400 `InvalidPart`.
    invalid_part => 400, "InvalidPart",
        "One or more of the specified parts could not be found or the specified entity.";
    /// 400 `InvalidPartOrder`.
    invalid_part_order => 400, "InvalidPartOrder", "The list of parts was not in ascending order.";
    /// 403 `InvalidSecurityToken`.
    invalid_security_token => 403, "InvalidSecurityToken", "The security token you provided is invalid.";
    /// 403 `SecurityTokenExpired`.
    security_token_expired => 403, "SecurityTokenExpired", "The security token you provided has expired.";
    /// 403 `AccessKeyIdAndSecurityTokenNotMatch`.
    access_key_id_and_security_token_not_match => 403, "AccessKeyIdAndSecurityTokenNotMatch",
        "The OSS access key id and security token you provided does not match.";
    /// 500 `InternalError`.
    internal_error => 500, "InternalError", "We encountered an internal error. Please try again.";
    /// 400 `TooManyBuckets`.
    too_many_buckets => 400, "TooManyBuckets", "You have attempted to create more buckets than allowed.";
    /// 404 `NoSuchCORSConfiguration`.
    no_such_cors_configuration => 404, "NoSuchCORSConfiguration", "The CORS Configuration does not exist.";
    /// 403 `AccessForbidden`: no CORS rule matched a preflight (OSS's typos kept).
    cors_forbidden => 403, "AccessForbidden",
        "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec.";
    /// 503 `ServiceUnavailable`.
    service_unavailable => 503, "ServiceUnavailable", "Please reduce your request rate.";
    /// 503 `SlowDown`.
    slow_down => 503, "SlowDown", "Please reduce your request rate.";
    /// 403 `AccessDenied`: presigned URL expired.
    request_expired => 403, "AccessDenied", "Request has expired.";
    /// 403 `AccessDenied`: missing or unparseable Date.
    invalid_date => 403, "AccessDenied", "OSS authentication requires a valid Date.";
    /// 403 `AccessDenied`: V1 presign parameters incomplete.
    presign_params_incomplete => 403, "AccessDenied",
        "Query string authentication requires the Signature, Expires and OSSAccessKeyId parameters";
    /// 403 `AccessDenied`: anonymous caller on an owner-only operation.
    anonymous_forbidden => 403, "AccessDenied", "Anonymous access is forbidden for this operation.";
    /// 403 `AccessDenied`: an STS policy denied the request.
    policy_denied => 403, "AccessDenied", "Access denied by authorizer's policy.";
    /// 400 `InvalidRequest`: STS token sent in a header where the query is required.
    security_token_not_in_query => 400, "InvalidRequest",
        "Security-token must be provided by query string parameter.";
    /// 400 `InvalidRequest`: `response-*` overrides on an anonymous GET.
    anonymous_response_override => 400, "InvalidRequest",
        "Request specific response headers cannot be used for anonymous GET requests.";
    /// 400 `RequestIsNotMultiPartContent` (PostObject).
    request_is_not_multipart => 400, "RequestIsNotMultiPartContent",
        "Bucket POST must be of the enclosure-type multipart/form-data.";
    /// 400 `IncorrectNumberOfFilesInPOSTRequest` (PostObject).
    incorrect_number_of_files => 400, "IncorrectNumberOfFilesInPOSTRequest",
        "POST requires exactly one file upload per request.";
    /// 400 `FieldItemTooLong` (PostObject form field).
    field_item_too_long => 400, "FieldItemTooLong", "Your POST form field item is too long.";
    /// 400 `IncompleteBody`: the body ended before Content-Length bytes.
    incomplete_body => 400, "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header.";
    /// 400 `InvalidURI`: the path or query could not be parsed.
    invalid_uri => 400, "InvalidURI", "Couldn't parse the specified URI.";
    /// 400 `MaxPOSTPreDataLengthExceededError` (PostObject fields before the file).
    max_post_pre_data_length_exceeded => 400, "MaxPOSTPreDataLengthExceededError",
        "Your POST request fields preceeding the upload file was too large.";
}
