//! Where GitHub keeps secrets, and which request a path names.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::Error;

/// The apps whose secrets GitHub keeps, as they appear in paths.
pub const APPS: [&str; 4] = ["actions", "codespaces", "dependabot", "agents"];

/// The apps whose organization secrets a repository can list
/// (`GET /repos/{owner}/{repo}/{app}/organization-secrets`).
pub(crate) const APPS_WITH_ORGANIZATION_SECRETS: [&str; 2] = ["actions", "agents"];

/// Characters left as they are in a path segment (RFC 3986 unreserved).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `segment` percent-encoded as one path segment.
pub(crate) fn encode(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// One place GitHub keeps secrets; every secret of a scope is sealed to the scope's
/// public key. Made with [`Scope::user`], [`Scope::org`], [`Scope::repo`],
/// [`Scope::environment`], [`Scope::environment_by_id`], or parsed from a path.
///
/// Names are kept decoded: `Scope::environment("octo", "hello", "prod eu")` is the
/// scope a client reaches at `/repos/octo/hello/environments/prod%20eu/secrets`.
///
/// ```
/// use sealpost_fakes::Scope;
///
/// let scope = Scope::org("actions", "acme");
/// assert_eq!(scope.to_string(), "/orgs/acme/actions/secrets");
/// assert_eq!(Scope::parse("/orgs/acme/actions/secrets")?, scope);
/// # Ok::<(), sealpost_fakes::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope(Kind);

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    User,
    Org {
        app: String,
        org: String,
    },
    Repo {
        app: String,
        owner: String,
        repo: String,
    },
    Environment {
        owner: String,
        repo: String,
        environment: String,
    },
    EnvironmentById {
        id: u64,
        environment: String,
    },
    PrivateRegistries {
        org: String,
    },
}

impl Scope {
    /// The authenticated user's Codespaces secrets: `/user/codespaces/secrets`.
    pub fn user() -> Scope {
        Scope(Kind::User)
    }

    /// Organization `org`'s secrets of `app` (`actions`, `codespaces` or
    /// `dependabot`): `/orgs/{org}/{app}/secrets`.
    pub fn org(app: &str, org: &str) -> Scope {
        Scope(Kind::Org {
            app: app.to_owned(),
            org: org.to_owned(),
        })
    }

    /// Repository `owner/repo`'s secrets of `app`: `/repos/{owner}/{repo}/{app}/secrets`.
    pub fn repo(app: &str, owner: &str, repo: &str) -> Scope {
        Scope(Kind::Repo {
            app: app.to_owned(),
            owner: owner.to_owned(),
            repo: repo.to_owned(),
        })
    }

    /// The secrets of environment `environment` of `owner/repo`:
    /// `/repos/{owner}/{repo}/environments/{environment}/secrets`.
    ///
    /// The fake keeps these apart from [`Scope::environment_by_id`]: it does not know
    /// which id a repository name has.
    pub fn environment(owner: &str, repo: &str, environment: &str) -> Scope {
        Scope(Kind::Environment {
            owner: owner.to_owned(),
            repo: repo.to_owned(),
            environment: environment.to_owned(),
        })
    }

    /// The secrets of environment `environment` of the repository with id `id`:
    /// `/repositories/{id}/environments/{environment}/secrets`.
    pub fn environment_by_id(id: u64, environment: &str) -> Scope {
        Scope(Kind::EnvironmentById {
            id,
            environment: environment.to_owned(),
        })
    }

    /// The scope of a path such as `/orgs/acme/actions/secrets` (percent-encoded as on
    /// the wire; a trailing slash is allowed).
    ///
    /// # Errors
    ///
    /// [`Error::UnknownScope`] if the path names no scope the fake serves.
    pub fn parse(path: &str) -> Result<Scope, Error> {
        let unknown = || Error::UnknownScope(path.to_owned());
        let segments = segments(path.strip_suffix('/').unwrap_or(path)).ok_or_else(unknown)?;
        match route_segments(&segments) {
            Some(Route::Secrets {
                scope,
                tail: Tail::List,
            }) => Ok(scope),
            _ => Err(unknown()),
        }
    }

    /// Organization `org`'s Dependabot private registries, whose values are sealed to
    /// a key of their own (`/orgs/{org}/private-registries/public-key`). Not a scope
    /// of secrets: its registries are read with
    /// [`FakeGitHub::registry`](super::FakeGitHub::registry).
    pub fn private_registries(org: &str) -> Scope {
        Scope(Kind::PrivateRegistries {
            org: org.to_owned(),
        })
    }

    /// The path of the scope, percent-encoded, up to and including `secrets`.
    pub fn path(&self) -> String {
        self.to_string()
    }

    /// User and organization secrets are shared with selected repositories.
    pub(crate) fn selects_repositories(&self) -> bool {
        matches!(self.0, Kind::User | Kind::Org { .. })
    }

    pub(crate) fn is_user(&self) -> bool {
        matches!(self.0, Kind::User)
    }

    pub(crate) fn is_org(&self) -> bool {
        matches!(self.0, Kind::Org { .. })
    }

    /// The app whose secrets these are: user secrets are Codespaces secrets,
    /// environment secrets Actions secrets.
    pub(crate) fn app(&self) -> &str {
        match &self.0 {
            Kind::User => "codespaces",
            Kind::Org { app, .. } | Kind::Repo { app, .. } => app,
            Kind::Environment { .. } | Kind::EnvironmentById { .. } => "actions",
            Kind::PrivateRegistries { .. } => "dependabot",
        }
    }

    /// The owner of a user's or organization's secrets, for the names of repositories
    /// the fake makes up.
    pub(crate) fn account(&self) -> &str {
        match &self.0 {
            Kind::Org { org, .. } | Kind::PrivateRegistries { org } => org,
            Kind::User => "octocat",
            Kind::Repo { owner, .. } | Kind::Environment { owner, .. } => owner,
            Kind::EnvironmentById { .. } => "unknown",
        }
    }
}

/// The path, percent-encoded: `/repos/octo/hello/environments/prod%20eu/secrets`.
impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let encode = |segment: &str| utf8_percent_encode(segment, SEGMENT).to_string();
        match &self.0 {
            Kind::User => f.write_str("/user/codespaces/secrets"),
            Kind::Org { app, org } => {
                write!(f, "/orgs/{}/{}/secrets", encode(org), encode(app))
            }
            Kind::Repo { app, owner, repo } => write!(
                f,
                "/repos/{}/{}/{}/secrets",
                encode(owner),
                encode(repo),
                encode(app)
            ),
            Kind::Environment {
                owner,
                repo,
                environment,
            } => write!(
                f,
                "/repos/{}/{}/environments/{}/secrets",
                encode(owner),
                encode(repo),
                encode(environment)
            ),
            Kind::EnvironmentById { id, environment } => write!(
                f,
                "/repositories/{id}/environments/{}/secrets",
                encode(environment)
            ),
            Kind::PrivateRegistries { org } => {
                write!(f, "/orgs/{}/private-registries", encode(org))
            }
        }
    }
}

impl Scope {
    /// Whose resources the scope's secrets are, for checking an installation token:
    /// the organization, or the repository's owner (by id through `repositories`, the
    /// repositories the fake knows; an unknown id belongs to nobody).
    pub(crate) fn owner<'a>(
        &'a self,
        repositories: &'a std::collections::BTreeMap<u64, String>,
    ) -> super::app::Owner<'a> {
        use super::app::Owner;
        match &self.0 {
            Kind::User => Owner::User,
            Kind::Org { org, .. } | Kind::PrivateRegistries { org } => Owner::Account(org),
            Kind::Repo { owner, .. } | Kind::Environment { owner, .. } => Owner::Account(owner),
            Kind::EnvironmentById { id, .. } => Owner::Account(
                repositories
                    .get(id)
                    .and_then(|full| full.split_once('/'))
                    .map_or("", |(owner, _)| owner),
            ),
        }
    }
}

/// What a request's path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    /// Something under a scope's `secrets`.
    Secrets { scope: Scope, tail: Tail },
    /// `GET /repos/{owner}/{repo}`: a repository, to learn its id.
    Repository { owner: String, repo: String },
    /// `/orgs/{org}/private-registries[/...]`: Dependabot private registries.
    Registries { org: String, tail: RegistryTail },
    /// `GET /repos/{owner}/{repo}/{app}/organization-secrets`: the organization
    /// secrets of `app` the repository may use.
    OrganizationSecrets {
        app: String,
        owner: String,
        repo: String,
    },
}

/// The part of a path after `/orgs/{org}/private-registries`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RegistryTail {
    /// `.../private-registries`
    List,
    /// `.../private-registries/public-key`
    PublicKey,
    /// `.../private-registries/{name}`
    Named(String),
}

/// The part of a path after a scope's `secrets`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tail {
    /// `.../secrets`
    List,
    /// `.../secrets/public-key`
    PublicKey,
    /// `.../secrets/{name}`
    Secret(String),
    /// `.../secrets/{name}/repositories`
    Repositories(String),
    /// `.../secrets/{name}/repositories/{id}` (the id as given; checked by the handler)
    Repository(String, String),
}

/// The route of a raw (percent-encoded) path, or `None` for a path the fake does not
/// serve (including empty segments and invalid percent-encoding).
pub(crate) fn route(path: &str) -> Option<Route> {
    route_segments(&segments(path)?)
}

fn segments(path: &str) -> Option<Vec<String>> {
    path.strip_prefix('/')?
        .split('/')
        .map(|segment| {
            let decoded = percent_decode_str(segment).decode_utf8().ok()?;
            (!decoded.is_empty()).then(|| decoded.into_owned())
        })
        .collect()
}

fn route_segments(segments: &[String]) -> Option<Route> {
    let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
    let app = |app: &str| APPS.contains(&app).then(|| app.to_owned());
    let (scope, rest) = match parts.as_slice() {
        ["user", "codespaces", "secrets", rest @ ..] => (Scope::user(), rest),
        ["orgs", org, app_name, "secrets", rest @ ..] => (
            Scope(Kind::Org {
                app: app(app_name)?,
                org: (*org).to_owned(),
            }),
            rest,
        ),
        [
            "repos",
            owner,
            repo,
            "environments",
            environment,
            "secrets",
            rest @ ..,
        ] => (Scope::environment(owner, repo, environment), rest),
        ["repos", owner, repo, app_name, "secrets", rest @ ..] => (
            Scope(Kind::Repo {
                app: app(app_name)?,
                owner: (*owner).to_owned(),
                repo: (*repo).to_owned(),
            }),
            rest,
        ),
        [
            "repositories",
            id,
            "environments",
            environment,
            "secrets",
            rest @ ..,
        ] => {
            let id = id.parse().ok().filter(|id| *id > 0)?;
            (Scope::environment_by_id(id, environment), rest)
        }
        ["orgs", org, "private-registries", rest @ ..] => {
            let tail = match rest {
                [] => RegistryTail::List,
                ["public-key"] => RegistryTail::PublicKey,
                [name] => RegistryTail::Named((*name).to_owned()),
                _ => return None,
            };
            return Some(Route::Registries {
                org: (*org).to_owned(),
                tail,
            });
        }
        ["repos", owner, repo, app_name, "organization-secrets"]
            if APPS_WITH_ORGANIZATION_SECRETS.contains(app_name) =>
        {
            return Some(Route::OrganizationSecrets {
                app: (*app_name).to_owned(),
                owner: (*owner).to_owned(),
                repo: (*repo).to_owned(),
            });
        }
        ["repos", owner, repo] => {
            return Some(Route::Repository {
                owner: (*owner).to_owned(),
                repo: (*repo).to_owned(),
            });
        }
        _ => return None,
    };
    // GitHub compares secret names ignoring case and keeps them in upper case (it
    // lists `npm_token` as `NPM_TOKEN`), so the fake does too.
    let tail = match rest {
        [] => Tail::List,
        ["public-key"] => Tail::PublicKey,
        [name] => Tail::Secret(name.to_ascii_uppercase()),
        [name, "repositories"] => Tail::Repositories(name.to_ascii_uppercase()),
        [name, "repositories", id] => Tail::Repository(name.to_ascii_uppercase(), (*id).to_owned()),
        _ => return None,
    };
    Some(Route::Secrets { scope, tail })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scope_round_trips_through_its_path() {
        for scope in [
            Scope::user(),
            Scope::org("codespaces", "acme"),
            Scope::repo("dependabot", "octo", "hello"),
            Scope::environment("octo", "hello", "prod eu/1"),
            Scope::environment_by_id(1_296_269, "production"),
        ] {
            assert_eq!(Scope::parse(&scope.path()).unwrap(), scope, "{scope}");
        }
        assert_eq!(
            Scope::environment("octo", "hello", "prod eu/1").path(),
            "/repos/octo/hello/environments/prod%20eu%2F1/secrets"
        );
    }

    #[test]
    fn routes() {
        let org = Scope::org("actions", "acme");
        assert_eq!(
            route("/orgs/acme/actions/secrets/public-key"),
            Some(Route::Secrets {
                scope: org.clone(),
                tail: Tail::PublicKey
            })
        );
        assert_eq!(
            route("/orgs/acme/actions/secrets/NPM/repositories/42"),
            Some(Route::Secrets {
                scope: org,
                tail: Tail::Repository("NPM".into(), "42".into())
            })
        );
        assert_eq!(
            route("/repos/octo/hello"),
            Some(Route::Repository {
                owner: "octo".into(),
                repo: "hello".into()
            })
        );
        for unknown in [
            "/orgs/acme/pages/secrets",
            "/orgs//actions/secrets",
            "/user/codespaces/secrets/A/B",
            "/repositories/0/environments/e/secrets",
            "/repositories/x/environments/e/secrets",
            "/user/codespaces/secrets/%FF",
            "user/codespaces/secrets",
        ] {
            assert_eq!(route(unknown), None, "{unknown}");
        }
        assert!(Scope::parse("/orgs/acme/actions/secrets/NAME").is_err());
    }
}
