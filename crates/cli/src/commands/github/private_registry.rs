//! `sealpost github registry ...`: an organization's Dependabot private registries
//! (not Codespaces' container registry secrets), through
//! `sealpost_client::github::PrivateRegistries`.

use std::fmt::Write as _;

use sealpost_client::github::{
    Client, PrivateRegistry, RegistryAuth, RegistryType, Visibility, VisibilityKind,
};
use serde::Serialize;

use super::scope;
use crate::commands::timestamp;
use crate::error::Error;
use crate::runtime;
use crate::settings::{OutputFormat, Plaintext, RegistrySetSettings, RegistryTask};
use crate::stdio;

pub(super) fn run(client: &Client, task: RegistryTask) -> Result<(), Error> {
    match task {
        RegistryTask::Set(settings) => set(client, settings),
        RegistryTask::List { org, format } => list(client, &org, format),
        RegistryTask::Delete { org, name } => {
            let registries = client.private_registries(org);
            runtime::block_on(async { Ok::<_, Error>(registries.delete(&name).await?) })?;
            let line = format!(
                "Deleted private registry {name} from {}\n",
                registries.describe()
            );
            stdio::write_stdout(line.as_bytes())
        }
    }
}

/// The same URL, ignoring a trailing `/`.
fn same_url(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

fn set(client: &Client, settings: RegistrySetSettings) -> Result<(), Error> {
    let RegistrySetSettings {
        name,
        org,
        registry_type,
        url,
        username,
        value,
        visibility,
        replaces_base,
    } = settings;
    let value = match value {
        Plaintext::Given(value) => value,
        Plaintext::Stdin => stdio::read_secret_text("the registry's token or password")?,
    };
    let registries = client.private_registries(org);
    let (done, name) = runtime::block_on(async {
        let visibility = match &visibility {
            Some((visibility, repos)) => {
                Some(scope::visibility_of(client, *visibility, repos).await?)
            }
            None => None,
        };
        let existing = match name {
            Some(name) => Some(name),
            None => registries
                .list()
                .await?
                .into_iter()
                .find(|registry| {
                    registry.registry_type == registry_type
                        && registry
                            .url
                            .as_deref()
                            .is_some_and(|known| same_url(known, &url))
                })
                .map(|registry| registry.name),
        };
        Ok::<_, Error>(if let Some(name) = existing {
            let mut update = registries
                .update(name.as_str())
                .registry_type(registry_type)
                .url(url.as_str())
                .value(value);
            if let Some(username) = &username {
                update = update.username(username.as_str());
            }
            if replaces_base {
                update = update.replaces_base(true);
            }
            if let Some(visibility) = visibility {
                update = update.visibility(visibility);
            }
            update.send().await?;
            ("Updated", name)
        } else {
            let auth = match username {
                Some(username) => RegistryAuth::username_password(username, value),
                None => RegistryAuth::token(value),
            };
            let visibility = visibility.unwrap_or(Visibility::Private);
            let mut create = registries.create(registry_type, url.as_str(), auth, visibility);
            if replaces_base {
                create = create.replaces_base(true);
            }
            ("Created", create.send().await?.name)
        })
    })?;
    let line = format!(
        "{done} private registry {name} ({registry_type}, {url}) in {}\n",
        registries.describe()
    );
    stdio::write_stdout(line.as_bytes())
}

/// One registry in `--json` output.
#[derive(Serialize)]
struct Listed<'a> {
    name: &'a str,
    registry_type: &'static str,
    url: Option<&'a str>,
    username: Option<&'a str>,
    visibility: &'static str,
    updated_at: Option<String>,
}

fn list(client: &Client, org: &str, format: OutputFormat) -> Result<(), Error> {
    let registries = client.private_registries(org);
    let all: Vec<PrivateRegistry> =
        runtime::block_on(async { Ok::<_, Error>(registries.list().await?) })?;
    let listed: Vec<Listed<'_>> = all
        .iter()
        .map(|registry| Listed {
            name: &registry.name,
            registry_type: RegistryType::as_str(registry.registry_type),
            url: registry.url.as_deref(),
            username: registry.username.as_deref(),
            visibility: match registry.visibility {
                VisibilityKind::All => "all",
                VisibilityKind::Private => "private",
                VisibilityKind::Selected => "selected",
                _ => "other",
            },
            updated_at: registry.updated_at.map(timestamp),
        })
        .collect();
    let out = match format {
        OutputFormat::Json => serde_json::to_string_pretty(&listed)? + "\n",
        OutputFormat::Text => {
            let mut out = String::new();
            for r in &listed {
                let url = r.url.unwrap_or("-");
                let _ = writeln!(
                    out,
                    "{}\t{}\t{url}\t{}",
                    r.name, r.registry_type, r.visibility
                );
            }
            out
        }
    };
    stdio::write_stdout(out.as_bytes())
}
