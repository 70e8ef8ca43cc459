//! `ossd admin backup <path>`: a consistent copy of metadata and data taken by the running
//! server (`POST /-/admin/backup?target=<path>`, root AccessKey only) into a directory on the
//! server's machine.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use serde_json::Value;

use super::Ctx;

/// Arguments of `ossd admin backup`.
#[derive(Debug, clap::Args)]
pub(super) struct BackupArgs {
    /// Target directory on the server's machine (absent or empty, outside the data directory;
    /// a relative path is taken from this command's working directory).
    pub path: PathBuf,
    /// Seconds to wait for the server to finish.
    #[arg(long, default_value_t = 86_400, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
}

/// Asks the server for a backup and prints its summary.
pub(super) async fn run(args: BackupArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let path = std::path::absolute(&args.path)
        .with_context(|| format!("resolving {}", args.path.display()))?;
    let target = path
        .to_str()
        .context("the backup path must be valid UTF-8")?
        .to_owned();
    let v = ctx
        .client
        .admin_request(
            "POST",
            "admin/backup",
            &[("target", target.as_str())],
            Duration::from_secs(args.timeout),
        )
        .await?;
    ctx.out.emit(&v, summary)
}

/// One line per fact.
fn summary(v: &Value) -> String {
    let get = |k: &str| {
        v.get(k)
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
    };
    let mut out = String::new();
    for key in [
        "target",
        "created",
        "buckets",
        "objects",
        "versions",
        "object_bytes",
        "blob_files",
        "blob_bytes",
        "linked",
        "seconds",
    ] {
        if let Some(value) = get(key) {
            out.push_str(&format!("{key}: {value}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn summary_lists_the_counts() {
        let v = json!({"target": "/b", "objects": 3, "blob_files": 2, "request_id": "R"});
        assert_eq!(summary(&v), "target: /b\nobjects: 3\nblob_files: 2\n");
    }
}
