//! The typed parameters of a request, parsed once from its query together with its
//! [`Operation`], before any I/O: a bad `max-keys`, marker or part number fails here, and the
//! handlers read fields instead of looking parameters up by name
//! (docs/protocol/objects.md, docs/protocol/multipart.md, docs/protocol/versioning.md).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ossd_sig::QueryParam;

use crate::error::OssError;
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

impl Params {
    /// The parameters of `op` from the decoded query.
    pub fn parse(op: Operation, query: &[QueryParam]) -> Result<Self, OssError> {
        let q = Query(query);
        Ok(match op {
            Operation::ListObjects => Self::ListObjects(list_objects(q, false)?),
            Operation::ListObjectsV2 => Self::ListObjects(list_objects(q, true)?),
            Operation::ListObjectVersions => Self::ListVersions(list_versions(q)?),
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

    /// `max-keys`: absent or empty gives `default`, else 1..=`max`.
    fn max_keys(&self, default: usize, max: usize) -> Result<usize, OssError> {
        match self.get("max-keys").filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(OssError::invalid_argument(format!(
                    "Argument max-keys must be an integer between 1 and {max}."
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

fn list_objects(q: Query<'_>, v2: bool) -> Result<ListObjects, OssError> {
    let max_keys = q.max_keys(DEFAULT_MAX_KEYS, MAX_MAX_KEYS)?;
    let encoding_url = q.encoding_url()?;
    let continuation_token = q.non_empty("continuation-token");
    let start_after = q.non_empty("start-after");
    let marker = q.text("marker");
    let start = if !v2 {
        marker.clone()
    } else if let Some(token) = &continuation_token {
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

fn list_versions(q: Query<'_>) -> Result<ListVersions, OssError> {
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
        max_keys: q.max_keys(DEFAULT_MAX_KEYS, MAX_MAX_KEYS)?,
        encoding_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::OssCode;
    use crate::request::parse_query;

    fn parse(op: Operation, query: &str) -> Result<Params, OssError> {
        let q = parse_query(query).map_err(|_| OssError::invalid_uri())?;
        Params::parse(op, &q)
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
}
