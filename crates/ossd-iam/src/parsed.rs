//! Parsed policy documents that arrive with requests (bucket policies, STS session policies),
//! kept by their text so that a document is parsed once, not on every request. Parsing depends
//! only on the text, so entries never go stale; the map is bounded and starts over when full.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use ossd_policy::{Policy, PolicyError, PolicyKind};

/// The most documents kept per kind.
pub(crate) const MAX_PARSED: usize = 1024;

/// Parsed bucket and session policies by text.
#[derive(Debug, Default)]
pub(crate) struct ParsedPolicies {
    bucket: Mutex<HashMap<String, Arc<Policy>>>,
    session: Mutex<HashMap<String, Arc<Policy>>>,
}

impl ParsedPolicies {
    /// `text` parsed as `kind` (only `Bucket` and `Session` are cached; others parse each time).
    pub(crate) fn get(&self, text: &str, kind: PolicyKind) -> Result<Arc<Policy>, PolicyError> {
        let map = match kind {
            PolicyKind::Bucket => &self.bucket,
            PolicyKind::Session => &self.session,
            _ => return Policy::parse(text, kind).map(Arc::new),
        };
        if let Some(p) = map.lock().unwrap_or_else(PoisonError::into_inner).get(text) {
            return Ok(p.clone());
        }
        let parsed = Arc::new(Policy::parse(text, kind)?);
        let mut m = map.lock().unwrap_or_else(PoisonError::into_inner);
        if m.len() >= MAX_PARSED {
            m.clear();
        }
        m.insert(text.to_owned(), parsed.clone());
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_once_and_reports_errors() {
        let cache = ParsedPolicies::default();
        let doc = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Principal":["*"],"Resource":"acs:oss:*:*:b/*"}]}"#;
        let a = cache.get(doc, PolicyKind::Bucket);
        let b = cache.get(doc, PolicyKind::Bucket);
        assert!(matches!((&a, &b), (Ok(x), Ok(y)) if Arc::ptr_eq(x, y)));
        assert!(cache.get("{", PolicyKind::Bucket).is_err());
    }
}
