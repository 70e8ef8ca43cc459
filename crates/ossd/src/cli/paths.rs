//! Locations on the command line: `oss://bucket/key` (remote) or a local path, and the mapping
//! between keys under a prefix and files under a directory (docs/cli.md#paths).

use std::path::{Component, Path, PathBuf};

use super::error::usage;

/// The scheme of remote locations.
pub(crate) const SCHEME: &str = "oss://";

/// A bucket and a key (or prefix; empty for the whole bucket).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Remote {
    /// Bucket name.
    pub bucket: String,
    /// Object key or prefix.
    pub key: String,
}

impl std::fmt::Display for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{SCHEME}{}/{}", self.bucket, self.key)
    }
}

impl Remote {
    /// Parses `oss://bucket[/key]`.
    pub(crate) fn parse(s: &str) -> anyhow::Result<Self> {
        let rest = s
            .strip_prefix(SCHEME)
            .ok_or_else(|| usage(format!("{s:?} is not a remote path (oss://bucket/key)")))?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(usage(format!("{s:?} names no bucket")));
        }
        Ok(Self {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
        })
    }

    /// Whether the key names a "directory": empty or ending with `/`.
    pub(crate) fn is_dir_like(&self) -> bool {
        self.key.is_empty() || self.key.ends_with('/')
    }

    /// The prefix of everything "in" this location as a directory: the key with a trailing
    /// `/` (empty for the whole bucket).
    pub(crate) fn dir_prefix(&self) -> String {
        if self.is_dir_like() {
            self.key.clone()
        } else {
            format!("{}/", self.key)
        }
    }

    /// The location of `rel` inside this one as a directory.
    pub(crate) fn join(&self, rel: &str) -> Self {
        Self {
            bucket: self.bucket.clone(),
            key: format!("{}{rel}", self.dir_prefix()),
        }
    }

    /// The last `/`-separated segment of the key.
    pub(crate) fn base_name(&self) -> &str {
        self.key.rsplit('/').next().unwrap_or(&self.key)
    }

    /// The same bucket with another key.
    pub(crate) fn with_key(&self, key: impl Into<String>) -> Self {
        Self {
            bucket: self.bucket.clone(),
            key: key.into(),
        }
    }
}

/// A command-line location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    /// `oss://bucket/key`.
    Remote(Remote),
    /// A local path (`-`: standard input or output, where a command allows it).
    Local(PathBuf),
}

impl Location {
    /// `oss://…` is remote, anything else local.
    pub(crate) fn parse(s: &str) -> anyhow::Result<Self> {
        if s.starts_with(SCHEME) {
            Remote::parse(s).map(Self::Remote)
        } else if s.is_empty() {
            Err(usage("an empty path"))
        } else {
            Ok(Self::Local(PathBuf::from(s)))
        }
    }
}

/// The file for `rel` (a key relative to a prefix, `/`-separated) under `dir`. A key that
/// would leave `dir` or is not a plain relative path (`..`, `.`, empty segments, absolute) is
/// refused rather than written somewhere unexpected.
pub(crate) fn local_path_for(dir: &Path, rel: &str) -> anyhow::Result<PathBuf> {
    let mut path = dir.to_path_buf();
    for segment in rel.split('/') {
        let plain = matches!(
            Path::new(segment)
                .components()
                .collect::<Vec<_>>()
                .as_slice(),
            [Component::Normal(_)]
        );
        if !plain || segment.contains('\\') {
            anyhow::bail!("the key part {rel:?} cannot be a local path (refused)");
        }
        path.push(segment);
    }
    Ok(path)
}

/// The `/`-separated key suffix of `file` under `base`.
pub(crate) fn relative_key(base: &Path, file: &Path) -> anyhow::Result<String> {
    let rel = file.strip_prefix(base)?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    match parts {
        Some(parts) if !parts.is_empty() => Ok(parts.join("/")),
        _ => anyhow::bail!("{} has no UTF-8 name usable as a key", file.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes() -> anyhow::Result<()> {
        let r = Remote::parse("oss://b/a/b.txt")?;
        assert_eq!((r.bucket.as_str(), r.key.as_str()), ("b", "a/b.txt"));
        assert_eq!(r.base_name(), "b.txt");
        assert_eq!(r.dir_prefix(), "a/b.txt/");
        assert_eq!(r.to_string(), "oss://b/a/b.txt");
        let b = Remote::parse("oss://b")?;
        assert!(b.is_dir_like());
        assert_eq!(b.join("x/y").key, "x/y");
        assert_eq!(Remote::parse("oss://b/p/")?.join("x").key, "p/x");
        assert!(Remote::parse("oss:///k").is_err());
        assert!(Remote::parse("s3://b/k").is_err());
        assert!(matches!(Location::parse("./f")?, Location::Local(_)));
        assert!(matches!(Location::parse("oss://b/k")?, Location::Remote(_)));
        Ok(())
    }

    #[test]
    fn keys_never_leave_the_directory() -> anyhow::Result<()> {
        let dir = Path::new("/tmp/d");
        assert_eq!(local_path_for(dir, "a/b.txt")?, dir.join("a").join("b.txt"));
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a//b",
            "./a",
            "a/.",
            "",
            "a\\..\\b",
        ] {
            assert!(local_path_for(dir, bad).is_err(), "{bad}");
        }
        Ok(())
    }

    #[test]
    fn relative_keys() -> anyhow::Result<()> {
        let base = Path::new("/tmp/d");
        assert_eq!(
            relative_key(base, &base.join("a").join("b.txt"))?,
            "a/b.txt"
        );
        assert!(relative_key(base, base).is_err());
        Ok(())
    }
}
