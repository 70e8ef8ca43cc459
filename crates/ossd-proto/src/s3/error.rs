//! S3 error documents: the one mapping from the OSS error model to S3's codes
//! (docs/s3.md#errors).

use crate::error::{OssCode, OssError};
use crate::xml::XmlWriter;

/// The namespace of S3 response documents.
pub const S3_NAMESPACE: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// The S3 status and `<Code>` of an error. Most OSS codes are S3's own (OSS took them from S3);
/// the rest name what S3 answers in the same situation.
pub fn error_code(err: &OssError) -> (u16, &'static str) {
    use OssCode::*;
    let same = (err.status, err.code.as_str());
    match err.code {
        // `If-None-Match: *` on a write, which OSS spells x-oss-forbid-overwrite.
        FileAlreadyExists => (412, "PreconditionFailed"),
        InvalidObjectName => (400, "KeyTooLongError"),
        NoSuchLifecycle => (404, "NoSuchLifecycleConfiguration"),
        InvalidPolicyDocument => (400, "MalformedPolicy"),
        SecurityTokenExpired => (400, "ExpiredToken"),
        InvalidSecurityToken | AccessKeyIdAndSecurityTokenNotMatch => (400, "InvalidToken"),
        MissingArgument => (400, "InvalidArgument"),
        NotImplemented => (501, "NotImplemented"),
        InvalidTargetType
        | ObjectNotAppendable
        | PositionNotEqualToLength
        | SymlinkTargetNotExist => (400, "InvalidRequest"),
        NoSuchStyle | TooManyStyles | ImageDamage | ImageTooLarge | WatermarkError => {
            (400, "InvalidRequest")
        }
        _ => same,
    }
}

/// The S3 error document: `Code`, `Message`, the OSS extras S3 also sends (`Key`,
/// `BucketName`, `Condition`, `StringToSign`, ...), `RequestId`, `HostId`.
pub fn error_xml(err: &OssError, request_id: &str, host_id: &str) -> String {
    let (_, code) = error_code(err);
    let mut w = XmlWriter::new();
    w.node("Error", |w| {
        w.elem("Code", code).elem("Message", s3_message(err));
        for (name, value) in &err.extras {
            // S3 names the caller's key `AWSAccessKeyId` (SignatureDoesNotMatch,
            // InvalidAccessKeyId); the OSS model calls it `OSSAccessKeyId`.
            let name = if *name == "OSSAccessKeyId" {
                "AWSAccessKeyId"
            } else {
                *name
            };
            if S3_EXTRAS.contains(&name) {
                w.elem(name, value);
            }
        }
        w.elem("RequestId", request_id).elem("HostId", host_id);
    });
    w.finish()
}

/// The message of an S3 error: the OSS one, but for texts that name OSS where S3 names AWS.
fn s3_message(err: &OssError) -> &str {
    if err.code == OssCode::InvalidAccessKeyId
        && err.message == OssCode::InvalidAccessKeyId.default_message()
    {
        return "The AWS Access Key Id you provided does not exist in our records.";
    }
    &err.message
}

/// Extra error elements S3 sends too (the OSS-only ones, like `EC`, are left out).
const S3_EXTRAS: &[&str] = &[
    "Key",
    "BucketName",
    "Condition",
    "StringToSign",
    "StringToSignBytes",
    "CanonicalRequest",
    "SignatureProvided",
    "AWSAccessKeyId",
    "RequestTime",
    "ServerTime",
    "MaxMessageLengthBytes",
    "ProposedSize",
    "MaxSizeAllowed",
    "MinSizeAllowed",
    "ArgumentName",
    "ArgumentValue",
    "Method",
    "ResourceType",
    "UploadId",
    "VersionId",
    "PartNumber",
    "ETag",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_document() {
        let e = OssError::no_such_bucket("b");
        assert_eq!(error_code(&e), (404, "NoSuchBucket"));
        let doc = error_xml(&e, "RID", "host");
        assert!(doc.contains("<Code>NoSuchBucket</Code>"), "{doc}");
        assert!(doc.contains("<BucketName>b</BucketName>"), "{doc}");
        assert!(
            doc.contains("<RequestId>RID</RequestId><HostId>host</HostId>"),
            "{doc}"
        );
        assert!(!doc.contains("<EC>"), "{doc}");
        let e = OssError::new(OssCode::FileAlreadyExists);
        assert_eq!(error_code(&e), (412, "PreconditionFailed"));
    }

    #[test]
    fn access_key_elements_and_messages_name_aws() {
        let e = OssError::signature_does_not_match("AK1", "sts", None, "sig");
        let doc = error_xml(&e, "RID", "host");
        assert!(
            doc.contains("<AWSAccessKeyId>AK1</AWSAccessKeyId>"),
            "{doc}"
        );
        assert!(!doc.contains("OSSAccessKeyId"), "{doc}");
        let doc = error_xml(&OssError::invalid_access_key_id("AK2"), "RID", "host");
        assert!(
            doc.contains("<AWSAccessKeyId>AK2</AWSAccessKeyId>"),
            "{doc}"
        );
        assert!(doc.contains("The AWS Access Key Id you provided"), "{doc}");
    }
}
