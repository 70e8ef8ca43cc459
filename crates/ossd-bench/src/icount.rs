//! `ossd-bench icount`: instructions per request of the small-request hot paths, counted by
//! valgrind's callgrind in a real `ossd serve` (SQLite + files), and compared with a committed
//! baseline (docs/performance.md, "Instruction-count check").
//!
//! One server runs under `valgrind --tool=callgrind` (then a second one, with its object cache
//! off, for the cache-miss kind); the bench sends, over one kept-alive
//! connection and one request at a time, a warm-up and then a fixed number of requests of each
//! kind, zeroing the counters before and dumping them after (`callgrind_control -z` / `-d`).
//! Instructions per request is the dump's total divided by the request count: everything the
//! server process executed meanwhile (all threads: the async workers, the blocking pool, the
//! SQLite writer, the access log) except SQLite's WAL checkpoints ([`UNCOUNTED`]), nothing the
//! client did.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, bail};
use bytes::Bytes;

use crate::body::RepeatBody;
use crate::client::Target;
use crate::sign::{Credentials, Dialect, Signer};

/// AccessKey id given to the ossd under valgrind.
const KEY_ID: &str = "LTAI5tOssdIcountKey001";
/// AccessKey secret given to the ossd under valgrind.
const KEY_SECRET: &str = "OssdIcountSecret0123456789abcdefg";
/// The bucket the requests address.
const BUCKET: &str = "icount";
/// Size of the objects written and read.
const OBJECT_SIZE: u64 = 4096;
/// Objects under the listed prefix (one full ListObjectsV2 page of 100).
const LISTED: usize = 100;
/// Allowed growth written into a new baseline: 8 %, about five times the widest spread seen
/// between runs, with room for another CPU's choice of glibc routines (docs/performance.md).
const DEFAULT_MARGIN: f64 = 0.08;
/// SQLite's WAL checkpoint (copying WAL frames into the database file), left out of the count:
/// the checkpointer thread runs one at most every 50 ms while commits come, so how many run per
/// request depends on how long a request takes under valgrind (the disk's sync latency, the
/// machine's load), not on the code; counted, it moved PUT by 8 % between two runs of one build.
/// Its cost per write shows in the throughput bench. `--toggle-collect` turns collection off
/// inside the function, in the thread running it only.
const UNCOUNTED: &str = "walCheckpoint";

/// How long valgrind may take to start ossd.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// Flags of `ossd-bench icount`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct IcountArgs {
    /// Measured requests per kind.
    #[arg(long, default_value_t = 200)]
    pub requests: usize,
    /// Unmeasured requests per kind before the measured ones.
    #[arg(long, default_value_t = 50)]
    pub warmup: usize,
    /// The committed baseline (JSON); compared against unless --write-baseline.
    #[arg(long, default_value = "docs/perf/icount-baseline.json")]
    pub baseline: PathBuf,
    /// Write the measured figures as the new baseline instead of comparing.
    #[arg(long)]
    pub write_baseline: bool,
    /// Allowed growth over the baseline, as a fraction (default: the baseline's own `margin`).
    #[arg(long)]
    pub margin: Option<f64>,
    /// Keep the callgrind dumps (one per kind, for `callgrind_annotate`) in this directory.
    #[arg(long)]
    pub keep_dumps: Option<PathBuf>,
    /// The valgrind executable.
    #[arg(long, default_value = "valgrind")]
    pub valgrind: PathBuf,
}

/// The request kinds measured, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Authenticated GetObject of a 4 KiB object.
    Get,
    /// HeadObject of a 4 KiB object.
    Head,
    /// PutObject of 4 KiB, new key each time (durable before the answer).
    Put,
    /// ListObjectsV2, one page of 100 keys.
    List,
    /// GetObject of a 4 KiB object with the object cache off (a second server): every read goes
    /// to SQLite, as most GETs do when the objects read do not fit the cache.
    GetMiss,
}

impl Kind {
    const ALL: [Kind; 5] = [Kind::Get, Kind::Head, Kind::Put, Kind::List, Kind::GetMiss];

    /// The name in the baseline and the table.
    fn name(self) -> &'static str {
        match self {
            Kind::Get => "get_4KiB",
            Kind::Head => "head_4KiB",
            Kind::Put => "put_4KiB",
            Kind::List => "list_100",
            Kind::GetMiss => "get_4KiB_miss",
        }
    }

    /// Whether this kind is measured on the server whose object cache is off.
    fn cache_off(self) -> bool {
        self == Kind::GetMiss
    }
}

/// The committed baseline.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Baseline {
    /// How the figures are to be read and regenerated.
    about: String,
    /// Allowed growth, as a fraction of the baseline.
    margin: f64,
    /// Measured requests per kind when the baseline was taken.
    requests: usize,
    /// Instructions per request, by kind.
    instructions_per_request: BTreeMap<String, u64>,
}

/// Runs the check; `Ok(false)` when a kind grew beyond the margin.
pub(crate) async fn run(ossd_bin: &Path, args: &IcountArgs) -> anyhow::Result<bool> {
    let scratch = tempfile::Builder::new()
        .prefix("ossd-icount-")
        .tempdir()
        .context("creating the scratch directory")?;
    let dumps = match &args.keep_dumps {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            dir.clone()
        }
        None => scratch.path().to_path_buf(),
    };
    let ossd_bin = sibling_or(ossd_bin);
    let mut measured = BTreeMap::new();
    for cache_off in [false, true] {
        let kinds: Vec<Kind> = Kind::ALL
            .into_iter()
            .filter(|k| k.cache_off() == cache_off)
            .collect();
        let data = scratch
            .path()
            .join(if cache_off { "cache-off" } else { "cache-on" });
        std::fs::create_dir_all(&data).with_context(|| format!("creating {}", data.display()))?;
        let server = Valgrinded::start(&args.valgrind, &ossd_bin, &data, &dumps, cache_off)?;
        measure(server, &kinds, args, &mut measured).await?;
    }
    if args.write_baseline {
        let baseline = Baseline {
            about:
                "Instructions per request counted by callgrind in `ossd serve` (release build), \
                    one request at a time after a warm-up; regenerate with `ossd-bench icount \
                    --write-baseline` (docs/performance.md, \"Instruction-count check\")."
                    .into(),
            margin: args.margin.unwrap_or(DEFAULT_MARGIN),
            requests: args.requests,
            instructions_per_request: measured.clone(),
        };
        let text = serde_json::to_string_pretty(&baseline)? + "\n";
        std::fs::write(&args.baseline, text)
            .with_context(|| format!("writing {}", args.baseline.display()))?;
        print!("{}", table(&measured, None, baseline.margin));
        println!("baseline written to {}", args.baseline.display());
        return Ok(true);
    }
    let text = std::fs::read_to_string(&args.baseline)
        .with_context(|| format!("reading the baseline {}", args.baseline.display()))?;
    let baseline: Baseline = serde_json::from_str(&text)
        .with_context(|| format!("parsing the baseline {}", args.baseline.display()))?;
    let margin = args.margin.unwrap_or(baseline.margin);
    print!("{}", table(&measured, Some(&baseline), margin));
    let pass = measured.iter().all(|(name, &now)| {
        baseline
            .instructions_per_request
            .get(name)
            .is_none_or(|&base| (now as f64) <= base as f64 * (1.0 + margin))
    });
    println!(
        "icount: {} (margin +{:.0} %)",
        if pass { "PASS" } else { "FAIL" },
        margin * 100.0
    );
    Ok(pass)
}

/// Creates the bucket and its listed objects on `server`, then measures each of `kinds` into
/// `measured`; the server is stopped at the end.
async fn measure(
    mut server: Valgrinded,
    kinds: &[Kind],
    args: &IcountArgs,
    measured: &mut BTreeMap<String, u64>,
) -> anyhow::Result<()> {
    let signer = Signer {
        dialect: Dialect::Oss,
        creds: Credentials {
            access_key_id: KEY_ID.into(),
            secret: KEY_SECRET.into(),
            region: Dialect::Oss.default_region().into(),
        },
    };
    let target = Target::new(server.authority.clone(), BUCKET.into(), signer, 1);
    target.create_bucket().await?;
    let block = crate::body::random_block();
    for i in 0..LISTED {
        let body = RepeatBody::new(block.clone(), OBJECT_SIZE);
        target.put(&listed_key(i), body).await?;
    }
    let mut put_seq = 0usize;
    for &kind in kinds {
        eprintln!(
            "icount: {} ({} + {} requests)",
            kind.name(),
            args.warmup,
            args.requests
        );
        for i in 0..args.warmup {
            one(&target, kind, i, &block, &mut put_seq).await?;
        }
        server.control("-z")?;
        for i in 0..args.requests {
            one(&target, kind, i, &block, &mut put_seq).await?;
        }
        let total = server.dump(kind.name())?;
        let per = total / u64::try_from(args.requests.max(1)).unwrap_or(1);
        measured.insert(kind.name().to_owned(), per);
    }
    Ok(())
}

/// `ossd` next to this binary when `given` does not exist (the same target directory).
fn sibling_or(given: &Path) -> PathBuf {
    let sibling = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("ossd")));
    match sibling {
        Some(s) if !given.exists() && s.exists() => s,
        _ => given.to_path_buf(),
    }
}

/// The key of the `i`th listed object.
fn listed_key(i: usize) -> String {
    format!("list/obj-{i:04}")
}

/// One request of `kind`.
async fn one(
    target: &Target,
    kind: Kind,
    i: usize,
    block: &Bytes,
    put_seq: &mut usize,
) -> anyhow::Result<()> {
    match kind {
        Kind::Get | Kind::GetMiss => target
            .get(&listed_key(i % LISTED), OBJECT_SIZE)
            .await
            .map(drop),
        Kind::Head => target
            .head(&listed_key(i % LISTED), OBJECT_SIZE)
            .await
            .map(drop),
        Kind::Put => {
            *put_seq += 1;
            let body = RepeatBody::new(block.clone(), OBJECT_SIZE);
            target
                .put(&format!("put/obj-{put_seq:06}"), body)
                .await
                .map(drop)
        }
        Kind::List => target.list("list/").await.map(drop),
    }
}

/// The table: kind, instructions per request, baseline, change.
fn table(measured: &BTreeMap<String, u64>, baseline: Option<&Baseline>, margin: f64) -> String {
    let mut out = format!(
        "{:<10} {:>14} {:>14} {:>8}  {}\n",
        "request", "instr/req", "baseline", "change", "verdict"
    );
    for kind in Kind::ALL {
        let name = kind.name();
        let now = measured.get(name).copied().unwrap_or(0);
        let base = baseline.and_then(|b| b.instructions_per_request.get(name).copied());
        let (base_text, change, verdict) = match base {
            Some(base) if base > 0 => {
                let change = now as f64 / base as f64 - 1.0;
                let verdict = if change > margin {
                    "FAIL: above the margin"
                } else if change < -margin {
                    "ok (well below: consider --write-baseline)"
                } else {
                    "ok"
                };
                (
                    base.to_string(),
                    format!("{:+.1}%", change * 100.0),
                    verdict,
                )
            }
            _ => ("-".into(), "-".into(), "-"),
        };
        out.push_str(&format!(
            "{name:<10} {now:>14} {base_text:>14} {change:>8}  {verdict}\n"
        ));
    }
    out
}

/// `ossd serve` under callgrind; killed when dropped.
struct Valgrinded {
    child: Child,
    /// `127.0.0.1:PORT`.
    authority: String,
    /// The callgrind output file's base name (dumps are `<base>.<n>`).
    out_base: PathBuf,
    /// Dumps taken so far.
    dumps: usize,
    /// Where each kind's dump is copied under its name.
    dump_dir: PathBuf,
}

impl Valgrinded {
    /// Starts ossd under callgrind on a fresh data directory in `scratch`, with its object cache
    /// off when `cache_off`.
    fn start(
        valgrind: &Path,
        ossd: &Path,
        scratch: &Path,
        dump_dir: &Path,
        cache_off: bool,
    ) -> anyhow::Result<Self> {
        let out_base = scratch.join("callgrind.out");
        let log = std::fs::File::create(scratch.join("ossd.log")).context("creating ossd.log")?;
        let mut cmd = Command::new(valgrind);
        cmd.arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", out_base.display()))
            .arg(format!("--toggle-collect={UNCOUNTED}"))
            // After `--toggle-collect`, which would otherwise start with collection off.
            .arg("--collect-atstart=yes")
            .arg(ossd)
            .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(scratch.join("data"))
            .env("OSSD_ROOT_ACCESS_KEY_ID", KEY_ID)
            .env("OSSD_ROOT_ACCESS_KEY_SECRET", KEY_SECRET)
            .env_remove("RUST_LOG")
            // The default cache, whatever the caller's environment says, or none.
            .env_remove("OSSD_OBJECT_CACHE_BYTES");
        if cache_off {
            cmd.env("OSSD_OBJECT_CACHE_BYTES", "0");
        }
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(log);
        let mut child = cmd
            .spawn()
            .with_context(|| format!("starting {} (is valgrind installed?)", valgrind.display()))?;
        let stdout = child.stdout.take().context("child stdout")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if !sent && let Some((_, addr)) = line.split_once(" listening on http://") {
                    sent = tx.send(addr.trim().to_owned()).is_ok();
                }
            }
        });
        let authority = match rx.recv_timeout(START_TIMEOUT) {
            Ok(a) => a,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                bail!(
                    "ossd under valgrind printed no listening line ({e}); see {}",
                    scratch.join("ossd.log").display()
                );
            }
        };
        Ok(Self {
            child,
            authority,
            out_base,
            dumps: 0,
            dump_dir: dump_dir.to_path_buf(),
        })
    }

    /// Runs `callgrind_control <flag> <pid>`.
    fn control(&self, flag: &str) -> anyhow::Result<()> {
        let out = Command::new("callgrind_control")
            .arg(flag)
            .arg(self.child.id().to_string())
            .output()
            .context("running callgrind_control")?;
        if !out.status.success() {
            bail!(
                "callgrind_control {flag}: {}: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(())
    }

    /// Dumps the counters (since the last zeroing) and returns their instruction total; the
    /// dump is kept as `callgrind.<name>` in the dump directory.
    fn dump(&mut self, name: &str) -> anyhow::Result<u64> {
        self.control("-d")?;
        self.dumps += 1;
        let path = PathBuf::from(format!("{}.{}", self.out_base.display(), self.dumps));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let kept = self.dump_dir.join(format!("callgrind.{name}"));
        std::fs::copy(&path, &kept).with_context(|| format!("copying to {}", kept.display()))?;
        text.lines()
            .find_map(|l| {
                l.strip_prefix("summary:")
                    .or_else(|| l.strip_prefix("totals:"))
            })
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .with_context(|| format!("no instruction total in {}", path.display()))
    }
}

impl Drop for Valgrinded {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
