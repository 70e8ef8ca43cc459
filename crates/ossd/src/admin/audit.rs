//! `ossd admin audit tail [-n N] [--follow]`: the last records of the server's audit trail
//! (`GET /-/admin/audit?tail=N`, root AccessKey only), one JSON object per line; `--follow`
//! polls and prints records as they arrive.

use std::io::Write;
use std::time::Duration;

use anyhow::Context;
use clap::Subcommand;
use serde_json::Value;

use super::Ctx;

/// The most records one poll asks for (the server's limit).
const MAX_TAIL: u64 = 10_000;
/// Records asked for per poll with `--follow` (new ones beyond this between polls are missed,
/// and a gap is reported).
const FOLLOW_WINDOW: u64 = 1000;

/// `ossd admin audit` subcommands.
#[derive(Debug, Subcommand)]
pub(super) enum AuditCmd {
    /// Print the last records (RAM/STS changes, denials, administrative actions).
    Tail {
        /// How many records.
        #[arg(short = 'n', long = "lines", default_value_t = 50,
              value_parser = clap::value_parser!(u64).range(1..=MAX_TAIL))]
        lines: u64,
        /// Keep printing new records as they are written (Ctrl-C to stop).
        #[arg(short = 'f', long)]
        follow: bool,
        /// Milliseconds between polls with --follow.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(50..))]
        interval_ms: u64,
    },
}

/// Runs an `audit` subcommand.
pub(super) async fn run(cmd: AuditCmd, ctx: &Ctx) -> anyhow::Result<()> {
    let AuditCmd::Tail {
        lines,
        follow,
        interval_ms,
    } = cmd;
    let first = fetch(ctx, lines).await?;
    print(&first)?;
    if !follow {
        return Ok(());
    }
    let mut last = first.last().cloned();
    loop {
        tokio::time::sleep(Duration::from_millis(interval_ms)).await;
        let batch = fetch(ctx, FOLLOW_WINDOW).await?;
        let (fresh, gap) = after(&batch, last.as_ref());
        if gap {
            eprintln!("(more records than one poll returns arrived; some were skipped)");
        }
        print(fresh)?;
        if let Some(l) = batch.last() {
            last = Some(l.clone());
        }
    }
}

async fn fetch(ctx: &Ctx, n: u64) -> anyhow::Result<Vec<Value>> {
    let n = n.to_string();
    let v = ctx
        .client
        .admin_request(
            "GET",
            "admin/audit",
            &[("tail", n.as_str())],
            Duration::from_secs(60),
        )
        .await?;
    Ok(v.get("records")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default())
}

/// The records of `batch` after `last` (all of them, with a gap flag, when `last` is no longer
/// in the window; none when nothing was printed before and the batch is the same).
fn after<'a>(batch: &'a [Value], last: Option<&Value>) -> (&'a [Value], bool) {
    let Some(last) = last else {
        return (batch, false);
    };
    match batch.iter().rposition(|r| r == last) {
        Some(i) => (&batch[i + 1..], false),
        None => (batch, !batch.is_empty()),
    }
}

fn print(records: &[Value]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    for r in records {
        writeln!(out, "{r}").context("writing to stdout")?;
    }
    out.flush().context("writing to stdout")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn follow_prints_only_new_records() {
        let a = json!({"request_id": "a"});
        let b = json!({"request_id": "b"});
        let c = json!({"request_id": "c"});
        let batch = vec![a.clone(), b.clone(), c.clone()];
        assert_eq!(after(&batch, Some(&b)), (&batch[2..], false));
        assert_eq!(after(&batch, Some(&c)), (&batch[3..], false));
        assert_eq!(after(&batch, None), (&batch[..], false));
        let gone = json!({"request_id": "old"});
        assert_eq!(after(&batch, Some(&gone)), (&batch[..], true));
        assert_eq!(after(&[], Some(&gone)), (&[][..], false));
    }
}
