//! Which GitHub App installation a request needs, read from the request's path.

use std::fmt;

use percent_encoding::percent_decode_str;
use url::Url;

/// What a request's path says about the installation that may make it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    /// `/orgs/{org}/...`: the installation on the organization.
    Org(String),
    /// `/repos/{owner}/{repo}/...`: the installation that covers the repository.
    Repo { owner: String, repo: String },
    /// `/user/...`: the authenticated user's own resources, which an installation
    /// token cannot reach.
    User,
    /// Anything else (`/repositories/{id}/...`): the installation cannot be looked up.
    Unknown(String),
}

impl Target {
    /// The target of a request to `url` on an API whose base URL is `base`. Logins
    /// and repository names are compared without case, as GitHub does, so they are
    /// kept in lower case.
    pub(crate) fn of(base: &Url, url: &Url) -> Target {
        let base_path = base.path().trim_end_matches('/');
        let path = url.path().strip_prefix(base_path).unwrap_or(url.path());
        let segments: Vec<String> = path
            .split('/')
            .filter(|segment| !segment.is_empty())
            .map(|segment| {
                percent_decode_str(segment)
                    .decode_utf8_lossy()
                    .to_lowercase()
            })
            .collect();
        match segments.as_slice() {
            [first, org, ..] if first == "orgs" => Target::Org(org.clone()),
            [first, owner, repo, ..] if first == "repos" => Target::Repo {
                owner: owner.clone(),
                repo: repo.clone(),
            },
            [first, ..] if first == "user" => Target::User,
            [first, id, ..] if first == "repositories" => {
                Target::Unknown(format!("repository id {id}"))
            }
            _ => Target::Unknown(format!("`{}`", url.path())),
        }
    }

    /// The path segments of the installation lookup, if there is one.
    pub(crate) fn lookup_segments(&self) -> Option<Vec<&str>> {
        match self {
            Target::Org(org) => Some(vec!["orgs", org, "installation"]),
            Target::Repo { owner, repo } => Some(vec!["repos", owner, repo, "installation"]),
            Target::User | Target::Unknown(_) => None,
        }
    }
}

/// Words for messages: "organization `acme`".
impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Org(org) => write!(f, "organization `{org}`"),
            Target::Repo { owner, repo } => write!(f, "repository `{owner}/{repo}`"),
            Target::User => f.write_str("the authenticated user's secrets"),
            Target::Unknown(what) => f.write_str(what),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(base: &str, url: &str) -> Target {
        Target::of(&Url::parse(base).unwrap(), &Url::parse(url).unwrap())
    }

    #[test]
    fn targets_of_paths() {
        let api = "https://api.github.com";
        assert_eq!(
            target(
                api,
                "https://api.github.com/orgs/Acme/actions/secrets/public-key"
            ),
            Target::Org("acme".into())
        );
        assert_eq!(
            target(
                "https://ghe.example.com/api/v3/",
                "https://ghe.example.com/api/v3/repos/Octo/hello%2Eworld/environments/p/secrets"
            ),
            Target::Repo {
                owner: "octo".into(),
                repo: "hello.world".into()
            }
        );
        assert_eq!(
            target(api, "https://api.github.com/repos/octo/hello"),
            Target::Repo {
                owner: "octo".into(),
                repo: "hello".into()
            }
        );
        assert_eq!(
            target(api, "https://api.github.com/user/codespaces/secrets"),
            Target::User
        );
        assert_eq!(
            target(
                api,
                "https://api.github.com/repositories/42/environments/e/secrets"
            ),
            Target::Unknown("repository id 42".into())
        );
    }
}
