//! `sealpost github set NAME`: stores one secret, or with `--no-store` prints it sealed
//! to the scope's key.

use sealpost_client::PutOutcome;
use sealpost_client::github::{Client, validate_secret_name};
use secrecy::ExposeSecret as _;

use super::scope;
use crate::error::Error;
use crate::runtime;
use crate::settings::{Plaintext, SetSettings};
use crate::stdio;

pub(super) fn run(client: &Client, settings: SetSettings) -> Result<(), Error> {
    let SetSettings {
        name,
        value,
        scope,
        sharing,
        no_store,
    } = settings;
    // Before standard input is read: a bad name should not cost the user a paste.
    validate_secret_name(&name)?;

    if no_store {
        let key = runtime::block_on(scope::public_key(client, &scope))?;
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
    let (outcome, place) = runtime::block_on(async {
        let store = scope::store(client, &scope, &sharing).await?;
        let outcome = store.put(&name, &value).await?;
        Ok((outcome, store.describe()))
    })?;
    let done = match outcome {
        PutOutcome::Created => "Created",
        PutOutcome::Updated => "Updated",
    };
    stdio::write_stdout(format!("{done} secret {name} for {place}\n").as_bytes())
}
