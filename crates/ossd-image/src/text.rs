//! text watermarks (docs/protocol/image-processing.md#watermarks): the `text`, `type`, `color`,
//! `size`, `shadow` and `rotate` parameters, a one-line layout over the bundled faces, and
//! rasterizing it into an RGBA mark (text over an optional shadow, then rotated).

use ab_glyph::{Font, Glyph, ScaleFont, point};
use image::{Rgba, RgbaImage};

use crate::error::ImageError;
use crate::font::{DEFAULT_FONT, Faces, Pick, check_name};
use crate::limits::Limits;
use crate::params::Params;

/// The longest watermark text, in characters (after Base64 decoding).
pub const MAX_TEXT_CHARS: usize = 64;
/// The font size when `size` is absent, px per em.
pub(crate) const DEFAULT_SIZE: u32 = 40;

/// The text part of a watermark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// `text`: the decoded UTF-8 text, one line.
    pub text: String,
    /// `type`: the OSS font name (all are drawn with the bundled fonts).
    pub font: String,
    /// `color`: RGB (default black).
    pub color: [u8; 3],
    /// `size`: pixels per em, 1–1000 (default 40).
    pub size: u32,
    /// `shadow`: opacity of a black drop shadow, 0–100 (0 = none).
    pub shadow: u32,
    /// `rotate`: clockwise degrees, 0–360.
    pub rotate: u32,
}

/// Parses the text parameters; `encoded` is the value of `text`.
pub(crate) fn parse(p: &Params<'_>, encoded: &str) -> Result<Text, ImageError> {
    let text = crate::b64::decode_base64_text(encoded).ok_or_else(|| {
        ImageError::bad_value(
            "watermark",
            "text",
            encoded,
            "the URL-safe Base64 of UTF-8 text",
        )
    })?;
    let chars = text.chars().count();
    if chars == 0 || chars > MAX_TEXT_CHARS {
        return Err(ImageError::bad_value(
            "watermark",
            "text",
            encoded,
            &format!("1 to {MAX_TEXT_CHARS} characters of text"),
        ));
    }
    let font = match p.get("type") {
        None => DEFAULT_FONT.to_owned(),
        Some(v) => crate::b64::decode_base64_text(v).ok_or_else(|| {
            ImageError::bad_value("watermark", "type", v, "the URL-safe Base64 of a font name")
        })?,
    };
    check_name(&font)?;
    Ok(Text {
        text,
        font,
        color: p.color("color")?.unwrap_or([0, 0, 0]),
        size: p.uint("size", 1, 1000)?.unwrap_or(DEFAULT_SIZE),
        shadow: p.uint("shadow", 0, 100)?.unwrap_or(0),
        rotate: p.uint("rotate", 0, 360)?.unwrap_or(0),
    })
}

/// One glyph of a laid-out line: its face and glyph, and its pen position on the canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Placed {
    /// Face and glyph.
    pub pick: Pick,
    /// Pen x, px.
    pub x: f32,
    /// Baseline y, px.
    pub baseline: f32,
}

/// A laid-out line: the glyphs and the canvas that holds every glyph's ink and advance box.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    /// The drawable glyphs, left to right.
    pub glyphs: Vec<Placed>,
    /// Canvas width, px.
    pub width: u32,
    /// Canvas height, px.
    pub height: u32,
}

/// Lays `text` out on one line at `size` px per em. Control characters are skipped; a
/// character no face has is drawn as the first face's box. Kerning applies between two
/// glyphs of the same face.
pub(crate) fn layout(faces: &Faces, text: &str, size: u32) -> Layout {
    let px = size as f32;
    let mut glyphs = Vec::new();
    let (mut ascent, mut descent) = (0f32, 0f32);
    let mut caret = 0f32;
    let mut prev: Option<Pick> = None;
    for c in text.chars().filter(|c| !c.is_control()) {
        let pick = faces.pick(c);
        let scaled = faces.face(pick.face).as_scaled(faces.scale(pick.face, px));
        ascent = ascent.max(scaled.ascent());
        descent = descent.max(-scaled.descent());
        if let Some(p) = prev.filter(|p| p.face == pick.face) {
            caret += scaled.kern(p.id, pick.id);
        }
        glyphs.push(Placed {
            pick,
            x: caret,
            baseline: 0.0,
        });
        caret += scaled.h_advance(pick.id);
        prev = Some(pick);
    }
    // The canvas is the union of the advance box and every glyph's ink.
    let (mut min_x, mut min_y) = (0f32, -ascent);
    let (mut max_x, mut max_y) = (caret, descent);
    for g in &glyphs {
        if let Some(o) = outline(faces, g, px) {
            let b = o.px_bounds();
            min_x = min_x.min(b.min.x);
            min_y = min_y.min(b.min.y);
            max_x = max_x.max(b.max.x);
            max_y = max_y.max(b.max.y);
        }
    }
    let (dx, dy) = (-min_x.floor(), -min_y.floor());
    for g in &mut glyphs {
        g.x += dx;
        g.baseline += dy;
    }
    Layout {
        glyphs,
        width: to_px(max_x.ceil() + dx),
        height: to_px(max_y.ceil() + dy),
    }
}

fn outline(faces: &Faces, g: &Placed, px: f32) -> Option<ab_glyph::OutlinedGlyph> {
    let face = faces.face(g.pick.face);
    let glyph: Glyph = g
        .pick
        .id
        .with_scale_and_position(faces.scale(g.pick.face, px), point(g.x, g.baseline));
    face.outline_glyph(glyph)
}

fn to_px(v: f32) -> u32 {
    if v.is_finite() && v >= 1.0 {
        v.min(u32::MAX as f32) as u32
    } else {
        1
    }
}

/// The drop shadow's offset (right and down) for a font size.
pub(crate) fn shadow_offset(size: u32) -> u32 {
    (size / 20).max(1)
}

/// Draws `t` as an RGBA mark: the text in its colour over its shadow, on transparency,
/// rotated. Refused with `ImageTooLarge` when the mark would exceed the output limits.
pub(crate) fn render(t: &Text, limits: &Limits) -> Result<RgbaImage, ImageError> {
    let faces = Faces::bundled()?;
    let line = layout(faces, &t.text, t.size);
    let d = if t.shadow > 0 {
        shadow_offset(t.size)
    } else {
        0
    };
    let (w, h) = (line.width.saturating_add(d), line.height.saturating_add(d));
    limits.check_output(u64::from(w), u64::from(h))?;
    let cov = coverage(faces, &line, t.size, w, h);
    let at = |x: u32, y: u32| -> f32 {
        let i = y as usize * w as usize + x as usize;
        cov.get(i).map_or(0.0, |&c| f32::from(c) / 255.0)
    };
    let shadow = t.shadow as f32 / 100.0;
    let [r, g, b] = t.color;
    let mark = RgbaImage::from_fn(w, h, |x, y| {
        let a_text = at(x, y);
        let a_shadow = if d > 0 && x >= d && y >= d {
            at(x - d, y - d) * shadow
        } else {
            0.0
        };
        let a = a_text + a_shadow * (1.0 - a_text);
        if a <= 0.0 {
            return Rgba([0, 0, 0, 0]);
        }
        // The shadow is black: only the text contributes colour.
        let k = a_text / a;
        let ch = |v: u8| (f32::from(v) * k).round() as u8;
        Rgba([ch(r), ch(g), ch(b), (a * 255.0).round() as u8])
    });
    crate::rotate::rotate_mark(&mark, t.rotate, limits)
}

/// The glyphs' coverage on a `w`×`h` canvas, 0–255 per pixel.
fn coverage(faces: &Faces, line: &Layout, size: u32, w: u32, h: u32) -> Vec<u8> {
    let mut cov = vec![0u8; w as usize * h as usize];
    for g in &line.glyphs {
        let Some(o) = outline(faces, g, size as f32) else {
            continue;
        };
        let b = o.px_bounds();
        let (ox, oy) = (b.min.x.max(0.0) as u32, b.min.y.max(0.0) as u32);
        o.draw(|x, y, c| {
            let (x, y) = (ox.saturating_add(x), oy.saturating_add(y));
            if x >= w || y >= h {
                return;
            }
            let i = y as usize * w as usize + x as usize;
            if let Some(px) = cov.get_mut(i) {
                let add = (c.clamp(0.0, 1.0) * 255.0).round() as u8;
                *px = px.saturating_add(add);
            }
        });
    }
    cov
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    fn parsed(raw: &[&str]) -> Result<Text, ImageError> {
        let p = Params::new("watermark", raw, crate::watermark::PARAMS)?;
        let encoded = p.get("text").unwrap_or_default();
        parse(&p, encoded)
    }

    #[test]
    fn defaults() {
        let t = parsed(&[&format!("text_{}", b64("Hello"))]).unwrap();
        assert_eq!(
            t,
            Text {
                text: "Hello".into(),
                font: "wqy-zenhei".into(),
                color: [0, 0, 0],
                size: 40,
                shadow: 0,
                rotate: 0,
            }
        );
    }

    #[test]
    fn all_parameters() {
        let text = format!("text_{}", b64("水印 test"));
        let font = format!("type_{}", b64("fangzhengheiti"));
        let t = parsed(&[
            &text,
            &font,
            "color_FF8000",
            "size_100",
            "shadow_50",
            "rotate_30",
        ])
        .unwrap();
        assert_eq!(t.text, "水印 test");
        assert_eq!(t.font, "fangzhengheiti");
        assert_eq!(t.color, [255, 128, 0]);
        assert_eq!((t.size, t.shadow, t.rotate), (100, 50, 30));
        // The documented value for the default font (docs/protocol/image-processing.md#watermarks),
        // with and without padding.
        let t = parsed(&[&text, "type_d3F5LXplbmhlaQ"]).unwrap();
        assert_eq!(t.font, "wqy-zenhei");
        assert!(parsed(&[&text, "type_d3F5LXplbmhlaQ=="]).is_ok());
        // The standard alphabet, as ali-oss sends it: "hello 图片服务！".
        let t = parsed(&["text_aGVsbG8g5Zu+54mH5pyN5Yqh77yB", "color_ff6a00"]).unwrap();
        assert_eq!(t.text, "hello 图片服务！");
    }

    #[test]
    fn bad_values_name_the_parameter() {
        let text = format!("text_{}", b64("x"));
        let cases: &[(&[&str], &str)] = &[
            (&["text_%%%"], "'text'"),
            (&["text_"], "'text'"),
            (&[&format!("text_{}", b64(&"a".repeat(65)))], "'text'"),
            (
                &[&format!("text_{}", URL_SAFE_NO_PAD.encode([0xff, 0xfe]))],
                "'text'",
            ),
            (&[&text, &format!("type_{}", b64("arial"))], "'type'"),
            (&[&text, "type_!!"], "'type'"),
            (&[&text, "size_0"], "'size'"),
            (&[&text, "size_1001"], "'size'"),
            (&[&text, "color_12345"], "'color'"),
            (&[&text, "color_GGGGGG"], "'color'"),
            (&[&text, "shadow_101"], "'shadow'"),
            (&[&text, "rotate_361"], "'rotate'"),
            (&[&text, "rotate_-1"], "'rotate'"),
        ];
        for (raw, needle) in cases {
            let err = parsed(raw).unwrap_err();
            assert_eq!(err.name(), "InvalidArgument", "{raw:?}");
            assert!(err.to_string().contains(needle), "{raw:?}: {err}");
        }
        // 64 characters of CJK (192 bytes) are fine.
        assert!(parsed(&[&format!("text_{}", b64(&"字".repeat(64)))]).is_ok());
    }

    #[test]
    fn layout_grows_with_text_and_size() {
        let faces = Faces::bundled().unwrap();
        let a = layout(faces, "Hi", 40);
        let b = layout(faces, "Hi there", 40);
        let c = layout(faces, "Hi", 80);
        assert_eq!(a.glyphs.len(), 2);
        assert!(b.width > a.width);
        assert!(c.width > a.width * 3 / 2 && c.height > a.height * 3 / 2);
        // About one em tall (ascent + descent of DejaVu Sans is 1.16 em).
        assert!((40..=56).contains(&a.height), "{}", a.height);
        // Glyphs left to right, on one baseline, inside the canvas.
        assert!(b.glyphs.windows(2).all(|w| w[0].x < w[1].x));
        assert!(b.glyphs.iter().all(|g| g.baseline == b.glyphs[0].baseline));
        assert!(b.glyphs.iter().all(|g| g.x >= 0.0 && g.x < b.width as f32));
        // Control characters are not drawn.
        assert_eq!(layout(faces, "a\nb", 40).glyphs.len(), 2);
    }

    #[test]
    fn cjk_glyphs_are_about_one_em_wide() {
        let faces = Faces::bundled().unwrap();
        let l = layout(faces, "水印水印", 50);
        assert!(l.glyphs.iter().all(|g| g.pick.face == 1));
        assert!((195..=215).contains(&l.width), "{}", l.width);
    }

    #[test]
    fn render_draws_the_colour_on_transparency() {
        let t = parsed(&[&format!("text_{}", b64("MW")), "color_FF0000", "size_60"]).unwrap();
        let mark = render(&t, &Limits::default()).unwrap();
        let solid = mark.pixels().filter(|p| p.0[3] == 255).count();
        let clear = mark.pixels().filter(|p| p.0[3] == 0).count();
        assert!(solid > 200, "{solid}");
        assert!(clear > 200, "{clear}");
        assert!(
            mark.pixels()
                .filter(|p| p.0[3] == 255)
                .all(|p| p.0[..3] == [255, 0, 0])
        );
    }

    #[test]
    fn shadow_adds_dark_pixels_and_rotation_turns_the_mark() {
        let text = format!("text_{}", b64("WWWW"));
        let flat = render(
            &parsed(&[&text, "color_FFFFFF"]).unwrap(),
            &Limits::default(),
        )
        .unwrap();
        let shaded = render(
            &parsed(&[&text, "color_FFFFFF", "shadow_100"]).unwrap(),
            &Limits::default(),
        )
        .unwrap();
        let d = shadow_offset(DEFAULT_SIZE);
        assert_eq!(shaded.dimensions(), (flat.width() + d, flat.height() + d));
        let dark = |m: &RgbaImage| m.pixels().filter(|p| p.0[3] > 200 && p.0[0] < 60).count();
        assert_eq!(dark(&flat), 0);
        assert!(dark(&shaded) > 20);
        let turned = render(&parsed(&[&text, "rotate_90"]).unwrap(), &Limits::default()).unwrap();
        assert_eq!(turned.dimensions(), (flat.height(), flat.width()));
    }

    #[test]
    fn oversized_marks_are_refused_before_drawing() {
        let t = parsed(&[&format!("text_{}", b64(&"W".repeat(64))), "size_1000"]).unwrap();
        let err = render(&t, &Limits::default()).unwrap_err();
        assert_eq!(err.name(), "TooLarge");
    }
}
