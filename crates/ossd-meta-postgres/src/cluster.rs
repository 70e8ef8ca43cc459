//! Several ossd nodes on one database (docs/scale-out.md): change notifications that keep the
//! nodes' caches correct ([`PgMeta::watch_changes`]), and the leader lease that makes background
//! work run once per cluster ([`PgMeta::lead`]).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use ossd_meta::MetaError;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_postgres::{AsyncMessage, Client, NoTls};

use crate::PgMeta;
use crate::conn::{Conn, Mode, run};

/// The notification channel: payloads are `<kind>:<key>`.
const CHANNEL: &str = "ossd_changes";

/// What kind of state changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChangeKind {
    /// IAM state (users, keys, groups, roles, policies, attachments).
    Iam,
}

impl ChangeKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Iam => "iam",
        }
    }
}

/// A change committed by some node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// The key that changed; `None` when anything of `kind` may have changed (the fallback
    /// poll saw the generation move, or notifications may have been missed).
    pub key: Option<String>,
}

impl Change {
    /// Parses a notification payload; `None` for kinds this build does not know.
    fn parse(payload: &str) -> Option<Self> {
        let (kind, key) = payload.split_once(':')?;
        match kind {
            "iam" => Some(Self {
                kind: ChangeKind::Iam,
                key: Some(key.to_owned()),
            }),
            _ => None,
        }
    }

    fn everything(kind: ChangeKind) -> Self {
        Self { kind, key: None }
    }
}

/// Announces `key` of `kind` on the channel; PostgreSQL delivers it when the transaction
/// commits, and never if it rolls back.
pub(crate) fn notify(conn: &Conn<'_>, kind: ChangeKind, key: &str) -> Result<(), MetaError> {
    let payload = format!("{}:{key}", kind.as_str());
    conn.exec("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload])?;
    Ok(())
}

/// Whether the engine has `pg_notify` (CockroachDB has not: nodes then rely on the poll).
pub(crate) async fn can_notify(client: &Client) -> bool {
    match client
        .batch_execute("SELECT pg_notify('ossd_changes', 'hello')")
        .await
    {
        Ok(()) => true,
        Err(e) => {
            tracing::info!(error = %e, "no LISTEN/NOTIFY: caches follow other nodes by polling");
            false
        }
    }
}

/// The IAM generation: the revision counter every IAM commit moves.
const IAM_GENERATION: &str = "SELECT last FROM iam_revision WHERE id = 0";

/// Takes the lease when it is free or already ours, for `$2` seconds of the database's clock.
const ACQUIRE: &str = "UPDATE ossd_leader
    SET holder = $1, expires_at = now() + $2::float8 * INTERVAL '1 second'
    WHERE id = 0 AND (holder = $1 OR expires_at < now())
    RETURNING holder";

/// Gives the lease up at once (a clean shutdown).
const RELEASE: &str = "UPDATE ossd_leader
    SET expires_at = TIMESTAMPTZ '1970-01-01 00:00:00+00'
    WHERE id = 0 AND holder = $1";

impl PgMeta {
    /// Calls `on_change` for every change any node commits, within about `poll`: a dedicated
    /// connection LISTENs on the channel (delivery in milliseconds), and polls the generation
    /// counters every `poll` so that a missed notification is still caught. After a lost
    /// connection, and at start, it reports everything as changed. Runs until aborted.
    pub fn watch_changes(
        &self,
        poll: Duration,
        on_change: impl Fn(Change) + Send + Sync + 'static,
    ) -> JoinHandle<()> {
        let (config, notify) = (self.config.clone(), self.notify);
        tokio::spawn(async move {
            loop {
                if let Err(e) = feed(&config, notify, poll, &on_change).await {
                    tracing::warn!(error = %e, "change feed lost its connection; reconnecting");
                }
                on_change(Change::everything(ChangeKind::Iam));
                tokio::time::sleep(poll).await;
            }
        })
    }

    /// Competes for the cluster's leader lease as `node`: the lease row is taken when free or
    /// expired and renewed every third of `lease`. [`Leadership::is_leader`] holds only while
    /// a renewal made less than `lease` ago succeeded, measured from before the statement was
    /// sent, so this node stops acting as leader before the database lets another take over.
    pub fn lead(&self, node: String, lease: Duration) -> Leadership {
        let until = Arc::new(Mutex::new(None::<Instant>));
        let pool = self.pool.clone();
        let shared = until.clone();
        let holder = node.clone();
        let task = tokio::spawn(async move {
            let period = (lease / 3).max(Duration::from_millis(100));
            let mut ticks = tokio::time::interval(period);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let started = Instant::now();
                let (node, secs) = (holder.clone(), lease.as_secs_f64());
                let acquired = run(&pool, Mode::Single, move |c| {
                    Ok(c.opt(ACQUIRE, &[&node, &secs])?.is_some())
                })
                .await;
                let mut until = shared.lock().unwrap_or_else(PoisonError::into_inner);
                match acquired {
                    Ok(true) => {
                        if until.is_none_or(|u| u <= Instant::now()) {
                            tracing::info!(node = %holder, "this node is now the cluster leader");
                        }
                        *until = Some(started + lease);
                    }
                    Ok(false) => {
                        if until.is_some_and(|u| u > Instant::now()) {
                            tracing::warn!(node = %holder, "lost the cluster leader lease");
                        }
                        *until = None;
                    }
                    Err(e) => {
                        let error = ossd_meta::ErrorChain(&e);
                        tracing::warn!(%error, "could not renew the leader lease");
                    }
                }
            }
        });
        Leadership {
            node,
            until,
            pool: self.pool.clone(),
            task,
        }
    }
}

/// This node's part in the leader election; see [`PgMeta::lead`].
#[derive(Debug)]
pub struct Leadership {
    node: String,
    until: Arc<Mutex<Option<Instant>>>,
    pool: deadpool_postgres::Pool,
    task: JoinHandle<()>,
}

impl Leadership {
    /// Whether this node holds the lease now.
    pub fn is_leader(&self) -> bool {
        is_current(&self.until)
    }

    /// A cheap, clonable check of [`Leadership::is_leader`] for background tasks.
    pub fn checker(&self) -> impl Fn() -> bool + Clone + Send + Sync + 'static {
        let until = self.until.clone();
        move || is_current(&until)
    }

    /// Stops competing and, if this node held the lease, frees it so another node takes over
    /// at its next renewal instead of after the lease runs out.
    pub async fn release(self) {
        self.task.abort();
        let node = self.node.clone();
        if let Err(e) = run(&self.pool, Mode::Single, move |c| c.exec(RELEASE, &[&node])).await {
            let error = ossd_meta::ErrorChain(&e);
            tracing::warn!(%error, "could not release the leader lease");
        }
    }
}

impl Drop for Leadership {
    /// Stops renewing without freeing the lease: the others take over once it runs out (as
    /// when the process dies).
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn is_current(until: &Mutex<Option<Instant>>) -> bool {
    until
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .is_some_and(|u| u > Instant::now())
}

/// One connection's life of the change feed; returns when the connection fails.
async fn feed(
    config: &tokio_postgres::Config,
    notify: bool,
    poll: Duration,
    on_change: &(impl Fn(Change) + Send + Sync),
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    // Driving the connection yields the notifications; requests on `client` go through it too.
    let driver = tokio::spawn(async move {
        while let Some(message) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if tx.send(n.payload().to_owned()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::debug!(error = %e, "change feed connection");
                    break;
                }
            }
        }
    });
    let result = async {
        if notify {
            client.batch_execute("LISTEN ossd_changes").await?;
        }
        // Whatever changed before LISTEN took effect.
        on_change(Change::everything(ChangeKind::Iam));
        let mut last: i64 = client.query_one(IAM_GENERATION, &[]).await?.try_get(0)?;
        let mut ticks = tokio::time::interval(poll);
        loop {
            tokio::select! {
                payload = rx.recv() => match payload {
                    Some(p) => {
                        if let Some(change) = Change::parse(&p) {
                            on_change(change);
                        }
                    }
                    None => return Ok(()),
                },
                _ = ticks.tick() => {
                    let now: i64 = client.query_one(IAM_GENERATION, &[]).await?.try_get(0)?;
                    if now != last {
                        last = now;
                        on_change(Change::everything(ChangeKind::Iam));
                    }
                }
            }
        }
    }
    .await;
    driver.abort();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_parse() {
        assert_eq!(
            Change::parse("iam:acs/users/alice"),
            Some(Change {
                kind: ChangeKind::Iam,
                key: Some("acs/users/alice".into())
            })
        );
        assert_eq!(Change::parse("hello"), None);
        assert_eq!(Change::parse("future:x"), None);
    }
}
