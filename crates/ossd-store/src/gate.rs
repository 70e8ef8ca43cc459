//! Deferring the deletion of data while a backup runs: a backup copies the blobs that its
//! metadata snapshot references, so none of them may disappear between the snapshot and the
//! copy. While any [`ReclaimPause`] is held, blobs that writes and deletes free are queued
//! instead of deleted; the last pause to end deletes them.

use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::Store;

/// Pauses and the blobs freed during them.
#[derive(Debug, Default)]
pub(crate) struct ReclaimGate {
    state: Mutex<GateState>,
}

#[derive(Debug, Default)]
struct GateState {
    /// Pauses held.
    pauses: usize,
    /// Blob ids freed while paused.
    deferred: Vec<String>,
}

impl ReclaimGate {
    /// Queues `ids` and returns nothing while paused; otherwise gives them back to delete now.
    /// Deciding under the lock means a deletion that starts after a pause began is deferred.
    pub(crate) fn admit(&self, ids: Vec<String>) -> Vec<String> {
        let mut state = self.lock();
        if state.pauses > 0 {
            state.deferred.extend(ids);
            Vec::new()
        } else {
            ids
        }
    }

    fn pause(&self) {
        self.lock().pauses += 1;
    }

    /// Ends one pause; the deferred ids when it was the last.
    fn resume(&self) -> Vec<String> {
        let mut state = self.lock();
        state.pauses = state.pauses.saturating_sub(1);
        if state.pauses == 0 {
            std::mem::take(&mut state.deferred)
        } else {
            Vec::new()
        }
    }

    /// The state only holds a counter and a queue of ids, which a panic cannot leave
    /// inconsistent, so a poisoned lock is taken over.
    fn lock(&self) -> MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// While held, no object data is deleted (it is queued). End it with [`ReclaimPause::release`]
/// to delete the queue at once; dropping it deletes the queue in a background task (or, outside
/// a runtime, leaves the files to the next startup sweep).
#[must_use = "data deletion resumes when the pause is released or dropped"]
pub struct ReclaimPause {
    store: Option<Store>,
}

impl std::fmt::Debug for ReclaimPause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReclaimPause")
            .field("active", &self.store.is_some())
            .finish()
    }
}

impl Store {
    /// Defers the deletion of replaced and deleted data until the returned pause ends.
    pub fn pause_reclamation(&self) -> ReclaimPause {
        self.gate.pause();
        ReclaimPause {
            store: Some(self.clone()),
        }
    }
}

impl ReclaimPause {
    /// Ends the pause; when it was the last, deletes what was freed meanwhile.
    pub async fn release(mut self) {
        if let Some(store) = self.store.take() {
            let ids = store.gate.resume();
            store.delete_blobs(ids).await;
        }
    }
}

impl Drop for ReclaimPause {
    fn drop(&mut self) {
        let Some(store) = self.store.take() else {
            return;
        };
        let ids = store.gate.resume();
        if ids.is_empty() {
            return;
        }
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(async move { store.delete_blobs(ids).await });
            }
            Err(_) => tracing::warn!(
                blobs = ids.len(),
                "freed data left for the next startup sweep"
            ),
        }
    }
}
