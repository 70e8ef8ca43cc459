//! `watermark` (docs/protocol/image-processing.md#watermarks): an image mark taken from another object
//! of the same bucket, a text mark drawn with the bundled fonts, or both side by side; placed in a
//! cell of a 3×3 grid with margins (or tiled over the whole image with `fill_1`), optionally
//! translucent.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use image::{DynamicImage, GenericImageView, Pixel, RgbaImage, imageops};

use crate::error::ImageError;
use crate::limits::Limits;
use crate::params::Params;
use crate::plan::{Gravity, Plan};
use crate::text::Text;

/// The parameters `watermark` accepts.
pub(crate) const PARAMS: &[&str] = &[
    "image", "P", "t", "g", "x", "y", "voffset", "text", "type", "size", "color", "shadow",
    "rotate", "fill", "order", "align", "interval",
];
/// The most watermarks one request may have.
pub const MAX_WATERMARKS: usize = 3;

/// One watermark: an image, a text, or both.
#[derive(Debug, Clone, PartialEq)]
pub struct Watermark {
    /// `image_...`: the image part.
    pub image: Option<ImageMark>,
    /// `text_...`: the text part.
    pub text: Option<Text>,
    /// `t`: opacity, 0–100.
    pub opacity: u32,
    /// `g`: the anchor cell (default south-east).
    pub gravity: Gravity,
    /// `x`: horizontal margin (with `fill`, the horizontal gap between tiles).
    pub x: u32,
    /// `y`: vertical margin (with `fill`, the vertical gap between tiles).
    pub y: u32,
    /// `voffset`: vertical shift (upwards) for the middle row.
    pub voffset: i32,
    /// `fill_1`: tile the mark over the whole image, starting from its anchored position.
    pub fill: bool,
    /// `order_1`: text before image in a combined mark (default: image first).
    pub text_first: bool,
    /// `align`: vertical alignment of image and text in a combined mark: 0 top, 1 middle,
    /// 2 bottom (default).
    pub align: u8,
    /// `interval`: the gap between image and text in a combined mark, px.
    pub interval: u32,
}

/// The image part of a watermark.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageMark {
    /// The key of the watermark object, in the same bucket.
    pub key: String,
    /// The pipeline applied to the mark first (`key?x-oss-process=image/...`).
    pub process: Option<Box<Plan>>,
    /// `P` (or `resize,P_<n>` in the nested pipeline): the mark scaled to fit this
    /// percentage of the main image (1–100).
    pub percent: Option<u32>,
}

/// The watermark bytes the caller fetched: `(key, bytes)` pairs.
pub type Marks = [(String, Vec<u8>)];

/// Parses the parameters of one `watermark` action.
pub(crate) fn parse(p: &Params<'_>, gravity: Gravity) -> Result<Watermark, ImageError> {
    let image = p.get("image").map(|v| image_mark(p, v)).transpose()?;
    let text = p
        .get("text")
        .map(|v| crate::text::parse(p, v))
        .transpose()?;
    if image.is_none() && text.is_none() {
        return Err(ImageError::MissingArgument(
            "'watermark' needs 'image' or 'text'.".into(),
        ));
    }
    let voffset = match p.get("voffset") {
        None => 0,
        Some(v) => v
            .parse::<i32>()
            .ok()
            .filter(|n| (-1000..=1000).contains(n))
            .ok_or_else(|| ImageError::bad_value("watermark", "voffset", v, "-1000..1000"))?,
    };
    Ok(Watermark {
        image,
        text,
        opacity: p.uint("t", 0, 100)?.unwrap_or(100),
        gravity,
        x: p.uint("x", 0, 4096)?.unwrap_or(10),
        y: p.uint("y", 0, 4096)?.unwrap_or(10),
        voffset,
        fill: p.flag("fill")?.unwrap_or(false),
        text_first: p.flag("order")?.unwrap_or(false),
        align: p.uint("align", 0, 2)?.map_or(2, |a| a as u8),
        interval: p.uint("interval", 0, 1000)?.unwrap_or(0),
    })
}

/// The image part from `image_<b64 of "key" or "key?x-oss-process=image/...">`.
fn image_mark(p: &Params<'_>, encoded: &str) -> Result<ImageMark, ImageError> {
    let bad = || ImageError::bad_value("watermark", "image", encoded, "URL-safe Base64 of a key");
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .map_err(|_| bad())?;
    let decoded = String::from_utf8(bytes).map_err(|_| bad())?;
    let mut percent = p.uint("P", 1, 100)?;
    let (key, process) = match decoded.split_once('?') {
        Some((k, q)) => {
            let v = q.strip_prefix("x-oss-process=").ok_or_else(bad)?;
            let (nested, nested_percent) = nested_plan(v)?;
            if nested
                .as_ref()
                .is_some_and(|n| n.ops.iter().any(|o| matches!(o, crate::Op::Watermark(_))))
            {
                return Err(bad());
            }
            percent = nested_percent.or(percent);
            (k.to_owned(), nested.map(Box::new))
        }
        None => (decoded, None),
    };
    if key.is_empty() {
        return Err(bad());
    }
    Ok(ImageMark {
        key,
        process,
        percent,
    })
}

/// The pipeline of a watermark object, with OSS's `resize,P_<n>` (a percentage of the main
/// image, which only a watermark has) taken out: `(the rest, if any; the percentage)`.
fn nested_plan(process: &str) -> Result<(Option<Plan>, Option<u32>), ImageError> {
    let body = process.strip_prefix("image/").ok_or_else(|| {
        ImageError::InvalidArgument("A watermark's process must start with 'image/'.".into())
    })?;
    let mut percent = None;
    let mut kept: Vec<String> = Vec::new();
    for action in body.split('/').filter(|a| !a.is_empty()) {
        let mut parts = action.split(',');
        if parts.next() == Some("resize") {
            let (ps, rest): (Vec<&str>, Vec<&str>) = parts.partition(|p| p.starts_with("P_"));
            if !ps.is_empty() {
                percent = Params::new("resize", &ps, &["P"])?.uint("P", 1, 100)?;
                if !rest.is_empty() {
                    kept.push(format!("resize,{}", rest.join(",")));
                }
                continue;
            }
        }
        kept.push(action.to_owned());
    }
    let plan = if kept.is_empty() {
        None
    } else {
        Some(crate::parse(&format!("image/{}", kept.join("/")))?)
    };
    Ok((plan, percent))
}

/// Draws `wm` (whose image bytes, if any, are in `marks`) onto `img`.
pub(crate) fn apply(
    img: DynamicImage,
    wm: &Watermark,
    marks: &Marks,
    limits: &Limits,
) -> Result<DynamicImage, ImageError> {
    let main = img.dimensions();
    let image = wm
        .image
        .as_ref()
        .map(|m| image_part(m, main, marks, limits))
        .transpose()?;
    let text = wm
        .text
        .as_ref()
        .map(|t| crate::text::render(t, limits))
        .transpose()?;
    let mut mark = match (image, text) {
        (Some(i), Some(t)) if wm.text_first => side_by_side(&t, &i, wm, limits)?,
        (Some(i), Some(t)) => side_by_side(&i, &t, wm, limits)?,
        (Some(m), None) | (None, Some(m)) => m,
        (None, None) => return Ok(img),
    };
    if wm.opacity < 100 {
        for px in mark.pixels_mut() {
            px.0[3] = u8::try_from(u32::from(px.0[3]) * wm.opacity / 100).unwrap_or(255);
        }
    }
    let origin = position(main, mark.dimensions(), wm);
    let had_alpha = img.color().has_alpha();
    let mut base = img.into_rgba8();
    let step = wm.fill.then(|| {
        (
            mark.width().saturating_add(wm.x),
            mark.height().saturating_add(wm.y),
        )
    });
    blend(&mut base, &mark, origin, step);
    let out = DynamicImage::ImageRgba8(base);
    Ok(if had_alpha {
        out
    } else {
        DynamicImage::ImageRgb8(out.into_rgb8())
    })
}

/// The image part: decoded, its own pipeline applied, scaled to `P` percent of `main`.
fn image_part(
    m: &ImageMark,
    main: (u32, u32),
    marks: &Marks,
    limits: &Limits,
) -> Result<RgbaImage, ImageError> {
    let data = marks
        .iter()
        .find(|(k, _)| *k == m.key)
        .map(|(_, d)| d)
        .ok_or_else(|| ImageError::Watermark("The watermark image was not loaded.".into()))?;
    let probe = limits.probe(data).map_err(|_| damaged())?;
    let (mut mark, _) = crate::exec::decode(data, &probe, limits).map_err(|_| damaged())?;
    if let Some(plan) = &m.process {
        for op in &plan.ops {
            mark = crate::exec::apply(
                mark,
                op,
                image::metadata::Orientation::NoTransforms,
                &[],
                limits,
            )?;
        }
    }
    if let Some(p) = m.percent {
        let scale = |side: u32| {
            let v = (u64::from(side) * u64::from(p) / 100).max(1);
            u32::try_from(v).unwrap_or(1)
        };
        // Fits inside the box, keeping the mark's aspect ratio.
        mark = mark.resize(scale(main.0), scale(main.1), imageops::FilterType::Triangle);
    }
    Ok(mark.into_rgba8())
}

/// `first` and `second` on one transparent canvas, `interval` apart, aligned by `align`.
fn side_by_side(
    first: &RgbaImage,
    second: &RgbaImage,
    wm: &Watermark,
    limits: &Limits,
) -> Result<RgbaImage, ImageError> {
    let w = u64::from(first.width()) + u64::from(wm.interval) + u64::from(second.width());
    let h = first.height().max(second.height());
    limits.check_output(w, u64::from(h))?;
    let mut canvas = RgbaImage::new(u32::try_from(w).unwrap_or(u32::MAX), h);
    let top = |part: &RgbaImage| -> i64 {
        let free = i64::from(h - part.height());
        match wm.align {
            0 => 0,
            1 => free / 2,
            _ => free,
        }
    };
    imageops::overlay(&mut canvas, first, 0, top(first));
    let x2 = i64::from(first.width()) + i64::from(wm.interval);
    imageops::overlay(&mut canvas, second, x2, top(second));
    Ok(canvas)
}

/// Composites `mark` over `base` with its top-left corner at `origin`; with `step`, also
/// every `step` px from there in both directions (tiling).
fn blend(base: &mut RgbaImage, mark: &RgbaImage, origin: (i64, i64), step: Option<(u32, u32)>) {
    let (bw, bh) = base.dimensions();
    let (mw, mh) = (i64::from(mark.width()), i64::from(mark.height()));
    let (sx, sy) = step.map_or((i64::MAX, i64::MAX), |(x, y)| {
        (i64::from(x.max(1)), i64::from(y.max(1)))
    });
    // The mark coordinate of base coordinate `v`, if inside a copy of the mark.
    let local = |v: u32, o: i64, len: i64, step: i64| -> Option<u32> {
        let d = i64::from(v) - o;
        let m = if step == i64::MAX {
            d
        } else {
            d.rem_euclid(step)
        };
        (0..len)
            .contains(&m)
            .then(|| u32::try_from(m).ok())
            .flatten()
    };
    let (y0, y1, x0, x1) = if step.is_some() {
        (0, bh, 0, bw)
    } else {
        let clip = |o: i64, len: i64, max: u32| {
            let lo = o.clamp(0, i64::from(max));
            let hi = (o + len).clamp(0, i64::from(max));
            (
                u32::try_from(lo).unwrap_or(0),
                u32::try_from(hi).unwrap_or(0),
            )
        };
        let (y0, y1) = clip(origin.1, mh, bh);
        let (x0, x1) = clip(origin.0, mw, bw);
        (y0, y1, x0, x1)
    };
    for y in y0..y1 {
        let Some(my) = local(y, origin.1, mh, sy) else {
            continue;
        };
        for x in x0..x1 {
            let Some(mx) = local(x, origin.0, mw, sx) else {
                continue;
            };
            let src = *mark.get_pixel(mx, my);
            if src.0[3] != 0 {
                base.get_pixel_mut(x, y).blend(&src);
            }
        }
    }
}

/// The top-left corner of a `mark`-sized watermark on a `main`-sized image.
fn position(main: (u32, u32), mark: (u32, u32), wm: &Watermark) -> (i64, i64) {
    let place = |size: u32, len: u32, margin: u32, cell: u8| -> i64 {
        let (size, len, margin) = (i64::from(size), i64::from(len), i64::from(margin));
        match cell {
            0 => margin,
            1 => (size - len) / 2,
            _ => size - len - margin,
        }
    };
    let x = place(main.0, mark.0, wm.x, wm.gravity.col);
    let mut y = place(main.1, mark.1, wm.y, wm.gravity.row);
    if wm.gravity.row == 1 {
        y -= i64::from(wm.voffset);
    }
    (x, y)
}

fn damaged() -> ImageError {
    ImageError::Watermark("The watermark image may be damaged.".into())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use image::Rgba;

    fn wm(raw: &[&str]) -> Result<Watermark, ImageError> {
        let p = Params::new("watermark", raw, PARAMS)?;
        parse(&p, Gravity { col: 2, row: 2 })
    }

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn text_only_and_combined_parameters() {
        let text = format!("text_{}", b64("hi"));
        let w = wm(&[&text]).unwrap();
        assert!(w.image.is_none());
        assert_eq!(w.text.as_ref().map(|t| t.text.as_str()), Some("hi"));
        assert!(!w.fill && !w.text_first);
        assert_eq!((w.align, w.interval, w.opacity), (2, 0, 100));
        let image = format!("image_{}", b64("logo.png"));
        let w = wm(&[&image, &text, "order_1", "align_1", "interval_8", "fill_1"]).unwrap();
        assert_eq!(w.image.as_ref().map(|i| i.key.as_str()), Some("logo.png"));
        assert!(w.fill && w.text_first);
        assert_eq!((w.align, w.interval), (1, 8));
        for bad in ["order_2", "align_3", "interval_1001", "fill_2"] {
            let err = wm(&[&text, bad]).unwrap_err();
            assert_eq!(err.name(), "InvalidArgument", "{bad}");
        }
    }

    #[test]
    fn nested_percent_is_taken_out_of_the_pipeline() {
        let only = format!("image_{}", b64("m.png?x-oss-process=image/resize,P_20"));
        let m = wm(&[&only]).unwrap().image.unwrap();
        assert_eq!(
            (m.key.as_str(), m.percent, m.process),
            ("m.png", Some(20), None)
        );
        let mixed = b64("m.png?x-oss-process=image/resize,P_30,w_50/rotate,90");
        let m = wm(&[&format!("image_{mixed}")]).unwrap().image.unwrap();
        assert_eq!(m.percent, Some(30));
        assert_eq!(m.process.map(|p| p.ops.len()), Some(2));
        let bad = b64("m.png?x-oss-process=image/resize,P_0");
        let err = wm(&[&format!("image_{bad}")]).unwrap_err();
        assert!(err.to_string().contains("'P'"), "{err}");
    }

    #[test]
    fn blend_tiles_from_the_anchor_in_both_directions() {
        let mut base = RgbaImage::from_pixel(10, 10, Rgba([0, 0, 0, 255]));
        let mark = RgbaImage::from_pixel(2, 2, Rgba([255, 255, 255, 255]));
        blend(&mut base, &mark, (3, 3), Some((4, 4)));
        let white = |x, y| base.get_pixel(x, y).0[0] == 255;
        for (x, y) in [(3, 3), (4, 4), (7, 7), (0, 0), (0, 3), (8, 4)] {
            assert!(white(x, y), "({x},{y})");
        }
        for (x, y) in [(2, 2), (5, 5), (6, 3), (3, 6), (9, 9)] {
            assert!(!white(x, y), "({x},{y})");
        }
    }

    #[test]
    fn blend_clips_a_mark_outside_the_image() {
        let mut base = RgbaImage::from_pixel(4, 4, Rgba([0, 0, 0, 255]));
        let mark = RgbaImage::from_pixel(3, 3, Rgba([255, 0, 0, 255]));
        blend(&mut base, &mark, (-2, 3), None);
        assert_eq!(base.get_pixel(0, 3).0, [255, 0, 0, 255]);
        assert_eq!(base.get_pixel(1, 3).0, [0, 0, 0, 255]);
        blend(&mut base, &mark, (i64::MIN / 2, i64::MAX / 2), None);
        assert_eq!(base.get_pixel(1, 1).0, [0, 0, 0, 255]);
    }
}
