//! `coder secrets list` and `coder secrets get`: metadata, never values.

use sealpost_client::coder::UserSecrets;

use super::{one_line, print_json, print_secret, timestamp};
use crate::error::Error;
use crate::runtime;
use crate::settings::OutputFormat;
use crate::stdio;

pub(super) fn list(secrets: &UserSecrets, format: OutputFormat) -> Result<(), Error> {
    let list = runtime::block_on(async { Ok(secrets.list().await?) })?;
    match format {
        OutputFormat::Json => print_json(&list),
        OutputFormat::Text => {
            // NAME, ENV_NAME, FILE_PATH, UPDATED, DESCRIPTION; `-` for an empty field.
            let mut out = String::new();
            for secret in &list {
                let fields = [
                    secret.name.clone(),
                    secret.env_name.clone(),
                    secret.file_path.clone(),
                    timestamp(secret.updated_at),
                    one_line(&secret.description),
                ];
                let fields: Vec<&str> = fields
                    .iter()
                    .map(|field| if field.is_empty() { "-" } else { field })
                    .collect();
                out.push_str(&fields.join("\t"));
                out.push('\n');
            }
            stdio::write_stdout(out.as_bytes())
        }
    }
}

pub(super) fn get(secrets: &UserSecrets, name: &str, format: OutputFormat) -> Result<(), Error> {
    let secret = runtime::block_on(async { Ok(secrets.get(name).await?) })?;
    print_secret(&secret, format)
}
