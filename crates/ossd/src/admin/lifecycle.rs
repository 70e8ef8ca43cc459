//! `ossd admin lifecycle run [--bucket B]`: apply the buckets' lifecycle rules now instead of at
//! the next background run (`POST /-/admin/lifecycle/run`, root AccessKey only).

use clap::Subcommand;
use serde_json::Value;

use super::Ctx;
use super::output::table;

/// Columns of the report table.
const COLUMNS: [&str; 7] = [
    "bucket",
    "expired",
    "noncurrent_expired",
    "markers_removed",
    "uploads_aborted",
    "transitioned",
    "bytes_reclaimed",
];

/// `ossd admin lifecycle` subcommands.
#[derive(Debug, Subcommand)]
pub(super) enum LifecycleCmd {
    /// Apply the lifecycle rules now and print what was removed or transitioned per bucket.
    Run {
        /// Only this bucket (default: every bucket with rules).
        #[arg(long)]
        bucket: Option<String>,
    },
}

/// Runs a `lifecycle` subcommand.
pub(super) async fn run(cmd: LifecycleCmd, ctx: &Ctx) -> anyhow::Result<()> {
    match cmd {
        LifecycleCmd::Run { bucket } => {
            let query: Vec<(&str, &str)> = bucket.iter().map(|b| ("bucket", b.as_str())).collect();
            let v = ctx.client.admin_post("admin/lifecycle/run", &query).await?;
            ctx.out.emit(&v, reports)
        }
    }
}

/// The reports as a table (one row per bucket with rules).
fn reports(v: &Value) -> String {
    let rows = v
        .get("reports")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    table(rows, &COLUMNS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn report_table() {
        let v = json!({"request_id": "R", "reports": [{"bucket": "b", "expired": 2,
            "noncurrent_expired": 1, "markers_removed": 0, "uploads_aborted": 3,
            "transitioned": 4, "bytes_reclaimed": 1024}]});
        assert_eq!(
            reports(&v),
            "bucket  expired  noncurrent_expired  markers_removed  uploads_aborted  transitioned  \
             bytes_reclaimed\n\
             b       2        1                   0                3                4             \
             1024\n"
        );
    }
}
