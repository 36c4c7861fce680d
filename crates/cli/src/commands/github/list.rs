//! `sealpost github list`: the secrets of a scope, as tab-separated lines or JSON.

use sealpost_client::github::{Client, Secret, VisibilityKind};
use serde::Serialize;

use crate::commands::timestamp;
use crate::error::Error;
use crate::runtime;
use crate::settings::{ListSettings, OutputFormat};
use crate::stdio;

/// One secret in `--json` output.
#[derive(Serialize)]
struct Listed<'a> {
    name: &'a str,
    created_at: Option<String>,
    updated_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    visibility: Option<&'static str>,
}

impl<'a> From<&'a Secret> for Listed<'a> {
    fn from(secret: &'a Secret) -> Self {
        Listed {
            name: &secret.name,
            created_at: secret.created_at.map(timestamp),
            updated_at: secret.updated_at.map(timestamp),
            visibility: secret.visibility.map(visibility),
        }
    }
}

pub(super) fn run(client: &Client, settings: &ListSettings) -> Result<(), Error> {
    let handler = client.secrets(settings.scope.clone());
    let secrets = runtime::block_on(async {
        Ok::<_, Error>(if settings.org_secrets {
            handler.organization_secrets().await?
        } else {
            handler.list().await?
        })
    })?;
    let listed: Vec<Listed<'_>> = secrets.iter().map(Listed::from).collect();
    let mut out = String::new();
    match settings.format {
        OutputFormat::Json => {
            out = serde_json::to_string_pretty(&listed)?;
            out.push('\n');
        }
        OutputFormat::Text => {
            // NAME, UPDATED and, for organization and user secrets, VISIBILITY: `cut`
            // and `awk -F'\t'` friendly, like `gh secret list` in a pipe.
            for secret in &listed {
                out.push_str(secret.name);
                out.push('\t');
                out.push_str(secret.updated_at.as_deref().unwrap_or("-"));
                if let Some(visibility) = secret.visibility {
                    out.push('\t');
                    out.push_str(visibility);
                }
                out.push('\n');
            }
        }
    }
    stdio::write_stdout(out.as_bytes())
}

fn visibility(kind: VisibilityKind) -> &'static str {
    match kind {
        VisibilityKind::All => "all",
        VisibilityKind::Private => "private",
        VisibilityKind::Selected => "selected",
        _ => "other",
    }
}
