//! The data of the OSS action map (docs/protocol/authorization.md#oss-action-map). Operation names
//! are the OSS API names.

use super::Access::{self, Management, Read, Write};
use super::OssAction;
use super::ResourceLevel::{self, Bucket, Object, Service};

/// A row without version action or notes.
const fn row(
    operation: &'static str,
    action: &'static str,
    resource: ResourceLevel,
    access: Access,
) -> OssAction {
    OssAction {
        operation,
        action,
        version_action: None,
        resource,
        access,
        notes: "",
    }
}

/// A bucket-level management row.
const fn bucket(operation: &'static str, action: &'static str) -> OssAction {
    row(operation, action, Bucket, Management)
}

/// An object-level row.
const fn object(operation: &'static str, action: &'static str, access: Access) -> OssAction {
    row(operation, action, Object, access)
}

/// Adds the `versionId` action.
const fn versioned(mut a: OssAction, version_action: &'static str) -> OssAction {
    a.version_action = Some(version_action);
    a
}

/// Adds notes.
const fn note(mut a: OssAction, notes: &'static str) -> OssAction {
    a.notes = notes;
    a
}

/// Notes shared by the listing calls.
const LIST_NOTE: &str = "cond `oss:Prefix` (`\"\"` when absent), `oss:Delimiter`";
/// Notes shared by the upload calls.
const TAGGING_NOTE: &str = "+ `oss:PutObjectTagging` when tags are sent";

/// Every OSS operation this server knows, with its RAM action.
pub(super) const OSS_ACTIONS: &[OssAction] = &[
    // service level
    note(
        row("ListBuckets", "oss:ListBuckets", Service, Management),
        "alias GetService",
    ),
    note(
        row("GetService", "oss:ListBuckets", Service, Management),
        "alias of ListBuckets",
    ),
    row(
        "PutPublicAccessBlock",
        "oss:PutPublicAccessBlock",
        Service,
        Management,
    ),
    row(
        "GetPublicAccessBlock",
        "oss:GetPublicAccessBlock",
        Service,
        Management,
    ),
    row(
        "DeletePublicAccessBlock",
        "oss:DeletePublicAccessBlock",
        Service,
        Management,
    ),
    // bucket level
    note(bucket("PutBucket", "oss:PutBucket"), "cond `oss:x-oss-acl`"),
    bucket("DeleteBucket", "oss:DeleteBucket"),
    note(
        row("ListObjects", "oss:ListObjects", Bucket, Read),
        LIST_NOTE,
    ),
    note(
        row("GetBucket", "oss:ListObjects", Bucket, Read),
        "alias of ListObjects",
    ),
    note(
        row("ListObjectsV2", "oss:ListObjects", Bucket, Read),
        LIST_NOTE,
    ),
    note(
        row("GetBucketV2", "oss:ListObjects", Bucket, Read),
        "alias of ListObjectsV2",
    ),
    note(
        row("ListObjectVersions", "oss:ListObjectVersions", Bucket, Read),
        LIST_NOTE,
    ),
    note(
        row("GetBucketVersions", "oss:ListObjectVersions", Bucket, Read),
        "alias of ListObjectVersions",
    ),
    bucket("GetBucketInfo", "oss:GetBucketInfo"),
    bucket("GetBucketLocation", "oss:GetBucketLocation"),
    bucket("GetBucketStat", "oss:GetBucketStat"),
    note(
        bucket("PutBucketAcl", "oss:PutBucketAcl"),
        "cond `oss:x-oss-acl`",
    ),
    bucket("GetBucketAcl", "oss:GetBucketAcl"),
    bucket("PutBucketVersioning", "oss:PutBucketVersioning"),
    bucket("GetBucketVersioning", "oss:GetBucketVersioning"),
    bucket("PutBucketCors", "oss:PutBucketCors"),
    bucket("GetBucketCors", "oss:GetBucketCors"),
    bucket("DeleteBucketCors", "oss:DeleteBucketCors"),
    bucket("PutBucketLifecycle", "oss:PutBucketLifecycle"),
    bucket("GetBucketLifecycle", "oss:GetBucketLifecycle"),
    bucket("DeleteBucketLifecycle", "oss:DeleteBucketLifecycle"),
    note(
        bucket("PutBucketLogging", "oss:PutBucketLogging"),
        "+ `oss:PutObject` on the target bucket",
    ),
    bucket("GetBucketLogging", "oss:GetBucketLogging"),
    bucket("DeleteBucketLogging", "oss:DeleteBucketLogging"),
    bucket("PutBucketWebsite", "oss:PutBucketWebsite"),
    bucket("GetBucketWebsite", "oss:GetBucketWebsite"),
    bucket("DeleteBucketWebsite", "oss:DeleteBucketWebsite"),
    bucket("PutBucketReferer", "oss:PutBucketReferer"),
    bucket("GetBucketReferer", "oss:GetBucketReferer"),
    bucket("PutBucketPolicy", "oss:PutBucketPolicy"),
    bucket("GetBucketPolicy", "oss:GetBucketPolicy"),
    bucket("DeleteBucketPolicy", "oss:DeleteBucketPolicy"),
    bucket("GetBucketPolicyStatus", "oss:GetBucketPolicyStatus"),
    note(
        bucket("PutBucketTags", "oss:PutBucketTagging"),
        "action name differs from the API name",
    ),
    note(
        bucket("GetBucketTags", "oss:GetBucketTagging"),
        "action name differs from the API name",
    ),
    note(
        bucket("DeleteBucketTags", "oss:DeleteBucketTagging"),
        "action name differs from the API name",
    ),
    bucket("PutBucketEncryption", "oss:PutBucketEncryption"),
    bucket("GetBucketEncryption", "oss:GetBucketEncryption"),
    bucket("DeleteBucketEncryption", "oss:DeleteBucketEncryption"),
    bucket("PutBucketRequestPayment", "oss:PutBucketRequestPayment"),
    bucket("GetBucketRequestPayment", "oss:GetBucketRequestPayment"),
    bucket("InitiateBucketWorm", "oss:InitiateBucketWorm"),
    bucket("AbortBucketWorm", "oss:AbortBucketWorm"),
    bucket("CompleteBucketWorm", "oss:CompleteBucketWorm"),
    bucket("ExtendBucketWorm", "oss:ExtendBucketWorm"),
    bucket("GetBucketWorm", "oss:GetBucketWorm"),
    bucket(
        "PutBucketTransferAcceleration",
        "oss:PutBucketTransferAcceleration",
    ),
    bucket(
        "GetBucketTransferAcceleration",
        "oss:GetBucketTransferAcceleration",
    ),
    bucket("PutBucketReplication", "oss:PutBucketReplication"),
    bucket("GetBucketReplication", "oss:GetBucketReplication"),
    bucket("DeleteBucketReplication", "oss:DeleteBucketReplication"),
    bucket(
        "GetBucketReplicationLocation",
        "oss:GetBucketReplicationLocation",
    ),
    bucket(
        "GetBucketReplicationProgress",
        "oss:GetBucketReplicationProgress",
    ),
    bucket("PutBucketRTC", "oss:PutBucketRTC"),
    bucket("PutBucketInventory", "oss:PutBucketInventory"),
    bucket("GetBucketInventory", "oss:GetBucketInventory"),
    note(
        bucket("ListBucketInventory", "oss:GetBucketInventory"),
        "listing uses the Get action",
    ),
    bucket("DeleteBucketInventory", "oss:DeleteBucketInventory"),
    bucket(
        "PutBucketPublicAccessBlock",
        "oss:PutBucketPublicAccessBlock",
    ),
    bucket(
        "GetBucketPublicAccessBlock",
        "oss:GetBucketPublicAccessBlock",
    ),
    bucket(
        "DeleteBucketPublicAccessBlock",
        "oss:DeleteBucketPublicAccessBlock",
    ),
    bucket("PutBucketOverwriteConfig", "oss:PutBucketOverwriteConfig"),
    bucket("GetBucketOverwriteConfig", "oss:GetBucketOverwriteConfig"),
    bucket(
        "DeleteBucketOverwriteConfig",
        "oss:DeleteBucketOverwriteConfig",
    ),
    row(
        "ListMultipartUploads",
        "oss:ListMultipartUploads",
        Bucket,
        Write,
    ),
    bucket("PutStyle", "oss:PutStyle"),
    bucket("GetStyle", "oss:GetStyle"),
    bucket("ListStyle", "oss:ListStyle"),
    bucket("DeleteStyle", "oss:DeleteStyle"),
    bucket("PutCname", "oss:PutCname"),
    bucket("ListCname", "oss:ListCname"),
    bucket("DeleteCname", "oss:DeleteCname"),
    bucket("CreateCnameToken", "oss:CreateCnameToken"),
    bucket("GetCnameToken", "oss:GetCnameToken"),
    // object level
    note(
        object("PutObject", "oss:PutObject", Write),
        "+ `oss:PutObjectTagging` with `x-oss-tagging`; cond `oss:x-oss-object-acl`, `oss:RequestObjectTag/*`",
    ),
    note(
        object("PostObject", "oss:PutObject", Write),
        "form upload; token in form field `x-oss-security-token`",
    ),
    note(object("AppendObject", "oss:PutObject", Write), TAGGING_NOTE),
    note(
        object("InitiateMultipartUpload", "oss:PutObject", Write),
        TAGGING_NOTE,
    ),
    object("UploadPart", "oss:PutObject", Write),
    note(
        object("CompleteMultipartUpload", "oss:PutObject", Write),
        TAGGING_NOTE,
    ),
    note(
        object("UploadPartCopy", "oss:PutObject", Write),
        "+ `oss:GetObject` on the source (`oss:GetObjectVersion` with a source versionId)",
    ),
    object("AbortMultipartUpload", "oss:AbortMultipartUpload", Write),
    object("ListParts", "oss:ListParts", Write),
    object("PutSymlink", "oss:PutObject", Write),
    object("GetSymlink", "oss:GetObject", Read),
    note(
        versioned(
            object("GetObject", "oss:GetObject", Read),
            "oss:GetObjectVersion",
        ),
        "cond `oss:ExistingObjectTag/*`",
    ),
    versioned(
        object("HeadObject", "oss:GetObject", Read),
        "oss:GetObjectVersion",
    ),
    versioned(
        object("GetObjectMeta", "oss:GetObject", Read),
        "oss:GetObjectVersion",
    ),
    object("SelectObject", "oss:GetObject", Read),
    versioned(
        object("DeleteObject", "oss:DeleteObject", Write),
        "oss:DeleteObjectVersion",
    ),
    note(
        versioned(
            object("DeleteMultipleObjects", "oss:DeleteObject", Write),
            "oss:DeleteObjectVersion",
        ),
        "one check per key (version action for entries with VersionId)",
    ),
    note(
        object("CopyObject", "oss:PutObject", Write),
        "+ `oss:GetObject` on the source (its owner; `oss:GetObjectVersion` with a source versionId); \
         + `oss:GetObjectTagging` / `oss:PutObjectTagging` when tags are copied / set",
    ),
    note(
        versioned(
            object("PutObjectAcl", "oss:PutObjectAcl", Management),
            "oss:PutObjectVersionAcl",
        ),
        "cond `oss:x-oss-object-acl`",
    ),
    versioned(
        object("GetObjectAcl", "oss:GetObjectAcl", Management),
        "oss:GetObjectVersionAcl",
    ),
    versioned(
        object("RestoreObject", "oss:RestoreObject", Write),
        "oss:RestoreObjectVersion",
    ),
    versioned(
        object("PutObjectTagging", "oss:PutObjectTagging", Management),
        "oss:PutObjectVersionTagging",
    ),
    versioned(
        object("GetObjectTagging", "oss:GetObjectTagging", Read),
        "oss:GetObjectVersionTagging",
    ),
    versioned(
        object("DeleteObjectTagging", "oss:DeleteObjectTagging", Management),
        "oss:DeleteObjectVersionTagging",
    ),
    object("PutLiveChannel", "oss:PutLiveChannel", Management),
    note(
        bucket("ListLiveChannel", "oss:ListLiveChannel"),
        "no channel name: bucket resource",
    ),
    object("DeleteLiveChannel", "oss:DeleteLiveChannel", Management),
    object(
        "PutLiveChannelStatus",
        "oss:PutLiveChannelStatus",
        Management,
    ),
    object("GetLiveChannelInfo", "oss:GetLiveChannel", Management),
    object("GetLiveChannelStat", "oss:GetLiveChannelStat", Management),
    object(
        "GetLiveChannelHistory",
        "oss:GetLiveChannelHistory",
        Management,
    ),
    object("PostVodPlaylist", "oss:PostVodPlaylist", Management),
    object("GetVodPlaylist", "oss:GetVodPlaylist", Management),
    note(
        object("ImgSaveAs", "oss:PostProcessTask", Write),
        "`x-oss-process` … `saveas`; + `oss:GetObject` on the source, `oss:PutObject` on the target",
    ),
];
