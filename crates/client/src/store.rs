//! What every place that keeps secrets offers, whichever service it belongs to.
//!
//! Each target (a GitHub repository's Actions secrets, an organization's Codespaces
//! secrets, a Coder user's secrets, ...) implements [`SecretStore`]. Code that uploads
//! many secrets, shows progress or reports failures is written once against
//! `&dyn SecretStore` (see [`crate::bulk`]) and works for all of them.

use async_trait::async_trait;
use secrecy::SecretString;
use time::OffsetDateTime;

use crate::Error;

/// A place that keeps named secrets: one GitHub scope, or one Coder user.
///
/// Object safe (methods are boxed futures, by `async-trait`), so stores of different
/// services can sit side by side as `Box<dyn SecretStore>`.
///
/// ```
/// use sealpost_client::{Error, SecretStore};
/// use secrecy::SecretString;
///
/// /// Stores one value in every store given, whichever service each belongs to.
/// async fn store_everywhere(
///     stores: &[Box<dyn SecretStore>],
///     name: &str,
///     value: &SecretString,
/// ) -> Result<(), Error> {
///     for store in stores {
///         let outcome = store.put(name, value).await?;
///         println!("{}: {outcome:?}", store.describe());
///     }
///     Ok(())
/// }
/// ```
#[async_trait]
pub trait SecretStore: Send + Sync {
    /// Where the secrets live, in words, e.g. "repository `octo/hello` (actions)".
    fn describe(&self) -> String;

    /// Checks, without sending anything, that `put(name, value)` would not be refused
    /// for its input: the name's rules and the value's size.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`], [`Error::ValueTooLarge`], [`Error::InvalidField`] or
    /// [`Error::InvalidInput`].
    fn check(&self, name: &str, value: &SecretString) -> Result<(), Error>;

    /// Creates the secret `name` with `value`, or replaces its value.
    ///
    /// # Errors
    ///
    /// The input errors of [`SecretStore::check`], found before anything is sent, and
    /// the network errors of [`Error`].
    async fn put(&self, name: &str, value: &SecretString) -> Result<PutOutcome, Error>;

    /// The metadata of the secret `name` (never its value).
    ///
    /// # Errors
    ///
    /// [`Error::Api`] with [`Error::is_not_found`] when there is no such secret.
    async fn get(&self, name: &str) -> Result<SecretInfo, Error>;

    /// Every secret of the store, all pages read.
    ///
    /// # Errors
    ///
    /// The network errors of [`Error`].
    async fn list(&self) -> Result<Vec<SecretInfo>, Error>;

    /// Deletes the secret `name`.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] with [`Error::is_not_found`] when there is no such secret.
    async fn delete(&self, name: &str) -> Result<(), Error>;

    /// The form of `name` under which the service tells names apart: two names with
    /// the same key are one secret. GitHub ignores ASCII case (`npm_token` and
    /// `NPM_TOKEN` are one secret); by default, names are compared as they are.
    fn name_key(&self, name: &str) -> String {
        name.to_owned()
    }
}

/// Whether storing a secret created it or replaced an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PutOutcome {
    /// The secret did not exist and was created (GitHub answers 201).
    Created,
    /// The secret existed and was updated (GitHub answers 204).
    Updated,
}

/// What a service tells about a secret: never its value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SecretInfo {
    /// The secret's name.
    pub name: String,
    /// When it was created, where the service says.
    pub created_at: Option<OffsetDateTime>,
    /// When it was last changed, where the service says.
    pub updated_at: Option<OffsetDateTime>,
    /// A description, where the service keeps one (Coder).
    pub description: Option<String>,
}

impl SecretInfo {
    /// Metadata with only a name.
    pub fn new(name: impl Into<String>) -> Self {
        SecretInfo {
            name: name.into(),
            created_at: None,
            updated_at: None,
            description: None,
        }
    }
}
