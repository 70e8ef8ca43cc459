//! Running many object transfers or deletes at once: at most `limit` in flight, stopping at the
//! first error (the others are cancelled).

use std::future::Future;

use anyhow::Context;
use tokio::task::JoinSet;

/// Runs every task, at most `limit` at a time; the first error ends the run.
pub(crate) async fn run_bounded<F>(
    tasks: impl IntoIterator<Item = F>,
    limit: usize,
) -> anyhow::Result<()>
where
    F: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let mut running = JoinSet::new();
    for task in tasks {
        while running.len() >= limit.max(1) {
            finish_one(&mut running).await?;
        }
        running.spawn(task);
    }
    while !running.is_empty() {
        finish_one(&mut running).await?;
    }
    Ok(())
}

async fn finish_one(running: &mut JoinSet<anyhow::Result<()>>) -> anyhow::Result<()> {
    match running.join_next().await {
        Some(joined) => joined.context("a task failed")?,
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn bounded_and_stops_on_error() -> anyhow::Result<()> {
        let (now, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let tasks = (0..20).map(|_| {
            let (now, peak) = (Arc::clone(&now), Arc::clone(&peak));
            async move {
                let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(n, Ordering::SeqCst);
                tokio::task::yield_now().await;
                now.fetch_sub(1, Ordering::SeqCst);
                anyhow::Ok(())
            }
        });
        run_bounded(tasks, 3).await?;
        assert!(peak.load(Ordering::SeqCst) <= 3);
        let failing = (0..5).map(|i| async move {
            anyhow::ensure!(i != 2, "task {i} failed");
            Ok(())
        });
        assert!(run_bounded(failing, 2).await.is_err());
        Ok(())
    }
}
