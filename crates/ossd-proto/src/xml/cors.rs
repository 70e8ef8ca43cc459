//! Bucket CORS configuration (docs/protocol/cors.md#cors-configuration): `<CORSConfiguration>`
//! parse and serialize.

use super::reader::{Node, parse_bool, parse_document};
use super::writer::XmlWriter;
use crate::error::OssError;

/// The most `<CORSRule>` elements a configuration may have.
pub const MAX_CORS_RULES: usize = 10;
/// The largest `<CORSConfiguration>` body accepted.
pub const MAX_CORS_BODY_BYTES: usize = 64 * 1024;
/// The methods `<AllowedMethod>` may name.
pub const CORS_METHODS: [&str; 5] = ["GET", "PUT", "DELETE", "POST", "HEAD"];

/// One `<CORSRule>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorsRule {
    /// `<AllowedOrigin>` (1+; each has at most one `*`).
    pub allowed_origins: Vec<String>,
    /// `<AllowedMethod>` (1+; from [`CORS_METHODS`]).
    pub allowed_methods: Vec<String>,
    /// `<AllowedHeader>` (0+; may contain `*`), lowercased as OSS returns them (header names
    /// are case-insensitive).
    pub allowed_headers: Vec<String>,
    /// `<ExposeHeader>` (0+; no `*`).
    pub expose_headers: Vec<String>,
    /// `<MaxAgeSeconds>`.
    pub max_age_seconds: Option<u32>,
}

/// A bucket's CORS configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorsConfiguration {
    /// 1 to [`MAX_CORS_RULES`] rules, in order (the first match wins).
    pub rules: Vec<CorsRule>,
    /// `<ResponseVary>`: whether responses carry `Vary` (absent means false; GetBucketCors
    /// always reports it, as OSS does).
    pub response_vary: bool,
}

impl CorsConfiguration {
    /// Parses a PutBucketCors body. Structure errors (including no rule, or a rule without an
    /// origin or method) are `MalformedXML`; rule breaks are `InvalidArgument`.
    pub fn parse(body: &[u8]) -> Result<Self, OssError> {
        let root = parse_document(body, MAX_CORS_BODY_BYTES, "CORSConfiguration")?;
        let rules = root
            .children_named("CORSRule")
            .map(parse_rule)
            .collect::<Result<Vec<_>, _>>()?;
        if rules.is_empty() {
            return Err(OssError::malformed_xml());
        }
        if rules.len() > MAX_CORS_RULES {
            return Err(OssError::invalid_argument(
                "The number of CORS rules should not exceed 10.",
            ));
        }
        let response_vary = root
            .child_text("ResponseVary")?
            .map(parse_bool)
            .transpose()?
            .unwrap_or(false);
        Ok(Self {
            rules,
            response_vary,
        })
    }

    /// The GetBucketCors document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("CORSConfiguration", |w| {
            self.rules.iter().for_each(|r| write_rule(w, r));
            w.elem_display("ResponseVary", self.response_vary);
        });
        w.finish()
    }
}

fn parse_rule(node: &Node) -> Result<CorsRule, OssError> {
    let rule = CorsRule {
        allowed_origins: texts(node, "AllowedOrigin")?,
        allowed_methods: texts(node, "AllowedMethod")?,
        allowed_headers: texts(node, "AllowedHeader")?
            .into_iter()
            .map(|h| h.to_ascii_lowercase())
            .collect(),
        expose_headers: texts(node, "ExposeHeader")?,
        max_age_seconds: node.child_text("MaxAgeSeconds")?.map(max_age).transpose()?,
    };
    if rule.allowed_origins.is_empty() || rule.allowed_methods.is_empty() {
        return Err(OssError::malformed_xml());
    }
    check_rule(&rule)?;
    Ok(rule)
}

/// `<MaxAgeSeconds>`: a non-negative integer, else `InvalidArgument` naming it (oss2's
/// `test_invalid_argument` expects ArgumentName `MaxAgeSeconds` and the value for `-1`).
fn max_age(text: &str) -> Result<u32, OssError> {
    text.trim().parse().map_err(|_| {
        OssError::invalid_argument_value(
            "MaxAgeSeconds must be a non-negative integer.",
            "MaxAgeSeconds",
            text.trim(),
        )
    })
}

fn check_rule(rule: &CorsRule) -> Result<(), OssError> {
    if let Some(m) = rule
        .allowed_methods
        .iter()
        .find(|m| !CORS_METHODS.contains(&m.as_str()))
    {
        let msg = format!("Unsupported method {m} in CORSRule/AllowedMethod.");
        return Err(OssError::invalid_argument_value(&msg, "AllowedMethod", m));
    }
    if let Some(o) = rule
        .allowed_origins
        .iter()
        .find(|o| o.matches('*').count() > 1)
    {
        let msg = "An AllowedOrigin can contain at most one * wildcard.";
        return Err(OssError::invalid_argument_value(msg, "AllowedOrigin", o));
    }
    if let Some(h) = rule
        .allowed_headers
        .iter()
        .find(|h| h.matches('*').count() > 1)
    {
        let msg = "An AllowedHeader can contain at most one * wildcard.";
        return Err(OssError::invalid_argument_value(msg, "AllowedHeader", h));
    }
    if let Some(h) = rule.expose_headers.iter().find(|h| h.contains('*')) {
        let msg = "An ExposeHeader cannot contain a * wildcard.";
        return Err(OssError::invalid_argument_value(msg, "ExposeHeader", h));
    }
    Ok(())
}

/// The trimmed texts of every child `name`.
fn texts(node: &Node, name: &str) -> Result<Vec<String>, OssError> {
    node.children_named(name)
        .map(|c| Ok(c.leaf_text()?.trim().to_owned()))
        .collect()
}

fn write_rule(w: &mut XmlWriter, r: &CorsRule) {
    w.node("CORSRule", |w| {
        r.allowed_origins
            .iter()
            .for_each(|v| _ = w.elem("AllowedOrigin", v));
        r.allowed_methods
            .iter()
            .for_each(|v| _ = w.elem("AllowedMethod", v));
        r.allowed_headers
            .iter()
            .for_each(|v| _ = w.elem("AllowedHeader", v));
        r.expose_headers
            .iter()
            .for_each(|v| _ = w.elem("ExposeHeader", v));
        if let Some(age) = r.max_age_seconds {
            w.elem_display("MaxAgeSeconds", age);
        }
    });
}
