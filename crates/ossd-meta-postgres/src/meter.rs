//! What each [`ossd_meta::MetaStore`] operation asks of the database server (statements sent
//! and time waiting for them, [`Tally`]), told to the installed [`CommitObserver`]: the
//! server's metrics `ossd_meta_db_roundtrips_total{op}` and `ossd_meta_db_seconds_total{op}`
//! (docs/operations.md, "Metrics").

use crate::conn::Tally;
use ossd_meta::CommitObserver;
use std::sync::{Arc, PoisonError, RwLock};

/// The observer slot, shared by every clone of a store.
#[derive(Default)]
pub(crate) struct Meter {
    observer: RwLock<Option<Arc<dyn CommitObserver>>>,
}

impl std::fmt::Debug for Meter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Meter").finish_non_exhaustive()
    }
}

impl Meter {
    /// Installs (or replaces) the observer told of every later operation.
    pub(crate) fn set(&self, observer: Arc<dyn CommitObserver>) {
        *self
            .observer
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(observer);
    }

    /// Tells the observer, if any, what one call of `op` asked of the server.
    pub(crate) fn report(&self, op: &'static str, tally: Tally) {
        let observer = self
            .observer
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(observer) = observer {
            observer.db_work(op, tally.round_trips, tally.waited);
        }
    }
}
