//! Lifecycle rules applied to one bucket: current versions expire, noncurrent versions and lone
//! delete markers are removed, versions move to colder storage classes, old multipart uploads
//! are aborted. Deleted data is reclaimed
//! through the store's usual path, so the files leave the disk.
//!
//! Versions are walked a page at a time (memory stays bounded by two pages). The actions a page
//! yields run only after the next page has been listed: the listing resumes after the last
//! version of the previous page, which therefore must still exist when the next page is read.
//! Each action re-checks its version just before acting, so a client write racing the run (a
//! new version, a deleted marker) wins.

mod act;
mod uploads;
mod walk;

use ossd_meta::ListVersionsQuery;
use ossd_types::lifecycle::{LifecycleRule, LifecycleTime};

use crate::{Store, StoreError};

pub(crate) use walk::{Action, Target, Walk};

/// Versions (and uploads) listed per metadata call.
const PAGE: usize = 1000;

/// What one run did to one bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LifecycleReport {
    /// Current versions expired (deleted as DeleteObject: a delete marker in a versioned bucket).
    pub expired: u64,
    /// Noncurrent versions (and noncurrent delete markers) permanently deleted.
    pub noncurrent_expired: u64,
    /// Delete markers removed because they were the only version of their key.
    pub markers_removed: u64,
    /// Multipart uploads aborted.
    pub uploads_aborted: u64,
    /// Object versions moved to a colder storage class.
    pub transitioned: u64,
    /// Bytes of object and part data deleted.
    pub bytes_reclaimed: u64,
}

impl LifecycleReport {
    /// Adds `other`'s counts to this report.
    pub fn add(&mut self, other: &LifecycleReport) {
        self.expired += other.expired;
        self.noncurrent_expired += other.noncurrent_expired;
        self.markers_removed += other.markers_removed;
        self.uploads_aborted += other.uploads_aborted;
        self.transitioned += other.transitioned;
        self.bytes_reclaimed += other.bytes_reclaimed;
    }
}

impl Store {
    /// Applies `rules` (disabled ones are skipped) to `bucket` at `time`.
    pub async fn apply_lifecycle(
        &self,
        bucket: &str,
        rules: &[LifecycleRule],
        time: LifecycleTime,
    ) -> Result<LifecycleReport, StoreError> {
        let mut report = LifecycleReport::default();
        let for_versions: Vec<LifecycleRule> = rules
            .iter()
            .filter(|r| {
                r.enabled
                    && (r.expiration.is_some()
                        || r.noncurrent_days.is_some()
                        || !r.transitions.is_empty()
                        || !r.noncurrent_transitions.is_empty())
            })
            .cloned()
            .collect();
        if !for_versions.is_empty() {
            self.walk_versions(bucket, &for_versions, time, &mut report)
                .await?;
        }
        let for_uploads: Vec<&LifecycleRule> = rules
            .iter()
            .filter(|r| r.enabled && r.abort_uploads.is_some())
            .collect();
        if !for_uploads.is_empty() {
            self.abort_old_uploads(bucket, &for_uploads, time, &mut report)
                .await?;
        }
        Ok(report)
    }

    /// Walks every version under the rules' common prefix, acting one page behind the listing.
    async fn walk_versions(
        &self,
        bucket: &str,
        rules: &[LifecycleRule],
        time: LifecycleTime,
        report: &mut LifecycleReport,
    ) -> Result<(), StoreError> {
        let mut query = ListVersionsQuery {
            bucket: bucket.to_owned(),
            prefix: common_prefix(rules.iter().map(|r| r.prefix.as_str())),
            max_keys: PAGE,
            ..ListVersionsQuery::default()
        };
        let mut walk = Walk::new(rules, time);
        let mut pending = Vec::new();
        loop {
            let page = self.meta.list_versions(&query).await?;
            let mut decided = Vec::new();
            for entry in &page.versions {
                walk.feed(&entry.record, &mut decided);
            }
            self.run_actions(bucket, &pending, time, report).await?;
            pending = decided;
            match (page.truncated, page.next_key_marker) {
                (true, Some(key)) => {
                    query.key_marker = key;
                    query.version_id_marker = page.next_version_id_marker.unwrap_or_default();
                }
                _ => break,
            }
        }
        walk.finish(&mut pending);
        self.run_actions(bucket, &pending, time, report).await
    }
}

/// The longest prefix shared by every string (empty for none).
fn common_prefix<'a>(mut all: impl Iterator<Item = &'a str>) -> String {
    let Some(first) = all.next() else {
        return String::new();
    };
    let mut len = first.len();
    for s in all {
        len = first
            .char_indices()
            .zip(s.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(len);
    }
    first[..len].to_owned()
}

#[cfg(test)]
mod tests {
    use super::common_prefix;

    #[test]
    fn common_prefixes() {
        assert_eq!(common_prefix(["logs/a", "logs/b"].into_iter()), "logs/");
        assert_eq!(common_prefix(["logs/", ""].into_iter()), "");
        assert_eq!(common_prefix(["é1", "é2"].into_iter()), "é");
        assert_eq!(common_prefix(["x"].into_iter()), "x");
        assert_eq!(common_prefix(std::iter::empty()), "");
    }
}
