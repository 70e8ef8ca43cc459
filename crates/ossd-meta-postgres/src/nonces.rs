//! The cluster-wide record of RPC signature nonces (docs/scale-out.md, "Caches"): a nonce any
//! node recorded is refused by every node until it expires, and the leader prunes expired rows.

use ossd_meta::MetaError;

use crate::PgMeta;
use crate::conn::{Mode, run};

/// Inserts the nonce, or takes over an expired row of it; returns a row only then.
const RECORD: &str = "INSERT INTO ossd_rpc_nonce (key, expires_at) VALUES ($1, $2)
    ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at
    WHERE ossd_rpc_nonce.expires_at <= $3
    RETURNING 1";

/// Deletes the rows expired at `$1`.
const PRUNE: &str = "DELETE FROM ossd_rpc_nonce WHERE expires_at <= $1";

impl PgMeta {
    /// Records nonce `key` until `expires` (Unix seconds) in one statement; false when a row
    /// of it that has not expired at `now` exists (recorded by any node: a replay). Two nodes
    /// recording the same nonce at once: the primary key lets one insert win.
    pub async fn record_nonce(&self, key: &str, now: i64, expires: i64) -> Result<bool, MetaError> {
        let key = key.to_owned();
        run(&self.pool, Mode::Single, move |c| {
            Ok(c.opt(RECORD, &[&key, &expires, &now])?.is_some())
        })
        .await
    }

    /// Deletes the nonces expired at `now`; returns how many (the leader runs it).
    pub async fn prune_nonces(&self, now: i64) -> Result<u64, MetaError> {
        run(&self.pool, Mode::Single, move |c| c.exec(PRUNE, &[&now])).await
    }
}
