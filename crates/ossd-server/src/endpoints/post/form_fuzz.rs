//! Fuzz targets of the PostObject form (docs/fuzzing.md), here because `post` is private:
//! `post_form` reads `multipart/form-data` bodies (fed in random chunks) with [`form::read`] and
//! streams the file through [`form::file_stream`] under the policy's length range;
//! `post_policy` decodes policy documents with [`PostPolicy::decode`]. Corpus:
//! `fuzz/corpus/post_form/` and `fuzz/corpus/post_policy/`.

#[path = "../../../../../fuzz/harness.rs"]
mod harness;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use base64::Engine;
use bytes::Bytes;
use futures_util::StreamExt;
use harness::{Rng, Target};
use ossd_proto::post_policy::{Kind, PostPolicy};
use time::Duration;
use time::format_description::well_known::Rfc3339;

use super::form::{self, MAX_FIELD_NAME_BYTES, MAX_FIELDS};

const FORM_TOKENS: &[&str] = &[
    "\r\n",
    "--",
    "Content-Disposition: form-data; name=\"",
    "\"; filename=\"",
    "Content-Type: ",
    "name=\"file\"",
    "name=\"policy\"",
    "name=\"key\"",
    "name*=UTF-8''",
    "\r\n\r\n",
];

const POLICY_TOKENS: &[&str] = &[
    "\"expiration\":",
    "\"conditions\":",
    "\"2030-01-15T09:30:00.000Z\"",
    "\"2030-01-15T09:30:00+08:00\"",
    "[\"eq\",\"$key\",\"k\"]",
    "[\"starts-with\",\"$key\",\"\"]",
    "[\"in\",\"$content-type\",[\"a\",\"b\"]]",
    "[\"not-in\",\"$cache-control\",[]]",
    "[\"content-length-range\",0,10]",
    "{\"bucket\":\"b\"}",
    "18446744073709551616",
    "\"7\"",
    "null",
];

/// The boundary a body was written with: its first line without the leading `--`.
fn boundary(body: &[u8]) -> String {
    let line = body.split(|b| *b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let b = line.trim_end_matches('\r');
    let b = b.strip_prefix("--").unwrap_or(b);
    if b.is_empty() {
        "b".to_owned()
    } else {
        b.to_owned()
    }
}

/// Splits `body` into chunks of sizes drawn from a generator seeded by the body itself.
fn chunks(body: &[u8]) -> Vec<Bytes> {
    let seed = body.iter().fold(body.len() as u64, |h, b| {
        h.wrapping_mul(31).wrapping_add(u64::from(*b))
    });
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let n = (1 + rng.below(64)).min(rest.len());
        out.push(Bytes::copy_from_slice(&rest[..n]));
        rest = &rest[n..];
    }
    out
}

/// Reads a form; returns whether it was accepted. Checks the bounds on the fields and that the
/// file stream honours the policy's `content-length-range`.
async fn check_form(body: &[u8]) -> bool {
    let stream = futures_util::stream::iter(chunks(body).into_iter().map(Ok::<_, std::io::Error>));
    let multipart = multer::Multipart::new(stream, boundary(body));
    let form = match form::read(multipart).await {
        Ok(form) => form,
        Err(e) => {
            assert_eq!(e.status, 400, "{e:?}");
            return false;
        }
    };
    let names: Vec<&str> = form.fields.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.len() <= MAX_FIELDS);
    assert!(names.iter().map(|n| n.len()).sum::<usize>() <= MAX_FIELD_NAME_BYTES);
    for (i, name) in names.iter().enumerate() {
        assert_eq!(*name, name.to_ascii_lowercase());
        assert_ne!(*name, "file");
        assert!(!names[..i].contains(name), "first field wins: {name}");
    }
    let policy = form.fields.get("policy").map(PostPolicy::decode);
    let range = match &policy {
        Some(Ok(p)) => p.length_range().map(|(min, max, _)| (min, max)),
        _ => None,
    };
    let violated = Arc::new(AtomicBool::new(false));
    let mut stream = form::file_stream(form.file, range, Arc::clone(&violated));
    let mut size = 0u64;
    while let Some(item) = stream.next().await {
        match item {
            Ok(bytes) => size += bytes.len() as u64,
            Err(_) => return true,
        }
    }
    assert!(!violated.load(Ordering::SeqCst));
    if let Some((min, max)) = range {
        assert!(min <= size && size <= max, "{size} outside {min}..={max}");
    }
    true
}

#[test]
fn fuzz_post_form() {
    let target = Target::new("post_form", FORM_TOKENS);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    for (name, body) in target.realistic() {
        assert!(runtime.block_on(check_form(body)), "{name} is refused");
    }
    target.run(|body| {
        runtime.block_on(check_form(body));
    });
}

/// Decodes a policy; an accepted one re-rendered from its parts decodes to the same value.
fn check_policy(b64: &str) -> bool {
    let policy = match PostPolicy::decode(b64) {
        Ok(p) => p,
        Err(e) => {
            assert_eq!(
                (e.status, e.code.as_str()),
                (400, "InvalidPolicyDocument"),
                "{e:?}"
            );
            return false;
        }
    };
    assert!(policy.check_expiration(policy.expiration).is_ok());
    let later = policy.expiration.checked_add(Duration::SECOND);
    if let Some(later) = later {
        let e = policy.check_expiration(later).err();
        assert_eq!(
            e.map(|e| (e.status, e.code.as_str())),
            Some((403, "AccessDenied"))
        );
    }
    let _ = policy.check_fields(|_| None);
    let first_range = policy.conditions.iter().find_map(|c| match c.kind {
        Kind::LengthRange(min, max) => Some((min, max)),
        _ => None,
    });
    assert_eq!(policy.length_range().map(|(a, b, _)| (a, b)), first_range);
    // Render → decode: the conditions' own texts and the expiration in RFC 3339.
    let expiration = policy
        .expiration
        .format(&Rfc3339)
        .unwrap_or_else(|e| panic!("{:?}: {e}", policy.expiration));
    let texts: Vec<&str> = policy.conditions.iter().map(|c| c.text.as_str()).collect();
    let doc = format!(
        "{{\"expiration\":\"{expiration}\",\"conditions\":[{}]}}",
        texts.join(",")
    );
    let encoded = base64::engine::general_purpose::STANDARD.encode(&doc);
    assert_eq!(PostPolicy::decode(&encoded).as_ref(), Ok(&policy), "{doc}");
    true
}

#[test]
fn fuzz_post_policy() {
    let target = Target::new("post_policy", POLICY_TOKENS);
    for (name, json) in target.realistic() {
        let encoded = base64::engine::general_purpose::STANDARD.encode(json);
        assert!(check_policy(&encoded), "{name} is refused");
    }
    target.run(|json| {
        let encoded = base64::engine::general_purpose::STANDARD.encode(json);
        check_policy(&encoded);
        // The raw bytes as the field itself: mostly invalid Base64.
        check_policy(&String::from_utf8_lossy(json));
    });
}
