//! The configuration: which secrets must exist where, and where each value comes
//! from. The format (TOML) is a contract:
//!
//! ```toml
//! [[github]]                      # one table per target
//! org = "acme"                    # or: repo = "owner/name" (+ environment = "production"), or: user = true
//! app = "actions"                 # optional: actions (default; codespaces for user targets), codespaces, dependabot, agents
//! visibility = "selected"         # org targets; optional (new secrets: private)
//! repositories = ["acme/web", "acme/api"]   # org targets with selected, and user targets
//!
//! [github.secrets]                # NAME = where its value comes from
//! NPM_TOKEN   = { env = "NPM_TOKEN" }                  # an environment variable, exactly
//! DB_URL      = { file = "secrets/db_url" }            # a file's bytes, exactly; relative to CONFIG's folder
//! SIGNING_KEY = { command = ["op", "read", "op://ci/signing/key"] }   # argv, no shell; stdout less ONE trailing newline
//!
//! [[coder]]                       # Coder user secrets, same idea
//! user = "me"
//! [coder.secrets]
//! npm = { env = "NPM_TOKEN", env_name = "NPM_TOKEN", description = "npm publish token" }
//! ```
//!
//! Every problem is a [`ConfigError::Invalid`] naming the table and the key.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use sealpost_client::coder;
use sealpost_client::github::{App, Repo, Scope, SecretName};
use toml::{Table, Value};

use crate::error::{ConfigError, Problem};

/// A parsed configuration: its targets, in the order of the file.
#[derive(Debug, Clone)]
pub struct Config {
    path: PathBuf,
    pub(crate) github: Vec<GithubTarget>,
    pub(crate) coder: Vec<CoderTarget>,
}

/// One `[[github]]` table.
#[derive(Debug, Clone)]
pub(crate) struct GithubTarget {
    /// The table, for messages: `[[github]] #1 (org "acme")`.
    pub(crate) table: String,
    pub(crate) scope: Scope,
    pub(crate) access: DeclaredAccess,
    pub(crate) secrets: Vec<Declared>,
}

/// One `[[coder]]` table.
#[derive(Debug, Clone)]
pub(crate) struct CoderTarget {
    pub(crate) table: String,
    pub(crate) user: coder::User,
    pub(crate) user_text: String,
    pub(crate) secrets: Vec<Declared>,
}

/// Who may use the secrets of a GitHub target, as declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DeclaredAccess {
    /// Nothing declared: existing secrets keep their access (new org secrets: private).
    Keep,
    /// `visibility = "all"`.
    All,
    /// `visibility = "private"`.
    Private,
    /// `visibility = "selected"` with these repositories (`owner/name`).
    Selected(Vec<RepoName>),
    /// A user target's `repositories`.
    Repositories(Vec<RepoName>),
}

/// A repository by owner and name, compared ignoring ASCII case (as GitHub does).
#[derive(Debug, Clone)]
pub(crate) struct RepoName {
    pub(crate) owner: String,
    pub(crate) name: String,
}

impl RepoName {
    pub(crate) fn full(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }

    pub(crate) fn matches(&self, full_name: &str) -> bool {
        self.full().eq_ignore_ascii_case(full_name)
    }
}

impl PartialEq for RepoName {
    fn eq(&self, other: &Self) -> bool {
        self.full().eq_ignore_ascii_case(&other.full())
    }
}

impl Eq for RepoName {}

/// One declared secret.
#[derive(Debug, Clone)]
pub(crate) struct Declared {
    pub(crate) name: String,
    pub(crate) source: Source,
    /// Coder only: the fields besides the value.
    pub(crate) coder: CoderFields,
}

/// Coder's fields besides the value; `None` leaves the field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CoderFields {
    pub(crate) env_name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) file_path: Option<String>,
}

/// Where a value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An environment variable, exactly.
    Env(String),
    /// A file's bytes, exactly.
    File {
        /// As written in the configuration.
        written: String,
        /// Resolved against the configuration's folder.
        path: PathBuf,
    },
    /// A program's standard output, less one trailing newline; no shell.
    Command(Vec<String>),
}

impl fmt::Display for Source {
    /// `env NPM_TOKEN`, `file secrets/db_url`, `command op read op://x`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Env(name) => write!(f, "env {name}"),
            Source::File { written, .. } => write!(f, "file {written}"),
            Source::Command(argv) => write!(f, "command {}", argv.join(" ")),
        }
    }
}

impl Config {
    /// Reads and parses the configuration at `path`; file sources are relative to its
    /// folder.
    ///
    /// # Errors
    ///
    /// [`ConfigError`], naming the table and key of any problem.
    pub fn load(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let folder = path.parent().unwrap_or(Path::new("."));
        Config::parse(&text, path, folder)
    }

    /// Parses `text`, a configuration read from `path`, with file sources relative to
    /// `folder`.
    ///
    /// # Errors
    ///
    /// [`ConfigError`], naming the table and key of any problem.
    pub fn parse(text: &str, path: &Path, folder: &Path) -> Result<Config, ConfigError> {
        let root: Table = toml::from_str(text).map_err(|err| ConfigError::Syntax {
            path: path.to_owned(),
            message: err.message().to_owned() + &location(text, err.span()),
        })?;
        let parser = Parser { path, folder };
        let mut config = Config {
            path: path.to_owned(),
            github: Vec::new(),
            coder: Vec::new(),
        };
        for (key, value) in &root {
            match key.as_str() {
                "github" => {
                    for (i, table) in parser.tables(value, "github")?.into_iter().enumerate() {
                        config.github.push(parser.github(i + 1, table)?);
                    }
                }
                "coder" => {
                    for (i, table) in parser.tables(value, "coder")?.into_iter().enumerate() {
                        config.coder.push(parser.coder(i + 1, table)?);
                    }
                }
                _ => {
                    return Err(parser.invalid(
                        "the top level",
                        key,
                        Problem::Unknown {
                            allowed: "`[[github]]` and `[[coder]]` tables",
                        },
                    ));
                }
            }
        }
        parser.no_duplicate_targets(&config)?;
        Ok(config)
    }

    /// The configuration file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the state lives unless told otherwise: `.sealpost/` beside the file.
    pub fn default_state_dir(&self) -> PathBuf {
        self.path
            .parent()
            .unwrap_or(Path::new("."))
            .join(".sealpost")
    }

    /// Whether any `[[github]]` target is declared (a GitHub client is needed).
    pub fn has_github(&self) -> bool {
        !self.github.is_empty()
    }

    /// Whether any `[[coder]]` target is declared (a Coder client is needed).
    pub fn has_coder(&self) -> bool {
        !self.coder.is_empty()
    }

    /// How many secrets are declared, over every target.
    pub fn secret_count(&self) -> usize {
        self.github.iter().map(|t| t.secrets.len()).sum::<usize>()
            + self.coder.iter().map(|t| t.secrets.len()).sum::<usize>()
    }
}

/// " at line L, column C" for a parser error's span.
fn location(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let Some(span) = span else {
        return String::new();
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    format!(" (line {line}, column {column})")
}

struct Parser<'a> {
    path: &'a Path,
    folder: &'a Path,
}

const GITHUB_KEYS: &str = "`org`, `repo`, `environment`, `user`, `app`, `visibility`, \
                           `repositories` and `secrets`";
const CODER_KEYS: &str = "`user` and `secrets`";
const GITHUB_SOURCE_KEYS: &str = "one of `env`, `file` and `command`";
const CODER_SOURCE_KEYS: &str =
    "one of `env`, `file` and `command`, and `env_name`, `description`, `file_path`";

impl Parser<'_> {
    fn invalid(&self, table: &str, key: &str, problem: Problem) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.to_owned(),
            table: table.to_owned(),
            key: key.to_owned(),
            problem,
        }
    }

    fn tables<'v>(&self, value: &'v Value, key: &str) -> Result<Vec<&'v Table>, ConfigError> {
        let wrong = || {
            self.invalid(
                "the top level",
                key,
                Problem::WrongType {
                    expected: "an array of tables (`[[github]]`, `[[coder]]`)",
                },
            )
        };
        let Value::Array(items) = value else {
            return Err(wrong());
        };
        items
            .iter()
            .map(|item| item.as_table().ok_or_else(wrong))
            .collect()
    }

    fn string<'v>(&self, table: &str, key: &str, value: &'v Value) -> Result<&'v str, ConfigError> {
        value.as_str().ok_or_else(|| {
            self.invalid(
                table,
                key,
                Problem::WrongType {
                    expected: "a string",
                },
            )
        })
    }

    fn github(&self, index: usize, table: &Table) -> Result<GithubTarget, ConfigError> {
        let mut name = format!("[[github]] #{index}");
        for key in table.keys() {
            if !matches!(
                key.as_str(),
                "org"
                    | "repo"
                    | "environment"
                    | "user"
                    | "app"
                    | "visibility"
                    | "repositories"
                    | "secrets"
            ) {
                return Err(self.invalid(
                    &name,
                    key,
                    Problem::Unknown {
                        allowed: GITHUB_KEYS,
                    },
                ));
            }
        }
        let text = |name: &str, key: &str| -> Result<Option<&str>, ConfigError> {
            table
                .get(key)
                .map(|value| self.string(name, key, value))
                .transpose()
        };
        let org = text(&name, "org")?;
        let repo = text(&name, "repo")?;
        let environment = text(&name, "environment")?;
        let user = match table.get("user") {
            None => false,
            Some(Value::Boolean(user)) => *user,
            Some(_) => {
                return Err(self.invalid(&name, "user", Problem::WrongType { expected: "`true`" }));
            }
        };
        let app = self.app(&name, text(&name, "app")?)?;
        let scope = match (org, repo, user) {
            (Some(org), None, false) => {
                name = format!("{name} (org \"{org}\")");
                Scope::org(app.unwrap_or(App::Actions), org)
            }
            (None, Some(repo), false) => {
                name = format!("{name} (repo \"{repo}\")");
                let repo = self.repo_name(&name, "repo", repo)?;
                let repo = Repo::name(repo.owner, repo.name);
                match environment {
                    Some(environment) => Scope::environment(repo, environment),
                    None => Scope::repository(app.unwrap_or(App::Actions), repo),
                }
            }
            (None, None, true) => {
                name = format!("{name} (user)");
                Scope::user()
            }
            _ => {
                return Err(self.invalid(
                    &name,
                    "org",
                    Problem::ExactlyOne {
                        keys: "`org`, `repo` and `user = true`",
                    },
                ));
            }
        };
        if environment.is_some() && repo.is_none() {
            return Err(self.invalid(
                &name,
                "environment",
                Problem::NotHere {
                    why: "an environment belongs to a `repo`",
                },
            ));
        }
        if let Some(app) = app
            && app != scope.app()
        {
            return Err(self.invalid(
                &name,
                "app",
                Problem::Refused(format!(
                    "{scope} holds only {} secrets",
                    scope.app().as_str()
                )),
            ));
        }
        let repositories = self.repositories(&name, table.get("repositories"))?;
        let visibility = text(&name, "visibility")?;
        let access = self.access(&name, &scope, visibility, repositories)?;
        let secrets = self.secrets(&name, table, false)?;
        self.github_names(&name, &secrets)?;
        Ok(GithubTarget {
            table: name,
            scope,
            access,
            secrets,
        })
    }

    fn app(&self, name: &str, app: Option<&str>) -> Result<Option<App>, ConfigError> {
        app.map(|app| match app {
            "actions" => Ok(App::Actions),
            "codespaces" => Ok(App::Codespaces),
            "dependabot" => Ok(App::Dependabot),
            "agents" => Ok(App::Agents),
            _ => Err(Problem::Refused(format!(
                "`{app}` is not an app; use actions, codespaces, dependabot or agents"
            ))),
        })
        .transpose()
        .map_err(|problem| self.invalid(name, "app", problem))
    }

    fn repositories(
        &self,
        name: &str,
        value: Option<&Value>,
    ) -> Result<Option<Vec<RepoName>>, ConfigError> {
        Ok(match value {
            None => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|item| {
                        let text = self.string(name, "repositories", item)?;
                        self.repo_name(name, "repositories", text)
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Some(_) => {
                return Err(self.invalid(
                    name,
                    "repositories",
                    Problem::WrongType {
                        expected: "an array of \"owner/name\" strings",
                    },
                ));
            }
        })
    }

    /// GitHub's rules for names, and no two names GitHub takes for one secret.
    fn github_names(&self, name: &str, secrets: &[Declared]) -> Result<(), ConfigError> {
        let mut seen: HashMap<String, String> = HashMap::new();
        for secret in secrets {
            let table = format!("{name} secrets");
            SecretName::new(secret.name.as_str()).map_err(|err| {
                self.invalid(&table, &secret.name, Problem::Refused(err.to_string()))
            })?;
            if let Some(other) = seen.insert(secret.name.to_ascii_uppercase(), secret.name.clone())
            {
                return Err(self.invalid(
                    &table,
                    &secret.name,
                    Problem::Duplicate {
                        other: format!(
                            "`{other}` is the same secret to GitHub (names ignore case)"
                        ),
                    },
                ));
            }
        }
        Ok(())
    }

    /// Who may use the secrets of a GitHub target, from `visibility` and
    /// `repositories`.
    fn access(
        &self,
        name: &str,
        scope: &Scope,
        visibility: Option<&str>,
        repositories: Option<Vec<RepoName>>,
    ) -> Result<DeclaredAccess, ConfigError> {
        Ok(match (&scope, visibility, repositories) {
            (Scope::Org { .. }, Some("all"), None) => DeclaredAccess::All,
            (Scope::Org { .. }, Some("private"), None) => DeclaredAccess::Private,
            (Scope::Org { .. }, Some("selected"), repositories) => {
                DeclaredAccess::Selected(repositories.unwrap_or_default())
            }
            (Scope::Org { .. }, Some("all" | "private") | None, Some(_)) => {
                return Err(self.invalid(
                    name,
                    "repositories",
                    Problem::NotHere {
                        why: "an org target's repositories need `visibility = \"selected\"`",
                    },
                ));
            }
            (Scope::Org { .. }, Some(other), _) => {
                return Err(self.invalid(
                    name,
                    "visibility",
                    Problem::Refused(format!(
                        "`{other}` is not a visibility; use all, private or selected"
                    )),
                ));
            }
            (_, Some(_), _) => {
                return Err(self.invalid(
                    name,
                    "visibility",
                    Problem::NotHere {
                        why: "only org targets have a visibility",
                    },
                ));
            }
            (Scope::User, None, Some(repositories)) => DeclaredAccess::Repositories(repositories),
            (_, None, Some(_)) => {
                return Err(self.invalid(
                    name,
                    "repositories",
                    Problem::NotHere {
                        why: "only org targets (with `visibility = \"selected\"`) and user \
                          targets take repositories",
                    },
                ));
            }
            (_, None, None) => DeclaredAccess::Keep,
        })
    }

    fn coder(&self, index: usize, table: &Table) -> Result<CoderTarget, ConfigError> {
        let name = format!("[[coder]] #{index}");
        for key in table.keys() {
            if !matches!(key.as_str(), "user" | "secrets") {
                return Err(self.invalid(
                    &name,
                    key,
                    Problem::Unknown {
                        allowed: CODER_KEYS,
                    },
                ));
            }
        }
        let user_text = match table.get("user") {
            None => "me",
            Some(value) => self.string(&name, "user", value)?,
        };
        let user = if user_text == "me" {
            coder::User::Me
        } else {
            coder::User::name(user_text)
        };
        let name = format!("{name} (user \"{user_text}\")");
        let secrets = self.secrets(&name, table, true)?;
        for secret in &secrets {
            let table = format!("{name} secrets");
            let refuse = |err: sealpost_client::Error| {
                self.invalid(&table, &secret.name, Problem::Refused(err.to_string()))
            };
            coder::validate_secret_name(&secret.name).map_err(refuse)?;
            if let Some(env_name) = &secret.coder.env_name {
                coder::validate_env_name(&secret.name, env_name).map_err(refuse)?;
            }
            if let Some(file_path) = &secret.coder.file_path {
                coder::validate_file_path(&secret.name, file_path).map_err(refuse)?;
            }
        }
        Ok(CoderTarget {
            table: name,
            user,
            user_text: user_text.to_owned(),
            secrets,
        })
    }

    fn repo_name(&self, table: &str, key: &str, text: &str) -> Result<RepoName, ConfigError> {
        match text.parse::<Repo>() {
            Ok(Repo::Name { owner, name }) if text.trim() == text => Ok(RepoName { owner, name }),
            _ => Err(self.invalid(
                table,
                key,
                Problem::Refused(format!("`{text}` is not \"owner/name\"")),
            )),
        }
    }

    fn secrets(
        &self,
        name: &str,
        table: &Table,
        coder: bool,
    ) -> Result<Vec<Declared>, ConfigError> {
        let Some(secrets) = table.get("secrets") else {
            return Err(self.invalid(
                name,
                "secrets",
                Problem::Missing {
                    hint: "add a `secrets` table of NAME = { env | file | command }",
                },
            ));
        };
        let Value::Table(secrets) = secrets else {
            return Err(self.invalid(
                name,
                "secrets",
                Problem::WrongType {
                    expected: "a table of NAME = { env | file | command }",
                },
            ));
        };
        let table_name = format!("{name} secrets");
        secrets
            .iter()
            .map(|(secret, value)| self.declared(&table_name, secret, value, coder))
            .collect()
    }

    fn declared(
        &self,
        table: &str,
        secret: &str,
        value: &Value,
        coder: bool,
    ) -> Result<Declared, ConfigError> {
        let allowed = if coder {
            CODER_SOURCE_KEYS
        } else {
            GITHUB_SOURCE_KEYS
        };
        let Value::Table(fields) = value else {
            return Err(self.invalid(
                table,
                secret,
                Problem::WrongType {
                    expected: "an inline table: { env = \"VAR\" }, { file = \"path\" } or \
                               { command = [\"program\", \"arg\"] }",
                },
            ));
        };
        let key_of = |field: &str| format!("{secret}.{field}");
        let mut source = None;
        let mut extra = CoderFields::default();
        for (field, value) in fields {
            let text = || self.string(table, &key_of(field), value).map(str::to_owned);
            let new = match field.as_str() {
                "env" => Some(Source::Env(text()?)),
                "file" => {
                    let written = text()?;
                    let path = self.folder.join(&written);
                    Some(Source::File { written, path })
                }
                "command" => {
                    let argv = value
                        .as_array()
                        .and_then(|items| {
                            items
                                .iter()
                                .map(|item| item.as_str().map(str::to_owned))
                                .collect::<Option<Vec<_>>>()
                        })
                        .filter(|argv| !argv.is_empty())
                        .ok_or_else(|| {
                            self.invalid(
                                table,
                                &key_of(field),
                                Problem::WrongType {
                                    expected: "a non-empty array of strings: [\"program\", \"arg\", ...]",
                                },
                            )
                        })?;
                    Some(Source::Command(argv))
                }
                "env_name" if coder => {
                    extra.env_name = Some(text()?);
                    None
                }
                "description" if coder => {
                    extra.description = Some(text()?);
                    None
                }
                "file_path" if coder => {
                    extra.file_path = Some(text()?);
                    None
                }
                _ => return Err(self.invalid(table, &key_of(field), Problem::Unknown { allowed })),
            };
            if let Some(new) = new
                && source.replace(new).is_some()
            {
                return Err(self.invalid(
                    table,
                    secret,
                    Problem::ExactlyOne {
                        keys: "`env`, `file` and `command`",
                    },
                ));
            }
        }
        let source = source.ok_or_else(|| {
            self.invalid(
                table,
                secret,
                Problem::ExactlyOne {
                    keys: "`env`, `file` and `command`",
                },
            )
        })?;
        Ok(Declared {
            name: secret.to_owned(),
            source,
            coder: extra,
        })
    }

    fn no_duplicate_targets(&self, config: &Config) -> Result<(), ConfigError> {
        let mut seen: HashMap<String, &str> = HashMap::new();
        let keys = config
            .github
            .iter()
            .map(|t| (crate::target_key_github(&t.scope), t.table.as_str()))
            .chain(
                config
                    .coder
                    .iter()
                    .map(|t| (crate::target_key_coder(&t.user_text), t.table.as_str())),
            );
        for (key, table) in keys {
            if let Some(other) = seen.insert(key, table) {
                return Err(self.invalid(
                    table,
                    "(target)",
                    Problem::Duplicate {
                        other: format!("{other} is the same target; merge their secrets"),
                    },
                ));
            }
        }
        Ok(())
    }
}
