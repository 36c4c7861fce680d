//! Storing organization secrets: `PUT /orgs/{org}/{app}/secrets/{name}`.

use secrecy::SecretString;

use super::client::Client;
use super::ops::Access;
use super::scope::Scope;
use super::types::{App, Visibility};
use super::value::{NoValue, Payload, WithValue};
use crate::{Error, PutOutcome};

/// Stores an organization secret of Codespaces, Actions or Dependabot. Made by
/// [`Client::org_secret`], which takes the required organization, name and
/// visibility.
///
/// The value is optional: without one, `send` changes only who may use the secret.
///
/// ```no_run
/// use sealpost_client::github::{App, Visibility};
///
/// # async fn run(gh: sealpost_client::github::Client) -> Result<(), sealpost_client::Error> {
/// gh.org_secret(App::Codespaces, "acme", "NPM_TOKEN", Visibility::selected([1296269]))
///     .value("s3cr3t")
///     .send()
///     .await?;
/// // Later: open it to every private repository, without sending the value again.
/// gh.org_secret(App::Codespaces, "acme", "NPM_TOKEN", Visibility::Private).send().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "nothing is stored until `send` is awaited"]
pub struct PutOrgSecret<V = NoValue> {
    client: Client,
    scope: Scope,
    name: String,
    visibility: Visibility,
    payload: V,
}

impl Client {
    /// Starts storing organization `org`'s secret `name` of `app`, usable by the
    /// repositories `visibility` names.
    pub fn org_secret(
        &self,
        app: App,
        org: impl Into<String>,
        name: impl Into<String>,
        visibility: Visibility,
    ) -> PutOrgSecret {
        PutOrgSecret {
            client: self.clone(),
            scope: Scope::Org {
                app,
                org: org.into(),
            },
            name: name.into(),
            visibility,
            payload: NoValue,
        }
    }
}

impl PutOrgSecret<NoValue> {
    /// The plaintext; the client seals it to the organization's public key.
    pub fn value(self, value: impl Into<SecretString>) -> PutOrgSecret<WithValue> {
        self.with_payload(Payload::Plain(value.into()))
    }

    /// A value the caller sealed (standard base64 of the sealed box) to the key with
    /// `key_id`. Sent as given: if the key has rotated, GitHub refuses it (422).
    pub fn with_sealed(
        self,
        key_id: impl Into<String>,
        encrypted_value: impl Into<String>,
    ) -> PutOrgSecret<WithValue> {
        self.with_payload(Payload::sealed(key_id, encrypted_value))
    }

    fn with_payload(self, payload: Payload) -> PutOrgSecret<WithValue> {
        PutOrgSecret {
            client: self.client,
            scope: self.scope,
            name: self.name,
            visibility: self.visibility,
            payload: WithValue(payload),
        }
    }

    /// Changes the visibility (and selected repositories) only; the value is not
    /// sent. GitHub answers 204: [`PutOutcome::Updated`].
    ///
    /// # Errors
    ///
    /// Input errors before any request; network errors.
    pub async fn send(self) -> Result<PutOutcome, Error> {
        let access = Access::Org(&self.visibility);
        self.client
            .put_secret(&self.scope, &self.name, None, access)
            .await
    }
}

impl PutOrgSecret<WithValue> {
    /// Stores the value with the visibility.
    ///
    /// # Errors
    ///
    /// Input errors ([`Error::InvalidName`], [`Error::ValueTooLarge`], ...) before any
    /// request; [`Error::InvalidPublicKey`] before the value is sent; network errors.
    pub async fn send(self) -> Result<PutOutcome, Error> {
        let access = Access::Org(&self.visibility);
        self.client
            .put_secret(&self.scope, &self.name, Some(&self.payload.0), access)
            .await
    }
}
