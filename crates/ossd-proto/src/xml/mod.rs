//! XML bodies: typed response serializers (`to_xml`) and request parsers (`parse`).
//!
//! Responses are built with [`XmlWriter`]: the XML declaration first, element order as in the
//! documented examples, text escaped by [`escape_text`], ETags with literal quotes, times as
//! ISO 8601 with milliseconds. With `encoding-type=url` the fields the SDKs decode are
//! percent-encoded by [`url_encode`].
//!
//! Requests are read with quick-xml's `Reader` into a small bounded tree; namespaces and
//! attributes are ignored, unknown elements are skipped. Every parser returns `MalformedXML` for
//! bad input, `EntityTooLarge` for a body over its limit, and never panics. Callers should also
//! stop reading a body at the same limit.

mod attributes;
mod bucket;
mod bucket_stat;
mod bucket_tagging;
mod cors;
mod delete;
mod error_doc;
pub(crate) mod lifecycle;
mod lifecycle_rule;
mod list;
mod multipart;
mod multipart_list;
mod object;
mod ownership;
mod policy_status;
mod public_access_block;
pub(crate) mod reader;
mod referer;
mod restore;
mod service;
mod stored;
mod style;
mod tagging;
mod versioning;
mod writer;

pub use attributes::{AttributePart, ChecksumElement, GetObjectAttributesResponse, ObjectParts};
pub use bucket::{
    AccessControlPolicy, BucketInfo, CreateBucketConfiguration, DataRedundancyType,
    LocationConstraint,
};
pub use bucket_stat::{BucketStat, ClassStat};
pub use bucket_tagging::{
    BucketTagging, MAX_BUCKET_TAG_KEY_CHARS, MAX_BUCKET_TAG_VALUE_CHARS, MAX_BUCKET_TAGS,
    parse_tag_filter, validate_bucket_tags,
};
pub use cors::{CORS_METHODS, CorsConfiguration, CorsRule, MAX_CORS_BODY_BYTES, MAX_CORS_RULES};
pub use delete::{
    DeleteErrorEntry, DeleteObjectsRequest, DeleteResult, DeletedEntry, MAX_DELETE_BODY_BYTES,
    MAX_DELETE_OBJECTS, ObjectToDelete,
};
pub use error_doc::recommend_doc;
pub use lifecycle::{LifecycleConfiguration, MAX_LIFECYCLE_BODY_BYTES, MAX_LIFECYCLE_RULES};
pub use lifecycle_rule::{MAX_NEWER_NONCURRENT, MAX_RULE_ID_BYTES};
pub use list::{ListObjectsResult, ListObjectsV2Result, ObjectSummary};
pub use multipart::{
    CompleteMultipartUpload, CompleteMultipartUploadResult, CompletePart,
    InitiateMultipartUploadResult, MAX_COMPLETE_BODY_BYTES, MAX_PART_NUMBER,
};
pub use multipart_list::{ListMultipartUploadsResult, ListPartsResult, PartSummary, UploadSummary};
pub use object::{CopyObjectResult, CopyPartResult, PostResponse};
pub use ownership::{ObjectOwnership, OwnershipControls};
pub use policy_status::PolicyStatus;
pub use public_access_block::PublicAccessBlockConfiguration;
pub use reader::{MAX_CONFIG_BODY_BYTES, MAX_XML_DEPTH, MAX_XML_ELEMENTS};
pub use referer::{MAX_REFERER_BODY_BYTES, MAX_REFERERS, RefererConfiguration};
pub use restore::{MAX_RESTORE_BODY_BYTES, RestoreRequest, RestoreTier};
pub use service::{BucketSummary, ListAllMyBucketsResult, Owner};
pub use stored::Styles;
pub use style::{DEFAULT_STYLE_CATEGORY, MAX_STYLE_BODY_BYTES, STYLE_CATEGORIES, Style};
pub use tagging::{
    MAX_TAG_KEY_CHARS, MAX_TAG_VALUE_CHARS, MAX_TAGGING_BODY_BYTES, MAX_TAGS, Tag, Tagging,
    check_oss_tag_characters, validate_tags,
};
pub use versioning::{
    DeleteMarkerInfo, ListVersionsResult, VersionEntry, VersionInfo, VersionMarker,
    VersioningConfiguration,
};
pub use writer::{
    XML_DECLARATION, XmlWriter, escape_key_text, escape_text, is_xml_char, maybe_url_encode,
    url_encode,
};
