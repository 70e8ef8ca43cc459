//! Emulator mode (docs/emulator.md): the `--dev` identities, the `--seed` state and
//! `POST /-/admin/reset`, and the movable clock of `POST /-/admin/clock`.

mod clock;
mod dev;
mod ram;
mod reset;
mod seed;

pub use clock::{ClockError, ClockRequest, parse_duration_secs};
pub use dev::{
    DEV_ACCOUNT_ID, DEV_ROLE_MAX_SESSION, DEV_ROLE_NAME, DEV_ROOT_ACCESS_KEY_ID,
    DEV_ROOT_ACCESS_KEY_SECRET, DEV_USER_ACCESS_KEY_ID, DEV_USER_ACCESS_KEY_SECRET, DEV_USER_NAME,
    dev_role_arn, trust_account_policy,
};
pub use reset::ResetError;
pub use seed::{
    Seed, SeedBucket, SeedError, SeedGroup, SeedKey, SeedObject, SeedPolicy, SeedRole, SeedUser,
};

use std::sync::Arc;

use ossd_types::OffsetClock;

use crate::AppState;

/// The emulator settings of a server (all off for a normal server).
#[derive(Debug, Default)]
pub struct Emulator {
    /// `--dev`: the dev identities exist and are restored by a reset.
    pub dev: bool,
    /// The movable clock (only with `--dev`); the server's `AppState::clock` is this clock.
    pub clock: Option<Arc<OffsetClock>>,
    /// The `--seed` state, applied at start and by a reset.
    pub seed: Option<Seed>,
    /// The root AccessKey id that a reset keeps.
    pub root_access_key_id: String,
    /// The bucket `--dev` creates (private, standard, unversioned), after the seed and again
    /// after a reset; `None` with `--no-default-bucket`.
    pub default_bucket: Option<String>,
    /// Serialises resets.
    reset_lock: tokio::sync::Mutex<()>,
}

/// What emulator start-up or a reset could not do.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// Creating the dev identities failed.
    #[error("creating the dev identities: {code}: {message}")]
    Dev {
        /// RAM error code.
        code: String,
        /// RAM error message.
        message: String,
    },
    /// Applying the seed failed.
    #[error(transparent)]
    Seed(#[from] SeedError),
    /// Emptying the server failed.
    #[error(transparent)]
    Reset(#[from] ResetError),
}

impl Emulator {
    /// Emulator settings; `clock` must be the server's clock when given.
    pub fn new(
        dev: bool,
        clock: Option<Arc<OffsetClock>>,
        seed: Option<Seed>,
        root_access_key_id: String,
    ) -> Self {
        Self {
            dev,
            clock,
            seed,
            root_access_key_id,
            default_bucket: None,
            reset_lock: tokio::sync::Mutex::new(()),
        }
    }

    /// The same settings with `bucket` as the `--dev` default bucket (docs/emulator.md).
    pub fn with_default_bucket(mut self, bucket: Option<String>) -> Self {
        self.default_bucket = bucket;
        self
    }

    /// Whether `POST /-/admin/reset` is enabled (`--dev` or `--seed`).
    pub fn can_reset(&self) -> bool {
        self.dev || self.seed.is_some()
    }
}

/// Creates the dev identities (with `--dev`), applies the seed (with `--seed`) and then creates
/// the `--dev` default bucket unless it exists (a seed's declaration of the same bucket wins);
/// all idempotent, so a restart on the same data directory succeeds.
pub async fn apply(state: &AppState) -> Result<(), EmulatorError> {
    let now = state.clock.now();
    if state.emulator.dev {
        dev::ensure(&state.iam, now).await.map_err(|e| {
            let (code, message) = ram::code_and_message(&e);
            EmulatorError::Dev { code, message }
        })?;
    }
    if let Some(seed) = &state.emulator.seed {
        let defaults = state.config.bucket_defaults;
        seed.apply(
            &state.store,
            &state.iam,
            &state.config.region,
            now,
            defaults,
        )
        .await?;
    }
    if let (true, Some(name)) = (state.emulator.dev, &state.emulator.default_bucket) {
        let bucket = SeedBucket::private(name);
        seed::create_bucket(
            &state.store,
            state.iam.account_id(),
            &state.config.region,
            &bucket,
            now.unix_timestamp().saturating_mul(1000),
            state.config.bucket_defaults,
        )
        .await?;
    }
    Ok(())
}

/// What a reset removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResetReport {
    /// Buckets deleted (with all their contents).
    pub buckets_removed: usize,
}

/// Empties the server (buckets, objects, RAM entities except the root key) and re-applies the
/// dev identities and the seed.
pub async fn reset(state: &AppState) -> Result<ResetReport, EmulatorError> {
    let _one_at_a_time = state.emulator.reset_lock.lock().await;
    let now = state.clock.now();
    let now_ms = now.unix_timestamp().saturating_mul(1000);
    let account = &state.config.account_id;
    let buckets_removed = reset::empty_buckets(&state.store, account, now_ms).await?;
    reset::empty_ram(&state.iam, &state.emulator.root_access_key_id, now).await?;
    apply(state).await?;
    Ok(ResetReport { buckets_removed })
}
