//! The handler of one user's secrets: list, get, delete, the builders that create and
//! update, and [`SecretStore`].

use async_trait::async_trait;
use reqwest::Method;
use secrecy::SecretString;
use url::Url;

use super::client::Client;
use super::create::CreateSecret;
use super::update::{SecretPatch, Unchanged, UpdateSecret};
use super::user::User;
use super::validation::{
    validate_env_name, validate_file_path, validate_secret_name, validate_value,
};
use super::wire::{CreateBody, Plain, UpdateBody, UserSecret};
use crate::transport::Request;
use crate::{
    Context, Error, InputProblem, Operation, PutOutcome, SecretInfo, SecretStore, Service,
};

/// The secrets of one Coder user (`/api/v2/users/{user}/secrets`). Made by
/// [`Client::my_secrets`] or [`Client::user_secrets`].
///
/// ```no_run
/// # async fn run(coder: sealpost_client::coder::Client) -> Result<(), sealpost_client::Error> {
/// let secrets = coder.my_secrets();
/// for secret in secrets.list().await? {
///     println!("{} -> ${} (updated {})", secret.name, secret.env_name, secret.updated_at);
/// }
/// secrets.delete("old token").await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct UserSecrets {
    client: Client,
    user: User,
}

impl Client {
    /// The secrets of the session token's own user (`/api/v2/users/me/secrets`).
    pub fn my_secrets(&self) -> UserSecrets {
        self.user_secrets(User::Me)
    }

    /// The secrets of `user`: [`User::Me`], a username or a user id (`"me"`, a
    /// username or a UUID as a string converts to the matching one).
    pub fn user_secrets(&self, user: impl Into<User>) -> UserSecrets {
        UserSecrets {
            client: self.clone(),
            user: user.into(),
        }
    }
}

impl UserSecrets {
    /// Whose secrets these are.
    pub fn user(&self) -> &User {
        &self.user
    }

    /// Where these secrets live, in words: "user `me`".
    pub fn describe(&self) -> String {
        format!("user `{}`", self.user)
    }

    /// Starts creating secret `name` with `value`; description, environment variable
    /// and file are optional setters of the builder.
    pub fn create(&self, name: impl Into<String>, value: impl Into<SecretString>) -> CreateSecret {
        CreateSecret::new(self.clone(), name.into(), value.into())
    }

    /// Starts changing secret `name`. Only the fields given change; `send` exists once
    /// at least one is given. A secret cannot be renamed.
    pub fn update(&self, name: impl Into<String>) -> UpdateSecret<Unchanged> {
        UpdateSecret::new(self.clone(), name.into())
    }

    /// Changes secret `name` by `patch`, built at run time (for example from optional
    /// command-line flags). [`UserSecrets::update`] is the same, with an empty patch
    /// refused at compile time.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty patch, the input errors of the fields
    /// given, before any request; [`Error::is_not_found`] if there is no such secret;
    /// 409 if the new `env_name` or `file_path` is another secret's.
    pub async fn patch(&self, name: &str, patch: &SecretPatch) -> Result<UserSecret, Error> {
        validate_secret_name(name)?;
        if patch.is_empty() {
            return Err(Error::InvalidInput {
                what: "secret update",
                problem: InputProblem::NothingToChange {
                    secret: name.to_owned(),
                },
            });
        }
        if let Some(value) = &patch.value {
            validate_value(name, value)?;
        }
        if let Some(env_name) = &patch.env_name {
            validate_env_name(name, env_name)?;
        }
        if let Some(file_path) = &patch.file_path {
            validate_file_path(name, file_path)?;
        }
        let body = UpdateBody {
            value: patch.value.as_ref().map(Plain),
            description: patch.description.as_deref(),
            env_name: patch.env_name.as_deref(),
            file_path: patch.file_path.as_deref(),
        };
        let url = self.url(&[name])?;
        // A PATCH that sets fields to given values can be repeated safely.
        let request = Request::new(Method::PATCH, url, self.context(Operation::Update, name))
            .json(&body)?
            .idempotent(true);
        let response = self.client.transport().send(&request).await?;
        response.json(request.context())
    }

    /// Every secret of the user (Coder sends them in one answer). Values are never
    /// returned.
    ///
    /// # Errors
    ///
    /// The network errors of [`Error`]; [`Error::is_not_found`] for an unknown user.
    pub async fn list(&self) -> Result<Vec<UserSecret>, Error> {
        let url = self.url(&[])?;
        let context = Context::new(Service::Coder, Operation::List, self.describe());
        let request = Request::new(Method::GET, url, context);
        let response = self.client.transport().send(&request).await?;
        response.json(request.context())
    }

    /// The metadata of secret `name` (never its value).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] before any request; [`Error::is_not_found`] if there is
    /// no such secret.
    pub async fn get(&self, name: &str) -> Result<UserSecret, Error> {
        validate_secret_name(name)?;
        let url = self.url(&[name])?;
        let request = Request::new(Method::GET, url, self.context(Operation::Get, name));
        let response = self.client.transport().send(&request).await?;
        response.json(request.context())
    }

    /// Deletes secret `name`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] before any request; [`Error::is_not_found`] if there is
    /// no such secret.
    pub async fn delete(&self, name: &str) -> Result<(), Error> {
        validate_secret_name(name)?;
        let url = self.url(&[name])?;
        let request = Request::new(Method::DELETE, url, self.context(Operation::Delete, name));
        self.client.transport().send(&request).await?;
        Ok(())
    }

    /// Sends a create request, everything checked first.
    pub(crate) async fn send_create(&self, body: &CreateBody<'_>) -> Result<UserSecret, Error> {
        validate_secret_name(body.name)?;
        validate_value(body.name, body.value.0)?;
        if let Some(env_name) = body.env_name {
            validate_env_name(body.name, env_name)?;
        }
        if let Some(file_path) = body.file_path {
            validate_file_path(body.name, file_path)?;
        }
        let url = self.url(&[])?;
        let context = self.context(Operation::Create, body.name);
        let request = Request::new(Method::POST, url, context).json(body)?;
        let response = self.client.transport().send(&request).await?;
        response.json(request.context())
    }

    /// `{base}/api/v2/users/{user}/secrets/{tail...}`, every segment percent-encoded.
    fn url(&self, tail: &[&str]) -> Result<Url, Error> {
        self.user.check()?;
        let user = self.user.segment();
        let mut segments = vec!["api", "v2", "users", &user, "secrets"];
        segments.extend_from_slice(tail);
        self.client.transport().url(&segments)
    }

    fn context(&self, operation: Operation, name: &str) -> Context {
        Context::new(Service::Coder, operation, self.describe()).with_secret(name)
    }
}

/// A Coder user's secrets as a store.
///
/// Coder has no "create or replace" call, so `put` creates the secret (`POST`) and,
/// when Coder answers 409 Conflict, changes the value of the existing secret of that
/// name (`PATCH` with only `value`), leaving its description, `env_name` and
/// `file_path` as they are. A new secret gets no description, environment variable
/// or file: set those with [`UserSecrets::create`] or [`UserSecrets::update`]. (A
/// 409 to a create that sends only a name and a value can only mean the name is
/// taken: empty `env_name` and `file_path` never conflict.)
#[async_trait]
impl SecretStore for UserSecrets {
    fn describe(&self) -> String {
        UserSecrets::describe(self)
    }

    fn check(&self, name: &str, value: &SecretString) -> Result<(), Error> {
        self.user.check()?;
        validate_secret_name(name)?;
        validate_value(name, value)
    }

    async fn put(&self, name: &str, value: &SecretString) -> Result<PutOutcome, Error> {
        let body = CreateBody {
            name,
            value: Plain(value),
            description: None,
            env_name: None,
            file_path: None,
        };
        match self.send_create(&body).await {
            Ok(_) => Ok(PutOutcome::Created),
            Err(err) if err.status() == Some(409) => {
                let patch = SecretPatch::new().value(value.clone());
                self.patch(name, &patch).await?;
                Ok(PutOutcome::Updated)
            }
            Err(err) => Err(err),
        }
    }

    async fn get(&self, name: &str) -> Result<SecretInfo, Error> {
        Ok(UserSecrets::get(self, name).await?.into())
    }

    async fn list(&self) -> Result<Vec<SecretInfo>, Error> {
        Ok(UserSecrets::list(self)
            .await?
            .into_iter()
            .map(SecretInfo::from)
            .collect())
    }

    async fn delete(&self, name: &str) -> Result<(), Error> {
        UserSecrets::delete(self, name).await
    }
}
