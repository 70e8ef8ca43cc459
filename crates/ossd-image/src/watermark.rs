//! `watermark` (spec 19.2): image watermarks taken from another object of the same bucket,
//! placed in a cell of a 3×3 grid with margins, optionally scaled to a percentage of the main
//! image and made translucent. Text watermarks need a bundled font and are not implemented.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use image::{DynamicImage, GenericImageView, imageops};

use crate::error::ImageError;
use crate::limits::Limits;
use crate::params::Params;
use crate::plan::{Gravity, Plan};

/// The parameters `watermark` accepts (text ones are recognised to report NotImplemented).
pub(crate) const PARAMS: &[&str] = &[
    "image", "P", "t", "g", "x", "y", "voffset", "text", "type", "size", "color", "shadow",
    "rotate", "fill", "order", "align", "interval",
];
/// The most image watermarks one request may have.
pub const MAX_WATERMARKS: usize = 3;

/// One image watermark.
#[derive(Debug, Clone, PartialEq)]
pub struct Watermark {
    /// The key of the watermark object, in the same bucket.
    pub key: String,
    /// The pipeline applied to the watermark first (`key?x-oss-process=image/...`).
    pub process: Option<Box<Plan>>,
    /// `P`: the watermark scaled to this percentage of the main image (1–100).
    pub percent: Option<u32>,
    /// `t`: opacity, 0–100.
    pub opacity: u32,
    /// `g`: the anchor cell (default south-east).
    pub gravity: Gravity,
    /// `x`: horizontal margin.
    pub x: u32,
    /// `y`: vertical margin.
    pub y: u32,
    /// `voffset`: vertical shift (upwards) for the middle row.
    pub voffset: i32,
}

/// The watermark bytes the caller fetched: `(key, bytes)` pairs.
pub type Marks = [(String, Vec<u8>)];

/// Parses the parameters of one `watermark` action.
pub(crate) fn parse(p: &Params<'_>, gravity: Gravity) -> Result<Watermark, ImageError> {
    if p.get("text").is_some() {
        return Err(ImageError::Unsupported(
            "Text watermarks are not implemented.".into(),
        ));
    }
    let encoded = p.get("image").ok_or_else(|| {
        ImageError::MissingArgument("'watermark' needs 'image' or 'text'.".into())
    })?;
    let bad = || ImageError::bad_value("watermark", "image", encoded, "URL-safe Base64 of a key");
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .map_err(|_| bad())?;
    let decoded = String::from_utf8(bytes).map_err(|_| bad())?;
    let (key, process) = match decoded.split_once('?') {
        Some((k, q)) => {
            let Some(v) = q.strip_prefix("x-oss-process=") else {
                return Err(bad());
            };
            let nested = crate::parse(v)?;
            if nested
                .ops
                .iter()
                .any(|o| matches!(o, crate::Op::Watermark(_)))
            {
                return Err(bad());
            }
            (k.to_owned(), Some(Box::new(nested)))
        }
        None => (decoded, None),
    };
    if key.is_empty() {
        return Err(bad());
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
        key,
        process,
        percent: p.uint("P", 1, 100)?,
        opacity: p.uint("t", 0, 100)?.unwrap_or(100),
        gravity,
        x: p.uint("x", 0, 4096)?.unwrap_or(10),
        y: p.uint("y", 0, 4096)?.unwrap_or(10),
        voffset,
    })
}

/// Draws `wm` (whose bytes are in `marks`) onto `img`.
pub(crate) fn apply(
    img: DynamicImage,
    wm: &Watermark,
    marks: &Marks,
    limits: &Limits,
) -> Result<DynamicImage, ImageError> {
    let data = marks
        .iter()
        .find(|(k, _)| *k == wm.key)
        .map(|(_, d)| d)
        .ok_or_else(|| ImageError::Watermark("The watermark image was not loaded.".into()))?;
    let probe = limits.probe(data).map_err(|_| damaged())?;
    let (mut mark, _) = crate::exec::decode(data, &probe, limits).map_err(|_| damaged())?;
    if let Some(plan) = &wm.process {
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
    let (w, h) = img.dimensions();
    if let Some(p) = wm.percent {
        let tw = (u64::from(w) * u64::from(p) / 100).max(1);
        let th = (u64::from(h) * u64::from(p) / 100).max(1);
        let (tw, th) = (
            u32::try_from(tw).unwrap_or(1),
            u32::try_from(th).unwrap_or(1),
        );
        mark = mark.resize(tw, th, imageops::FilterType::Triangle);
    }
    let mut mark = mark.into_rgba8();
    if wm.opacity < 100 {
        for px in mark.pixels_mut() {
            px.0[3] = u8::try_from(u32::from(px.0[3]) * wm.opacity / 100).unwrap_or(255);
        }
    }
    let (x, y) = position((w, h), mark.dimensions(), wm);
    let had_alpha = img.color().has_alpha();
    let mut base = img.into_rgba8();
    imageops::overlay(&mut base, &mark, x, y);
    let out = DynamicImage::ImageRgba8(base);
    Ok(if had_alpha {
        out
    } else {
        DynamicImage::ImageRgb8(out.into_rgb8())
    })
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
