//! Upload reads (one upload, its parts, ListMultipartUploads), the lookup of one upload that the
//! write transactions share, and the owned address of an upload for closures.

use crate::buckets::require;
use crate::codec::{bigint, json_from_row};
use crate::conn::Conn;
use crate::cursor::UploadsCursor;
use crate::objects::first_chunk;
use ossd_meta::uploads::UploadRef;
use ossd_meta::{ListUploadsQuery, MetaError, PartRecord, UploadRecord, UploadsPage, listing};

/// An [`UploadRef`] that owns its strings, to move into a closure.
#[derive(Debug, Clone)]
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
pub(crate) fn find(conn: &Conn<'_>, at: UploadRef<'_>) -> Result<Option<UploadRecord>, MetaError> {
    const SQL: &str = "SELECT doc FROM uploads WHERE bucket = $1 AND key = $2 AND upload_id = $3";
    conn.opt(SQL, &[&at.bucket, &at.key.as_bytes(), &at.upload_id])?
        .map(|r| json_from_row(&r, 0, "stored upload record"))
        .transpose()
}

/// Reads one upload; [`MetaError::NoSuchBucket`] if the bucket does not exist.
pub(crate) fn get(conn: &Conn<'_>, at: UploadRef<'_>) -> Result<Option<UploadRecord>, MetaError> {
    require(conn, at.bucket)?;
    find(conn, at)
}

/// Up to `max` parts of upload `at` numbered above `marker`, ascending, and whether more follow
/// (a keyset range of the `parts` primary key).
pub(crate) fn list_parts(
    conn: &Conn<'_>,
    at: UploadRef<'_>,
    marker: u32,
    max: usize,
) -> Result<(Vec<PartRecord>, bool), MetaError> {
    const SQL: &str = "SELECT doc FROM parts WHERE upload_id = $1 AND part_number > $2
        ORDER BY part_number LIMIT $3";
    if get(conn, at)?.is_none() {
        return Err(MetaError::NoSuchUpload);
    }
    if max == 0 {
        return Ok((Vec::new(), false));
    }
    let limit = bigint(max.saturating_add(1));
    let marker = i32::try_from(marker).unwrap_or(i32::MAX);
    let rows = conn.query(SQL, &[&at.upload_id, &marker, &limit])?;
    let mut parts = rows
        .iter()
        .map(|r| json_from_row(r, 0, "stored part record"))
        .collect::<Result<Vec<PartRecord>, _>>()?;
    let more = parts.len() > max;
    parts.truncate(max);
    Ok((parts, more))
}

/// One ListMultipartUploads page.
pub(crate) fn list(conn: &Conn<'_>, query: &ListUploadsQuery) -> Result<UploadsPage, MetaError> {
    require(conn, &query.bucket)?;
    let first = first_chunk(query.delimiter.as_deref(), query.max_uploads);
    let mut cursor = UploadsCursor::new(conn, &query.bucket, &query.prefix, first);
    listing::list_uploads(&mut cursor, query)
}
