//! `sealpost github ...`: GitHub's Actions, Codespaces and Dependabot secrets, through
//! `sealpost_client::github`. Everything about the API (paths, JSON, sealing to the
//! scope's key, keeping access on rotation, retries) is the client's; these modules
//! take the handler of the scope the flags name and print what happened.

mod access;
mod delete;
mod list;
mod private_registry;
mod scope;
mod set;
mod set_many;

use sealpost_client::github::Client;

use crate::error::Error;
use crate::settings::{Credentials, GithubConnection, GithubSettings, GithubTask};

/// Runs a `github` command.
pub(crate) fn run(settings: GithubSettings) -> Result<(), Error> {
    let client = connect(settings.connection)?;
    match settings.task {
        GithubTask::Set(settings) => set::run(&client, settings),
        GithubTask::SetMany(settings) => set_many::run(&client, &settings),
        GithubTask::List(settings) => list::run(&client, &settings),
        GithubTask::Delete(settings) => delete::run(&client, &settings),
        GithubTask::Access(settings) => access::run(&client, &settings),
        GithubTask::Registry(task) => private_registry::run(&client, task),
    }
}

/// The client for `connection`.
pub(super) fn connect(connection: GithubConnection) -> Result<Client, Error> {
    let GithubConnection {
        api_url,
        credentials,
        retry,
        allow_insecure_http,
    } = connection;
    let builder = Client::builder()
        .base_url(api_url)
        .retry(retry)
        .allow_insecure_http(allow_insecure_http);
    let client = match credentials {
        Credentials::Token { token, .. } => builder.token(token).build()?,
        Credentials::App {
            app_id,
            private_key,
            installation_id,
            ..
        } => {
            let builder = builder.app(app_id, private_key);
            match installation_id {
                Some(id) => builder.installation_id(id).build()?,
                None => builder.build()?,
            }
        }
    };
    if client.sends_in_cleartext() {
        super::warn_cleartext("the GitHub token");
    }
    Ok(client)
}
