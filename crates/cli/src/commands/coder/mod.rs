//! `sealpost coder secrets ...`: a Coder user's secrets, through
//! `sealpost_client::coder`. The client knows the API (paths, JSON, the checks Coder
//! applies); these modules pick the call and print what happened.

mod delete;
mod read;
mod write;

use sealpost_client::coder::{Client, UserSecret, UserSecrets};
use secrecy::ExposeSecret as _;
use serde::Serialize;

use super::timestamp;
use crate::error::Error;
use crate::settings::{CoderConnection, CoderSettings, CoderTask, OutputFormat};
use crate::stdio;

/// Runs a `coder secrets` command.
pub(crate) fn run(settings: CoderSettings) -> Result<(), Error> {
    let client = connect(settings.connection)?;
    let secrets = client.user_secrets(settings.user);
    match settings.task {
        CoderTask::Create(create) => write::create(&secrets, create),
        CoderTask::Update(update) => write::update(&secrets, update),
        CoderTask::List { format } => read::list(&secrets, format),
        CoderTask::Get { name, format } => read::get(&secrets, &name, format),
        CoderTask::Delete { name } => delete::run(&secrets, &name),
    }
}

pub(super) fn connect(connection: CoderConnection) -> Result<Client, Error> {
    let CoderConnection { url, token, retry } = connection;
    let client = Client::builder(url)
        .token(token.expose_secret())
        .retry(retry)
        .build()?;
    // Coder is often served over http inside a private network: a warning, not a
    // refusal.
    if client.sends_in_cleartext() {
        super::warn_cleartext("the Coder session token and secret values");
    }
    Ok(client)
}

/// Prints `value` as pretty JSON and a newline.
fn print_json(value: &impl Serialize) -> Result<(), Error> {
    let mut out = serde_json::to_string_pretty(value)?;
    out.push('\n');
    stdio::write_stdout(out.as_bytes())
}

/// A secret's metadata as `field: value` lines (`get`) or JSON.
fn print_secret(secret: &UserSecret, format: OutputFormat) -> Result<(), Error> {
    match format {
        OutputFormat::Json => print_json(secret),
        OutputFormat::Text => {
            let lines = [
                ("name", secret.name.clone()),
                ("id", secret.id.to_string()),
                ("description", one_line(&secret.description)),
                ("env_name", secret.env_name.clone()),
                ("file_path", secret.file_path.clone()),
                ("created_at", timestamp(secret.created_at)),
                ("updated_at", timestamp(secret.updated_at)),
            ];
            let mut out = String::new();
            for (field, value) in lines {
                out.push_str(field);
                out.push_str(": ");
                out.push_str(&value);
                out.push('\n');
            }
            stdio::write_stdout(out.as_bytes())
        }
    }
}

/// A confirmation sentence: "Created secret npm for user `me`".
fn confirm(done: &str, secret: &UserSecret, secrets: &UserSecrets) -> Result<(), Error> {
    let line = format!("{done} secret {} for {}\n", secret.name, secrets.describe());
    stdio::write_stdout(line.as_bytes())
}

/// RFC 3339, as Coder writes it.
/// Free text on one line: line breaks and tabs become spaces, so that lines and
/// tab-separated columns stay what they are.
fn one_line(text: &str) -> String {
    text.replace(['\t', '\r', '\n'], " ")
}
