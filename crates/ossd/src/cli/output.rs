//! Output modes: human lines, or one JSON object per line (`--json`); `--quiet` drops the
//! per-object action lines and the progress line.

use std::io::{IsTerminal, Write};

use serde_json::Value;

/// Prints results and actions in the selected mode.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Printer {
    /// `--json`.
    json: bool,
    /// `--quiet`.
    quiet: bool,
}

impl Printer {
    /// A printer for `--json` and `--quiet`.
    pub(crate) fn new(json: bool, quiet: bool) -> Self {
        Self { json, quiet }
    }

    /// Whether a progress line is drawn: standard error is a terminal and neither `--json` nor
    /// `--quiet` is set.
    pub(crate) fn progress(&self) -> bool {
        !self.json && !self.quiet && std::io::stderr().is_terminal()
    }

    /// Prints a result (a listing entry, a stat, a URL): always, as one JSON line or `human`.
    pub(crate) fn result(
        &self,
        value: &Value,
        human: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        let line = if self.json {
            value.to_string()
        } else {
            human()
        };
        write_line(&line)
    }

    /// Prints what was done to one object (upload, delete …); nothing with `--quiet`.
    pub(crate) fn action(
        &self,
        value: &Value,
        human: impl FnOnce() -> String,
    ) -> anyhow::Result<()> {
        if self.quiet {
            return Ok(());
        }
        self.result(value, human)
    }
}

/// Writes one line to standard output (the progress line is cleared first).
fn write_line(line: &str) -> anyhow::Result<()> {
    super::progress::clear_line();
    let mut line = line.to_owned();
    line.push('\n');
    write_stdout(line.as_bytes())
}

/// Writes `data` to standard output and flushes it.
pub(crate) fn write_stdout(data: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(data)
        .and_then(|()| out.flush())
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => StdoutClosed.into(),
            _ => anyhow::Error::new(e).context("writing to standard output"),
        })
}

/// Standard output was closed by its reader (`ossd cat … | head`): the command stops, and
/// that is not a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StdoutClosed;

impl std::fmt::Display for StdoutClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("standard output was closed")
    }
}

impl std::error::Error for StdoutClosed {}

/// An RFC 3339 / ISO 8601 time from the server shown as `YYYY-MM-DD hh:mm:ss`.
pub(crate) fn short_time(iso: &str) -> String {
    let t = iso.get(..19).unwrap_or(iso);
    t.replacen('T', " ", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(
            short_time("2026-12-06T07:31:12.000Z"),
            "2026-12-06 07:31:12"
        );
        assert_eq!(short_time("odd"), "odd");
    }
}
