//! The backup manifest (`manifest.json`, written last: a backup without one is incomplete) and
//! its verification: every listed file present with its size, and the SHA-256 of the metadata
//! snapshot and key files.

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// File name of the manifest inside a backup directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The manifest format this build writes and reads.
pub(crate) const FORMAT: u32 = 1;

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// The version of the ossd that wrote it.
    pub ossd_version: String,
    /// When the metadata snapshot was taken (RFC 3339).
    pub created: String,
    /// The account the data belongs to.
    pub account_id: String,
    /// Buckets in the snapshot.
    pub buckets: u64,
    /// Current objects in the snapshot.
    pub objects: u64,
    /// Object versions and delete markers in the snapshot.
    pub versions: u64,
    /// Total size of the current objects.
    pub object_bytes: u64,
    /// Blob files copied (one per referenced blob).
    pub blob_files: u64,
    /// Their total size.
    pub blob_bytes: u64,
    /// How many blob files were hard-linked rather than copied.
    pub linked: u64,
    /// Every file of the backup except the manifest.
    pub files: Vec<ManifestFile>,
}

/// One file of a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Path relative to the backup directory, `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Hex SHA-256 (metadata snapshot and key files; blobs are checked by size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// Why a backup directory does not verify.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ManifestError {
    /// The manifest is missing or unreadable (an incomplete backup).
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The failure.
        #[source]
        source: std::io::Error,
    },
    /// The manifest is not valid JSON of this format.
    #[error("manifest: {0}")]
    Invalid(String),
    /// A listed file differs from the manifest.
    #[error("{path}: {problem}")]
    Mismatch {
        /// The file, relative to the backup.
        path: String,
        /// What differs.
        problem: String,
    },
}

impl ManifestFile {
    /// The entry of file `rel` under `root`, hashed when `hash`.
    pub fn of(root: &Path, rel: &Path, hash: bool) -> std::io::Result<Self> {
        let full = root.join(rel);
        let size = fs::metadata(&full)?.len();
        let sha256 = if hash {
            Some(sha256_file(&full)?)
        } else {
            None
        };
        Ok(Self {
            path: rel.to_string_lossy().into_owned(),
            size,
            sha256,
        })
    }

    /// The relative path, refused if it could leave the backup directory.
    pub fn relative_path(&self) -> Result<PathBuf, ManifestError> {
        let path = PathBuf::from(&self.path);
        let safe =
            !self.path.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
        if safe {
            Ok(path)
        } else {
            Err(ManifestError::Mismatch {
                path: self.path.clone(),
                problem: "not a relative path inside the backup".to_owned(),
            })
        }
    }

    /// Checks the file under `root` against this entry.
    pub fn check(&self, root: &Path) -> Result<(), ManifestError> {
        let full = root.join(self.relative_path()?);
        let mismatch = |problem: String| ManifestError::Mismatch {
            path: self.path.clone(),
            problem,
        };
        let size = fs::metadata(&full)
            .map_err(|e| mismatch(e.to_string()))?
            .len();
        if size != self.size {
            return Err(mismatch(format!("{size} bytes, expected {}", self.size)));
        }
        if let Some(expected) = &self.sha256 {
            let found = sha256_file(&full).map_err(|e| mismatch(e.to_string()))?;
            if &found != expected {
                return Err(mismatch("SHA-256 differs".to_owned()));
            }
        }
        Ok(())
    }
}

impl Manifest {
    /// Reads `dir/manifest.json` and checks every listed file.
    pub fn verify(dir: &Path) -> Result<Self, ManifestError> {
        let path = dir.join(MANIFEST_FILE);
        let text = fs::read(&path).map_err(|source| ManifestError::Io {
            path: path.clone(),
            source,
        })?;
        let manifest: Self =
            serde_json::from_slice(&text).map_err(|e| ManifestError::Invalid(e.to_string()))?;
        if manifest.format != FORMAT {
            return Err(ManifestError::Invalid(format!(
                "format {} is not {FORMAT}",
                manifest.format
            )));
        }
        for file in &manifest.files {
            file.check(dir)?;
        }
        Ok(manifest)
    }
}

/// Hex SHA-256 of a file's contents.
fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(files: Vec<ManifestFile>) -> Manifest {
        Manifest {
            format: FORMAT,
            ossd_version: "0.1.0".to_owned(),
            created: "2025-01-01T00:00:00Z".to_owned(),
            account_id: "1".to_owned(),
            buckets: 0,
            objects: 0,
            versions: 0,
            object_bytes: 0,
            blob_files: 0,
            blob_bytes: 0,
            linked: 0,
            files,
        }
    }

    #[test]
    fn verifies_sizes_hashes_and_paths() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        fs::create_dir_all(tmp.path().join("blobs/objects/ab"))?;
        fs::write(tmp.path().join("master.key"), b"key bytes")?;
        fs::write(tmp.path().join("blobs/objects/ab/x"), b"12345")?;
        let files = vec![
            ManifestFile::of(tmp.path(), Path::new("master.key"), true)?,
            ManifestFile::of(tmp.path(), Path::new("blobs/objects/ab/x"), false)?,
        ];
        let m = manifest(files);
        fs::write(tmp.path().join(MANIFEST_FILE), serde_json::to_vec(&m)?)?;
        assert_eq!(Manifest::verify(tmp.path())?, m);

        fs::write(tmp.path().join("master.key"), b"key bytez")?;
        let err = Manifest::verify(tmp.path()).err();
        assert!(
            matches!(err, Some(ManifestError::Mismatch { .. })),
            "{err:?}"
        );

        fs::write(tmp.path().join("master.key"), b"key bytes")?;
        fs::write(tmp.path().join("blobs/objects/ab/x"), b"1234")?;
        assert!(Manifest::verify(tmp.path()).is_err(), "size differs");

        let escaping = ManifestFile {
            path: "../etc/passwd".to_owned(),
            size: 1,
            sha256: None,
        };
        assert!(escaping.relative_path().is_err());
        Ok(())
    }

    #[test]
    fn missing_manifest_means_incomplete() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        assert!(matches!(
            Manifest::verify(tmp.path()),
            Err(ManifestError::Io { .. })
        ));
        Ok(())
    }
}
