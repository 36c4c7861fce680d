//! A fake Coder that speaks the user-secrets API and keeps what it is sent.
//!
//! # What it serves
//!
//! | request | answer |
//! |---|---|
//! | `GET /api/v2/users/{user}/secrets` | 200, every secret (never a value) |
//! | `POST /api/v2/users/{user}/secrets` | 201 and the secret; 400 on validation, 409 if the name, `env_name` or `file_path` is taken |
//! | `GET /api/v2/users/{user}/secrets/{name}` | 200 and the secret, or 404 |
//! | `PATCH /api/v2/users/{user}/secrets/{name}` | 200; only the fields given change (`""` clears); 400 for an empty patch or on validation; 404; 409 |
//! | `DELETE /api/v2/users/{user}/secrets/{name}` | 204, or 404 |
//!
//! Every request must carry a `Coder-Session-Token` the fake issued (401 otherwise):
//! the one user's, or that of another user ([`FakeCoderBuilder::other_user`]). `{user}`
//! is `me`, or the session user's name or id; any other user is 404 (as Coder lets
//! only the user themselves reach their secrets). Each user has secrets of their own:
//! names, `env_name`s and `file_path`s are unique per user. Errors are Coder's
//! `{message, detail?, validations?: [{field, detail}]}`.
//!
//! Validation follows Coder's server: the name must not be empty, have surrounding
//! whitespace or hold `/`, `?` or `#`; the value must not be empty, hold a NUL byte
//! or exceed [`MAX_VALUE_BYTES`]; `env_name` must be a POSIX name that is neither
//! reserved (`PATH`, `HOME`, ...) nor in a reserved family (`CODER_`, `GIT_`, `LC_`,
//! `LD_`, `DYLD_`), nor one the deployment reserves
//! ([`FakeCoderBuilder::reserve_env_name`]); `file_path` must start with `~/` or `/`.
//! Unknown JSON fields are refused (400): Coder ignores them, but a client that sends
//! one (a `name` in a `PATCH`, hoping to rename) has a bug. A create beyond
//! [`FakeCoderBuilder::max_secrets_per_user`] is a 400 `User secrets limit reached.`
//!
//! Times are written as Coder writes them (`2025-06-01T12:00:00.123456Z`), and every
//! change gets a later `updated_at` than the one before.

mod routes;
mod rules;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

pub use rules::MAX_VALUE_BYTES;

use crate::Error;
use crate::github::Fault;
use crate::log::LoggedRequest;
use crate::server::Server;
use crate::sodium;
use crate::time::Clock;

/// The session token the fake accepts unless [`FakeCoderBuilder::token`] sets another.
pub const DEFAULT_TOKEN: &str = "coderFakeSession-0123456789abcdef";

/// The fake's one user, unless [`FakeCoderBuilder::username`] names another.
pub const DEFAULT_USERNAME: &str = "alice";

/// A user secret as the fake Coder keeps it, value included.
///
/// `Debug` shows the value's length, never its text.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CoderSecret {
    /// The UUID the fake gave it.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its value, as sent.
    pub value: String,
    /// Its description (`""` if none).
    pub description: String,
    /// The environment variable it is injected as (`""` if none).
    pub env_name: String,
    /// The file it is written to (`""` if none).
    pub file_path: String,
    /// How many requests created or changed it, the first included.
    pub writes: usize,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it was last changed (RFC 3339).
    pub updated_at: String,
}

impl fmt::Debug for CoderSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CoderSecret")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("value", &format_args!("<{} bytes>", self.value.len()))
            .field("description", &self.description)
            .field("env_name", &self.env_name)
            .field("file_path", &self.file_path)
            .field("writes", &self.writes)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

/// A user of the fake, with the session token that acts as them.
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub(crate) name: String,
    pub(crate) id: String,
    pub(crate) token: String,
}

impl User {
    fn new(name: String, token: String) -> Self {
        User {
            name,
            id: new_uuid(),
            token,
        }
    }

    /// Whether `{user}` in a path (`me`, a name or an id) names this user.
    pub(crate) fn is_named(&self, user: &str) -> bool {
        user == "me" || user == self.name || user == self.id
    }
}

/// Settings fixed when the fake starts.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The one user [`FakeCoder::token`] and [`FakeCoder::username`] describe.
    pub(crate) user: User,
    /// Users with sessions of their own.
    pub(crate) other_users: Vec<User>,
    /// `(first n requests that change something, fault)`.
    pub(crate) faults: Vec<(usize, Fault)>,
    /// `env_name`s the deployment reserves beyond Coder's own rules, in upper case.
    pub(crate) reserved_env_names: BTreeSet<String>,
    /// The most secrets one user may have (`None`: no limit).
    pub(crate) max_secrets: Option<usize>,
}

impl Config {
    /// The user whose session `token` is.
    pub(crate) fn session(&self, token: &str) -> Option<&User> {
        std::iter::once(&self.user)
            .chain(&self.other_users)
            .find(|user| user.token == token)
    }
}

/// What the fake knows, behind one lock.
#[derive(Debug, Default)]
pub(crate) struct Inner {
    /// Every user's secrets: username, then secret name.
    pub(crate) secrets: BTreeMap<String, BTreeMap<String, CoderSecret>>,
    pub(crate) log: Vec<LoggedRequest>,
    /// Requests that would change something (`POST`, `PATCH`, `DELETE`) so far.
    pub(crate) writes: usize,
    pub(crate) clock: Clock,
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    inner: Mutex<Inner>,
}

impl Shared {
    /// The state; a panic while it was locked leaves nothing half-changed.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running fake Coder on `127.0.0.1`; it stops when dropped.
///
/// ```
/// use sealpost_fakes::FakeCoder;
///
/// let coder = FakeCoder::spawn()?;
/// // CODER_URL=coder.url() CODER_SESSION_TOKEN=coder.token() sealpost coder secrets create ...
/// assert!(coder.secret("NPM_TOKEN").is_none());
/// # Ok::<(), sealpost_fakes::Error>(())
/// ```
#[derive(Debug)]
pub struct FakeCoder {
    shared: Arc<Shared>,
    server: Server,
}

impl FakeCoder {
    /// A builder, to set the token, the users, faults or the deployment's rules.
    pub fn builder() -> FakeCoderBuilder {
        FakeCoderBuilder {
            config: Config {
                user: User::new(DEFAULT_USERNAME.to_owned(), DEFAULT_TOKEN.to_owned()),
                other_users: Vec::new(),
                faults: Vec::new(),
                reserved_env_names: BTreeSet::new(),
                max_secrets: None,
            },
        }
    }

    /// Starts a fake on the current tokio runtime.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`] if no local port is free; [`Error::Sodium`] if libsodium (which
    /// makes the ids) cannot start.
    pub async fn start() -> Result<FakeCoder, Error> {
        FakeCoder::builder().start().await
    }

    /// Starts a fake on a runtime of its own, in a background thread.
    ///
    /// # Errors
    ///
    /// As [`FakeCoder::start`], and [`Error::Runtime`] if the thread cannot start.
    pub fn spawn() -> Result<FakeCoder, Error> {
        FakeCoder::builder().spawn()
    }

    /// The deployment URL to give a client: `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        self.server.url()
    }

    /// The session token the fake accepts.
    pub fn token(&self) -> &str {
        &self.shared.config.user.token
    }

    /// The one user's name (`me` names it too).
    pub fn username(&self) -> &str {
        &self.shared.config.user.name
    }

    /// The one user's id (a UUID).
    pub fn user_id(&self) -> &str {
        &self.shared.config.user.id
    }

    /// The one user's secret `name` with its value, if the fake has it.
    pub fn secret(&self, name: &str) -> Option<CoderSecret> {
        self.secret_of(self.username(), name)
    }

    /// The names of the one user's secrets, sorted.
    pub fn names(&self) -> Vec<String> {
        self.names_of(self.username())
    }

    /// Secret `name` of user `username` (the one user or an
    /// [`other_user`](FakeCoderBuilder::other_user)) with its value.
    pub fn secret_of(&self, username: &str, name: &str) -> Option<CoderSecret> {
        self.shared.lock().secrets.get(username)?.get(name).cloned()
    }

    /// The names of user `username`'s secrets, sorted.
    pub fn names_of(&self, username: &str) -> Vec<String> {
        let inner = self.shared.lock();
        let secrets = inner.secrets.get(username);
        secrets
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Stores the one user's secret `name` with `value` directly, without a
    /// request and without validation (for tests of list, get, update and delete).
    /// Replaces a secret of that name.
    pub fn insert(&self, name: &str, value: &str) {
        let mut inner = self.shared.lock();
        let now = inner.clock.stamp();
        let secret = CoderSecret::new(name.to_owned(), value.to_owned(), now);
        let mine = inner.secrets.entry(self.username().to_owned());
        mine.or_default().insert(name.to_owned(), secret);
    }

    /// Every request answered so far, in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.lock().log.clone()
    }
}

/// Settings of a [`FakeCoder`]; ends with [`start`](FakeCoderBuilder::start) or
/// [`spawn`](FakeCoderBuilder::spawn).
#[derive(Debug, Clone)]
#[must_use = "the fake starts with `start` or `spawn`"]
pub struct FakeCoderBuilder {
    config: Config,
}

impl FakeCoderBuilder {
    /// The session token every request must carry (default [`DEFAULT_TOKEN`]).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.config.user.token = token.into();
        self
    }

    /// The one user's name (default [`DEFAULT_USERNAME`]).
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.config.user.name = username.into();
        self
    }

    /// Another user, whose requests carry `token`. Their secrets are their own: a
    /// name taken by one user is free for the other, and neither session reaches the
    /// other's secrets (404).
    pub fn other_user(mut self, username: impl Into<String>, token: impl Into<String>) -> Self {
        let user = User::new(username.into(), token.into());
        self.config.other_users.push(user);
        self
    }

    /// The first `count` requests that would change something (`POST`, `PATCH`,
    /// `DELETE`) answer with `fault` and change nothing.
    pub fn fail_first_writes(mut self, count: usize, fault: Fault) -> Self {
        self.config.faults.push((count, fault));
        self
    }

    /// An `env_name` (any case) that the deployment refuses beyond Coder's own rules,
    /// as a deployment with AI Gateway refuses `OPENAI_API_KEY`: a 400 validation
    /// `{UPPER} is reserved when AI Gateway is enabled`, a rule no client can know.
    pub fn reserve_env_name(mut self, env_name: &str) -> Self {
        let upper = env_name.to_ascii_uppercase();
        self.config.reserved_env_names.insert(upper);
        self
    }

    /// Each user may have at most `max` secrets, as Coder limits them: a create beyond
    /// that is a 400 `User secrets limit reached.` (after the 409 checks: a taken name
    /// is still a conflict).
    pub fn max_secrets_per_user(mut self, max: usize) -> Self {
        self.config.max_secrets = Some(max);
        self
    }

    /// Starts the fake on the current tokio runtime.
    ///
    /// # Errors
    ///
    /// As [`FakeCoder::start`].
    pub async fn start(self) -> Result<FakeCoder, Error> {
        sodium::init()?;
        let shared = self.shared();
        let server = Server::start(routes::router(Arc::clone(&shared))).await?;
        Ok(FakeCoder { shared, server })
    }

    /// Starts the fake on a runtime of its own, in a background thread.
    ///
    /// # Errors
    ///
    /// As [`FakeCoder::spawn`].
    pub fn spawn(self) -> Result<FakeCoder, Error> {
        sodium::init()?;
        let shared = self.shared();
        let server = Server::spawn(routes::router(Arc::clone(&shared)))?;
        Ok(FakeCoder { shared, server })
    }

    fn shared(self) -> Arc<Shared> {
        Arc::new(Shared {
            config: self.config,
            inner: Mutex::new(Inner::default()),
        })
    }
}

impl CoderSecret {
    /// A secret with a new id, made at `now`, written once.
    pub(crate) fn new(name: String, value: String, now: String) -> Self {
        CoderSecret {
            id: new_uuid(),
            name,
            value,
            description: String::new(),
            env_name: String::new(),
            file_path: String::new(),
            writes: 1,
            created_at: now.clone(),
            updated_at: now,
        }
    }
}

/// A random (version 4) UUID, as Coder gives its objects.
pub(crate) fn new_uuid() -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut bytes: [u8; 16] = sodium::random_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 0x0f)]])
        .map(char::from)
        .collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::new_uuid;

    #[test]
    fn uuids_are_version_4_and_differ() {
        let (a, b) = (new_uuid(), new_uuid());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert_eq!(a.matches('-').count(), 4);
    }
}
