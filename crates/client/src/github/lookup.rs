//! Looking up a repository by owner and name: `GET /repos/{owner}/{repo}`, for the
//! numeric id that repository access lists and `/repositories/{id}/...` paths take.

use reqwest::Method;

use super::client::Client;
use super::name::check_account;
use super::types::RepositoryId;
use super::wire::Repository;
use crate::transport::Request;
use crate::{Context, Error, Operation, Service};

impl Client {
    /// The repository `owner/name`: its id, name and full name.
    ///
    /// Secrets of users and organizations are shared with repositories by id
    /// ([`Visibility::Selected`](super::Visibility::Selected),
    /// [`PutSecret::repositories`](super::PutSecret::repositories)); this
    /// finds the id of a repository known by name. GitHub follows renames and
    /// transfers: the answer names the repository as it is called now.
    ///
    /// ```no_run
    /// use sealpost_client::github::{App, Visibility};
    ///
    /// # async fn run(gh: sealpost_client::github::Client) -> Result<(), sealpost_client::Error> {
    /// let hello = gh.repository("octo", "hello").await?;
    /// gh.org_secret(App::Actions, "octo", "NPM_TOKEN").visibility(Visibility::selected([hello.id]))
    ///     .value("s3cr3t")
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty owner or name, or one holding `/`, before
    /// any request; [`Error::is_not_found`] when there is no such repository or the
    /// token may not see it; the network errors of [`Error`].
    pub async fn repository(&self, owner: &str, name: &str) -> Result<Repository, Error> {
        check_account("repository owner", owner)?;
        check_account("repository name", name)?;
        let url = self.transport().url(&["repos", owner, name])?;
        let context = Context::new(
            Service::GitHub,
            Operation::GetRepository,
            format!("repository `{owner}/{name}`"),
        );
        let request = Request::new(Method::GET, url, context);
        let response = self.transport().send(&request).await?;
        response.json(request.context())
    }

    /// The repository with id `id`: `GET /repositories/{id}`, for its owner and name.
    ///
    /// # Errors
    ///
    /// [`Error::is_not_found`] when there is no such repository or the token may not
    /// see it; the network errors of [`Error`].
    pub async fn repository_by_id(&self, id: RepositoryId) -> Result<Repository, Error> {
        let text = id.to_string();
        let url = self.transport().url(&["repositories", &text])?;
        let context = Context::new(
            Service::GitHub,
            Operation::GetRepository,
            format!("repository #{id}"),
        );
        let request = Request::new(Method::GET, url, context);
        let response = self.transport().send(&request).await?;
        response.json(request.context())
    }
}
