//! Images generated in the tests (no fixture files).

#![allow(dead_code)]

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

/// A `w`×`h` image whose pixel (x, y) is (x, y, 77): positions are readable from colours.
pub(crate) fn coords(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| Rgb([x as u8, y as u8, 77])))
}

/// A solid `w`×`h` image.
pub(crate) fn solid(w: u32, h: u32, c: [u8; 3]) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_pixel(w, h, Rgb(c)))
}

/// A solid image with alpha.
pub(crate) fn solid_rgba(w: u32, h: u32, c: [u8; 4]) -> DynamicImage {
    DynamicImage::ImageRgba8(RgbaImage::from_pixel(w, h, Rgba(c)))
}

/// `img` encoded as `format`.
pub(crate) fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encode test image");
    out.into_inner()
}

/// Runs `process` on `data` with the default limits.
pub(crate) fn run(
    data: &[u8],
    process: &str,
) -> Result<ossd_image::Output, ossd_image::ImageError> {
    let plan = ossd_image::parse(process)?;
    ossd_image::process(data, &plan, &ossd_image::Limits::default())
}

/// Decodes an output body.
pub(crate) fn decode(body: &[u8]) -> DynamicImage {
    image::load_from_memory(body).expect("decode output")
}

/// A PNG signature and IHDR claiming `w`×`h` RGB, then one byte of pixel data in an IDAT (a
/// decompression bomb's header without the bomb).
pub(crate) fn png_header_only(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    // zlib: one stored deflate block holding a single 0 byte, then its Adler-32.
    chunk(
        &mut out,
        b"IDAT",
        &[
            0x78, 0x01, 0x01, 0x01, 0x00, 0xFE, 0xFF, 0x00, 0x00, 0x01, 0x00, 0x01,
        ],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
