//! Store a secret of a repository's deployment environment, for GitHub Actions jobs
//! that deploy to it (`PUT /repos/{owner}/{repo}/environments/{environment}/secrets/{name}`).
//!
//! Needs, in the environment:
//!
//! - `GH_TOKEN` (or `GITHUB_TOKEN`): a token that may manage the repository's
//!   environments: a classic token with the `repo` scope, or a fine-grained one with
//!   the repository permission "Environments" set to write.
//! - `GITHUB_REPOSITORY`: the repository as `owner/name` (GitHub Actions sets it), or
//!   `GITHUB_REPOSITORY_ID`: its numeric id, which survives renames.
//! - `DEPLOY_ENVIRONMENT`: the environment's name, e.g. `production`.
//! - `SECRET_NAME`, `SECRET_VALUE`: the secret; the value is sealed on this machine.
//!
//! Optional: `GITHUB_API_URL` for GitHub Enterprise Server (`https://HOST/api/v3`).
//!
//! ```sh
//! GH_TOKEN=ghp_... GITHUB_REPOSITORY=octocat/hello-world DEPLOY_ENVIRONMENT=production \
//!     SECRET_NAME=DATABASE_URL SECRET_VALUE=postgres://... cargo run --example environment_secret
//! ```

mod common;

use std::error::Error;
use std::process::ExitCode;

use sealpost::client::github::Repo;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    common::finish(run().await)
}

async fn run() -> Result<String, Box<dyn Error>> {
    let repo = if let Some(id) = common::optional("GITHUB_REPOSITORY_ID") {
        let id: u64 = id
            .parse()
            .map_err(|_| format!("GITHUB_REPOSITORY_ID is `{id}`, not a number"))?;
        Repo::id(id)
    } else {
        let full_name = common::required(
            "GITHUB_REPOSITORY",
            "the repository as owner/name (or set GITHUB_REPOSITORY_ID)",
        )?;
        let (owner, name) = full_name
            .split_once('/')
            .ok_or_else(|| format!("GITHUB_REPOSITORY is `{full_name}`, not owner/name"))?;
        Repo::name(owner, name)
    };
    let environment = common::required("DEPLOY_ENVIRONMENT", "the environment, e.g. production")?;
    let name = common::required("SECRET_NAME", "the name of the secret to store")?;
    let value = common::required("SECRET_VALUE", "the value to store")?;
    let gh = common::github_client()?;

    // Repository, environment, name and value are all required. `send` exists only once
    // `value` (or `with_sealed`) was given: forgetting the value does not compile.
    let outcome = gh
        .environment_secret(repo.clone(), &environment, &name)
        .value(value)
        .send()
        .await?;
    Ok(format!(
        "{outcome:?}: secret {name} of environment {environment} of repository {repo}"
    ))
}
