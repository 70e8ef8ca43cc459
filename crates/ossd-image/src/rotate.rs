//! `rotate`: clockwise by any whole degree; right angles are exact, other angles enlarge the
//! canvas to the rotated bounding box (nearest-neighbour sampling, white or transparent fill).
//! Watermark marks turn the same way with bilinear sampling on transparency
//! ([`rotate_mark`]), so text edges stay smooth.

use image::{DynamicImage, GenericImageView, Rgba, RgbaImage, imageops};

use crate::error::ImageError;
use crate::limits::Limits;

/// The size of a `w`×`h` image turned clockwise by `deg`: the rotated bounding box (the size
/// itself at right angles).
pub(crate) fn rotated_size(w: u32, h: u32, deg: u32) -> (u64, u64) {
    match deg % 360 {
        0 | 180 => return (u64::from(w), u64::from(h)),
        90 | 270 => return (u64::from(h), u64::from(w)),
        _ => {}
    }
    let (sin, cos) = f64::from(deg % 360).to_radians().sin_cos();
    let (fw, fh) = (f64::from(w), f64::from(h));
    let nw = (fw * cos.abs() + fh * sin.abs()).ceil().max(1.0);
    let nh = (fw * sin.abs() + fh * cos.abs()).ceil().max(1.0);
    (nw as u64, nh as u64)
}

/// Rotates `img` clockwise by `deg` (0–360).
pub(crate) fn rotate(
    img: &DynamicImage,
    deg: u32,
    limits: &Limits,
) -> Result<DynamicImage, ImageError> {
    let deg = deg % 360;
    if deg == 0 {
        return Ok(img.clone());
    }
    let (w, h) = img.dimensions();
    if w.max(h) > limits.max_rotate_side {
        return Err(ImageError::TooLarge(format!(
            "rotate needs a source of at most {0}x{0} px.",
            limits.max_rotate_side
        )));
    }
    match deg {
        90 => return Ok(img.rotate90()),
        180 => return Ok(img.rotate180()),
        270 => return Ok(img.rotate270()),
        _ => {}
    }
    let (sin, cos) = f64::from(deg).to_radians().sin_cos();
    let (fw, fh) = (f64::from(w), f64::from(h));
    let nw = (fw * cos.abs() + fh * sin.abs()).ceil();
    let nh = (fw * sin.abs() + fh * cos.abs()).ceil();
    limits.check_output(nw as u64, nh as u64)?;
    let alpha = img.color().has_alpha();
    let bg = Rgba([255, 255, 255, if alpha { 0 } else { 255 }]);
    let src = img.to_rgba8();
    let out = RgbaImage::from_fn(nw as u32, nh as u32, |x, y| {
        let dx = f64::from(x) + 0.5 - nw / 2.0;
        let dy = f64::from(y) + 0.5 - nh / 2.0;
        let sx = dx * cos + dy * sin + fw / 2.0;
        let sy = -dx * sin + dy * cos + fh / 2.0;
        if sx < 0.0 || sy < 0.0 || sx >= fw || sy >= fh {
            bg
        } else {
            *src.get_pixel(sx as u32, sy as u32)
        }
    });
    let out = DynamicImage::ImageRgba8(out);
    Ok(if alpha {
        out
    } else {
        DynamicImage::ImageRgb8(out.to_rgb8())
    })
}

/// Rotates a watermark mark clockwise by `deg` (0–360) onto a transparent canvas enlarged to
/// the rotated bounding box, sampling bilinearly on premultiplied alpha.
pub(crate) fn rotate_mark(
    src: &RgbaImage,
    deg: u32,
    limits: &Limits,
) -> Result<RgbaImage, ImageError> {
    match deg % 360 {
        0 => return Ok(src.clone()),
        90 => return Ok(imageops::rotate90(src)),
        180 => return Ok(imageops::rotate180(src)),
        270 => return Ok(imageops::rotate270(src)),
        _ => {}
    }
    let (w, h) = src.dimensions();
    let (sin, cos) = f64::from(deg % 360).to_radians().sin_cos();
    let (fw, fh) = (f64::from(w), f64::from(h));
    let nw = (fw * cos.abs() + fh * sin.abs()).ceil().max(1.0);
    let nh = (fw * sin.abs() + fh * cos.abs()).ceil().max(1.0);
    limits.check_output(nw as u64, nh as u64)?;
    // Premultiplied texel, transparent outside the source.
    let texel = |x: i64, y: i64| -> [f64; 4] {
        match (u32::try_from(x), u32::try_from(y)) {
            (Ok(x), Ok(y)) if x < w && y < h => {
                let p = src.get_pixel(x, y).0;
                let a = f64::from(p[3]) / 255.0;
                [
                    f64::from(p[0]) * a,
                    f64::from(p[1]) * a,
                    f64::from(p[2]) * a,
                    f64::from(p[3]),
                ]
            }
            _ => [0.0; 4],
        }
    };
    Ok(RgbaImage::from_fn(nw as u32, nh as u32, |x, y| {
        let dx = f64::from(x) + 0.5 - nw / 2.0;
        let dy = f64::from(y) + 0.5 - nh / 2.0;
        let sx = dx * cos + dy * sin + fw / 2.0 - 0.5;
        let sy = -dx * sin + dy * cos + fh / 2.0 - 0.5;
        let (x0, y0) = (sx.floor(), sy.floor());
        let (tx, ty) = (sx - x0, sy - y0);
        let (x0, y0) = (x0 as i64, y0 as i64);
        let mut acc = [0.0; 4];
        for (ox, oy, wgt) in [
            (0, 0, (1.0 - tx) * (1.0 - ty)),
            (1, 0, tx * (1.0 - ty)),
            (0, 1, (1.0 - tx) * ty),
            (1, 1, tx * ty),
        ] {
            let t = texel(x0 + ox, y0 + oy);
            for (a, v) in acc.iter_mut().zip(t) {
                *a += v * wgt;
            }
        }
        let alpha = acc[3];
        if alpha < 0.5 {
            return Rgba([0, 0, 0, 0]);
        }
        let k = 255.0 / alpha;
        let ch = |v: f64| (v * k).round().clamp(0.0, 255.0) as u8;
        Rgba([
            ch(acc[0]),
            ch(acc[1]),
            ch(acc[2]),
            alpha.round().min(255.0) as u8,
        ])
    }))
}
