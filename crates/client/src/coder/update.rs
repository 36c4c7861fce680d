//! Changing a secret: `PATCH /api/v2/users/{user}/secrets/{name}`.
//!
//! Coder changes only the fields a `PATCH` holds: a field left out stays as it is,
//! and `""` clears a description, an environment variable or a file. A `PATCH` with
//! no field is refused by Coder, and here before sending: at compile time with
//! [`UpdateSecret`], at run time with [`SecretPatch`].

use std::fmt;
use std::marker::PhantomData;

use secrecy::SecretString;

use super::secrets::UserSecrets;
use super::wire::UserSecret;
use crate::Error;

/// The fields of a secret to change; fields not set stay as they are. Made at run
/// time (for example from optional command-line flags) and sent with
/// [`UserSecrets::patch`], which refuses an empty one.
///
/// ```no_run
/// use sealpost_client::coder::SecretPatch;
///
/// # async fn run(coder: sealpost_client::coder::Client, new_value: Option<String>) -> Result<(), sealpost_client::Error> {
/// let mut patch = SecretPatch::new().file_path(""); // stop writing the file
/// if let Some(value) = new_value {
///     patch = patch.value(value);
/// }
/// coder.my_secrets().patch("npm", &patch).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default)]
pub struct SecretPatch {
    pub(crate) value: Option<SecretString>,
    pub(crate) description: Option<String>,
    pub(crate) env_name: Option<String>,
    pub(crate) file_path: Option<String>,
}

/// Shows which fields change, but never the value.
impl fmt::Debug for SecretPatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretPatch")
            .field("value", &self.value.as_ref().map(|_| "<hidden>"))
            .field("description", &self.description)
            .field("env_name", &self.env_name)
            .field("file_path", &self.file_path)
            .finish()
    }
}

impl SecretPatch {
    /// A patch that changes nothing yet.
    pub fn new() -> Self {
        SecretPatch::default()
    }

    /// Whether no field is set; such a patch is refused before sending.
    pub fn is_empty(&self) -> bool {
        self.value.is_none()
            && self.description.is_none()
            && self.env_name.is_none()
            && self.file_path.is_none()
    }

    /// A new value (not empty).
    #[must_use]
    pub fn value(mut self, value: impl Into<SecretString>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// A new description; `""` removes it.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// A new environment variable; `""` stops putting the value in one.
    #[must_use]
    pub fn env_name(mut self, env_name: impl Into<String>) -> Self {
        self.env_name = Some(env_name.into());
        self
    }

    /// A new file (`~/...` or `/...`); `""` stops writing the value to one.
    #[must_use]
    pub fn file_path(mut self, file_path: impl Into<String>) -> Self {
        self.file_path = Some(file_path.into());
        self
    }
}

/// Typestate of [`UpdateSecret`]: no field given yet; `send` does not exist.
#[derive(Debug, Clone, Copy)]
pub enum Unchanged {}

/// Typestate of [`UpdateSecret`]: at least one field given.
#[derive(Debug, Clone, Copy)]
pub enum Changed {}

/// Changes some fields of a user secret. Made by [`UserSecrets::update`]; `send`
/// exists once at least one field is given.
///
/// ```no_run
/// # async fn run(coder: sealpost_client::coder::Client) -> Result<(), sealpost_client::Error> {
/// let secrets = coder.my_secrets();
/// // A new value; description, env_name and file_path stay as they are.
/// secrets.update("npm").value("n3w-s3cr3t").send().await?;
/// // Move it from a file to an environment variable.
/// secrets.update("npm").file_path("").env_name("NPM_TOKEN").send().await?;
/// # Ok(())
/// # }
/// ```
///
/// Nothing to change does not compile:
///
/// ```compile_fail
/// # async fn run(coder: sealpost_client::coder::Client) {
/// coder.my_secrets().update("npm").send().await;
/// # }
/// ```
#[must_use = "nothing is changed until `send` is awaited"]
pub struct UpdateSecret<S = Unchanged> {
    secrets: UserSecrets,
    name: String,
    patch: SecretPatch,
    state: PhantomData<S>,
}

impl<S> fmt::Debug for UpdateSecret<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpdateSecret")
            .field("user", self.secrets.user())
            .field("name", &self.name)
            .field("patch", &self.patch)
            .finish()
    }
}

impl UpdateSecret<Unchanged> {
    pub(crate) fn new(secrets: UserSecrets, name: String) -> Self {
        UpdateSecret {
            secrets,
            name,
            patch: SecretPatch::new(),
            state: PhantomData,
        }
    }
}

impl<S> UpdateSecret<S> {
    /// A new value (not empty).
    pub fn value(self, value: impl Into<SecretString>) -> UpdateSecret<Changed> {
        self.with(|patch| patch.value(value))
    }

    /// A new description; `""` removes it.
    pub fn description(self, description: impl Into<String>) -> UpdateSecret<Changed> {
        self.with(|patch| patch.description(description))
    }

    /// A new environment variable; `""` stops putting the value in one.
    pub fn env_name(self, env_name: impl Into<String>) -> UpdateSecret<Changed> {
        self.with(|patch| patch.env_name(env_name))
    }

    /// A new file (`~/...` or `/...`); `""` stops writing the value to one.
    pub fn file_path(self, file_path: impl Into<String>) -> UpdateSecret<Changed> {
        self.with(|patch| patch.file_path(file_path))
    }

    fn with(self, change: impl FnOnce(SecretPatch) -> SecretPatch) -> UpdateSecret<Changed> {
        UpdateSecret {
            secrets: self.secrets,
            name: self.name,
            patch: change(self.patch),
            state: PhantomData,
        }
    }
}

impl UpdateSecret<Changed> {
    /// Sends the fields given; Coder answers 200 with the secret's metadata.
    ///
    /// # Errors
    ///
    /// Before any request: [`Error::InvalidName`], [`Error::InvalidField`],
    /// [`Error::ValueTooLarge`]. From Coder: [`Error::is_not_found`] if there is no
    /// such secret; 409 if the new `env_name` or `file_path` is another secret's;
    /// 400 with the server's `validations`; the network errors of [`Error`].
    pub async fn send(self) -> Result<UserSecret, Error> {
        self.secrets.patch(&self.name, &self.patch).await
    }
}
