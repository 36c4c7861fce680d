//! Creating a secret: `POST /api/v2/users/{user}/secrets`.

use std::fmt;

use secrecy::SecretString;

use super::secrets::UserSecrets;
use super::wire::{CreateBody, Plain, UserSecret};
use crate::Error;

/// Creates a user secret. Made by [`UserSecrets::create`], whose arguments are the
/// two fields Coder requires: the name and the value. Description, environment
/// variable and file are optional.
///
/// ```no_run
/// # async fn run(coder: sealpost_client::coder::Client) -> Result<(), sealpost_client::Error> {
/// let secret = coder
///     .my_secrets()
///     .create("npm", "s3cr3t")
///     .description("npm registry token")
///     .env_name("NPM_TOKEN")
///     .file_path("~/.npm-token")
///     .send()
///     .await?;
/// println!("created {} ({})", secret.name, secret.id);
/// # Ok(())
/// # }
/// ```
///
/// Without a value, there is nothing to send: this does not compile.
///
/// ```compile_fail
/// # async fn run(coder: sealpost_client::coder::Client) {
/// coder.my_secrets().create("npm").send().await;
/// # }
/// ```
#[must_use = "nothing is created until `send` is awaited"]
pub struct CreateSecret {
    secrets: UserSecrets,
    name: String,
    value: SecretString,
    description: Option<String>,
    env_name: Option<String>,
    file_path: Option<String>,
}

/// Shows everything but the value.
impl fmt::Debug for CreateSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateSecret")
            .field("user", self.secrets.user())
            .field("name", &self.name)
            .field("value", &"<hidden>")
            .field("description", &self.description)
            .field("env_name", &self.env_name)
            .field("file_path", &self.file_path)
            .finish()
    }
}

impl CreateSecret {
    pub(crate) fn new(secrets: UserSecrets, name: String, value: SecretString) -> Self {
        CreateSecret {
            secrets,
            name,
            value,
            description: None,
            env_name: None,
            file_path: None,
        }
    }

    /// A description shown in Coder's interface.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The environment variable the user's workspaces get the value in, e.g.
    /// `NPM_TOKEN`. See [`validate_env_name`](super::validate_env_name) for the
    /// names Coder refuses.
    pub fn env_name(mut self, env_name: impl Into<String>) -> Self {
        self.env_name = Some(env_name.into());
        self
    }

    /// The file the user's workspaces get the value in: `~/...` or `/...`.
    pub fn file_path(mut self, file_path: impl Into<String>) -> Self {
        self.file_path = Some(file_path.into());
        self
    }

    /// Creates the secret; Coder answers 201 with its metadata.
    ///
    /// # Errors
    ///
    /// Before any request: [`Error::InvalidName`], [`Error::InvalidField`] (empty
    /// value or one with a NUL byte, an `env_name` or `file_path` Coder refuses),
    /// [`Error::ValueTooLarge`], [`Error::InvalidInput`] (a username that cannot be
    /// sent). From Coder: 409 ([`Error::status`]) if the name, `env_name` or
    /// `file_path` is another secret's; 400 with the server's `validations`
    /// ([`Error::api`]) for anything else it refuses; the network errors of [`Error`].
    pub async fn send(self) -> Result<UserSecret, Error> {
        let body = CreateBody {
            name: &self.name,
            value: Plain(&self.value),
            description: self.description.as_deref(),
            env_name: self.env_name.as_deref(),
            file_path: self.file_path.as_deref(),
        };
        self.secrets.send_create(&body).await
    }
}
