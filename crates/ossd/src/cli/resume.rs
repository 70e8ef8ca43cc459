//! Resuming an interrupted multipart upload of a file: the newest unfinished upload of the same
//! key whose parts have the sizes this upload would cut
//! (docs/protocol/multipart.md#listmultipartuploads, #listparts) is continued; a part already
//! there is kept when its ETag is the MD5 of the same bytes of the file, and sent again
//! otherwise.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use anyhow::Context;
use md5::{Digest, Md5};

use super::client::ObjectClient;
use super::etag::same;
use super::listing::{self, PartEntry};
use super::paths::Remote;

/// How many unfinished uploads of the key are examined, newest first.
const CANDIDATES: usize = 3;

/// An unfinished upload to continue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resumable {
    /// Its upload id.
    pub upload_id: String,
    /// The ETags of the parts already there, by part number.
    pub parts: BTreeMap<u64, String>,
}

/// The unfinished upload to `dst` that a file of `size` bytes in parts of `part_size` can
/// continue, if any.
pub(crate) async fn find(
    client: &ObjectClient,
    dst: &Remote,
    size: u64,
    part_size: u64,
) -> anyhow::Result<Option<Resumable>> {
    let mut candidates: Vec<_> = listing::uploads(client, &dst.bucket, &dst.key)
        .await?
        .into_iter()
        .filter(|u| u.key == dst.key)
        .collect();
    // ISO 8601 times sort as text; newest first.
    candidates.sort_by(|a, b| b.initiated.cmp(&a.initiated));
    for upload in candidates.into_iter().take(CANDIDATES) {
        let parts = listing::parts(client, &dst.bucket, &dst.key, &upload.upload_id).await?;
        if !parts.is_empty() && fits(&parts, size, part_size) {
            return Ok(Some(Resumable {
                upload_id: upload.upload_id,
                parts: parts.into_iter().map(|p| (p.number, p.etag)).collect(),
            }));
        }
    }
    Ok(None)
}

/// Whether every part has the number and size this upload would give it.
fn fits(parts: &[PartEntry], size: u64, part_size: u64) -> bool {
    let count = size.div_ceil(part_size);
    parts.iter().all(|p| {
        (1..=count).contains(&p.number)
            && p.size == part_size.min(size - (p.number - 1) * part_size)
    })
}

/// Whether the `len` bytes of `path` at `offset` are the part with `etag`.
pub(crate) async fn part_matches(
    path: &Path,
    offset: u64,
    len: u64,
    etag: &str,
) -> anyhow::Result<bool> {
    let path: PathBuf = path.to_path_buf();
    let digest = tokio::task::spawn_blocking(move || md5_of_range(&path, offset, len))
        .await
        .context("hashing task failed")??;
    Ok(same(&digest, etag))
}

fn md5_of_range(path: &Path, offset: u64, len: u64) -> anyhow::Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    file.seek(SeekFrom::Start(offset))?;
    let mut hasher = Md5::new();
    let copied = std::io::copy(&mut file.take(len), &mut hasher)?;
    anyhow::ensure!(
        copied == len,
        "{} changed while it was uploaded",
        path.display()
    );
    Ok(hex::encode_upper(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(number: u64, size: u64) -> PartEntry {
        PartEntry {
            number,
            size,
            etag: String::new(),
        }
    }

    #[test]
    fn parts_must_fit_the_cut() {
        // 250 bytes in parts of 100: 100, 100, 50.
        assert!(fits(&[part(1, 100), part(3, 50)], 250, 100));
        assert!(!fits(&[part(1, 80)], 250, 100), "another part size");
        assert!(!fits(&[part(3, 100)], 250, 100), "a last part too long");
        assert!(!fits(&[part(4, 50)], 250, 100), "beyond the end");
        assert!(!fits(&[part(0, 100)], 250, 100));
    }

    #[test]
    fn range_digest() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("f");
        std::fs::write(&path, b"xxhelloyy")?;
        assert_eq!(
            md5_of_range(&path, 2, 5)?,
            "5D41402ABC4B2A76B9719D911017C592"
        );
        assert!(md5_of_range(&path, 8, 5).is_err());
        Ok(())
    }
}
