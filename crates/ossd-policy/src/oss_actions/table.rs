//! The data of the OSS action map (docs/protocol/authorization.md#oss-action-map). Operation names
//! are the OSS API names.

use super::Access::{self, Management, Read, Write};
use super::ResourceLevel::{self, Bucket, Object, Service};
use super::{AclGrant, OssAction};

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
        acl: AclGrant::Never,
        notes: "",
    }
}

/// Sets what the canned ACLs grant.
const fn acl(mut a: OssAction, grant: AclGrant) -> OssAction {
    a.acl = grant;
    a
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

/// The rows of the operations ossd implements, one named constant per `ossd_proto::op::Operation`
/// (which refers to them by name, so a missing row does not compile).
#[allow(non_upper_case_globals)] // named exactly as the OSS API
pub mod rows {
    use super::AclGrant::{BucketRead, ObjectRead, Write as AclWrite};
    use super::*;

    /// `ListBuckets`.
    pub const ListBuckets: OssAction = note(
        row("ListBuckets", "oss:ListBuckets", Service, Management),
        "alias GetService",
    );

    /// `PutBucket`.
    pub const PutBucket: OssAction =
        note(bucket("PutBucket", "oss:PutBucket"), "cond `oss:x-oss-acl`");

    /// `DeleteBucket`.
    pub const DeleteBucket: OssAction = bucket("DeleteBucket", "oss:DeleteBucket");

    /// `ListObjects`.
    pub const ListObjects: OssAction = acl(
        note(
            row("ListObjects", "oss:ListObjects", Bucket, Read),
            LIST_NOTE,
        ),
        BucketRead,
    );

    /// `ListObjectsV2`.
    pub const ListObjectsV2: OssAction = acl(
        note(
            row("ListObjectsV2", "oss:ListObjects", Bucket, Read),
            LIST_NOTE,
        ),
        BucketRead,
    );

    /// `ListObjectVersions`.
    pub const ListObjectVersions: OssAction = acl(
        note(
            row("ListObjectVersions", "oss:ListObjectVersions", Bucket, Read),
            LIST_NOTE,
        ),
        BucketRead,
    );

    /// `GetBucketInfo`.
    pub const GetBucketInfo: OssAction = bucket("GetBucketInfo", "oss:GetBucketInfo");

    /// `GetBucketLocation`.
    pub const GetBucketLocation: OssAction = bucket("GetBucketLocation", "oss:GetBucketLocation");

    /// `GetBucketStat`.
    pub const GetBucketStat: OssAction = bucket("GetBucketStat", "oss:GetBucketStat");

    /// `PutBucketAcl`.
    pub const PutBucketAcl: OssAction = note(
        bucket("PutBucketAcl", "oss:PutBucketAcl"),
        "cond `oss:x-oss-acl`",
    );

    /// `GetBucketAcl`.
    pub const GetBucketAcl: OssAction = bucket("GetBucketAcl", "oss:GetBucketAcl");

    /// `PutBucketVersioning`.
    pub const PutBucketVersioning: OssAction =
        bucket("PutBucketVersioning", "oss:PutBucketVersioning");

    /// `GetBucketVersioning`.
    pub const GetBucketVersioning: OssAction =
        bucket("GetBucketVersioning", "oss:GetBucketVersioning");

    /// `PutBucketCors`.
    pub const PutBucketCors: OssAction = bucket("PutBucketCors", "oss:PutBucketCors");

    /// `GetBucketCors`.
    pub const GetBucketCors: OssAction = bucket("GetBucketCors", "oss:GetBucketCors");

    /// `DeleteBucketCors`.
    pub const DeleteBucketCors: OssAction = bucket("DeleteBucketCors", "oss:DeleteBucketCors");

    /// `PutBucketLifecycle`.
    pub const PutBucketLifecycle: OssAction =
        bucket("PutBucketLifecycle", "oss:PutBucketLifecycle");

    /// `GetBucketLifecycle`.
    pub const GetBucketLifecycle: OssAction =
        bucket("GetBucketLifecycle", "oss:GetBucketLifecycle");

    /// `DeleteBucketLifecycle`.
    pub const DeleteBucketLifecycle: OssAction =
        bucket("DeleteBucketLifecycle", "oss:DeleteBucketLifecycle");

    /// `PutBucketReferer`.
    pub const PutBucketReferer: OssAction = bucket("PutBucketReferer", "oss:PutBucketReferer");

    /// `GetBucketReferer`.
    pub const GetBucketReferer: OssAction = bucket("GetBucketReferer", "oss:GetBucketReferer");

    /// `PutBucketPolicy`.
    pub const PutBucketPolicy: OssAction = bucket("PutBucketPolicy", "oss:PutBucketPolicy");

    /// `GetBucketPolicy`.
    pub const GetBucketPolicy: OssAction = bucket("GetBucketPolicy", "oss:GetBucketPolicy");

    /// `DeleteBucketPolicy`.
    pub const DeleteBucketPolicy: OssAction =
        bucket("DeleteBucketPolicy", "oss:DeleteBucketPolicy");

    /// `GetBucketPolicyStatus`.
    pub const GetBucketPolicyStatus: OssAction =
        bucket("GetBucketPolicyStatus", "oss:GetBucketPolicyStatus");

    /// `PutPublicAccessBlock` (the account's).
    pub const PutPublicAccessBlock: OssAction = row(
        "PutPublicAccessBlock",
        "oss:PutPublicAccessBlock",
        Service,
        Management,
    );

    /// `GetPublicAccessBlock` (the account's).
    pub const GetPublicAccessBlock: OssAction = row(
        "GetPublicAccessBlock",
        "oss:GetPublicAccessBlock",
        Service,
        Management,
    );

    /// `DeletePublicAccessBlock` (the account's).
    pub const DeletePublicAccessBlock: OssAction = row(
        "DeletePublicAccessBlock",
        "oss:DeletePublicAccessBlock",
        Service,
        Management,
    );

    /// `PutBucketPublicAccessBlock`.
    pub const PutBucketPublicAccessBlock: OssAction = bucket(
        "PutBucketPublicAccessBlock",
        "oss:PutBucketPublicAccessBlock",
    );

    /// `GetBucketPublicAccessBlock`.
    pub const GetBucketPublicAccessBlock: OssAction = bucket(
        "GetBucketPublicAccessBlock",
        "oss:GetBucketPublicAccessBlock",
    );

    /// `DeleteBucketPublicAccessBlock`.
    pub const DeleteBucketPublicAccessBlock: OssAction = bucket(
        "DeleteBucketPublicAccessBlock",
        "oss:DeleteBucketPublicAccessBlock",
    );

    /// `PutBucketOwnershipControls`: S3's API (no OSS twin), under its own RAM action so that
    /// `s3:PutBucketOwnershipControls` applies (AWS "Actions, resources, and condition keys for
    /// Amazon S3").
    pub const PutBucketOwnershipControls: OssAction = bucket(
        "PutBucketOwnershipControls",
        "oss:PutBucketOwnershipControls",
    );

    /// `GetBucketOwnershipControls`: S3's API (no OSS twin), under its own RAM action so that
    /// `s3:GetBucketOwnershipControls` applies.
    pub const GetBucketOwnershipControls: OssAction = bucket(
        "GetBucketOwnershipControls",
        "oss:GetBucketOwnershipControls",
    );

    /// `DeleteBucketOwnershipControls`: S3's API (no OSS twin); its S3 name is
    /// `s3:PutBucketOwnershipControls`, as S3 has no delete action for the setting (S3 API
    /// reference, DeleteBucketOwnershipControls).
    pub const DeleteBucketOwnershipControls: OssAction = bucket(
        "DeleteBucketOwnershipControls",
        "oss:DeleteBucketOwnershipControls",
    );

    /// `PutBucketTags`.
    pub const PutBucketTags: OssAction = note(
        bucket("PutBucketTags", "oss:PutBucketTagging"),
        "action name differs from the API name",
    );

    /// `GetBucketTags`.
    pub const GetBucketTags: OssAction = note(
        bucket("GetBucketTags", "oss:GetBucketTagging"),
        "action name differs from the API name",
    );

    /// `DeleteBucketTags`.
    pub const DeleteBucketTags: OssAction = note(
        bucket("DeleteBucketTags", "oss:DeleteBucketTagging"),
        "action name differs from the API name",
    );

    /// `ListMultipartUploads`.
    pub const ListMultipartUploads: OssAction = acl(
        row(
            "ListMultipartUploads",
            "oss:ListMultipartUploads",
            Bucket,
            Write,
        ),
        AclWrite,
    );

    /// `PutStyle`.
    pub const PutStyle: OssAction = bucket("PutStyle", "oss:PutStyle");

    /// `GetStyle`.
    pub const GetStyle: OssAction = bucket("GetStyle", "oss:GetStyle");

    /// `ListStyle`.
    pub const ListStyle: OssAction = bucket("ListStyle", "oss:ListStyle");

    /// `DeleteStyle`.
    pub const DeleteStyle: OssAction = bucket("DeleteStyle", "oss:DeleteStyle");

    /// `PutObject`.
    pub const PutObject: OssAction = acl(
        note(
            object("PutObject", "oss:PutObject", Write),
            "+ `oss:PutObjectTagging` with `x-oss-tagging`; cond `oss:x-oss-object-acl`, `oss:RequestObjectTag/*`",
        ),
        AclWrite,
    );

    /// `AppendObject`.
    pub const AppendObject: OssAction = acl(
        note(object("AppendObject", "oss:PutObject", Write), TAGGING_NOTE),
        AclWrite,
    );

    /// `InitiateMultipartUpload`.
    pub const InitiateMultipartUpload: OssAction = acl(
        note(
            object("InitiateMultipartUpload", "oss:PutObject", Write),
            TAGGING_NOTE,
        ),
        AclWrite,
    );

    /// `UploadPart`.
    pub const UploadPart: OssAction = acl(object("UploadPart", "oss:PutObject", Write), AclWrite);

    /// `CompleteMultipartUpload`.
    pub const CompleteMultipartUpload: OssAction = acl(
        note(
            object("CompleteMultipartUpload", "oss:PutObject", Write),
            TAGGING_NOTE,
        ),
        AclWrite,
    );

    /// `UploadPartCopy`.
    pub const UploadPartCopy: OssAction = acl(
        note(
            object("UploadPartCopy", "oss:PutObject", Write),
            "+ `oss:GetObject` on the source (`oss:GetObjectVersion` with a source versionId)",
        ),
        AclWrite,
    );

    /// `AbortMultipartUpload`.
    pub const AbortMultipartUpload: OssAction = acl(
        object("AbortMultipartUpload", "oss:AbortMultipartUpload", Write),
        AclWrite,
    );

    /// `ListParts`.
    pub const ListParts: OssAction = acl(object("ListParts", "oss:ListParts", Write), AclWrite);

    /// `PutSymlink`.
    pub const PutSymlink: OssAction = acl(object("PutSymlink", "oss:PutObject", Write), AclWrite);

    /// `GetSymlink`: a named version of the link is read as `oss:GetObjectVersion`, like every
    /// other read of an object version (docs/protocol/authorization.md#oss-action-map).
    pub const GetSymlink: OssAction = acl(
        versioned(
            object("GetSymlink", "oss:GetObject", Read),
            "oss:GetObjectVersion",
        ),
        ObjectRead,
    );

    /// `GetObject`.
    pub const GetObject: OssAction = acl(
        note(
            versioned(
                object("GetObject", "oss:GetObject", Read),
                "oss:GetObjectVersion",
            ),
            "cond `oss:ExistingObjectTag/*`",
        ),
        ObjectRead,
    );

    /// `HeadObject`.
    pub const HeadObject: OssAction = acl(
        versioned(
            object("HeadObject", "oss:GetObject", Read),
            "oss:GetObjectVersion",
        ),
        ObjectRead,
    );

    /// `GetObjectMeta`.
    pub const GetObjectMeta: OssAction = acl(
        versioned(
            object("GetObjectMeta", "oss:GetObject", Read),
            "oss:GetObjectVersion",
        ),
        ObjectRead,
    );

    /// `GetObjectAttributes`: S3's API (no OSS twin), under its own RAM action so that the S3
    /// names `s3:GetObjectAttributes` and `s3:GetObjectVersionAttributes` apply (AWS "Actions,
    /// resources, and condition keys for Amazon S3"); canned ACLs grant it as a read.
    pub const GetObjectAttributes: OssAction = acl(
        versioned(
            object("GetObjectAttributes", "oss:GetObjectAttributes", Read),
            "oss:GetObjectVersionAttributes",
        ),
        ObjectRead,
    );

    /// `DeleteObject`.
    pub const DeleteObject: OssAction = acl(
        versioned(
            object("DeleteObject", "oss:DeleteObject", Write),
            "oss:DeleteObjectVersion",
        ),
        AclWrite,
    );

    /// `DeleteMultipleObjects`.
    pub const DeleteMultipleObjects: OssAction = acl(
        note(
            versioned(
                object("DeleteMultipleObjects", "oss:DeleteObject", Write),
                "oss:DeleteObjectVersion",
            ),
            "one check per key (version action for entries with VersionId)",
        ),
        AclWrite,
    );

    /// `CopyObject`.
    pub const CopyObject: OssAction = acl(
        note(
            object("CopyObject", "oss:PutObject", Write),
            "+ `oss:GetObject` on the source (its owner; `oss:GetObjectVersion` with a source versionId); \
         + `oss:GetObjectTagging` / `oss:PutObjectTagging` when tags are copied / set",
        ),
        AclWrite,
    );

    /// `PutObjectAcl`.
    pub const PutObjectAcl: OssAction = note(
        versioned(
            object("PutObjectAcl", "oss:PutObjectAcl", Management),
            "oss:PutObjectVersionAcl",
        ),
        "cond `oss:x-oss-object-acl`",
    );

    /// `GetObjectAcl`.
    pub const GetObjectAcl: OssAction = versioned(
        object("GetObjectAcl", "oss:GetObjectAcl", Management),
        "oss:GetObjectVersionAcl",
    );

    /// `RestoreObject`.
    pub const RestoreObject: OssAction = versioned(
        object("RestoreObject", "oss:RestoreObject", Write),
        "oss:RestoreObjectVersion",
    );

    /// `PutObjectTagging`.
    pub const PutObjectTagging: OssAction = versioned(
        object("PutObjectTagging", "oss:PutObjectTagging", Management),
        "oss:PutObjectVersionTagging",
    );

    /// `GetObjectTagging`.
    pub const GetObjectTagging: OssAction = versioned(
        object("GetObjectTagging", "oss:GetObjectTagging", Read),
        "oss:GetObjectVersionTagging",
    );

    /// `DeleteObjectTagging`.
    pub const DeleteObjectTagging: OssAction = versioned(
        object("DeleteObjectTagging", "oss:DeleteObjectTagging", Management),
        "oss:DeleteObjectVersionTagging",
    );

    /// `ImgSaveAs`.
    pub const ImgSaveAs: OssAction = note(
        object("ImgSaveAs", "oss:PostProcessTask", Write),
        "`x-oss-process` … `saveas`; + `oss:GetObject` on the source, `oss:PutObject` on the target",
    );
}

/// Every OSS operation this server knows, with its RAM action.
pub(super) const OSS_ACTIONS: &[OssAction] = &[
    // service level
    rows::ListBuckets,
    note(
        row("GetService", "oss:ListBuckets", Service, Management),
        "alias of ListBuckets",
    ),
    rows::PutPublicAccessBlock,
    rows::GetPublicAccessBlock,
    rows::DeletePublicAccessBlock,
    // bucket level
    rows::PutBucket,
    rows::DeleteBucket,
    rows::ListObjects,
    acl(
        note(
            row("GetBucket", "oss:ListObjects", Bucket, Read),
            "alias of ListObjects",
        ),
        AclGrant::BucketRead,
    ),
    rows::ListObjectsV2,
    acl(
        note(
            row("GetBucketV2", "oss:ListObjects", Bucket, Read),
            "alias of ListObjectsV2",
        ),
        AclGrant::BucketRead,
    ),
    rows::ListObjectVersions,
    acl(
        note(
            row("GetBucketVersions", "oss:ListObjectVersions", Bucket, Read),
            "alias of ListObjectVersions",
        ),
        AclGrant::BucketRead,
    ),
    rows::GetBucketInfo,
    rows::GetBucketLocation,
    rows::GetBucketStat,
    rows::PutBucketAcl,
    rows::GetBucketAcl,
    rows::PutBucketVersioning,
    rows::GetBucketVersioning,
    rows::PutBucketCors,
    rows::GetBucketCors,
    rows::DeleteBucketCors,
    rows::PutBucketLifecycle,
    rows::GetBucketLifecycle,
    rows::DeleteBucketLifecycle,
    note(
        bucket("PutBucketLogging", "oss:PutBucketLogging"),
        "+ `oss:PutObject` on the target bucket",
    ),
    bucket("GetBucketLogging", "oss:GetBucketLogging"),
    bucket("DeleteBucketLogging", "oss:DeleteBucketLogging"),
    bucket("PutBucketWebsite", "oss:PutBucketWebsite"),
    bucket("GetBucketWebsite", "oss:GetBucketWebsite"),
    bucket("DeleteBucketWebsite", "oss:DeleteBucketWebsite"),
    rows::PutBucketReferer,
    rows::GetBucketReferer,
    rows::PutBucketPolicy,
    rows::GetBucketPolicy,
    rows::DeleteBucketPolicy,
    rows::GetBucketPolicyStatus,
    rows::PutBucketOwnershipControls,
    rows::GetBucketOwnershipControls,
    rows::DeleteBucketOwnershipControls,
    rows::PutBucketTags,
    rows::GetBucketTags,
    rows::DeleteBucketTags,
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
    rows::PutBucketPublicAccessBlock,
    rows::GetBucketPublicAccessBlock,
    rows::DeleteBucketPublicAccessBlock,
    bucket("PutBucketOverwriteConfig", "oss:PutBucketOverwriteConfig"),
    bucket("GetBucketOverwriteConfig", "oss:GetBucketOverwriteConfig"),
    bucket(
        "DeleteBucketOverwriteConfig",
        "oss:DeleteBucketOverwriteConfig",
    ),
    rows::ListMultipartUploads,
    rows::PutStyle,
    rows::GetStyle,
    rows::ListStyle,
    rows::DeleteStyle,
    bucket("PutCname", "oss:PutCname"),
    bucket("ListCname", "oss:ListCname"),
    bucket("DeleteCname", "oss:DeleteCname"),
    bucket("CreateCnameToken", "oss:CreateCnameToken"),
    bucket("GetCnameToken", "oss:GetCnameToken"),
    // object level
    rows::PutObject,
    acl(
        note(
            object("PostObject", "oss:PutObject", Write),
            "form upload; token in form field `x-oss-security-token`",
        ),
        AclGrant::Write,
    ),
    rows::AppendObject,
    rows::InitiateMultipartUpload,
    rows::UploadPart,
    rows::CompleteMultipartUpload,
    rows::UploadPartCopy,
    rows::AbortMultipartUpload,
    rows::ListParts,
    rows::PutSymlink,
    rows::GetSymlink,
    rows::GetObject,
    rows::HeadObject,
    rows::GetObjectMeta,
    rows::GetObjectAttributes,
    object("SelectObject", "oss:GetObject", Read),
    rows::DeleteObject,
    rows::DeleteMultipleObjects,
    rows::CopyObject,
    rows::PutObjectAcl,
    rows::GetObjectAcl,
    rows::RestoreObject,
    rows::PutObjectTagging,
    rows::GetObjectTagging,
    rows::DeleteObjectTagging,
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
    rows::ImgSaveAs,
];
