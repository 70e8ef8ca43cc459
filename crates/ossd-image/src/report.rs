//! The JSON answers: `info` and `average-hue`.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, metadata::Orientation};
use serde_json::{Map, Value, json};

use crate::limits::Probe;

/// `info`: `{"FileSize":{"value":"N"},"Format":{"value":"jpg"},"ImageHeight":..,"ImageWidth":..}`
/// plus `Orientation` when the file carries EXIF orientation.
pub(crate) fn info(data: &[u8], probe: &Probe) -> Vec<u8> {
    let mut m = Map::new();
    let mut put = |k: &str, v: String| {
        m.insert(k.to_owned(), json!({ "value": v }));
    };
    put("FileSize", data.len().to_string());
    put("Format", probe.format.name().to_owned());
    put("ImageHeight", probe.height.to_string());
    put("ImageWidth", probe.width.to_string());
    if let Some(o) = exif_orientation(data) {
        put("Orientation", o.to_string());
    }
    Value::Object(m).to_string().into_bytes()
}

/// The EXIF orientation tag (1–8), if present; header-only.
pub(crate) fn exif_orientation(data: &[u8]) -> Option<u8> {
    let reader = ImageReader::new(Cursor::new(data))
        .with_guessed_format()
        .ok()?;
    let mut decoder = reader.into_decoder().ok()?;
    let exif = decoder.exif_metadata().ok()??;
    Orientation::from_exif_chunk(&exif).map(Orientation::to_exif)
}

/// `average-hue`: `{"RGB":"0xrrggbb"}`, the mean colour (alpha-weighted onto white).
pub(crate) fn average_hue(img: &DynamicImage) -> Vec<u8> {
    let rgb = crate::encode::flatten(img);
    let mut sum = [0u64; 3];
    for p in rgb.pixels() {
        for (s, c) in sum.iter_mut().zip(p.0) {
            *s += u64::from(c);
        }
    }
    let n = u64::from(rgb.width()) * u64::from(rgb.height());
    let avg = sum.map(|s| s.checked_div(n).unwrap_or(0));
    json!({ "RGB": format!("0x{:02x}{:02x}{:02x}", avg[0], avg[1], avg[2]) })
        .to_string()
        .into_bytes()
}
