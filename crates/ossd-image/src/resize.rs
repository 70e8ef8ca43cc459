//! `resize`: the target size of each mode (docs/protocol/image-processing.md#actions), the
//! resampling (fast_image_resize, Lanczos3), and the fill crop / pad canvas.

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, Rgba, RgbaImage};

use crate::error::ImageError;
use crate::limits::Limits;
use crate::plan::{Mode, Resize};

/// What a resize does to a `sw`×`sh` image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Target {
    /// Size after resampling.
    pub scaled: (u32, u32),
    /// Final size: a centre crop (fill) or a centred canvas (pad) of the scaled image.
    pub canvas: (u32, u32),
}

/// The target of `r` on a `sw`×`sh` source, or `None` to leave the image unchanged (`limit_1`
/// and an enlarging target).
pub(crate) fn target(r: &Resize, sw: u32, sh: u32) -> Option<Target> {
    let (fw, fh) = (f64::from(sw), f64::from(sh));
    let scale_to = |s: f64| (dim(fw * s), dim(fh * s));
    if let Some(p) = r.p {
        let scaled = scale_to(f64::from(p) / 100.0);
        return unchanged_if_enlarged(r.limit, scaled, sw, sh);
    }
    let (bw, bh) = match (r.w, r.h) {
        (None, None) if sw >= sh => (r.l, r.s),
        (None, None) => (r.s, r.l),
        wh => wh,
    };
    let (bw, bh) = match (bw, bh) {
        (Some(w), Some(h)) => (w, h),
        (Some(w), None) => {
            return unchanged_if_enlarged(r.limit, scale_to(f64::from(w) / fw), sw, sh);
        }
        (None, Some(h)) => {
            return unchanged_if_enlarged(r.limit, scale_to(f64::from(h) / fh), sw, sh);
        }
        (None, None) => return None,
    };
    let (sx, sy) = (f64::from(bw) / fw, f64::from(bh) / fh);
    let t = match r.mode {
        Mode::Lfit => Target::plain(scale_to(sx.min(sy))),
        Mode::Mfit => Target::plain(scale_to(sx.max(sy))),
        Mode::Fill => Target {
            scaled: scale_to(sx.max(sy)),
            canvas: (bw, bh),
        },
        Mode::Pad => Target {
            scaled: scale_to(sx.min(sy)),
            canvas: (bw, bh),
        },
        Mode::Fixed => Target::plain((bw, bh)),
    };
    let enlarges = t.scaled.0 > sw || t.scaled.1 > sh;
    (!(r.limit && enlarges)).then_some(t)
}

impl Target {
    fn plain(scaled: (u32, u32)) -> Self {
        Self {
            scaled,
            canvas: scaled,
        }
    }
}

fn unchanged_if_enlarged(limit: bool, scaled: (u32, u32), sw: u32, sh: u32) -> Option<Target> {
    (!(limit && (scaled.0 > sw || scaled.1 > sh))).then_some(Target::plain(scaled))
}

/// A side length: rounded, at least 1, saturating.
fn dim(v: f64) -> u32 {
    let r = v.round();
    if r < 1.0 {
        1
    } else if r > f64::from(u32::MAX) {
        u32::MAX
    } else {
        r as u32
    }
}

/// Applies `r` to `img` (8-bit RGB or RGBA).
pub(crate) fn apply(
    img: DynamicImage,
    r: &Resize,
    limits: &Limits,
) -> Result<DynamicImage, ImageError> {
    let Some(t) = target(r, img.width(), img.height()) else {
        return Ok(img);
    };
    limits.check_output(u64::from(t.scaled.0), u64::from(t.scaled.1))?;
    limits.check_output(u64::from(t.canvas.0), u64::from(t.canvas.1))?;
    let scaled = resample(&img, t.scaled.0, t.scaled.1)?;
    if t.canvas == t.scaled {
        return Ok(scaled);
    }
    let (cw, ch) = t.canvas;
    if r.mode == Mode::Pad {
        return Ok(pad(&scaled, cw, ch, r.color));
    }
    let x = (t.scaled.0.saturating_sub(cw)) / 2;
    let y = (t.scaled.1.saturating_sub(ch)) / 2;
    Ok(scaled.crop_imm(x, y, cw.min(t.scaled.0), ch.min(t.scaled.1)))
}

/// Lanczos3 resampling to `w`×`h`.
pub(crate) fn resample(img: &DynamicImage, w: u32, h: u32) -> Result<DynamicImage, ImageError> {
    if (w, h) == (img.width(), img.height()) {
        return Ok(img.clone());
    }
    let mut dst = DynamicImage::new(w, h, img.color());
    let opts = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(img, &mut dst, &opts)
        .map_err(|e| ImageError::Internal(e.to_string()))?;
    Ok(dst)
}

/// `img` centred on a `w`×`h` canvas of `color`.
fn pad(img: &DynamicImage, w: u32, h: u32, color: [u8; 3]) -> DynamicImage {
    let [r, g, b] = color;
    let mut canvas = RgbaImage::from_pixel(w, h, Rgba([r, g, b, 255]));
    let x = i64::from(w.saturating_sub(img.width()) / 2);
    let y = i64::from(h.saturating_sub(img.height()) / 2);
    image::imageops::overlay(&mut canvas, &img.to_rgba8(), x, y);
    let out = DynamicImage::ImageRgba8(canvas);
    if img.color().has_alpha() {
        out
    } else {
        DynamicImage::ImageRgb8(out.to_rgb8())
    }
}
