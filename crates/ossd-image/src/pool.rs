//! The bounded job pool: image work runs on `spawn_blocking` behind a semaphore of one permit
//! per core; at most `queue` further jobs wait, and any beyond that are refused with
//! [`ImageError::Busy`] (503) instead of piling up memory. [`Pool::run_until`] also stops
//! waiting at a [`Deadline`] (queueing included) and hands the job that deadline to check.
//! [`Pool::process`] runs a plan within the pool's [`MemoryBudget`]: the job's memory is
//! estimated from the header, refused above the per-job limit, and held (waiting in the queue
//! for it) before a worker is taken, until the job ends.
//!
//! A pool is a handle made once at startup (the server keeps it in its state); clones share
//! the workers, the queue and the budget. There is no process-wide pool.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Semaphore;

use crate::budget::Deadline;
use crate::error::ImageError;
use crate::exec::Output;
use crate::limits::Limits;
use crate::memory::{DEFAULT_MEMORY_BUDGET, MemoryBudget, MemoryPermit};
use crate::plan::Plan;

/// Jobs that may wait per worker in a pool sized by [`Pool::with_workers`].
pub const QUEUED_PER_WORKER: usize = 4;

/// A bounded pool for CPU-bound image jobs; a cheap handle to share.
#[derive(Debug, Clone)]
pub struct Pool {
    permits: Arc<Semaphore>,
    admitted: Arc<AtomicUsize>,
    workers: usize,
    capacity: usize,
    memory: MemoryBudget,
}

/// Counts an admitted job until dropped (when it finishes, fails, or its request goes away).
struct Admission(Arc<AtomicUsize>);

impl Drop for Admission {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Default for Pool {
    /// One worker per core ([`Pool::default_workers`]), [`QUEUED_PER_WORKER`] queued per worker.
    fn default() -> Self {
        Self::with_workers(Self::default_workers())
    }
}

impl Pool {
    /// `workers` concurrent jobs (at least 1) and up to `queue` waiting ones, within a memory
    /// budget of its own of [`DEFAULT_MEMORY_BUDGET`].
    pub fn new(workers: usize, queue: usize) -> Self {
        Self::with_memory(workers, queue, MemoryBudget::new(DEFAULT_MEMORY_BUDGET))
    }

    /// `workers` concurrent jobs (at least 1) and [`QUEUED_PER_WORKER`] waiting ones per worker.
    pub fn with_workers(workers: usize) -> Self {
        let workers = workers.max(1);
        Self::new(workers, workers.saturating_mul(QUEUED_PER_WORKER))
    }

    /// The default number of workers: one per core.
    pub fn default_workers() -> usize {
        std::thread::available_parallelism().map_or(1, usize::from)
    }

    /// [`Pool::new`] with its own memory budget for [`Pool::process`].
    pub fn with_memory(workers: usize, queue: usize, memory: MemoryBudget) -> Self {
        let workers = workers.max(1);
        Self {
            permits: Arc::new(Semaphore::new(workers)),
            admitted: Arc::new(AtomicUsize::new(0)),
            workers,
            capacity: workers.saturating_add(queue),
            memory,
        }
    }

    /// The memory budget [`Pool::process`] draws on.
    pub fn memory(&self) -> &MemoryBudget {
        &self.memory
    }

    /// Workers, that is jobs that run at once.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Jobs admitted and not yet finished (running or waiting).
    pub fn in_flight(&self) -> usize {
        self.admitted.load(Ordering::Acquire)
    }

    /// Runs `job` on a blocking thread once a worker is free. Fails fast with
    /// [`ImageError::Busy`] when the pool and its queue are full; a panicking job becomes
    /// [`ImageError::Internal`].
    pub async fn run<T, F>(&self, job: F) -> Result<T, ImageError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, ImageError> + Send + 'static,
    {
        let admission = self.admit()?;
        self.execute(admission, None, job).await
    }

    /// Runs `plan` on `data` (with the watermark objects `marks`) like
    /// [`crate::process_until`], within `deadline` and the pool's memory budget: the job's
    /// memory ([`crate::job_memory`]) is estimated from the headers, refused with
    /// `ImageTooLarge` above [`Limits::max_job_memory`] or the whole budget, and held before a
    /// worker is taken — waiting in the queue while other jobs hold it — until the job ends.
    pub async fn process(
        &self,
        deadline: Deadline,
        data: Vec<u8>,
        plan: Plan,
        limits: Limits,
        marks: Arc<Vec<(String, Vec<u8>)>>,
    ) -> Result<Output, ImageError> {
        let work = async {
            let admission = self.admit()?;
            deadline.check()?;
            let bytes = crate::memory::job_memory(&data, &plan, &limits, &marks)?;
            let held = self.memory.acquire(bytes, &deadline).await?;
            self.execute(admission, Some(held), move || {
                crate::exec::process_held(&data, &plan, &limits, &marks, &deadline)
            })
            .await
        };
        match deadline.instant() {
            Some(at) => tokio::time::timeout_at(at.into(), work)
                .await
                .unwrap_or_else(|_| Err(deadline.expired())),
            None => work.await,
        }
    }

    /// Runs `job` on a blocking thread once a worker is free; the admission and the memory
    /// are given back when the job ends.
    async fn execute<T, F>(
        &self,
        admission: Admission,
        memory: Option<MemoryPermit>,
        job: F,
    ) -> Result<T, ImageError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, ImageError> + Send + 'static,
    {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ImageError::Busy)?;
        tokio::task::spawn_blocking(move || {
            let _held = (permit, admission, memory);
            job()
        })
        .await
        .map_err(|e| ImageError::Internal(format!("image job failed: {e}")))?
    }

    /// [`Pool::run`] bounded by `deadline`: waiting (in the queue or for the job) stops there
    /// with [`ImageError::TimedOut`]; the job gets the deadline to give up at, so its worker is
    /// freed soon after.
    pub async fn run_until<T, F>(&self, deadline: Deadline, job: F) -> Result<T, ImageError>
    where
        T: Send + 'static,
        F: FnOnce(&Deadline) -> Result<T, ImageError> + Send + 'static,
    {
        let work = self.run(move || job(&deadline));
        match deadline.instant() {
            Some(at) => tokio::time::timeout_at(at.into(), work)
                .await
                .unwrap_or_else(|_| Err(deadline.expired())),
            None => work.await,
        }
    }

    fn admit(&self) -> Result<Admission, ImageError> {
        let prev = self.admitted.fetch_add(1, Ordering::AcqRel);
        let admission = Admission(self.admitted.clone());
        if prev >= self.capacity {
            return Err(ImageError::Busy);
        }
        Ok(admission)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn excess_jobs_are_refused() {
        let pool = Arc::new(Pool::new(1, 1));
        let slow = || {
            std::thread::sleep(Duration::from_millis(300));
            Ok(1)
        };
        let (a, b) = (pool.clone(), pool.clone());
        let first = tokio::spawn(async move { a.run(slow).await });
        let second = tokio::spawn(async move { b.run(slow).await });
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(pool.in_flight(), 2);
        assert_eq!(pool.run(|| Ok(0)).await, Err(ImageError::Busy));
        assert_eq!(first.await.ok(), Some(Ok(1)));
        assert_eq!(second.await.ok(), Some(Ok(1)));
        assert_eq!(pool.in_flight(), 0);
        assert_eq!(pool.run(|| Ok(7)).await, Ok(7));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn jobs_over_budget_are_abandoned_and_free_the_worker() {
        let pool = Arc::new(Pool::new(1, 4));
        let budget = Duration::from_millis(200);
        // A job of many short stages that checks its deadline between them.
        let staged = |d: &Deadline| {
            for _ in 0..100 {
                d.check()?;
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(1)
        };
        let started = std::time::Instant::now();
        let r = pool.run_until(Deadline::after(budget), staged).await;
        assert_eq!(r, Err(ImageError::TimedOut(budget)));
        assert!(started.elapsed() < Duration::from_millis(600));
        // The worker is released at the job's next check, so the next job runs.
        let next = pool.run_until(Deadline::after(Duration::from_secs(5)), |_| Ok(2));
        assert_eq!(next.await, Ok(2));
        assert_eq!(pool.in_flight(), 0);
        // A job still queued when its deadline passes never runs.
        let blocker = pool.clone();
        let hold = tokio::spawn(async move {
            blocker
                .run(|| {
                    std::thread::sleep(Duration::from_millis(400));
                    Ok(0)
                })
                .await
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let ran = Arc::new(AtomicUsize::new(0));
        let flag = ran.clone();
        let queued = pool.run_until(Deadline::after(budget), move |d| {
            d.check()?;
            flag.fetch_add(1, Ordering::AcqRel);
            Ok(3)
        });
        assert_eq!(queued.await, Err(ImageError::TimedOut(budget)));
        assert_eq!(hold.await.ok(), Some(Ok(0)));
        assert_eq!(ran.load(Ordering::Acquire), 0);
    }

    #[tokio::test]
    async fn panics_become_internal_errors() {
        let pool = Pool::new(1, 0);
        let r: Result<(), _> = pool.run(|| panic!("boom")).await;
        assert!(matches!(r, Err(ImageError::Internal(_))));
        assert_eq!(pool.in_flight(), 0);
    }
}
