//! A fake GitHub that speaks the secrets REST API, publishes a real libsodium key pair
//! per scope, and opens every value it receives with `crypto_box_seal_open`.
//!
//! # What it serves
//!
//! Under every scope ([`Scope`]: the user's Codespaces secrets, an organization's or a
//! repository's secrets of `actions`, `codespaces`, `dependabot` or `agents`, an
//! environment's secrets by `owner/repo` or by repository id):
//!
//! | request | answer |
//! |---|---|
//! | `GET .../secrets/public-key` | `{key_id, key}`: the scope's current key |
//! | `GET .../secrets` | `{total_count, secrets}`, paginated (`per_page`, `page`, `Link`) |
//! | `GET .../secrets/{name}` | the secret's metadata, or 404 |
//! | `PUT .../secrets/{name}` | 201 created, 204 updated, 422 refused (see below) |
//! | `DELETE .../secrets/{name}` | 204, or 404 |
//! | `GET .../secrets/{name}/repositories` | user and org secrets: `{total_count, repositories}`, paginated; 409 if the org secret's visibility is not `selected` |
//! | `PUT .../secrets/{name}/repositories` | replaces the list: 204 (409 as above) |
//! | `PUT`/`DELETE .../secrets/{name}/repositories/{id}` | adds / removes one: 204 (409 as above) |
//! | `GET /repos/{owner}/{repo}` | a repository given to [`FakeGitHubBuilder::repository`], or 404 |
//! | `/orgs/{org}/private-registries[/public-key, /{name}]` | Dependabot private registries: `POST`, `PATCH`, `GET`, `DELETE`, with values sealed to a key of their own ([`Scope::private_registries`]); the rules are in the `registries` module's source |
//! | `GET /repos/{owner}/{repo}/{app}/organization-secrets` | `actions` and `agents`: the secrets of organization `{owner}` the repository may use (visibility `all`, `private` since every repository of the fake is private, or `selected` with the repository's id), paginated; 404 for a repository not given to [`FakeGitHubBuilder::repository`] |
//!
//! Every request must carry `Authorization: Bearer {token}` (401 otherwise), a
//! `User-Agent` (403), `Accept: application/vnd.github+json` and
//! `X-GitHub-Api-Version: 2022-11-28`, or `2026-03-10` ([`AGENTS_API_VERSION`]) for the
//! Agents endpoints, which GitHub documents only under that version (400: stricter
//! than GitHub, to catch clients that forget them). Other paths answer 404.
//!
//! # What a `PUT` must hold
//!
//! A valid secret name (letters, digits, `_`; not starting with a digit or `GITHUB_`)
//! and a JSON body without unknown fields. Repository and environment secrets need
//! `encrypted_value` and `key_id`; user secrets need `key_id` (a value or
//! `selected_repository_ids`, or both); organization secrets need `visibility`, and
//! `selected_repository_ids` only with `selected`; Agents organization secrets need
//! `encrypted_value`, `key_id` and `visibility` together (GitHub's schema requires all
//! three, so their visibility never changes without a value). The `key_id` must be the scope's
//! current one, and `encrypted_value` must be base64 of a sealed box that libsodium
//! opens with the scope's secret key, to at most 48 KB. Anything else is a 422 with a
//! message saying what was wrong, and nothing is stored.
//!
//! # GitHub App
//!
//! [`FakeGitHubBuilder::app`] makes the fake a GitHub App's home too: it verifies the
//! App's JWTs (signature with the App's public key, `iss`, `iat`, `exp` within 10
//! minutes), serves `GET /orgs/{org}/installation`,
//! `GET /repos/{owner}/{repo}/installation` and `GET /users/{username}/installation`
//! for the installations given ([`FakeGitHubBuilder::org_installation`],
//! [`FakeGitHubBuilder::user_installation`]), mints installation tokens
//! (`POST /app/installations/{id}/access_tokens`, with `expires_at`), and accepts them
//! on the secrets routes of their account. Tokens can stop working mid-run
//! ([`FakeGitHubBuilder::app_tokens_work_for`], [`FakeGitHub::revoke_app_tokens`]);
//! [`FakeGitHub::mints`] counts the mints and [`LoggedRequest::installation`] says
//! which installation's token each request carried. The rules are in the `app`
//! module's source, written from GitHub's documentation.
//!
//! # Faults
//!
//! [`FakeGitHubBuilder`] can make `PUT`s of secrets fail ([`Fault`]: 502, 429 with
//! `Retry-After`, 403 with an exhausted rate limit), rotate keys after a number of
//! stored values, and count every request against a primary rate limit whose headers
//! every answer carries ([`FakeGitHubBuilder::rate_limit`]); [`FakeGitHub::requests`]
//! and [`FakeGitHub::put_statuses`] show what the client did about it.

mod app;
mod registries;
mod routes;
mod scope;
mod state;
mod types;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub use app::{AppKey, MAX_JWT_LIFETIME_SECS};
pub use registries::{REGISTRY_TYPES, StoredRegistry};
pub use scope::{APPS, Scope};
pub use types::{Fault, PublishedKey, Stored};

use self::app::{AccountKind, AppConfig, Installation};
use self::scope::{Route, Tail};
use self::state::{Config, RateLimitConfig, Shared, StoredSecret};
use self::types::When;
use crate::log::LoggedRequest;
use crate::server::Server;
use crate::{Error, sodium};

/// The token the fake accepts unless [`FakeGitHubBuilder::token`] sets another.
pub const DEFAULT_TOKEN: &str = "ghp_sealpostFake0123456789abcdefghijklmn";

/// The API version the fake requires in `X-GitHub-Api-Version`.
pub const API_VERSION: &str = "2022-11-28";

/// The API version GitHub documents the Agents secrets endpoints under; the fake
/// requires it on every `/orgs/{org}/agents/...` and `/repos/{owner}/{repo}/agents/...`
/// request (and [`API_VERSION`] on the others).
pub const AGENTS_API_VERSION: &str = "2026-03-10";

/// The largest plaintext the fake stores, as GitHub: 48 KB.
pub const MAX_VALUE_BYTES: usize = 48 * 1024;

/// A running fake GitHub on `127.0.0.1`; it stops when dropped.
///
/// From an async test, on the test's runtime:
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), sealpost_fakes::Error> {
/// use sealpost_fakes::{FakeGitHub, Scope};
///
/// let github = FakeGitHub::start().await?;
/// // ... point a client at github.url() with github.token(), store "NPM_TOKEN" ...
/// assert!(github.stored(&Scope::user(), "NPM_TOKEN").is_none());
/// # Ok(())
/// # }
/// ```
///
/// From a synchronous test (an `assert_cmd` run of the CLI), with faults:
///
/// ```
/// use sealpost_fakes::{Fault, FakeGitHub};
///
/// let github = FakeGitHub::builder()
///     .fail_first_put_of_each_secret(Fault::BadGateway)
///     .rotate_keys_after(10)
///     .spawn()?;
/// // Command::cargo_bin("sealpost")?.env("GITHUB_API_URL", github.url())
/// //     .env("GH_TOKEN", github.token())...
/// # Ok::<(), sealpost_fakes::Error>(())
/// ```
#[derive(Debug)]
pub struct FakeGitHub {
    shared: Arc<Shared>,
    server: Server,
}

impl FakeGitHub {
    /// A builder, to set the token, faults, page size or known repositories.
    pub fn builder() -> FakeGitHubBuilder {
        FakeGitHubBuilder {
            config: Config {
                token: DEFAULT_TOKEN.to_owned(),
                faults: Vec::new(),
                rotate_after: None,
                page_size_limit: 100,
                repositories: BTreeMap::new(),
                numeric_key_ids: BTreeSet::new(),
                app: None,
                rate_limit: None,
            },
        }
    }

    /// Starts a fake without faults on the current tokio runtime.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`] if no local port is free; [`Error::Sodium`] if libsodium cannot
    /// start.
    pub async fn start() -> Result<FakeGitHub, Error> {
        FakeGitHub::builder().start().await
    }

    /// Starts a fake without faults on a runtime of its own, in a background thread:
    /// for synchronous tests and programs.
    ///
    /// # Errors
    ///
    /// As [`FakeGitHub::start`], and [`Error::Runtime`] if the thread cannot start.
    pub fn spawn() -> Result<FakeGitHub, Error> {
        FakeGitHub::builder().spawn()
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> &str {
        self.server.url()
    }

    /// The token the fake accepts.
    pub fn token(&self) -> &str {
        &self.shared.config.token
    }

    /// Secret `name` (in any case, as GitHub compares names) of `scope` as stored,
    /// with its decrypted plaintext.
    pub fn stored(&self, scope: &Scope, name: &str) -> Option<Stored> {
        let inner = self.shared.lock();
        let secret = inner
            .scopes
            .get(scope)?
            .secrets
            .get(&name.to_ascii_uppercase())?;
        Some(secret.stored.clone())
    }

    /// Dependabot private registry `name` of organization `org` as stored, with its
    /// decrypted plaintext.
    pub fn registry(&self, org: &str, name: &str) -> Option<StoredRegistry> {
        let inner = self.shared.lock();
        let entry = inner.registries.get(org)?.get(name)?;
        Some(entry.stored.clone())
    }

    /// The names of organization `org`'s Dependabot private registries, sorted.
    pub fn registry_names(&self, org: &str) -> Vec<String> {
        let inner = self.shared.lock();
        inner
            .registries
            .get(org)
            .map(|all| all.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The names of the secrets of `scope`, sorted, in upper case as GitHub keeps them.
    pub fn names(&self, scope: &Scope) -> Vec<String> {
        let inner = self.shared.lock();
        inner
            .scopes
            .get(scope)
            .map(|state| state.secrets.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The key `scope` publishes now (made on first use, as a request would).
    pub fn public_key(&self, scope: &Scope) -> PublishedKey {
        self.shared.lock().scope(scope).published()
    }

    /// Opens `sealed` (raw bytes, not base64) with `scope`'s current secret key, as the
    /// fake does with what it receives; `None` if it does not open.
    pub fn open(&self, scope: &Scope, sealed: &[u8]) -> Option<Vec<u8>> {
        self.shared.lock().scope(scope).keypair.open(sealed)
    }

    /// Replaces `scope`'s key pair now, as GitHub may at any time; values sealed to
    /// the old key are refused from now on (422).
    pub fn rotate_key(&self, scope: &Scope) -> PublishedKey {
        self.shared.lock().rotate(scope)
    }

    /// Stores secret `name` in `scope` directly, without a request (for tests of list,
    /// get and delete). Organization secrets get visibility `private`. Replaces a
    /// secret of that name in any case; the name is kept in upper case, as GitHub
    /// keeps it.
    pub fn insert(&self, scope: &Scope, name: &str, plaintext: impl AsRef<[u8]>) {
        let mut inner = self.shared.lock();
        let state = inner.scope(scope);
        let stored = Stored {
            plaintext: plaintext.as_ref().to_vec(),
            key_id: state.key_id.clone(),
            visibility: scope.is_org().then(|| "private".to_owned()),
            repositories: scope.is_user().then(Vec::new),
            writes: 1,
        };
        state
            .secrets
            .insert(name.to_ascii_uppercase(), StoredSecret::new(stored));
    }

    /// Every request answered so far, in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.lock().log.clone()
    }

    /// The statuses of every `PUT` of secret `name` (in any case) in `scope`, in
    /// order, faults included: `[502, 201]` is a secret stored once after one server
    /// error.
    pub fn put_statuses(&self, scope: &Scope, name: &str) -> Vec<u16> {
        let secret = Tail::Secret(name.to_ascii_uppercase());
        self.matching("PUT", scope, &secret)
    }

    /// How often `scope`'s public key was fetched.
    pub fn key_fetches(&self, scope: &Scope) -> usize {
        self.matching("GET", scope, &Tail::PublicKey).len()
    }

    /// Makes every GitHub App installation token given so far stop working (401), as
    /// when they expire or are revoked mid-run.
    pub fn revoke_app_tokens(&self) {
        self.shared.lock().app.revoke_all();
    }

    /// How many installation tokens were minted, for every installation.
    pub fn mints(&self) -> usize {
        self.shared.lock().app.mints.len()
    }

    /// How many installation tokens of `installation` were minted.
    pub fn mints_for(&self, installation: u64) -> usize {
        let inner = self.shared.lock();
        inner
            .app
            .mints
            .iter()
            .filter(|id| **id == installation)
            .count()
    }

    /// Why the App's JWTs were refused, in order (empty when every JWT was good).
    pub fn jwt_refusals(&self) -> Vec<String> {
        self.shared.lock().app.jwt_refusals.clone()
    }

    fn matching(&self, method: &str, scope: &Scope, tail: &Tail) -> Vec<u16> {
        self.shared
            .lock()
            .log
            .iter()
            .filter(|logged| logged.method == method)
            .filter(|logged| {
                matches!(scope::route(&logged.path),
                    Some(Route::Secrets { scope: s, tail: t }) if s == *scope && t == *tail)
            })
            .map(|logged| logged.status)
            .collect()
    }
}

/// Settings of a [`FakeGitHub`]; ends with [`start`](FakeGitHubBuilder::start) (async)
/// or [`spawn`](FakeGitHubBuilder::spawn) (own thread).
///
/// Faults count `PUT .../secrets/{name}` requests in every scope, faulty answers
/// included; when several match one `PUT`, the first one added wins.
#[derive(Debug, Clone)]
#[must_use = "the fake starts with `start` or `spawn`"]
pub struct FakeGitHubBuilder {
    config: Config,
}

impl FakeGitHubBuilder {
    /// The token every request must carry (default [`DEFAULT_TOKEN`]).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.config.token = token.into();
        self
    }

    /// The first `count` `PUT`s of secrets answer with `fault`.
    pub fn fail_first_puts(mut self, count: usize, fault: Fault) -> Self {
        self.config.faults.push((When::FirstPuts(count), fault));
        self
    }

    /// The `number`-th `PUT` of a secret (1-based) answers with `fault`.
    pub fn fail_put_number(mut self, number: usize, fault: Fault) -> Self {
        self.config.faults.push((When::PutNumber(number), fault));
        self
    }

    /// The first `PUT` of every secret (scope and name) answers with `fault`.
    pub fn fail_first_put_of_each_secret(mut self, fault: Fault) -> Self {
        self.config.faults.push((When::FirstPutOfEachSecret, fault));
        self
    }

    /// Each scope gets a new key pair and key id right after its `count`-th stored
    /// value (once per scope); values sealed to the old key are then refused (422).
    pub fn rotate_keys_after(mut self, count: usize) -> Self {
        self.config.rotate_after = Some(count);
        self
    }

    /// At most `size` items per page of a list, whatever `per_page` asks (GitHub: 100),
    /// so that a few secrets make several pages.
    pub fn page_size_limit(mut self, size: usize) -> Self {
        self.config.page_size_limit = size.max(1);
        self
    }

    /// A repository the fake knows: `GET /repos/{owner}/{name}` answers with `id`, and
    /// lists of selected repositories use the name. Others are named `repo-{id}`.
    pub fn repository(mut self, id: u64, full_name: &str) -> Self {
        self.config.repositories.insert(id, full_name.to_owned());
        self
    }

    /// `scope` publishes its key with `key_id` as a JSON number
    /// (`{"key_id": 568250167242500001, ...}`), as some servers do where GitHub
    /// documents a string. A `PUT` must still send it back as a string.
    pub fn numeric_key_id(mut self, scope: Scope) -> Self {
        self.config.numeric_key_ids.insert(scope);
        self
    }

    /// The fake is the home of GitHub App `app_id` whose key pair is `key`: it
    /// verifies JWTs with `key`'s public half, serves installation lookups and mints
    /// installation tokens, and accepts those on the secrets routes (see the module
    /// docs). The token of [`FakeGitHubBuilder::token`] still works too.
    pub fn app(mut self, app_id: u64, key: &AppKey) -> Self {
        let app = self.app_config();
        app.app_id = app_id;
        app.public_key = key.public_key_der().to_vec();
        self
    }

    /// The App is installed on organization `org` as installation `id`: it serves
    /// the organization's secrets and those of its repositories.
    pub fn org_installation(mut self, id: u64, org: &str) -> Self {
        self.app_config().installations.push(Installation {
            id,
            account: org.to_owned(),
            kind: AccountKind::Organization,
        });
        self
    }

    /// The App is installed on user `login`'s account as installation `id`: it serves
    /// the secrets of the user's repositories (never the user's own Codespaces
    /// secrets).
    pub fn user_installation(mut self, id: u64, login: &str) -> Self {
        self.app_config().installations.push(Installation {
            id,
            account: login.to_owned(),
            kind: AccountKind::User,
        });
        self
    }

    /// Each installation token works for `requests` requests, then answers 401 "Bad
    /// credentials", as a token that expired or was revoked mid-run.
    pub fn app_tokens_work_for(mut self, requests: usize) -> Self {
        self.app_config().token_uses = Some(requests);
        self
    }

    /// Installation tokens expire `lifetime` after they are minted (GitHub, and the
    /// default: one hour); `expires_at` says so, and they are refused after.
    pub fn app_token_lifetime(mut self, lifetime: std::time::Duration) -> Self {
        self.app_config().token_lifetime = lifetime.as_secs();
        self
    }

    /// Counts requests against a primary rate limit, as GitHub does: every answer
    /// carries `x-ratelimit-limit` (`limit`), `x-ratelimit-remaining`,
    /// `x-ratelimit-used` and `x-ratelimit-reset` (a Unix time, whole seconds). Each
    /// credential has a budget of its own: a token (each GitHub App installation's
    /// token too), and the App's JWTs one together. Every credential's first window
    /// has `remaining` requests left and ends `reset_after` seconds after the fake
    /// starts; each later window has `limit` and lasts an hour. Every request uses one
    /// of its credential's; one made when none is left is refused with GitHub's 403
    /// "API rate limit exceeded" (`x-ratelimit-remaining: 0`, no `Retry-After`), until
    /// the window ends. A small `reset_after` keeps a test that waits for it short.
    pub fn rate_limit(mut self, limit: u64, remaining: u64, reset_after: u64) -> Self {
        self.config.rate_limit = Some(RateLimitConfig {
            limit,
            remaining,
            reset_after,
        });
        self
    }

    fn app_config(&mut self) -> &mut AppConfig {
        self.config
            .app
            .get_or_insert_with(|| AppConfig::new(0, Vec::new()))
    }

    /// Starts the fake on the current tokio runtime.
    ///
    /// # Errors
    ///
    /// As [`FakeGitHub::start`].
    pub async fn start(self) -> Result<FakeGitHub, Error> {
        sodium::init()?;
        let shared = Arc::new(Shared::new(self.config));
        let server = Server::start(routes::router(Arc::clone(&shared))).await?;
        Ok(FakeGitHub { shared, server })
    }

    /// Starts the fake on a runtime of its own, in a background thread.
    ///
    /// # Errors
    ///
    /// As [`FakeGitHub::spawn`].
    pub fn spawn(self) -> Result<FakeGitHub, Error> {
        sodium::init()?;
        let shared = Arc::new(Shared::new(self.config));
        let server = Server::spawn(routes::router(Arc::clone(&shared)))?;
        Ok(FakeGitHub { shared, server })
    }
}
