//! `*` / `?` wildcard matching shared by actions, resources, principals and `StringLike`.

/// Whether `text` matches `pattern`, where `*` matches any run of characters (including none)
/// and `?` exactly one character. Case-sensitive; callers fold case first when needed.
///
/// Iterative with single-star backtracking: O(len(pattern) × len(text)) at worst, no recursion.
pub(crate) fn matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
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
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether `pattern` contains a wildcard character.
pub(crate) fn has_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn basics() {
        assert!(matches("*", ""));
        assert!(matches("*", "abc"));
        assert!(matches("a*c", "ac"));
        assert!(matches("a*c", "abbbc"));
        assert!(!matches("a*c", "abcd"));
        assert!(matches("a?c", "abc"));
        assert!(!matches("a?c", "ac"));
        assert!(matches("*b*", "abc"));
        assert!(matches("a*b*c", "aXbYbZc"));
        assert!(!matches("", "a"));
        assert!(matches("", ""));
        assert!(matches("é?", "éü"));
    }
}
