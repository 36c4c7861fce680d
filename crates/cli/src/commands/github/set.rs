//! `sealpost github set NAME`: stores one secret, or with `--no-store` prints it sealed
//! to the scope's key.

use sealpost_client::PutOutcome;
use sealpost_client::github::Client;
use secrecy::ExposeSecret as _;

use super::scope;
use crate::error::Error;
use crate::runtime;
use crate::settings::{AccessRequest, Plaintext, SetSettings};
use crate::stdio;

pub(super) fn run(client: &Client, settings: SetSettings) -> Result<(), Error> {
    let SetSettings {
        name,
        value,
        scope,
        access,
        no_store,
    } = settings;
    let keep = access == AccessRequest::Keep;
    let has_visibility = scope.has_visibility();
    let secrets = client.secrets(scope);

    if no_store {
        let key = runtime::block_on(async { Ok::<_, Error>(secrets.public_key().await?) })?;
        let mut sealed = match value {
            Plaintext::Given(value) => key.key.seal_base64(value.expose_secret().as_bytes()),
            Plaintext::Stdin => key
                .key
                .seal_base64(&stdio::read_secret("the secret's value")?),
        };
        sealed.push('\n');
        return stdio::write_stdout(sealed.as_bytes());
    }

    let value = match value {
        Plaintext::Given(value) => value,
        Plaintext::Stdin => stdio::read_secret_text("the secret's value")?,
    };
    let (stored, place) = runtime::block_on(async {
        let secrets = match scope::access(client, &access).await? {
            Some(access) => secrets.with_access(access)?,
            None => secrets,
        };
        let stored = secrets.put(&name, value).await?;
        Ok::<_, Error>((stored, secrets.describe()))
    })?;
    let done = match stored.outcome {
        PutOutcome::Created => "Created",
        PutOutcome::Updated => "Updated",
    };
    let line = match (&stored.kept, keep) {
        (Some(kept), _) => format!("{done} secret {name} for {place}; kept {kept}\n"),
        // A new organization secret whose access was not given.
        (None, true) if has_visibility => {
            format!("{done} secret {name} for {place} with visibility private\n")
        }
        (None, _) => format!("{done} secret {name} for {place}\n"),
    };
    stdio::write_stdout(line.as_bytes())
}
