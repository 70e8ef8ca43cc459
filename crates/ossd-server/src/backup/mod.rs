//! `POST /-/admin/backup?target=DIR` (root only): a consistent copy of metadata and data while
//! serving, into `DIR` on the server's file system (absent or empty, outside the data
//! directory): `meta.sqlite` (a point-in-time snapshot), `blobs/...` (every blob it references,
//! hard-linked on the same file system, else copied), `master.key` and `identity.json` (mode
//! 0600: without them the sealed AccessKey secrets cannot be read), and `manifest.json` last.

mod manifest;

pub(crate) use manifest::FORMAT;
pub use manifest::{MANIFEST_FILE, Manifest, ManifestError, ManifestFile};

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use ossd_proto::error::{OssCode, OssError};
use ossd_store::{META_FILE, StoreBackup, StoreError};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::AppState;

/// Files of the data directory copied besides metadata and blobs (owner-only).
pub const KEY_FILES: [&str; 2] = ["master.key", "identity.json"];

/// Writes a backup into `target`; returns the summary answered to the client and recorded in
/// the audit trail.
pub(crate) async fn run(state: &AppState, target: Option<&str>) -> Result<Value, OssError> {
    let Some(data_dir) = state.data_dir.clone() else {
        return Err(not_supported());
    };
    let target = target
        .filter(|t| !t.is_empty())
        .ok_or_else(|| OssError::invalid_argument("target (an absolute directory) is required."))?;
    let target = PathBuf::from(target);
    if !target.is_absolute() {
        return Err(OssError::invalid_argument(
            "target must be an absolute path.",
        ));
    }
    let started = std::time::Instant::now();
    let created = state.clock.real_now();
    let dir = target.clone();
    let data = data_dir.clone();
    blocking(move || prepare_target(&dir, &data)).await?;
    let copied = state
        .store
        .backup_into(&target)
        .await
        .map_err(|e| match e {
            StoreError::BackupNotSupported => not_supported(),
            other => {
                tracing::error!(error = %ossd_meta::ErrorChain(&other), "backup failed");
                OssError::internal_error()
            }
        })?;
    let account_id = state.config.account_id.clone();
    let dir = target.clone();
    let manifest = blocking(move || finish(&dir, &data_dir, &copied, created, account_id)).await?;
    tracing::info!(
        target = %target.display(),
        objects = manifest.objects,
        blob_files = manifest.blob_files,
        "backup written"
    );
    Ok(json!({
        "target": target.display().to_string(),
        "created": manifest.created,
        "buckets": manifest.buckets,
        "objects": manifest.objects,
        "versions": manifest.versions,
        "object_bytes": manifest.object_bytes,
        "blob_files": manifest.blob_files,
        "blob_bytes": manifest.blob_bytes,
        "linked": manifest.linked,
        "seconds": started.elapsed().as_secs_f64(),
    }))
}

/// [`run`], recorded in the audit trail as `admin:Backup`.
pub(crate) async fn audited(
    state: &AppState,
    caller: &ossd_iam::Caller,
    request_id: &str,
    target: Option<&str>,
) -> Result<Value, OssError> {
    let result = run(state, target).await;
    let outcome = match &result {
        Ok(summary) => Ok(audit_target(summary)),
        Err(e) => Err(e),
    };
    crate::observability::audit::admin(state, "Backup", Some(caller), request_id, outcome);
    result
}

/// The audit `target` of a backup summary (names and counts).
fn audit_target(summary: &Value) -> BTreeMap<String, String> {
    ["target", "objects", "blob_files"]
        .iter()
        .filter_map(|k| summary.get(*k).map(|v| ((*k).to_owned(), plain(v))))
        .collect()
}

fn plain(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

fn not_supported() -> OssError {
    OssError::with_message(
        OssCode::BackupNotSupported,
        "This server keeps nothing on disk (--memory); there is nothing to back up.",
    )
}

/// Creates `dir` (0700) or checks that it is empty, and that it is not inside the data
/// directory (nor the data directory inside it).
fn prepare_target(dir: &Path, data_dir: &Path) -> Result<(), OssError> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| bad_target(dir, &e.to_string()))?;
        if entries.next().is_some() {
            return Err(bad_target(dir, "it is not empty"));
        }
    } else {
        fs::create_dir_all(dir).map_err(|e| bad_target(dir, &e.to_string()))?;
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
        .map_err(|e| bad_target(dir, &e.to_string()))?;
    let canon = |p: &Path| fs::canonicalize(p).map_err(|e| bad_target(p, &e.to_string()));
    let (dir_c, data_c) = (canon(dir)?, canon(data_dir)?);
    if dir_c.starts_with(&data_c) || data_c.starts_with(&dir_c) {
        return Err(bad_target(dir, "it overlaps the data directory"));
    }
    Ok(())
}

fn bad_target(dir: &Path, why: &str) -> OssError {
    OssError::invalid_argument(format!(
        "The backup target {} cannot be used: {why}.",
        dir.display()
    ))
}

/// Copies the key files, then writes the manifest (atomically, last).
fn finish(
    dir: &Path,
    data_dir: &Path,
    copied: &StoreBackup,
    created: OffsetDateTime,
    account_id: String,
) -> Result<Manifest, OssError> {
    let io = |what: &str, e: std::io::Error| {
        tracing::error!(error = %e, what, "backup failed");
        OssError::internal_error()
    };
    let mut files =
        vec![ManifestFile::of(dir, Path::new(META_FILE), true).map_err(|e| io("meta", e))?];
    for name in KEY_FILES {
        let (src, dst) = (data_dir.join(name), dir.join(name));
        fs::copy(&src, &dst).map_err(|e| io(name, e))?;
        fs::set_permissions(&dst, fs::Permissions::from_mode(0o600)).map_err(|e| io(name, e))?;
        fs::File::open(&dst)
            .and_then(|f| f.sync_all())
            .map_err(|e| io(name, e))?;
        files.push(ManifestFile::of(dir, Path::new(name), true).map_err(|e| io(name, e))?);
    }
    files.extend(copied.blobs.iter().map(|b| ManifestFile {
        path: b.relative.to_string_lossy().into_owned(),
        size: b.size,
        sha256: None,
    }));
    let manifest = Manifest {
        format: FORMAT,
        ossd_version: env!("CARGO_PKG_VERSION").to_owned(),
        created: created.format(&Rfc3339).unwrap_or_default(),
        account_id,
        buckets: copied.meta.buckets,
        objects: copied.meta.objects,
        versions: copied.meta.versions,
        object_bytes: copied.meta.object_bytes,
        blob_files: copied.blobs.len() as u64,
        blob_bytes: copied.blobs.iter().map(|b| b.size).sum(),
        linked: copied.blobs.iter().filter(|b| b.linked).count() as u64,
        files,
    };
    let text = serde_json::to_vec_pretty(&manifest).map_err(|e| io("manifest", e.into()))?;
    let tmp = dir.join(format!("{MANIFEST_FILE}.tmp"));
    fs::write(&tmp, text).map_err(|e| io("manifest", e))?;
    fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| io("manifest", e))?;
    fs::rename(&tmp, dir.join(MANIFEST_FILE)).map_err(|e| io("manifest", e))?;
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io("backup directory", e))?;
    Ok(manifest)
}

/// Runs file work on the blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, OssError> + Send + 'static,
) -> Result<T, OssError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        tracing::error!(error = %e, "backup task failed");
        OssError::internal_error()
    })?
}
