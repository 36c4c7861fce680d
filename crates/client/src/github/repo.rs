//! Storing repository secrets: `PUT /repos/{owner}/{repo}/{app}/secrets/{name}`.

use secrecy::SecretString;

use super::client::Client;
use super::ops::Access;
use super::scope::Scope;
use super::types::App;
use super::value::{NoValue, Payload, WithValue};
use crate::{Error, PutOutcome};

/// Stores a repository secret of Actions, Codespaces or Dependabot. Made by
/// [`Client::repository_secret`]. The value is required: `send` exists only once
/// `value` or `with_sealed` was called.
///
/// ```no_run
/// use sealpost_client::github::App;
///
/// # async fn run(gh: sealpost_client::github::Client) -> Result<(), sealpost_client::Error> {
/// gh.repository_secret(App::Dependabot, "octo", "hello", "REGISTRY_TOKEN")
///     .value("s3cr3t")
///     .send()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "nothing is stored until `send` is awaited"]
pub struct PutRepoSecret<V = NoValue> {
    client: Client,
    scope: Scope,
    name: String,
    payload: V,
}

impl Client {
    /// Starts storing repository `owner/repo`'s secret `name` of `app`.
    pub fn repository_secret(
        &self,
        app: App,
        owner: impl Into<String>,
        repo: impl Into<String>,
        name: impl Into<String>,
    ) -> PutRepoSecret {
        PutRepoSecret {
            client: self.clone(),
            scope: Scope::Repo {
                app,
                owner: owner.into(),
                repo: repo.into(),
            },
            name: name.into(),
            payload: NoValue,
        }
    }
}

impl PutRepoSecret<NoValue> {
    /// The plaintext; the client seals it to the repository's public key of the app.
    pub fn value(self, value: impl Into<SecretString>) -> PutRepoSecret<WithValue> {
        self.with_payload(Payload::Plain(value.into()))
    }

    /// A value the caller sealed (standard base64 of the sealed box) to the key with
    /// `key_id`. Sent as given: if the key has rotated, GitHub refuses it (422).
    pub fn with_sealed(
        self,
        key_id: impl Into<String>,
        encrypted_value: impl Into<String>,
    ) -> PutRepoSecret<WithValue> {
        self.with_payload(Payload::sealed(key_id, encrypted_value))
    }

    fn with_payload(self, payload: Payload) -> PutRepoSecret<WithValue> {
        PutRepoSecret {
            client: self.client,
            scope: self.scope,
            name: self.name,
            payload: WithValue(payload),
        }
    }
}

impl PutRepoSecret<WithValue> {
    /// Stores the value.
    ///
    /// # Errors
    ///
    /// Input errors ([`Error::InvalidName`], [`Error::ValueTooLarge`], ...) before any
    /// request; [`Error::InvalidPublicKey`] before the value is sent; network errors.
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
