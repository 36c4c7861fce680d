//! The words of GitHub's secrets API: which app, which repository, who may use a
//! secret.

use std::fmt;

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, InputProblem};

/// The GitHub product a secret belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum App {
    /// GitHub Actions: workflows read the secret.
    Actions,
    /// GitHub Codespaces: the secret is an environment variable of the codespace.
    Codespaces,
    /// Dependabot: the secret authenticates to private registries.
    Dependabot,
    /// Copilot coding agent (`agents`): the agent's environment reads the secret.
    /// Organization and repository secrets only, on github.com only (GitHub
    /// Enterprise Server has none). GitHub documents these endpoints under API version
    /// [`AGENTS_API_VERSION`](super::AGENTS_API_VERSION), which the client sends for
    /// them. An organization secret's visibility changes only with its value: see
    /// [`ExistingSecret::set_visibility`](super::ExistingSecret::set_visibility).
    Agents,
}

impl App {
    /// The app as it appears in API paths: `actions`, `codespaces`, `dependabot`,
    /// `agents`.
    pub fn as_str(self) -> &'static str {
        match self {
            App::Actions => "actions",
            App::Codespaces => "codespaces",
            App::Dependabot => "dependabot",
            App::Agents => "agents",
        }
    }

    /// Whether GitHub Enterprise Server has this app's secrets: Codespaces and Agents
    /// secrets exist only on github.com.
    pub fn on_enterprise_server(self) -> bool {
        !matches!(self, App::Codespaces | App::Agents)
    }

    /// Whether a repository can list the organization secrets of this app it may use
    /// (`GET /repos/{owner}/{repo}/{app}/organization-secrets`): Actions and Agents.
    pub fn lists_organization_secrets(self) -> bool {
        matches!(self, App::Actions | App::Agents)
    }
}

impl fmt::Display for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A repository's numeric id (`id` in the REST API, `databaseId` in GraphQL), which,
/// unlike its name, survives renames and transfers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RepositoryId(pub u64);

impl From<u64> for RepositoryId {
    fn from(id: u64) -> Self {
        RepositoryId(id)
    }
}

impl fmt::Display for RepositoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A repository, by id or by owner and name.
///
/// ```
/// use sealpost_client::github::Repo;
///
/// let by_id = Repo::id(1296269);
/// let by_name = Repo::name("octocat", "Hello-World");
/// assert_eq!(by_name.to_string(), "octocat/Hello-World");
/// # let _ = by_id;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Repo {
    /// By id: `/repositories/{id}/...`.
    Id(RepositoryId),
    /// By owner and name: `/repos/{owner}/{name}/...`.
    Name {
        /// The user or organization that owns the repository.
        owner: String,
        /// The repository's name, without the owner.
        name: String,
    },
}

impl Repo {
    /// A repository by its id.
    pub fn id(id: impl Into<RepositoryId>) -> Self {
        Repo::Id(id.into())
    }

    /// A repository by its owner and name.
    pub fn name(owner: impl Into<String>, name: impl Into<String>) -> Self {
        Repo::Name {
            owner: owner.into(),
            name: name.into(),
        }
    }
}

/// `OWNER/NAME`, or a numeric id; blanks around the text are ignored.
///
/// ```
/// use sealpost_client::github::Repo;
///
/// assert_eq!("octo/hello".parse::<Repo>()?, Repo::name("octo", "hello"));
/// assert_eq!(" 1296269 ".parse::<Repo>()?, Repo::id(1296269));
/// assert!("octo".parse::<Repo>().is_err());
/// # Ok::<(), sealpost_client::Error>(())
/// ```
impl FromStr for Repo {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        if let Ok(id) = text.parse::<u64>() {
            return Ok(Repo::Id(RepositoryId(id)));
        }
        let valid = |part: &str| !part.is_empty() && !part.contains('/') && part.trim() == part;
        match text.split_once('/') {
            Some((owner, name)) if valid(owner) && valid(name) => Ok(Repo::name(owner, name)),
            _ => Err(Error::InvalidInput {
                what: "repository",
                problem: InputProblem::NotARepository {
                    given: text.to_owned(),
                },
            }),
        }
    }
}

impl From<RepositoryId> for Repo {
    fn from(id: RepositoryId) -> Self {
        Repo::Id(id)
    }
}

impl fmt::Display for Repo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Repo::Id(id) => write!(f, "#{id}"),
            Repo::Name { owner, name } => write!(f, "{owner}/{name}"),
        }
    }
}

/// Which repositories of an organization may use an organization secret: `Visibility`
/// is what is sent, [`VisibilityKind`] what GitHub reports.
///
/// The repositories are part of the `Selected` variant, so "selected repositories
/// without `selected` visibility" cannot be written.
///
/// ```
/// use sealpost_client::github::Visibility;
///
/// let only_two = Visibility::selected([1296269, 1296270]);
/// assert_eq!(only_two.as_str(), "selected");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Every repository of the organization.
    All,
    /// The organization's private and internal repositories.
    Private,
    /// Only these repositories (possibly none, for now).
    Selected(Vec<RepositoryId>),
}

impl Visibility {
    /// Only the repositories given.
    pub fn selected<I>(ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<RepositoryId>,
    {
        Visibility::Selected(ids.into_iter().map(Into::into).collect())
    }

    /// The visibility as the API spells it: `all`, `private` or `selected`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Visibility::All => "all",
            Visibility::Private => "private",
            Visibility::Selected(_) => "selected",
        }
    }

    /// The repositories of `Selected`.
    pub fn repositories(&self) -> Option<&[RepositoryId]> {
        match self {
            Visibility::Selected(ids) => Some(ids),
            Visibility::All | Visibility::Private => None,
        }
    }
}

/// The visibility GitHub reports for a stored secret (listings do not include the
/// selected repositories; ask for them with `repositories`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum VisibilityKind {
    /// Every repository.
    All,
    /// Private and internal repositories.
    Private,
    /// Selected repositories.
    Selected,
    /// A value this version of the crate does not know.
    #[serde(other)]
    Other,
}
