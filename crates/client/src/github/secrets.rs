//! One handler for the secrets of any scope: the public key, list, get, put, delete,
//! and who may use a secret where the scope has that.

use std::fmt;

use async_trait::async_trait;
use secrecy::SecretString;

use super::client::Client;
use super::keys::SecretsPublicKey;
use super::name::{IntoSecretName, SecretName, check_value};
use super::rate_limit::RateLimit;
use super::scope::Scope;
use super::types::{App, Repo, RepositoryId, Visibility, VisibilityKind};
use super::value::Payload;
use super::wire::{Repository, Secret};
use crate::{Error, InputProblem, PutOutcome, SecretInfo, SecretStore};

/// Who may use a secret, in the scopes where that is said: an organization secret's
/// visibility, or the repositories of a user's Codespaces secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Access {
    /// An organization secret's visibility, with its repositories when `selected`.
    Visibility(Visibility),
    /// The repositories whose codespaces may use a user secret.
    Repositories(Vec<RepositoryId>),
}

impl fmt::Display for Access {
    /// "visibility selected (2 repositories)", "visibility all", "3 repositories".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = |f: &mut fmt::Formatter<'_>, n: usize| {
            write!(f, "{n} repositor{}", if n == 1 { "y" } else { "ies" })
        };
        match self {
            Access::Visibility(visibility) => {
                write!(f, "visibility {}", visibility.as_str())?;
                if let Some(ids) = visibility.repositories() {
                    f.write_str(" (")?;
                    count(f, ids.len())?;
                    f.write_str(")")?;
                }
                Ok(())
            }
            Access::Repositories(ids) => count(f, ids.len()),
        }
    }
}

/// Who may use a secret now, as GitHub reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CurrentAccess {
    /// The visibility of an organization secret; `None` for a user secret.
    pub visibility: Option<VisibilityKind>,
    /// The repositories that may use it: for a user secret, and for an organization
    /// secret whose visibility is `selected`; `None` otherwise.
    pub repositories: Option<Vec<Repository>>,
}

impl CurrentAccess {
    /// The same access as one that can be sent back.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when GitHub reported a visibility this crate does not
    /// know, or none at all.
    pub fn to_access(&self) -> Result<Access, Error> {
        let ids = || -> Vec<RepositoryId> {
            self.repositories
                .iter()
                .flatten()
                .map(|repository| repository.id)
                .collect()
        };
        match self.visibility {
            None => Ok(Access::Repositories(ids())),
            Some(VisibilityKind::All) => Ok(Access::Visibility(Visibility::All)),
            Some(VisibilityKind::Private) => Ok(Access::Visibility(Visibility::Private)),
            Some(VisibilityKind::Selected) => Ok(Access::Visibility(Visibility::Selected(ids()))),
            Some(_) => Err(Error::InvalidInput {
                what: "visibility",
                problem: InputProblem::UnknownVisibility,
            }),
        }
    }
}

/// What storing a value did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stored {
    /// Whether the secret was created or updated.
    pub outcome: PutOutcome,
    /// The access an existing secret kept, when none was asked for and the scope
    /// needs it sent with every value (organization secrets).
    pub kept: Option<Access>,
}

/// The secrets of one scope. Made by [`Client::secrets`] (or the shorthands
/// [`Client::org_secrets`], [`Client::repository_secrets`],
/// [`Client::environment_secrets`], [`Client::user_codespaces_secrets`]).
///
/// It is a [`SecretStore`], so [`bulk`](crate::bulk) uploads work on any scope.
///
/// ```no_run
/// use sealpost_client::github::{App, Repo, Scope};
///
/// # async fn run(gh: sealpost_client::github::Client) -> Result<(), sealpost_client::Error> {
/// let secrets = gh.secrets(Scope::repository(App::Actions, Repo::name("octo", "hello")));
/// for secret in secrets.list().await? {
///     println!("{} (updated {:?})", secret.name, secret.updated_at);
/// }
/// secrets.delete("OLD_TOKEN").await?;
///
/// // An organization secret: rotate the value, keeping who may read it.
/// let acme = gh.org_secrets(App::Actions, "acme");
/// let stored = acme.put("NPM_TOKEN", "new value").await?;
/// if let Some(kept) = stored.kept {
///     println!("kept {kept}");
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Secrets {
    client: Client,
    scope: Scope,
    access: Option<Access>,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secrets")
            .field("scope", &self.scope)
            .field("access", &self.access)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The secrets of `scope`.
    pub fn secrets(&self, scope: Scope) -> Secrets {
        Secrets {
            client: self.clone(),
            scope,
            access: None,
        }
    }

    /// The authenticated user's Codespaces secrets (`/user/codespaces/secrets`).
    pub fn user_codespaces_secrets(&self) -> Secrets {
        self.secrets(Scope::User)
    }

    /// Organization `org`'s secrets of `app` (`/orgs/{org}/{app}/secrets`).
    pub fn org_secrets(&self, app: App, org: impl Into<String>) -> Secrets {
        self.secrets(Scope::org(app, org))
    }

    /// Repository `repo`'s secrets of `app` (`/repos/{owner}/{repo}/{app}/secrets`).
    pub fn repository_secrets(&self, app: App, repo: impl Into<Repo>) -> Secrets {
        self.secrets(Scope::repository(app, repo))
    }

    /// The secrets of `environment` of `repo`.
    pub fn environment_secrets(
        &self,
        repo: impl Into<Repo>,
        environment: impl Into<String>,
    ) -> Secrets {
        self.secrets(Scope::environment(repo, environment))
    }
}

impl Secrets {
    /// The scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Where these secrets live, in words, with the access [`put`](Secrets::put)
    /// gives if one was set: "organization `acme` (actions) with visibility all".
    pub fn describe(&self) -> String {
        match &self.access {
            None => self.scope.to_string(),
            Some(access) => format!("{} with {access}", self.scope),
        }
    }

    /// The same secrets, whose [`put`](Secrets::put) gives every secret `access`
    /// instead of keeping the access it has.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the scope has no such access: a visibility is for
    /// organization secrets, a list of repositories for user secrets.
    pub fn with_access(mut self, access: Access) -> Result<Self, Error> {
        check_access_fits(&self.scope, &access)?;
        self.access = Some(access);
        Ok(self)
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
    pub async fn get(&self, name: impl IntoSecretName) -> Result<Secret, Error> {
        self.client
            .get_secret(&self.scope, &name.into_secret_name()?)
            .await
    }

    /// Deletes secret `name`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`] before any request; [`Error::is_not_found`] if there is
    /// no such secret.
    pub async fn delete(&self, name: impl IntoSecretName) -> Result<(), Error> {
        self.client
            .delete_secret(&self.scope, &name.into_secret_name()?)
            .await
    }

    /// Stores `value` as secret `name`, sealed to the scope's key.
    ///
    /// Unless [`with_access`](Secrets::with_access) said otherwise, access is kept:
    /// an existing organization secret is sent back with the visibility (and, for
    /// `selected`, the repositories) it has, read just before; a new one is
    /// `private`. A user secret's repositories stay as they are. (GitHub takes a
    /// visibility with every organization `PUT`, so a plain rotation would otherwise
    /// change who may read the secret.) Between the read and the write, a change made
    /// by someone else can be lost: the write sends what was read.
    ///
    /// # Errors
    ///
    /// Input errors before any request; [`Error::InvalidPublicKey`] before the value
    /// is sent; the network errors of [`Error`].
    pub async fn put(
        &self,
        name: impl IntoSecretName,
        value: impl Into<SecretString>,
    ) -> Result<Stored, Error> {
        let name = name.into_secret_name()?;
        let payload = Payload::Plain(value.into());
        self.client
            .store(&self.scope, &name, &payload, self.access.as_ref())
            .await
    }

    /// GitHub's rate limit as last reported for the token this scope's requests use:
    /// with a GitHub App's credentials, the installation's that serves the scope
    /// (each installation has a budget of its own; `None` until a request found the
    /// installation and was answered); otherwise the client's, as
    /// [`Client::rate_limit`] gives it. For a long run that should slow down before
    /// GitHub refuses.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.client.scope_rate_limit(&self.scope)
    }

    /// The organization secrets this repository may use, for auditing which reach
    /// it (`GET /repos/{owner}/{repo}/{app}/organization-secrets`, all pages): for
    /// repository scopes of Actions and Agents.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before any request for another scope; the network
    /// errors of [`Error`].
    pub async fn organization_secrets(&self) -> Result<Vec<Secret>, Error> {
        match &self.scope {
            Scope::Repository { app, .. } if app.lists_organization_secrets() => {
                self.client.visible_org_secrets(&self.scope).await
            }
            other => Err(Error::InvalidInput {
                what: "scope",
                problem: InputProblem::NoOrganizationSecretList {
                    scope: other.to_string(),
                },
            }),
        }
    }

    /// Secret `name`, which must exist, for changes that send no value: who may use
    /// it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidName`].
    pub fn existing(&self, name: impl IntoSecretName) -> Result<ExistingSecret<'_>, Error> {
        Ok(ExistingSecret {
            secrets: self,
            name: name.into_secret_name()?,
        })
    }
}

/// An existing secret, for the changes that send no value. Made by
/// [`Secrets::existing`]; every method fails with [`Error::is_not_found`] when the
/// secret does not exist.
///
/// ```no_run
/// use sealpost_client::github::{App, Visibility};
///
/// # async fn run(gh: sealpost_client::github::Client) -> Result<(), sealpost_client::Error> {
/// let acme = gh.org_secrets(App::Actions, "acme");
/// let secret = acme.existing("NPM_TOKEN")?;
/// println!("{:?}", secret.access().await?);
/// secret.set_visibility(Visibility::selected([1296269])).await?;
/// secret.add_repository(1296270).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct ExistingSecret<'a> {
    secrets: &'a Secrets,
    name: SecretName,
}

impl ExistingSecret<'_> {
    /// The secret's name.
    pub fn name(&self) -> &SecretName {
        &self.name
    }

    /// Refuses what is not `allowed` for this scope, saying why with `problem` of the
    /// scope in words.
    fn require(
        &self,
        what: &'static str,
        allowed: bool,
        problem: fn(String) -> InputProblem,
    ) -> Result<(), Error> {
        if allowed {
            return Ok(());
        }
        Err(Error::InvalidInput {
            what,
            problem: problem(self.secrets.scope.to_string()),
        })
    }

    /// Refuses scopes whose secrets have no list of repositories.
    fn require_repository_list(&self) -> Result<(), Error> {
        self.require(
            "repositories",
            self.secrets.scope.selects_repositories(),
            |scope| InputProblem::NoRepositoryList { scope },
        )
    }

    /// Who may use the secret: its visibility (organization secrets) and, where it
    /// has one, its list of repositories.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a scope without access settings (repository and
    /// environment secrets); the network errors of [`Error`].
    pub async fn access(&self) -> Result<CurrentAccess, Error> {
        let scope = &self.secrets.scope;
        self.require("access", scope.selects_repositories(), |scope| {
            InputProblem::NoAccessSettings { scope }
        })?;
        self.secrets.client.current_access(scope, &self.name).await
    }

    /// The repositories the secret is shared with (all pages): a user secret's, or an
    /// organization secret's whose visibility is `selected`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a scope without repository lists; for an
    /// organization secret whose visibility is not `selected`, GitHub answers 409.
    pub async fn repositories(&self) -> Result<Vec<Repository>, Error> {
        let scope = &self.secrets.scope;
        self.require_repository_list()?;
        self.secrets
            .client
            .secret_repositories(scope, &self.name)
            .await
    }

    /// Changes an organization secret's visibility (and, for `selected`, its
    /// repositories) without sending its value.
    ///
    /// Not for Agents organization secrets: GitHub requires their value, `key_id`
    /// and visibility in every `PUT`, so their visibility changes only with the value
    /// ([`Secrets::with_access`] and [`Secrets::put`]). Their repositories, when the
    /// visibility is `selected`, change alone ([`ExistingSecret::set_repositories`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a scope other than an organization's and
    /// [`Error::VisibilityNeedsValue`] for an Agents organization secret, before any
    /// request; the network errors of [`Error`].
    pub async fn set_visibility(&self, visibility: Visibility) -> Result<(), Error> {
        let scope = &self.secrets.scope;
        self.require("visibility", scope.has_visibility(), |scope| {
            InputProblem::NoVisibility { scope }
        })?;
        if scope.visibility_needs_value() {
            return Err(Error::VisibilityNeedsValue {
                target: scope.to_string(),
                secret: self.name.as_str().to_owned(),
            });
        }
        self.secrets
            .client
            .put_access(scope, &self.name, &visibility)
            .await
    }

    /// Shares the secret with exactly `repositories` (a user secret, or an
    /// organization secret whose visibility is `selected`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a scope without repository lists; for an
    /// organization secret whose visibility is not `selected`, GitHub answers 409.
    pub async fn set_repositories<I>(&self, repositories: I) -> Result<(), Error>
    where
        I: IntoIterator,
        I::Item: Into<RepositoryId>,
    {
        let scope = &self.secrets.scope;
        self.require_repository_list()?;
        let ids: Vec<RepositoryId> = repositories.into_iter().map(Into::into).collect();
        self.secrets
            .client
            .set_secret_repositories(scope, &self.name, &ids)
            .await
    }

    /// Shares the secret with one more repository.
    ///
    /// # Errors
    ///
    /// As [`ExistingSecret::set_repositories`].
    pub async fn add_repository(&self, repository: impl Into<RepositoryId>) -> Result<(), Error> {
        self.change_repository(repository.into(), true).await
    }

    /// Stops sharing the secret with one repository.
    ///
    /// # Errors
    ///
    /// As [`ExistingSecret::set_repositories`].
    pub async fn remove_repository(
        &self,
        repository: impl Into<RepositoryId>,
    ) -> Result<(), Error> {
        self.change_repository(repository.into(), false).await
    }

    async fn change_repository(&self, repository: RepositoryId, add: bool) -> Result<(), Error> {
        let scope = &self.secrets.scope;
        self.require_repository_list()?;
        self.secrets
            .client
            .change_secret_repository(scope, &self.name, repository, add)
            .await
    }
}

/// Whether `access` is something `scope`'s secrets have.
pub(crate) fn check_access_fits(scope: &Scope, access: &Access) -> Result<(), Error> {
    let fits = match access {
        Access::Visibility(_) => scope.has_visibility(),
        Access::Repositories(_) => matches!(scope, Scope::User),
    };
    if fits {
        return Ok(());
    }
    let (what, problem) = match access {
        Access::Visibility(_) => (
            "visibility",
            InputProblem::NoVisibility {
                scope: scope.to_string(),
            },
        ),
        Access::Repositories(_) if scope.has_visibility() => {
            ("repositories", InputProblem::RepositoriesOutsideVisibility)
        }
        Access::Repositories(_) => (
            "repositories",
            InputProblem::NoRepositoryList {
                scope: scope.to_string(),
            },
        ),
    };
    Err(Error::InvalidInput { what, problem })
}

/// Parses a name for the [`SecretStore`] methods, which take strings.
fn parse(name: &str) -> Result<SecretName, Error> {
    SecretName::new(name)
}

#[async_trait]
impl SecretStore for Secrets {
    fn describe(&self) -> String {
        Secrets::describe(self)
    }

    fn check(&self, name: &str, value: &SecretString) -> Result<(), Error> {
        self.scope.check()?;
        check_value(&parse(name)?, value)
    }

    async fn put(&self, name: &str, value: &SecretString) -> Result<PutOutcome, Error> {
        Ok(Secrets::put(self, parse(name)?, value.clone())
            .await?
            .outcome)
    }

    async fn get(&self, name: &str) -> Result<SecretInfo, Error> {
        Ok(Secrets::get(self, parse(name)?).await?.into())
    }

    async fn list(&self) -> Result<Vec<SecretInfo>, Error> {
        Ok(Secrets::list(self)
            .await?
            .into_iter()
            .map(SecretInfo::from)
            .collect())
    }

    async fn delete(&self, name: &str) -> Result<(), Error> {
        Secrets::delete(self, parse(name)?).await
    }

    /// GitHub compares secret names ignoring ASCII case.
    fn name_key(&self, name: &str) -> String {
        name.to_ascii_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_in_words() {
        assert_eq!(
            Access::Visibility(Visibility::selected([1, 2])).to_string(),
            "visibility selected (2 repositories)"
        );
        assert_eq!(
            Access::Visibility(Visibility::All).to_string(),
            "visibility all"
        );
        assert_eq!(
            Access::Repositories(vec![RepositoryId(1)]).to_string(),
            "1 repository"
        );
    }

    #[test]
    fn access_must_fit_the_scope() {
        let org = Scope::org(App::Actions, "acme");
        let visibility = Access::Visibility(Visibility::All);
        let repositories = Access::Repositories(vec![RepositoryId(1)]);
        let problem = |scope: &Scope, access: &Access| match check_access_fits(scope, access) {
            Ok(()) => None,
            Err(Error::InvalidInput { problem, .. }) => Some(problem),
            Err(other) => panic!("not an input error: {other:?}"),
        };
        assert_eq!(problem(&org, &visibility), None);
        assert_eq!(
            problem(&org, &repositories),
            Some(InputProblem::RepositoriesOutsideVisibility)
        );
        assert_eq!(problem(&Scope::User, &repositories), None);
        assert_eq!(
            problem(&Scope::User, &visibility),
            Some(InputProblem::NoVisibility {
                scope: Scope::User.to_string()
            })
        );
        let repo = Scope::repository(App::Actions, Repo::name("o", "r"));
        assert_eq!(
            problem(&repo, &visibility),
            Some(InputProblem::NoVisibility {
                scope: repo.to_string()
            })
        );
        assert_eq!(
            problem(&repo, &repositories),
            Some(InputProblem::NoRepositoryList {
                scope: repo.to_string()
            })
        );
    }

    #[test]
    fn current_access_round_trips() {
        let selected = CurrentAccess {
            visibility: Some(VisibilityKind::Selected),
            repositories: Some(vec![Repository {
                id: RepositoryId(7),
                name: "r".into(),
                full_name: "o/r".into(),
            }]),
        };
        assert_eq!(
            selected.to_access().unwrap(),
            Access::Visibility(Visibility::selected([7]))
        );
        let unknown = CurrentAccess {
            visibility: Some(VisibilityKind::Other),
            repositories: None,
        };
        assert!(unknown.to_access().is_err());
    }
}
