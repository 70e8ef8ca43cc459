//! Latency and throughput accounting for one phase.

use std::time::Duration;

/// What one worker (or a whole phase, after merging) observed.
#[derive(Debug, Default, Clone)]
pub(crate) struct Samples {
    /// Latency of each successful operation, in microseconds.
    pub latencies_us: Vec<u64>,
    /// Payload bytes moved by successful operations.
    pub bytes: u64,
    /// Failed operations.
    pub errors: u64,
    /// The first error seen, for the report.
    pub first_error: Option<String>,
}

impl Samples {
    /// Records one successful operation.
    pub(crate) fn ok(&mut self, latency: Duration, bytes: u64) {
        self.latencies_us
            .push(u64::try_from(latency.as_micros()).unwrap_or(u64::MAX));
        self.bytes += bytes;
    }

    /// Records one failed operation.
    pub(crate) fn err(&mut self, error: &anyhow::Error) {
        self.errors += 1;
        if self.first_error.is_none() {
            self.first_error = Some(format!("{error:#}"));
        }
    }

    /// Folds another worker's samples into these.
    pub(crate) fn merge(&mut self, other: Samples) {
        self.latencies_us.extend(other.latencies_us);
        self.bytes += other.bytes;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    /// Summarises the samples of a phase that took `wall` time.
    pub(crate) fn summarize(mut self, wall: Duration) -> Summary {
        self.latencies_us.sort_unstable();
        let secs = wall.as_secs_f64().max(1e-9);
        let ops = self.latencies_us.len() as u64;
        Summary {
            ops,
            errors: self.errors,
            secs,
            ops_per_sec: ops as f64 / secs,
            mib_per_sec: self.bytes as f64 / secs / (1024.0 * 1024.0),
            p50_ms: percentile_ms(&self.latencies_us, 0.50),
            p99_ms: percentile_ms(&self.latencies_us, 0.99),
            max_ms: self
                .latencies_us
                .last()
                .map_or(0.0, |&us| us as f64 / 1000.0),
            first_error: self.first_error,
        }
    }
}

/// The figures reported for one phase.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Summary {
    /// Successful operations.
    pub ops: u64,
    /// Failed operations.
    pub errors: u64,
    /// Wall time of the phase, seconds.
    pub secs: f64,
    /// Successful operations per second.
    pub ops_per_sec: f64,
    /// Payload MiB per second (request bodies for PUT, response bodies for GET and LIST).
    pub mib_per_sec: f64,
    /// Median latency, milliseconds.
    pub p50_ms: f64,
    /// 99th percentile latency, milliseconds.
    pub p99_ms: f64,
    /// Maximum latency, milliseconds.
    pub max_ms: f64,
    /// The first error message, if any.
    pub first_error: Option<String>,
}

/// The nearest-rank percentile `q` (0..=1) of sorted microsecond samples, in milliseconds.
fn percentile_ms(sorted_us: &[u64], q: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted_us.len() as f64).ceil() as usize;
    let index = rank.clamp(1, sorted_us.len()) - 1;
    sorted_us.get(index).map_or(0.0, |&us| us as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_nearest_rank() {
        let mut s = Samples::default();
        for ms in 1..=100u64 {
            s.ok(Duration::from_millis(ms), 10);
        }
        let sum = s.summarize(Duration::from_secs(2));
        assert_eq!(sum.ops, 100);
        assert!((sum.p50_ms - 50.0).abs() < 1e-9);
        assert!((sum.p99_ms - 99.0).abs() < 1e-9);
        assert!((sum.max_ms - 100.0).abs() < 1e-9);
        assert!((sum.ops_per_sec - 50.0).abs() < 1e-9);
    }
}
