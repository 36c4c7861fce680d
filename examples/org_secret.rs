//! Store an organization secret of GitHub Actions, Codespaces or Dependabot
//! (`PUT /orgs/{org}/{app}/secrets/{name}`).
//!
//! Needs, in the environment:
//!
//! - `GH_TOKEN` (or `GITHUB_TOKEN`): a token that may manage the organization's
//!   secrets: a classic token with the `admin:org` scope, or a fine-grained one with
//!   the organization permission "Secrets" (or "Codespaces secrets", "Dependabot
//!   secrets") set to write.
//! - `GITHUB_ORG`: the organization's login.
//! - `SECRET_NAME`, `SECRET_VALUE`: the secret; the value is sealed on this machine.
//!
//! Optional: `SECRET_APP` (`actions`, the default, `codespaces` or `dependabot`);
//! `SECRET_VISIBILITY` (`private`, the default: private and internal repositories;
//! `all`; or `selected`, which takes the comma-separated `REPOSITORY_IDS`);
//! `GITHUB_API_URL` for GitHub Enterprise Server (`https://HOST/api/v3`).
//!
//! ```sh
//! GH_TOKEN=ghp_... GITHUB_ORG=acme SECRET_NAME=DEPLOY_KEY SECRET_VALUE=... \
//!     SECRET_VISIBILITY=selected REPOSITORY_IDS=1296269,1296270 cargo run --example org_secret
//! ```

mod common;

use std::error::Error;
use std::process::ExitCode;

use sealpost::client::github::{App, Visibility};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    common::finish(run().await)
}

async fn run() -> Result<String, Box<dyn Error>> {
    let org = common::required("GITHUB_ORG", "the organization that keeps the secret")?;
    let name = common::required("SECRET_NAME", "the name of the secret to store")?;
    let value = common::required("SECRET_VALUE", "the value to store")?;
    let app = match common::optional("SECRET_APP").as_deref() {
        None | Some("actions") => App::Actions,
        Some("codespaces") => App::Codespaces,
        Some("dependabot") => App::Dependabot,
        Some(other) => {
            return Err(
                format!("SECRET_APP is `{other}`: use actions, codespaces or dependabot").into(),
            );
        }
    };
    let repositories = common::repository_ids("REPOSITORY_IDS")?;
    // The repositories are part of `Visibility::Selected`: they cannot be sent with
    // another visibility, which GitHub would refuse.
    let visibility = match (
        common::optional("SECRET_VISIBILITY").as_deref(),
        repositories,
    ) {
        (None | Some("private"), None) => Visibility::Private,
        (Some("all"), None) => Visibility::All,
        (Some("selected"), ids) => Visibility::selected(ids.unwrap_or_default()),
        (None | Some("private" | "all"), Some(_)) => {
            return Err("REPOSITORY_IDS is set: it needs SECRET_VISIBILITY=selected".into());
        }
        (Some(other), _) => {
            return Err(
                format!("SECRET_VISIBILITY is `{other}`: use private, all or selected").into(),
            );
        }
    };
    let gh = common::github_client()?;

    // App, organization, name and visibility are required: they are the arguments.
    let outcome = gh
        .org_secret(app, &org, &name)
        .visibility(visibility.clone())
        .value(value)
        .send()
        .await?;
    Ok(format!(
        "{outcome:?}: {app} secret {name} of organization {org}, visibility {}",
        visibility.as_str()
    ))
}
