//! Unit tests of the key helpers; the algorithm itself is tested through the conformance suite.

use super::*;

#[test]
fn successors() {
    assert_eq!(prefix_successor(b"abc"), Some(b"abd".to_vec()));
    assert_eq!(prefix_successor(b"a/"), Some(b"a0".to_vec()));
    assert_eq!(prefix_successor(&[b'a', 0xFF, 0xFF]), Some(b"b".to_vec()));
    assert_eq!(prefix_successor(&[0xFF]), None);
    assert_eq!(prefix_successor(b""), None);
    assert_eq!(key_successor(b"a"), b"a\0".to_vec());
    let e_acute = "é".as_bytes();
    assert_eq!(prefix_successor(e_acute), Some(vec![0xC3, 0xAA]));
}

#[test]
fn common_prefixes() {
    assert_eq!(common_prefix("a/b/c", "", Some("/")), Some("a/"));
    assert_eq!(common_prefix("a/b/c", "a/", Some("/")), Some("a/b/"));
    assert_eq!(common_prefix("a/b", "a/", Some("/")), None);
    assert_eq!(common_prefix("a--b", "", Some("--")), Some("a--"));
    assert_eq!(common_prefix("a/b", "", Some("")), None);
    assert_eq!(common_prefix("a/b", "", None), None);
    assert_eq!(common_prefix("a/b", "b", Some("/")), None);
    assert_eq!(common_prefix("日本/x", "日", Some("/")), Some("日本/"));
}

#[test]
fn start_positions() {
    assert_eq!(start_position("p", Some("/"), ""), b"p".to_vec());
    assert_eq!(start_position("p", Some("/"), "a"), b"p".to_vec());
    assert_eq!(start_position("", Some("/"), "a/b"), b"a0".to_vec());
    assert_eq!(start_position("", Some("/"), "a/"), b"a0".to_vec());
    assert_eq!(start_position("", None, "a/b"), b"a/b\0".to_vec());
    assert_eq!(start_position("a/", Some("/"), "a/b"), b"a/b\0".to_vec());
}
