//! The per-request time budget of an image job. The pool stops waiting at the deadline and
//! answers with [`ImageError::TimedOut`]; the job itself checks the same deadline between
//! stages (decode, each action, encode) and gives up there, so an abandoned job frees its
//! worker at the next stage boundary instead of running to the end.

use std::time::{Duration, Instant};

use crate::error::ImageError;

/// When a job must be finished by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    at: Option<Instant>,
    budget: Duration,
}

impl Deadline {
    /// `budget` from now.
    pub fn after(budget: Duration) -> Self {
        Self {
            at: Instant::now().checked_add(budget),
            budget,
        }
    }

    /// No deadline.
    pub fn none() -> Self {
        Self {
            at: None,
            budget: Duration::MAX,
        }
    }

    /// The instant, if bounded.
    pub fn instant(&self) -> Option<Instant> {
        self.at
    }

    /// The error a job past its deadline ends with.
    pub fn expired(&self) -> ImageError {
        ImageError::TimedOut(self.budget)
    }

    /// `Err(TimedOut)` once the deadline has passed.
    pub fn check(&self) -> Result<(), ImageError> {
        match self.at {
            Some(at) if Instant::now() >= at => Err(self.expired()),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires() {
        assert!(Deadline::none().check().is_ok());
        assert!(Deadline::after(Duration::from_secs(60)).check().is_ok());
        let d = Deadline::after(Duration::ZERO);
        assert_eq!(d.check(), Err(ImageError::TimedOut(Duration::ZERO)));
        // A budget too large for the clock is no deadline.
        assert!(Deadline::after(Duration::MAX).check().is_ok());
    }
}
