//! Fuzz target `policy` (docs/fuzzing.md): the RAM policy grammar, each input parsed as every
//! kind. Errors are 400 with the kind's code; the result does not depend on the JSON's layout
//! (valid JSON without, or with more, insignificant whitespace parses the same). Corpus:
//! `fuzz/corpus/policy/`.

#[path = "../../../fuzz/harness.rs"]
mod harness;

use harness::Target;
use ossd_policy::{Policy, PolicyKind};

const KINDS: [PolicyKind; 4] = [
    PolicyKind::Identity,
    PolicyKind::Trust,
    PolicyKind::Bucket,
    PolicyKind::Session,
];

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"Version\":\"1\"",
    "\"Statement\":",
    "\"Effect\":\"Allow\"",
    "\"Effect\":\"Deny\"",
    "\"Action\":",
    "\"NotAction\":",
    "\"Resource\":",
    "\"NotResource\":",
    "\"Principal\":",
    "{\"RAM\":",
    "{\"Service\":",
    "\"Condition\":",
    "\"StringLike\"",
    "\"StringEqualsIgnoreCase\"",
    "\"NumericLessThan\"",
    "\"DateGreaterThan\"",
    "\"Bool\"",
    "\"IpAddress\"",
    "\"NotIpAddress\"",
    "IfExists",
    "\"acs:SourceIp\"",
    "\"acs:CurrentTime\"",
    "\"oss:Prefix\"",
    "acs:oss:*:*:",
    "acs:ram::1234567890123456:",
    "\\u0000",
    "\\ud800",
    "\\\"",
    "null",
    "true",
    "1e999",
    "-0.0",
];

/// `text` with the whitespace outside strings replaced by `sep` after each structural character
/// (`,` `:` `{` `[`) and removed elsewhere. Only meaningful for valid JSON.
fn relayout(text: &str, sep: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            ' ' | '\t' | '\n' | '\r' => {}
            ',' | ':' | '{' | '[' => {
                out.push(c);
                out.push_str(sep);
            }
            '"' => {
                in_string = true;
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn fuzz_policy() {
    let target = Target::new("policy", TOKENS);
    for (name, bytes) in target.realistic() {
        let text = String::from_utf8_lossy(bytes);
        let results: Vec<_> = KINDS.iter().map(|k| Policy::parse(&text, *k)).collect();
        assert!(results.iter().any(Result::is_ok), "{name}: {results:?}");
    }
    target.run_str(|text| {
        // Layout variants, for documents serde_json accepts as JSON (it refuses some inputs the
        // policy parser reads, such as lone surrogates, and that is fine).
        let variants: Vec<String> = match serde_json::from_str::<serde_json::Value>(text) {
            Ok(_) => vec![relayout(text, ""), relayout(text, "\n  ")],
            Err(_) => Vec::new(),
        };
        for kind in KINDS {
            let parsed = Policy::parse(text, kind);
            match &parsed {
                Ok(policy) => {
                    assert_eq!(policy.kind(), kind);
                    assert!(!policy.statements().is_empty());
                }
                Err(e) => {
                    assert_eq!(e.kind(), kind);
                    assert_eq!(e.http_status(), 400);
                    assert!(!e.code().is_empty() && !e.message().is_empty());
                }
            }
            assert_eq!(parsed, Policy::parse(text, kind), "parse is deterministic");
            let within = |t: &str| kind.size_of(t) <= kind.limit();
            for variant in variants.iter().filter(|v| within(v) && within(text)) {
                let again = Policy::parse(variant, kind);
                assert_eq!(again.ok(), parsed.clone().ok(), "layout changed: {variant}");
            }
        }
    });
}
