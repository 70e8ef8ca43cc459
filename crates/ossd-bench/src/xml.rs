//! Just enough XML reading for the bench: the text of simple elements in a response document.

/// The text of every `<tag>…</tag>` element in `doc`, in document order (not unescaped: the bench's
/// keys, ids and ETags use no characters that XML escapes).
pub(crate) fn all<'a>(doc: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut found = Vec::new();
    let mut rest = doc;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(&close) else { break };
        found.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    found
}

/// The text of the first `<tag>…</tag>` element in `doc`.
pub(crate) fn first<'a>(doc: &'a str, tag: &str) -> Option<&'a str> {
    all(doc, tag).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_elements() {
        let doc = "<R><Key>a</Key><V><Key>b</Key></V><IsTruncated>true</IsTruncated></R>";
        assert_eq!(all(doc, "Key"), ["a", "b"]);
        assert_eq!(first(doc, "IsTruncated"), Some("true"));
        assert_eq!(first(doc, "NextMarker"), None);
    }
}
