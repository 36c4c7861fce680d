//! Storing one secret with a builder: one generic [`PutSecret`] for every scope, whose
//! type says which scope it is for (so that only organization secrets take a
//! visibility, and only user secrets a list of repositories) and whether a value was
//! given (so that `send` exists only then: GitHub refuses to create a secret without
//! one).

use std::fmt;
use std::marker::PhantomData;

use secrecy::SecretString;

use super::client::Client;
use super::name::{IntoSecretName, SecretName};
use super::scope::Scope;
use super::secrets::Access;
use super::types::{App, Repo, RepositoryId, Visibility};
use super::value::{NoValue, Payload, WithValue};
use crate::{Error, PutOutcome};

/// Marker types: which kind of scope a [`PutSecret`] stores into.
pub mod target {
    /// The authenticated user's Codespaces secrets.
    #[derive(Debug)]
    pub enum User {}
    /// An organization's secrets of one app.
    #[derive(Debug)]
    pub enum Org {}
    /// A repository's secrets of one app.
    #[derive(Debug)]
    pub enum Repository {}
    /// An environment's secrets.
    #[derive(Debug)]
    pub enum Environment {}
}

/// Stores one secret. Made by [`Client::user_codespaces_secret`],
/// [`Client::org_secret`], [`Client::repository_secret`] and
/// [`Client::environment_secret`], which take what the API requires; `send` exists
/// once a value was given with `value` or `with_sealed`.
///
/// Without an explicit access setting, storing a value keeps the access an existing
/// secret has: an organization secret keeps its visibility (and its repositories,
/// when `selected`), a user secret its repositories. A new organization secret is
/// `private`. See [`Secrets::put`](super::Secrets::put).
///
/// ```no_run
/// use sealpost_client::github::{App, Repo, Visibility};
///
/// # async fn run(gh: sealpost_client::github::Client) -> Result<(), sealpost_client::Error> {
/// // Rotate a value; whoever could read the secret still can, and no one else.
/// gh.org_secret(App::Actions, "acme", "NPM_TOKEN").value("new").send().await?;
/// // Store a value and say who may use it.
/// gh.org_secret(App::Codespaces, "acme", "NPM_TOKEN")
///     .visibility(Visibility::selected([1296269]))
///     .value("s3cr3t")
///     .send()
///     .await?;
/// gh.environment_secret(Repo::id(1296269), "production", "DB_URL")
///     .value("postgres://...")
///     .send()
///     .await?;
/// # Ok(())
/// # }
/// ```
///
/// Without a value, there is nothing to send:
///
/// ```compile_fail
/// # async fn run(gh: sealpost_client::github::Client) {
/// use sealpost_client::github::{App, Visibility};
/// gh.org_secret(App::Actions, "acme", "NPM_TOKEN").visibility(Visibility::All).send().await;
/// # }
/// ```
///
/// Changing who may use an existing secret, without its value, is
/// [`Secrets::existing`](super::Secrets::existing).
#[must_use = "nothing is stored until `send` is awaited"]
pub struct PutSecret<K, V = NoValue> {
    client: Client,
    scope: Scope,
    name: Result<SecretName, Error>,
    access: Option<Access>,
    payload: V,
    target: PhantomData<fn() -> K>,
}

impl<K, V: fmt::Debug> fmt::Debug for PutSecret<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PutSecret")
            .field("scope", &self.scope)
            .field("name", &self.name.as_ref().ok())
            .field("access", &self.access)
            .field("payload", &self.payload)
            .finish_non_exhaustive()
    }
}

impl Client {
    fn put<K>(&self, scope: Scope, name: impl IntoSecretName) -> PutSecret<K> {
        PutSecret {
            client: self.clone(),
            scope,
            name: name.into_secret_name(),
            access: None,
            payload: NoValue,
            target: PhantomData,
        }
    }

    /// Starts storing the authenticated user's Codespaces secret `name`.
    pub fn user_codespaces_secret(&self, name: impl IntoSecretName) -> PutSecret<target::User> {
        self.put(Scope::User, name)
    }

    /// Starts storing organization `org`'s secret `name` of `app`.
    pub fn org_secret(
        &self,
        app: App,
        org: impl Into<String>,
        name: impl IntoSecretName,
    ) -> PutSecret<target::Org> {
        self.put(Scope::org(app, org), name)
    }

    /// Starts storing secret `name` of `app` of repository `repo`.
    pub fn repository_secret(
        &self,
        app: App,
        repo: impl Into<Repo>,
        name: impl IntoSecretName,
    ) -> PutSecret<target::Repository> {
        self.put(Scope::repository(app, repo), name)
    }

    /// Starts storing secret `name` of `environment` of `repo`.
    pub fn environment_secret(
        &self,
        repo: impl Into<Repo>,
        environment: impl Into<String>,
        name: impl IntoSecretName,
    ) -> PutSecret<target::Environment> {
        self.put(Scope::environment(repo, environment), name)
    }
}

impl<K> PutSecret<K, NoValue> {
    /// The plaintext; the client seals it to the scope's public key.
    pub fn value(self, value: impl Into<SecretString>) -> PutSecret<K, WithValue> {
        self.with_payload(Payload::Plain(value.into()))
    }

    /// A value the caller sealed (standard base64 of the sealed box) to the key with
    /// `key_id`. Sent as given: if the key has rotated, GitHub refuses it (422).
    pub fn with_sealed(
        self,
        key_id: impl Into<String>,
        encrypted_value: impl Into<String>,
    ) -> PutSecret<K, WithValue> {
        self.with_payload(Payload::sealed(key_id, encrypted_value))
    }

    fn with_payload(self, payload: Payload) -> PutSecret<K, WithValue> {
        PutSecret {
            client: self.client,
            scope: self.scope,
            name: self.name,
            access: self.access,
            payload: WithValue(payload),
            target: PhantomData,
        }
    }
}

impl<V> PutSecret<target::Org, V> {
    /// Who may use the secret. Without it, an existing secret keeps its visibility
    /// and a new one is `private`.
    pub fn visibility(mut self, visibility: Visibility) -> Self {
        self.access = Some(Access::Visibility(visibility));
        self
    }
}

impl<V> PutSecret<target::User, V> {
    /// The repositories whose codespaces may use the secret (replacing the current
    /// list). Without it, the secret's repositories stay as they were.
    pub fn repositories<I>(mut self, repositories: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<RepositoryId>,
    {
        let ids = repositories.into_iter().map(Into::into).collect();
        self.access = Some(Access::Repositories(ids));
        self
    }
}

impl<K> PutSecret<K, WithValue> {
    /// Stores the value (and the access, if given).
    ///
    /// # Errors
    ///
    /// Input errors ([`Error::InvalidName`], [`Error::ValueTooLarge`], an empty
    /// organization or `..` environment name, ...) before any request;
    /// [`Error::InvalidPublicKey`] before the value is sent; network errors.
    pub async fn send(self) -> Result<PutOutcome, Error> {
        let name = self.name?;
        let stored = self
            .client
            .store(&self.scope, &name, &self.payload.0, self.access.as_ref())
            .await?;
        Ok(stored.outcome)
    }
}
