//! Pacing writes: at most N per minute, shared by every task of a run, and spread
//! out when GitHub says few requests are left.
//!
//! GitHub asks clients to space mutating requests (about one a second per user or
//! App) to stay clear of its secondary rate limits. Each write takes the next free
//! slot, `60 / N` seconds after the one before; 0 means no pacing (tests, local
//! servers).
//!
//! # GitHub's primary rate limit
//!
//! Every GitHub answer says how many requests are left (`x-ratelimit-remaining`, of
//! `x-ratelimit-limit`) until the window resets (`x-ratelimit-reset`), for the token
//! that made the request. The client keeps the last answer's per token (a GitHub
//! App's installations each have their own), and a target's handle gives its
//! token's ([`Secrets::rate_limit`]). Before each GitHub write, [`hold`] compares
//! what the write's token has left with what the rest of the run needs, counted as
//! [`REQUESTS_PER_WRITE`] requests for each GitHub write not yet started (of all
//! targets: more than one token's share when several installations serve the run,
//! which only makes it slow down sooner):
//!
//! - The run slows down when it needs more than is left above a reserve of 5 % of
//!   the limit: it would otherwise use GitHub's last requests in a burst, and run into
//!   a 403 (or leave none for the token's other users, CI jobs and people, until the
//!   reset). Comparing with the writes still planned means a small run does not slow
//!   down because a large budget is partly used, and a large run slows down early,
//!   while there is still something to spread.
//! - Slowed down, the writes are spaced so that what is left lasts until the reset:
//!   `time to the reset × REQUESTS_PER_WRITE / remaining` apart (or the per-minute
//!   interval, if longer). The next answers say less is left and the time shorter, so
//!   the spacing follows. Once the window resets, GitHub's answers say the budget is
//!   full again, and the run goes on at its usual pace.
//! - When not even one write's requests are left, the next write waits for the reset
//!   (plus a second: the reset is given in whole seconds, and clocks differ).
//!
//! A hold longer than [`Options::max_rate_limit_wait`](crate::Options) is not waited:
//! the write is sent, and a refusal is handled as any rate limit is.
//!
//! [`Secrets::rate_limit`]: sealpost_client::github::Secrets::rate_limit

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sealpost_client::github::RateLimit;
use time::OffsetDateTime;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// The requests one GitHub write is counted as: the write, and the read of the
/// secret's `updated_at` after it. (A value's first write to a scope also fetches
/// its public key, once, and an organization secret whose access is kept reads it
/// first; the reserve covers those.)
pub(crate) const REQUESTS_PER_WRITE: u64 = 2;

/// The share of the limit left to the token's other users: one twentieth (5 %).
const RESERVE_DIVISOR: u64 = 20;

/// The margin added to a wait for the reset.
const RESET_MARGIN: Duration = Duration::from_secs(1);

/// What GitHub's rate limit asks of the next write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hold {
    /// Enough is left: the usual pace.
    None,
    /// Few are left: at least this long between this write and the next.
    Spread(Duration),
    /// Not enough for one more write: not before this long from now.
    Until(Duration),
}

/// What `rate` (GitHub's last answer) asks of the next write at `now`, with
/// `writes_left` GitHub writes still to send, this one included. See the module docs.
pub(crate) fn hold(rate: &RateLimit, now: OffsetDateTime, writes_left: u64) -> Hold {
    let Ok(to_reset) = Duration::try_from(rate.reset - now) else {
        // The window has ended: the next answer tells the new one.
        return Hold::None;
    };
    if to_reset.is_zero() {
        return Hold::None;
    }
    let needed = writes_left.saturating_mul(REQUESTS_PER_WRITE);
    let reserve = rate.limit / RESERVE_DIVISOR;
    if rate.remaining.saturating_sub(reserve) >= needed {
        return Hold::None;
    }
    if rate.remaining < REQUESTS_PER_WRITE {
        return Hold::Until(to_reset + RESET_MARGIN);
    }
    let share = u32::try_from(rate.remaining / REQUESTS_PER_WRITE).unwrap_or(u32::MAX);
    Hold::Spread(to_reset / share)
}

/// Hands out write slots.
#[derive(Debug)]
pub(crate) struct Pacer {
    interval: Option<Duration>,
    next: Mutex<Option<Instant>>,
    /// GitHub writes planned and not started yet.
    github_left: AtomicU64,
}

impl Pacer {
    /// At most `per_minute` writes a minute (0 for no limit), of which
    /// `github_writes` go to GitHub.
    pub(crate) fn new(per_minute: u32, github_writes: usize) -> Self {
        Pacer {
            interval: (per_minute > 0).then(|| Duration::from_secs(60) / per_minute),
            next: Mutex::new(None),
            github_left: AtomicU64::new(u64::try_from(github_writes).unwrap_or(u64::MAX)),
        }
    }

    /// The hold for a GitHub write about to start, from what GitHub last said of the
    /// budget of the write's token (given back with it); counts the write as started.
    /// Holds longer than `longest` are dropped.
    pub(crate) fn github_hold(
        &self,
        rate_limit: Option<RateLimit>,
        longest: Duration,
    ) -> (Hold, Option<RateLimit>) {
        let left = self
            .github_left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                Some(n.saturating_sub(1))
            })
            .unwrap_or(0);
        let Some(rate) = rate_limit else {
            return (Hold::None, None);
        };
        let held = match hold(&rate, OffsetDateTime::now_utc(), left.max(1)) {
            Hold::Spread(wait) | Hold::Until(wait) if wait > longest => Hold::None,
            other => other,
        };
        (held, Some(rate))
    }

    /// Takes this write's slot: after the one before by the per-minute interval (or a
    /// [`Hold::Spread`], if longer), and not before a [`Hold::Until`]. Gives when the
    /// write may go; the caller waits until then.
    pub(crate) async fn take(&self, hold: Hold) -> Instant {
        let now = Instant::now();
        if self.interval.is_none() && hold == Hold::None {
            return now;
        }
        let mut next = self.next.lock().await;
        let mut at = next.map_or(now, |next| next.max(now));
        let mut gap = self.interval.unwrap_or_default();
        match hold {
            Hold::None => {}
            Hold::Spread(spread) => gap = gap.max(spread),
            Hold::Until(wait) => at = at.max(now + wait),
        }
        *next = Some(at + gap);
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn slot(pacer: &Pacer, hold: Hold) {
        tokio::time::sleep_until(pacer.take(hold).await).await;
    }

    #[tokio::test(start_paused = true)]
    async fn slots_are_spaced() {
        let pacer = Pacer::new(120, 0);
        let start = Instant::now();
        for _ in 0..5 {
            slot(&pacer, Hold::None).await;
        }
        // Slots at 0, 0.5, 1, 1.5 and 2 s.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        let unpaced = Pacer::new(0, 0);
        let start = Instant::now();
        for _ in 0..100 {
            slot(&unpaced, Hold::None).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn holds_space_slots_beyond_the_interval_and_wait_for_the_reset() {
        let pacer = Pacer::new(120, 0);
        let start = Instant::now();
        // A spread longer than the interval spaces the next slot by it ...
        slot(&pacer, Hold::Spread(Duration::from_secs(3))).await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        slot(&pacer, Hold::None).await;
        assert_eq!(start.elapsed(), Duration::from_secs(3));
        // ... a shorter one does not shorten the interval ...
        slot(&pacer, Hold::Spread(Duration::from_millis(100))).await;
        assert_eq!(start.elapsed(), Duration::from_millis(3500));
        // ... and a wait for the reset holds the slot itself back.
        slot(&pacer, Hold::Until(Duration::from_secs(10))).await;
        assert_eq!(start.elapsed(), Duration::from_millis(13_500));
        // Unpaced, holds still apply.
        let unpaced = Pacer::new(0, 0);
        let start = Instant::now();
        slot(&unpaced, Hold::Spread(Duration::from_secs(2))).await;
        slot(&unpaced, Hold::Until(Duration::from_secs(1))).await;
        slot(&unpaced, Hold::None).await;
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }

    fn at(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_772_000_000 + seconds).unwrap()
    }

    #[test]
    fn enough_left_above_the_reserve_is_no_hold() {
        let now = at(0);
        // 5,000 an hour: the reserve is 250. 10 writes need 20 requests.
        assert_eq!(
            hold(&RateLimit::new(270, 5000, at(600)), now, 10),
            Hold::None
        );
        assert_eq!(
            hold(&RateLimit::new(4999, 5000, at(600)), now, 2000),
            Hold::None
        );
        // The window has ended (or ends now): the next answer tells.
        assert_eq!(hold(&RateLimit::new(0, 5000, at(0)), now, 10), Hold::None);
        assert_eq!(hold(&RateLimit::new(0, 5000, at(-5)), now, 10), Hold::None);
    }

    #[test]
    fn few_left_spreads_what_is_left_until_the_reset() {
        let now = at(0);
        // 269 left, 10 writes: one request into the reserve. 134 writes' worth left
        // for 600 s: one every 600 / 134 s.
        assert_eq!(
            hold(&RateLimit::new(269, 5000, at(600)), now, 10),
            Hold::Spread(Duration::from_secs(600) / 134)
        );
        // A large run slows down early: 4,000 left, 2,000 writes to go.
        assert_eq!(
            hold(&RateLimit::new(4000, 5000, at(3000)), now, 2000),
            Hold::Spread(Duration::from_millis(1500))
        );
        // A small limit has no reserve: 60 an hour, 7 left, 4 writes.
        assert_eq!(
            hold(&RateLimit::new(7, 60, at(30)), now, 4),
            Hold::Spread(Duration::from_secs(10))
        );
        assert_eq!(hold(&RateLimit::new(11, 60, at(30)), now, 4), Hold::None);
    }

    #[test]
    fn not_enough_for_one_write_waits_for_the_reset() {
        let now = at(0);
        for remaining in [0, 1] {
            assert_eq!(
                hold(&RateLimit::new(remaining, 5000, at(42)), now, 1),
                Hold::Until(Duration::from_secs(43))
            );
        }
    }
}
