//! `coder secrets create` and `coder secrets update`: the commands that send a value.

use sealpost_client::coder::{SecretPatch, UserSecrets};
use secrecy::SecretString;

use super::{confirm, print_secret};
use crate::error::Error;
use crate::runtime;
use crate::settings::{CreateSettings, OutputFormat, Plaintext, UpdateSettings};
use crate::stdio;

pub(super) fn create(secrets: &UserSecrets, settings: CreateSettings) -> Result<(), Error> {
    let CreateSettings {
        name,
        value,
        description,
        env_name,
        file_path,
        format,
    } = settings;
    let value = value_of(value)?;
    let secret = runtime::block_on(async {
        let mut create = secrets.create(name.as_str(), value);
        if let Some(description) = description {
            create = create.description(description);
        }
        if let Some(env_name) = env_name {
            create = create.env_name(env_name);
        }
        if let Some(file_path) = file_path {
            create = create.file_path(file_path);
        }
        Ok(create.send().await?)
    })?;
    match format {
        OutputFormat::Json => print_secret(&secret, format),
        OutputFormat::Text => confirm("Created", &secret, secrets),
    }
}

pub(super) fn update(secrets: &UserSecrets, settings: UpdateSettings) -> Result<(), Error> {
    let UpdateSettings {
        name,
        value,
        description,
        env_name,
        file_path,
        format,
    } = settings;
    let mut patch = SecretPatch::new();
    if let Some(value) = value {
        patch = patch.value(value_of(value)?);
    }
    if let Some(description) = description {
        patch = patch.description(description);
    }
    if let Some(env_name) = env_name {
        patch = patch.env_name(env_name);
    }
    if let Some(file_path) = file_path {
        patch = patch.file_path(file_path);
    }
    let secret = runtime::block_on(async { Ok(secrets.patch(&name, &patch).await?) })?;
    match format {
        OutputFormat::Json => print_secret(&secret, format),
        OutputFormat::Text => confirm("Updated", &secret, secrets),
    }
}

fn value_of(value: Plaintext) -> Result<SecretString, Error> {
    match value {
        Plaintext::Given(value) => Ok(value),
        Plaintext::Stdin => stdio::read_secret_text("the secret's value"),
    }
}
