//! Result rows, the plain-text table and the JSON document.

use std::fmt::Write;

use crate::cli::format_size;
use crate::db_work::DbWork;
use crate::machine::Machine;
use crate::stats::Summary;
use crate::workload::{Op, Phase};

/// One phase on one server.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Row {
    /// `reference`, `ossd` or `endpoint`.
    pub server: String,
    /// The operation.
    pub op: Op,
    /// Object size in bytes.
    pub size: u64,
    /// Object size, human readable.
    pub size_label: String,
    /// Concurrent connections.
    pub concurrency: usize,
    /// Throughput and latency.
    #[serde(flatten)]
    pub summary: Summary,
    /// Server peak RSS during the phase, MiB (`VmHWM` after a reset).
    pub peak_rss_mib: Option<f64>,
    /// Server CPU use during the phase, percent of one core.
    pub server_cpu_pct: Option<f64>,
    /// ops/s of this server divided by the reference's (same phase, same run).
    pub ops_ratio_vs_reference: Option<f64>,
    /// p50 latency of this server divided by the reference's.
    pub p50_ratio_vs_reference: Option<f64>,
    /// Database round trips and time per request (ossd on PostgreSQL, from its metrics).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db: Option<DbWork>,
}

impl Row {
    /// A row without ratios.
    pub(crate) fn new(
        server: &str,
        phase: &Phase,
        summary: Summary,
        peak_rss: Option<u64>,
        cpu: Option<f64>,
    ) -> Self {
        Self {
            server: server.to_owned(),
            op: phase.op,
            size: phase.size,
            size_label: format_size(phase.size),
            concurrency: phase.concurrency,
            summary,
            peak_rss_mib: peak_rss.map(|b| b as f64 / (1024.0 * 1024.0)),
            server_cpu_pct: cpu,
            ops_ratio_vs_reference: None,
            p50_ratio_vs_reference: None,
            db: None,
        }
    }

    /// Fills the ratios against the reference row of the same phase.
    pub(crate) fn compare_with(&mut self, reference: &Row) {
        let ratio = |a: f64, b: f64| (b > 0.0).then(|| a / b);
        self.ops_ratio_vs_reference =
            ratio(self.summary.ops_per_sec, reference.summary.ops_per_sec);
        self.p50_ratio_vs_reference = ratio(self.summary.p50_ms, reference.summary.p50_ms);
    }

    /// A one-line progress message (stderr).
    pub(crate) fn progress_line(&self) -> String {
        format!(
            "{:<4} {:>7} c={:<2} {:<9} {:>9.1} ops/s {:>8.1} MiB/s p50 {:>8.2} ms errors {}",
            self.op.name(),
            self.size_label,
            self.concurrency,
            self.server,
            self.summary.ops_per_sec,
            self.summary.mib_per_sec,
            self.summary.p50_ms,
            self.summary.errors
        )
    }
}

/// The plain-text table, then the first error of each failing row.
pub(crate) fn table(machine: &Machine, rows: &[Row]) -> String {
    let mut out = format!("{}\n\n", machine.describe());
    let _ = writeln!(
        out,
        "{:<4} {:>7} {:>4} {:<10} {:>9} {:>8} {:>8} {:>8} {:>8} {:>5} {:>8} {:>5} {:>9} {:>9}",
        "op",
        "size",
        "conc",
        "server",
        "ops/s",
        "MiB/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "err",
        "RSS MiB",
        "CPU%",
        "ops/s×ref",
        "p50×ref"
    );
    for r in rows {
        let s = &r.summary;
        let _ = writeln!(
            out,
            "{:<4} {:>7} {:>4} {:<10} {:>9.1} {:>8.1} {:>8.2} {:>8.2} {:>8.2} {:>5} {:>8} {:>5} {:>9} {:>9}",
            r.op.name(),
            r.size_label,
            r.concurrency,
            r.server,
            s.ops_per_sec,
            s.mib_per_sec,
            s.p50_ms,
            s.p99_ms,
            s.max_ms,
            s.errors,
            opt(r.peak_rss_mib, 1),
            opt(r.server_cpu_pct, 0),
            opt(r.ops_ratio_vs_reference, 2),
            opt(r.p50_ratio_vs_reference, 2),
        );
    }
    let with_db: Vec<&Row> = rows.iter().filter(|r| r.db.is_some()).collect();
    if !with_db.is_empty() {
        let _ = writeln!(
            out,
            "\ndatabase work per request (from the server's metrics):"
        );
    }
    for r in with_db {
        if let Some(db) = &r.db {
            let _ = writeln!(
                out,
                "{:<4} {:>7} {:<10} {}",
                r.op.name(),
                r.size_label,
                r.server,
                db.text()
            );
        }
    }
    for r in rows.iter().filter(|r| r.summary.errors > 0) {
        let first = r.summary.first_error.as_deref().unwrap_or("?");
        let _ = writeln!(
            out,
            "errors in {} {} on {}: first: {first}",
            r.op.name(),
            r.size_label,
            r.server
        );
    }
    out
}

/// The JSON document of a run.
pub(crate) fn json(
    machine: &Machine,
    settings: serde_json::Value,
    rows: &[Row],
) -> anyhow::Result<String> {
    let doc = serde_json::json!({ "machine": machine, "settings": settings, "rows": rows });
    Ok(serde_json::to_string_pretty(&doc)?)
}

/// An optional figure with `decimals`, or `-`.
fn opt(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.decimals$}"))
}
