//! RestoreObject's optional `<RestoreRequest>` body: `Days` and, for the cold archive classes,
//! `JobParameters/Tier` (Alibaba Cloud OSS API reference, RestoreObject:
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/restoreobject>).

use super::reader::parse_document;
use crate::error::OssError;

/// The largest RestoreRequest body read.
pub const MAX_RESTORE_BODY_BYTES: usize = 16 * 1024;

/// How fast a cold archive object is restored (`JobParameters/Tier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreTier {
    /// `Expedited`.
    Expedited,
    /// `Standard` (the default).
    Standard,
    /// `Bulk` (Cold Archive only).
    Bulk,
}

impl RestoreTier {
    /// Parses the wire spelling (exact).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "Expedited" => Some(Self::Expedited),
            "Standard" => Some(Self::Standard),
            "Bulk" => Some(Self::Bulk),
            _ => None,
        }
    }

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Expedited => "Expedited",
            Self::Standard => "Standard",
            Self::Bulk => "Bulk",
        }
    }
}

/// A parsed `<RestoreRequest>`; checks that depend on the object's class are the caller's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RestoreRequest {
    /// `Days`, when given (at least 1; the upper bound depends on the storage class).
    pub days: Option<u32>,
    /// Whether `JobParameters` was present (refused for Archive objects).
    pub job_parameters: bool,
    /// `JobParameters/Tier`, when given.
    pub tier: Option<RestoreTier>,
}

impl RestoreRequest {
    /// Parses a body; an empty body is the default request. Elements other than `Days` and
    /// `JobParameters/Tier` (`GlacierJobParameters`, `OutputLocation`, `Type`, ...) are
    /// `MalformedXML`; a `Days` that is not a positive integer or an unknown `Tier` is
    /// `InvalidArgument`.
    pub fn parse(body: &[u8]) -> Result<Self, OssError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        let root = parse_document(body, MAX_RESTORE_BODY_BYTES, "RestoreRequest")?;
        let mut req = Self::default();
        for child in &root.children {
            match child.name.as_str() {
                "Days" => req.days = Some(parse_days(child.leaf_text()?)?),
                "JobParameters" => {
                    req.job_parameters = true;
                    for p in &child.children {
                        if p.name != "Tier" {
                            return Err(OssError::malformed_xml());
                        }
                        let text = p.leaf_text()?.trim();
                        let tier = RestoreTier::parse(text).ok_or_else(|| {
                            OssError::invalid_argument_value(
                                "The Tier element is invalid.",
                                "Tier",
                                text,
                            )
                        })?;
                        req.tier = Some(tier);
                    }
                }
                _ => return Err(OssError::malformed_xml()),
            }
        }
        Ok(req)
    }
}

fn parse_days(text: &str) -> Result<u32, OssError> {
    let text = text.trim();
    match text.parse::<u32>() {
        Ok(d) if d >= 1 => Ok(d),
        _ => Err(OssError::invalid_argument_value(
            "The Days element is invalid.",
            "Days",
            text,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_body_is_the_default() {
        assert_eq!(RestoreRequest::parse(b""), Ok(RestoreRequest::default()));
        assert_eq!(RestoreRequest::parse(b" \n"), Ok(RestoreRequest::default()));
    }

    #[test]
    fn days_and_tier() {
        let body = b"<RestoreRequest><Days>5</Days><JobParameters><Tier>Bulk</Tier>\
                     </JobParameters></RestoreRequest>";
        assert_eq!(
            RestoreRequest::parse(body),
            Ok(RestoreRequest {
                days: Some(5),
                job_parameters: true,
                tier: Some(RestoreTier::Bulk),
            })
        );
        let days_only = RestoreRequest::parse(b"<RestoreRequest><Days>2</Days></RestoreRequest>");
        assert_eq!(
            days_only.map(|r| (r.days, r.job_parameters)),
            Ok((Some(2), false))
        );
    }

    #[test]
    fn refusals() {
        let code = |b: &[u8]| RestoreRequest::parse(b).err().map(|e| e.code.as_str());
        assert_eq!(
            code(b"<RestoreRequest><Days>a</Days></RestoreRequest>"),
            Some("InvalidArgument")
        );
        assert_eq!(
            code(b"<RestoreRequest><Days>0</Days></RestoreRequest>"),
            Some("InvalidArgument")
        );
        assert_eq!(
            code(b"<RestoreRequest><Days>-1</Days></RestoreRequest>"),
            Some("InvalidArgument")
        );
        assert_eq!(
            code(
                b"<RestoreRequest><Days>1</Days><JobParameters><Tier>wrong-tier</Tier>\
                  </JobParameters></RestoreRequest>"
            ),
            Some("InvalidArgument")
        );
        for extra in [
            "<GlacierJobParameters></GlacierJobParameters>",
            "<OutputLocation></OutputLocation>",
            "<Type></Type>",
            "<JobParameters><Other>1</Other></JobParameters>",
        ] {
            let body = format!("<RestoreRequest><Days>2</Days>{extra}</RestoreRequest>");
            assert_eq!(code(body.as_bytes()), Some("MalformedXML"), "{extra}");
        }
        assert_eq!(code(b"<Other><Days>2</Days></Other>"), Some("MalformedXML"));
        assert_eq!(code(b"<RestoreRequest><Days>2"), Some("MalformedXML"));
    }
}
