//! The OSS error model: [`OssCode`] (every error code ossd sends, with its HTTP status and
//! default message), [`OssError`] (one error response: code, message, extra elements, EC code,
//! headers) and [`Refusal`] (why a request was refused, for metrics and audit). See
//! `docs/protocol/errors.md`.
//!
//! Constructors carry the exact status, code and message text OSS sends. The XML document is
//! rendered by [`OssError::to_xml`] (in `xml::error_doc`).

/// EC of `SignatureDoesNotMatch` for header-signed requests.
pub const EC_SIGNATURE_HEADER: &str = "0002-00000040";
/// EC of `SignatureDoesNotMatch` for presigned URLs (use with [`OssError::with_ec`]).
pub const EC_SIGNATURE_PRESIGNED: &str = "0002-00000307";
/// EC of `NoSuchKey`.
pub const EC_NO_SUCH_KEY: &str = "0026-00000001";
/// EC of `NoSuchBucket`.
pub const EC_NO_SUCH_BUCKET: &str = "0015-00000101";

/// Declares [`OssCode`] with each code's HTTP status and default message from one list.
macro_rules! oss_codes {
    ($($(#[$doc:meta])* $name:ident => $status:literal, $msg:literal;)+) => {
        /// An OSS error code (the `<Code>` element). Each has the HTTP status it is sent with
        /// and a default message; constructors of [`OssError`] may give a more precise one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(clippy::upper_case_acronyms)] // the codes are spelled as OSS spells them
        #[non_exhaustive]
        pub enum OssCode {
            $($(#[$doc])* $name),+
        }

        impl OssCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [OssCode] = &[$(Self::$name),+];

            /// The code as sent on the wire, e.g. `NoSuchKey`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$name => stringify!($name)),+
                }
            }

            /// The HTTP status the code is sent with.
            pub const fn status(self) -> u16 {
                match self {
                    $(Self::$name => $status),+
                }
            }

            /// The message sent when the error gives no more precise one.
            pub const fn default_message(self) -> &'static str {
                match self {
                    $(Self::$name => $msg),+
                }
            }
        }
    };
}

oss_codes! {
    /// Denied by policy or ACL, or an unusable request date or URL.
    AccessDenied => 403, "Access Denied";
    /// S3 dialect: an ACL on a bucket whose ownership controls disable ACLs
    /// (`BucketOwnerEnforced`; S3 User Guide, "Troubleshooting" Object Ownership).
    AccessControlListNotSupported => 400, "The bucket does not allow ACLs";
    /// No CORS rule matched a preflight.
    AccessForbidden => 403, "CORSResponse: This CORS request is not allowed.";
    /// The AccessKey id and the STS token do not belong together.
    AccessKeyIdAndSecurityTokenNotMatch => 403,
        "The OSS access key id and security token you provided does not match.";
    /// ossd-specific: online backup is not available on this store.
    BackupNotSupported => 400, "Online backup is not supported by this store.";
    /// S3 dialect: a checksum of the body differs from the one the client declared.
    BadDigest => 400, "The checksum you specified did not match the calculated checksum.";
    /// A request OSS refuses without a more specific code.
    BadRequest => 400, "Bad Request.";
    /// The bucket name is taken.
    BucketAlreadyExists => 409, "The requested bucket name is not available.";
    /// DeleteBucket on a bucket that still has objects or uploads.
    BucketNotEmpty => 409, "The bucket you tried to delete is not empty.";
    /// The body is larger than the operation allows.
    EntityTooLarge => 400, "Your proposed upload exceeds the maximum allowed size.";
    /// A non-last multipart part under the minimum size.
    EntityTooSmall => 400, "Your proposed upload smaller than the minimum allowed size.";
    /// A PostObject form field is too long.
    FieldItemTooLong => 400, "Your POST form field item is too long.";
    /// `x-oss-forbid-overwrite: true` and the object exists.
    FileAlreadyExists => 409, "The object you specified already exists and can not be overwritten.";
    /// The image cannot be decoded.
    ImageDamage => 400, "The image file may be damaged.";
    /// The image or the output exceeds a size limit.
    ImageTooLarge => 400, "The image is too large.";
    /// The body ended before `Content-Length` bytes.
    IncompleteBody => 400,
        "You did not provide the number of bytes specified by the Content-Length HTTP header.";
    /// A PostObject without exactly one file.
    IncorrectNumberOfFilesInPOSTRequest => 400, "POST requires exactly one file upload per request.";
    /// An unexpected server failure.
    InternalError => 500, "We encountered an internal error. Please try again.";
    /// The AccessKey id is unknown or inactive.
    InvalidAccessKeyId => 403, "The OSS Access Key Id you provided does not exist in our records.";
    /// A parameter or header has a bad value.
    InvalidArgument => 400, "Invalid Argument.";
    /// S3 dialect: `BucketOwnerEnforced` asked for on a bucket whose ACL grants others access
    /// (S3 User Guide, "Troubleshooting" Object Ownership).
    InvalidBucketAclWithObjectOwnership => 400,
        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting";
    /// The bucket name is not valid.
    InvalidBucketName => 400, "The specified bucket is not valid.";
    /// S3 dialect: an `aws-chunked` body is not framed as that encoding requires.
    InvalidChunkSizeError => 400, "The chunked body is malformed.";
    /// `Content-MD5` is not a Base64 MD5 or does not match the body.
    InvalidDigest => 400, "The Content-MD5 you specified was invalid.";
    /// `x-oss-server-side-encryption` names no algorithm OSS supports (PutObject reference).
    InvalidEncryptionAlgorithmError => 400,
        "The Encryption request you specified is not valid. Supported value: AES256/KMS/SM4.";
    /// The object key is not valid.
    InvalidObjectName => 400, "The specified object is not valid.";
    /// An archived object that is not restored.
    InvalidObjectState => 403, "The operation is not valid for the object's state.";
    /// A part of a completion is missing or its ETag differs.
    InvalidPart => 400, "One or more of the specified parts could not be found or the specified entity.";
    /// The parts of a completion are not in ascending order.
    InvalidPartOrder => 400, "The list of parts was not in ascending order.";
    /// A PostObject policy is malformed or a condition failed.
    InvalidPolicyDocument => 400, "Invalid Policy Document.";
    /// A range that cannot be satisfied.
    InvalidRange => 416, "The requested range cannot be satisfied.";
    /// A request that is not valid as a whole.
    InvalidRequest => 400, "Invalid Request.";
    /// The STS token cannot be opened.
    InvalidSecurityToken => 403, "The security token you provided is invalid.";
    /// A tag set that is not valid.
    InvalidTag => 400, "Invalid Tag.";
    /// The target of a symlink is itself a symlink.
    InvalidTargetType => 400, "The symbolic's target file type is invalid";
    /// The path or query cannot be parsed.
    InvalidURI => 400, "Couldn't parse the specified URI.";
    /// A PostObject form that cannot be parsed.
    MalformedPOSTRequest => 400,
        "The body of your POST request is not well-formed multipart/form-data.";
    /// An XML body that is not well formed or not valid.
    MalformedXML => 400,
        "The XML you provided was not well-formed or did not validate against our published schema.";
    /// S3 dialect: a PutBucketAcl / PutObjectAcl `AccessControlPolicy` body that is not a
    /// well-formed document with that root (S3 API reference, "Error responses").
    MalformedACLError => 400,
        "The XML you provided was not well-formed or did not validate against our published schema.";
    /// PostObject fields before the file are too large.
    MaxPOSTPreDataLengthExceededError => 400,
        "Your POST request fields preceeding the upload file was too large.";
    /// The method is not allowed on the resource.
    MethodNotAllowed => 405, "The specified method is not allowed against this resource.";
    /// A required parameter or header is absent.
    MissingArgument => 400, "Missing Some Required Arguments.";
    /// A write without `Content-Length`.
    MissingContentLength => 411, "You must provide the Content-Length HTTP header.";
    /// The bucket does not exist.
    NoSuchBucket => 404, "The specified bucket does not exist.";
    /// The bucket has no policy.
    NoSuchBucketPolicy => 404, "The bucket policy does not exist.";
    /// The bucket has no CORS configuration.
    NoSuchCORSConfiguration => 404, "The CORS Configuration does not exist.";
    /// The object does not exist.
    NoSuchKey => 404, "The specified key does not exist.";
    /// The bucket has no lifecycle configuration.
    NoSuchLifecycle => 404, "No Row found in Lifecycle Table.";
    /// S3 dialect: the bucket has no Block Public Access configuration
    /// (GetPublicAccessBlock).
    NoSuchPublicAccessBlockConfiguration => 404, "The public access block configuration was not found.";
    /// The image style does not exist.
    NoSuchStyle => 404, "No Such Image Style.";
    /// S3 dialect: the bucket has no tags (GetBucketTagging).
    NoSuchTagSet => 404, "The TagSet does not exist.";
    /// The multipart upload does not exist.
    NoSuchUpload => 404,
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.";
    /// The version does not exist.
    NoSuchVersion => 404, "The specified version does not exist.";
    /// A root-only endpoint that does not exist.
    NotFound => 404, "Not Found.";
    /// A feature, parameter or header ossd does not implement.
    NotImplemented => 501, "Not Implemented.";
    /// AppendObject on an object that is not appendable.
    ObjectNotAppendable => 409, "The object is not appendable.";
    /// An operation that does not apply to the object (e.g. restoring a Standard object).
    OperationNotSupported => 400, "The operation is not supported for this resource.";
    /// S3 dialect: the bucket has no ownership controls (GetBucketOwnershipControls).
    OwnershipControlsNotFoundError => 404, "The bucket ownership controls were not found";
    /// An append at a position other than the object's length.
    PositionNotEqualToLength => 409, "Position is not equal to file length";
    /// A condition header did not hold.
    PreconditionFailed => 412, "At least one of the pre-conditions you specified did not hold.";
    /// A PostObject that is not `multipart/form-data`.
    RequestIsNotMultiPartContent => 400, "Bucket POST must be of the enclosure-type multipart/form-data.";
    /// The request date is too far from the server's time.
    RequestTimeTooSkewed => 403,
        "The difference between the request time and the current time is too large.";
    /// A restore of an object whose restore is still running.
    RestoreAlreadyInProgress => 409, "The restore operation is in progress.";
    /// The STS token has expired.
    SecurityTokenExpired => 403, "The security token you provided has expired.";
    /// Overloaded: retry later.
    ServiceUnavailable => 503, "Please reduce your request rate.";
    /// The signature does not match.
    SignatureDoesNotMatch => 403,
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.";
    /// Overloaded: retry later.
    SlowDown => 503, "Please reduce your request rate.";
    /// The target of a symlink does not exist.
    SymlinkTargetNotExist => 404, "The symlink target object does not exist.";
    /// The account has as many buckets as allowed.
    TooManyBuckets => 400, "You have attempted to create more buckets than allowed.";
    /// The bucket has as many image styles as allowed.
    TooManyStyles => 400, "The number of styles exceeds the limit.";
    /// S3 dialect: an ACL grant names an e-mail address that is no account's.
    UnresolvableGrantByEmailAddress => 400,
        "The e-mail address you provided does not match any account on record.";
    /// A watermark object that cannot be used.
    WatermarkError => 400, "The watermark cannot be applied.";
    /// S3 dialect: the body's SHA-256 differs from the signed `x-amz-content-sha256`.
    XAmzContentSHA256Mismatch => 400,
        "The provided 'x-amz-content-sha256' header does not match what was computed.";
}

impl std::fmt::Display for OssCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a request was refused (for metrics and audit), known where the refusal is decided
/// rather than recovered from the wire code or message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// A policy statement denied it.
    ExplicitDeny,
    /// No policy or ACL allowed it.
    ImplicitDeny,
    /// The signature did not match.
    Signature,
    /// An STS token or a signed URL had expired.
    Expired,
    /// The AccessKey id is unknown or inactive.
    InvalidKey,
    /// The STS token is unusable.
    InvalidToken,
    /// The request time is outside the allowed window.
    TimeSkew,
    /// Any other refusal (anonymous access, a bad request date, root-only endpoints, ...).
    Other,
}

impl Refusal {
    /// The metrics label.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ExplicitDeny => "explicit",
            Self::ImplicitDeny => "implicit",
            Self::Signature => "signature",
            Self::Expired => "expired",
            Self::InvalidKey => "invalid_key",
            Self::InvalidToken => "invalid_token",
            Self::TimeSkew => "time_skew",
            Self::Other => "other",
        }
    }
}

/// An OSS error response, ready to render as the error document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} ({status}): {message}")]
pub struct OssError {
    /// HTTP status code (the code's own status unless a constructor says otherwise).
    pub status: u16,
    /// The `<Code>` value.
    pub code: OssCode,
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
    /// Why the request was refused, set where a refusal is decided (see [`OssError::refusal`]).
    pub refused: Option<Refusal>,
}

/// Defines no-argument constructors with fixed status, code and message.
macro_rules! fixed_errors {
    ($($(#[$doc:meta])* $name:ident => $code:ident, $msg:literal;)+) => {
        impl OssError {
            $($(#[$doc])* pub fn $name() -> Self { Self::with_message(OssCode::$code, $msg) })+
        }
    };
}

/// Defines one-argument constructors whose argument becomes the message.
macro_rules! message_errors {
    ($($(#[$doc:meta])* $name:ident => $code:ident;)+) => {
        impl OssError {
            $($(#[$doc])* pub fn $name(message: impl Into<String>) -> Self {
                Self::with_message(OssCode::$code, message)
            })+
        }
    };
}

impl OssError {
    /// An error with the code's status and default message, and no extras, EC or headers.
    pub fn new(code: OssCode) -> Self {
        Self::with_message(code, code.default_message())
    }

    /// An error with the code's status and the given message.
    pub fn with_message(code: OssCode, message: impl Into<String>) -> Self {
        Self {
            status: code.status(),
            code,
            message: message.into(),
            extras: Vec::new(),
            ec: None,
            headers: Vec::new(),
            access_denied_detail: None,
            refused: None,
        }
    }

    /// Sends the error with another HTTP status than its code's.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// Records why the request was refused.
    pub fn with_refusal(mut self, why: Refusal) -> Self {
        self.refused = Some(why);
        self
    }

    /// Why the request was refused, `None` when the error is not a refusal: what the deciding
    /// layer recorded, else what the code itself says.
    pub fn refusal(&self) -> Option<Refusal> {
        self.refused.or(match self.code {
            OssCode::AccessDenied => Some(Refusal::Other),
            OssCode::SignatureDoesNotMatch => Some(Refusal::Signature),
            OssCode::SecurityTokenExpired => Some(Refusal::Expired),
            OssCode::InvalidAccessKeyId => Some(Refusal::InvalidKey),
            OssCode::InvalidSecurityToken | OssCode::AccessKeyIdAndSecurityTokenNotMatch => {
                Some(Refusal::InvalidToken)
            }
            OssCode::RequestTimeTooSkewed => Some(Refusal::TimeSkew),
            _ => None,
        })
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
        Self::with_message(OssCode::NoSuchKey, "The specified key does not exist.")
            .with_extra("Key", key)
            .with_ec(EC_NO_SUCH_KEY)
    }

    /// 404 `NoSuchBucket` with `<BucketName>`.
    pub fn no_such_bucket(name: &str) -> Self {
        Self::with_message(
            OssCode::NoSuchBucket,
            "The specified bucket does not exist.",
        )
        .with_extra("BucketName", name)
        .with_ec(EC_NO_SUCH_BUCKET)
    }

    /// 409 `PositionNotEqualToLength`: an append at a position other than the object's
    /// `length`, which `x-oss-next-append-position` tells. OSS's message has no final period
    /// (ali-oss compares it verbatim); EC from OSS's error reference (0026-00000016).
    pub fn position_not_equal_to_length(length: u64) -> Self {
        Self::with_message(
            OssCode::PositionNotEqualToLength,
            "Position is not equal to file length",
        )
        .with_ec("0026-00000016")
        .with_header("x-oss-next-append-position", length.to_string())
    }

    /// 400 `InvalidTargetType`: the target of a read symlink is itself a symlink (OSS follows
    /// one level only; ali-oss's HEAD test reads the code from `x-oss-err`).
    pub fn invalid_target_type() -> Self {
        Self::with_message(
            OssCode::InvalidTargetType,
            "The symbolic's target file type is invalid",
        )
        .with_ec("0026-00000011")
    }

    /// 409 `BucketNotEmpty` with `<BucketName>`.
    pub fn bucket_not_empty(name: &str) -> Self {
        Self::with_message(
            OssCode::BucketNotEmpty,
            "The bucket you tried to delete is not empty.",
        )
        .with_extra("BucketName", name)
    }

    /// 400 `InvalidBucketName` with `<BucketName>`.
    pub fn invalid_bucket_name(name: &str) -> Self {
        Self::with_message(
            OssCode::InvalidBucketName,
            "The specified bucket is not valid.",
        )
        .with_extra("BucketName", name)
    }

    /// 412 `PreconditionFailed` with `<Condition>` (e.g. `If-Match`).
    pub fn precondition_failed(condition: &str) -> Self {
        let msg = "At least one of the pre-conditions you specified did not hold.";
        Self::with_message(OssCode::PreconditionFailed, msg).with_extra("Condition", condition)
    }

    /// 400 `InvalidArgument` with `<ArgumentName>` and `<ArgumentValue>`.
    pub fn invalid_argument_value(message: &str, name: &str, value: &str) -> Self {
        Self::invalid_argument(message)
            .with_extra("ArgumentName", name)
            .with_extra("ArgumentValue", value)
    }

    /// 403 `AccessDenied`: presigned URL expired.
    pub fn request_expired() -> Self {
        Self::with_message(OssCode::AccessDenied, "Request has expired.")
            .with_refusal(Refusal::Expired)
    }

    /// 400 `NotImplemented`: `what` (a feature, header or parameter) is not supported.
    pub fn not_implemented(what: &str) -> Self {
        Self::with_message(
            OssCode::NotImplemented,
            format!("{what} is not implemented."),
        )
        .with_status(400)
    }

    /// 403 `RequestTimeTooSkewed` with `<RequestTime>` and `<ServerTime>` (ISO 8601).
    pub fn request_time_too_skewed(request_time: &str, server_time: &str) -> Self {
        let msg = "The difference between the request time and the current time is too large.";
        Self::with_message(OssCode::RequestTimeTooSkewed, msg)
            .with_extra("RequestTime", request_time)
            .with_extra("ServerTime", server_time)
    }

    /// 403 `InvalidAccessKeyId` with `<OSSAccessKeyId>`.
    pub fn invalid_access_key_id(access_key_id: &str) -> Self {
        let msg = "The OSS Access Key Id you provided does not exist in our records.";
        Self::with_message(OssCode::InvalidAccessKeyId, msg)
            .with_extra("OSSAccessKeyId", access_key_id)
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
        let err = Self::with_message(OssCode::SignatureDoesNotMatch, msg)
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
    access_denied => AccessDenied;
    /// 400 `InvalidArgument` with the given message.
    invalid_argument => InvalidArgument;
    /// 400 `MissingArgument` with the given message (OSS default: `Missing Some Required Arguments.`).
    missing_argument => MissingArgument;
    /// 400 `InvalidRequest` with the given message.
    invalid_request => InvalidRequest;
    /// 400 `BadRequest` with the given message (v2 retries it: prefer specific codes).
    bad_request => BadRequest;
    /// 400 `InvalidPolicyDocument` with the given message (PostObject policy).
    invalid_policy_document => InvalidPolicyDocument;
    /// 400 `InvalidTag` with the given message (object tagging).
    invalid_tag => InvalidTag;
}

fixed_errors! {
    /// 400 `MalformedXML`.
    malformed_xml => MalformedXML,
        "The XML you provided was not well-formed or did not validate against our published schema.";
    /// 400 `InvalidDigest` (Content-MD5 mismatch or not a Base64 MD5).
    invalid_digest => InvalidDigest, "The Content-MD5 you specified was invalid.";
    /// 416 `InvalidRange`.
    invalid_range => InvalidRange, "The requested range cannot be satisfied.";
    /// 409 `BucketAlreadyExists`.
    bucket_already_exists => BucketAlreadyExists, "The requested bucket name is not available.";
    /// 409 `FileAlreadyExists` (`x-oss-forbid-overwrite: true`).
    file_already_exists => FileAlreadyExists,
        "The object you specified already exists and can not be overwritten.";
    /// 409 `ObjectNotAppendable`.
    object_not_appendable => ObjectNotAppendable, "The object is not appendable.";
    /// 400 `EntityTooLarge`.
    entity_too_large => EntityTooLarge, "Your proposed upload exceeds the maximum allowed size.";
    /// 400 `EntityTooSmall` (a non-last multipart part under 100 KB).
    entity_too_small => EntityTooSmall,
        "Your proposed upload smaller than the minimum allowed size.";
    /// 411 `MissingContentLength`.
    missing_content_length => MissingContentLength,
        "You must provide the Content-Length HTTP header.";
    /// 405 `MethodNotAllowed`.
    method_not_allowed => MethodNotAllowed,
        "The specified method is not allowed against this resource.";
    /// 400 `InvalidObjectName`.
    invalid_object_name => InvalidObjectName, "The specified object is not valid.";
    /// 404 `SymlinkTargetNotExist`.
    symlink_target_not_exist => SymlinkTargetNotExist,
        "The symlink target object does not exist.";
    /// 404 `NoSuchUpload`.
    no_such_upload => NoSuchUpload,
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.";
    /// 404 `NoSuchVersion`.
    no_such_version => NoSuchVersion, "The specified version does not exist.";
    /// 400 `InvalidPart`.
    invalid_part => InvalidPart,
        "One or more of the specified parts could not be found or the specified entity.";
    /// 400 `InvalidPartOrder`.
    invalid_part_order => InvalidPartOrder, "The list of parts was not in ascending order.";
    /// 403 `InvalidSecurityToken`.
    invalid_security_token => InvalidSecurityToken, "The security token you provided is invalid.";
    /// 403 `SecurityTokenExpired`.
    security_token_expired => SecurityTokenExpired, "The security token you provided has expired.";
    /// 403 `AccessKeyIdAndSecurityTokenNotMatch`.
    access_key_id_and_security_token_not_match => AccessKeyIdAndSecurityTokenNotMatch,
        "The OSS access key id and security token you provided does not match.";
    /// 500 `InternalError`.
    internal_error => InternalError, "We encountered an internal error. Please try again.";
    /// 400 `TooManyBuckets`.
    too_many_buckets => TooManyBuckets, "You have attempted to create more buckets than allowed.";
    /// 404 `NoSuchCORSConfiguration`.
    no_such_cors_configuration => NoSuchCORSConfiguration, "The CORS Configuration does not exist.";
    /// 404 `NoSuchTagSet` (S3's GetBucketTagging of a bucket without tags).
    no_such_tag_set => NoSuchTagSet, "The TagSet does not exist.";
    /// 403 `AccessForbidden`: no CORS rule matched a preflight (OSS's typos kept).
    cors_forbidden => AccessForbidden,
        "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec.";
    /// 503 `ServiceUnavailable`.
    service_unavailable => ServiceUnavailable, "Please reduce your request rate.";
    /// 503 `SlowDown`.
    slow_down => SlowDown, "Please reduce your request rate.";
    /// 403 `AccessDenied`: missing or unparseable Date.
    invalid_date => AccessDenied, "OSS authentication requires a valid Date.";
    /// 403 `AccessDenied`: V1 presign parameters incomplete.
    presign_params_incomplete => AccessDenied,
        "Query string authentication requires the Signature, Expires and OSSAccessKeyId parameters";
    /// 403 `AccessDenied`: anonymous caller on an owner-only operation.
    anonymous_forbidden => AccessDenied, "Anonymous access is forbidden for this operation.";
    /// 403 `AccessDenied`: an STS policy denied the request.
    policy_denied => AccessDenied, "Access denied by authorizer's policy.";
    /// 400 `InvalidRequest`: STS token sent in a header where the query is required.
    security_token_not_in_query => InvalidRequest,
        "Security-token must be provided by query string parameter.";
    /// 400 `InvalidRequest`: `response-*` overrides on an anonymous GET.
    anonymous_response_override => InvalidRequest,
        "Request specific response headers cannot be used for anonymous GET requests.";
    /// 400 `RequestIsNotMultiPartContent` (PostObject).
    request_is_not_multipart => RequestIsNotMultiPartContent,
        "Bucket POST must be of the enclosure-type multipart/form-data.";
    /// 400 `IncorrectNumberOfFilesInPOSTRequest` (PostObject).
    incorrect_number_of_files => IncorrectNumberOfFilesInPOSTRequest,
        "POST requires exactly one file upload per request.";
    /// 400 `FieldItemTooLong` (PostObject form field).
    field_item_too_long => FieldItemTooLong, "Your POST form field item is too long.";
    /// 400 `IncompleteBody`: the body ended before Content-Length bytes.
    incomplete_body => IncompleteBody,
        "You did not provide the number of bytes specified by the Content-Length HTTP header.";
    /// 400 `InvalidURI`: the path or query could not be parsed.
    invalid_uri => InvalidURI, "Couldn't parse the specified URI.";
    /// 400 `MaxPOSTPreDataLengthExceededError` (PostObject fields before the file).
    max_post_pre_data_length_exceeded => MaxPOSTPreDataLengthExceededError,
        "Your POST request fields preceeding the upload file was too large.";
}
