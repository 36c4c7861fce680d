//! `sealpost github set --env-file FILE`: every secret of a dotenv file, checked first,
//! then uploaded a few at a time; one failure does not stop the others.

use std::fmt::Write as _;

use sealpost_client::PutOutcome;
use sealpost_client::bulk::Bulk;
use sealpost_client::github::Client;

use super::scope;
use crate::dotenv;
use crate::error::Error;
use crate::progress::Progress;
use crate::runtime;
use crate::settings::SetManySettings;
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
        let store = scope::store(client, &settings.scope, &settings.sharing).await?;
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
        let report = Bulk::new(&*store)
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
