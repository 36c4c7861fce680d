//! Pacing writes: at most N per minute, shared by every task of a run.
//!
//! GitHub asks clients to space mutating requests (about one a second per user or
//! App) to stay clear of its secondary rate limits. Each write takes the next free
//! slot, `60 / N` seconds after the one before; 0 means no pacing (tests, local
//! servers).

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// Hands out write slots.
#[derive(Debug)]
pub(crate) struct Pacer {
    interval: Option<Duration>,
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    /// At most `per_minute` writes a minute; 0 for no limit.
    pub(crate) fn new(per_minute: u32) -> Self {
        Pacer {
            interval: (per_minute > 0).then(|| Duration::from_secs(60) / per_minute),
            next: Mutex::new(None),
        }
    }

    /// Waits for this write's slot.
    pub(crate) async fn slot(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let at = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let at = next.map_or(now, |next| next.max(now));
            *next = Some(at + interval);
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn slots_are_spaced() {
        let pacer = Pacer::new(120);
        let start = Instant::now();
        for _ in 0..5 {
            pacer.slot().await;
        }
        // Slots at 0, 0.5, 1, 1.5 and 2 s.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        let unpaced = Pacer::new(0);
        let start = Instant::now();
        for _ in 0..100 {
            unpaced.slot().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
