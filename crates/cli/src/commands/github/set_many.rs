//! `sealpost github set --env-file FILE`: every secret of a dotenv file, checked first,
//! then uploaded a few at a time; one failure does not stop the others.

use std::fmt::Write as _;
use std::path::Path;

use sealpost_client::bulk::Bulk;
use sealpost_client::github::{Client, SecretName};
use sealpost_client::{PutOutcome, SecretStore as _};
use secrecy::SecretString;

use super::scope;
use crate::dotenv;
use crate::error::Error;
use crate::progress::Progress;
use crate::runtime;
use crate::settings::{AccessRequest, SetManySettings};
use crate::stdio;

pub(super) fn run(client: &Client, settings: &SetManySettings) -> Result<(), Error> {
    let path = &settings.path;
    let bytes = stdio::read_file(path).map_err(|source| Error::ReadEnvFile {
        path: path.clone(),
        source,
    })?;
    let file = dotenv::parse(&bytes).map_err(|errors| {
        for error in &errors {
            eprintln!("{}: {error}", path.display());
        }
        Error::EnvFileSyntax {
            path: path.clone(),
            count: errors.len(),
        }
    })?;
    refuse_collisions(path, &bytes, &file.entries)?;
    drop(bytes);
    for name in &file.repeated {
        eprintln!(
            "warning: {}: {name} is given more than once; the last value is used",
            path.display()
        );
    }
    if file.entries.is_empty() {
        return Err(Error::EmptyEnvFile { path: path.clone() });
    }

    runtime::block_on(async {
        let secrets = client.secrets(settings.scope.clone());
        let keeping = settings.access == AccessRequest::Keep && settings.scope.has_visibility();
        let store = match scope::access(client, &settings.access).await? {
            Some(access) => secrets.with_access(access)?,
            None => secrets,
        };
        // Every name and value first: one that would be refused stops the run before
        // anything is uploaded, and all of them are listed.
        let refused: Vec<_> = file
            .entries
            .iter()
            .filter_map(|(name, value)| store.check(name, value).err())
            .collect();
        if !refused.is_empty() {
            for error in &refused {
                eprintln!("{}: {error}", path.display());
            }
            return Err(Error::InvalidEntries {
                path: path.clone(),
                count: refused.len(),
            });
        }

        let total = file.entries.len();
        let progress = Progress::new(total);
        let report = Bulk::new(&store)
            .concurrency(settings.concurrency)
            .on_item(|item| progress.item(item))
            .put_all(file.entries)
            .await;
        progress.finish();

        let count = |wanted: PutOutcome| {
            let outcomes = report
                .items
                .iter()
                .filter_map(|item| item.result.as_ref().ok());
            outcomes.filter(|outcome| **outcome == wanted).count()
        };
        let (created, updated) = (count(PutOutcome::Created), count(PutOutcome::Updated));
        let mut summary = format!(
            "Stored {} of {total} secrets in {}: {created} created, {updated} updated",
            created + updated,
            store.describe()
        );
        let failed: Vec<_> = report.failures().collect();
        if !failed.is_empty() {
            let _ = write!(summary, ", {} failed", failed.len());
        }
        if keeping {
            summary.push_str(" (updated secrets kept their access; new ones are private)");
        }
        summary.push('\n');
        stdio::write_stdout(summary.as_bytes())?;

        if failed.is_empty() {
            return Ok(());
        }
        for item in &failed {
            if let Err(error) = &item.result {
                eprintln!("failed: {}: {error}", item.name);
            }
        }
        Err(Error::SomeNotStored {
            failed: failed.len(),
            total,
            scope: store.describe(),
        })
    })
}

/// GitHub ignores case in names: two spellings of one name would race for one secret.
/// They are refused before anything is sent, naming each spelling and its line.
fn refuse_collisions(
    path: &Path,
    bytes: &[u8],
    entries: &[(String, SecretString)],
) -> Result<(), Error> {
    let collisions = collisions(entries);
    if collisions.is_empty() {
        return Ok(());
    }
    for spellings in &collisions {
        let listed: Vec<String> = spellings
            .iter()
            .map(|name| match dotenv::definition_line(bytes, name) {
                Some(line) => format!("`{name}` (line {line})"),
                None => format!("`{name}`"),
            })
            .collect();
        eprintln!(
            "{}: {} are one secret to GitHub, which ignores case in names",
            path.display(),
            listed.join(", ")
        );
    }
    Err(Error::NameCollisions {
        path: path.to_owned(),
        count: collisions.len(),
    })
}

/// The groups of names that are one secret to GitHub (equal ignoring ASCII case), each
/// in the order the file gives them.
fn collisions(entries: &[(String, SecretString)]) -> Vec<Vec<&str>> {
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for (name, _) in entries {
        // Invalid names are reported by the check that follows; fold them all the same.
        let key = SecretName::new(name.as_str())
            .map_or_else(|_| name.to_ascii_uppercase(), |name| name.folded());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, names)) => names.push(name),
            None => groups.push((key, vec![name])),
        }
    }
    groups
        .into_iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|(_, names)| names)
        .collect()
}
