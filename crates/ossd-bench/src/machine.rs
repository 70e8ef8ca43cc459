//! A description of the machine a run happened on (cores, CPU model, kernel, file system).

use std::path::Path;

/// What the report says about the machine.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Machine {
    /// Cores available to this process.
    pub cores: usize,
    /// The first `model name` of `/proc/cpuinfo`.
    pub cpu_model: String,
    /// The kernel release.
    pub kernel: String,
    /// Device and type of the file system holding the scratch directory.
    pub scratch_fs: String,
    /// 1/5/15-minute load averages when the run started (other work on a shared machine).
    pub load_at_start: String,
    /// Load averages when the run ended (filled by [`Machine::finish`]).
    pub load_at_end: Option<String>,
}

impl Machine {
    /// Probes the machine; `scratch` is where ossd's data directory lives.
    pub(crate) fn probe(scratch: &Path) -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')))
            .map_or_else(|| "unknown".to_owned(), |(_, m)| m.trim().to_owned());
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        Self {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model,
            kernel: kernel.trim().to_owned(),
            scratch_fs: mount_of(scratch),
            load_at_start: load_average(),
            load_at_end: None,
        }
    }

    /// Records the load averages at the end of the run.
    pub(crate) fn finish(&mut self) {
        self.load_at_end = Some(load_average());
    }

    /// One line for the text report.
    pub(crate) fn describe(&self) -> String {
        let end = self.load_at_end.as_deref().unwrap_or("-");
        format!(
            "machine: {} cores, {}, Linux {}, scratch on {}\nload average (1/5/15 min): {} at start, {end} at end",
            self.cores, self.cpu_model, self.kernel, self.scratch_fs, self.load_at_start
        )
    }
}

/// The first three fields of `/proc/loadavg`.
fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `device (fstype) at mountpoint` of the longest mount point containing `path`.
fn mount_of(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let (device, point, fstype) = (fields.next()?, fields.next()?, fields.next()?);
            path.starts_with(point)
                .then(|| (point.len(), format!("{device} ({fstype}) at {point}")))
        })
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| "unknown".to_owned(), |(_, text)| text)
}
