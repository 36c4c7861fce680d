//! `sealpost github access NAME`: show or change who may use an existing organization
//! or user secret. No value is ever sent.

use std::fmt::Write as _;

use sealpost_client::github::{Client, CurrentAccess, VisibilityKind};
use serde::Serialize;

use super::scope;
use crate::cli::VisibilityArg;
use crate::error::Error;
use crate::runtime;
use crate::settings::{AccessChange, AccessSettings, OutputFormat};
use crate::stdio;

/// The `--json` output.
#[derive(Serialize)]
struct Shown<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    visibility: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repositories: Option<Vec<ShownRepository<'a>>>,
}

#[derive(Serialize)]
struct ShownRepository<'a> {
    id: u64,
    full_name: &'a str,
}

pub(super) fn run(client: &Client, settings: &AccessSettings) -> Result<(), Error> {
    let AccessSettings {
        name,
        scope,
        change,
    } = settings;
    let secrets = client.secrets(scope.clone());
    let secret = secrets.existing(name)?;
    let place = secrets.describe();
    let said = runtime::block_on(async {
        Ok::<_, Error>(match change {
            AccessChange::Show(format) => show(name.as_str(), &secret.access().await?, *format)?,
            AccessChange::Visibility(visibility, repos) => {
                let visibility = match (visibility, repos) {
                    (_, Some(repos)) => scope::visibility_of(client, *visibility, repos).await?,
                    // `selected` alone keeps the repositories a selected secret has.
                    (VisibilityArg::Selected, None) => {
                        let current = secret.access().await?;
                        let ids = current.repositories.iter().flatten().map(|r| r.id);
                        sealpost_client::github::Visibility::Selected(ids.collect())
                    }
                    (_, None) => scope::visibility_of(client, *visibility, &[]).await?,
                };
                secret.set_visibility(visibility.clone()).await?;
                let mut line = format!(
                    "Set visibility of secret {name} in {place} to {}",
                    visibility.as_str()
                );
                if let Some(ids) = visibility.repositories() {
                    let _ = write!(line, " ({} repositories)", ids.len());
                }
                line + "\n"
            }
            AccessChange::Repositories(repos) => {
                let ids = scope::repository_ids(client, repos).await?;
                if scope.has_visibility() {
                    // `--repos` alone on an organization secret means `selected` with
                    // these: the repositories endpoint if it is selected already, else
                    // a value-less PUT that makes it so.
                    let current = secret.access().await?;
                    if current.visibility == Some(VisibilityKind::Selected) {
                        secret.set_repositories(ids.clone()).await?;
                    } else {
                        secret
                            .set_visibility(sealpost_client::github::Visibility::Selected(
                                ids.clone(),
                            ))
                            .await?;
                    }
                } else {
                    secret.set_repositories(ids.clone()).await?;
                }
                format!(
                    "Shared secret {name} in {place} with exactly {} repositories\n",
                    ids.len()
                )
            }
            AccessChange::Add(repos) => {
                let ids = scope::repository_ids(client, repos).await?;
                for id in &ids {
                    secret.add_repository(*id).await?;
                }
                format!(
                    "Added {} repositories to secret {name} in {place}\n",
                    ids.len()
                )
            }
            AccessChange::Remove(repos) => {
                let ids = scope::repository_ids(client, repos).await?;
                for id in &ids {
                    secret.remove_repository(*id).await?;
                }
                format!(
                    "Removed {} repositories from secret {name} in {place}\n",
                    ids.len()
                )
            }
        })
    })?;
    stdio::write_stdout(said.as_bytes())
}

/// Who may use the secret, as lines or JSON.
fn show(name: &str, access: &CurrentAccess, format: OutputFormat) -> Result<String, Error> {
    let visibility = access.visibility.map(|kind| match kind {
        VisibilityKind::All => "all",
        VisibilityKind::Private => "private",
        VisibilityKind::Selected => "selected",
        _ => "other",
    });
    Ok(match format {
        OutputFormat::Json => {
            let shown = Shown {
                name,
                visibility,
                repositories: access.repositories.as_ref().map(|repositories| {
                    repositories
                        .iter()
                        .map(|repository| ShownRepository {
                            id: repository.id.0,
                            full_name: &repository.full_name,
                        })
                        .collect()
                }),
            };
            serde_json::to_string_pretty(&shown)? + "\n"
        }
        OutputFormat::Text => {
            let mut out = String::new();
            if let Some(visibility) = visibility {
                let _ = writeln!(out, "visibility\t{visibility}");
            }
            for repository in access.repositories.iter().flatten() {
                let _ = writeln!(
                    out,
                    "repository\t{}\t{}",
                    repository.id, repository.full_name
                );
            }
            out
        }
    })
}
