//! Upload reads on a reader connection (one upload, its parts, ListMultipartUploads), the lookup
//! of one upload that the writer shares, and the owned address of an upload for closures.

use crate::buckets::require;
use crate::codec::json_from_row;
use crate::cursor::UploadsCursor;
use crate::objects::first_chunk;
use crate::stmt::{all, one};
use ossd_meta::uploads::UploadRef;
use ossd_meta::{ListUploadsQuery, MetaError, PartRecord, UploadRecord, UploadsPage, listing};
use rusqlite::{Connection, params};

/// The SQL of [`list_parts`]: an ordered range of the `parts` primary key.
pub(crate) const PARTS_AFTER: &str =
    "SELECT doc FROM parts WHERE upload_id = ?1 AND part_number > ?2
    ORDER BY part_number LIMIT ?3";

/// An [`UploadRef`] that owns its strings, to move into a reader or writer closure.
#[derive(Debug)]
pub(crate) struct OwnedUploadRef {
    bucket: String,
    key: String,
    upload_id: String,
}

impl OwnedUploadRef {
    /// Copies the three parts of an upload's address.
    pub(crate) fn new(bucket: &str, key: &str, upload_id: &str) -> Self {
        Self {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            upload_id: upload_id.to_owned(),
        }
    }

    /// The borrowed form.
    pub(crate) fn get(&self) -> UploadRef<'_> {
        UploadRef::new(&self.bucket, &self.key, &self.upload_id)
    }
}

/// The upload `at`, if it exists (the bucket is not checked).
pub(crate) fn find(
    conn: &Connection,
    at: UploadRef<'_>,
) -> Result<Option<UploadRecord>, MetaError> {
    const SQL: &str = "SELECT doc FROM uploads WHERE bucket = ?1 AND key = ?2 AND upload_id = ?3";
    let values = params![at.bucket, at.key.as_bytes(), at.upload_id];
    one(conn, SQL, values, |r| json_from_row(r, 0))
}

/// Reads one upload; [`MetaError::NoSuchBucket`] if the bucket does not exist.
pub(crate) fn get(conn: &Connection, at: UploadRef<'_>) -> Result<Option<UploadRecord>, MetaError> {
    require(conn, at.bucket)?;
    find(conn, at)
}

/// Up to `max` parts of upload `at` numbered above `marker`, ascending, and whether more follow.
pub(crate) fn list_parts(
    conn: &Connection,
    at: UploadRef<'_>,
    marker: u32,
    max: usize,
) -> Result<(Vec<PartRecord>, bool), MetaError> {
    if get(conn, at)?.is_none() {
        return Err(MetaError::NoSuchUpload);
    }
    if max == 0 {
        return Ok((Vec::new(), false));
    }
    let limit = i64::try_from(max.saturating_add(1)).unwrap_or(i64::MAX);
    let values = params![at.upload_id, i64::from(marker), limit];
    let mut parts: Vec<PartRecord> = all(conn, PARTS_AFTER, values, |r| json_from_row(r, 0))?;
    let more = parts.len() > max;
    parts.truncate(max);
    Ok((parts, more))
}

/// One ListMultipartUploads page.
pub(crate) fn list(conn: &Connection, query: &ListUploadsQuery) -> Result<UploadsPage, MetaError> {
    require(conn, &query.bucket)?;
    let first = first_chunk(query.delimiter.as_deref(), query.max_uploads);
    let mut cursor = UploadsCursor::new(conn, &query.bucket, &query.prefix, first);
    listing::list_uploads(&mut cursor, query)
}
