//! `sealpost sync CONFIG`: drives `sealpost_sync`, which holds the engine (plan,
//! state, journal, pacing). This module connects, shows progress, and prints the plan
//! or the result.

use std::sync::atomic::{AtomicBool, Ordering};

use sealpost_client::github::RateLimit;
use sealpost_sync::{Event, State, Sync};
use time::OffsetDateTime;

use crate::error::Error;
use crate::progress::{Drawn, eprint_line, terminal_bar};
use crate::runtime;
use crate::settings::{OutputFormat, SyncSettings};
use crate::stdio;

/// The bar's look: `[=====>    ] 12/60 ETA 40s updated NPM_TOKEN`.
const TEMPLATE: &str = "[{bar:30}] {pos}/{len} ETA {eta} {msg}";

/// Runs `sync`.
pub(crate) fn run(settings: SyncSettings) -> Result<(), Error> {
    // The lock is taken before anything is read or sent. A plan only reads the state:
    // it makes no folder, takes no lock, and writes nothing.
    let state = if settings.plan_only {
        State::open_read_only(&settings.state_dir)?
    } else {
        State::open(&settings.state_dir)?
    };
    let mut sync = Sync::new(settings.options.clone());
    if let Some(connection) = settings.github {
        sync = sync.github(super::github::connect(connection)?);
    }
    if let Some(connection) = settings.coder {
        sync = sync.coder(super::coder::connect(connection)?);
    }
    let bar = terminal_bar(0, TEMPLATE);
    // The client's wait announcements go above the bar while it is drawn.
    let _drawn = bar.as_ref().map(Drawn::new);
    // Said once: every GitHub write of a slowed-down run is held back a little.
    let slowed = AtomicBool::new(false);
    let slowed_once = move |rate_limit: &RateLimit| {
        (!slowed.swap(true, Ordering::Relaxed)).then(|| slowed_message(rate_limit))
    };
    let events_bar = bar.clone();
    sync = sync.on_event(move |event| match event {
        Event::Start { changes } => {
            if let Some(bar) = &events_bar {
                bar.set_length(*changes as u64);
            }
        }
        Event::Done { name, action, ok } => {
            if let Some(bar) = &events_bar {
                let what = if *ok {
                    format!("{action:?}").to_lowercase()
                } else {
                    "failed".to_owned()
                };
                bar.set_message(format!("{what} {name}"));
                bar.inc(1);
            }
        }
        Event::RateLimited { wait } => {
            eprint_line(&format!("rate limited; waiting {} s", wait.as_secs()));
        }
        Event::Slowed { rate_limit, .. } => {
            if let Some(message) = slowed_once(rate_limit) {
                eprint_line(&message);
            }
        }
        _ => {}
    });
    let config = &settings.config;
    let plan = runtime::block_on(async {
        let plan = sync.plan(config, &state).await;
        if settings.plan_only {
            return Ok(plan);
        }
        Ok(sync.apply(plan, &state).await)
    })?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    match settings.format {
        OutputFormat::Json => {
            let mut out = serde_json::to_string_pretty(&plan)?;
            out.push('\n');
            stdio::write_stdout(out.as_bytes())?;
        }
        OutputFormat::Text => stdio::write_stdout(plan.to_string().as_bytes())?,
    }
    let failures = plan.failures();
    if failures.is_empty() {
        return Ok(());
    }
    for (target, secret, reason) in &failures {
        match secret {
            Some(secret) => eprintln!("failed: secret `{secret}` of {target}: {reason}"),
            None => eprintln!("failed: {target}: {reason}"),
        }
    }
    Err(Error::SyncFailed {
        failed: failures.len(),
    })
}

/// What a run says when it starts spreading its GitHub writes.
fn slowed_message(rate_limit: &RateLimit) -> String {
    let seconds = (rate_limit.reset - OffsetDateTime::now_utc())
        .whole_seconds()
        .max(0);
    format!(
        "GitHub has {} of {} requests left for the next {seconds} s; spreading the writes \
         until its rate limit resets",
        rate_limit.remaining, rate_limit.limit
    )
}
