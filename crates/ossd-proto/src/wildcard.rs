//! Wildcard patterns as CORS and Referer rules use them: `*` matches any run of characters
//! (including none) and, when enabled, `?` matches exactly one character. Letters compare
//! ASCII case-insensitively.
//!
//! Not `ossd-policy`'s matcher: that one is case-sensitive and always reads `?` as a wildcard,
//! while CORS and Referer rules compare case-insensitively and CORS rules take `?` literally.

/// Whether `text` matches `pattern`. With `question_mark` set, `?` matches any one character;
/// otherwise it is a literal.
pub(crate) fn matches(pattern: &str, text: &str, question_mark: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    // The position of the last `*` and the text position it currently absorbs up to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match (p.get(pi), t.get(ti)) {
            (Some('*'), _) => {
                star = Some((pi, ti));
                pi += 1;
            }
            (Some(&pc), Some(&tc))
                if (question_mark && pc == '?') || pc.eq_ignore_ascii_case(&tc) =>
            {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&c| c == '*'))
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn stars() {
        assert!(matches("*", "", false));
        assert!(matches("*", "http://a.com", false));
        assert!(matches("http://*.a.com", "http://www.a.com", false));
        assert!(matches("http://*.a.com", "HTTP://x.y.A.com", false));
        assert!(!matches("http://*.a.com", "http://a.com", false));
        assert!(matches("x-oss-*", "x-oss-meta-a", false));
        assert!(matches("a*b*c", "aXbYbZc", false));
        assert!(!matches("a*b*c", "aXbYbZ", false));
        assert!(matches("exact", "EXACT", false));
        assert!(!matches("exact", "exactly", false));
    }

    #[test]
    fn question_marks() {
        assert!(matches("http://a?.com", "http://ab.com", true));
        assert!(!matches("http://a?.com", "http://a.com", true));
        assert!(!matches("http://a?.com", "http://ab.com", false));
        assert!(matches("http://a?.com", "http://a?.com", false));
        assert!(matches("?*", "x", true));
        assert!(!matches("?*", "", true));
    }
}
