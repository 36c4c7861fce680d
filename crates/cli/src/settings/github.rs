//! `sealpost github ...`: the connection (URL, credentials, retries), the scope the flags
//! name, and what each command does there.

use std::env;
use std::path::PathBuf;

use sealpost_client::RetryPolicy;
use sealpost_client::bulk::DEFAULT_CONCURRENCY;
use sealpost_client::github::{App, Repo, Scope, SecretName};

use super::credentials::{self, AppFlags, Credentials};
use super::{OutputFormat, Plaintext};
use crate::cli::{
    AppArg, GithubAccessArgs, GithubArgs, GithubCommand, PlaceArgs, ScopeArgs, VisibilityArg,
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
    /// The token or the GitHub App, found in the documented order.
    pub(crate) credentials: Credentials,
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
    /// `access NAME`.
    Access(AccessSettings),
    /// `registry ...`.
    Registry(super::registry::RegistryTask),
}

/// Who may use a stored secret, as the flags ask (repositories not looked up yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AccessRequest {
    /// No `--visibility` or `--repos`: an existing secret keeps its access (a new
    /// organization secret is private; a user secret's repositories stay).
    Keep,
    /// An organization secret's visibility; for `selected`, these repositories.
    Visibility(VisibilityArg, Vec<Repo>),
    /// A user secret usable in exactly these repositories.
    Repositories(Vec<Repo>),
}

/// `github access NAME`: what to change, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AccessChange {
    /// No change flag: print who may use the secret.
    Show(OutputFormat),
    /// `--visibility` (with `--repos` for `selected`).
    Visibility(VisibilityArg, Option<Vec<Repo>>),
    /// `--repos` alone: exactly these repositories.
    Repositories(Vec<Repo>),
    /// `--add-repos`.
    Add(Vec<Repo>),
    /// `--remove-repos`.
    Remove(Vec<Repo>),
}

/// `github access NAME`.
pub(crate) struct AccessSettings {
    /// The secret's name.
    pub(crate) name: SecretName,
    /// Where it is.
    pub(crate) scope: Scope,
    /// What to do.
    pub(crate) change: AccessChange,
}

/// `github set NAME`.
pub(crate) struct SetSettings {
    /// The secret's name.
    pub(crate) name: SecretName,
    /// Where the value comes from.
    pub(crate) value: Plaintext,
    /// Where it is stored.
    pub(crate) scope: Scope,
    /// Who may use it.
    pub(crate) access: AccessRequest,
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
    pub(crate) access: AccessRequest,
}

/// `github list`.
pub(crate) struct ListSettings {
    /// Whose secrets.
    pub(crate) scope: Scope,
    /// Lines or JSON.
    pub(crate) format: OutputFormat,
    /// `--org-secrets`: the organization secrets a repository may use.
    pub(crate) org_secrets: bool,
}

/// `github delete NAME`.
pub(crate) struct DeleteSettings {
    /// The secret's name.
    pub(crate) name: SecretName,
    /// Where it is.
    pub(crate) scope: Scope,
}

impl GithubSettings {
    /// Resolves a `github` command line; the token comes from the environment.
    pub(crate) fn resolve(args: GithubArgs, retry: RetryPolicy) -> Result<Self, Error> {
        let task = match args.command {
            GithubCommand::Set(set) => {
                let scope = scope(&set.scope, &set.place)?;
                let access = access_request(&scope, set.visibility, set.repos)?;
                match set.env_file {
                    Some(path) => GithubTask::SetMany(SetManySettings {
                        path,
                        concurrency: set.concurrency.unwrap_or(DEFAULT_CONCURRENCY),
                        scope,
                        access,
                    }),
                    None => GithubTask::Set(SetSettings {
                        // clap requires a name when there is no `--env-file`; parsed
                        // before standard input is read, so that a bad name does not
                        // cost the user a paste.
                        name: SecretName::new(set.name.unwrap_or_default())?,
                        value: set.body.map_or(Plaintext::Stdin, Plaintext::Given),
                        scope,
                        access,
                        no_store: set.no_store,
                    }),
                }
            }
            GithubCommand::List(list) => GithubTask::List(ListSettings {
                scope: scope(&list.scope, &list.place)?,
                format: OutputFormat::from_json_flag(list.json),
                org_secrets: list.org_secrets,
            }),
            GithubCommand::Delete(delete) => GithubTask::Delete(DeleteSettings {
                scope: scope(&delete.scope, &delete.place)?,
                name: SecretName::new(delete.name)?,
            }),
            GithubCommand::Access(access) => GithubTask::Access(access_settings(access)?),
            GithubCommand::Registry(command) => {
                GithubTask::Registry(super::registry::RegistryTask::resolve(command)?)
            }
        };
        let flags = AppFlags {
            app_id: args.app_id,
            app_key: args.app_key,
            installation_id: args.installation_id,
        };
        let credentials = credentials::resolve(&flags, |name| env::var_os(name), &args.api_url)?;
        Ok(GithubSettings {
            connection: GithubConnection {
                api_url: args.api_url,
                credentials,
                retry,
                allow_insecure_http: args.allow_insecure_http,
            },
            task,
        })
    }
}

impl GithubConnection {
    /// How to reach GitHub at `api_url`, with the credentials found as every `github`
    /// command finds them (no App flags: environment, then gh).
    pub(crate) fn from_env(
        api_url: String,
        allow_insecure_http: bool,
        retry: RetryPolicy,
    ) -> Result<Self, Error> {
        let credentials =
            credentials::resolve(&AppFlags::default(), |name| env::var_os(name), &api_url)?;
        Ok(GithubConnection {
            api_url,
            credentials,
            retry,
            allow_insecure_http,
        })
    }
}

/// The scope the flags name. clap has made sure exactly one of `--user`, `--org`,
/// `--repo` and `--repo-id` is given, that `--env` comes with `--repo` or `--repo-id`,
/// and that `--repo-id` comes with `--env`.
fn scope(scope: &ScopeArgs, place: &PlaceArgs) -> Result<Scope, Error> {
    let app = place.app.map(app_of);
    let (scope, flag) = if scope.user {
        (Scope::user(), "--user")
    } else if let Some(org) = &scope.org {
        (
            Scope::org(app.unwrap_or(App::Actions), org.as_str()),
            "--org",
        )
    } else {
        let repo = match (&scope.repo, scope.repo_id) {
            (Some(text), _) => repo_name(text)?,
            (None, Some(id)) => Repo::id(id),
            // clap requires one of the four.
            (None, None) => return Err(Error::MissingScope),
        };
        match (&place.env, repo) {
            (Some(environment), repo) => (Scope::environment(repo, environment.as_str()), "--env"),
            (None, repo @ Repo::Name { .. }) => (
                Scope::repository(app.unwrap_or(App::Actions), repo),
                "--repo",
            ),
            // clap requires `--env` with `--repo-id`.
            (None, Repo::Id(_)) => return Err(Error::MissingScope),
        }
    };
    // The client's scope knows which app each kind of scope holds: user secrets are
    // Codespaces secrets, environment secrets Actions secrets.
    match app {
        Some(app) if app != scope.app() => Err(Error::AppNotAvailable {
            app,
            flag,
            only: scope.app(),
        }),
        _ => Ok(scope),
    }
}

/// `--repo OWNER/REPO`.
fn repo_name(text: &str) -> Result<Repo, Error> {
    match text.parse::<Repo>() {
        Ok(repo @ Repo::Name { .. }) if text.trim() == text => Ok(repo),
        _ => Err(Error::RepositoryFormat {
            flag: "--repo",
            text: text.to_owned(),
            expected: "OWNER/REPO",
        }),
    }
}

/// Who may use the secret, from `--visibility` and `--repos` (clap has refused them
/// where they cannot apply: `--visibility` without `--org`, `--repos` with `--repo`).
fn access_request(
    scope: &Scope,
    visibility: Option<VisibilityArg>,
    repos: Option<Vec<String>>,
) -> Result<AccessRequest, Error> {
    let repos = repos
        .map(|repos| repositories("--repos", &repos))
        .transpose()?;
    Ok(match (scope.has_visibility(), visibility, repos) {
        (true, None | Some(VisibilityArg::Selected), Some(repos)) => {
            AccessRequest::Visibility(VisibilityArg::Selected, repos)
        }
        (true, Some(VisibilityArg::All | VisibilityArg::Private), Some(_)) => {
            return Err(Error::ReposNeedSelected);
        }
        (true, Some(visibility), None) => AccessRequest::Visibility(visibility, Vec::new()),
        (false, _, Some(repos)) if matches!(scope, Scope::User) => {
            AccessRequest::Repositories(repos)
        }
        _ => AccessRequest::Keep,
    })
}

/// `github access NAME`: the scope and the one change asked for.
fn access_settings(args: GithubAccessArgs) -> Result<AccessSettings, Error> {
    let app = args.app.map(app_of);
    let scope = match (&args.org, args.user) {
        (Some(org), _) => Scope::org(app.unwrap_or(App::Actions), org.as_str()),
        (None, _) => match app {
            None | Some(App::Codespaces) => Scope::user(),
            Some(other) => {
                return Err(Error::AppNotAvailable {
                    app: other,
                    flag: "--user",
                    only: App::Codespaces,
                });
            }
        },
    };
    let list = |flag, texts: Option<Vec<String>>| {
        texts.map(|texts| repositories(flag, &texts)).transpose()
    };
    let repos = list("--repos", args.repos)?;
    let add = list("--add-repos", args.add_repos)?;
    let remove = list("--remove-repos", args.remove_repos)?;
    // clap allows at most one of `--repos`, `--add-repos` and `--remove-repos`, and
    // `--visibility` only with `--org`.
    let change = match (args.visibility, repos, add, remove) {
        (Some(VisibilityArg::All | VisibilityArg::Private), Some(_), _, _) => {
            return Err(Error::ReposNeedSelected);
        }
        (Some(visibility), repos, None, None) => AccessChange::Visibility(visibility, repos),
        (None, Some(repos), None, None) => AccessChange::Repositories(repos),
        (None, None, Some(add), None) => AccessChange::Add(add),
        (None, None, None, Some(remove)) => AccessChange::Remove(remove),
        (None, None, None, None) => AccessChange::Show(OutputFormat::from_json_flag(args.json)),
        _ => return Err(Error::OneAccessChange),
    };
    Ok(AccessSettings {
        name: SecretName::new(args.name)?,
        scope,
        change,
    })
}

/// A comma-separated list of repositories: numeric ids or `OWNER/NAME`, blanks around
/// each ignored.
pub(super) fn repositories(flag: &'static str, texts: &[String]) -> Result<Vec<Repo>, Error> {
    texts
        .iter()
        .map(|text| {
            text.parse::<Repo>().map_err(|_| Error::RepositoryFormat {
                flag,
                text: text.trim().to_owned(),
                expected: "repository ids or OWNER/NAME, separated by commas",
            })
        })
        .collect()
}

fn app_of(app: AppArg) -> App {
    match app {
        AppArg::Actions => App::Actions,
        AppArg::Codespaces => App::Codespaces,
        AppArg::Dependabot => App::Dependabot,
        AppArg::Agents => App::Agents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_references() {
        assert_eq!(
            repositories("--repos", &["1296269".into(), " octo/hello ".into()]).unwrap(),
            [Repo::id(1_296_269), Repo::name("octo", "hello")]
        );
        for bad in ["", "octo", "octo/", "/hello", "a/b/c", "-1", "octo /x"] {
            assert!(
                matches!(
                    repositories("--repos", &[bad.into()]),
                    Err(Error::RepositoryFormat { .. })
                ),
                "{bad:?}"
            );
        }
    }
}
