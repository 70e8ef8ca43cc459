//! `rotate`: clockwise by any whole degree; right angles are exact, other angles enlarge the
//! canvas to the rotated bounding box (nearest-neighbour sampling, white or transparent fill).

use image::{DynamicImage, GenericImageView, Rgba, RgbaImage};

use crate::error::ImageError;
use crate::limits::Limits;

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
