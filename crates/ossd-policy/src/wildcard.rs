//! `*` / `?` wildcard matching shared by actions, resources, principals and `StringLike`.
//!
//! Byte-wise and allocation-free. Both inputs are valid UTF-8, so comparing a literal pattern
//! character byte by byte is the same as comparing characters (UTF-8 is self-synchronizing);
//! only `?` and the star's backtracking step need to know character lengths, and they advance
//! over one whole character of `text`.

/// Whether `text` matches `pattern`, where `*` matches any run of characters (including none)
/// and `?` exactly one character. Case-sensitive; callers fold case first when needed.
///
/// Iterative with single-star backtracking: O(len(pattern) × len(text)) at worst, no recursion.
pub(crate) fn matches(pattern: &str, text: &str) -> bool {
    matches_folded(pattern.as_bytes(), text.as_bytes(), true, |b| b)
}

/// Whether `text` matches `pattern` as CORS and Referer rules compare: ASCII letters
/// case-insensitively, `*` any run of characters, and `?` one character when `question_mark`
/// is set (Referer rules) or itself otherwise (CORS rules).
pub fn matches_ignore_ascii_case(pattern: &str, text: &str, question_mark: bool) -> bool {
    matches_folded(pattern.as_bytes(), text.as_bytes(), question_mark, |b| {
        b.to_ascii_lowercase()
    })
}

/// Whether the ASCII `text`, lower-cased, matches the lower-cased `pattern`; the same answer as
/// `matches(pattern, &text.to_lowercase())` without building the lower-cased copy.
///
/// Returns `None` when `text` is not ASCII (the caller then folds it with `to_lowercase`).
pub(crate) fn matches_ascii_lower(pattern_lower: &str, text: &str) -> Option<bool> {
    text.is_ascii().then(|| {
        matches_folded(pattern_lower.as_bytes(), text.as_bytes(), true, |b| {
            b.to_ascii_lowercase()
        })
    })
}

/// The matcher: `fold` maps each literal byte of `pattern` and of `text` before they are
/// compared; `question_mark` makes `?` a wildcard (else a literal). `fold` must map ASCII to ASCII
/// and leave bytes ≥ 0x80 alone, so character lengths are kept.
fn matches_folded(p: &[u8], t: &[u8], question_mark: bool, fold: impl Fn(u8) -> u8) -> bool {
    let wild = p.contains(&b'*') || (question_mark && p.contains(&b'?'));
    if !wild {
        return p.len() == t.len() && p.iter().zip(t).all(|(&pc, &tc)| fold(pc) == fold(tc));
    }
    let (mut pi, mut ti) = (0, 0);
    // The last `*` seen: its index in `p`, and where in `t` its run currently ends.
    let mut star: Option<(usize, usize)> = None;
    while let Some(&tc) = t.get(ti) {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(b'?') if question_mark => {
                pi += 1;
                ti += char_len(tc);
            }
            Some(&pc) if fold(pc) == fold(tc) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    let next = st + t.get(st).map_or(1, |&b| char_len(b));
                    pi = sp + 1;
                    ti = next;
                    star = Some((sp, next));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

/// The length in bytes of the UTF-8 character whose first byte is `lead`.
const fn char_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        // 0xF0..: four bytes; continuation bytes (0x80..=0xBF) never start a step here.
        _ => 4,
    }
}

/// Whether `pattern` contains a wildcard character.
pub(crate) fn has_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::{matches, matches_ascii_lower};
    use proptest::prelude::*;

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

    #[test]
    fn multibyte_characters_are_one_character() {
        assert!(matches("?", "é"));
        assert!(!matches("??", "é"));
        assert!(matches("?", "😀"));
        assert!(matches("a?c", "a中c"));
        assert!(matches("*中", "中中中"));
        assert!(matches("*?b", "😀b"));
        assert!(!matches("é", "e"));
        assert!(matches("*é*", "xxéyy"));
        // `?` after a star must not land inside a character when the star backtracks.
        assert!(matches("*?x", "é😀x"));
        assert!(!matches("*?ü", "éx"));
        assert!(matches("*?b", "éab"));
    }

    #[test]
    fn cors_and_referer_rules() {
        let m = super::matches_ignore_ascii_case;
        assert!(m("*", "", false));
        assert!(m("http://*.a.com", "HTTP://x.y.A.com", false));
        assert!(!m("http://*.a.com", "http://a.com", false));
        assert!(m("a*b*c", "aXbYbZc", false));
        assert!(!m("a*b*c", "aXbYbZ", false));
        assert!(m("exact", "EXACT", false));
        assert!(!m("exact", "exactly", false));
        assert!(m("http://a?.com", "http://ab.com", true));
        assert!(!m("http://a?.com", "http://a.com", true));
        assert!(!m("http://a?.com", "http://ab.com", false));
        assert!(m("http://a?.com", "http://a?.com", false));
        assert!(m("?*", "x", true));
        assert!(!m("?*", "", true));
    }

    #[test]
    fn ascii_lower_folds_text_only() {
        assert_eq!(matches_ascii_lower("oss:get*", "oss:GetObject"), Some(true));
        assert_eq!(
            matches_ascii_lower("oss:get?bject", "OSS:GETOBJECT"),
            Some(true)
        );
        assert_eq!(
            matches_ascii_lower("oss:put*", "oss:GetObject"),
            Some(false)
        );
        assert_eq!(
            matches_ascii_lower("oss:getobject", "oss:GetObject"),
            Some(true)
        );
        assert_eq!(matches_ascii_lower("oss:é", "oss:É"), None);
    }

    /// The matcher this module had before it went byte-wise: two `Vec<char>`, one per input.
    fn reference(pattern: &str, text: &str) -> bool {
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

    /// Short strings over an alphabet that makes matches likely: wildcards, ASCII of both cases,
    /// and 2-, 3- and 4-byte characters (one of which changes length when lower-cased).
    fn small(wild: bool) -> impl Strategy<Value = String> {
        let chars: &[char] = if wild {
            &['*', '?', 'a', 'b', 'A', 'é', 'É', '中', '😀', 'İ', ':', '/']
        } else {
            &['a', 'b', 'A', 'B', 'é', 'É', '中', '😀', 'İ', ':', '/']
        };
        proptest::collection::vec(proptest::sample::select(chars.to_vec()), 0..10)
            .prop_map(|v| v.into_iter().collect())
    }

    /// A pattern and a text built from it (each `*` and `?` filled in), so that most pairs match;
    /// with `drop`, one character of the text is removed, so that many nearly match.
    fn pattern_and_text() -> impl Strategy<Value = (String, String)> {
        let fills = proptest::collection::vec(small(false), 10);
        (
            small(true),
            fills,
            any::<proptest::sample::Index>(),
            any::<bool>(),
        )
            .prop_map(|(p, fills, cut, drop)| {
                let mut t = String::new();
                for (i, c) in p.chars().enumerate() {
                    let fill = &fills[i % fills.len()];
                    match c {
                        '*' => t.push_str(fill),
                        '?' => t.push(fill.chars().next().unwrap_or('é')),
                        c => t.push(c),
                    }
                }
                if drop && !t.is_empty() {
                    let at = cut.index(t.chars().count());
                    t = t
                        .chars()
                        .enumerate()
                        .filter_map(|(i, c)| (i != at).then_some(c))
                        .collect();
                }
                (p, t)
            })
    }

    proptest! {
        // The cases are microseconds each; many of them find the rare character-length slips.
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn same_answer_on_texts_built_from_the_pattern((p, t) in pattern_and_text()) {
            prop_assert_eq!(matches(&p, &t), reference(&p, &t));
        }

        #[test]
        fn ascii_lower_on_texts_built_from_the_pattern((p, t) in pattern_and_text()) {
            let ascii: String = t.chars().filter(char::is_ascii).collect();
            let lower = p.to_lowercase();
            prop_assert_eq!(
                matches_ascii_lower(&lower, &ascii.to_uppercase()),
                Some(reference(&lower, &ascii.to_lowercase()))
            );
        }

        #[test]
        fn same_answer_as_the_char_matcher(p in small(true), t in small(false)) {
            prop_assert_eq!(matches(&p, &t), reference(&p, &t));
        }

        #[test]
        fn wildcards_in_text_are_literal(p in small(true), t in small(true)) {
            prop_assert_eq!(matches(&p, &t), reference(&p, &t));
        }

        #[test]
        fn any_unicode(p in "[*?a-cé中😀\\PC]{0,8}", t in "\\PC{0,8}") {
            prop_assert_eq!(matches(&p, &t), reference(&p, &t));
        }

        #[test]
        fn ascii_lower_is_lowercase_then_match(p in small(true), t in "[a-zA-Z:*?]{0,10}") {
            let lower = p.to_lowercase();
            prop_assert_eq!(
                matches_ascii_lower(&lower, &t),
                Some(reference(&lower, &t.to_lowercase()))
            );
        }
    }
}
