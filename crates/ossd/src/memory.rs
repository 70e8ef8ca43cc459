//! The memory this process may use, for defaults that scale with the machine: the smaller of the
//! machine's RAM and the memory limit of its control group (a container's or a systemd unit's
//! `MemoryMax=`), as read from Linux's `/proc` and `/sys/fs/cgroup`.

use std::path::{Path, PathBuf};

/// The object cache's default budget when the memory is not known (not Linux, or unreadable),
/// and its floor.
const MIN_OBJECT_CACHE: u64 = 64 << 20;
/// The object cache's default budget on a machine with 16 GiB or more.
const MAX_OBJECT_CACHE: u64 = 1 << 30;
/// The share of the memory the object cache takes by default: a sixteenth.
const OBJECT_CACHE_SHARE: u64 = 16;

/// The default budget of the SQLite backend's object cache for `memory` bytes of memory: a
/// sixteenth of it, between 64 MiB and 1 GiB; 64 MiB when the memory is unknown.
pub(crate) fn default_object_cache_bytes(memory: Option<u64>) -> usize {
    let bytes = memory.map_or(MIN_OBJECT_CACHE, |m| {
        (m / OBJECT_CACHE_SHARE).clamp(MIN_OBJECT_CACHE, MAX_OBJECT_CACHE)
    });
    // At most 1 GiB: fits every usize ossd builds for (64-bit targets).
    usize::try_from(bytes).unwrap_or(usize::MAX)
}

/// Bytes of memory this process may use, if known: `MemTotal` of `/proc/meminfo`, lowered by
/// any memory limit of this process's control group or of its ancestors (cgroup v2
/// `memory.max`, cgroup v1 `memory.limit_in_bytes`).
pub(crate) fn available() -> Option<u64> {
    let ram = read("/proc/meminfo").and_then(|text| mem_total(&text));
    let groups = read("/proc/self/cgroup").unwrap_or_default();
    let limit = limit_files(Path::new("/sys/fs/cgroup"), &groups)
        .iter()
        .filter_map(|file| read(file).and_then(|text| cgroup_limit(&text)))
        .min();
    match (ram, limit) {
        (Some(ram), Some(limit)) => Some(ram.min(limit)),
        (ram, limit) => ram.or(limit),
    }
}

/// A file's text, or `None` if it cannot be read.
fn read(path: impl AsRef<Path>) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// `MemTotal` of a `/proc/meminfo` text, in bytes.
fn mem_total(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line
        .trim_start_matches("MemTotal:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    kib.checked_mul(1024)
}

/// A cgroup limit file's value in bytes; `None` for no limit (`max`, or v1's "unlimited",
/// a number near `i64::MAX`).
fn cgroup_limit(text: &str) -> Option<u64> {
    let bytes: u64 = text.trim().parse().ok()?;
    (bytes < 1 << 62).then_some(bytes)
}

/// The limit files that apply to this process, given `/proc/self/cgroup` and the cgroup mount
/// point: its group's and every ancestor's, for the unified hierarchy (v2, `0::/path`) and the
/// v1 memory controller (`N:memory:/path`, or a controller list that names `memory`).
fn limit_files(root: &Path, proc_self_cgroup: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for line in proc_self_cgroup.lines() {
        let mut fields = line.splitn(3, ':');
        let (Some(id), Some(controllers), Some(path)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let (dir, file) = if id == "0" && controllers.is_empty() {
            // The unified hierarchy is mounted at the root, or under `unified/` next to v1's.
            if root.join("cgroup.controllers").exists() {
                (root.to_path_buf(), "memory.max")
            } else {
                (root.join("unified"), "memory.max")
            }
        } else if controllers.split(',').any(|c| c == "memory") {
            (root.join("memory"), "memory.limit_in_bytes")
        } else {
            continue;
        };
        // A namespaced container sees its own group as `/`; the ancestors that exist in the
        // mount are read as well (a limit may be set on any of them).
        let mut group = PathBuf::from(path.trim_start_matches('/'));
        loop {
            files.push(dir.join(&group).join(file));
            if !group.pop() {
                break;
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1 << 30;

    #[test]
    fn the_default_cache_is_a_sixteenth_between_64_mib_and_1_gib() {
        assert_eq!(default_object_cache_bytes(None), 64 << 20);
        assert_eq!(default_object_cache_bytes(Some(512 << 20)), 64 << 20);
        assert_eq!(default_object_cache_bytes(Some(GIB)), 64 << 20);
        assert_eq!(default_object_cache_bytes(Some(4 * GIB)), 256 << 20);
        assert_eq!(default_object_cache_bytes(Some(7 * GIB)), 448 << 20);
        assert_eq!(default_object_cache_bytes(Some(16 * GIB)), 1 << 30);
        assert_eq!(default_object_cache_bytes(Some(512 * GIB)), 1 << 30);
    }

    #[test]
    fn mem_total_is_read_in_kib() {
        let text = "MemTotal:       24731408 kB\nMemFree:        21318000 kB\n";
        assert_eq!(mem_total(text), Some(24_731_408 * 1024));
        assert_eq!(mem_total("MemFree: 1 kB\n"), None);
        assert_eq!(mem_total("MemTotal: lots kB\n"), None);
    }

    #[test]
    fn an_unlimited_group_has_no_limit() {
        assert_eq!(cgroup_limit("max\n"), None);
        assert_eq!(cgroup_limit("9223372036854771712\n"), None);
        assert_eq!(cgroup_limit("536870912\n"), Some(512 << 20));
        assert_eq!(cgroup_limit(""), None);
    }

    #[test]
    fn the_group_and_its_ancestors_are_read_on_v1_and_v2() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        // v1 with the unified hierarchy beside it (a hybrid host).
        let hybrid = "4:memory:/process_api/abc\n3:cpu,cpuacct:/x\n0::/\n";
        assert_eq!(
            limit_files(root, hybrid),
            vec![
                root.join("memory/process_api/abc/memory.limit_in_bytes"),
                root.join("memory/process_api/memory.limit_in_bytes"),
                root.join("memory/memory.limit_in_bytes"),
                root.join("unified/memory.max"),
            ]
        );
        // Pure v2, mounted at the root.
        std::fs::write(root.join("cgroup.controllers"), "memory pids\n").expect("write");
        assert_eq!(
            limit_files(root, "0::/system.slice/ossd.service\n"),
            vec![
                root.join("system.slice/ossd.service/memory.max"),
                root.join("system.slice/memory.max"),
                root.join("memory.max"),
            ]
        );
        assert!(limit_files(root, "garbage\n\n").is_empty());
    }

    #[test]
    fn this_machine_has_some_memory() {
        if cfg!(target_os = "linux") {
            assert!(available().is_some_and(|bytes| bytes > 0));
        }
    }
}
