//! What the fake GitHub knows: its settings, a key pair and the secrets of every scope,
//! and the log of requests.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::app::{AppConfig, AppState};
use super::registries::RegistryEntry;
use super::scope::Scope;
use super::types::{Fault, PublishedKey, Stored, When};
use crate::log::LoggedRequest;
use crate::sodium::Keypair;
use crate::time::{now_rfc3339, unix_now};

/// How long a rate-limit window lasts after the first one: an hour, as GitHub's.
const RATE_WINDOW_SECS: u64 = 3600;

/// Settings fixed when the fake starts.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The token every request must carry.
    pub(crate) token: String,
    pub(crate) faults: Vec<(When, Fault)>,
    /// Rotate a scope's key once, right after this many values were stored in it.
    pub(crate) rotate_after: Option<usize>,
    /// The most items one page of a list holds (GitHub: 100).
    pub(crate) page_size_limit: usize,
    /// Repositories the fake knows by name: id → `owner/name`.
    pub(crate) repositories: BTreeMap<u64, String>,
    /// Scopes whose public key answer gives `key_id` as a JSON number.
    pub(crate) numeric_key_ids: BTreeSet<Scope>,
    /// The GitHub App whose installation tokens are accepted besides `token`.
    pub(crate) app: Option<AppConfig>,
    /// A primary rate limit that every request counts against.
    pub(crate) rate_limit: Option<RateLimitConfig>,
}

/// [`FakeGitHubBuilder::rate_limit`](super::FakeGitHubBuilder::rate_limit)'s settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RateLimitConfig {
    /// Requests in a full window.
    pub(crate) limit: u64,
    /// Requests left in the first window.
    pub(crate) remaining: u64,
    /// Seconds from the start of the fake to the end of the first window.
    pub(crate) reset_after: u64,
}

/// The current rate-limit window.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RateWindow {
    pub(crate) limit: u64,
    pub(crate) remaining: u64,
    /// When the window ends, in whole seconds since the Unix epoch (GitHub's
    /// `x-ratelimit-reset`).
    pub(crate) reset_at: u64,
}

impl RateWindow {
    /// The first window of a credential, as [`RateLimitConfig`] says, for a fake
    /// that started at `started`.
    pub(crate) fn first(config: &RateLimitConfig, started: u64) -> Self {
        RateWindow {
            limit: config.limit,
            remaining: config.remaining.min(config.limit),
            reset_at: started + config.reset_after,
        }
    }

    /// Counts one request at `now` (Unix seconds), starting a full window first if
    /// this one has ended; `false` when none was left, and the request is refused.
    pub(crate) fn spend(&mut self, now: u64) -> bool {
        if now >= self.reset_at {
            self.remaining = self.limit;
            self.reset_at = now + RATE_WINDOW_SECS;
        }
        if self.remaining == 0 {
            return false;
        }
        self.remaining -= 1;
        true
    }
}

/// Everything behind the lock.
#[derive(Debug, Default)]
pub(crate) struct Inner {
    pub(crate) scopes: BTreeMap<Scope, ScopeState>,
    pub(crate) log: Vec<LoggedRequest>,
    /// `PUT`s of secrets so far, faulty ones included.
    pub(crate) puts: usize,
    /// Secrets that were `PUT` at least once (for [`When::FirstPutOfEachSecret`]).
    pub(crate) put_before: HashSet<(Scope, String)>,
    /// The GitHub App's tokens, mints and refused JWTs.
    pub(crate) app: AppState,
    /// Dependabot private registries: organization → name → registry.
    pub(crate) registries: BTreeMap<String, BTreeMap<String, RegistryEntry>>,
    /// The rate-limit window of each credential (see [`credential_key`]), when the
    /// fake has a rate limit: GitHub counts requests per token, and a GitHub App's
    /// own requests (signed with its JWT) against the App.
    pub(crate) rates: HashMap<String, RateWindow>,
    /// The last key id given out; ids are unique across scopes, so a value sealed to
    /// one scope's key is never taken in another.
    last_key_id: u64,
}

/// One scope: its current key pair and its secrets.
#[derive(Debug)]
pub(crate) struct ScopeState {
    pub(crate) key_id: String,
    pub(crate) keypair: Keypair,
    pub(crate) secrets: BTreeMap<String, StoredSecret>,
    /// Values stored in this scope so far (for `rotate_after`).
    pub(crate) values_stored: usize,
}

impl ScopeState {
    pub(crate) fn published(&self) -> PublishedKey {
        PublishedKey {
            key_id: self.key_id.clone(),
            key: self.keypair.public(),
        }
    }
}

/// A secret with the times the API reports.
#[derive(Debug, Clone)]
pub(crate) struct StoredSecret {
    pub(crate) stored: Stored,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

impl StoredSecret {
    /// A secret stored now.
    pub(crate) fn new(stored: Stored) -> Self {
        let now = now_rfc3339();
        StoredSecret {
            stored,
            created_at: now.clone(),
            updated_at: now,
        }
    }
}

/// The state shared by the handler and the [`FakeGitHub`](super::FakeGitHub) a test holds.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    /// When the fake started (Unix seconds): every credential's first rate-limit
    /// window ends `reset_after` seconds later.
    pub(crate) started: u64,
    inner: Mutex<Inner>,
}

impl Shared {
    pub(crate) fn new(config: Config) -> Self {
        Shared {
            started: unix_now(),
            config,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// The state. A panic while it was locked (a bug in a handler) leaves nothing
    /// half-changed that a test could not see, so the poison is ignored.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Inner {
    /// The state of `scope`, made with a fresh key pair on first use.
    pub(crate) fn scope(&mut self, scope: &Scope) -> &mut ScopeState {
        let last_key_id = &mut self.last_key_id;
        self.scopes
            .entry(scope.clone())
            .or_insert_with(|| ScopeState {
                key_id: next_key_id(last_key_id),
                keypair: Keypair::after_init(),
                secrets: BTreeMap::new(),
                values_stored: 0,
            })
    }

    /// Gives `scope` a new key pair and key id, as GitHub does when it rotates keys.
    pub(crate) fn rotate(&mut self, scope: &Scope) -> PublishedKey {
        let key_id = next_key_id(&mut self.last_key_id);
        let state = self.scope(scope);
        state.key_id = key_id;
        state.keypair = Keypair::after_init();
        state.published()
    }
}

/// The next key id: shaped like GitHub's (a long decimal number), unique in this fake.
fn next_key_id(last: &mut u64) -> String {
    *last += 1;
    format!("5682501672425{:05}", *last)
}
