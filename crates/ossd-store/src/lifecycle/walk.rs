//! The decisions of a lifecycle run over object versions, without I/O: versions are fed in
//! listing order (keys ascending, newest first within a key) and come out as [`Action`]s.
//!
//! - The first version of a key is its current version. If it is an object that an enabled rule
//!   selects and whose expiration limit it has reached, it expires ([`Action::Expire`]).
//! - Every later version is noncurrent since its successor (the next newer version) was written.
//!   If a selecting rule's `NoncurrentDays` have passed since then, it is removed for good
//!   ([`Action::RemoveVersion`]); delete markers included. A rule with S3's
//!   `NewerNoncurrentVersions` N spares the N newest noncurrent versions of the key (AWS,
//!   NoncurrentVersionExpiration: the action applies once that many newer noncurrent versions
//!   exist).
//! - When the current version is a delete marker and no older version of its key survives, a
//!   selecting rule with `ExpiredObjectDeleteMarker` removes it ([`Action::RemoveMarker`]); this
//!   is decided when the key ends.
//! - An object version that stays (current, or noncurrent and not removed) moves to the coldest
//!   storage class whose transition a selecting rule has reached — `Transition` from its
//!   last-modified time for the current version, `NoncurrentVersionTransition` from when it
//!   became noncurrent (sparing, for a rule with `NewerNoncurrentVersions` K, the K newest
//!   noncurrent versions) — if that class is colder than its own ([`Action::Transition`]).

use ossd_meta::ObjectRecord;
use ossd_types::StorageClass;
use ossd_types::lifecycle::{LifecycleRule, LifecycleTime, Subject, coldness};

/// One version an action applies to, with what is needed to re-check it before acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// Key.
    pub key: String,
    /// Version id.
    pub version_id: String,
    /// Revision when it was listed (it must be unchanged to act on it).
    pub revision: String,
}

/// What the run does to one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// Delete the current version as a plain DeleteObject would.
    Expire(Target),
    /// Delete a noncurrent version permanently.
    RemoveVersion(Target),
    /// Delete a delete marker that is the only version of its key.
    RemoveMarker(Target),
    /// Move an object version to a colder storage class.
    Transition(Target, StorageClass),
}

/// The walk over one bucket's versions.
pub(crate) struct Walk<'r> {
    rules: &'r [LifecycleRule],
    time: LifecycleTime,
    key: Option<KeyState>,
}

/// What is known about the key being walked.
struct KeyState {
    key: String,
    /// When the next version to come became noncurrent: its successor's last-modified time.
    successor_ms: i64,
    /// The current version, when it is a delete marker that a rule would remove if alone.
    lone_marker: Option<Target>,
    /// Whether any version after the current one is kept.
    others_survive: bool,
    /// How many noncurrent versions of the key came before (are newer than) the next one.
    noncurrent_seen: u32,
}

impl<'r> Walk<'r> {
    /// A walk applying `rules` (disabled ones are ignored) at `time`.
    pub(crate) fn new(rules: &'r [LifecycleRule], time: LifecycleTime) -> Self {
        Self {
            rules,
            time,
            key: None,
        }
    }

    /// Takes the next version in listing order; pushes the actions it decides.
    pub(crate) fn feed(&mut self, record: &ObjectRecord, out: &mut Vec<Action>) {
        let Some((since, newer)) = self
            .key
            .as_ref()
            .filter(|s| s.key == record.key)
            .map(|s| (s.successor_ms, s.noncurrent_seen))
        else {
            self.finish(out);
            self.key = Some(self.start_key(record, out));
            return;
        };
        let expired = self.noncurrent_expired(record, since, newer);
        if expired {
            out.push(Action::RemoveVersion(target(record)));
        } else {
            self.transition(record, since, Some(newer), out);
        }
        if let Some(state) = &mut self.key {
            state.others_survive |= !expired;
            state.successor_ms = record.last_modified_ms;
            state.noncurrent_seen = state.noncurrent_seen.saturating_add(1);
        }
    }

    /// Ends the key being walked (call once after the last version).
    pub(crate) fn finish(&mut self, out: &mut Vec<Action>) {
        if let Some(state) = self.key.take()
            && let Some(marker) = state.lone_marker
            && !state.others_survive
        {
            out.push(Action::RemoveMarker(marker));
        }
    }

    /// The state of a new key whose current version is `record`.
    fn start_key(&self, record: &ObjectRecord, out: &mut Vec<Action>) -> KeyState {
        let subject = subject(record);
        let mut lone_marker = None;
        if record.delete_marker {
            let removes = |r: &LifecycleRule| r.removes_lone_markers() && r.selects(subject);
            if self.rules.iter().any(removes) {
                lone_marker = Some(target(record));
            }
        } else if self.rules.iter().any(|r| {
            r.selects(subject)
                && r.expiration_limit()
                    .is_some_and(|limit| self.time.reached(limit, record.last_modified_ms))
        }) {
            out.push(Action::Expire(target(record)));
        } else {
            self.transition(record, record.last_modified_ms, None, out);
        }
        KeyState {
            key: record.key.clone(),
            successor_ms: record.last_modified_ms,
            lone_marker,
            others_survive: false,
            noncurrent_seen: 0,
        }
    }

    /// Pushes the transition of an object version that stays, if one is due: the coldest class
    /// any selecting rule has reached since `since_ms`, when colder than the version's own.
    /// `newer`: for a noncurrent version, how many noncurrent versions of its key are newer.
    fn transition(
        &self,
        record: &ObjectRecord,
        since_ms: i64,
        newer: Option<u32>,
        out: &mut Vec<Action>,
    ) {
        if record.delete_marker {
            return;
        }
        let subject = subject(record);
        let due = self
            .rules
            .iter()
            .filter(|r| r.selects(subject))
            .filter_map(|r| r.transition_due(&self.time, since_ms, newer))
            .max_by_key(|c| coldness(*c));
        if let Some(class) = due
            && coldness(class) > coldness(record.storage_class)
        {
            out.push(Action::Transition(target(record), class));
        }
    }

    /// Whether a noncurrent version (noncurrent since `since_ms`, with `newer` noncurrent
    /// versions of its key newer than it) is due for removal.
    fn noncurrent_expired(&self, record: &ObjectRecord, since_ms: i64, newer: u32) -> bool {
        let subject = subject(record);
        self.rules.iter().any(|r| {
            r.selects(subject)
                && r.noncurrent_days
                    .is_some_and(|days| self.time.days_passed(since_ms, days))
                && r.newer_noncurrent.is_none_or(|keep| newer >= keep)
        })
    }
}

/// What rules are matched against: markers have no tags and no size.
fn subject(record: &ObjectRecord) -> Subject<'_> {
    Subject {
        key: &record.key,
        tags: &record.tags,
        size: (!record.delete_marker).then_some(record.size),
    }
}

fn target(record: &ObjectRecord) -> Target {
    Target {
        key: record.key.clone(),
        version_id: record.version_id.clone(),
        revision: record.revision.clone(),
    }
}

#[cfg(test)]
#[path = "walk_tests.rs"]
mod tests;
