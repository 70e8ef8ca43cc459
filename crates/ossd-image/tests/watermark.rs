//! `watermark` with image marks: placement by gravity and margins, opacity, `P` scaling, a
//! nested pipeline on the mark, and the errors (text, bad Base64, missing bytes, too many).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{decode, encode, solid};
use image::{GenericImageView, ImageFormat};
use ossd_image::{Limits, parse, process_with};

fn b64(s: &str) -> String {
    URL_SAFE_NO_PAD.encode(s)
}

/// A 100×100 white PNG with a 10×10 red mark drawn by `params`.
fn run(params: &str) -> image::DynamicImage {
    let main = encode(&solid(100, 100, [255, 255, 255]), ImageFormat::Png);
    let mark = encode(&solid(10, 10, [255, 0, 0]), ImageFormat::Png);
    let process = format!("image/watermark,image_{},{params}", b64("logo.png"));
    let plan = parse(&process).expect("parse");
    assert_eq!(plan.watermark_keys(), ["logo.png"]);
    let marks = [("logo.png".to_owned(), mark)];
    let out = process_with(&main, &plan, &Limits::default(), &marks).expect("process");
    decode(&out.body)
}

fn rgb(img: &image::DynamicImage, x: u32, y: u32) -> [u8; 3] {
    let p = img.get_pixel(x, y).0;
    [p[0], p[1], p[2]]
}

#[test]
fn default_is_south_east_with_10px_margins() {
    let img = run("t_100");
    assert_eq!(img.dimensions(), (100, 100));
    assert_eq!(rgb(&img, 85, 85), [255, 0, 0]);
    assert_eq!(rgb(&img, 80, 80), [255, 0, 0]);
    assert_eq!(rgb(&img, 79, 85), [255, 255, 255]);
    assert_eq!(rgb(&img, 90, 90), [255, 255, 255]);
}

#[test]
fn gravity_margins_and_voffset() {
    let img = run("g_nw,x_0,y_5");
    assert_eq!(rgb(&img, 0, 5), [255, 0, 0]);
    assert_eq!(rgb(&img, 0, 4), [255, 255, 255]);
    let img = run("g_center,voffset_20");
    // Centred at 45..55 horizontally, shifted up by 20: 25..35 vertically.
    assert_eq!(rgb(&img, 50, 30), [255, 0, 0]);
    assert_eq!(rgb(&img, 50, 50), [255, 255, 255]);
}

#[test]
fn opacity_blends() {
    let img = run("g_nw,x_0,y_0,t_50");
    let [r, g, b] = rgb(&img, 5, 5);
    assert_eq!(r, 255);
    assert!((120..=135).contains(&g), "{g}");
    assert!((120..=135).contains(&b), "{b}");
}

#[test]
fn percent_scales_the_mark() {
    let img = run("g_nw,x_0,y_0,P_30");
    assert_eq!(rgb(&img, 28, 28), [255, 0, 0]);
    assert_eq!(rgb(&img, 32, 32), [255, 255, 255]);
}

#[test]
fn nested_pipeline_on_the_mark() {
    let main = encode(&solid(100, 100, [255, 255, 255]), ImageFormat::Png);
    let mark = encode(&solid(10, 10, [0, 0, 255]), ImageFormat::Png);
    let key = b64("m.png?x-oss-process=image/resize,w_20,limit_0");
    let plan = parse(&format!("image/watermark,image_{key},g_nw,x_0,y_0")).expect("parse");
    assert_eq!(plan.watermark_keys(), ["m.png"]);
    let marks = [("m.png".to_owned(), mark)];
    let out = process_with(&main, &plan, &Limits::default(), &marks).expect("process");
    let img = decode(&out.body);
    assert_eq!(rgb(&img, 18, 18), [0, 0, 255]);
    assert_eq!(rgb(&img, 22, 22), [255, 255, 255]);
}

#[test]
fn errors() {
    let text = format!("image/watermark,text_{}", b64("hi"));
    assert_eq!(
        parse(&text).map(|_| ()).unwrap_err().code(),
        "NotImplemented"
    );
    let bad = parse("image/watermark,image_%%%").map(|_| ()).unwrap_err();
    assert_eq!(bad.code(), "InvalidArgument");
    assert_eq!(
        parse("image/watermark,t_50")
            .map(|_| ())
            .unwrap_err()
            .code(),
        "MissingArgument"
    );
    let one = format!("watermark,image_{}", b64("a"));
    assert!(parse(&format!("image/{one}/{one}/{one}")).is_ok());
    let four = parse(&format!("image/{one}/{one}/{one}/{one}"));
    assert_eq!(four.map(|_| ()).unwrap_err().code(), "InvalidArgument");
    let main = encode(&solid(10, 10, [0, 0, 0]), ImageFormat::Png);
    let plan = parse(&format!("image/{one}")).expect("parse");
    let err = process_with(&main, &plan, &Limits::default(), &[]).unwrap_err();
    assert_eq!(err.code(), "WatermarkError");
    let marks = [("a".to_owned(), b"not an image".to_vec())];
    let err = process_with(&main, &plan, &Limits::default(), &marks).unwrap_err();
    assert_eq!(err.code(), "WatermarkError");
}
