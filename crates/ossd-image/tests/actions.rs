//! Every action and mode on a generated 200×100 source: output dimensions and content type,
//! plus pixel checks where the result is deterministic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{coords, decode, encode, run, solid, solid_rgba};
use image::{GenericImageView, ImageFormat};

/// (process, expected width, expected height, expected content type).
const CASES: &[(&str, u32, u32, &str)] = &[
    ("image/resize,w_150,h_80", 150, 75, "image/png"),
    ("image/resize,m_lfit,w_150,h_80", 150, 75, "image/png"),
    ("image/resize,m_mfit,w_150,h_80", 160, 80, "image/png"),
    ("image/resize,m_fill,w_150,h_80", 150, 80, "image/png"),
    ("image/resize,m_pad,w_150,h_80", 150, 80, "image/png"),
    ("image/resize,m_fixed,w_150,h_80", 150, 80, "image/png"),
    ("image/resize,w_100", 100, 50, "image/png"),
    ("image/resize,h_50", 100, 50, "image/png"),
    ("image/resize,l_100", 100, 50, "image/png"),
    ("image/resize,s_20", 40, 20, "image/png"),
    ("image/resize,p_50", 100, 50, "image/png"),
    ("image/resize,w_400", 200, 100, "image/png"),
    ("image/resize,w_400,limit_0", 400, 200, "image/png"),
    ("image/resize,p_150,limit_0", 300, 150, "image/png"),
    (
        "image/resize,m_pad,w_100,h_100,color_00FF00",
        100,
        100,
        "image/png",
    ),
    ("image/crop,w_50,h_40", 50, 40, "image/png"),
    ("image/crop,x_150,w_100", 50, 100, "image/png"),
    ("image/crop,w_50,h_50,g_center", 50, 50, "image/png"),
    // `r_1` (oss2 test_image): accepted and without effect.
    ("image/crop,w_50,h_40,x_10,y_10,r_1", 50, 40, "image/png"),
    ("image/crop,x_10,y_10,g_se", 190, 90, "image/png"),
    ("image/indexcrop,x_60,i_3", 20, 100, "image/png"),
    ("image/indexcrop,x_60,i_9", 200, 100, "image/png"),
    ("image/indexcrop,y_30,i_1", 200, 30, "image/png"),
    ("image/indexcrop,x_60,y_30", 200, 30, "image/png"),
    ("image/circle,r_30", 60, 60, "image/png"),
    ("image/circle,r_500", 100, 100, "image/png"),
    ("image/rounded-corners,r_20", 200, 100, "image/png"),
    ("image/rotate,90", 100, 200, "image/png"),
    ("image/rotate,180", 200, 100, "image/png"),
    ("image/rotate,270", 100, 200, "image/png"),
    ("image/rotate,360", 200, 100, "image/png"),
    ("image/rotate,45", 213, 213, "image/png"),
    ("image/auto-orient,1", 200, 100, "image/png"),
    ("image/auto-orient,0", 200, 100, "image/png"),
    ("image/blur,r_3,s_2", 200, 100, "image/png"),
    ("image/bright,50", 200, 100, "image/png"),
    ("image/contrast,-50", 200, 100, "image/png"),
    ("image/sharpen,100", 200, 100, "image/png"),
    ("image/format,jpg", 200, 100, "image/jpeg"),
    ("image/format,png", 200, 100, "image/png"),
    ("image/format,webp", 200, 100, "image/webp"),
    ("image/format,bmp", 200, 100, "image/bmp"),
    ("image/format,gif", 200, 100, "image/png"),
    ("image/format,tiff", 200, 100, "image/tiff"),
    ("image/format,jpg/quality,q_80", 200, 100, "image/jpeg"),
    ("image/format,jpg/quality,Q_50,q_90", 200, 100, "image/jpeg"),
    ("image/format,jpg/interlace,1", 200, 100, "image/jpeg"),
    (
        "image/resize,w_300/crop,w_100,h_100,g_center/format,webp/quality,q_80",
        100,
        100,
        "image/webp",
    ),
    ("image/circle,r_40/format,jpg", 80, 80, "image/jpeg"),
];

#[test]
fn every_action_gives_the_expected_size() {
    let src = encode(&coords(200, 100), ImageFormat::Png);
    for &(process, w, h, ct) in CASES {
        let out = run(&src, process).unwrap_or_else(|e| panic!("{process}: {e}"));
        assert_eq!(out.content_type, ct, "{process}");
        let img = decode(&out.body);
        assert_eq!(img.dimensions(), (w, h), "{process}");
    }
}

#[test]
fn gif_output_from_a_gif_source_is_gif() {
    let src = encode(&coords(40, 20), ImageFormat::Gif);
    let out = run(&src, "image/resize,w_20/format,gif").unwrap();
    assert_eq!(out.content_type, "image/gif");
    assert_eq!(decode(&out.body).dimensions(), (20, 10));
}

#[test]
fn jpeg_source_resizes_to_exact_width() {
    let src = encode(&coords(400, 300), ImageFormat::Jpeg);
    let out = run(&src, "image/resize,w_200").unwrap();
    assert_eq!(out.content_type, "image/jpeg");
    assert_eq!(decode(&out.body).dimensions(), (200, 150));
}

#[test]
fn pad_fills_with_the_colour() {
    let src = encode(&solid(200, 100, [255, 0, 0]), ImageFormat::Png);
    let out = run(&src, "image/resize,m_pad,w_100,h_100,color_00FF00").unwrap();
    let img = decode(&out.body).to_rgb8();
    assert_eq!(img.get_pixel(50, 5).0, [0, 255, 0]);
    assert_eq!(img.get_pixel(50, 95).0, [0, 255, 0]);
    assert_eq!(img.get_pixel(50, 50).0, [255, 0, 0]);
}

#[test]
fn crop_takes_the_requested_position() {
    let src = encode(&coords(200, 100), ImageFormat::Png);
    let at = |p: &str| {
        decode(&run(&src, p).unwrap().body)
            .to_rgb8()
            .get_pixel(0, 0)
            .0
    };
    assert_eq!(at("image/crop,x_10,y_20,w_5,h_5"), [10, 20, 77]);
    assert_eq!(at("image/crop,w_10,h_10,g_se"), [190, 90, 77]);
    assert_eq!(at("image/crop,x_5,y_5,w_10,h_10,g_se"), [185, 85, 77]);
    assert_eq!(at("image/crop,w_10,h_10,g_center"), [95, 45, 77]);
    assert_eq!(at("image/indexcrop,x_60,i_2"), [120, 0, 77]);
}

#[test]
fn rotate_90_is_clockwise() {
    let src = encode(&coords(200, 100), ImageFormat::Png);
    let img = decode(&run(&src, "image/rotate,90").unwrap().body).to_rgb8();
    assert_eq!(img.get_pixel(0, 0).0, [0, 99, 77]);
    assert_eq!(img.get_pixel(99, 0).0, [0, 0, 77]);
    assert_eq!(img.get_pixel(99, 199).0, [199, 0, 77]);
}

#[test]
fn circle_is_transparent_outside_and_white_in_jpg() {
    let src = encode(&solid(100, 100, [0, 0, 255]), ImageFormat::Png);
    let png = decode(&run(&src, "image/circle,r_50").unwrap().body).to_rgba8();
    assert_eq!(png.get_pixel(0, 0).0[3], 0);
    assert_eq!(png.get_pixel(50, 50).0, [0, 0, 255, 255]);
    let jpg = decode(&run(&src, "image/circle,r_50/format,jpg").unwrap().body).to_rgb8();
    assert!(jpg.get_pixel(0, 0).0.iter().all(|&c| c > 240));
}

#[test]
fn average_hue_of_a_solid_image() {
    let src = encode(&solid(30, 20, [0x5c, 0x78, 0x3b]), ImageFormat::Png);
    let out = run(&src, "image/average-hue").unwrap();
    assert_eq!(out.content_type, "application/json");
    assert_eq!(out.body, br#"{"RGB":"0x5c783b"}"#);
    let rgba = encode(&solid_rgba(4, 4, [10, 20, 30, 255]), ImageFormat::Png);
    let out = run(&rgba, "image/resize,w_2/average-hue").unwrap();
    assert_eq!(out.body, br#"{"RGB":"0x0a141e"}"#);
}

#[test]
fn info_reports_the_source_or_the_result() {
    let src = encode(&coords(200, 100), ImageFormat::Png);
    let out = run(&src, "image/info").unwrap();
    assert_eq!(out.content_type, "application/json");
    let v: serde_json::Value = serde_json::from_slice(&out.body).unwrap();
    assert_eq!(v["FileSize"]["value"], src.len().to_string());
    assert_eq!(v["Format"]["value"], "png");
    assert_eq!(v["ImageWidth"]["value"], "200");
    assert_eq!(v["ImageHeight"]["value"], "100");
    let out = run(&src, "image/resize,w_50/format,jpg/info").unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.body).unwrap();
    assert_eq!(v["Format"]["value"], "jpg");
    assert_eq!(v["ImageWidth"]["value"], "50");
    assert_eq!(v["ImageHeight"]["value"], "25");
}
