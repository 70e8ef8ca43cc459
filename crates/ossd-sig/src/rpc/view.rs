//! What an RPC signature covers: method, path, parameters, headers and (optionally) the body.

use std::fmt;

use super::error::RpcSigError;
use super::params::RpcParams;

/// The neutral view of an RPC request that v1 and V3 signatures cover.
#[derive(Clone, Copy)]
pub struct RpcView<'a> {
    /// The HTTP method as received (compared and signed in upper case).
    pub method: &'a str,
    /// The decoded request path (`/` for every RPC call; V3 canonical URI).
    pub path: &'a str,
    /// The collected parameters (see [`collect_params`](super::collect_params)).
    pub params: &'a RpcParams,
    /// Headers, one entry per occurrence, values as received; names match case-insensitively.
    /// HTTP/2 callers map `:authority` to `host`.
    pub headers: &'a [(String, String)],
    /// The raw body, when the caller has it; V3 then checks `x-acs-content-sha256` against it.
    pub body: Option<&'a [u8]>,
}

impl<'a> RpcView<'a> {
    /// All values of a header (case-insensitive name), in order of occurrence.
    pub fn header_values<'n>(&self, name: &'n str) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
        let headers = self.headers;
        headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The trimmed value of a header that must not repeat (`InvalidParameter` when it does).
    pub(crate) fn unique_header(&self, name: &'static str) -> Result<Option<&'a str>, RpcSigError> {
        let mut values = self.header_values(name);
        let first = values.next().map(str::trim);
        match values.next() {
            Some(_) => Err(RpcSigError::InvalidParameter { name }),
            None => Ok(first),
        }
    }

    /// The V3 canonical value of a header: each occurrence trimmed, sorted, joined with `,`.
    pub(crate) fn canonical_header(&self, name: &str) -> Option<String> {
        let mut values: Vec<&str> = self.header_values(name).map(str::trim).collect();
        if values.is_empty() {
            return None;
        }
        values.sort_unstable();
        Some(values.join(","))
    }
}

impl fmt::Debug for RpcView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may hold signatures and security tokens: only names are shown.
        let params: Vec<&str> = self.params.all().iter().map(|p| p.key.as_str()).collect();
        let headers: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("RpcView")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("param_names", &params)
            .field("header_names", &headers)
            .field("body_len", &self.body.map(<[u8]>::len))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rpc::collect_params;

    #[test]
    fn header_lookups() {
        let params = collect_params("Signature=sig-value", None);
        let headers = vec![
            ("X-Multi".to_owned(), " b ".to_owned()),
            ("x-multi".to_owned(), "a".to_owned()),
            ("x-acs-security-token".to_owned(), "tok-value".to_owned()),
        ];
        let view = RpcView {
            method: "POST",
            path: "/",
            params: &params,
            headers: &headers,
            body: None,
        };
        assert_eq!(view.canonical_header("x-multi").as_deref(), Some("a,b"));
        assert_eq!(view.canonical_header("absent"), None);
        assert!(view.unique_header("x-multi").is_err());
        assert_eq!(
            view.unique_header("x-acs-security-token"),
            Ok(Some("tok-value"))
        );
        let shown = format!("{view:?}");
        assert!(shown.contains("Signature") && !shown.contains("sig-value"));
        assert!(!shown.contains("tok-value"));
    }
}
