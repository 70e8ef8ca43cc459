//! Times ossd-image against libvips on the two cases: a generated 4000×3000 JPEG to
//! `resize,w_200`, and a 1000×1000 PNG to lossy WebP. libvips runs through its command-line
//! tools (`vipsthumbnail`, `vips`) when installed (`apt-get install -y libvips-tools`); their
//! times include process start-up, so the ratio flatters ossd-image slightly. Also times text
//! watermarks (no libvips counterpart here) as the cost over the same request without them.
//!
//! Run with `cargo run --release -p ossd-image --example bench`.

use std::error::Error;
use std::io::Cursor;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use ossd_image::{Limits, parse, process};

const RUNS: usize = 7;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = std::env::temp_dir().join(format!("ossd-image-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let jpg = encode_jpeg(&photo(4000, 3000))?;
    let png = encode_png(&photo(1000, 1000))?;
    let (jpg_path, png_path) = (dir.join("src.jpg"), dir.join("src.png"));
    std::fs::write(&jpg_path, &jpg)?;
    std::fs::write(&png_path, &png)?;
    println!(
        "sources: 4000x3000 JPEG {} B, 1000x1000 PNG {} B",
        jpg.len(),
        png.len()
    );

    let t = Instant::now();
    image::load_from_memory(&jpg)?;
    println!(
        "(decode only of the JPEG: {:.1} ms)",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let ours = ossd(&jpg, "image/resize,w_200")?;
    let vips = vips_time(
        "vipsthumbnail",
        &[
            path(&jpg_path)?,
            "-s",
            "200x",
            "-o",
            &out(&dir, "t.jpg[Q=85]")?,
        ],
    );
    report("4000x3000 JPEG -> resize,w_200 (jpg q85)", ours, vips);

    let ours = ossd(&png, "image/format,webp/quality,Q_85")?;
    let vips = vips_time(
        "vips",
        &["copy", path(&png_path)?, &out(&dir, "t.webp[Q=85]")?],
    );
    report("1000x1000 PNG -> format,webp (Q85)", ours, vips);

    // Text watermarks (ossd-image only): the cost over the same request without the mark.
    let text = "text_b3NzZCDmsLTljbAgwqkgMjAyNg"; // "ossd 水印 © 2026"
    let base = ossd(&jpg, "image/resize,w_800")?;
    let marked = ossd(
        &jpg,
        &format!("image/resize,w_800/watermark,{text},size_40,color_FFFFFF,shadow_50"),
    )?;
    report_extra(
        "4000x3000 JPEG -> resize,w_800 + text watermark",
        base,
        marked,
    );
    let base = ossd(&png, "image/format,png")?;
    let marked = ossd(
        &png,
        &format!("image/watermark,{text},size_32,fill_1,rotate_30,t_50,x_60,y_60"),
    )?;
    report_extra("1000x1000 PNG + tiled rotated text watermark", base, marked);

    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn report_extra(case: &str, base: Duration, marked: Duration) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{case}: {:.1} ms ({:.1} ms without the watermark, +{:.1} ms)",
        ms(marked),
        ms(base),
        ms(marked) - ms(base)
    );
}

/// The median time of `RUNS` runs of `spec` on `data`.
fn ossd(data: &[u8], spec: &str) -> Result<Duration, Box<dyn Error>> {
    let plan = parse(spec)?;
    let limits = Limits::default();
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        process(data, &plan, &limits)?;
        times.push(t.elapsed());
    }
    Ok(median(times))
}

/// The median time of `RUNS` runs of a libvips tool, or `None` if it is not installed or fails.
fn vips_time(tool: &str, args: &[&str]) -> Option<Duration> {
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let ok = Command::new(tool).args(args).status().ok()?.success();
        if !ok {
            return None;
        }
        times.push(t.elapsed());
    }
    Some(median(times))
}

fn report(case: &str, ours: Duration, vips: Option<Duration>) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    match vips {
        Some(v) => println!(
            "{case}: ossd-image {:.1} ms, libvips {:.1} ms, ratio ossd/vips {:.2}",
            ms(ours),
            ms(v),
            ms(ours) / ms(v)
        ),
        None => println!(
            "{case}: ossd-image {:.1} ms (libvips tools not installed)",
            ms(ours)
        ),
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// A photo-like image: smooth gradients plus deterministic noise.
fn photo(w: u32, h: u32) -> DynamicImage {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let n = (seed % 24) as u32;
        let c = |v: u32| (v + n).min(255) as u8;
        Rgb([c(x * 200 / w), c(y * 200 / h), c((x + y) * 100 / (w + h))])
    }))
}

fn encode_jpeg(img: &DynamicImage) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut out = Cursor::new(Vec::new());
    img.write_with_encoder(JpegEncoder::new_with_quality(&mut out, 90))?;
    Ok(out.into_inner())
}

fn encode_png(img: &DynamicImage) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png)?;
    Ok(out.into_inner())
}

fn path(p: &Path) -> Result<&str, Box<dyn Error>> {
    p.to_str().ok_or_else(|| "non-UTF-8 temp path".into())
}

fn out(dir: &Path, name: &str) -> Result<String, Box<dyn Error>> {
    Ok(format!("{}/{name}", path(dir)?))
}
