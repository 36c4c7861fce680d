//! `sealpost github ...`: the connection (URL, token, retries), the scope the flags
//! name, and what each command does there.

use std::env;
use std::ffi::OsString;
use std::path::PathBuf;

use sealpost_client::RetryPolicy;
use sealpost_client::bulk::DEFAULT_CONCURRENCY;
use sealpost_client::github::{App, Repo, RepositoryId};
use secrecy::{ExposeSecret as _, SecretString};

use super::{OutputFormat, Plaintext};
use crate::cli::{
    AppArg, GITHUB_TOKEN_ENVS, GithubArgs, GithubCommand, PlaceArgs, ScopeArgs, VisibilityArg,
};
use crate::error::Error;

/// A `github` command, ready to run.
pub(crate) struct GithubSettings {
    /// How to reach GitHub.
    pub(crate) connection: GithubConnection,
    /// What to do there.
    pub(crate) task: GithubTask,
}

/// How to reach GitHub.
pub(crate) struct GithubConnection {
    /// The API's base URL.
    pub(crate) api_url: String,
    /// The token, from `GH_TOKEN` or `GITHUB_TOKEN`.
    pub(crate) token: SecretString,
    /// When failed requests are tried again.
    pub(crate) retry: RetryPolicy,
    /// `--allow-insecure-http`: an `http` URL to another host is allowed.
    pub(crate) allow_insecure_http: bool,
}

/// What a `github` command does.
pub(crate) enum GithubTask {
    /// `set NAME`.
    Set(SetSettings),
    /// `set --env-file FILE`.
    SetMany(SetManySettings),
    /// `list`.
    List(ListSettings),
    /// `delete NAME`.
    Delete(DeleteSettings),
}

/// Where GitHub keeps the secrets a command is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The authenticated user's Codespaces secrets.
    User,
    /// An organization's secrets of one app.
    Org {
        /// Actions, Codespaces or Dependabot.
        app: App,
        /// The organization.
        org: String,
    },
    /// A repository's secrets of one app.
    Repository {
        /// Actions, Codespaces or Dependabot.
        app: App,
        /// The repository's owner.
        owner: String,
        /// The repository's name.
        name: String,
    },
    /// An environment's (Actions) secrets.
    Environment {
        /// The repository, by id or name.
        repo: Repo,
        /// The environment's name.
        environment: String,
    },
}

/// Who may use a stored secret, for the scopes where that is said when storing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sharing {
    /// Repository and environment secrets; user secrets without `--repos`, whose
    /// repositories stay as they are.
    Unchanged,
    /// A user secret usable in exactly these repositories.
    UserRepositories(Vec<Repo>),
    /// An organization secret usable by every repository.
    OrgAll,
    /// An organization secret usable by private and internal repositories.
    OrgPrivate,
    /// An organization secret usable by these repositories only.
    OrgSelected(Vec<Repo>),
}

/// `github set NAME`.
pub(crate) struct SetSettings {
    /// The secret's name, as given (the client checks it).
    pub(crate) name: String,
    /// Where the value comes from.
    pub(crate) value: Plaintext,
    /// Where it is stored.
    pub(crate) scope: Scope,
    /// Who may use it.
    pub(crate) sharing: Sharing,
    /// `--no-store`: print the sealed value instead of storing it.
    pub(crate) no_store: bool,
}

/// `github set --env-file FILE`.
pub(crate) struct SetManySettings {
    /// The dotenv file.
    pub(crate) path: PathBuf,
    /// Uploads at once.
    pub(crate) concurrency: usize,
    /// Where the secrets are stored.
    pub(crate) scope: Scope,
    /// Who may use them.
    pub(crate) sharing: Sharing,
}

/// `github list`.
pub(crate) struct ListSettings {
    /// Whose secrets.
    pub(crate) scope: Scope,
    /// Lines or JSON.
    pub(crate) format: OutputFormat,
}

/// `github delete NAME`.
pub(crate) struct DeleteSettings {
    /// The secret's name.
    pub(crate) name: String,
    /// Where it is.
    pub(crate) scope: Scope,
}

impl GithubSettings {
    /// Resolves a `github` command line; the token comes from the environment.
    pub(crate) fn resolve(args: GithubArgs, retry: RetryPolicy) -> Result<Self, Error> {
        let task = match args.command {
            GithubCommand::Set(set) => {
                let scope = scope(&set.scope, &set.place)?;
                let sharing = sharing(&scope, set.visibility, set.repos)?;
                match set.env_file {
                    Some(path) => GithubTask::SetMany(SetManySettings {
                        path,
                        concurrency: set.concurrency.unwrap_or(DEFAULT_CONCURRENCY),
                        scope,
                        sharing,
                    }),
                    None => GithubTask::Set(SetSettings {
                        // clap requires a name when there is no `--env-file`.
                        name: set.name.unwrap_or_default(),
                        value: set.body.map_or(Plaintext::Stdin, Plaintext::Given),
                        scope,
                        sharing,
                        no_store: set.no_store,
                    }),
                }
            }
            GithubCommand::List(list) => GithubTask::List(ListSettings {
                scope: scope(&list.scope, &list.place)?,
                format: OutputFormat::from_json_flag(list.json),
            }),
            GithubCommand::Delete(delete) => GithubTask::Delete(DeleteSettings {
                scope: scope(&delete.scope, &delete.place)?,
                name: delete.name,
            }),
        };
        let token = token_from(|name| env::var_os(name))?;
        Ok(GithubSettings {
            connection: GithubConnection {
                api_url: args.api_url,
                token,
                retry,
                allow_insecure_http: args.allow_insecure_http,
            },
            task,
        })
    }
}

/// The token: the first of `GH_TOKEN` and `GITHUB_TOKEN` that is set and not blank.
fn token_from(var: impl Fn(&str) -> Option<OsString>) -> Result<SecretString, Error> {
    for name in GITHUB_TOKEN_ENVS {
        let Some(value) = var(name) else { continue };
        let Ok(value) = value.into_string() else {
            return Err(Error::TokenNotUnicode { variable: name });
        };
        let value = SecretString::from(value);
        if !value.expose_secret().trim().is_empty() {
            return Ok(value);
        }
    }
    Err(Error::MissingToken {
        service: "GitHub",
        variables: "GH_TOKEN or GITHUB_TOKEN",
    })
}

/// The scope the flags name. clap has made sure exactly one of `--user`, `--org`,
/// `--repo` and `--repo-id` is given, that `--env` comes with `--repo` or `--repo-id`,
/// and that `--repo-id` comes with `--env`.
fn scope(scope: &ScopeArgs, place: &PlaceArgs) -> Result<Scope, Error> {
    let app = place.app.map(app_of);
    if scope.user {
        return match app {
            None | Some(App::Codespaces) => Ok(Scope::User),
            Some(other) => Err(Error::AppNotAvailable {
                app: other,
                flag: "--user",
                only: App::Codespaces,
            }),
        };
    }
    if let Some(org) = &scope.org {
        return Ok(Scope::Org {
            app: app.unwrap_or(App::Actions),
            org: org.clone(),
        });
    }
    let repo = match (&scope.repo, scope.repo_id) {
        (Some(text), _) => {
            let (owner, name) = owner_and_name(text).ok_or_else(|| Error::RepositoryFormat {
                flag: "--repo",
                text: text.clone(),
                expected: "OWNER/REPO",
            })?;
            Repo::name(owner, name)
        }
        (None, Some(id)) => Repo::id(id),
        // clap requires one of the four.
        (None, None) => return Err(Error::MissingScope),
    };
    match (&place.env, repo) {
        (Some(environment), repo) => match app {
            None | Some(App::Actions) => Ok(Scope::Environment {
                repo,
                environment: environment.clone(),
            }),
            Some(other) => Err(Error::AppNotAvailable {
                app: other,
                flag: "--env",
                only: App::Actions,
            }),
        },
        (None, Repo::Name { owner, name }) => Ok(Scope::Repository {
            app: app.unwrap_or(App::Actions),
            owner,
            name,
        }),
        // clap requires `--env` with `--repo-id`.
        (None, Repo::Id(_)) => Err(Error::MissingScope),
    }
}

/// Who may use the secret, from `--visibility` and `--repos` (clap has refused them
/// where they cannot apply: `--visibility` without `--org`, `--repos` with `--repo`).
fn sharing(
    scope: &Scope,
    visibility: Option<VisibilityArg>,
    repos: Option<Vec<String>>,
) -> Result<Sharing, Error> {
    let repos = repos.map(|repos| repositories(&repos)).transpose()?;
    Ok(match (scope, visibility, repos) {
        (Scope::Org { .. }, None | Some(VisibilityArg::Selected), Some(repos)) => {
            Sharing::OrgSelected(repos)
        }
        (Scope::Org { .. }, Some(VisibilityArg::Selected), None) => Sharing::OrgSelected(vec![]),
        (Scope::Org { .. }, Some(VisibilityArg::All | VisibilityArg::Private), Some(_)) => {
            return Err(Error::ReposNeedSelected);
        }
        (Scope::Org { .. }, Some(VisibilityArg::All), None) => Sharing::OrgAll,
        (Scope::Org { .. }, None | Some(VisibilityArg::Private), None) => Sharing::OrgPrivate,
        (Scope::User, _, Some(repos)) => Sharing::UserRepositories(repos),
        (Scope::User | Scope::Repository { .. } | Scope::Environment { .. }, _, _) => {
            Sharing::Unchanged
        }
    })
}

/// `--repos`: numeric ids or `OWNER/NAME`, blanks around each ignored.
fn repositories(texts: &[String]) -> Result<Vec<Repo>, Error> {
    texts
        .iter()
        .map(|text| {
            let text = text.trim();
            if let Ok(id) = text.parse::<u64>() {
                return Ok(Repo::Id(RepositoryId(id)));
            }
            owner_and_name(text)
                .map(|(owner, name)| Repo::name(owner, name))
                .ok_or_else(|| Error::RepositoryFormat {
                    flag: "--repos",
                    text: text.to_owned(),
                    expected: "repository ids or OWNER/NAME, separated by commas",
                })
        })
        .collect()
}

/// `OWNER/NAME`, both parts non-empty and without another `/`.
fn owner_and_name(text: &str) -> Option<(&str, &str)> {
    let (owner, name) = text.split_once('/')?;
    let valid = |part: &str| !part.is_empty() && !part.contains('/') && part.trim() == part;
    (valid(owner) && valid(name)).then_some((owner, name))
}

fn app_of(app: AppArg) -> App {
    match app {
        AppArg::Actions => App::Actions,
        AppArg::Codespaces => App::Codespaces,
        AppArg::Dependabot => App::Dependabot,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| OsString::from(value))
        }
    }

    #[test]
    fn gh_token_comes_first_and_blank_ones_are_skipped() {
        let token = |pairs| token_from(env(pairs)).map(|t| t.expose_secret().to_owned());
        assert_eq!(
            token(&[("GH_TOKEN", "gh"), ("GITHUB_TOKEN", "github")]).unwrap(),
            "gh"
        );
        assert_eq!(
            token(&[("GH_TOKEN", " \n"), ("GITHUB_TOKEN", "github")]).unwrap(),
            "github"
        );
        assert_eq!(token(&[("GITHUB_TOKEN", "github")]).unwrap(), "github");
        assert!(matches!(
            token(&[("GH_TOKEN", "")]),
            Err(Error::MissingToken { .. })
        ));
    }

    #[test]
    fn repository_references() {
        assert_eq!(
            repositories(&["1296269".into(), " octo/hello ".into()]).unwrap(),
            [Repo::id(1_296_269), Repo::name("octo", "hello")]
        );
        for bad in ["", "octo", "octo/", "/hello", "a/b/c", "-1", "octo /x"] {
            assert!(
                matches!(
                    repositories(&[bad.into()]),
                    Err(Error::RepositoryFormat { .. })
                ),
                "{bad:?}"
            );
        }
    }
}
