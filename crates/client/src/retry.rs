//! When a failed request is tried again, and how long to wait first.
//!
//! # The policy
//!
//! A request is retried, within the bounds of a [`RetryPolicy`], when the failure says
//! nothing about the request itself and a later attempt may succeed:
//!
//! - **Rate limits**: 429, and 403 when it carries GitHub's rate-limit signs
//!   (`Retry-After`, `x-ratelimit-remaining: 0`, or a message about a rate limit). The
//!   wait is, in this order: the server's `Retry-After` (seconds); else, when
//!   `x-ratelimit-remaining` is `0`, until `x-ratelimit-reset` (a Unix time) plus one
//!   second; else at least [`RetryPolicy::rate_limit_fallback`] (a minute by default, as
//!   GitHub asks for secondary limits), doubling with each further limit. A 403 without
//!   those signs is a permission problem and is never retried.
//! - **Server errors**: 500, 502, 503 and 504 (503's `Retry-After` is honoured).
//! - **Connection failures and timeouts**: connection refused or reset, TLS failures,
//!   no answer within the client's timeout.
//!
//! Server errors and connection failures wait with exponential backoff and jitter: the
//! n-th retry waits a random time between half and all of
//! `min(initial_backoff * 2^(n-1), max_backoff)`, so many clients failing at once do not
//! come back at once.
//!
//! Every other answer (400, 401, 404, 409, 422, ...) is returned at once: repeating the
//! same request would get the same answer.
//!
//! # Bounds
//!
//! At most [`RetryPolicy::max_attempts`] attempts (the first included), no single wait
//! longer than [`RetryPolicy::max_retry_wait`] (two minutes by default), and never a
//! wait that would end later than [`RetryPolicy::max_elapsed`] after the first attempt
//! started: when the server asks for a longer wait (a primary rate limit that resets in
//! forty minutes), the call fails at once with [`Error::is_rate_limited`] and the wait
//! in [`ApiError::retry_after`], and the caller decides.
//!
//! # Seeing the waits
//!
//! The library never prints. A program that wants to tell its user why it is quiet
//! (a rate limit can make a call wait a minute or more) gives the policy a hook with
//! [`RetryPolicy::on_wait`]: it is called with a [`RetryWait`] just before each wait.
//! The `sealpost` command uses it to print, for each wait over two seconds, a line
//! such as `rate limited by GitHub; waiting 37 s`.
//!
//! # Why repeating is safe
//!
//! The requests this crate retries after they may have reached the server are
//! idempotent: `GET`, `DELETE`, `PUT` and Coder's `PATCH` (it sets the fields it names
//! to the values it holds). Storing a secret is a `PUT` of a full value: applying the
//! same body twice leaves the same secret as applying it once. The one visible
//! difference is that a `PUT` whose
//! first attempt was applied but whose answer was lost reports
//! [`PutOutcome::Updated`](crate::PutOutcome::Updated) instead of `Created`. A `DELETE`
//! repeated after it was applied answers 404. Requests that are not idempotent (a
//! `POST` that creates) are retried only when the server certainly did not act on them:
//! a rate-limit refusal or a connection that was never made. No request is ever sent
//! again after a success.
//!
//! [`Error::is_rate_limited`]: crate::Error::is_rate_limited
//! [`ApiError::retry_after`]: crate::ApiError::retry_after

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::Service;

/// How often, and for how long, failed requests are tried again.
///
/// ```
/// use std::time::Duration;
/// use sealpost_client::RetryPolicy;
///
/// // A deployment job that can afford to wait out a rate limit of up to ten minutes.
/// let patient = RetryPolicy::default()
///     .max_attempts(8)
///     .max_retry_wait(Duration::from_secs(600))
///     .max_elapsed(Duration::from_secs(660));
/// // A test against a local fake server: retries, but no real waiting.
/// let fast = RetryPolicy::default()
///     .initial_backoff(Duration::from_millis(1))
///     .rate_limit_fallback(Duration::from_millis(1));
/// # let _ = (patient, fast);
/// ```
///
/// Two policies are equal when their bounds are equal and they share the same
/// [`on_wait`](RetryPolicy::on_wait) hook (or both have none).
#[derive(Clone)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_elapsed: Duration,
    max_retry_wait: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
    rate_limit_fallback: Duration,
    on_wait: Option<WaitHook>,
}

/// The hook of [`RetryPolicy::on_wait`].
type WaitHook = Arc<dyn Fn(&RetryWait) + Send + Sync>;

impl Default for RetryPolicy {
    /// Five attempts within five minutes, no single wait over two minutes; backoff
    /// from half a second up to thirty seconds; a minute for a rate limit that does not
    /// say how long; no hook.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            max_elapsed: Duration::from_secs(300),
            max_retry_wait: Duration::from_secs(120),
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            rate_limit_fallback: Duration::from_secs(60),
            on_wait: None,
        }
    }
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_attempts", &self.max_attempts)
            .field("max_elapsed", &self.max_elapsed)
            .field("max_retry_wait", &self.max_retry_wait)
            .field("initial_backoff", &self.initial_backoff)
            .field("max_backoff", &self.max_backoff)
            .field("rate_limit_fallback", &self.rate_limit_fallback)
            .field("on_wait", &self.on_wait.as_ref().map(|_| "Fn(&RetryWait)"))
            .finish()
    }
}

impl PartialEq for RetryPolicy {
    fn eq(&self, other: &Self) -> bool {
        let same_hook = match (&self.on_wait, &other.on_wait) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        self.max_attempts == other.max_attempts
            && self.max_elapsed == other.max_elapsed
            && self.max_retry_wait == other.max_retry_wait
            && self.initial_backoff == other.initial_backoff
            && self.max_backoff == other.max_backoff
            && self.rate_limit_fallback == other.rate_limit_fallback
            && same_hook
    }
}

impl Eq for RetryPolicy {}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn none() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// At most `attempts` attempts per request, the first included (0 counts as 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// No retry whose wait would end later than `elapsed` after the first attempt.
    #[must_use]
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// The longest single wait before a retry (two minutes by default). When the
    /// server asks for a longer one (`Retry-After: 3600`, or a rate limit that resets
    /// in an hour), the call is not retried: it fails at once with
    /// [`Error::is_rate_limited`](crate::Error::is_rate_limited) and the wait asked for
    /// in [`ApiError::retry_after`](crate::ApiError::retry_after).
    #[must_use]
    pub fn max_retry_wait(mut self, wait: Duration) -> Self {
        self.max_retry_wait = wait;
        self
    }

    /// Calls `hook` just before each wait between attempts, with what is waited for
    /// and how long; for example to tell a user why a command is quiet. The hook runs
    /// on the task that waits, so it should return quickly (print a line, bump a
    /// counter). Replaces any earlier hook.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sealpost_client::RetryPolicy;
    ///
    /// let policy = RetryPolicy::default().on_wait(|wait| {
    ///     if wait.wait > Duration::from_secs(2) {
    ///         eprintln!("{wait}");
    ///     }
    /// });
    /// # let _ = policy;
    /// ```
    #[must_use]
    pub fn on_wait(mut self, hook: impl Fn(&RetryWait) + Send + Sync + 'static) -> Self {
        self.on_wait = Some(Arc::new(hook));
        self
    }

    /// The wait before the first retry of a server error or connection failure.
    #[must_use]
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between retries of server errors and connection failures.
    #[must_use]
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The wait after a rate limit that says neither `Retry-After` nor
    /// `x-ratelimit-reset` (a minute by default; lower it only against test servers).
    #[must_use]
    pub fn rate_limit_fallback(mut self, wait: Duration) -> Self {
        self.rate_limit_fallback = wait;
        self
    }

    /// The largest number of attempts per request.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The time budget of one request, waits included.
    pub fn elapsed_budget(&self) -> Duration {
        self.max_elapsed
    }

    /// The longest single wait before a retry.
    pub fn retry_wait_limit(&self) -> Duration {
        self.max_retry_wait
    }

    /// Tells the hook, if there is one, about a wait that is about to start.
    pub(crate) fn notify(&self, wait: &RetryWait) {
        if let Some(hook) = &self.on_wait {
            hook(wait);
        }
    }

    /// The wait before retry number `retry` (1 for the first retry) of a server error
    /// or connection failure, with jitter drawn from `random`.
    pub(crate) fn backoff(&self, retry: u32, random: u64) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let full = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        jitter(full, random)
    }

    /// The wait before retrying after rate limit number `limit` (1 for the first) of
    /// one request, when the server did not say how long.
    pub(crate) fn rate_limit_backoff(&self, limit: u32) -> Duration {
        let exponent = limit.saturating_sub(1).min(30);
        self.rate_limit_fallback.saturating_mul(1 << exponent)
    }
}

/// A wait between two attempts of one request, as told to the hook of
/// [`RetryPolicy::on_wait`].
///
/// `Display` writes one line for a person, such as `rate limited by GitHub; waiting
/// 37 s`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryWait {
    /// The service that was asked.
    pub service: Service,
    /// Why the request is tried again.
    pub reason: WaitReason,
    /// How long the wait is.
    pub wait: Duration,
    /// The attempt that will follow the wait (2 for the first retry).
    pub next_attempt: u32,
}

/// Why a request is tried again after a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitReason {
    /// The service refused because of a rate limit.
    RateLimited,
    /// The service answered with this server error (500, 502, 503 or 504).
    ServerError(u16),
    /// No answer came: the connection failed, or the attempt timed out.
    NoAnswer,
}

impl fmt::Display for RetryWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let service = self.service;
        match self.reason {
            WaitReason::RateLimited => write!(f, "rate limited by {service}")?,
            WaitReason::ServerError(status) => write!(f, "{service} answered {status}")?,
            WaitReason::NoAnswer => write!(f, "no answer from {service}")?,
        }
        // Whole seconds, rounded up: "waiting 0 s" for a wait of 300 ms would mislead.
        let secs = self.wait.as_secs() + u64::from(self.wait.subsec_nanos() > 0);
        write!(f, "; waiting {secs} s")
    }
}

/// A random duration between half and all of `full`.
fn jitter(full: Duration, random: u64) -> Duration {
    let half = full / 2;
    let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
    let extra = if nanos == 0 { 0 } else { random % (nanos + 1) };
    half + Duration::from_nanos(extra)
}

/// Random bits for jitter; if the system has none to give, no jitter.
pub(crate) fn random_u64() -> u64 {
    getrandom::u64().unwrap_or(0)
}

/// What an answer that is not a success means for retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// A rate limit; the server's own wait, if it gave one.
    RateLimited(Option<Duration>),
    /// A server error; the server's `Retry-After`, if it gave one.
    ServerError(Option<Duration>),
    /// Anything else: retrying would not help.
    Permanent,
}

/// Classifies an answer that is not a success. `message` is the server's `message`
/// field, if the body had one.
pub(crate) fn classify(status: StatusCode, headers: &HeaderMap, message: &str) -> Failure {
    let retry_after = retry_after(headers);
    let remaining_zero = header_str(headers, "x-ratelimit-remaining") == Some("0");
    match status.as_u16() {
        429 => Failure::RateLimited(server_wait(headers, retry_after, remaining_zero)),
        403 if retry_after.is_some()
            || remaining_zero
            || message.to_ascii_lowercase().contains("rate limit") =>
        {
            Failure::RateLimited(server_wait(headers, retry_after, remaining_zero))
        }
        500 | 502 | 503 | 504 => Failure::ServerError(retry_after),
        _ => Failure::Permanent,
    }
}

/// The wait a rate-limited answer asks for: `Retry-After`, else the time until
/// `x-ratelimit-reset` when no requests remain.
fn server_wait(
    headers: &HeaderMap,
    retry_after: Option<Duration>,
    remaining_zero: bool,
) -> Option<Duration> {
    if retry_after.is_some() {
        return retry_after;
    }
    if remaining_zero {
        let reset: u64 = header_str(headers, "x-ratelimit-reset")?
            .trim()
            .parse()
            .ok()?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        // One second more: the reset time is rounded down to the second.
        return Some(Duration::from_secs(
            reset.saturating_sub(now).saturating_add(1),
        ));
    }
    None
}

/// `Retry-After` in seconds. (The HTTP-date form is not used by GitHub or Coder; an
/// answer that uses it falls back to the policy's own wait.)
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds: u64 = header_str(headers, "retry-after")?.trim().parse().ok()?;
    Some(Duration::from_secs(seconds))
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name)?.to_str().ok()
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn now() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }

    #[test]
    fn retry_after_wins() {
        let h = headers(&[
            ("retry-after", "7"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", &(now() + 1000).to_string()),
        ]);
        assert_eq!(
            classify(StatusCode::FORBIDDEN, &h, ""),
            Failure::RateLimited(Some(Duration::from_secs(7)))
        );
        assert_eq!(
            classify(StatusCode::TOO_MANY_REQUESTS, &h, ""),
            Failure::RateLimited(Some(Duration::from_secs(7)))
        );
    }

    #[test]
    fn reset_time_when_nothing_remains() {
        let h = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", &(now() + 30).to_string()),
        ]);
        let Failure::RateLimited(Some(wait)) = classify(StatusCode::FORBIDDEN, &h, "") else {
            panic!("not a rate limit with a wait");
        };
        // The clock may tick between `now()` above and inside `classify`.
        assert!((Duration::from_secs(30)..=Duration::from_secs(31)).contains(&wait));
    }

    #[test]
    fn reset_time_ignored_while_requests_remain() {
        let h = headers(&[
            ("x-ratelimit-remaining", "10"),
            ("x-ratelimit-reset", &(now() + 30).to_string()),
        ]);
        assert_eq!(
            classify(StatusCode::FORBIDDEN, &h, "Must have admin rights"),
            Failure::Permanent
        );
        assert_eq!(
            classify(StatusCode::TOO_MANY_REQUESTS, &h, ""),
            Failure::RateLimited(None)
        );
    }

    #[test]
    fn secondary_limit_message_without_headers() {
        let message = "You have exceeded a secondary rate limit. Please wait a few minutes.";
        assert_eq!(
            classify(StatusCode::FORBIDDEN, &HeaderMap::new(), message),
            Failure::RateLimited(None)
        );
    }

    #[test]
    fn server_errors_and_others() {
        let none = HeaderMap::new();
        for status in [500, 502, 503, 504] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(classify(status, &none, ""), Failure::ServerError(None));
        }
        for status in [400, 401, 404, 409, 422, 501] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(classify(status, &none, ""), Failure::Permanent);
        }
        assert_eq!(
            classify(
                StatusCode::SERVICE_UNAVAILABLE,
                &headers(&[("retry-after", "3")]),
                ""
            ),
            Failure::ServerError(Some(Duration::from_secs(3)))
        );
    }

    #[test]
    fn unparsable_headers_fall_back() {
        let h = headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]);
        assert_eq!(
            classify(StatusCode::TOO_MANY_REQUESTS, &h, ""),
            Failure::RateLimited(None)
        );
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_secs(1));
        // random = 0 gives the lower half, u64::MAX % (n+1) something in range.
        assert_eq!(policy.backoff(1, 0), Duration::from_millis(50));
        assert_eq!(policy.backoff(2, 0), Duration::from_millis(100));
        assert_eq!(policy.backoff(3, 0), Duration::from_millis(200));
        assert_eq!(policy.backoff(10, 0), Duration::from_millis(500));
        for random in [1, 12_345, u64::MAX] {
            let wait = policy.backoff(1, random);
            assert!((Duration::from_millis(50)..=Duration::from_millis(100)).contains(&wait));
        }
        assert!(policy.backoff(u32::MAX, u64::MAX) <= Duration::from_secs(1));
    }

    #[test]
    fn rate_limit_fallback_is_at_least_the_fallback_and_doubles() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.rate_limit_backoff(1), Duration::from_secs(60));
        assert_eq!(policy.rate_limit_backoff(2), Duration::from_secs(120));
    }

    #[test]
    fn waits_are_told_in_whole_seconds_rounded_up() {
        let wait = |reason, wait| RetryWait {
            service: Service::GitHub,
            reason,
            wait,
            next_attempt: 2,
        };
        assert_eq!(
            wait(WaitReason::RateLimited, Duration::from_secs(37)).to_string(),
            "rate limited by GitHub; waiting 37 s"
        );
        assert_eq!(
            wait(WaitReason::ServerError(502), Duration::from_millis(2100)).to_string(),
            "GitHub answered 502; waiting 3 s"
        );
        let mut coder = wait(WaitReason::NoAnswer, Duration::from_millis(300));
        coder.service = Service::Coder;
        assert_eq!(coder.to_string(), "no answer from Coder; waiting 1 s");
    }

    #[test]
    fn hooks_are_called_and_compared_by_identity() {
        use std::sync::atomic::{AtomicU32, Ordering};
        let calls = Arc::new(AtomicU32::new(0));
        let seen = Arc::clone(&calls);
        let policy = RetryPolicy::default().on_wait(move |wait| {
            assert_eq!(wait.next_attempt, 2);
            seen.fetch_add(1, Ordering::SeqCst);
        });
        let notice = RetryWait {
            service: Service::Coder,
            reason: WaitReason::RateLimited,
            wait: Duration::from_secs(1),
            next_attempt: 2,
        };
        policy.notify(&notice);
        policy.clone().notify(&notice);
        RetryPolicy::default().notify(&notice);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(policy, policy.clone());
        assert_ne!(policy, RetryPolicy::default().on_wait(|_| {}));
        assert_ne!(policy, RetryPolicy::default());
        assert_eq!(RetryPolicy::default(), RetryPolicy::default());
        assert!(format!("{policy:?}").contains("on_wait: Some"));
    }

    #[test]
    fn zero_attempts_means_one() {
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::none().attempts(), 1);
    }
}
