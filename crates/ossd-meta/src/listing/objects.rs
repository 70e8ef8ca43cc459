//! ListObjects (v1 and v2) over a cursor of current versions.

use super::{RecordCursor, common_prefix, next_with_prefix, skip_prefix, start_position};
use crate::{ListEntry, ListPage, ListQuery, MetaError};

/// Lists one page of objects. `cursor` must yield only the latest non-marker version of each key
/// (a backend that decodes whole records wraps its cursor in [`super::Entries`]).
///
/// `max_keys == 0` returns an empty page that is not truncated.
pub fn list_objects(
    cursor: &mut dyn RecordCursor<ListEntry>,
    query: &ListQuery,
) -> Result<ListPage, MetaError> {
    let mut page = ListPage::default();
    if query.max_keys == 0 {
        return Ok(page);
    }
    let delimiter = query.delimiter.as_deref();
    cursor.seek(&start_position(
        &query.prefix,
        delimiter,
        &query.start_after,
    ))?;
    let mut count = 0;
    while let Some(record) = next_with_prefix(cursor, &query.prefix)? {
        if count == query.max_keys {
            page.truncated = true;
            break;
        }
        count += 1;
        let Some(cp) = common_prefix(&record.key, &query.prefix, delimiter) else {
            page.objects.push(record);
            continue;
        };
        page.common_prefixes.push(cp.to_owned());
        if !skip_prefix(cursor, cp)? {
            break;
        }
    }
    page.next_marker = page.truncated.then(|| last_returned(&page)).flatten();
    Ok(page)
}

/// The greater of the last object key and the last common prefix of `page`.
fn last_returned(page: &ListPage) -> Option<String> {
    let key = page.objects.last().map(|r| r.key.as_str());
    let cp = page.common_prefixes.last().map(String::as_str);
    key.max(cp).map(str::to_owned)
}
