//! What GitHub says of its primary rate limit in every answer, successes included:
//! `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset`. The client
//! keeps the last answer's, so that a caller can slow down before GitHub refuses
//! ([`Client::rate_limit`](super::Client::rate_limit)).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use reqwest::header::HeaderMap;
use time::OffsetDateTime;

use crate::transport::Credential;

/// GitHub's primary rate limit as one answer reported it.
///
/// GitHub counts requests per token (a user's, or a GitHub App installation's) in a
/// window that ends at [`reset`](RateLimit::reset); then `remaining` starts again at
/// `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests left in the current window (`x-ratelimit-remaining`).
    pub remaining: u64,
    /// Requests allowed in a window (`x-ratelimit-limit`): 5,000 an hour for a
    /// personal token, more for some GitHub Apps.
    pub limit: u64,
    /// When the window ends and `remaining` is `limit` again (`x-ratelimit-reset`, a
    /// Unix time in whole seconds).
    pub reset: OffsetDateTime,
}

impl RateLimit {
    /// A snapshot with these values, for callers' tests; the client makes its own
    /// from GitHub's headers.
    pub fn new(remaining: u64, limit: u64, reset: OffsetDateTime) -> Self {
        RateLimit {
            remaining,
            limit,
            reset,
        }
    }

    /// What `headers` say, when they hold all three headers, each a whole number.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number = |name: &str| -> Option<u64> { headers.get(name)?.to_str().ok()?.parse().ok() };
        let reset = i64::try_from(number("x-ratelimit-reset")?).ok()?;
        Some(RateLimit {
            remaining: number("x-ratelimit-remaining")?,
            limit: number("x-ratelimit-limit")?,
            reset: OffsetDateTime::from_unix_timestamp(reset).ok()?,
        })
    }
}

/// The snapshots of the last answers that carried one, shared by a client's clones:
/// the last of all, and the last per GitHub App installation (each installation's
/// token has a budget of its own).
#[derive(Debug, Default)]
pub(crate) struct LastRateLimit(Mutex<Seen>);

#[derive(Debug, Default)]
struct Seen {
    last: Option<RateLimit>,
    installations: HashMap<u64, RateLimit>,
}

impl LastRateLimit {
    /// Keeps what `headers` say, if they say it, for the request's `credential`; an
    /// answer without the headers (a redirect, a proxy's error page) leaves the
    /// snapshots as they were. Answers to a GitHub App's own requests are counted
    /// against the App, not a token, and are not kept.
    pub(crate) fn observe(&self, headers: &HeaderMap, credential: Credential) {
        if credential == Credential::AppJwt {
            return;
        }
        let Some(seen) = RateLimit::from_headers(headers) else {
            return;
        };
        let mut all = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        all.last = Some(seen);
        if let Credential::Installation(id) = credential {
            all.installations.insert(id, seen);
        }
    }

    /// The last snapshot, whichever token it was for.
    pub(crate) fn get(&self) -> Option<RateLimit> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).last
    }

    /// The last snapshot of installation `id`'s token.
    pub(crate) fn installation(&self, id: u64) -> Option<RateLimit> {
        let all = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        all.installations.get(&id).copied()
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderName, HeaderValue};

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| {
                let value = HeaderValue::from_str(value).unwrap();
                (HeaderName::from_static(name), value)
            })
            .collect()
    }

    #[test]
    fn all_three_headers_make_a_snapshot() {
        let seen = RateLimit::from_headers(&headers(&[
            ("x-ratelimit-limit", "5000"),
            ("x-ratelimit-remaining", "4987"),
            ("x-ratelimit-reset", "1772000000"),
            ("x-ratelimit-used", "13"),
        ]))
        .unwrap();
        assert_eq!(
            seen,
            RateLimit::new(
                4987,
                5000,
                OffsetDateTime::from_unix_timestamp(1_772_000_000).unwrap()
            )
        );
    }

    #[test]
    fn missing_or_broken_headers_make_none_and_keep_the_last() {
        let full = [
            ("x-ratelimit-limit", "60"),
            ("x-ratelimit-remaining", "7"),
            ("x-ratelimit-reset", "1772000000"),
        ];
        for broken in 0..full.len() {
            let mut pairs = full.to_vec();
            pairs.remove(broken);
            assert_eq!(RateLimit::from_headers(&headers(&pairs)), None);
            pairs.insert(broken, (full[broken].0, "-1"));
            assert_eq!(RateLimit::from_headers(&headers(&pairs)), None);
        }
        let last = LastRateLimit::default();
        assert_eq!(last.get(), None);
        last.observe(&headers(&full), Credential::Token);
        last.observe(
            &headers(&[("x-ratelimit-remaining", "1")]),
            Credential::Token,
        );
        assert_eq!(last.get().map(|seen| seen.remaining), Some(7));
        let mut fewer = full;
        fewer[1].1 = "6";
        last.observe(&headers(&fewer), Credential::Token);
        assert_eq!(last.get().map(|seen| seen.remaining), Some(6));
    }

    #[test]
    fn installations_are_kept_apart_and_the_apps_own_answers_left_out() {
        let answer = |remaining: &'static str| {
            headers(&[
                ("x-ratelimit-limit", "5000"),
                ("x-ratelimit-remaining", remaining),
                ("x-ratelimit-reset", "1772000000"),
            ])
        };
        let left = |seen: Option<RateLimit>| seen.map(|seen| seen.remaining);
        let last = LastRateLimit::default();
        last.observe(&answer("100"), Credential::Installation(1));
        last.observe(&answer("4000"), Credential::Installation(2));
        last.observe(&answer("4999"), Credential::AppJwt);
        assert_eq!(left(last.get()), Some(4000), "the App's own is left out");
        assert_eq!(left(last.installation(1)), Some(100));
        assert_eq!(left(last.installation(2)), Some(4000));
        assert_eq!(last.installation(3), None);
        last.observe(&answer("99"), Credential::Installation(1));
        assert_eq!(left(last.installation(1)), Some(99));
        assert_eq!(left(last.get()), Some(99));
    }
}
