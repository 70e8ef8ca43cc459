//! Peak memory of one image job on a black 16-bit RGB PNG of `side`×`side` pixels (written
//! row by row, so generating it needs no large buffer): prints the header estimate
//! ([`ossd_image::job_memory`]) and the outcome; run under `/usr/bin/time -v` for the peak RSS.
//!
//! `cargo run --release -p ossd-image --example peak -- 15000 budget` (the default limits), or
//! `... -- 7500 unbounded` (no memory limit: what every job did before the budget existed).

use std::error::Error;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ossd_image::{Deadline, Limits, MemoryBudget, Pool, job_memory, parse};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let side: u32 = args.next().as_deref().unwrap_or("15000").parse()?;
    let unbounded = args.next().as_deref() == Some("unbounded");
    let png = png16_black(side, side)?;
    println!("source: {side}x{side} 16-bit RGB PNG, {} bytes", png.len());
    let plan = parse("image/resize,w_100")?;
    let unlimited = Limits {
        max_job_memory: u64::MAX,
        ..Limits::default()
    };
    let (limits, pool) = if unbounded {
        (
            unlimited,
            Pool::with_memory(1, 0, MemoryBudget::new(u64::MAX)),
        )
    } else {
        (Limits::default(), Pool::new(1, 0))
    };
    let estimate = job_memory(&png, &plan, &unlimited, &[])?;
    println!("estimate: {} MiB", estimate >> 20);
    let t = Instant::now();
    let deadline = Deadline::after(Duration::from_secs(120));
    let out = pool
        .process(deadline, png, plan, limits, Arc::new(Vec::new()))
        .await;
    match out {
        Ok(o) => println!("processed: {} bytes in {:?}", o.body.len(), t.elapsed()),
        Err(e) => println!("refused: {} ({e}) in {:?}", e.name(), t.elapsed()),
    }
    Ok(())
}

/// A black 16-bit RGB PNG, streamed row by row.
fn png16_black(w: u32, h: u32) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Sixteen);
        enc.set_compression(png::Compression::High);
        let mut writer = enc.write_header()?;
        let mut stream = writer.stream_writer()?;
        let row = vec![0u8; w as usize * 6];
        for _ in 0..h {
            std::io::Write::write_all(&mut stream, &row)?;
        }
        stream.finish()?;
        writer.finish()?;
    }
    Ok(out)
}
