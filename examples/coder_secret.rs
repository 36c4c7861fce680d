//! Store one of your Coder user secrets, which your workspaces receive as an
//! environment variable or a file (`POST /api/v2/users/me/secrets`, or `PATCH` when it
//! exists already).
//!
//! Needs, in the environment:
//!
//! - `CODER_URL`: your deployment, e.g. `https://coder.example.com`.
//! - `CODER_SESSION_TOKEN`: a session or API token (`coder tokens create`).
//! - `SECRET_NAME`, `SECRET_VALUE`: the secret (the value at most 24 KiB, no NUL byte).
//!
//! Optional: `SECRET_ENV_NAME` (the environment variable workspaces get, e.g.
//! `NPM_TOKEN`), `SECRET_FILE_PATH` (a file they get, `~/...` or `/...`),
//! `SECRET_DESCRIPTION`.
//!
//! ```sh
//! CODER_URL=https://coder.example.com CODER_SESSION_TOKEN=... SECRET_NAME=npm \
//!     SECRET_VALUE=... SECRET_ENV_NAME=NPM_TOKEN cargo run --example coder_secret
//! ```

mod common;

use std::error::Error;
use std::process::ExitCode;

use sealpost::client::coder;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    common::finish(run().await)
}

async fn run() -> Result<String, Box<dyn Error>> {
    let url = common::required("CODER_URL", "your Coder deployment's URL")?;
    let token = common::required("CODER_SESSION_TOKEN", "a Coder session or API token")?;
    let name = common::required("SECRET_NAME", "the name of the secret to store")?;
    let value = common::required("SECRET_VALUE", "the value to store")?;
    let env_name = common::optional("SECRET_ENV_NAME");
    let file_path = common::optional("SECRET_FILE_PATH");
    let description = common::optional("SECRET_DESCRIPTION");

    let coder = coder::Client::builder(url).token(token).build()?;
    let secrets = coder.my_secrets();

    // Name and value are required: they are the arguments. The rest is optional.
    let mut create = secrets.create(&name, value.clone());
    if let Some(env_name) = &env_name {
        create = create.env_name(env_name);
    }
    if let Some(file_path) = &file_path {
        create = create.file_path(file_path);
    }
    if let Some(description) = &description {
        create = create.description(description);
    }
    let secret = match create.send().await {
        // 409: the name (or the env_name, or the file path) is taken. If the name is
        // ours, update the secret: only the fields given change.
        Err(err) if err.status() == Some(409) && secrets.get(&name).await.is_ok() => {
            let mut patch = coder::SecretPatch::new().value(value);
            if let Some(env_name) = env_name {
                patch = patch.env_name(env_name);
            }
            if let Some(file_path) = file_path {
                patch = patch.file_path(file_path);
            }
            if let Some(description) = description {
                patch = patch.description(description);
            }
            secrets.patch(&name, &patch).await?
        }
        other => other?,
    };
    let mut done = vec![format!(
        "stored your Coder secret {} ({})",
        secret.name, secret.id
    )];
    if !secret.env_name.is_empty() {
        done.push(format!("workspaces get it as ${}", secret.env_name));
    }
    if !secret.file_path.is_empty() {
        done.push(format!("and in the file {}", secret.file_path));
    }
    Ok(done.join(", "))
}
