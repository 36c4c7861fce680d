//! From the access the flags ask for to the client's [`Access`], looking up the
//! repositories given by name.

use sealpost_client::github::{Access, Client, Repo, RepositoryId, Visibility};

use crate::cli::VisibilityArg;
use crate::error::Error;
use crate::settings::AccessRequest;

/// The access to store with, or `None` to keep what an existing secret has.
/// Repositories given by name are looked up first (one request each), so an unknown
/// one fails before any upload.
pub(super) async fn access(
    client: &Client,
    request: &AccessRequest,
) -> Result<Option<Access>, Error> {
    Ok(match request {
        AccessRequest::Keep => None,
        AccessRequest::Visibility(visibility, repos) => Some(Access::Visibility(
            visibility_of(client, *visibility, repos).await?,
        )),
        AccessRequest::Repositories(repos) => {
            Some(Access::Repositories(repository_ids(client, repos).await?))
        }
    })
}

/// The visibility `--visibility` and `--repos` name.
pub(super) async fn visibility_of(
    client: &Client,
    visibility: VisibilityArg,
    repos: &[Repo],
) -> Result<Visibility, Error> {
    Ok(match visibility {
        VisibilityArg::All => Visibility::All,
        VisibilityArg::Private => Visibility::Private,
        VisibilityArg::Selected => Visibility::Selected(repository_ids(client, repos).await?),
    })
}

/// The ids of `repos`, looking up those given by name.
pub(super) async fn repository_ids(
    client: &Client,
    repos: &[Repo],
) -> Result<Vec<RepositoryId>, Error> {
    let mut ids = Vec::with_capacity(repos.len());
    for repo in repos {
        ids.push(match repo {
            Repo::Id(id) => *id,
            Repo::Name { owner, name } => client.repository(owner, name).await?.id,
        });
    }
    Ok(ids)
}
