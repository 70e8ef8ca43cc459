//! Memory accounting (docs/limits.md, "Image processing"): the estimate from the header for
//! each pixel layout, the refusal of a small file that decodes to gigabytes, and the
//! process-wide byte budget that concurrent jobs share.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Cursor;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::{coords, encode};
use image::codecs::gif::GifEncoder;
use image::{DynamicImage, Frame, ImageBuffer, ImageFormat, Luma, LumaA, Rgb, Rgba, RgbaImage};
use ossd_image::{
    Deadline, ImageError, Limits, MemoryBudget, Pool, decoded_bytes, job_memory, parse,
};

const MIB: u64 = 1 << 20;
/// What every job is charged besides pixels (`JOB_OVERHEAD` in memory.rs).
const OVERHEAD: u64 = 4 * MIB;

fn cost(data: &[u8], process: &str) -> Result<u64, ImageError> {
    job_memory(data, &parse(process).unwrap(), &Limits::default(), &[])
}

/// The charge besides the decode peak: the source (counted twice) and the overhead.
fn resident(data: &[u8]) -> u64 {
    2 * data.len() as u64 + OVERHEAD
}

/// A 16-bit RGB PNG of `w`×`h` black pixels, written row by row (never whole in memory).
fn png16_black(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Sixteen);
        enc.set_compression(png::Compression::High);
        let mut writer = enc.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        let row = vec![0u8; w as usize * 6];
        for _ in 0..h {
            std::io::Write::write_all(&mut stream, &row).unwrap();
        }
        stream.finish().unwrap();
        writer.finish().unwrap();
    }
    out
}

#[test]
fn decoded_bytes_count_channels_sample_size_and_frames() {
    assert_eq!(decoded_bytes(1000, 500, 1, 1, 1), 500_000);
    assert_eq!(decoded_bytes(1000, 500, 3, 1, 1), 1_500_000);
    assert_eq!(decoded_bytes(1000, 500, 4, 1, 1), 2_000_000);
    assert_eq!(decoded_bytes(1000, 500, 3, 2, 1), 3_000_000);
    assert_eq!(decoded_bytes(1000, 500, 4, 2, 1), 4_000_000);
    assert_eq!(decoded_bytes(1000, 500, 4, 1, 10), 20_000_000);
    // The attack: 225 Mpx of 16-bit RGB is 1.35 GB decoded.
    assert_eq!(decoded_bytes(15_000, 15_000, 3, 2, 1), 1_350_000_000);
    assert_eq!(decoded_bytes(u32::MAX, u32::MAX, 4, 4, u32::MAX), u64::MAX);
}

#[test]
fn the_estimate_follows_the_decoded_layout() {
    let (w, h) = (1000, 500);
    let px = u64::from(w) * u64::from(h);
    // 8-bit RGB is decoded as is; the resize to 10×5 adds its 1000×5 intermediate and output.
    let rgb8 = encode(&coords(w, h), ImageFormat::Png);
    assert_eq!(
        cost(&rgb8, "image/resize,w_10").unwrap(),
        resident(&rgb8) + 3 * px + 1000 * 5 * 3 + 10 * 5 * 3
    );
    // For other layouts the decode dominates.
    // 16-bit RGB: 6 bytes a pixel, then the 8-bit copy.
    let rgb16 = DynamicImage::ImageRgb16(ImageBuffer::from_pixel(w, h, Rgb([9u16, 9, 9])));
    let rgb16 = encode(&rgb16, ImageFormat::Png);
    assert_eq!(
        cost(&rgb16, "image/resize,w_10").unwrap(),
        resident(&rgb16) + (6 + 3) * px
    );
    // 8-bit gray: 1 byte a pixel, then the RGB copy.
    let gray = DynamicImage::ImageLuma8(ImageBuffer::from_pixel(w, h, Luma([7u8])));
    let gray = encode(&gray, ImageFormat::Png);
    assert_eq!(
        cost(&gray, "image/resize,w_10").unwrap(),
        resident(&gray) + (1 + 3) * px
    );
    // 16-bit gray + alpha: 4 bytes a pixel, then the RGBA copy.
    let la16 = DynamicImage::ImageLumaA16(ImageBuffer::from_pixel(w, h, LumaA([7u16, 9])));
    let la16 = encode(&la16, ImageFormat::Png);
    assert_eq!(
        cost(&la16, "image/crop,w_10,h_10").unwrap(),
        resident(&la16) + (4 + 4) * px
    );
    // 8-bit RGBA: the resize dominates: input, premultiplied copy, the 1000×5 intermediate
    // of the two-pass convolution, the 10×5 output.
    let rgba8 = DynamicImage::ImageRgba8(RgbaImage::from_pixel(w, h, Rgba([1, 2, 3, 4])));
    let rgba8 = encode(&rgba8, ImageFormat::Png);
    assert_eq!(
        cost(&rgba8, "image/resize,w_10").unwrap(),
        resident(&rgba8) + 4 * px + 4 * px + 1000 * 5 * 4 + 10 * 5 * 4
    );
    // Re-encoding at full size: the image, the encoder's copy, the output.
    assert_eq!(
        cost(&rgb8, "image/format,png").unwrap(),
        resident(&rgb8) + (3 + 3 + 4) * px
    );
    // `info` alone reads only the header.
    assert_eq!(cost(&rgb16, "image/info").unwrap(), resident(&rgb16));
    // Costly filters are charged for their buffers: sharpen blurs through two f32 copies.
    assert_eq!(
        cost(&rgb8, "image/sharpen,100/resize,w_10").unwrap(),
        resident(&rgb8) + 10 * 3 * px
    );
}

#[test]
fn an_animation_is_charged_for_the_frame_it_decodes_and_its_canvas() {
    let (w, h) = (300u32, 200u32);
    let frames: Vec<Frame> = (0..3u8)
        .map(|i| Frame::new(RgbaImage::from_pixel(w, h, Rgba([i * 80, 0, 0, 255]))))
        .collect();
    let mut gif = Vec::new();
    {
        let mut enc = GifEncoder::new(Cursor::new(&mut gif));
        enc.encode_frames(frames).unwrap();
    }
    let px = u64::from(w) * u64::from(h);
    // Only the first frame is decoded (docs/limits.md): RGBA frame + the decoder's RGBA buffer,
    // not × 3 frames.
    assert_eq!(
        cost(&gif, "image/crop,w_10,h_10").unwrap(),
        resident(&gif) + 8 * px
    );
    assert!(
        ossd_image::process(
            &gif,
            &parse("image/resize,w_10").unwrap(),
            &Limits::default()
        )
        .is_ok()
    );
}

#[test]
fn a_225_megapixel_16_bit_png_is_refused_from_the_header() {
    let png = png16_black(15_000, 15_000);
    assert!(png.len() < 20 * 1024 * 1024, "{} bytes", png.len());
    let t = Instant::now();
    let err = cost(&png, "image/resize,w_100").unwrap_err();
    assert_eq!(err.name(), "TooLarge", "{err}");
    assert!(err.to_string().contains("MiB"), "{err}");
    let plan = parse("image/resize,w_100").unwrap();
    let err = ossd_image::process(&png, &plan, &Limits::default()).unwrap_err();
    assert_eq!(err.name(), "TooLarge", "{err}");
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "refused without decoding"
    );
    // Its header alone is still readable.
    let info = ossd_image::process(&png, &parse("image/info").unwrap(), &Limits::default());
    assert!(info.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_holders_never_exceed_the_budget() {
    let budget = MemoryBudget::new(10 * MIB);
    assert_eq!(budget.total(), 10 * MIB);
    let held = Arc::new(AtomicU64::new(0));
    let peak = Arc::new(AtomicU64::new(0));
    let deadline = Deadline::after(Duration::from_secs(20));
    let mut tasks = Vec::new();
    for i in 0..24u64 {
        let (budget, held, peak) = (budget.clone(), held.clone(), peak.clone());
        tasks.push(tokio::spawn(async move {
            let want = (1 + i % 4) * MIB + 100;
            let permit = budget.acquire(want, &deadline).await?;
            let now = held.fetch_add(permit.bytes(), Ordering::AcqRel) + permit.bytes();
            peak.fetch_max(now, Ordering::AcqRel);
            tokio::time::sleep(Duration::from_millis(10)).await;
            held.fetch_sub(permit.bytes(), Ordering::AcqRel);
            Ok::<_, ImageError>(())
        }));
    }
    // A blocking holder on another thread shares the same budget.
    let (b, h, p) = (budget.clone(), held.clone(), peak.clone());
    let blocking = tokio::task::spawn_blocking(move || {
        for _ in 0..5 {
            let permit = b.acquire_blocking(6 * MIB, &deadline)?;
            let now = h.fetch_add(permit.bytes(), Ordering::AcqRel) + permit.bytes();
            p.fetch_max(now, Ordering::AcqRel);
            std::thread::sleep(Duration::from_millis(10));
            h.fetch_sub(permit.bytes(), Ordering::AcqRel);
        }
        Ok::<_, ImageError>(())
    });
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    blocking.await.unwrap().unwrap();
    let peak = peak.load(Ordering::Acquire);
    assert!(peak <= 10 * MIB, "peak {peak}");
    assert!(peak > 4 * MIB, "jobs did run together: {peak}");
    assert_eq!(budget.available(), 10 * MIB);
    // More than the whole budget is refused at once, not queued.
    let t = Instant::now();
    let err = budget.acquire(10 * MIB + 1, &deadline).await.unwrap_err();
    assert_eq!(err.name(), "TooLarge");
    assert!(t.elapsed() < Duration::from_millis(100));
    // A holder that never gives back makes the next waiter time out at its deadline.
    let _all = budget.acquire(10 * MIB, &deadline).await.unwrap();
    let short = Deadline::after(Duration::from_millis(50));
    assert_eq!(
        budget.acquire(1, &short).await.unwrap_err().name(),
        "TimedOut"
    );
    assert_eq!(
        budget.acquire_blocking(1, &short).unwrap_err().name(),
        "TimedOut"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pool_admits_jobs_within_its_memory_budget() {
    let src = Arc::new(encode(&coords(1000, 1000), ImageFormat::Png));
    let plan = parse("image/resize,w_100").unwrap();
    let one = job_memory(&src, &plan, &Limits::default(), &[]).unwrap();
    // Room for two such jobs at a time, four workers.
    let pool = Arc::new(Pool::with_memory(4, 16, MemoryBudget::new(2 * one + MIB)));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (pool, src, plan) = (pool.clone(), src.clone(), plan.clone());
        tasks.push(tokio::spawn(async move {
            let d = Deadline::after(Duration::from_secs(30));
            pool.process(
                d,
                src.to_vec(),
                plan,
                Limits::default(),
                Arc::new(Vec::new()),
            )
            .await
        }));
    }
    let mut low = u64::MAX;
    while !tasks.iter().all(|t| t.is_finished()) {
        low = low.min(pool.memory().available());
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    for t in tasks {
        let out = t.await.unwrap().unwrap();
        assert_eq!(out.content_type, "image/png");
    }
    assert!(low < one + MIB, "at most two held at once, seen {low} free");
    assert_eq!(pool.memory().available(), pool.memory().total());
    assert_eq!(pool.in_flight(), 0);
    // A job above the per-job limit is refused from the header, before any worker runs.
    let tight = Limits {
        max_job_memory: one - 1,
        ..Limits::default()
    };
    let d = Deadline::after(Duration::from_secs(5));
    let r = pool
        .process(d, src.to_vec(), plan.clone(), tight, Arc::new(Vec::new()))
        .await;
    assert_eq!(r.map(|_| ()).unwrap_err().name(), "TooLarge");
    // A job above the whole budget is refused at once.
    let small = Pool::with_memory(1, 1, MemoryBudget::new(one / 2));
    let r = small
        .process(
            d,
            src.to_vec(),
            plan,
            Limits::default(),
            Arc::new(Vec::new()),
        )
        .await;
    assert_eq!(r.map(|_| ()).unwrap_err().name(), "TooLarge");
}
