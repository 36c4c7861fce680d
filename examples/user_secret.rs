//! Store one of your own Codespaces secrets on GitHub (`PUT /user/codespaces/secrets/{name}`).
//!
//! Needs, in the environment:
//!
//! - `GH_TOKEN` (or `GITHUB_TOKEN`): a token that may manage your Codespaces secrets: a
//!   classic token with the `codespace` scope, or a fine-grained one with the
//!   "Codespaces user secrets" permission (write).
//! - `SECRET_NAME`: the secret's name (letters, digits, `_`; not starting with a digit
//!   or `GITHUB_`).
//! - `SECRET_VALUE`: its value, sealed on this machine before it is sent.
//!
//! Optional: `REPOSITORY_IDS`, comma-separated ids of the repositories whose codespaces
//! may use the secret (without it, the secret's repositories stay as they were);
//! `GITHUB_API_URL` for GitHub Enterprise Server (`https://HOST/api/v3`).
//!
//! ```sh
//! GH_TOKEN=ghp_... SECRET_NAME=NPM_TOKEN SECRET_VALUE=... REPOSITORY_IDS=1296269 \
//!     cargo run --example user_secret
//! ```

mod common;

use std::error::Error;
use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    common::finish(run().await)
}

async fn run() -> Result<String, Box<dyn Error>> {
    let name = common::required("SECRET_NAME", "the name of the secret to store")?;
    let value = common::required("SECRET_VALUE", "the value to store")?;
    let repositories = common::repository_ids("REPOSITORY_IDS")?;
    let gh = common::github_client()?;

    // The name is the only required field. `value` and `repositories` are optional, but
    // `send` exists only once one of them was given: a request that would change
    // nothing does not compile.
    let secret = gh.user_codespaces_secret(&name).value(value);
    let outcome = match &repositories {
        Some(ids) => secret.repositories(ids.iter().copied()).send().await?,
        None => secret.send().await?,
    };
    Ok(format!("{outcome:?}: your Codespaces secret {name}"))
}
