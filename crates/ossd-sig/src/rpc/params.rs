//! Parameter collection (docs/protocol/rpc.md#parameter-collection): decoded query pairs followed
//! by decoded form-body pairs.

use crate::view::QueryParam;

use super::error::RpcSigError;

/// The media type whose body carries RPC parameters.
const FORM_MEDIA_TYPE: &str = "application/x-www-form-urlencoded";

/// All decoded parameters of an RPC request: the query pairs first, then the form-body pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RpcParams {
    all: Vec<QueryParam>,
    query_len: usize,
}

impl RpcParams {
    /// Builds the list from already decoded query and form-body pairs (each in wire order).
    pub fn from_parts(query: Vec<QueryParam>, form: Vec<QueryParam>) -> Self {
        let query_len = query.len();
        let mut all = query;
        all.extend(form);
        Self { all, query_len }
    }

    /// Every parameter: query pairs, then form pairs; duplicates are kept (v1 signs them all).
    pub fn all(&self) -> &[QueryParam] {
        &self.all
    }

    /// Only the query-string pairs (the V3 canonical query string covers only these).
    pub fn query(&self) -> &[QueryParam] {
        self.all.get(..self.query_len).unwrap_or(&[])
    }

    /// Only the form-body pairs.
    pub fn form(&self) -> &[QueryParam] {
        self.all.get(self.query_len..).unwrap_or(&[])
    }

    /// The value of the first parameter with this exact (case-sensitive) name.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.all
            .iter()
            .find(|p| p.key == name)
            .map(|p| p.value.as_str())
    }

    /// The value of a parameter that must not repeat (query and form together).
    pub fn unique(&self, name: &'static str) -> Result<Option<&str>, RpcSigError> {
        let mut values = self.all.iter().filter(|p| p.key == name);
        let first = values.next().map(|p| p.value.as_str());
        match values.next() {
            Some(_) => Err(RpcSigError::InvalidParameter { name }),
            None => Ok(first),
        }
    }
}

/// Collects the parameters of a request from its raw query string (without `?`) and, when the body
/// is `application/x-www-form-urlencoded`, its raw body
/// (docs/protocol/rpc.md#parameter-collection).
pub fn collect_params(raw_query: &str, form_body: Option<&[u8]>) -> RpcParams {
    let query = QueryParam::parse_query(raw_query);
    let form = form_body
        .map(|body| QueryParam::parse_query(&String::from_utf8_lossy(body)))
        .unwrap_or_default();
    RpcParams::from_parts(query, form)
}

/// Whether a `Content-Type` value is `application/x-www-form-urlencoded` (parameters such as
/// `; charset=utf-8` allowed, case-insensitive).
pub fn is_form_urlencoded(content_type: &str) -> bool {
    let media_type = content_type.split(';').next().unwrap_or("");
    media_type.trim().eq_ignore_ascii_case(FORM_MEDIA_TYPE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_then_form() {
        let p = collect_params("a=1&b=x+y&c", Some(b"d=%2A*&a=2"));
        let keys: Vec<&str> = p.all().iter().map(|q| q.key.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c", "d", "a"]);
        assert_eq!(p.query().len(), 3);
        assert_eq!(p.form().len(), 2);
        assert_eq!(p.get("b"), Some("x y"));
        assert_eq!(p.get("c"), Some(""));
        assert_eq!(p.get("d"), Some("**"));
        assert_eq!(
            p.unique("a"),
            Err(RpcSigError::InvalidParameter { name: "a" })
        );
        assert_eq!(p.unique("d"), Ok(Some("**")));
        assert_eq!(p.unique("zz"), Ok(None));
    }

    #[test]
    fn form_content_types() {
        assert!(is_form_urlencoded("application/x-www-form-urlencoded"));
        assert!(is_form_urlencoded(
            "Application/X-WWW-Form-Urlencoded ; charset=UTF-8"
        ));
        assert!(!is_form_urlencoded("application/json"));
        assert!(!is_form_urlencoded(""));
    }
}
