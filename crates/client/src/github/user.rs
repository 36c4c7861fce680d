//! Storing the authenticated user's Codespaces secrets:
//! `PUT /user/codespaces/secrets/{name}`.

use secrecy::SecretString;

use super::client::Client;
use super::ops::Access;
use super::scope::Scope;
use super::types::RepositoryId;
use super::value::{NoRepositories, NoValue, Payload, WithRepositories, WithValue};
use crate::{Error, PutOutcome};

/// Stores a user Codespaces secret. Made by [`Client::user_codespaces_secret`].
///
/// The value and the repositories that may use the secret are both optional, but one
/// of them must be given: `send` exists once a value (`value`, `with_sealed`) or
/// `repositories` was given, so repository access can change without the value.
///
/// ```no_run
/// # async fn run(gh: sealpost_client::github::Client) -> Result<(), sealpost_client::Error> {
/// // Value and access.
/// gh.user_codespaces_secret("NPM_TOKEN").value("s3cr3t").repositories([1296269]).send().await?;
/// // Access only: the value stays as it is.
/// gh.user_codespaces_secret("NPM_TOKEN").repositories([1296269, 1296270]).send().await?;
/// # Ok(())
/// # }
/// ```
///
/// Neither given: does not compile.
///
/// ```compile_fail
/// # async fn run(gh: sealpost_client::github::Client) {
/// gh.user_codespaces_secret("NPM_TOKEN").send().await;
/// # }
/// ```
#[derive(Debug)]
#[must_use = "nothing is stored until `send` is awaited"]
pub struct PutUserSecret<V = NoValue, R = NoRepositories> {
    client: Client,
    name: String,
    payload: V,
    repositories: R,
}

impl Client {
    /// Starts storing the authenticated user's Codespaces secret `name`.
    pub fn user_codespaces_secret(&self, name: impl Into<String>) -> PutUserSecret {
        PutUserSecret {
            client: self.clone(),
            name: name.into(),
            payload: NoValue,
            repositories: NoRepositories,
        }
    }
}

impl<R> PutUserSecret<NoValue, R> {
    /// The plaintext; the client seals it to the user's public key.
    pub fn value(self, value: impl Into<SecretString>) -> PutUserSecret<WithValue, R> {
        self.with_payload(Payload::Plain(value.into()))
    }

    /// A value the caller sealed (standard base64 of the sealed box) to the key with
    /// `key_id`. Sent as given: if the key has rotated, GitHub refuses it (422).
    pub fn with_sealed(
        self,
        key_id: impl Into<String>,
        encrypted_value: impl Into<String>,
    ) -> PutUserSecret<WithValue, R> {
        self.with_payload(Payload::sealed(key_id, encrypted_value))
    }

    fn with_payload(self, payload: Payload) -> PutUserSecret<WithValue, R> {
        PutUserSecret {
            client: self.client,
            name: self.name,
            payload: WithValue(payload),
            repositories: self.repositories,
        }
    }
}

impl<V> PutUserSecret<V, NoRepositories> {
    /// The repositories whose codespaces may use the secret (replacing the current
    /// list).
    pub fn repositories<I>(self, repositories: I) -> PutUserSecret<V, WithRepositories>
    where
        I: IntoIterator,
        I::Item: Into<RepositoryId>,
    {
        PutUserSecret {
            client: self.client,
            name: self.name,
            payload: self.payload,
            repositories: WithRepositories(repositories.into_iter().map(Into::into).collect()),
        }
    }
}

impl PutUserSecret<WithValue, NoRepositories> {
    /// Stores the value; the secret's repositories stay as they were.
    ///
    /// # Errors
    ///
    /// Input errors ([`Error::InvalidName`], [`Error::ValueTooLarge`], ...) before any
    /// request; [`Error::InvalidPublicKey`] before the value is sent; network errors.
    pub async fn send(self) -> Result<PutOutcome, Error> {
        self.client
            .put_secret(
                &Scope::User,
                &self.name,
                Some(&self.payload.0),
                Access::User(None),
            )
            .await
    }
}

impl PutUserSecret<WithValue, WithRepositories> {
    /// Stores the value and the repositories.
    ///
    /// # Errors
    ///
    /// As [`PutUserSecret::<WithValue, NoRepositories>::send`].
    pub async fn send(self) -> Result<PutOutcome, Error> {
        let repositories = Access::User(Some(&self.repositories.0));
        self.client
            .put_secret(
                &Scope::User,
                &self.name,
                Some(&self.payload.0),
                repositories,
            )
            .await
    }
}

impl PutUserSecret<NoValue, WithRepositories> {
    /// Changes the repositories only; the value is not sent.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] before any request; network errors.
    pub async fn send(self) -> Result<PutOutcome, Error> {
        let repositories = Access::User(Some(&self.repositories.0));
        self.client
            .put_secret(&Scope::User, &self.name, None, repositories)
            .await
    }
}
