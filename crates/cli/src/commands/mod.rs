//! One module per command; each takes its resolved settings and does its job.

mod keygen;
mod open;
mod seal;

use crate::error::Error;
use crate::settings::Settings;

/// Runs the command `settings` were resolved for.
pub(crate) fn run(settings: Settings) -> Result<(), Error> {
    match settings {
        Settings::Keygen(settings) => keygen::run(&settings),
        Settings::Seal(settings) => seal::run(&settings),
        Settings::Open(settings) => open::run(&settings),
    }
}
