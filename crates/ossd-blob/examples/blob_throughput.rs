//! Write throughput of a 256 MiB blob through `LocalFs` (hash + write + fsync + rename) against
//! plain `std::fs::write` of the same bytes, plus the hash-only floor and a streamed read.
//!
//! `cargo run --release -p ossd-blob --example blob_throughput [dir] [runs]`

use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::StreamExt;
use ossd_blob::{BlobStore, Digests, LocalFs, Written};

const SIZE: usize = 256 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

type Res<T> = Result<T, Box<dyn Error>>;

#[tokio::main]
async fn main() -> Res<()> {
    let mut args = std::env::args().skip(1);
    let dir = tempfile::tempdir_in(args.next().map_or_else(std::env::temp_dir, PathBuf::from))?;
    let runs: usize = args.next().map_or(Ok(5), |r| r.parse())?;
    let data = Bytes::from((0..SIZE).map(|i| (i * 31 % 251) as u8).collect::<Vec<u8>>());
    let store = LocalFs::open(dir.path().join("store"))?;
    println!(
        "{} MiB in {} KiB chunks, {runs} runs, dir {}",
        SIZE >> 20,
        CHUNK >> 10,
        dir.path().display()
    );
    report("hash only (MD5+CRC-64, 1 thread)", runs, || async {
        hash_only(&data)
    })
    .await?;
    report("std::fs::write (no fsync)", runs, || {
        std_write(dir.path(), &data, false)
    })
    .await?;
    report("std::fs::write + fsync", runs, || {
        std_write(dir.path(), &data, true)
    })
    .await?;
    report("LocalFs writer (hash+write+fsync+rename)", runs, || {
        blob_write(&store, &data)
    })
    .await?;
    let id = blob_id(blob_write_id(&store, &data).await?)?;
    report("LocalFs read (256 KiB chunks)", runs, || {
        blob_read(&store, &id)
    })
    .await?;
    Ok(())
}

/// Runs `f` `runs` times and prints the best and median MiB/s.
async fn report<F, Fut>(name: &str, runs: usize, mut f: F) -> Res<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Res<()>>,
{
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        f().await?;
        times.push(start.elapsed());
    }
    times.sort();
    let rate = |d: Duration| SIZE as f64 / (1 << 20) as f64 / d.as_secs_f64();
    let (best, median) = (rate(times[0]), rate(times[times.len() / 2]));
    println!("{name:<44} best {best:>7.0} MiB/s   median {median:>7.0} MiB/s");
    Ok(())
}

fn hash_only(data: &[u8]) -> Res<()> {
    let mut digests = Digests::new();
    data.chunks(CHUNK).for_each(|c| digests.update(c));
    std::hint::black_box(digests.finish());
    Ok(())
}

async fn std_write(dir: &Path, data: &Bytes, fsync: bool) -> Res<()> {
    let (path, data) = (dir.join("plain"), data.clone());
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        std::fs::write(&path, &data)?;
        if fsync {
            std::fs::File::open(&path)?.sync_all()?;
        }
        std::fs::remove_file(&path)
    })
    .await??;
    Ok(())
}

async fn blob_write(store: &LocalFs, data: &Bytes) -> Res<()> {
    let id = blob_id(blob_write_id(store, data).await?)?;
    store.delete(&[id]).await?;
    Ok(())
}

async fn blob_write_id(store: &LocalFs, data: &Bytes) -> Res<Written> {
    let mut writer = store.writer(4096);
    for start in (0..data.len()).step_by(CHUNK) {
        writer
            .write(data.slice(start..(start + CHUNK).min(data.len())))
            .await?;
    }
    Ok(writer.finish().await?.data)
}

async fn blob_read(store: &LocalFs, id: &str) -> Res<()> {
    let mut reader = store.open(id, 0, SIZE as u64).await?;
    let mut total = 0;
    while let Some(chunk) = reader.next().await {
        total += chunk?.len();
    }
    if total == SIZE {
        Ok(())
    } else {
        Err("short read".into())
    }
}

fn blob_id(data: Written) -> Res<String> {
    match data {
        Written::Blob(id) => Ok(id),
        Written::Inline(_) => Err("expected a blob".into()),
    }
}
