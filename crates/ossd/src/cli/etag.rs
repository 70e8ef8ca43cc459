//! The ETag a local file would get when uploaded by this CLI, to compare with a remote one
//! (docs/protocol/objects.md#etag): the MD5 of the content for a single PutObject, or
//! `HEX(MD5(md5_1 ‖ … ‖ md5_n))-n` over the parts this CLI would cut for a multipart upload.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;
use md5::{Digest, Md5};

use super::transfer::Tuning;

/// The ETag (upper-case hex, no quotes) of uploading `path` with `tuning`.
pub(crate) async fn local_etag(path: &Path, tuning: Tuning) -> anyhow::Result<String> {
    let path: PathBuf = path.to_path_buf();
    tokio::task::spawn_blocking(move || compute(&path, tuning))
        .await
        .context("hashing task failed")?
}

/// Whether a local ETag equals a remote one (quotes and case ignored).
pub(crate) fn same(local: &str, remote: &str) -> bool {
    local.eq_ignore_ascii_case(remote.trim().trim_matches('"'))
}

fn compute(path: &Path, tuning: Tuning) -> anyhow::Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let size = file.metadata()?.len();
    if !tuning.uses_multipart(size) {
        let mut hasher = Md5::new();
        copy_into(&mut file, &mut hasher, size)?;
        return Ok(hex::encode_upper(hasher.finalize()));
    }
    let part = tuning.part_size_for(size);
    let mut whole = Md5::new();
    let mut parts = 0u64;
    let mut left = size;
    while left > 0 {
        let n = left.min(part);
        let mut hasher = Md5::new();
        copy_into(&mut file, &mut hasher, n)?;
        whole.update(hasher.finalize());
        parts += 1;
        left -= n;
    }
    Ok(format!("{}-{parts}", hex::encode_upper(whole.finalize())))
}

/// Feeds exactly `n` bytes of `file` to `hasher`.
fn copy_into(file: &mut std::fs::File, hasher: &mut Md5, n: u64) -> anyhow::Result<()> {
    let mut buf = vec![0u8; 1 << 16];
    let mut left = n;
    while left > 0 {
        let want = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
        let chunk = buf.get_mut(..want).context("buffer")?;
        file.read_exact(chunk)
            .context("the file changed while it was read")?;
        hasher.update(&*chunk);
        left -= want as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_and_multipart() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("f");
        std::fs::write(&path, b"hello")?;
        let small = Tuning {
            threshold: 1 << 20,
            part_size: 1 << 20,
            parallel: 1,
        };
        assert_eq!(compute(&path, small)?, "5D41402ABC4B2A76B9719D911017C592");
        assert!(same(
            "5D41402ABC4B2A76B9719D911017C592",
            "\"5d41402abc4b2a76b9719d911017c592\""
        ));
        let parts = Tuning {
            threshold: 2,
            part_size: 2,
            parallel: 1,
        };
        // md5("he") ‖ md5("ll") ‖ md5("o"), hashed, then the part count.
        let mut whole = Md5::new();
        for p in [&b"he"[..], b"ll", b"o"] {
            whole.update(Md5::digest(p));
        }
        let want = format!("{}-3", hex::encode_upper(whole.finalize()));
        assert_eq!(compute(&path, parts)?, want);
        Ok(())
    }
}
