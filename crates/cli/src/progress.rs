//! Progress of a bulk upload, on standard error: a bar when standard error is a
//! terminal, one plain line per finished secret otherwise (logs, CI, pipes).
//!
//! While a bar is drawn, other lines for standard error (the client announcing a
//! wait) go through [`eprint_line`], which prints them above the bar instead of
//! through its redraw.

use std::io::{self, IsTerminal as _};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use indicatif::{ProgressBar, ProgressStyle};
use sealpost_client::PutOutcome;
use sealpost_client::bulk::ItemReport;

/// The bar's look: `[=====>    ] 12/60 created NPM_TOKEN`.
const TEMPLATE: &str = "[{bar:30}] {pos}/{len} {msg}";

/// A bar of `total` steps looking like `template`, when standard error is a terminal
/// (logs, CI and pipes get none).
pub(crate) fn terminal_bar(total: u64, template: &str) -> Option<ProgressBar> {
    io::stderr().is_terminal().then(|| {
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        ProgressBar::new(total).with_style(style)
    })
}

/// The bar drawn on standard error now, if any.
static DRAWN: Mutex<Option<ProgressBar>> = Mutex::new(None);

fn drawn() -> MutexGuard<'static, Option<ProgressBar>> {
    // A panic elsewhere while holding the lock leaves a usable `Option`.
    DRAWN.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Prints `line` on standard error: above the progress bar while one is drawn, so that
/// its next redraw does not overwrite the line; plainly otherwise.
pub(crate) fn eprint_line(line: &str) {
    let bar = drawn().clone();
    match bar {
        Some(bar) if !bar.is_finished() => bar.println(line),
        _ => eprintln!("{line}"),
    }
}

/// A bar that [`eprint_line`] prints above until this is dropped.
pub(crate) struct Drawn(());

impl Drawn {
    /// Marks `bar` as the one drawn now.
    pub(crate) fn new(bar: &ProgressBar) -> Self {
        *drawn() = Some(bar.clone());
        Drawn(())
    }
}

impl Drop for Drawn {
    fn drop(&mut self) {
        *drawn() = None;
    }
}

/// Reports each finished secret of a bulk upload.
pub(crate) struct Progress {
    bar: Option<(ProgressBar, Drawn)>,
    done: AtomicUsize,
    total: usize,
}

impl Progress {
    /// Progress over `total` secrets.
    pub(crate) fn new(total: usize) -> Self {
        let bar = terminal_bar(total as u64, TEMPLATE).map(|bar| {
            let drawn = Drawn::new(&bar);
            (bar, drawn)
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
            Some((bar, _)) => {
                bar.set_message(format!("{what} {}", item.name));
                bar.inc(1);
            }
            None => eprintln!("[{done}/{}] {what} {}", self.total, item.name),
        }
    }

    /// Removes the bar, if there is one, so that the summary follows on a clean line.
    pub(crate) fn finish(&self) {
        if let Some((bar, _)) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use indicatif::{InMemoryTerm, ProgressDrawTarget};

    use super::*;

    #[test]
    fn lines_go_above_the_drawn_bar_and_not_through_it() {
        let term = InMemoryTerm::new(6, 80);
        let target = ProgressDrawTarget::term_like(Box::new(term.clone()));
        let bar = ProgressBar::with_draw_target(Some(3), target)
            .with_style(ProgressStyle::with_template(TEMPLATE).unwrap());
        bar.set_message("created A");
        bar.inc(1);
        {
            let _drawn = Drawn::new(&bar);
            eprint_line("rate limited by GitHub; waiting 37 s");
            bar.set_message("updated B");
            bar.inc(1);
            bar.tick();
            let screen = term.contents();
            let lines: Vec<&str> = screen.lines().collect();
            assert_eq!(
                lines.first().copied(),
                Some("rate limited by GitHub; waiting 37 s"),
                "{screen}"
            );
            assert!(
                lines
                    .get(1)
                    .is_some_and(|line| line.ends_with("2/3 updated B")),
                "{screen}"
            );
        }
        assert!(drawn().is_none(), "dropping `Drawn` forgets the bar");
    }
}
