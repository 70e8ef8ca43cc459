//! The PostObject policy document (docs/protocol/post-object.md#policy-document), sans I/O: Base64
//! JSON with an `expiration` and `conditions` on form fields and on the file's size.

use crate::error::OssError;
use base64::Engine;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// One condition, with its JSON text for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// What is checked.
    pub kind: Kind,
    /// The condition as written in the policy (compact JSON).
    pub text: String,
}

/// The condition forms. Field names are lowercase, without `$`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `{"field": "v"}` or `["eq", "$field", "v"]`.
    Eq(String, String),
    /// `["starts-with", "$field", "prefix"]`.
    StartsWith(String, String),
    /// `["in", "$field", [..]]`.
    In(String, Vec<String>),
    /// `["not-in", "$field", [..]]`.
    NotIn(String, Vec<String>),
    /// `["content-length-range", min, max]` (inclusive, on the file's size).
    LengthRange(u64, u64),
}

/// A decoded policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostPolicy {
    /// After this the policy is refused.
    pub expiration: OffsetDateTime,
    /// Every condition, in order.
    pub conditions: Vec<Condition>,
}

fn invalid(detail: impl std::fmt::Display) -> OssError {
    OssError::invalid_policy_document(format!("Invalid Policy: {detail}"))
}

/// An `expiration`: RFC 3339 with `T` between date and time (`2030-01-15T09:30:00.000Z`,
/// milliseconds optional). RFC 3339 would also take a space there; ISO 8601 does not, and
/// neither do OSS (PostObject error 0006-00000212, "the T separator") and S3 ("POST Policy":
/// "ISO8601 GMT date format"), as ceph/s3-tests' test_post_object_invalid_date_format expects
/// of Python's `str(datetime)`.
fn parse_expiration(text: &str) -> Option<OffsetDateTime> {
    let separated_by_t = matches!(text.as_bytes().get(10), Some(b'T' | b't'));
    separated_by_t
        .then(|| OffsetDateTime::parse(text, &Rfc3339).ok())
        .flatten()
}

/// 403 `AccessDenied` for a failed condition.
pub fn condition_failed(c: &Condition) -> OssError {
    OssError::access_denied(format!(
        "Invalid according to Policy: Policy Condition failed: {}",
        c.text
    ))
}

impl PostPolicy {
    /// Decodes the `policy` form field (400 `InvalidPolicyDocument` on any defect).
    pub fn decode(b64: &str) -> Result<Self, OssError> {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|_| invalid("Invalid Base64 encoding."))?;
        let doc: Value =
            serde_json::from_slice(&raw).map_err(|e| invalid(format!("Invalid JSON: {e}")))?;
        let expiration = doc
            .get("expiration")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("Policy missing expiration."))?;
        let expiration = parse_expiration(expiration)
            .ok_or_else(|| invalid(format!("Invalid 'expiration' value: '{expiration}'")))?;
        let conditions = doc
            .get("conditions")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid("Policy missing conditions."))?
            .iter()
            .map(parse_condition)
            .collect::<Result<_, _>>()?;
        Ok(Self {
            expiration,
            conditions,
        })
    }

    /// 403 `AccessDenied` once `now` is past the expiration.
    pub fn check_expiration(&self, now: OffsetDateTime) -> Result<(), OssError> {
        if now > self.expiration {
            return Err(OssError::access_denied(
                "Invalid according to Policy: Policy expired.",
            ));
        }
        Ok(())
    }

    /// Checks every field condition against `field` (lowercase name → value; absent fields
    /// count as empty).
    pub fn check_fields<'a>(
        &self,
        field: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<(), OssError> {
        for c in &self.conditions {
            let ok = match &c.kind {
                Kind::Eq(f, v) => field(f).unwrap_or_default() == v,
                Kind::StartsWith(f, p) => field(f).unwrap_or_default().starts_with(p.as_str()),
                Kind::In(f, vs) => vs.iter().any(|v| v == field(f).unwrap_or_default()),
                Kind::NotIn(f, vs) => !vs.iter().any(|v| v == field(f).unwrap_or_default()),
                Kind::LengthRange(..) => true,
            };
            if !ok {
                return Err(condition_failed(c));
            }
        }
        Ok(())
    }

    /// The tightest `content-length-range`, if any, with the condition that sets it.
    pub fn length_range(&self) -> Option<(u64, u64, &Condition)> {
        self.conditions.iter().find_map(|c| match c.kind {
            Kind::LengthRange(min, max) => Some((min, max, c)),
            _ => None,
        })
    }

    /// Whether some condition constrains `name` to one exact value.
    pub fn has_eq(&self, name: &str) -> bool {
        self.conditions
            .iter()
            .any(|c| matches!(&c.kind, Kind::Eq(f, _) if f == name))
    }
}

fn parse_condition(v: &Value) -> Result<Condition, OssError> {
    let text = v.to_string();
    let bad = || invalid(format!("Invalid Condition: {text}"));
    let kind = match v {
        Value::Object(map) => {
            let mut it = map.iter();
            let (Some((k, val)), None) = (it.next(), it.next()) else {
                return Err(invalid(
                    "Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.",
                ));
            };
            let val = val.as_str().ok_or_else(bad)?;
            Kind::Eq(k.to_ascii_lowercase(), val.to_owned())
        }
        Value::Array(items) => {
            let op = items.first().and_then(Value::as_str).ok_or_else(bad)?;
            let field = || -> Result<String, OssError> {
                let f = items.get(1).and_then(Value::as_str).ok_or_else(bad)?;
                Ok(f.strip_prefix('$').unwrap_or(f).to_ascii_lowercase())
            };
            let text_arg = || items.get(2).and_then(Value::as_str).map(str::to_owned);
            let list_arg = || -> Option<Vec<String>> {
                items
                    .get(2)?
                    .as_array()?
                    .iter()
                    .map(|x| x.as_str().map(str::to_owned))
                    .collect()
            };
            if items.len() != 3 {
                return Err(bad());
            }
            match op.to_ascii_lowercase().as_str() {
                "eq" => Kind::Eq(field()?, text_arg().ok_or_else(bad)?),
                "starts-with" => Kind::StartsWith(field()?, text_arg().ok_or_else(bad)?),
                "in" => Kind::In(field()?, list_arg().ok_or_else(bad)?),
                "not-in" => Kind::NotIn(field()?, list_arg().ok_or_else(bad)?),
                "content-length-range" => {
                    let num = |i: usize| items.get(i).and_then(as_u64).ok_or_else(bad);
                    Kind::LengthRange(num(1)?, num(2)?)
                }
                _ => return Err(bad()),
            }
        }
        _ => return Err(bad()),
    };
    Ok(Condition { kind, text })
}

/// A size bound: a JSON number or a decimal string.
fn as_u64(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str()?.trim().parse().ok())
}

#[cfg(test)]
mod tests;
