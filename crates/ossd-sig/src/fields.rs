//! Lenient parsing of comma-separated `Name<sep>value` lists (V2 and V4 Authorization) and of
//! additional-header name lists.

/// Parsed `Name<sep>value` fields in the order received.
pub(crate) struct Fields<'a>(Vec<(&'a str, &'a str)>);

impl<'a> Fields<'a> {
    /// The value of a field, if present.
    pub(crate) fn get(&self, name: &str) -> Option<&'a str> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    /// The non-empty value of a required field.
    pub(crate) fn required(&self, name: &str) -> Result<&'a str, String> {
        self.get(name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("Authorization header is invalid: missing {name}."))
    }
}

/// Splits `s` on `,`, trims each piece, and splits it at the first `sep`. Empty pieces are skipped;
/// a piece without `sep` or a repeated name is an error.
pub(crate) fn split_fields(s: &str, sep: char) -> Result<Fields<'_>, String> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for piece in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, value)) = piece.split_once(sep) else {
            return Err("Authorization header is invalid.".to_owned());
        };
        let name = name.trim();
        if out.iter().any(|(n, _)| *n == name) {
            return Err(format!("Authorization header is invalid: repeated {name}."));
        }
        out.push((name, value.trim()));
    }
    Ok(Fields(out))
}

/// Normalises a `;`-separated header name list: trimmed, lowercased, de-duplicated, fully sorted.
pub fn normalize_additional_headers(raw: &str) -> Vec<String> {
    let mut names: Vec<String> = raw
        .split(';')
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lenient_fields() {
        let f = split_fields("Credential=a/b, Signature=x ,AdditionalHeaders=h", '=').unwrap();
        assert_eq!(f.get("Credential"), Some("a/b"));
        assert_eq!(f.get("Signature"), Some("x"));
        assert_eq!(f.get("AdditionalHeaders"), Some("h"));
        assert!(f.required("Missing").is_err());
        assert!(split_fields("A=1,A=2", '=').is_err());
        assert!(split_fields("A=1,junk", '=').is_err());
    }

    #[test]
    fn additional_headers_sorted() {
        assert_eq!(
            normalize_additional_headers("range;Host;; host ;if-none-match"),
            ["host", "if-none-match", "range"]
        );
        assert!(normalize_additional_headers("").is_empty());
    }
}
