//! Where GitHub keeps secrets: one [`Scope`] per public key, with the rules of what
//! each scope offers.

use std::fmt;

use super::name::{check_account, check_segment};
use super::types::{App, Repo};
use crate::Error;

/// One place GitHub keeps secrets; the secrets of one scope are sealed to one public
/// key.
///
/// ```
/// use sealpost_client::github::{App, Repo, Scope};
///
/// let org = Scope::org(App::Codespaces, "acme");
/// assert_eq!(org.to_string(), "organization `acme` (codespaces)");
/// assert!(org.has_visibility());
///
/// let env = Scope::environment(Repo::name("octo", "hello"), "production");
/// assert_eq!(env.app(), App::Actions);
/// assert!(!env.selects_repositories());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scope {
    /// The authenticated user's Codespaces secrets (`/user/codespaces/secrets`).
    User,
    /// An organization's secrets of one app (`/orgs/{org}/{app}/secrets`).
    Org {
        /// Actions, Codespaces, Dependabot or Agents.
        app: App,
        /// The organization's login.
        org: String,
    },
    /// A repository's secrets of one app (`/repos/{owner}/{repo}/{app}/secrets`). A
    /// repository given by id is looked up by name first (`GET /repositories/{id}`).
    Repository {
        /// Actions, Codespaces, Dependabot or Agents.
        app: App,
        /// The repository.
        repo: Repo,
    },
    /// An environment's secrets, which are Actions secrets
    /// (`/repositories/{id}/environments/{environment}/secrets` or
    /// `/repos/{owner}/{repo}/environments/{environment}/secrets`).
    Environment {
        /// The repository.
        repo: Repo,
        /// The environment's name.
        environment: String,
    },
}

impl Scope {
    /// The authenticated user's Codespaces secrets.
    pub fn user() -> Self {
        Scope::User
    }

    /// Organization `org`'s secrets of `app`.
    pub fn org(app: App, org: impl Into<String>) -> Self {
        Scope::Org {
            app,
            org: org.into(),
        }
    }

    /// Repository `repo`'s secrets of `app`.
    pub fn repository(app: App, repo: impl Into<Repo>) -> Self {
        Scope::Repository {
            app,
            repo: repo.into(),
        }
    }

    /// The secrets of `environment` of `repo`.
    pub fn environment(repo: impl Into<Repo>, environment: impl Into<String>) -> Self {
        Scope::Environment {
            repo: repo.into(),
            environment: environment.into(),
        }
    }

    /// The app whose secrets these are: user secrets are Codespaces secrets and
    /// environment secrets are Actions secrets.
    pub fn app(&self) -> App {
        match self {
            Scope::User => App::Codespaces,
            Scope::Org { app, .. } | Scope::Repository { app, .. } => *app,
            Scope::Environment { .. } => App::Actions,
        }
    }

    /// Whether a secret of this scope has a visibility (`all`, `private`, `selected`):
    /// organization secrets.
    pub fn has_visibility(&self) -> bool {
        matches!(self, Scope::Org { .. })
    }

    /// Whether a secret of this scope changes its visibility only together with its
    /// value: Agents organization secrets, whose every `PUT` GitHub takes only with
    /// `encrypted_value`, `key_id` and `visibility`. For them
    /// [`ExistingSecret::set_visibility`](super::ExistingSecret::set_visibility) is
    /// refused; store the value again with the new access instead
    /// ([`Secrets::with_access`](super::Secrets::with_access) and
    /// [`Secrets::put`](super::Secrets::put)). Their repositories, when the visibility
    /// is `selected`, still change alone.
    pub fn visibility_needs_value(&self) -> bool {
        matches!(
            self,
            Scope::Org {
                app: App::Agents,
                ..
            }
        )
    }

    /// Whether a secret of this scope is shared with a list of repositories: user
    /// secrets always, organization secrets when their visibility is `selected`.
    pub fn selects_repositories(&self) -> bool {
        matches!(self, Scope::User | Scope::Org { .. })
    }

    /// Checks the names in the scope, before anything is sent.
    pub(crate) fn check(&self) -> Result<(), Error> {
        let check_repo = |repo: &Repo| match repo {
            Repo::Id(_) => Ok(()),
            Repo::Name { owner, name } => {
                check_account("repository owner", owner)?;
                check_account("repository name", name)
            }
        };
        match self {
            Scope::User => Ok(()),
            Scope::Org { org, .. } => check_account("organization name", org),
            Scope::Repository { repo, .. } => check_repo(repo),
            Scope::Environment { repo, environment } => {
                check_repo(repo)?;
                check_segment("environment name", environment)
            }
        }
    }

    /// The path segments up to and including `secrets`; a repository scope needs the
    /// repository's owner and name (`named`), looked up first when it was given by id.
    pub(crate) fn segments(&self, named: Option<(&str, &str)>) -> Vec<String> {
        let owned = |parts: &[&str]| parts.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let repo_segments = |repo: &Repo| match (repo, named) {
            (_, Some((login, repository))) => owned(&["repos", login, repository]),
            (Repo::Name { owner, name }, None) => owned(&["repos", owner, name]),
            (Repo::Id(id), None) => vec!["repositories".to_owned(), id.to_string()],
        };
        match self {
            Scope::User => owned(&["user", "codespaces", "secrets"]),
            Scope::Org { app, org } => owned(&["orgs", org, app.as_str(), "secrets"]),
            Scope::Repository { app, repo } => {
                let mut segments = repo_segments(repo);
                segments.extend(owned(&[app.as_str(), "secrets"]));
                segments
            }
            Scope::Environment { repo, environment } => {
                let mut segments = repo_segments(repo);
                segments.extend(owned(&["environments", environment, "secrets"]));
                segments
            }
        }
    }
}

/// Words for messages: "organization `acme` (codespaces)".
impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::User => f.write_str("the authenticated user (codespaces)"),
            Scope::Org { app, org } => write!(f, "organization `{org}` ({app})"),
            Scope::Repository { app, repo } => write!(f, "repository `{repo}` ({app})"),
            Scope::Environment { repo, environment } => {
                write!(
                    f,
                    "environment `{environment}` of repository `{repo}` (actions)"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InputProblem;

    #[test]
    fn paths() {
        let env = Scope::environment(Repo::id(1_296_269), "production");
        assert_eq!(
            env.segments(None),
            [
                "repositories",
                "1296269",
                "environments",
                "production",
                "secrets"
            ]
        );
        let org = Scope::org(App::Dependabot, "acme");
        assert_eq!(
            org.segments(None),
            ["orgs", "acme", "dependabot", "secrets"]
        );
        assert_eq!(org.to_string(), "organization `acme` (dependabot)");
        let repo = Scope::repository(App::Codespaces, Repo::id(7));
        assert_eq!(
            repo.segments(Some(("octo", "hello"))),
            ["repos", "octo", "hello", "codespaces", "secrets"]
        );
        assert_eq!(repo.to_string(), "repository `#7` (codespaces)");
    }

    #[test]
    fn what_each_scope_offers() {
        assert_eq!(Scope::user().app(), App::Codespaces);
        assert!(Scope::user().selects_repositories());
        assert!(!Scope::user().has_visibility());
        let repo = Scope::repository(App::Dependabot, Repo::name("o", "r"));
        assert_eq!(repo.app(), App::Dependabot);
        assert!(!repo.selects_repositories() && !repo.has_visibility());
        // Only an Agents organization secret's visibility needs its value with it.
        assert!(Scope::org(App::Agents, "acme").visibility_needs_value());
        for scope in [
            Scope::org(App::Actions, "acme"),
            Scope::org(App::Codespaces, "acme"),
            Scope::org(App::Dependabot, "acme"),
            Scope::repository(App::Agents, Repo::name("o", "r")),
            Scope::user(),
        ] {
            assert!(!scope.visibility_needs_value(), "{scope}");
        }
    }

    #[test]
    fn bad_names_in_scopes() {
        assert!(matches!(
            Scope::org(App::Actions, "").check(),
            Err(Error::InvalidInput {
                what: "organization name",
                problem: InputProblem::Empty
            })
        ));
        assert!(matches!(
            Scope::environment(Repo::name("o", "r"), "..").check(),
            Err(Error::InvalidInput {
                what: "environment name",
                problem: InputProblem::DotSegment
            })
        ));
        assert!(matches!(
            Scope::repository(App::Actions, Repo::name("o/x", "r")).check(),
            Err(Error::InvalidInput {
                what: "repository owner",
                problem: InputProblem::OwnerWithName { ref given }
            }) if given == "o/x"
        ));
    }
}
