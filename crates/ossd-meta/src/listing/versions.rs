//! ListObjectVersions over a cursor of all versions (newest first within a key).

use super::{RecordCursor, common_prefix, next_with_prefix, skip_prefix, start_position};
use crate::{ListVersionsQuery, MetaError, ObjectRecord, VersionEntry, VersionsPage};

/// Lists one page of versions and delete markers. `cursor` must yield every version, keys in byte
/// order and newest first within a key.
///
/// With a `version_id_marker`, the page starts after that version of `key_marker`; if that version
/// no longer exists, it starts at the next key. `max_keys == 0` returns an empty page.
pub fn list_versions(
    cursor: &mut dyn RecordCursor,
    query: &ListVersionsQuery,
) -> Result<VersionsPage, MetaError> {
    let mut page = VersionsPage::default();
    if query.max_keys == 0 {
        return Ok(page);
    }
    let mut walk = Walk::start(cursor, query)?;
    let mut count = 0;
    while let Some(entry) = walk.next(cursor)? {
        if count == query.max_keys {
            page.truncated = true;
            break;
        }
        count += 1;
        walk.emit(cursor, entry, &mut page)?;
    }
    if !page.truncated {
        page.next_key_marker = None;
        page.next_version_id_marker = None;
    }
    Ok(page)
}

/// The state of one listing walk: the query, the version marker still to pass, and the key seen
/// last (to tell which version is the latest of its key).
struct Walk<'q> {
    query: &'q ListVersionsQuery,
    skip_through: Option<(&'q str, &'q str)>,
    last_key: Option<String>,
    done: bool,
}

impl<'q> Walk<'q> {
    /// Positions `cursor` where the page starts.
    fn start(
        cursor: &mut dyn RecordCursor,
        query: &'q ListVersionsQuery,
    ) -> Result<Self, MetaError> {
        let delimiter = query.delimiter.as_deref();
        let (key, vid) = (query.key_marker.as_str(), query.version_id_marker.as_str());
        let within_key = !key.is_empty()
            && !vid.is_empty()
            && key.starts_with(&query.prefix)
            && common_prefix(key, &query.prefix, delimiter).is_none();
        let from = if within_key {
            key.as_bytes().to_vec()
        } else {
            start_position(&query.prefix, delimiter, key)
        };
        cursor.seek(&from)?;
        // Resuming inside a key: jump straight past the marker version when the backend can, so
        // a page costs its own size, not the number of newer versions of the key.
        if within_key && cursor.seek_after_version(key.as_bytes(), vid)? {
            return Ok(Self {
                query,
                skip_through: None,
                last_key: Some(key.to_owned()),
                done: false,
            });
        }
        let skip_through = within_key.then_some((key, vid));
        Ok(Self {
            query,
            skip_through,
            last_key: None,
            done: false,
        })
    }

    /// The next version in the page's range with its `is_latest` flag, past the version marker.
    fn next(&mut self, cursor: &mut dyn RecordCursor) -> Result<Option<VersionEntry>, MetaError> {
        while !self.done {
            let Some(record) = next_with_prefix(cursor, &self.query.prefix)? else {
                break;
            };
            let is_latest = self.last_key.as_deref() != Some(record.key.as_str());
            if is_latest {
                self.last_key = Some(record.key.clone());
            }
            if self.skipped(&record) {
                continue;
            }
            return Ok(Some(VersionEntry { record, is_latest }));
        }
        Ok(None)
    }

    /// Whether `record` lies at or before the version marker (and so was on an earlier page).
    fn skipped(&mut self, record: &ObjectRecord) -> bool {
        let Some((key, vid)) = self.skip_through else {
            return false;
        };
        if record.key != key {
            self.skip_through = None;
            return false;
        }
        if record.version_id == vid {
            self.skip_through = None;
        }
        true
    }

    /// Adds `entry` to `page`, folding it into a common prefix (and skipping that prefix) if needed.
    fn emit(
        &mut self,
        cursor: &mut dyn RecordCursor,
        entry: VersionEntry,
        page: &mut VersionsPage,
    ) -> Result<(), MetaError> {
        let delimiter = self.query.delimiter.as_deref();
        let Some(cp) = common_prefix(&entry.record.key, &self.query.prefix, delimiter) else {
            page.next_key_marker = Some(entry.record.key.clone());
            page.next_version_id_marker = Some(entry.record.version_id.clone());
            page.versions.push(entry);
            return Ok(());
        };
        let cp = cp.to_owned();
        self.done = !skip_prefix(cursor, &cp)?;
        self.last_key = None;
        page.next_key_marker = Some(cp.clone());
        page.next_version_id_marker = None;
        page.common_prefixes.push(cp);
        Ok(())
    }
}
