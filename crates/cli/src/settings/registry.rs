//! `sealpost github registry ...`: an organization's Dependabot private registries,
//! resolved from the flags (the connection is resolved as for every `github` command).

use sealpost_client::github::{RegistryType, Repo};
use secrecy::SecretString;

use super::{OutputFormat, Plaintext};
use crate::cli::{GithubRegistryCommand, VisibilityArg};
use crate::error::Error;

/// What a `github registry` command does.
pub(crate) enum RegistryTask {
    /// `registry set [NAME]`.
    Set(RegistrySetSettings),
    /// `registry list`.
    List {
        /// The organization.
        org: String,
        /// Lines or JSON.
        format: OutputFormat,
    },
    /// `registry delete NAME`.
    Delete {
        /// The organization.
        org: String,
        /// The registry's name.
        name: String,
    },
}

/// `registry set [NAME]`.
pub(crate) struct RegistrySetSettings {
    /// The registry to update; `None` to find it by type and URL, or create it.
    pub(crate) name: Option<String>,
    /// The organization.
    pub(crate) org: String,
    /// The kind of registry.
    pub(crate) registry_type: RegistryType,
    /// Its URL.
    pub(crate) url: String,
    /// The user name of user name and password sign-in; `None` for a token.
    pub(crate) username: Option<String>,
    /// Where the token or password comes from.
    pub(crate) value: Plaintext,
    /// `--visibility` (with the `--repos` for `selected`), if given.
    pub(crate) visibility: Option<(VisibilityArg, Vec<Repo>)>,
    /// `--replaces-base`.
    pub(crate) replaces_base: bool,
}

impl RegistryTask {
    /// Resolves a `github registry` command line.
    pub(crate) fn resolve(command: GithubRegistryCommand) -> Result<Self, Error> {
        Ok(match command {
            GithubRegistryCommand::Set(args) => {
                let registry_type = args.registry_type.parse::<RegistryType>()?;
                let repos = args
                    .repos
                    .map(|repos| super::github::repositories("--repos", &repos))
                    .transpose()?;
                let visibility = match (args.visibility, repos) {
                    (Some(VisibilityArg::All | VisibilityArg::Private), Some(_)) => {
                        return Err(Error::ReposNeedSelected);
                    }
                    (None | Some(VisibilityArg::Selected), Some(repos)) => {
                        Some((VisibilityArg::Selected, repos))
                    }
                    (Some(visibility), None) => Some((visibility, Vec::new())),
                    (None, None) => None,
                };
                RegistryTask::Set(RegistrySetSettings {
                    name: args.name,
                    org: args.org,
                    registry_type,
                    url: args.url,
                    username: args.username,
                    value: args.body.map_or(Plaintext::Stdin, |body: SecretString| {
                        Plaintext::Given(body)
                    }),
                    visibility,
                    replaces_base: args.replaces_base,
                })
            }
            GithubRegistryCommand::List(args) => RegistryTask::List {
                org: args.org,
                format: OutputFormat::from_json_flag(args.json),
            },
            GithubRegistryCommand::Delete(args) => RegistryTask::Delete {
                org: args.org,
                name: args.name,
            },
        })
    }
}
