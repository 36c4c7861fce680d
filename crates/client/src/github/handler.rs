//! One handler per scope, for everything but storing a value with a builder: the
//! public key, list, get, delete, repository access, and [`SecretStore`].

use std::fmt;
use std::marker::PhantomData;

use async_trait::async_trait;
use secrecy::SecretString;

use super::client::Client;
use super::keys::SecretsPublicKey;
use super::names::validate_secret_name;
use super::ops::Access;
use super::scope::Scope;
use super::types::{App, Repo, RepositoryId, Visibility};
use super::value::Payload;
use super::wire::{Repository, Secret};
use crate::{Error, PutOutcome, SecretInfo, SecretStore};

/// Marker types naming the kind of scope a [`Secrets`] handler is for.
pub mod kind {
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

/// The secrets of one scope. The kind `K` decides which methods exist: repository
/// access only for user and organization secrets, visibility only for organization
/// secrets.
///
/// ```no_run
/// use sealpost_client::github::{self, App};
///
/// # async fn run(gh: github::Client) -> Result<(), sealpost_client::Error> {
/// let repo = gh.repository_secrets(App::Actions, "octo", "hello");
/// for secret in repo.list().await? {
///     println!("{} (updated {:?})", secret.name, secret.updated_at);
/// }
/// repo.delete("OLD_TOKEN").await?;
/// # Ok(())
/// # }
/// ```
pub struct Secrets<K> {
    client: Client,
    scope: Scope,
    kind: PhantomData<fn() -> K>,
}

/// The authenticated user's Codespaces secrets.
pub type UserSecrets = Secrets<kind::User>;
/// An organization's secrets of one app.
pub type OrgSecrets = Secrets<kind::Org>;
/// A repository's secrets of one app.
pub type RepoSecrets = Secrets<kind::Repository>;
/// An environment's secrets.
pub type EnvironmentSecrets = Secrets<kind::Environment>;

impl<K> Clone for Secrets<K> {
    fn clone(&self) -> Self {
        Secrets {
            client: self.client.clone(),
            scope: self.scope.clone(),
            kind: PhantomData,
        }
    }
}

impl<K> fmt::Debug for Secrets<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secrets")
            .field("client", &self.client)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The authenticated user's Codespaces secrets (`/user/codespaces/secrets`).
    pub fn user_codespaces_secrets(&self) -> UserSecrets {
        Secrets::new(self, Scope::User)
    }

    /// Organization `org`'s secrets of `app` (`/orgs/{org}/{app}/secrets`).
    pub fn org_secrets(&self, app: App, org: impl Into<String>) -> OrgSecrets {
        Secrets::new(
            self,
            Scope::Org {
                app,
                org: org.into(),
            },
        )
    }

    /// Repository `owner/repo`'s secrets of `app` (`/repos/{owner}/{repo}/{app}/secrets`).
    pub fn repository_secrets(
        &self,
        app: App,
        owner: impl Into<String>,
        repo: impl Into<String>,
    ) -> RepoSecrets {
        Secrets::new(
            self,
            Scope::Repo {
                app,
                owner: owner.into(),
                repo: repo.into(),
            },
        )
    }

    /// The secrets of `environment` of `repo` (by id:
    /// `/repositories/{id}/environments/{environment}/secrets`, or by name:
    /// `/repos/{owner}/{repo}/environments/{environment}/secrets`).
    pub fn environment_secrets(
        &self,
        repo: impl Into<Repo>,
        environment: impl Into<String>,
    ) -> EnvironmentSecrets {
        Secrets::new(
            self,
            Scope::Environment {
                repo: repo.into(),
                environment: environment.into(),
            },
        )
    }
}

impl<K> Secrets<K> {
    fn new(client: &Client, scope: Scope) -> Self {
        Secrets {
            client: client.clone(),
            scope,
            kind: PhantomData,
        }
    }

    /// Where these secrets live, in words.
    pub fn describe(&self) -> String {
        self.scope.to_string()
    }

    /// The public key values of this scope are sealed to, validated; fetched once and
    /// then cached by the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPublicKey`] if GitHub's key is not 32 bytes of base64 or is a
    /// low-order point; the network errors of [`Error`].
    pub async fn public_key(&self) -> Result<SecretsPublicKey, Error> {
        Ok(self.client.public_key(&self.scope).await?.public.clone())
    }

    /// Every secret of the scope (all pages, 100 per request). Values are never
    /// returned.
    ///
    /// # Errors
    ///
    /// The network errors of [`Error`].
    pub async fn list(&self) -> Result<Vec<Secret>, Error> {
        self.client.list_secrets(&self.scope).await
    }

    /// The metadata of secret `name`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] before any request; [`Error::is_not_found`] if there is
    /// no such secret.
    pub async fn get(&self, name: &str) -> Result<Secret, Error> {
        self.client.get_secret(&self.scope, name).await
    }

    /// Deletes secret `name`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] before any request; [`Error::is_not_found`] if there is
    /// no such secret.
    pub async fn delete(&self, name: &str) -> Result<(), Error> {
        self.client.delete_secret(&self.scope, name).await
    }
}

/// Kinds of secrets shared with selected repositories: user and organization.
pub trait SelectsRepositories: sealed::Sealed {}
impl SelectsRepositories for kind::User {}
impl SelectsRepositories for kind::Org {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::kind::User {}
    impl Sealed for super::kind::Org {}
    impl Sealed for super::kind::Repository {}
    impl Sealed for super::kind::Environment {}
}

impl<K: SelectsRepositories> Secrets<K> {
    /// The repositories secret `name` is shared with (all pages).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] before any request; for an organization secret whose
    /// visibility is not `selected`, GitHub answers 409.
    pub async fn repositories(&self, name: &str) -> Result<Vec<Repository>, Error> {
        self.client.secret_repositories(&self.scope, name).await
    }

    /// Shares secret `name` with exactly `repositories`, without touching its value.
    ///
    /// # Errors
    ///
    /// As [`Secrets::repositories`].
    pub async fn set_repositories<I>(&self, name: &str, repositories: I) -> Result<(), Error>
    where
        I: IntoIterator,
        I::Item: Into<RepositoryId>,
    {
        let ids: Vec<RepositoryId> = repositories.into_iter().map(Into::into).collect();
        self.client
            .set_secret_repositories(&self.scope, name, &ids)
            .await
    }

    /// Shares secret `name` with one more repository.
    ///
    /// # Errors
    ///
    /// As [`Secrets::repositories`].
    pub async fn add_repository(
        &self,
        name: &str,
        repository: impl Into<RepositoryId>,
    ) -> Result<(), Error> {
        self.client
            .change_secret_repository(&self.scope, name, repository.into(), true)
            .await
    }

    /// Stops sharing secret `name` with one repository.
    ///
    /// # Errors
    ///
    /// As [`Secrets::repositories`].
    pub async fn remove_repository(
        &self,
        name: &str,
        repository: impl Into<RepositoryId>,
    ) -> Result<(), Error> {
        self.client
            .change_secret_repository(&self.scope, name, repository.into(), false)
            .await
    }
}

impl OrgSecrets {
    /// Changes who may use secret `name`, without sending its value again.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] before any request; the network errors of [`Error`].
    pub async fn set_visibility(
        &self,
        name: &str,
        visibility: Visibility,
    ) -> Result<PutOutcome, Error> {
        self.client
            .put_secret(&self.scope, name, None, Access::Org(&visibility))
            .await
    }

    /// A [`SecretStore`] of this organization whose `put` gives each secret
    /// `visibility` (organization secrets cannot be stored without one).
    pub fn with_visibility(self, visibility: Visibility) -> OrgSecretStore {
        OrgSecretStore {
            secrets: self,
            visibility,
        }
    }
}

/// An organization's secrets of one app as a [`SecretStore`], storing every secret
/// with one visibility. Made by [`OrgSecrets::with_visibility`].
#[derive(Debug, Clone)]
pub struct OrgSecretStore {
    secrets: OrgSecrets,
    visibility: Visibility,
}

impl OrgSecretStore {
    /// The handler of the organization's secrets.
    pub fn secrets(&self) -> &OrgSecrets {
        &self.secrets
    }

    /// The visibility `put` gives.
    pub fn visibility(&self) -> &Visibility {
        &self.visibility
    }
}

fn check(name: &str, value: &SecretString) -> Result<(), Error> {
    validate_secret_name(name)?;
    super::names::check_value(name, value)
}

/// `SecretStore` for the handler of one kind, whose `put` sends `access` besides the
/// value. (A macro rather than a generic impl: the access type is private.)
macro_rules! secret_store {
    ($kind:ty, $access:expr, $doc:literal) => {
        #[doc = $doc]
        #[async_trait]
        impl SecretStore for Secrets<$kind> {
            fn describe(&self) -> String {
                self.scope.to_string()
            }

            fn check(&self, name: &str, value: &SecretString) -> Result<(), Error> {
                self.scope.check()?;
                check(name, value)
            }

            async fn put(&self, name: &str, value: &SecretString) -> Result<PutOutcome, Error> {
                let payload = Payload::Plain(value.clone());
                self.client
                    .put_secret(&self.scope, name, Some(&payload), $access)
                    .await
            }

            async fn get(&self, name: &str) -> Result<SecretInfo, Error> {
                Ok(Secrets::get(self, name).await?.into())
            }

            async fn list(&self) -> Result<Vec<SecretInfo>, Error> {
                Ok(Secrets::list(self)
                    .await?
                    .into_iter()
                    .map(SecretInfo::from)
                    .collect())
            }

            async fn delete(&self, name: &str) -> Result<(), Error> {
                Secrets::delete(self, name).await
            }
        }
    };
}

secret_store!(
    kind::User,
    Access::User(None),
    "User Codespaces secrets as a store; `put` leaves a secret's repositories as they were."
);
secret_store!(
    kind::Repository,
    Access::Unchanged,
    "Repository secrets as a store."
);
secret_store!(
    kind::Environment,
    Access::Unchanged,
    "Environment secrets as a store."
);

#[async_trait]
impl SecretStore for OrgSecretStore {
    fn describe(&self) -> String {
        format!(
            "{} with visibility `{}`",
            self.secrets.scope,
            self.visibility.as_str()
        )
    }

    fn check(&self, name: &str, value: &SecretString) -> Result<(), Error> {
        self.secrets.scope.check()?;
        check(name, value)
    }

    async fn put(&self, name: &str, value: &SecretString) -> Result<PutOutcome, Error> {
        let payload = Payload::Plain(value.clone());
        self.secrets
            .client
            .put_secret(
                &self.secrets.scope,
                name,
                Some(&payload),
                Access::Org(&self.visibility),
            )
            .await
    }

    async fn get(&self, name: &str) -> Result<SecretInfo, Error> {
        Ok(self.secrets.get(name).await?.into())
    }

    async fn list(&self) -> Result<Vec<SecretInfo>, Error> {
        Ok(self
            .secrets
            .list()
            .await?
            .into_iter()
            .map(SecretInfo::from)
            .collect())
    }

    async fn delete(&self, name: &str) -> Result<(), Error> {
        self.secrets.delete(name).await
    }
}
