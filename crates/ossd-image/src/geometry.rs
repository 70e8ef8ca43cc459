//! Cropping actions: `crop` (gravity + offset), `indexcrop`, `circle` and `rounded-corners`.

use image::{DynamicImage, GenericImageView, Rgba, RgbaImage};

use crate::error::ImageError;
use crate::plan::{Axis, Crop};

/// `crop`: the rectangle is placed in the gravity's cell of a 3×3 grid (west/centre/east,
/// north/centre/south), moved inwards by `x`/`y`; an oversize `w`/`h` is clamped to the edge.
pub(crate) fn crop(img: &DynamicImage, c: &Crop) -> Result<DynamicImage, ImageError> {
    let (sw, sh) = img.dimensions();
    if c.x >= sw || c.y >= sh {
        return Err(ImageError::BadRequest(
            "Advance cut's position is out of image.".into(),
        ));
    }
    let (x0, cw) = place(sw, c.x, c.w, c.gravity.col);
    let (y0, ch) = place(sh, c.y, c.h, c.gravity.row);
    Ok(img.crop_imm(x0, y0, cw, ch))
}

/// The size `crop` gives a `sw`×`sh` image (the whole image when the origin is outside it:
/// the crop then fails without allocating).
pub(crate) fn crop_size(sw: u32, sh: u32, c: &Crop) -> (u32, u32) {
    if c.x >= sw || c.y >= sh {
        return (sw, sh);
    }
    (
        place(sw, c.x, c.w, c.gravity.col).1,
        place(sh, c.y, c.h, c.gravity.row).1,
    )
}

/// The size `indexcrop` gives a `sw`×`sh` image.
pub(crate) fn index_crop_size(sw: u32, sh: u32, axis: Axis, len: u32, index: u32) -> (u32, u32) {
    let total = if axis == Axis::X { sw } else { sh };
    let start = u64::from(len) * u64::from(index);
    if start >= u64::from(total) {
        return (sw, sh);
    }
    let len = u64::from(len).min(u64::from(total) - start);
    let len = u32::try_from(len).unwrap_or(total);
    match axis {
        Axis::X => (len, sh),
        Axis::Y => (sw, len),
    }
}

/// The side of the square `circle,r_<r>` gives a `sw`×`sh` image.
pub(crate) fn circle_side(sw: u32, sh: u32, r: u32) -> u32 {
    let r = r.min(sw.min(sh) / 2).max(1);
    r.saturating_mul(2).min(sw.min(sh))
}

/// Start and length along one axis of `size`, for `offset < size`.
fn place(size: u32, offset: u32, len: Option<u32>, cell: u8) -> (u32, u32) {
    let avail = size - offset;
    let len = len.unwrap_or(avail).min(avail);
    let start = match cell {
        0 => offset,
        1 => ((size - len) / 2).saturating_add(offset).min(size - len),
        _ => avail - len,
    };
    (start, len)
}

/// `indexcrop`: slice `index` of `len`-px slices along `axis`; out of range keeps the image.
pub(crate) fn index_crop(img: &DynamicImage, axis: Axis, len: u32, index: u32) -> DynamicImage {
    let (sw, sh) = img.dimensions();
    let total = if axis == Axis::X { sw } else { sh };
    let start = u64::from(len) * u64::from(index);
    if start >= u64::from(total) {
        return img.clone();
    }
    let start = start as u32;
    let len = len.min(total - start);
    match axis {
        Axis::X => img.crop_imm(start, 0, len, sh),
        Axis::Y => img.crop_imm(0, start, sw, len),
    }
}

/// `circle`: the centred 2r×2r square, transparent outside the circle (r clamped to half the
/// shorter side).
pub(crate) fn circle(img: &DynamicImage, r: u32) -> DynamicImage {
    let (sw, sh) = img.dimensions();
    let side = circle_side(sw, sh, r);
    let sq = img.crop_imm((sw - side) / 2, (sh - side) / 2, side, side);
    let c = f64::from(side) / 2.0;
    mask(sq.to_rgba8(), |x, y| inside(x, y, c, c, c))
}

/// `rounded-corners`: corners outside radius `r` (clamped to half the shorter side) become
/// transparent.
pub(crate) fn rounded(img: &DynamicImage, r: u32) -> DynamicImage {
    let (w, h) = img.dimensions();
    let r = f64::from(r.min(w.min(h) / 2));
    let (fw, fh) = (f64::from(w), f64::from(h));
    mask(img.to_rgba8(), |x, y| {
        let cx = if x < r {
            r
        } else if x > fw - r {
            fw - r
        } else {
            return true;
        };
        let cy = if y < r {
            r
        } else if y > fh - r {
            fh - r
        } else {
            return true;
        };
        inside(x, y, cx, cy, r)
    })
}

fn inside(x: f64, y: f64, cx: f64, cy: f64, r: f64) -> bool {
    (x - cx).powi(2) + (y - cy).powi(2) <= r * r
}

/// Clears the alpha of every pixel whose centre fails `keep`.
fn mask(mut img: RgbaImage, keep: impl Fn(f64, f64) -> bool) -> DynamicImage {
    for (x, y, p) in img.enumerate_pixels_mut() {
        if !keep(f64::from(x) + 0.5, f64::from(y) + 0.5) {
            *p = Rgba([255, 255, 255, 0]);
        }
    }
    DynamicImage::ImageRgba8(img)
}
