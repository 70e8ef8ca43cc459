//! Encoding the result: format, quality, alpha flattening (JPG and BMP onto white).

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

use crate::error::ImageError;
use crate::plan::Format;

/// The JPG and WebP quality when the request gives none.
pub const DEFAULT_QUALITY: u8 = 85;
/// WebP cannot encode a side above this.
const WEBP_MAX_SIDE: u32 = 16383;

/// Encodes `img` as `format` at `quality` (JPG and WebP only).
pub(crate) fn encode(
    img: &DynamicImage,
    format: Format,
    quality: u8,
) -> Result<Vec<u8>, ImageError> {
    let img = if format.has_alpha() || !img.color().has_alpha() {
        img.clone()
    } else {
        DynamicImage::ImageRgb8(flatten(img))
    };
    let mut out = Cursor::new(Vec::new());
    let written = match format {
        Format::Jpg => {
            let enc = JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100));
            img.to_rgb8().write_with_encoder(enc)
        }
        Format::Webp => return webp(&img, quality),
        Format::Png => img.write_to(&mut out, ImageFormat::Png),
        Format::Bmp => img.write_to(&mut out, ImageFormat::Bmp),
        Format::Gif => img.write_to(&mut out, ImageFormat::Gif),
        Format::Tiff => img.write_to(&mut out, ImageFormat::Tiff),
    };
    written.map_err(|e| ImageError::Internal(e.to_string()))?;
    Ok(out.into_inner())
}

/// Lossy WebP through libwebp.
fn webp(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, ImageError> {
    if img.width().max(img.height()) > WEBP_MAX_SIDE {
        return Err(ImageError::TooLarge(format!(
            "WebP output is limited to {WEBP_MAX_SIDE} px a side."
        )));
    }
    let (w, h) = (img.width(), img.height());
    let mem = if img.color().has_alpha() {
        let px = img.to_rgba8();
        webp::Encoder::from_rgba(&px, w, h).encode_simple(false, f32::from(quality))
    } else {
        let px = img.to_rgb8();
        webp::Encoder::from_rgb(&px, w, h).encode_simple(false, f32::from(quality))
    };
    let mem = mem.map_err(|e| ImageError::Internal(format!("webp: {e:?}")))?;
    Ok(mem.to_vec())
}

/// Alpha composited onto white.
pub(crate) fn flatten(img: &DynamicImage) -> RgbImage {
    let rgba = img.to_rgba8();
    RgbImage::from_fn(img.width(), img.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let mix = |c: u8| ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a))) / 255) as u8;
        Rgb([mix(r), mix(g), mix(b)])
    })
}
