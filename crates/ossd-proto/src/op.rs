//! Which OSS operation a request is: one [`Operation`] per API, classified from the method, the
//! target level (service, bucket, object), sub-resource query keys and a few headers.

use ossd_policy::{OssAction, rows};
use ossd_sig::QueryParam;

use crate::request::query_has;

/// Declares [`Operation`] and its [`Operation::name`] from one list, so the two cannot drift.
macro_rules! operations {
    ($($variant:ident),+ $(,)?) => {
        /// An OSS REST operation; [`Operation::authorization`] gives its row of the action map.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // the variant names are the OSS API names
        pub enum Operation {
            $($variant),+
        }

        impl Operation {
            /// Every operation, in declaration order.
            pub const ALL: &'static [Operation] = &[$(Self::$variant),+];

            /// The API name, as used in logs, metrics and RAM action names (`oss:<name>`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => stringify!($variant)),+
                }
            }
        }
    };
}

operations!(
    ListBuckets,
    PutPublicAccessBlock,
    GetPublicAccessBlock,
    DeletePublicAccessBlock,
    PutBucket,
    DeleteBucket,
    HeadBucket,
    GetBucketInfo,
    GetBucketLocation,
    GetBucketStat,
    PutBucketAcl,
    GetBucketAcl,
    ListObjects,
    ListObjectsV2,
    DeleteMultipleObjects,
    PutObject,
    CopyObject,
    GetObject,
    HeadObject,
    GetObjectMeta,
    GetObjectAttributes,
    DeleteObject,
    AppendObject,
    PutObjectAcl,
    GetObjectAcl,
    PutSymlink,
    GetSymlink,
    PutObjectTagging,
    GetObjectTagging,
    DeleteObjectTagging,
    RestoreObject,
    PutBucketPolicy,
    GetBucketPolicy,
    DeleteBucketPolicy,
    GetBucketPolicyStatus,
    PutBucketPublicAccessBlock,
    GetBucketPublicAccessBlock,
    DeleteBucketPublicAccessBlock,
    PutBucketOwnershipControls,
    GetBucketOwnershipControls,
    DeleteBucketOwnershipControls,
    PutBucketLifecycle,
    GetBucketLifecycle,
    DeleteBucketLifecycle,
    PutBucketCors,
    GetBucketCors,
    DeleteBucketCors,
    PutBucketReferer,
    GetBucketReferer,
    PutBucketTags,
    GetBucketTags,
    DeleteBucketTags,
    PutStyle,
    GetStyle,
    ListStyle,
    DeleteStyle,
    PutBucketVersioning,
    GetBucketVersioning,
    ListObjectVersions,
    InitiateMultipartUpload,
    UploadPart,
    UploadPartCopy,
    CompleteMultipartUpload,
    AbortMultipartUpload,
    ListParts,
    ListMultipartUploads,
    ImgSaveAs,
    Options,
);

impl Operation {
    /// The operation's row of the OSS action map (`ossd_policy::rows`): its RAM action and
    /// version action, resource level, API kind and what canned ACLs grant — everything
    /// authorization needs to know about the operation. `None` for a CORS preflight, which is
    /// answered from the bucket's CORS rules without authorization.
    pub fn authorization(self) -> Option<&'static OssAction> {
        use Operation::*;
        match self {
            ListBuckets => Some(&rows::ListBuckets),
            PutPublicAccessBlock => Some(&rows::PutPublicAccessBlock),
            GetPublicAccessBlock => Some(&rows::GetPublicAccessBlock),
            DeletePublicAccessBlock => Some(&rows::DeletePublicAccessBlock),
            PutBucket => Some(&rows::PutBucket),
            DeleteBucket => Some(&rows::DeleteBucket),
            // HeadBucket is GetBucketInfo without a body: the same permission.
            HeadBucket => Some(&rows::GetBucketInfo),
            GetBucketInfo => Some(&rows::GetBucketInfo),
            GetBucketLocation => Some(&rows::GetBucketLocation),
            GetBucketStat => Some(&rows::GetBucketStat),
            PutBucketAcl => Some(&rows::PutBucketAcl),
            GetBucketAcl => Some(&rows::GetBucketAcl),
            ListObjects => Some(&rows::ListObjects),
            ListObjectsV2 => Some(&rows::ListObjectsV2),
            DeleteMultipleObjects => Some(&rows::DeleteMultipleObjects),
            PutObject => Some(&rows::PutObject),
            CopyObject => Some(&rows::CopyObject),
            GetObject => Some(&rows::GetObject),
            HeadObject => Some(&rows::HeadObject),
            GetObjectMeta => Some(&rows::GetObjectMeta),
            GetObjectAttributes => Some(&rows::GetObjectAttributes),
            DeleteObject => Some(&rows::DeleteObject),
            AppendObject => Some(&rows::AppendObject),
            PutObjectAcl => Some(&rows::PutObjectAcl),
            GetObjectAcl => Some(&rows::GetObjectAcl),
            PutSymlink => Some(&rows::PutSymlink),
            GetSymlink => Some(&rows::GetSymlink),
            PutObjectTagging => Some(&rows::PutObjectTagging),
            GetObjectTagging => Some(&rows::GetObjectTagging),
            DeleteObjectTagging => Some(&rows::DeleteObjectTagging),
            RestoreObject => Some(&rows::RestoreObject),
            PutBucketPolicy => Some(&rows::PutBucketPolicy),
            GetBucketPolicy => Some(&rows::GetBucketPolicy),
            DeleteBucketPolicy => Some(&rows::DeleteBucketPolicy),
            GetBucketPolicyStatus => Some(&rows::GetBucketPolicyStatus),
            PutBucketPublicAccessBlock => Some(&rows::PutBucketPublicAccessBlock),
            GetBucketPublicAccessBlock => Some(&rows::GetBucketPublicAccessBlock),
            DeleteBucketPublicAccessBlock => Some(&rows::DeleteBucketPublicAccessBlock),
            PutBucketOwnershipControls => Some(&rows::PutBucketOwnershipControls),
            GetBucketOwnershipControls => Some(&rows::GetBucketOwnershipControls),
            DeleteBucketOwnershipControls => Some(&rows::DeleteBucketOwnershipControls),
            PutBucketLifecycle => Some(&rows::PutBucketLifecycle),
            GetBucketLifecycle => Some(&rows::GetBucketLifecycle),
            DeleteBucketLifecycle => Some(&rows::DeleteBucketLifecycle),
            PutBucketCors => Some(&rows::PutBucketCors),
            GetBucketCors => Some(&rows::GetBucketCors),
            DeleteBucketCors => Some(&rows::DeleteBucketCors),
            PutBucketReferer => Some(&rows::PutBucketReferer),
            GetBucketReferer => Some(&rows::GetBucketReferer),
            PutBucketTags => Some(&rows::PutBucketTags),
            GetBucketTags => Some(&rows::GetBucketTags),
            DeleteBucketTags => Some(&rows::DeleteBucketTags),
            PutStyle => Some(&rows::PutStyle),
            GetStyle => Some(&rows::GetStyle),
            ListStyle => Some(&rows::ListStyle),
            DeleteStyle => Some(&rows::DeleteStyle),
            PutBucketVersioning => Some(&rows::PutBucketVersioning),
            GetBucketVersioning => Some(&rows::GetBucketVersioning),
            ListObjectVersions => Some(&rows::ListObjectVersions),
            InitiateMultipartUpload => Some(&rows::InitiateMultipartUpload),
            UploadPart => Some(&rows::UploadPart),
            UploadPartCopy => Some(&rows::UploadPartCopy),
            CompleteMultipartUpload => Some(&rows::CompleteMultipartUpload),
            AbortMultipartUpload => Some(&rows::AbortMultipartUpload),
            ListParts => Some(&rows::ListParts),
            ListMultipartUploads => Some(&rows::ListMultipartUploads),
            ImgSaveAs => Some(&rows::ImgSaveAs),
            Options => None,
        }
    }
}

/// Why no operation matched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClassifyError {
    /// The method is not allowed on this kind of resource.
    #[error("the specified method is not allowed against this resource")]
    MethodNotAllowed,
    /// A known OSS API that ossd does not implement (yet); carries the sub-resource.
    #[error("{0} is not implemented")]
    NotImplemented(&'static str),
}

/// Sub-resources of OSS APIs that ossd does not implement yet, reported as NotImplemented
/// rather than mistaken for a plain object or bucket request.
const UNSUPPORTED: &[&str] = &[
    "policy",
    "website",
    "logging",
    "encryption",
    "worm",
    "replication",
    "inventory",
    "qos",
    "requestPayment",
    "transferAcceleration",
    "callback",
    "stat",
];

/// Sub-resources of implemented bucket APIs: with any other method they are MethodNotAllowed,
/// never a plain bucket request (`PUT /?uploads` must not create a bucket).
const BUCKET_SUBRESOURCES: &[&str] = &[
    "versioning",
    "versions",
    "uploads",
    "lifecycle",
    "cors",
    "referer",
    "style",
    "tagging",
    "policyStatus",
    "publicAccessBlock",
];

/// Sub-resources of implemented object APIs, likewise.
const OBJECT_SUBRESOURCES: &[&str] = &["uploads", "uploadId", "restore", "tagging"];

/// Classifies a request. `has_key` / `has_bucket` come from the resolved target.
pub fn classify(
    method: &str,
    has_bucket: bool,
    has_key: bool,
    query: &[QueryParam],
    has_copy_source: bool,
) -> Result<Operation, ClassifyError> {
    let q = |k: &str| query_has(query, k);
    if method == "OPTIONS" {
        return Ok(Operation::Options);
    }
    if !has_bucket {
        // The account's Block Public Access (OSS API reference, PutPublicAccessBlock).
        return match method {
            "PUT" if q("publicAccessBlock") => Ok(Operation::PutPublicAccessBlock),
            "GET" if q("publicAccessBlock") => Ok(Operation::GetPublicAccessBlock),
            "DELETE" if q("publicAccessBlock") => Ok(Operation::DeletePublicAccessBlock),
            "GET" => Ok(Operation::ListBuckets),
            _ => Err(ClassifyError::MethodNotAllowed),
        };
    }
    if has_key {
        return classify_object(method, &q, has_copy_source);
    }
    classify_bucket(method, &q)
}

fn classify_bucket(method: &str, q: &dyn Fn(&str) -> bool) -> Result<Operation, ClassifyError> {
    use Operation::*;
    let op = match method {
        "GET" if q("acl") => GetBucketAcl,
        "GET" if q("bucketInfo") => GetBucketInfo,
        "GET" if q("location") => GetBucketLocation,
        // Other methods with `?stat` stay NotImplemented (UNSUPPORTED), as do object requests.
        "GET" if q("stat") => GetBucketStat,
        "PUT" if q("acl") => PutBucketAcl,
        "PUT" if q("policy") => PutBucketPolicy,
        "GET" if q("policy") => GetBucketPolicy,
        "DELETE" if q("policy") => DeleteBucketPolicy,
        "GET" if q("policyStatus") => GetBucketPolicyStatus,
        "PUT" if q("publicAccessBlock") => PutBucketPublicAccessBlock,
        "GET" if q("publicAccessBlock") => GetBucketPublicAccessBlock,
        "DELETE" if q("publicAccessBlock") => DeleteBucketPublicAccessBlock,
        "PUT" if q("lifecycle") => PutBucketLifecycle,
        "GET" if q("lifecycle") => GetBucketLifecycle,
        "DELETE" if q("lifecycle") => DeleteBucketLifecycle,
        "PUT" if q("cors") => PutBucketCors,
        "GET" if q("cors") => GetBucketCors,
        "DELETE" if q("cors") => DeleteBucketCors,
        "PUT" if q("referer") => PutBucketReferer,
        "GET" if q("referer") => GetBucketReferer,
        "PUT" if q("tagging") => PutBucketTags,
        "GET" if q("tagging") => GetBucketTags,
        "DELETE" if q("tagging") => DeleteBucketTags,
        "PUT" if q("style") => PutStyle,
        "GET" if q("style") && q("styleName") => GetStyle,
        "GET" if q("style") => ListStyle,
        "DELETE" if q("style") => DeleteStyle,
        "POST" if q("delete") => DeleteMultipleObjects,
        "PUT" if q("versioning") => PutBucketVersioning,
        "GET" if q("versioning") => GetBucketVersioning,
        "GET" if q("versions") => ListObjectVersions,
        "GET" if q("uploads") => ListMultipartUploads,
        m => {
            refuse_other_subresources(q, BUCKET_SUBRESOURCES)?;
            match m {
                "GET" if q("list-type") => ListObjectsV2,
                "GET" => ListObjects,
                "PUT" => PutBucket,
                "DELETE" => DeleteBucket,
                "HEAD" => HeadBucket,
                _ => return Err(ClassifyError::MethodNotAllowed),
            }
        }
    };
    Ok(op)
}

/// After the known (method, sub-resource) pairs: a sub-resource ossd does not implement is
/// NotImplemented, and a known one with another method is MethodNotAllowed, rather than either
/// falling through to a plain bucket or object request.
fn refuse_other_subresources(
    q: &dyn Fn(&str) -> bool,
    known: &[&str],
) -> Result<(), ClassifyError> {
    if let Some(sub) = UNSUPPORTED.iter().find(|s| q(s)) {
        return Err(ClassifyError::NotImplemented(sub));
    }
    if known.iter().any(|s| q(s)) {
        return Err(ClassifyError::MethodNotAllowed);
    }
    Ok(())
}

fn classify_object(
    method: &str,
    q: &dyn Fn(&str) -> bool,
    copy: bool,
) -> Result<Operation, ClassifyError> {
    use Operation::*;
    let op = match method {
        "PUT" if q("acl") => PutObjectAcl,
        "PUT" if q("symlink") => PutSymlink,
        "PUT" if q("tagging") => PutObjectTagging,
        "GET" if q("acl") => GetObjectAcl,
        "GET" if q("symlink") => GetSymlink,
        "GET" if q("tagging") => GetObjectTagging,
        "GET" | "HEAD" if q("objectMeta") => GetObjectMeta,
        "DELETE" if q("tagging") => DeleteObjectTagging,
        "POST" if q("append") => AppendObject,
        "POST" if q("restore") => RestoreObject,
        "POST" if q("x-oss-process") => ImgSaveAs,
        "POST" if q("uploads") => InitiateMultipartUpload,
        "PUT" if q("uploadId") && copy => UploadPartCopy,
        "PUT" if q("uploadId") => UploadPart,
        "POST" if q("uploadId") => CompleteMultipartUpload,
        "DELETE" if q("uploadId") => AbortMultipartUpload,
        "GET" if q("uploadId") => ListParts,
        m => {
            refuse_other_subresources(q, OBJECT_SUBRESOURCES)?;
            match m {
                "PUT" if copy => CopyObject,
                "PUT" => PutObject,
                "GET" => GetObject,
                "HEAD" => HeadObject,
                "DELETE" => DeleteObject,
                _ => return Err(ClassifyError::MethodNotAllowed),
            }
        }
    };
    Ok(op)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::parse_query;

    fn c(m: &str, b: bool, k: bool, q: &str) -> Result<Operation, ClassifyError> {
        let q = parse_query(q).unwrap_or_default();
        classify(m, b, k, &q, false)
    }

    #[test]
    fn classification() {
        use Operation::*;
        assert_eq!(c("GET", false, false, ""), Ok(ListBuckets));
        assert_eq!(
            c("PUT", false, false, "publicAccessBlock"),
            Ok(PutPublicAccessBlock)
        );
        assert_eq!(
            c("GET", false, false, "publicAccessBlock"),
            Ok(GetPublicAccessBlock)
        );
        assert_eq!(
            c("DELETE", false, false, "publicAccessBlock"),
            Ok(DeletePublicAccessBlock)
        );
        assert_eq!(
            c("PUT", false, false, ""),
            Err(ClassifyError::MethodNotAllowed)
        );
        assert_eq!(
            c("GET", true, false, "list-type=2&prefix="),
            Ok(ListObjectsV2)
        );
        assert_eq!(c("GET", true, false, "prefix=&marker="), Ok(ListObjects));
        assert_eq!(c("POST", true, false, "delete"), Ok(DeleteMultipleObjects));
        assert_eq!(c("POST", true, true, "append&position=0"), Ok(AppendObject));
        assert_eq!(c("HEAD", true, true, "objectMeta"), Ok(GetObjectMeta));
        assert_eq!(
            c("GET", true, true, "x-oss-process=image/resize,w_1"),
            Ok(GetObject)
        );
        assert_eq!(c("PUT", true, true, "tagging"), Ok(PutObjectTagging));
        assert_eq!(c("POST", true, true, "x-oss-process"), Ok(ImgSaveAs));
        assert_eq!(c("POST", true, true, "restore"), Ok(RestoreObject));
        assert_eq!(
            c("POST", true, true, "restore&versionId=v1"),
            Ok(RestoreObject)
        );
        assert_eq!(
            c("GET", true, true, "restore"),
            Err(ClassifyError::MethodNotAllowed)
        );
        assert_eq!(c("GET", true, false, "cors"), Ok(GetBucketCors));
        assert_eq!(c("GET", true, false, "stat"), Ok(GetBucketStat));
        assert_eq!(
            c("GET", true, false, "policyStatus"),
            Ok(GetBucketPolicyStatus)
        );
        assert_eq!(
            c("PUT", true, false, "policyStatus"),
            Err(ClassifyError::MethodNotAllowed)
        );
        assert_eq!(
            c("PUT", true, false, "publicAccessBlock"),
            Ok(PutBucketPublicAccessBlock)
        );
        assert_eq!(
            c("GET", true, false, "publicAccessBlock"),
            Ok(GetBucketPublicAccessBlock)
        );
        assert_eq!(
            c("DELETE", true, false, "publicAccessBlock"),
            Ok(DeleteBucketPublicAccessBlock)
        );
        assert_eq!(
            c("POST", true, false, "publicAccessBlock"),
            Err(ClassifyError::MethodNotAllowed)
        );
        assert_eq!(GetBucketStat.name(), "GetBucketStat");
        assert_eq!(c("DELETE", true, false, "cors"), Ok(DeleteBucketCors));
        assert_eq!(c("PUT", true, false, "referer"), Ok(PutBucketReferer));
        assert_eq!(c("PUT", true, false, "style&styleName=s"), Ok(PutStyle));
        assert_eq!(c("GET", true, false, "style&styleName=s"), Ok(GetStyle));
        assert_eq!(c("GET", true, false, "style"), Ok(ListStyle));
        assert_eq!(
            c("DELETE", true, false, "style&styleName=s"),
            Ok(DeleteStyle)
        );
        assert_eq!(ListStyle.name(), "ListStyle");
        assert!(matches!(
            c("GET", true, false, "website"),
            Err(ClassifyError::NotImplemented("website"))
        ));
        assert_eq!(
            c("PUT", false, false, ""),
            Err(ClassifyError::MethodNotAllowed)
        );
        assert_eq!(Operation::GetObject.name(), "GetObject");
        assert_eq!(c("PUT", true, false, "lifecycle"), Ok(PutBucketLifecycle));
        assert_eq!(c("GET", true, false, "lifecycle="), Ok(GetBucketLifecycle));
        assert_eq!(
            c("DELETE", true, false, "lifecycle"),
            Ok(DeleteBucketLifecycle)
        );
        assert_eq!(
            c("POST", true, false, "lifecycle"),
            Err(ClassifyError::MethodNotAllowed)
        );
    }

    #[test]
    fn tagging_classification() {
        use Operation::*;
        assert_eq!(c("PUT", true, false, "tagging"), Ok(PutBucketTags));
        assert_eq!(c("GET", true, false, "tagging"), Ok(GetBucketTags));
        assert_eq!(c("DELETE", true, false, "tagging"), Ok(DeleteBucketTags));
        assert_eq!(
            c("DELETE", true, false, "tagging=k1,k2"),
            Ok(DeleteBucketTags)
        );
        assert_eq!(
            c("POST", true, false, "tagging"),
            Err(ClassifyError::MethodNotAllowed)
        );
        assert_eq!(
            c("HEAD", true, false, "tagging"),
            Err(ClassifyError::MethodNotAllowed)
        );
        // Object tagging is unchanged.
        assert_eq!(c("GET", true, true, "tagging"), Ok(GetObjectTagging));
        assert_eq!(c("DELETE", true, true, "tagging"), Ok(DeleteObjectTagging));
        assert_eq!(
            c("POST", true, true, "tagging"),
            Err(ClassifyError::MethodNotAllowed)
        );
        // ListBuckets filters by tags with `tagging` at service level.
        assert_eq!(
            c("GET", false, false, "tagging=%22a%22%3A%221%22"),
            Ok(ListBuckets)
        );
        assert_eq!(PutBucketTags.name(), "PutBucketTags");
    }

    #[test]
    fn versioning_classification() {
        use Operation::*;
        assert_eq!(c("PUT", true, false, "versioning"), Ok(PutBucketVersioning));
        assert_eq!(c("GET", true, false, "versioning"), Ok(GetBucketVersioning));
        assert_eq!(
            c(
                "GET",
                true,
                false,
                "versions&key-marker=a&version-id-marker=b"
            ),
            Ok(ListObjectVersions)
        );
        assert_eq!(c("GET", true, true, "versionId=abc"), Ok(GetObject));
        assert_eq!(c("HEAD", true, true, "versionId=abc"), Ok(HeadObject));
        assert_eq!(c("DELETE", true, true, "versionId=null"), Ok(DeleteObject));
        assert_eq!(
            c("DELETE", true, false, "versioning"),
            Err(ClassifyError::MethodNotAllowed)
        );
    }

    #[test]
    fn multipart_classification() {
        use Operation::*;
        assert_eq!(
            c("POST", true, true, "uploads"),
            Ok(InitiateMultipartUpload)
        );
        assert_eq!(
            c("POST", true, true, "uploads&encoding-type=url"),
            Ok(InitiateMultipartUpload)
        );
        assert_eq!(
            c("PUT", true, true, "partNumber=1&uploadId=ABC"),
            Ok(UploadPart)
        );
        assert_eq!(
            c("PUT", true, true, "uploadId=ABC&partNumber=2"),
            Ok(UploadPart)
        );
        let q = parse_query("partNumber=1&uploadId=ABC").unwrap_or_default();
        assert_eq!(classify("PUT", true, true, &q, true), Ok(UploadPartCopy));
        assert_eq!(
            c("POST", true, true, "uploadId=ABC"),
            Ok(CompleteMultipartUpload)
        );
        assert_eq!(
            c("DELETE", true, true, "uploadId=ABC"),
            Ok(AbortMultipartUpload)
        );
        assert_eq!(
            c(
                "GET",
                true,
                true,
                "uploadId=ABC&max-parts=1000&part-number-marker="
            ),
            Ok(ListParts)
        );
        assert_eq!(
            c("GET", true, false, "uploads&prefix=&max-uploads=10"),
            Ok(ListMultipartUploads)
        );
        assert_eq!(
            c("PUT", true, false, "uploads"),
            Err(ClassifyError::MethodNotAllowed)
        );
        assert_eq!(
            c("HEAD", true, true, "uploadId=ABC"),
            Err(ClassifyError::MethodNotAllowed)
        );
        assert_eq!(
            c("GET", true, true, "uploads"),
            Err(ClassifyError::MethodNotAllowed)
        );
    }

    #[test]
    fn every_operation_has_its_own_row() {
        for &op in Operation::ALL {
            let Some(row) = op.authorization() else {
                assert_eq!(op, Operation::Options);
                continue;
            };
            let expected = match op {
                Operation::HeadBucket => "GetBucketInfo",
                op => op.name(),
            };
            assert_eq!(row.operation, expected);
        }
    }
}
