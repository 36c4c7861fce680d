//! Storing environment secrets:
//! `PUT /repos/{owner}/{repo}/environments/{environment}/secrets/{name}` and
//! `PUT /repositories/{id}/environments/{environment}/secrets/{name}`.

use secrecy::SecretString;

use super::client::Client;
use super::ops::Access;
use super::scope::Scope;
use super::types::Repo;
use super::value::{NoValue, Payload, WithValue};
use crate::{Error, PutOutcome};

/// Stores an environment secret. Made by [`Client::environment_secret`]. The value is
/// required: `send` exists only once `value` or `with_sealed` was called.
///
/// ```no_run
/// use sealpost_client::github::Repo;
///
/// # async fn run(gh: sealpost_client::github::Client) -> Result<(), sealpost_client::Error> {
/// gh.environment_secret(Repo::id(1296269), "production", "DB_URL")
///     .value("postgres://...")
///     .send()
///     .await?;
/// gh.environment_secret(Repo::name("octo", "hello"), "staging", "DB_URL")
///     .value("postgres://...")
///     .send()
///     .await?;
/// # Ok(())
/// # }
/// ```
///
/// Forgetting the value does not compile:
///
/// ```compile_fail
/// # async fn run(gh: sealpost_client::github::Client) {
/// use sealpost_client::github::Repo;
/// gh.environment_secret(Repo::id(1296269), "production", "DB_URL").send().await;
/// # }
/// ```
#[derive(Debug)]
#[must_use = "nothing is stored until `send` is awaited"]
pub struct PutEnvironmentSecret<V = NoValue> {
    client: Client,
    scope: Scope,
    name: String,
    payload: V,
}

impl Client {
    /// Starts storing secret `name` of `environment` of `repo`.
    pub fn environment_secret(
        &self,
        repo: impl Into<Repo>,
        environment: impl Into<String>,
        name: impl Into<String>,
    ) -> PutEnvironmentSecret {
        PutEnvironmentSecret {
            client: self.clone(),
            scope: Scope::Environment {
                repo: repo.into(),
                environment: environment.into(),
            },
            name: name.into(),
            payload: NoValue,
        }
    }
}

impl PutEnvironmentSecret<NoValue> {
    /// The plaintext; the client seals it to the environment's public key.
    pub fn value(self, value: impl Into<SecretString>) -> PutEnvironmentSecret<WithValue> {
        self.with_payload(Payload::Plain(value.into()))
    }

    /// A value the caller sealed (standard base64 of the sealed box) to the key with
    /// `key_id`. Sent as given: if the key has rotated, GitHub refuses it (422).
    pub fn with_sealed(
        self,
        key_id: impl Into<String>,
        encrypted_value: impl Into<String>,
    ) -> PutEnvironmentSecret<WithValue> {
        self.with_payload(Payload::sealed(key_id, encrypted_value))
    }

    fn with_payload(self, payload: Payload) -> PutEnvironmentSecret<WithValue> {
        PutEnvironmentSecret {
            client: self.client,
            scope: self.scope,
            name: self.name,
            payload: WithValue(payload),
        }
    }
}

impl PutEnvironmentSecret<WithValue> {
    /// Stores the value.
    ///
    /// # Errors
    ///
    /// Input errors ([`Error::InvalidName`], [`Error::ValueTooLarge`], an empty or
    /// `..` environment name, ...) before any request; [`Error::InvalidPublicKey`]
    /// before the value is sent; network errors.
    pub async fn send(self) -> Result<PutOutcome, Error> {
        self.client
            .put_secret(
                &self.scope,
                &self.name,
                Some(&self.payload.0),
                Access::Unchanged,
            )
            .await
    }
}
