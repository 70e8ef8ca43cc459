//! Reading a server process's memory and CPU from `/proc` (Linux).

use anyhow::Context;

/// Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, 100 on Linux).
const TICKS_PER_SEC: f64 = 100.0;

/// Peak resident set size (`VmHWM`) of `pid`, in bytes.
pub(crate) fn peak_rss(pid: u32) -> anyhow::Result<u64> {
    status_kib(pid, "VmHWM:").map(|kib| kib * 1024)
}

/// Resets `pid`'s peak RSS to its current RSS (writes `5` to `/proc/<pid>/clear_refs`).
pub(crate) fn reset_peak_rss(pid: u32) -> anyhow::Result<()> {
    let path = format!("/proc/{pid}/clear_refs");
    std::fs::write(&path, "5").with_context(|| format!("writing {path}"))
}

/// User plus system CPU seconds used so far by `pid`.
pub(crate) fn cpu_seconds(pid: u32) -> anyhow::Result<f64> {
    let path = format!("/proc/{pid}/stat");
    let stat = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    // The command name (field 2) may contain spaces; fields after its closing ')' are plain.
    let after = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .context("malformed stat")?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15; `after` starts at field 3.
    let ticks = |i: usize| -> anyhow::Result<u64> {
        let field = fields.get(i - 3).context("short stat")?;
        field.parse::<u64>().context("bad stat field")
    };
    Ok((ticks(14)? + ticks(15)?) as f64 / TICKS_PER_SEC)
}

/// A `kB` field of `/proc/<pid>/status`, in KiB.
fn status_kib(pid: u32, field: &str) -> anyhow::Result<u64> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .with_context(|| format!("{field} missing in {path}"))?;
    let value = line
        .trim_start_matches(field)
        .trim()
        .trim_end_matches("kB")
        .trim();
    value
        .parse()
        .with_context(|| format!("bad {field} value {value:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_own_process() -> anyhow::Result<()> {
        let me = std::process::id();
        assert!(peak_rss(me)? > 0);
        assert!(cpu_seconds(me)? >= 0.0);
        Ok(())
    }
}
