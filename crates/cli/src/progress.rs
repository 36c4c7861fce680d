//! Progress of a bulk upload, on standard error: a bar when standard error is a
//! terminal, one plain line per finished secret otherwise (logs, CI, pipes).

use std::io::{self, IsTerminal as _};
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressStyle};
use sealpost_client::PutOutcome;
use sealpost_client::bulk::ItemReport;

/// The bar's look: `[=====>    ] 12/60 created NPM_TOKEN`.
const TEMPLATE: &str = "[{bar:30}] {pos}/{len} {msg}";

/// Reports each finished secret of a bulk upload.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    done: AtomicUsize,
    total: usize,
}

impl Progress {
    /// Progress over `total` secrets.
    pub(crate) fn new(total: usize) -> Self {
        let bar = io::stderr().is_terminal().then(|| {
            let style = ProgressStyle::with_template(TEMPLATE)
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            ProgressBar::new(total as u64).with_style(style)
        });
        Progress {
            bar,
            done: AtomicUsize::new(0),
            total,
        }
    }

    /// One secret finished (stored or failed; why it failed is reported at the end).
    pub(crate) fn item(&self, item: &ItemReport<PutOutcome>) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let what = match &item.result {
            Ok(PutOutcome::Created) => "created",
            Ok(PutOutcome::Updated) => "updated",
            Err(_) => "failed",
        };
        match &self.bar {
            Some(bar) => {
                bar.set_message(format!("{what} {}", item.name));
                bar.inc(1);
            }
            None => eprintln!("[{done}/{}] {what} {}", self.total, item.name),
        }
    }

    /// Removes the bar, if there is one, so that the summary follows on a clean line.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
