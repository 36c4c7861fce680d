//! What the examples that talk to a real service share: reading settings from the
//! environment (with a one-line reason when one is missing), building the GitHub
//! client, and turning the outcome into an exit code.

use std::env;
use std::error::Error;
use std::process::ExitCode;

use sealpost::client::github;

/// The value of environment variable `name`, or an error saying what it is for.
pub(crate) fn required(name: &str, what: &str) -> Result<String, String> {
    optional(name).ok_or_else(|| format!("{name} is not set: {what}"))
}

/// The value of environment variable `name`, if set and not empty.
pub(crate) fn optional(name: &str) -> Option<String> {
    env::var(name).ok().filter(|value| !value.is_empty())
}

/// A GitHub client: the token from `GH_TOKEN`, else `GITHUB_TOKEN` (as the GitHub CLI
/// reads them), and the API's URL from `GITHUB_API_URL` if set (GitHub Enterprise
/// Server: `https://HOST/api/v3`), else api.github.com.
#[allow(dead_code)] // `coder_secret` does not talk to GitHub
pub(crate) fn github_client() -> Result<github::Client, Box<dyn Error>> {
    let token = optional("GH_TOKEN")
        .or_else(|| optional("GITHUB_TOKEN"))
        .ok_or(
            "GH_TOKEN (or GITHUB_TOKEN) is not set: a GitHub token that may manage the secret",
        )?;
    let mut builder = github::Client::builder().token(token);
    if let Some(url) = optional("GITHUB_API_URL") {
        builder = builder.base_url(url);
    }
    Ok(builder.build()?)
}

/// The comma-separated repository ids in variable `name` (`1296269,1296270`), if set.
#[allow(dead_code)] // not every example shares secrets with repositories
pub(crate) fn repository_ids(name: &str) -> Result<Option<Vec<u64>>, String> {
    let Some(list) = optional(name) else {
        return Ok(None);
    };
    list.split(',')
        .map(|id| {
            id.trim()
                .parse()
                .map_err(|_| format!("{name}: `{id}` is not a repository id (a number)"))
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

/// Prints what was done, or the error on one line, and the matching exit code.
pub(crate) fn finish(outcome: Result<String, Box<dyn Error>>) -> ExitCode {
    match outcome {
        Ok(done) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
