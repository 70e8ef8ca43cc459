//! ListMultipartUploads over a cursor of uploads (keys ascending, upload ids ascending within a
//! key). The same folding and markers as the other listings; an upload id marker positions the
//! cursor directly, since uploads of a key are ordered by id.

use super::{common_prefix, prefix_successor, start_position};
use crate::{ListUploadsQuery, MetaError, UploadRecord, UploadsPage};

/// An ordered cursor over the uploads of one bucket with one key prefix.
///
/// Uploads come in (key bytes, upload id) order. The cursor ends (returns `None`) past the last
/// key that starts with its prefix.
pub trait UploadCursor {
    /// Positions the cursor before the first upload whose (key, upload id) sorts after
    /// (`key`, `after_id`): with an empty `after_id` (no upload has one), at the first upload of
    /// the first key `>= key`.
    fn seek(&mut self, key: &[u8], after_id: &str) -> Result<(), MetaError>;
    /// Returns the upload under the cursor and advances past it.
    fn next(&mut self) -> Result<Option<UploadRecord>, MetaError>;
}

/// Lists one page of uploads.
///
/// With an `upload_id_marker` (and a key marker that does not fold into a common prefix), the
/// page starts after that upload id of `key_marker`; without one, after every upload of
/// `key_marker`. `max_uploads == 0` returns an empty page that is not truncated.
pub fn list_uploads(
    cursor: &mut dyn UploadCursor,
    query: &ListUploadsQuery,
) -> Result<UploadsPage, MetaError> {
    let mut page = UploadsPage::default();
    if query.max_uploads == 0 {
        return Ok(page);
    }
    let (prefix, delimiter) = (query.prefix.as_str(), query.delimiter.as_deref());
    let (key, id) = (query.key_marker.as_str(), query.upload_id_marker.as_str());
    let within_key = !key.is_empty()
        && !id.is_empty()
        && key.starts_with(prefix)
        && common_prefix(key, prefix, delimiter).is_none();
    if within_key {
        cursor.seek(key.as_bytes(), id)?;
    } else {
        cursor.seek(&start_position(prefix, delimiter, key), "")?;
    }
    let mut count = 0;
    while let Some(upload) = cursor.next()?.filter(|u| u.key.starts_with(prefix)) {
        if count == query.max_uploads {
            page.truncated = true;
            break;
        }
        count += 1;
        let Some(cp) = common_prefix(&upload.key, prefix, delimiter) else {
            page.next_key_marker = Some(upload.key.clone());
            page.next_upload_id_marker = Some(upload.upload_id.clone());
            page.uploads.push(upload);
            continue;
        };
        let cp = cp.to_owned();
        let next = prefix_successor(cp.as_bytes());
        page.next_key_marker = Some(cp.clone());
        page.next_upload_id_marker = None;
        page.common_prefixes.push(cp);
        match next {
            Some(next) => cursor.seek(&next, "")?,
            None => break,
        }
    }
    if !page.truncated {
        page.next_key_marker = None;
        page.next_upload_id_marker = None;
    }
    Ok(page)
}
