//! One module per command; each takes its resolved settings and does its job.

mod coder;
mod completions;
mod github;
mod keygen;
mod man;
mod open;
mod seal;
mod sync;

use time::format_description::well_known::Rfc3339;

use crate::cli::Generate;
use crate::error::Error;
use crate::settings::Settings;

/// A time as RFC 3339 text, as the services write it.
fn timestamp(time: time::OffsetDateTime) -> String {
    time.format(&Rfc3339).unwrap_or_else(|_| time.to_string())
}

/// Runs the command `settings` were resolved for.
pub(crate) fn run(settings: Settings) -> Result<(), Error> {
    match settings {
        Settings::Keygen(settings) => keygen::run(&settings),
        Settings::Seal(settings) => seal::run(&settings),
        Settings::Open(settings) => open::run(&settings),
        Settings::Github(settings) => github::run(settings),
        Settings::Coder(settings) => coder::run(settings),
        Settings::Sync(settings) => sync::run(settings),
    }
}

/// Prints what `what` generates from the command line's definition.
pub(crate) fn generate(what: &Generate) -> Result<(), Error> {
    match what {
        Generate::Completions(args) => completions::run(args.shell),
        Generate::Man(args) => man::run(args.out_dir.as_deref()),
    }
}

/// Warns, once per command, that `what` will cross the network unencrypted: the
/// service's URL is `http` to a host that is not this machine.
fn warn_cleartext(what: &str) {
    eprintln!(
        "warning: {what} will cross the network unencrypted (http to a host that is not \
         this machine); use an https URL unless every network on the way is trusted"
    );
}
