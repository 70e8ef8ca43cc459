//! `application/x-www-form-urlencoded` bodies and query strings of console requests.

use bytes::Bytes;
use http_body_util::BodyExt;

use crate::transport::body::Inbound;

/// The most bytes of a console form (policy documents are at most 6 KiB; room for several).
pub(crate) const MAX_FORM_BYTES: usize = 64 * 1024;

/// Decoded `name=value` pairs, in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Form(Vec<(String, String)>);

/// Why a form could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FormError {
    /// Over [`MAX_FORM_BYTES`].
    #[error("the form is larger than {MAX_FORM_BYTES} bytes")]
    TooLarge,
    /// The connection failed while reading.
    #[error("the form could not be read")]
    Unreadable(#[source] hyper::Error),
}

impl Form {
    /// Parses `a=1&b=x+y` (`+` is a space; percent-decoded as UTF-8, lossily).
    pub(crate) fn parse(raw: &[u8]) -> Self {
        let pairs = raw
            .split(|&b| b == b'&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let mut it = pair.splitn(2, |&b| b == b'=');
                let k = decode(it.next().unwrap_or_default());
                let v = decode(it.next().unwrap_or_default());
                (k, v)
            })
            .collect();
        Self(pairs)
    }

    /// Reads and parses a request body.
    pub(crate) async fn read(body: Inbound) -> Result<Self, FormError> {
        let mut body = body;
        let mut raw: Vec<u8> = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(FormError::Unreadable)?;
            if let Ok(data) = frame.into_data() {
                if raw.len() + data.len() > MAX_FORM_BYTES {
                    return Err(FormError::TooLarge);
                }
                raw.extend_from_slice(&data);
            }
        }
        Ok(Self::parse(&Bytes::from(raw)))
    }

    /// The first value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, trimmed, or `""`.
    pub(crate) fn text(&self, name: &str) -> &str {
        self.get(name).map(str::trim).unwrap_or_default()
    }

    /// The first value of `name` when present and not blank.
    pub(crate) fn opt(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }

    /// Every value of `name` (checkbox groups, multiple selects).
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn decode(raw: &[u8]) -> String {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_encoding::percent_decode(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs() {
        let f = Form::parse(b"a=1&b=x+y%2Bz&c&a=2&d=%E4%B8%AD");
        assert_eq!(f.get("a"), Some("1"));
        assert_eq!(f.get("b"), Some("x y+z"));
        assert_eq!(f.get("c"), Some(""));
        assert_eq!(f.opt("c"), None);
        assert_eq!(f.all("a").collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(f.get("d"), Some("中"));
    }
}
