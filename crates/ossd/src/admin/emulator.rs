//! Emulator controls (docs/emulator.md), root AccessKey only:
//! `ossd admin clock [--advance D | --offset D]` moves or shows the clock of a `--dev` server
//! (`POST /-/admin/clock`), and `ossd admin reset` returns a `--dev`/`--seed` server to its
//! seeded state (`POST /-/admin/reset`).

use clap::Args;
use serde_json::Value;

use super::Ctx;
use super::output::count;

/// `ossd admin clock` options; with neither, the current offset is shown.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub(super) struct ClockArgs {
    /// Move the clock forward by this much (`3600`, `90m`, `1h`).
    #[arg(long)]
    advance: Option<String>,
    /// Set the offset from the real time (`0` returns to the real time).
    #[arg(long)]
    offset: Option<String>,
}

/// Moves or shows the server clock.
pub(super) async fn clock(args: ClockArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let mut query = Vec::new();
    if let Some(a) = &args.advance {
        query.push(("advance", a.as_str()));
    }
    if let Some(o) = &args.offset {
        query.push(("offset", o.as_str()));
    }
    let v = ctx.client.admin_post("admin/clock", &query).await?;
    ctx.out.emit(&v, |v| {
        format!(
            "offset: {} s\nserver time: {}\nreal time: {}",
            field(v, "offset_seconds"),
            field(v, "now"),
            field(v, "real_now")
        )
    })
}

/// Resets the server to its seeded state.
pub(super) async fn reset(ctx: &Ctx) -> anyhow::Result<()> {
    let v = ctx.client.admin_post("admin/reset", &[]).await?;
    ctx.out.emit(&v, |v| {
        let removed = v
            .get("buckets_removed")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        format!("reset ({} removed)", count(removed, "bucket", "buckets"))
    })
}

/// A field of the reply as text (strings without quotes).
fn field(v: &Value, name: &str) -> String {
    match v.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => "-".to_owned(),
    }
}
