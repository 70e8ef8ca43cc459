//! `watermark` with image marks: placement by gravity and margins, opacity, `P` scaling, a
//! nested pipeline on the mark (with OSS's `resize,P_<n>`), text marks (placement, colour,
//! tiling, rotation, combined with an image), and the errors.

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
    let bad = parse("image/watermark,image_%%%").map(|_| ()).unwrap_err();
    assert_eq!(bad.name(), "InvalidArgument");
    assert_eq!(
        parse("image/watermark,t_50")
            .map(|_| ())
            .unwrap_err()
            .name(),
        "MissingArgument"
    );
    let one = format!("watermark,image_{}", b64("a"));
    assert!(parse(&format!("image/{one}/{one}/{one}")).is_ok());
    let four = parse(&format!("image/{one}/{one}/{one}/{one}"));
    assert_eq!(four.map(|_| ()).unwrap_err().name(), "InvalidArgument");
    let main = encode(&solid(10, 10, [0, 0, 0]), ImageFormat::Png);
    let plan = parse(&format!("image/{one}")).expect("parse");
    let err = process_with(&main, &plan, &Limits::default(), &[]).unwrap_err();
    assert_eq!(err.name(), "Watermark");
    let marks = [("a".to_owned(), b"not an image".to_vec())];
    let err = process_with(&main, &plan, &Limits::default(), &marks).unwrap_err();
    assert_eq!(err.name(), "Watermark");
}

#[test]
fn nested_percent_scales_the_mark_to_the_main_image() {
    let main = encode(&solid(200, 100, [255, 255, 255]), ImageFormat::Png);
    let mark = encode(&solid(10, 10, [0, 0, 255]), ImageFormat::Png);
    let key = b64("m.png?x-oss-process=image/resize,P_20");
    let plan = parse(&format!("image/watermark,image_{key},g_nw,x_0,y_0")).expect("parse");
    let marks = [("m.png".to_owned(), mark)];
    let out = process_with(&main, &plan, &Limits::default(), &marks).expect("process");
    let img = decode(&out.body);
    // 20% of 200×100 is a 40×20 box; the square mark fits it as 20×20.
    assert_eq!(bbox(&img, |p| p == [0, 0, 255]), Some((0, 0, 19, 19)));
}

/// The smallest rectangle `(x0, y0, x1, y1)` holding every pixel for which `hit` is true.
fn bbox(img: &image::DynamicImage, hit: impl Fn([u8; 3]) -> bool) -> Option<(u32, u32, u32, u32)> {
    let mut b: Option<(u32, u32, u32, u32)> = None;
    for (x, y, p) in img.pixels() {
        if hit([p.0[0], p.0[1], p.0[2]]) {
            b = Some(match b {
                None => (x, y, x, y),
                Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
            });
        }
    }
    b
}

fn near(p: [u8; 3], c: [u8; 3]) -> bool {
    p.iter().zip(c).all(|(a, b)| a.abs_diff(b) <= 40)
}

/// Runs a text watermark `params` on a white `w`×`h` PNG.
fn text(w: u32, h: u32, params: &str) -> image::DynamicImage {
    let main = encode(&solid(w, h, [255, 255, 255]), ImageFormat::Png);
    let plan = parse(&format!("image/watermark,{params}")).expect("parse");
    assert!(plan.watermark_keys().is_empty());
    let out = process_with(&main, &plan, &Limits::default(), &[]).expect("process");
    let img = decode(&out.body);
    assert_eq!(img.dimensions(), (w, h));
    img
}

const RED: [u8; 3] = [255, 0, 0];

#[test]
fn text_is_drawn_in_its_colour_at_the_south_east_by_default() {
    let img = text(300, 200, &format!("text_{},color_FF0000", b64("OSS")));
    let (x0, y0, x1, y1) = bbox(&img, |p| near(p, RED)).expect("red text");
    // Within the south-east cell: the line box (ascent + descent) 10 px from the edges; the
    // capitals are about 30 px tall.
    assert!(x0 > 150 && y0 > 120, "{x0},{y0}");
    assert!(
        (285..=290).contains(&x1) && (170..=190).contains(&y1),
        "{x1},{y1}"
    );
    assert!((25..=45).contains(&(y1 - y0)), "{}", y1 - y0);
    // Everything else is untouched.
    assert_eq!(
        bbox(&img, |p| p != [255, 255, 255]).map(|b| b.0 >= x0 - 1),
        Some(true)
    );
    assert_eq!(
        bbox(&img, |p| p != [255, 255, 255]).map(|b| b.1 >= y0 - 1),
        Some(true)
    );
}

#[test]
fn text_gravity_size_and_cjk() {
    let small = text(400, 200, &format!("text_{},g_nw,x_0,y_0", b64("水印")));
    let (x0, y0, x1, _) = bbox(&small, |p| p[0] < 100).expect("black text");
    assert!(x0 <= 5 && y0 <= 10, "{x0},{y0}");
    let big = text(
        400,
        200,
        &format!("text_{},g_nw,x_0,y_0,size_80", b64("水印")),
    );
    let (_, _, bx1, _) = bbox(&big, |p| p[0] < 100).expect("black text");
    // Two CJK glyphs are about two em wide.
    assert!((60..=85).contains(&x1), "{x1}");
    assert!((130..=165).contains(&bx1), "{bx1}");
    let centre = text(
        400,
        200,
        &format!("text_{},g_center,voffset_50", b64("mid")),
    );
    let (_, cy0, _, cy1) = bbox(&centre, |p| p[0] < 100).expect("black text");
    assert!(cy1 < 100 - 50 + 30 && cy0 > 10, "{cy0}..{cy1}");
}

#[test]
fn fill_tiles_the_whole_image() {
    let img = text(
        400,
        400,
        &format!("text_{},color_FF0000,fill_1,size_20", b64("ab")),
    );
    for (qx, qy) in [(0, 0), (200, 0), (0, 200), (200, 200)] {
        let hits = (qx..qx + 200)
            .flat_map(|x| (qy..qy + 200).map(move |y| (x, y)))
            .filter(|&(x, y)| near(rgb(&img, x, y), RED))
            .count();
        assert!(hits > 100, "quadrant ({qx},{qy}): {hits}");
    }
    let once = text(
        400,
        400,
        &format!("text_{},color_FF0000,size_20", b64("ab")),
    );
    assert!(bbox(&once, |p| near(p, RED)).is_some_and(|b| b.0 > 200 && b.1 > 200));
}

#[test]
fn rotation_opacity_and_shadow() {
    let flat = text(
        300,
        300,
        &format!("text_{},g_center,size_30", b64("WIDE TEXT")),
    );
    let (x0, y0, x1, y1) = bbox(&flat, |p| p[0] < 100).expect("text");
    assert!(x1 - x0 > 3 * (y1 - y0));
    let turned = text(
        300,
        300,
        &format!("text_{},g_center,size_30,rotate_90", b64("WIDE TEXT")),
    );
    let (x0, y0, x1, y1) = bbox(&turned, |p| p[0] < 100).expect("text");
    assert!(y1 - y0 > 3 * (x1 - x0));
    let faint = text(200, 100, &format!("text_{},t_30,size_60", b64("II")));
    assert!(bbox(&faint, |p| p[0] < 150).is_none());
    assert!(bbox(&faint, |p| p[0] < 200).is_some());
    let shaded = text(
        200,
        100,
        &format!("text_{},color_FFFFFF,shadow_100,size_60", b64("II")),
    );
    assert!(bbox(&shaded, |p| p[0] < 60).is_some());
}

#[test]
fn image_and_text_side_by_side() {
    let main = encode(&solid(300, 100, [255, 255, 255]), ImageFormat::Png);
    let mark = encode(&solid(20, 20, [0, 0, 255]), ImageFormat::Png);
    let run = |extra: &str| {
        let process = format!(
            "image/watermark,image_{},text_{},color_FF0000,g_nw,x_0,y_0{extra}",
            b64("logo.png"),
            b64("Hi")
        );
        let plan = parse(&process).expect("parse");
        let marks = [("logo.png".to_owned(), mark.clone())];
        decode(
            &process_with(&main, &plan, &Limits::default(), &marks)
                .expect("process")
                .body,
        )
    };
    let blue = |p: [u8; 3]| p == [0, 0, 255];
    let img = run(",interval_10");
    let (bx0, _, bx1, by1) = bbox(&img, blue).expect("image part");
    let (tx0, _, _, _) = bbox(&img, |p| near(p, RED)).expect("text part");
    assert_eq!((bx0, bx1), (0, 19));
    assert!(tx0 >= 30, "{tx0}");
    let img = run(",order_1,align_0");
    let (bx0, by0, _, _) = bbox(&img, blue).expect("image part");
    let (tx0, _, tx1, _) = bbox(&img, |p| near(p, RED)).expect("text part");
    assert!(tx0 < 10 && tx1 < bx0, "{tx0}..{tx1} then {bx0}");
    assert_eq!(by0, 0);
    // Bottom alignment (default) puts the 20 px image at the bottom of the ~47 px line.
    assert!(by1 > 30, "{by1}");
}

#[test]
fn text_errors() {
    let main = encode(&solid(50, 50, [255, 255, 255]), ImageFormat::Png);
    for (p, code) in [
        (format!("text_{}", b64(&"x".repeat(65))), "InvalidArgument"),
        (
            format!("text_{},type_{}", b64("x"), b64("arial")),
            "InvalidArgument",
        ),
        (format!("text_{},size_1001", b64("x")), "InvalidArgument"),
        (format!("text_{},rotate_400", b64("x")), "InvalidArgument"),
        (format!("text_{},fill_3", b64("x")), "InvalidArgument"),
        (format!("text_{},shadow_-1", b64("x")), "InvalidArgument"),
    ] {
        let err = parse(&format!("image/watermark,{p}"))
            .map(|_| ())
            .unwrap_err();
        assert_eq!(err.name(), code, "{p}");
    }
    // Too large a mark is refused, not drawn.
    let huge = format!("image/watermark,text_{},size_1000", b64(&"W".repeat(64)));
    let plan = parse(&huge).expect("parse");
    let err = process_with(&main, &plan, &Limits::default(), &[]).unwrap_err();
    assert_eq!(err.name(), "TooLarge");
}

#[test]
fn an_expired_deadline_stops_the_job() {
    let main = encode(&solid(50, 50, [255, 255, 255]), ImageFormat::Png);
    let plan = parse("image/resize,w_10").expect("parse");
    let expired = ossd_image::Deadline::after(std::time::Duration::ZERO);
    let err =
        ossd_image::process_until(&main, &plan, &Limits::default(), &[], &expired).unwrap_err();
    assert_eq!(err.name(), "TimedOut");
    assert!(err.to_string().contains("time budget"), "{err}");
}
