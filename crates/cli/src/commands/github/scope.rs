//! From a [`Scope`] to the client's handler of its secrets, and to a [`SecretStore`]
//! that stores with the access `--visibility` and `--repos` ask for.

use sealpost_client::SecretStore;
use sealpost_client::github::{Client, Repo, RepositoryId, Secret, SecretsPublicKey, Visibility};

use crate::error::Error;
use crate::settings::{Scope, Sharing};

/// Runs `$body` with `$handler` bound to the client's handler of `$scope`'s secrets.
/// (A macro: each scope's handler is a different type.)
macro_rules! with_handler {
    ($client:expr, $scope:expr, |$handler:ident| $body:expr) => {
        match $scope {
            Scope::User => {
                let $handler = $client.user_codespaces_secrets();
                $body
            }
            Scope::Org { app, org } => {
                let $handler = $client.org_secrets(*app, org.as_str());
                $body
            }
            Scope::Repository { app, owner, name } => {
                let $handler = $client.repository_secrets(*app, owner.as_str(), name.as_str());
                $body
            }
            Scope::Environment { repo, environment } => {
                let $handler = $client.environment_secrets(repo.clone(), environment.as_str());
                $body
            }
        }
    };
}

/// The scope in words, as the client says it: "repository `octo/hello` (actions)".
pub(super) fn describe(client: &Client, scope: &Scope) -> String {
    with_handler!(client, scope, |secrets| secrets.describe())
}

/// The public key values stored in `scope` are sealed to.
pub(super) async fn public_key(client: &Client, scope: &Scope) -> Result<SecretsPublicKey, Error> {
    Ok(with_handler!(client, scope, |secrets| secrets
        .public_key()
        .await)?)
}

/// Every secret of `scope`.
pub(super) async fn list(client: &Client, scope: &Scope) -> Result<Vec<Secret>, Error> {
    Ok(with_handler!(client, scope, |secrets| secrets
        .list()
        .await)?)
}

/// Deletes secret `name` of `scope`.
pub(super) async fn delete(client: &Client, scope: &Scope, name: &str) -> Result<(), Error> {
    Ok(with_handler!(client, scope, |secrets| secrets
        .delete(name)
        .await)?)
}

/// A store that puts secrets in `scope` with `sharing`. Repositories given by name are
/// looked up first (one request each), so an unknown one fails before any upload.
pub(super) async fn store(
    client: &Client,
    scope: &Scope,
    sharing: &Sharing,
) -> Result<Box<dyn SecretStore>, Error> {
    Ok(match (scope, sharing) {
        (Scope::User, Sharing::UserRepositories(repos)) => Box::new(
            client
                .user_codespaces_secrets()
                .with_repositories(repository_ids(client, repos).await?),
        ),
        (Scope::Org { app, org }, sharing) => {
            let visibility = match sharing {
                Sharing::OrgAll => Visibility::All,
                Sharing::OrgSelected(repos) => {
                    Visibility::Selected(repository_ids(client, repos).await?)
                }
                // Settings give organizations one of the three; private is GitHub's
                // default too.
                _ => Visibility::Private,
            };
            Box::new(
                client
                    .org_secrets(*app, org.as_str())
                    .with_visibility(visibility),
            )
        }
        (Scope::User, _) => Box::new(client.user_codespaces_secrets()),
        (Scope::Repository { app, owner, name }, _) => {
            Box::new(client.repository_secrets(*app, owner.as_str(), name.as_str()))
        }
        (Scope::Environment { repo, environment }, _) => {
            Box::new(client.environment_secrets(repo.clone(), environment.as_str()))
        }
    })
}

/// The ids of `repos`, looking up those given by name.
async fn repository_ids(client: &Client, repos: &[Repo]) -> Result<Vec<RepositoryId>, Error> {
    let mut ids = Vec::with_capacity(repos.len());
    for repo in repos {
        ids.push(match repo {
            Repo::Id(id) => *id,
            Repo::Name { owner, name } => client.repository(owner, name).await?.id,
        });
    }
    Ok(ids)
}
