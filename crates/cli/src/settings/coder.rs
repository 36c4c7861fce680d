//! `sealpost coder secrets ...`: the connection (URL, session token, retries), whose
//! secrets, and what each command does with them.

use std::env;
use std::ffi::OsString;

use sealpost_client::RetryPolicy;
use sealpost_client::coder::User;
use secrecy::{ExposeSecret as _, SecretString};

use super::{OutputFormat, Plaintext};
use crate::cli::{CODER_TOKEN_ENV, CoderArgs, CoderCommand, CoderSecretsCommand};
use crate::error::Error;

/// A `coder` command, ready to run.
pub(crate) struct CoderSettings {
    /// How to reach the deployment.
    pub(crate) connection: CoderConnection,
    /// Whose secrets.
    pub(crate) user: User,
    /// What to do with them.
    pub(crate) task: CoderTask,
}

/// How to reach a Coder deployment.
pub(crate) struct CoderConnection {
    /// The deployment's URL.
    pub(crate) url: String,
    /// The session token, from `CODER_SESSION_TOKEN`.
    pub(crate) token: SecretString,
    /// When failed requests are tried again.
    pub(crate) retry: RetryPolicy,
}

/// What a `coder secrets` command does.
pub(crate) enum CoderTask {
    /// `create NAME`.
    Create(CreateSettings),
    /// `list`.
    List {
        /// Lines or JSON.
        format: OutputFormat,
    },
    /// `get NAME`.
    Get {
        /// The secret's name.
        name: String,
        /// Lines or JSON.
        format: OutputFormat,
    },
    /// `update NAME`.
    Update(UpdateSettings),
    /// `delete NAME`.
    Delete {
        /// The secret's name.
        name: String,
    },
}

/// `coder secrets create NAME`.
pub(crate) struct CreateSettings {
    /// The secret's name.
    pub(crate) name: String,
    /// Where the value comes from.
    pub(crate) value: Plaintext,
    /// `--description`.
    pub(crate) description: Option<String>,
    /// `--env-name`.
    pub(crate) env_name: Option<String>,
    /// `--file-path`.
    pub(crate) file_path: Option<String>,
    /// A sentence or JSON.
    pub(crate) format: OutputFormat,
}

/// `coder secrets update NAME`.
pub(crate) struct UpdateSettings {
    /// The secret's name.
    pub(crate) name: String,
    /// A new value, if one is given, and where it comes from.
    pub(crate) value: Option<Plaintext>,
    /// `--description`.
    pub(crate) description: Option<String>,
    /// `--env-name`.
    pub(crate) env_name: Option<String>,
    /// `--file-path`.
    pub(crate) file_path: Option<String>,
    /// A sentence or JSON.
    pub(crate) format: OutputFormat,
}

impl CoderSettings {
    /// Resolves a `coder` command line; the session token comes from the environment.
    pub(crate) fn resolve(args: CoderArgs, retry: RetryPolicy) -> Result<Self, Error> {
        let CoderCommand::Secrets(command) = args.command;
        let (user, task) = match command {
            CoderSecretsCommand::Create(create) => (
                create.user.user,
                CoderTask::Create(CreateSettings {
                    name: create.name,
                    value: create.value.map_or(Plaintext::Stdin, Plaintext::Given),
                    description: create.description,
                    env_name: create.env_name,
                    file_path: create.file_path,
                    format: OutputFormat::from_json_flag(create.json),
                }),
            ),
            CoderSecretsCommand::List(list) => (
                list.user.user,
                CoderTask::List {
                    format: OutputFormat::from_json_flag(list.json),
                },
            ),
            CoderSecretsCommand::Get(get) => (
                get.user.user,
                CoderTask::Get {
                    name: get.name,
                    format: OutputFormat::from_json_flag(get.json),
                },
            ),
            CoderSecretsCommand::Update(update) => {
                let value = match (update.value, update.value_stdin) {
                    (Some(value), _) => Some(Plaintext::Given(value)),
                    (None, true) => Some(Plaintext::Stdin),
                    (None, false) => None,
                };
                (
                    update.user.user,
                    CoderTask::Update(UpdateSettings {
                        name: update.name,
                        value,
                        description: update.description,
                        env_name: update.env_name,
                        file_path: update.file_path,
                        format: OutputFormat::from_json_flag(update.json),
                    }),
                )
            }
            CoderSecretsCommand::Delete(delete) => {
                (delete.user.user, CoderTask::Delete { name: delete.name })
            }
        };
        let url = args.url.ok_or(Error::MissingCoderUrl)?;
        let token = token_from(|name| env::var_os(name))?;
        Ok(CoderSettings {
            connection: CoderConnection { url, token, retry },
            user: User::from(user),
            task,
        })
    }
}

impl CoderConnection {
    /// How to reach the deployment at `url` (`CODER_URL`), with the session token of
    /// the environment (as every `coder` command takes it).
    pub(crate) fn from_env(url: Option<String>, retry: RetryPolicy) -> Result<Self, Error> {
        let url = url.ok_or(Error::MissingCoderUrl)?;
        let token = token_from(|name| env::var_os(name))?;
        Ok(CoderConnection { url, token, retry })
    }
}

/// The session token from `CODER_SESSION_TOKEN`, if it is set and not blank.
fn token_from(var: impl Fn(&str) -> Option<OsString>) -> Result<SecretString, Error> {
    let missing = Error::MissingToken {
        service: "Coder session",
        variables: CODER_TOKEN_ENV,
    };
    let value = var(CODER_TOKEN_ENV).ok_or(missing)?;
    let value = value.into_string().map_err(|_| Error::TokenNotUnicode {
        variable: CODER_TOKEN_ENV,
    })?;
    let value = SecretString::from(value);
    if value.expose_secret().trim().is_empty() {
        return Err(Error::MissingToken {
            service: "Coder session",
            variables: CODER_TOKEN_ENV,
        });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_tokens_are_missing() {
        let token = |value: Option<&str>| token_from(|_| value.map(OsString::from));
        assert_eq!(token(Some("t0k3n")).unwrap().expose_secret(), "t0k3n");
        for value in [None, Some(""), Some(" \n")] {
            assert!(
                matches!(token(value), Err(Error::MissingToken { .. })),
                "{value:?}"
            );
        }
    }
}
