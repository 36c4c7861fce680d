//! Where a secret lives: the part of the path before `/secrets`, and words for errors.

use std::fmt;

use super::names::{check_account, check_segment};
use super::types::{App, Repo};
use crate::Error;

/// One place GitHub keeps secrets; secrets in one scope are sealed to one public key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Scope {
    /// The authenticated user's Codespaces secrets.
    User,
    /// An organization's secrets for one app.
    Org { app: App, org: String },
    /// A repository's secrets for one app.
    Repo {
        app: App,
        owner: String,
        repo: String,
    },
    /// An environment's (Actions) secrets.
    Environment { repo: Repo, environment: String },
}

impl Scope {
    /// Checks the names in the scope, before anything is sent.
    pub(crate) fn check(&self) -> Result<(), Error> {
        match self {
            Scope::User => Ok(()),
            Scope::Org { org, .. } => check_account("organization name", org),
            Scope::Repo { owner, repo, .. } => {
                check_account("repository owner", owner)?;
                check_account("repository name", repo)
            }
            Scope::Environment { repo, environment } => {
                if let Repo::Name { owner, name } = repo {
                    check_account("repository owner", owner)?;
                    check_account("repository name", name)?;
                }
                check_segment("environment name", environment)
            }
        }
    }

    /// The path segments up to and including `secrets`.
    pub(crate) fn segments(&self) -> Vec<String> {
        let owned = |parts: &[&str]| parts.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        match self {
            Scope::User => owned(&["user", "codespaces", "secrets"]),
            Scope::Org { app, org } => owned(&["orgs", org, app.as_str(), "secrets"]),
            Scope::Repo { app, owner, repo } => {
                owned(&["repos", owner, repo, app.as_str(), "secrets"])
            }
            Scope::Environment { repo, environment } => {
                let mut segments = match repo {
                    Repo::Id(id) => vec!["repositories".to_owned(), id.to_string()],
                    Repo::Name { owner, name } => {
                        vec!["repos".to_owned(), owner.clone(), name.clone()]
                    }
                };
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
            Scope::Repo { app, owner, repo } => write!(f, "repository `{owner}/{repo}` ({app})"),
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

    #[test]
    fn paths() {
        let env = Scope::Environment {
            repo: Repo::id(1_296_269),
            environment: "production".into(),
        };
        assert_eq!(
            env.segments(),
            [
                "repositories",
                "1296269",
                "environments",
                "production",
                "secrets"
            ]
        );
        let org = Scope::Org {
            app: App::Dependabot,
            org: "acme".into(),
        };
        assert_eq!(org.segments(), ["orgs", "acme", "dependabot", "secrets"]);
        assert_eq!(org.to_string(), "organization `acme` (dependabot)");
    }

    #[test]
    fn bad_names_in_scopes() {
        let bad_org = Scope::Org {
            app: App::Actions,
            org: String::new(),
        };
        assert!(matches!(
            bad_org.check(),
            Err(Error::InvalidInput {
                what: "organization name",
                ..
            })
        ));
        let bad_env = Scope::Environment {
            repo: Repo::name("o", "r"),
            environment: "..".into(),
        };
        assert!(matches!(
            bad_env.check(),
            Err(Error::InvalidInput {
                what: "environment name",
                ..
            })
        ));
    }
}
