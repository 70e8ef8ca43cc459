//! The typed parameters of a request, parsed once from its query and headers together with its
//! [`Operation`], before any I/O: a bad `max-keys`, marker, part number or version id fails
//! here, and the handlers read fields instead of looking parameters up by name
//! (docs/protocol/objects.md, docs/protocol/multipart.md, docs/protocol/versioning.md).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ossd_sig::QueryParam;

use ossd_types::{Conditions, NULL_VERSION};

use crate::dialect::Dialect;
use crate::error::OssError;
use crate::headers::{RangeRequest, conditions};
use crate::op::Operation;
use crate::request::query_get;

/// Default `max-keys` of object and version listings.
pub const DEFAULT_MAX_KEYS: usize = 100;
/// Largest `max-keys` of object and version listings.
pub const MAX_MAX_KEYS: usize = 1000;
/// Default and largest `max-parts` / `max-uploads`.
pub const MAX_ENTRIES: usize = 1000;
/// The longest `prefix`, `delimiter`, `key-marker` and `version-id-marker` of ListObjectVersions,
/// in bytes: OSS answers 1025 bytes of each with `InvalidArgument` (oss2's
/// `test_list_object_versions_wrong`); object keys are at most 1023 bytes, so no listing is lost.
pub const MAX_VERSIONS_PARAM_BYTES: usize = 1024;

/// The parameters of the operations that have any beyond the bucket and key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Params {
    /// Nothing beyond the target (or parameters not yet modelled here).
    #[default]
    None,
    /// ListObjects and ListObjectsV2.
    ListObjects(ListObjects),
    /// ListObjectVersions.
    ListVersions(ListVersions),
    /// ListMultipartUploads.
    ListUploads(ListUploads),
    /// ListParts.
    ListParts(ListParts),
    /// UploadPart and UploadPartCopy.
    Part(PartParams),
    /// CompleteMultipartUpload and AbortMultipartUpload.
    Upload(UploadParams),
    /// InitiateMultipartUpload.
    Initiate(InitiateParams),
    /// GetObject and HeadObject.
    Read(ReadParams),
    /// GetObjectAttributes.
    Attributes(AttributesParams),
    /// GetObjectMeta.
    Meta(MetaParams),
}

/// `GET|HEAD /<key>`: the version, range, conditions and response overrides
/// (docs/protocol/objects.md#getobject).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReadParams {
    /// `versionId`, when given (checked: see [`version_id`]).
    pub version_id: Option<String>,
    /// `Range` with `x-oss-range-behavior`, resolved once the object's size is known.
    pub range: RangeRequest,
    /// `If-Match`, `If-None-Match`, `If-Modified-Since`, `If-Unmodified-Since` (a malformed
    /// date is ignored).
    pub conditions: Conditions,
    /// The `response-*` query parameters.
    pub overrides: Overrides,
    /// S3's `partNumber` (a part of a multipart object; 0 when not a number), when given.
    pub part_number: Option<u32>,
}

/// S3's `GET /<key>?attributes` (S3 API reference, GetObjectAttributes).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttributesParams {
    /// `versionId`, when given (checked: see [`version_id`]).
    pub version_id: Option<String>,
    /// `x-amz-max-parts` (default 1000).
    pub max_parts: usize,
    /// `x-amz-part-number-marker` (0 when absent).
    pub part_number_marker: u32,
}

/// `HEAD /<key>?objectMeta`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MetaParams {
    /// `versionId`, when given (checked: see [`version_id`]).
    pub version_id: Option<String>,
}

/// The `response-*` query parameters of a read, each the value of the response header it
/// overrides (present with an empty value is `Some("")`; docs/protocol/objects.md#getobject).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Overrides {
    /// `response-content-type`.
    pub content_type: Option<String>,
    /// `response-content-language`.
    pub content_language: Option<String>,
    /// `response-expires`.
    pub expires: Option<String>,
    /// `response-cache-control`.
    pub cache_control: Option<String>,
    /// `response-content-disposition`.
    pub content_disposition: Option<String>,
    /// `response-content-encoding`.
    pub content_encoding: Option<String>,
}

impl Overrides {
    fn parse(q: Query<'_>) -> Self {
        let v = |name: &str| q.get(name).map(str::to_owned);
        Self {
            content_type: v("response-content-type"),
            content_language: v("response-content-language"),
            expires: v("response-expires"),
            cache_control: v("response-cache-control"),
            content_disposition: v("response-content-disposition"),
            content_encoding: v("response-content-encoding"),
        }
    }

    /// Whether no `response-*` parameter was sent.
    pub fn is_empty(&self) -> bool {
        self.headers().next().is_none()
    }

    /// The overridden response headers (lowercase names) with their values.
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("content-type", &self.content_type),
            ("content-language", &self.content_language),
            ("expires", &self.expires),
            ("cache-control", &self.cache_control),
            ("content-disposition", &self.content_disposition),
            ("content-encoding", &self.content_encoding),
        ]
        .into_iter()
        .filter_map(|(h, v)| v.as_deref().map(|v| (h, v)))
    }
}

/// `POST /<key>?uploads`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitiateParams {
    /// `encoding-type=url`.
    pub encoding_url: bool,
}

/// `GET /` (v1) and `GET /?list-type=2` (v2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListObjects {
    /// ListObjectsV2.
    pub v2: bool,
    /// `prefix` (empty when absent).
    pub prefix: String,
    /// `delimiter`, when not empty.
    pub delimiter: Option<String>,
    /// v1 `marker` (empty when absent).
    pub marker: String,
    /// v2 `start-after`, when not empty.
    pub start_after: Option<String>,
    /// v2 `continuation-token`, when not empty, as sent.
    pub continuation_token: Option<String>,
    /// The key the listing starts after: v1 `marker`; v2 the continuation token's key, else
    /// `start-after`.
    pub start: String,
    /// `max-keys` (1..=1000, default 100).
    pub max_keys: usize,
    /// `encoding-type=url`.
    pub encoding_url: bool,
    /// v2 `fetch-owner=true`.
    pub fetch_owner: bool,
}

/// `GET /?versions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListVersions {
    /// `prefix` (empty when absent).
    pub prefix: String,
    /// `delimiter`, when not empty.
    pub delimiter: Option<String>,
    /// `key-marker` (empty when absent).
    pub key_marker: String,
    /// `version-id-marker`, meaningful only within a key marker (empty otherwise).
    pub version_id_marker: String,
    /// `max-keys` (1..=1000, default 100).
    pub max_keys: usize,
    /// `encoding-type=url`.
    pub encoding_url: bool,
}

/// `GET /?uploads`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListUploads {
    /// `prefix` (empty when absent).
    pub prefix: String,
    /// `delimiter`, when not empty.
    pub delimiter: Option<String>,
    /// `key-marker` (empty when absent).
    pub key_marker: String,
    /// `upload-id-marker` (empty when absent).
    pub upload_id_marker: String,
    /// `max-uploads` (1..=1000, default 1000).
    pub max_uploads: usize,
    /// `encoding-type=url`.
    pub encoding_url: bool,
}

/// `GET /<key>?uploadId=ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListParts {
    /// `uploadId` (empty when absent: no such upload).
    pub upload_id: String,
    /// `part-number-marker` (0 when absent or empty).
    pub part_number_marker: u32,
    /// `max-parts` (1..=1000, default 1000).
    pub max_parts: usize,
    /// `encoding-type=url`.
    pub encoding_url: bool,
}

/// `PUT /<key>?partNumber=N&uploadId=ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartParams {
    /// `uploadId`, when not empty (absent: no such upload).
    pub upload_id: Option<String>,
    /// `partNumber`.
    pub part_number: u32,
}

/// `POST|DELETE /<key>?uploadId=ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadParams {
    /// `uploadId` (empty when absent: no such upload).
    pub upload_id: String,
    /// `encoding-type=url`.
    pub encoding_url: bool,
}

/// The range behaviour of a read: S3 always follows RFC 7233 (an unsatisfiable range is 416
/// `InvalidRange`, docs/s3.md#ranges), OSS only with `x-oss-range-behavior: standard`.
fn range_behavior<'a>(
    dialect: Dialect,
    header: impl Fn(&str) -> Option<&'a str>,
) -> Option<&'a str> {
    match dialect {
        Dialect::S3 => Some("standard"),
        Dialect::Oss => header("x-oss-range-behavior"),
    }
}

impl Params {
    /// The parameters of `op` from the decoded query and the headers (lowercase names, as the
    /// server collects them).
    pub fn parse(
        op: Operation,
        query: &[QueryParam],
        headers: &[(String, String)],
        dialect: Dialect,
    ) -> Result<Self, OssError> {
        let q = Query(query);
        let limits = ListLimits::of(dialect);
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        Ok(match op {
            Operation::GetObject | Operation::HeadObject => Self::Read(ReadParams {
                version_id: version_id(query)?,
                range: RangeRequest::parse(header("range"), range_behavior(dialect, header)),
                conditions: conditions("", header),
                overrides: Overrides::parse(q),
                part_number: query_get(query, "partNumber")
                    .map(|n| n.trim().parse::<u32>().unwrap_or(0)),
            }),
            Operation::GetObjectAttributes => {
                let header_number = |name: &str| {
                    header(name)
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(|v| {
                            v.parse::<u32>()
                                .map_err(|_| OssError::invalid_argument(format!("Invalid {name}.")))
                        })
                        .transpose()
                };
                Self::Attributes(AttributesParams {
                    version_id: version_id(query)?,
                    max_parts: header_number("x-amz-max-parts")?.map_or(MAX_ENTRIES, |n| {
                        usize::try_from(n).map_or(MAX_ENTRIES, |n| n.min(MAX_ENTRIES))
                    }),
                    part_number_marker: header_number("x-amz-part-number-marker")?.unwrap_or(0),
                })
            }
            Operation::GetObjectMeta => Self::Meta(MetaParams {
                version_id: version_id(query)?,
            }),
            Operation::ListObjects => Self::ListObjects(list_objects(q, false, limits)?),
            Operation::ListObjectsV2 => Self::ListObjects(list_objects(q, true, limits)?),
            Operation::ListObjectVersions => Self::ListVersions(list_versions(q, limits)?),
            Operation::ListMultipartUploads => {
                let encoding_url = q.encoding_url()?;
                Self::ListUploads(ListUploads {
                    prefix: q.text("prefix"),
                    delimiter: q.non_empty("delimiter"),
                    key_marker: q.text("key-marker"),
                    upload_id_marker: q.text("upload-id-marker"),
                    max_uploads: q.max_entries("max-uploads")?,
                    encoding_url,
                })
            }
            Operation::ListParts => {
                let encoding_url = q.encoding_url()?;
                let max_parts = q.max_entries("max-parts")?;
                Self::ListParts(ListParts {
                    upload_id: q.text("uploadId"),
                    part_number_marker: q.part_number_marker()?,
                    max_parts,
                    encoding_url,
                })
            }
            Operation::UploadPart | Operation::UploadPartCopy => Self::Part(PartParams {
                upload_id: q.non_empty("uploadId"),
                part_number: q.part_number()?,
            }),
            Operation::InitiateMultipartUpload => Self::Initiate(InitiateParams {
                encoding_url: q.encoding_url()?,
            }),
            Operation::CompleteMultipartUpload | Operation::AbortMultipartUpload => {
                Self::Upload(UploadParams {
                    upload_id: q.text("uploadId"),
                    encoding_url: q.encoding_url()?,
                })
            }
            _ => Self::None,
        })
    }
}

impl Params {
    /// The listing parameters, for ListObjects and ListObjectsV2.
    pub fn list_objects(&self) -> Option<&ListObjects> {
        match self {
            Self::ListObjects(p) => Some(p),
            _ => None,
        }
    }

    /// The parameters of ListObjectVersions.
    pub fn list_versions(&self) -> Option<&ListVersions> {
        match self {
            Self::ListVersions(p) => Some(p),
            _ => None,
        }
    }

    /// The parameters of ListMultipartUploads.
    pub fn list_uploads(&self) -> Option<&ListUploads> {
        match self {
            Self::ListUploads(p) => Some(p),
            _ => None,
        }
    }

    /// The parameters of ListParts.
    pub fn list_parts(&self) -> Option<&ListParts> {
        match self {
            Self::ListParts(p) => Some(p),
            _ => None,
        }
    }

    /// The part of UploadPart and UploadPartCopy.
    pub fn part(&self) -> Option<&PartParams> {
        match self {
            Self::Part(p) => Some(p),
            _ => None,
        }
    }

    /// The parameters of InitiateMultipartUpload.
    pub fn initiate(&self) -> Option<&InitiateParams> {
        match self {
            Self::Initiate(p) => Some(p),
            _ => None,
        }
    }

    /// The upload of CompleteMultipartUpload and AbortMultipartUpload.
    pub fn upload(&self) -> Option<&UploadParams> {
        match self {
            Self::Upload(p) => Some(p),
            _ => None,
        }
    }

    /// The parameters of GetObject and HeadObject.
    pub fn read(&self) -> Option<&ReadParams> {
        match self {
            Self::Read(p) => Some(p),
            _ => None,
        }
    }

    /// The parameters of GetObjectAttributes.
    pub fn attributes(&self) -> Option<&AttributesParams> {
        match self {
            Self::Attributes(p) => Some(p),
            _ => None,
        }
    }

    /// The parameters of GetObjectMeta.
    pub fn meta(&self) -> Option<&MetaParams> {
        match self {
            Self::Meta(p) => Some(p),
            _ => None,
        }
    }
}

/// The shortest version id accepted in a request: ossd issues 32 hex digits and OSS longer
/// Base64 strings, so a shorter id (oss2's suite deletes version `234`) names no version.
const MIN_VERSION_ID_LEN: usize = 16;
/// The longest version id accepted in a request.
const MAX_VERSION_ID_LEN: usize = 256;

/// The `versionId` query parameter, when given: an empty or malformed id is 400
/// `InvalidArgument` (OSS error reference 0012-00000201 and 0012-00000202).
pub fn version_id(query: &[QueryParam]) -> Result<Option<String>, OssError> {
    let Some(v) = query_get(query, "versionId") else {
        return Ok(None);
    };
    if v.is_empty() {
        return Err(OssError::invalid_argument(
            "Version id can not be the empty string.",
        ));
    }
    check_version_id(v)?;
    Ok(Some(v.to_owned()))
}

/// 400 `InvalidArgument` for a version id that neither OSS nor ossd could have issued; `null`
/// (the version of objects written while versioning was off) is one.
pub fn check_version_id(v: &str) -> Result<(), OssError> {
    let valid_char = |c: char| c.is_ascii_alphanumeric() || "-_.=+/".contains(c);
    let well_formed = v == NULL_VERSION
        || ((MIN_VERSION_ID_LEN..=MAX_VERSION_ID_LEN).contains(&v.len())
            && v.chars().all(valid_char));
    if well_formed {
        Ok(())
    } else {
        Err(OssError::invalid_argument("Invalid version id specified."))
    }
}

/// Typed reads of the decoded query.
#[derive(Clone, Copy)]
struct Query<'a>(&'a [QueryParam]);

impl Query<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        query_get(self.0, key)
    }

    /// The value, empty when absent.
    fn text(&self, key: &str) -> String {
        self.get(key).unwrap_or_default().to_owned()
    }

    /// The value, when present and not empty.
    fn non_empty(&self, key: &str) -> Option<String> {
        self.get(key).filter(|v| !v.is_empty()).map(str::to_owned)
    }

    /// `encoding-type`: absent (or empty) or `url`.
    fn encoding_url(&self) -> Result<bool, OssError> {
        match self.get("encoding-type").filter(|v| !v.is_empty()) {
            None => Ok(false),
            Some("url") => Ok(true),
            Some(_) => Err(OssError::invalid_argument("The encoding-type must be url.")),
        }
    }

    /// `max-keys`: absent or empty gives the dialect's default, else `min..=max`.
    fn max_keys(&self, limits: ListLimits) -> Result<usize, OssError> {
        let (min, max) = (limits.min, MAX_MAX_KEYS);
        match self.get("max-keys").filter(|v| !v.is_empty()) {
            None => Ok(limits.default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                // S3 answers any larger value with a page of at most 1000.
                Ok(n) if limits.clamp && n > max => Ok(max),
                _ => Err(OssError::invalid_argument(format!(
                    "Argument max-keys must be an integer between {min} and {max}."
                ))),
            },
        }
    }

    /// A `max-parts` / `max-uploads` value: absent or empty gives 1000, else 1..=1000.
    fn max_entries(&self, name: &str) -> Result<usize, OssError> {
        match self.get(name).map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(MAX_ENTRIES),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=MAX_ENTRIES).contains(&n) => Ok(n),
                _ => Err(OssError::invalid_argument(format!(
                    "Argument {name} must be an integer between 1 and {MAX_ENTRIES}."
                ))),
            },
        }
    }

    /// `part-number-marker` (absent or empty: 0).
    fn part_number_marker(&self) -> Result<u32, OssError> {
        match self.get("part-number-marker").map(str::trim) {
            None | Some("") => Ok(0),
            Some(v) => v
                .parse::<u32>()
                .map_err(|_| OssError::invalid_argument("Invalid part-number-marker.")),
        }
    }

    /// `partNumber` (its range is checked against the upload by the store).
    fn part_number(&self) -> Result<u32, OssError> {
        self.get("partNumber")
            .and_then(|n| n.trim().parse::<u32>().ok())
            .ok_or_else(|| {
                OssError::invalid_argument(
                    "Part number must be an integer between 1 and 10000, inclusive.",
                )
            })
    }
}

/// The page size rules of listings, which differ between the dialects: OSS's default is 100
/// and 0 is refused; S3's default is 1000, 0 gives an empty page and larger values are capped
/// (docs/s3.md#listings).
#[derive(Debug, Clone, Copy)]
struct ListLimits {
    default: usize,
    min: usize,
    clamp: bool,
    /// S3 echoes an empty `continuation-token`.
    echo_empty_token: bool,
}

impl ListLimits {
    fn of(dialect: Dialect) -> Self {
        match dialect {
            Dialect::Oss => Self {
                default: DEFAULT_MAX_KEYS,
                min: 1,
                clamp: false,
                echo_empty_token: false,
            },
            Dialect::S3 => Self {
                default: MAX_MAX_KEYS,
                min: 0,
                clamp: true,
                echo_empty_token: true,
            },
        }
    }
}

fn list_objects(q: Query<'_>, v2: bool, limits: ListLimits) -> Result<ListObjects, OssError> {
    let max_keys = q.max_keys(limits)?;
    let encoding_url = q.encoding_url()?;
    let continuation_token = match limits.echo_empty_token {
        true => q.get("continuation-token").map(str::to_owned),
        false => q.non_empty("continuation-token"),
    };
    let start_after = q.non_empty("start-after");
    let marker = q.text("marker");
    let start = if !v2 {
        marker.clone()
    } else if let Some(token) = continuation_token.as_ref().filter(|t| !t.is_empty()) {
        continuation_key(token)?
    } else {
        start_after.clone().unwrap_or_default()
    };
    Ok(ListObjects {
        v2,
        prefix: q.text("prefix"),
        delimiter: q.non_empty("delimiter"),
        marker,
        start_after,
        continuation_token,
        start,
        max_keys,
        encoding_url,
        fetch_owner: q
            .get("fetch-owner")
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
    })
}

/// The key a v2 continuation token names (ossd's tokens are the URL-safe Base64 of the key).
fn continuation_key(token: &str) -> Result<String, OssError> {
    let incorrect = || OssError::invalid_argument("The continuation token provided is incorrect.");
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| incorrect())?;
    String::from_utf8(bytes).map_err(|_| incorrect())
}

/// The continuation token of a v2 page that ends after `key`.
pub fn continuation_token(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key)
}

fn list_versions(q: Query<'_>, limits: ListLimits) -> Result<ListVersions, OssError> {
    let encoding_url = q.encoding_url()?;
    for name in ["prefix", "delimiter", "key-marker", "version-id-marker"] {
        if q.get(name)
            .is_some_and(|v| v.len() > MAX_VERSIONS_PARAM_BYTES)
        {
            return Err(OssError::invalid_argument(format!(
                "The length of {name} must be less than or equal to {MAX_VERSIONS_PARAM_BYTES}."
            )));
        }
    }
    let key_marker = q.text("key-marker");
    // The version marker only means something within a key marker
    // (docs/protocol/versioning.md#listobjectversions).
    let version_id_marker = if key_marker.is_empty() {
        String::new()
    } else {
        q.text("version-id-marker")
    };
    Ok(ListVersions {
        prefix: q.text("prefix"),
        delimiter: q.non_empty("delimiter"),
        key_marker,
        version_id_marker,
        max_keys: q.max_keys(limits)?,
        encoding_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::OssCode;
    use crate::request::parse_query;

    fn parse(op: Operation, query: &str) -> Result<Params, OssError> {
        parse_with(op, query, &[])
    }

    fn parse_with(
        op: Operation,
        query: &str,
        headers: &[(&str, &str)],
    ) -> Result<Params, OssError> {
        let q = parse_query(query).map_err(|_| OssError::invalid_uri())?;
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Params::parse(op, &q, &headers, Dialect::Oss)
    }

    fn code(r: Result<Params, OssError>) -> Option<OssCode> {
        r.err().map(|e| e.code)
    }

    #[test]
    fn listing_defaults_and_bounds() {
        let Ok(Params::ListObjects(p)) = parse(Operation::ListObjects, "") else {
            panic!("no listing params");
        };
        assert_eq!(
            (p.max_keys, p.encoding_url, p.start.as_str()),
            (100, false, "")
        );
        for bad in [
            "max-keys=0",
            "max-keys=1001",
            "max-keys=x",
            "encoding-type=base64",
        ] {
            let got = code(parse(Operation::ListObjects, bad));
            assert_eq!(got, Some(OssCode::InvalidArgument), "{bad}");
        }
        let got = code(parse(Operation::ListMultipartUploads, "max-uploads=1001"));
        assert_eq!(got, Some(OssCode::InvalidArgument));
        let got = code(parse(
            Operation::ListParts,
            "uploadId=U&part-number-marker=x",
        ));
        assert_eq!(got, Some(OssCode::InvalidArgument));
    }

    #[test]
    fn v2_starts_after_the_token_key_else_start_after() {
        let token = continuation_token("a/b");
        let q = format!("list-type=2&start-after=zzz&continuation-token={token}");
        let Ok(Params::ListObjects(p)) = parse(Operation::ListObjectsV2, &q) else {
            panic!("no listing params");
        };
        assert_eq!(p.start, "a/b");
        let Ok(Params::ListObjects(p)) = parse(Operation::ListObjectsV2, "start-after=k") else {
            panic!("no listing params");
        };
        assert_eq!(p.start, "k");
        let bad = parse(Operation::ListObjectsV2, "continuation-token=__8");
        assert_eq!(code(bad), Some(OssCode::InvalidArgument));
    }

    #[test]
    fn version_markers() {
        let Ok(Params::ListVersions(p)) =
            parse(Operation::ListObjectVersions, "version-id-marker=v")
        else {
            panic!("no version params");
        };
        assert_eq!(p.version_id_marker, "", "meaningless without a key marker");
        let long = format!("prefix={}", "a".repeat(1025));
        let got = code(parse(Operation::ListObjectVersions, &long));
        assert_eq!(got, Some(OssCode::InvalidArgument));
    }

    #[test]
    fn parts() {
        let ok = parse(Operation::UploadPart, "partNumber=3&uploadId=U");
        assert_eq!(
            ok,
            Ok(Params::Part(PartParams {
                upload_id: Some("U".into()),
                part_number: 3
            }))
        );
        let got = code(parse(Operation::UploadPart, "partNumber=x&uploadId=U"));
        assert_eq!(got, Some(OssCode::InvalidArgument));
        let none = parse(Operation::UploadPart, "partNumber=1&uploadId=");
        assert!(matches!(
            none,
            Ok(Params::Part(PartParams {
                upload_id: None,
                ..
            }))
        ));
    }

    #[test]
    fn reads() {
        let headers = [
            ("range", "bytes=2-"),
            ("x-oss-range-behavior", "standard"),
            ("if-none-match", "\"e\""),
            ("if-modified-since", "yesterday"),
        ];
        let query =
            "versionId=CAEQARiBgID.xxxxxxxxx&response-content-type=text/plain&response-expires=";
        let Ok(Params::Read(p)) = parse_with(Operation::GetObject, query, &headers) else {
            panic!("no read params");
        };
        assert_eq!(p.version_id.as_deref(), Some("CAEQARiBgID.xxxxxxxxx"));
        assert_eq!(p.range.resolve(10), crate::headers::Range::Partial(2, 9));
        assert!(p.range.standard);
        assert_eq!(p.conditions.if_none_match.as_deref(), Some("\"e\""));
        assert_eq!(
            p.conditions.if_modified_since, None,
            "a malformed date is ignored"
        );
        let overridden: Vec<_> = p.overrides.headers().collect();
        assert_eq!(
            overridden,
            [("content-type", "text/plain"), ("expires", "")]
        );
        assert!(!p.overrides.is_empty());

        let Ok(Params::Read(p)) = parse_with(Operation::HeadObject, "", &[("range", "x")]) else {
            panic!("no read params");
        };
        assert_eq!(p, ReadParams::default(), "an unparseable range is no range");
        assert!(p.overrides.is_empty());

        let q = parse_query("").map_err(|_| OssError::invalid_uri());
        let range = [("range".to_owned(), "bytes=40-50".to_owned())];
        let s3 = q.and_then(|q| Params::parse(Operation::GetObject, &q, &range, Dialect::S3));
        let Ok(Params::Read(p)) = s3 else {
            panic!("no read params");
        };
        assert!(p.range.standard, "S3 ranges follow RFC 7233");
        assert_eq!(p.range.resolve(11), crate::headers::Range::Unsatisfiable);

        for op in [
            Operation::GetObject,
            Operation::HeadObject,
            Operation::GetObjectMeta,
        ] {
            let got = code(parse(op, "versionId="));
            assert_eq!(got, Some(OssCode::InvalidArgument), "{op:?}");
            let got = code(parse(op, "versionId=123"));
            assert_eq!(got, Some(OssCode::InvalidArgument), "{op:?}");
        }
        let meta = parse(Operation::GetObjectMeta, "versionId=null");
        assert_eq!(
            meta,
            Ok(Params::Meta(MetaParams {
                version_id: Some("null".into())
            }))
        );
    }
}
