//! Helpers shared by `--multipart-check` and `--versions-check`: timed steps with the server's
//! peak RSS, its I/O counters, and medians.

use std::future::Future;
use std::time::Instant;

use anyhow::Context;

use crate::procfs;

/// Bytes per MiB.
pub(crate) const MIB: f64 = 1024.0 * 1024.0;

/// One timed transfer.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Upload {
    /// Wall time, seconds.
    pub secs: f64,
    /// Throughput, MiB/s.
    pub mib_per_sec: f64,
    /// Server peak RSS during the transfer, MiB.
    pub peak_rss_mib: f64,
}

/// Runs `step` (which moves `bytes` bytes) with `pid`'s peak RSS reset first; returns its timing,
/// the peak RSS meanwhile, and the step's own result.
pub(crate) async fn timed_peak<T>(
    pid: u32,
    bytes: u64,
    step: impl Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<(Upload, T)> {
    procfs::reset_peak_rss(pid)?;
    let started = Instant::now();
    let out = step.await?;
    let secs = started.elapsed().as_secs_f64();
    let peak = procfs::peak_rss(pid)?;
    let upload = Upload {
        secs,
        mib_per_sec: bytes as f64 / MIB / secs.max(1e-9),
        peak_rss_mib: peak as f64 / MIB,
    };
    Ok((upload, out))
}

/// `(wchar, write_bytes)` of `/proc/<pid>/io`: bytes written by any syscall, and bytes dirtied
/// in files (what will reach the disk).
pub(crate) fn io_counters(pid: u32) -> anyhow::Result<(u64, u64)> {
    let path = format!("/proc/{pid}/io");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    let field = |name: &str| -> anyhow::Result<u64> {
        let line = text.lines().find_map(|l| l.strip_prefix(name));
        let value = line.with_context(|| format!("{name} missing in {path}"))?;
        value.trim().parse().with_context(|| format!("bad {name}"))
    };
    Ok((field("wchar:")?, field("write_bytes:")?))
}

/// The median (the mean of the middle two for an even count; 0 when empty).
pub(crate) fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// `(min, max)` of `values` (0, 0 when empty).
pub(crate) fn spread(values: &[f64]) -> (f64, f64) {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if values.is_empty() {
        (0.0, 0.0)
    } else {
        (min, max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_spread() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(spread(&[2.0, 5.0, 1.0]), (1.0, 5.0));
    }

    #[test]
    fn reads_own_io() -> anyhow::Result<()> {
        io_counters(std::process::id())?;
        Ok(())
    }
}
