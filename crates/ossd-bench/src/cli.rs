//! Command-line flags, and parsing of sizes and `op:size` phase lists.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};

use crate::sign::Dialect;
use crate::workload::{Op, Phase};

/// Objects at least this large use `--big-concurrency`.
pub(crate) const BIG_OBJECT: u64 = 64 << 20;

/// Seconds per phase with `--quick`.
const QUICK_SECS: f64 = 5.0;
/// Big-object concurrency cap with `--quick`.
const QUICK_BIG_CONCURRENCY: usize = 2;

/// Default phases: the op mix per object size.
const DEFAULT_PHASES: &str =
    "put:4KiB,get:4KiB,head:4KiB,list:4KiB,put:1MiB,get:1MiB,put:256MiB,get:256MiB";

/// ossd-bench: load generator and benchmark for ossd (and other OSS/S3 servers).
#[derive(Debug, clap::Parser)]
#[command(name = "ossd-bench", version, about)]
pub(crate) struct Args {
    /// Hidden helper subcommands.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The ossd binary to start (ignored with --endpoint).
    #[arg(long, default_value = "target/release/ossd")]
    pub ossd_bin: PathBuf,
    /// Benchmark an already running server at this URL (http://host:port) instead of starting ossd.
    /// Repeat it for several nodes of one cluster: worker N uses endpoint N mod count.
    #[arg(long)]
    pub endpoint: Vec<String>,
    /// Process id of the --endpoint server, to report its peak RSS and CPU.
    #[arg(long, requires = "endpoint")]
    pub server_pid: Option<u32>,
    /// AccessKey id (required with --endpoint; a fixed bench key otherwise).
    #[arg(long, env = "OSSD_BENCH_ACCESS_KEY_ID")]
    pub access_key_id: Option<String>,
    /// AccessKey secret (required with --endpoint; a fixed bench secret otherwise).
    #[arg(long, env = "OSSD_BENCH_ACCESS_KEY_SECRET", hide_env_values = true)]
    pub access_key_secret: Option<String>,
    /// Signature dialect: OSS V4 or AWS SigV4 (path style).
    #[arg(long, value_enum, default_value_t = Dialect::Oss)]
    pub dialect: Dialect,
    /// Region in the credential scope (default: cn-hangzhou for oss, us-east-1 for s3).
    #[arg(long)]
    pub region: Option<String>,
    /// Bucket to create and use.
    #[arg(long, default_value = "ossd-bench")]
    pub bucket: String,
    /// Phases as op:size pairs (ops: put, get, head, list; sizes like 4KiB, 1MiB, 256MiB).
    #[arg(long, default_value = DEFAULT_PHASES)]
    pub phases: String,
    /// Seconds per phase (each worker finishes its last operation).
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,
    /// Concurrent connections for objects under 64 MiB.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Concurrent connections for objects of 64 MiB and more.
    #[arg(long, default_value_t = 4)]
    pub big_concurrency: usize,
    /// Short run for the docs (under 3 minutes): 5 s phases, big-object concurrency 2.
    #[arg(long)]
    pub quick: bool,
    /// Skip the reference server (no ratios).
    #[arg(long)]
    pub no_reference: bool,
    /// Directory under which ossd's scratch data directory is created (default: system temp).
    #[arg(long)]
    pub scratch_dir: Option<PathBuf>,
    /// Print JSON instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Instead of the phases: PUT then GET one large object and report ossd's peak RSS.
    #[arg(long)]
    pub rss_check: bool,
    /// Object size for --rss-check.
    #[arg(long, default_value = "1GiB")]
    pub rss_size: String,
    /// Peak RSS limit for --rss-check, MiB (exit status 1 when exceeded).
    #[arg(long, default_value_t = 100)]
    pub rss_limit_mib: u64,
    /// Instead of the phases: a multipart upload (parts in parallel) vs a plain PUT of the same bytes.
    #[arg(long, conflicts_with = "rss_check")]
    pub multipart_check: bool,
    /// Object size for --multipart-check.
    #[arg(long, default_value = "1GiB")]
    pub multipart_size: String,
    /// Part size for --multipart-check.
    #[arg(long, default_value = "16MiB")]
    pub part_size: String,
    /// Parts uploaded at the same time in --multipart-check.
    #[arg(long, default_value_t = 4)]
    pub part_parallel: usize,
    /// Instead of the phases: ListObjectVersions over N versions of one key vs ListObjects over N keys.
    #[arg(long, conflicts_with_all = ["rss_check", "multipart_check"])]
    pub versions_check: bool,
    /// Versions (and distinct keys) written by --versions-check.
    #[arg(long, default_value_t = 10_000)]
    pub versions_count: u64,
    /// Rounds of --multipart-check, listing passes of --versions-check.
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
}

/// Hidden subcommands.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Run the reference server (started by the bench itself as a child process).
    #[command(hide = true)]
    ReferenceServer {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:0")]
        addr: String,
    },
    /// Instructions per request of the hot paths under callgrind, against a committed baseline.
    Icount(crate::icount::IcountArgs),
}

impl Args {
    /// Seconds per phase and big-object concurrency, with `--quick` applied.
    pub(crate) fn timing(&self) -> (f64, usize) {
        match self.quick {
            true => (QUICK_SECS, self.big_concurrency.min(QUICK_BIG_CONCURRENCY)),
            false => (self.duration, self.big_concurrency),
        }
    }

    /// The phases to run, with `--quick` applied.
    pub(crate) fn phases(&self) -> anyhow::Result<Vec<Phase>> {
        let (secs, big) = self.timing();
        let duration = Duration::try_from_secs_f64(secs).context("--duration")?;
        self.phases
            .split(',')
            .map(|item| parse_phase(item.trim(), duration, self.concurrency, big))
            .collect()
    }
}

/// Parses one `op:size` item.
fn parse_phase(item: &str, duration: Duration, small: usize, big: usize) -> anyhow::Result<Phase> {
    let (op, size) = item
        .split_once(':')
        .with_context(|| format!("phase {item:?}: expected op:size"))?;
    let op = match op.to_ascii_lowercase().as_str() {
        "put" => Op::Put,
        "get" => Op::Get,
        "head" => Op::Head,
        "list" => Op::List,
        other => bail!("unknown op {other:?} (put, get, head, list)"),
    };
    let size = parse_size(size)?;
    let concurrency = if size >= BIG_OBJECT { big } else { small };
    Ok(Phase {
        op,
        size,
        concurrency: concurrency.max(1),
        duration,
    })
}

/// Parses `4096`, `4KiB`, `4K`, `1MiB`, `256M`, `1GiB` (binary units).
pub(crate) fn parse_size(text: &str) -> anyhow::Result<u64> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let n: u64 = number.parse().with_context(|| format!("size {text:?}"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kib" | "kb" => 10,
        "m" | "mib" | "mb" => 20,
        "g" | "gib" | "gb" => 30,
        _ => bail!("size {text:?}: unknown unit"),
    };
    n.checked_mul(1 << shift)
        .with_context(|| format!("size {text:?} too large"))
}

/// Renders a size with the largest exact binary unit (`4KiB`, `256MiB`, `1000B`).
pub(crate) fn format_size(bytes: u64) -> String {
    for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{}{unit}", bytes >> shift);
        }
    }
    format!("{bytes}B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_trip() -> anyhow::Result<()> {
        assert_eq!(parse_size("4KiB")?, 4096);
        assert_eq!(parse_size("256M")?, 256 << 20);
        assert_eq!(parse_size("1GiB")?, 1 << 30);
        assert_eq!(parse_size("1000")?, 1000);
        assert!(parse_size("4XB").is_err());
        assert_eq!(format_size(256 << 20), "256MiB");
        assert_eq!(format_size(1000), "1000B");
        Ok(())
    }

    #[test]
    fn default_phases_parse() -> anyhow::Result<()> {
        let phases = DEFAULT_PHASES
            .split(',')
            .map(|p| parse_phase(p, Duration::from_secs(1), 16, 4))
            .collect::<anyhow::Result<Vec<_>>>()?;
        assert_eq!(phases.len(), 8);
        assert_eq!(phases[7].concurrency, 4);
        assert_eq!(phases[0].concurrency, 16);
        Ok(())
    }
}
