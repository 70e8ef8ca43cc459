//! Fuzz target `image_process` (docs/fuzzing.md): the `x-oss-process=image/...` grammar,
//! nested watermark pipelines included. Errors are 4xx (or 501) with a code; a plan respects the
//! documented limits. Corpus: `fuzz/corpus/image_process/`.

#[path = "../../../fuzz/harness.rs"]
mod harness;

use harness::Target;
use ossd_image::{
    ImageError, MAX_ACTIONS, MAX_LEN, MAX_TEXT_CHARS, MAX_WATERMARKS, Op, Plan, parse,
};

const TOKENS: &[&str] = &[
    "image/",
    "/",
    ",",
    "_",
    "resize",
    "crop",
    "indexcrop",
    "circle",
    "rounded-corners",
    "rotate",
    "auto-orient",
    "blur",
    "bright",
    "contrast",
    "sharpen",
    "format",
    "quality",
    "interlace",
    "info",
    "average-hue",
    "watermark",
    ",image_",
    ",text_",
    ",type_",
    ",P_",
    ",m_fill",
    ",m_pad",
    ",g_center",
    ",color_FFFFFF",
    ",limit_0",
    ",voffset_",
    // URL-safe Base64 of `k?x-oss-process=image/`, a nested pipeline's prefix.
    "az94LW9zcy1wcm9jZXNzPWltYWdlLw",
    // `panda.png?x-oss-process=image/resize,P_30`.
    "cGFuZGEucG5nP3gtb3NzLXByb2Nlc3M9aW1hZ2UvcmVzaXplLFBfMzA",
    "==",
];

/// The limits every accepted plan (and nested watermark plan) respects.
fn assert_plan(plan: &Plan, nested: bool) {
    assert!(plan.ops.len() <= MAX_ACTIONS);
    assert!(plan.quality.is_none_or(|q| (1..=100).contains(&q)));
    let marks = plan.ops.iter().filter_map(|op| match op {
        Op::Watermark(w) => Some(w),
        _ => None,
    });
    let mut count = 0;
    for w in marks {
        count += 1;
        assert!(!nested, "a nested pipeline has no watermark");
        assert!(w.image.is_some() || w.text.is_some());
        assert!(w.opacity <= 100);
        if let Some(image) = &w.image {
            assert!(!image.key.is_empty());
            assert!(image.percent.is_none_or(|p| (1..=100).contains(&p)));
            if let Some(inner) = &image.process {
                assert_plan(inner, true);
            }
        }
        if let Some(text) = &w.text {
            assert!(text.text.chars().count() <= MAX_TEXT_CHARS);
        }
    }
    assert!(count <= MAX_WATERMARKS);
    let keys = plan.watermark_keys();
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        keys.len(),
        "watermark keys without duplicates"
    );
}

#[test]
fn fuzz_image_process() {
    let target = Target::new("image_process", TOKENS);
    for (name, bytes) in target.realistic() {
        let process = String::from_utf8_lossy(bytes);
        assert!(parse(&process).is_ok(), "{name}: {:?}", parse(&process));
    }
    target.run_str(|process| {
        let result = parse(process);
        match &result {
            Ok(plan) => {
                assert!(process.len() <= MAX_LEN);
                assert_plan(plan, false);
            }
            Err(e) => {
                let client_error = !matches!(
                    e,
                    ImageError::Internal(_) | ImageError::Busy | ImageError::TimedOut(_)
                );
                assert!(client_error, "{e:?}");
            }
        }
        assert_eq!(result, parse(process), "parse is deterministic");
        // Empty actions are ignored: a trailing `/` changes nothing.
        if process.len() < MAX_LEN && process.starts_with("image/") {
            assert_eq!(parse(&format!("{process}/")), result, "{process:?} + /");
        }
    });
}
