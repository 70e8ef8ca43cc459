//! Hostile input: decompression bombs, truncated and non-image files, bad parameters. Every
//! case must be a typed error (never a panic, never garbage output).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Instant;

use common::{coords, encode, png_header_only, run};
use image::ImageFormat;
use ossd_image::{ImageError, Limits, parse};

fn code(r: Result<ossd_image::Output, ImageError>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.name(),
    }
}

#[test]
fn a_png_claiming_30000_squared_is_refused_from_the_header() {
    let bomb = png_header_only(30_000, 30_000);
    let t = Instant::now();
    assert_eq!(code(run(&bomb, "image/resize,w_100")), "TooLarge");
    assert_eq!(code(run(&bomb, "image/info")), "TooLarge");
    assert!(t.elapsed().as_millis() < 500, "refused without decoding");
    assert_eq!(
        code(run(&png_header_only(30_001, 10), "image/info")),
        "TooLarge"
    );
    assert_eq!(
        code(run(&png_header_only(16_000, 16_000), "image/info")),
        "TooLarge"
    );
}

#[test]
fn a_header_without_pixel_data_is_damaged() {
    let fake = png_header_only(4000, 3000);
    assert_eq!(code(run(&fake, "image/resize,w_100")), "Damaged");
}

#[test]
fn truncated_files_are_damaged() {
    let png = encode(&coords(200, 100), ImageFormat::Png);
    for cut in [8, 20, 40, png.len() / 2, png.len() - 13] {
        assert_eq!(
            code(run(&png[..cut], "image/resize,w_50")),
            "Damaged",
            "cut {cut}"
        );
    }
    let jpg = encode(&coords(200, 100), ImageFormat::Jpeg);
    for cut in [3, 30, jpg.len() / 2] {
        // A JPEG cut mid-scan may decode (grey tail) or fail; it must not panic.
        let r = run(&jpg[..cut], "image/resize,w_50");
        assert!(
            matches!(r, Ok(_) | Err(ImageError::Damaged)),
            "cut {cut}: {r:?}"
        );
    }
}

#[test]
fn non_images_are_bad_requests() {
    for data in [&b""[..], b"hello world", b"<html></html>", b"%PDF-1.7 ..."] {
        assert_eq!(code(run(data, "image/resize,w_100")), "BadRequest");
        assert_eq!(code(run(data, "image/info")), "BadRequest");
    }
}

#[test]
fn oversize_sources_and_outputs_are_refused() {
    let limits = Limits::default();
    assert!(limits.check_source_size(20 * 1024 * 1024).is_ok());
    assert!(matches!(
        limits.check_source_size(20 * 1024 * 1024 + 1),
        Err(ImageError::TooLarge(_))
    ));
    let src = encode(&coords(200, 100), ImageFormat::Png);
    assert_eq!(code(run(&src, "image/resize,w_16384,limit_0")), "TooLarge");
    assert_eq!(
        code(run(&src, "image/resize,m_fixed,w_16384,h_16384,limit_0")),
        "TooLarge"
    );
    let small = Limits {
        max_rotate_side: 150,
        ..Limits::default()
    };
    let plan = parse("image/rotate,90").unwrap();
    assert!(matches!(
        ossd_image::process(&src, &plan, &small),
        Err(ImageError::TooLarge(_))
    ));
}

#[test]
fn crop_outside_the_image_is_a_bad_request() {
    let src = encode(&coords(200, 100), ImageFormat::Png);
    assert_eq!(code(run(&src, "image/crop,x_200,w_10")), "BadRequest");
    assert_eq!(code(run(&src, "image/crop,y_100,h_10")), "BadRequest");
}

#[test]
fn bad_parameters_name_the_problem() {
    let cases: &[(&str, &str, &str)] = &[
        ("image/resize,w_0", "InvalidArgument", "'w'"),
        ("image/resize,w_99999999", "InvalidArgument", "'w'"),
        ("image/resize,w_-5", "InvalidArgument", "'w'"),
        ("image/resize,w_1e3", "InvalidArgument", "'w'"),
        ("image/resize,h_16385", "InvalidArgument", "'h'"),
        ("image/resize,p_0", "InvalidArgument", "'p'"),
        ("image/resize,p_50,w_10", "InvalidArgument", "'p'"),
        ("image/resize,m_stretch,w_10", "InvalidArgument", "'m'"),
        (
            "image/resize,w_10,color_GGGGGG",
            "InvalidArgument",
            "'color'",
        ),
        ("image/resize,w_10,limit_2", "InvalidArgument", "'limit'"),
        ("image/resize,w_10,zz_1", "InvalidArgument", "'zz'"),
        ("image/resize", "MissingArgument", "resize"),
        ("image/crop,x_-1", "InvalidArgument", "'x'"),
        ("image/crop,g_middle", "InvalidArgument", "'g'"),
        ("image/indexcrop,i_1", "MissingArgument", "indexcrop"),
        ("image/circle", "MissingArgument", "'r'"),
        ("image/circle,r_0", "InvalidArgument", "'r'"),
        ("image/rotate,361", "InvalidArgument", "rotate"),
        ("image/rotate,-90", "InvalidArgument", "rotate"),
        ("image/rotate", "MissingArgument", "rotate"),
        ("image/blur,r_3", "MissingArgument", "'s'"),
        ("image/blur,r_51,s_1", "InvalidArgument", "'r'"),
        ("image/bright,101", "InvalidArgument", "bright"),
        ("image/contrast,abc", "InvalidArgument", "contrast"),
        ("image/sharpen,49", "InvalidArgument", "sharpen"),
        ("image/format,heic", "InvalidArgument", "format"),
        ("image/quality,q_0", "InvalidArgument", "'q'"),
        ("image/quality", "MissingArgument", "quality"),
        ("image/interlace,2", "InvalidArgument", "interlace"),
        ("image/info/resize,w_10", "InvalidArgument", "last"),
        ("image/explode,1", "InvalidArgument", "'explode'"),
        (
            "image/watermark,text_aGVsbG8,type_YXJpYWw",
            "InvalidArgument",
            "'type'",
        ),
        (
            "image/watermark,text_aGVsbG8,size_0",
            "InvalidArgument",
            "'size'",
        ),
        ("image/watermark,text_%%", "InvalidArgument", "'text'"),
        ("image/", "MissingArgument", "action"),
        ("style/thumb", "InvalidArgument", "image/"),
    ];
    for &(p, want, mention) in cases {
        let err = parse(p).expect_err(p);
        assert_eq!(err.name(), want, "{p}: {err}");
        assert!(err.to_string().contains(mention), "{p}: {err}");
    }
}

#[test]
fn parse_never_panics_on_noise() {
    let alphabet = b"image/resizcotw_hlp,0123456789-_/,fmx";
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..20_000 {
        let len = (seed % 40) as usize;
        let s: String = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                alphabet[(seed % alphabet.len() as u64) as usize] as char
            })
            .collect();
        let _ = parse(&format!("image/{s}"));
    }
    let long = format!("image/{}", "resize,w_1/".repeat(1000));
    assert!(parse(&long).is_err());
}
