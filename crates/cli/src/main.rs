//! `sealpost`: generate keys, and seal and open secrets exactly as libsodium's
//! `crypto_box_seal` does, from a shell.
//!
//! The binary is thin. [`cli`] declares the command line for clap; [`settings`] turns
//! flags, environment variables and defaults into one resolved, parsed value per
//! command; each command runs from its own module under [`commands`]. A failure prints
//! one line, `error: REASON`, on standard error, nothing on standard output, and exits
//! with status 1; usage errors are clap's and exit with status 2.

mod cli;
mod commands;
mod error;
mod settings;
mod stdio;

use std::process::ExitCode;

use crate::settings::Settings;

fn main() -> ExitCode {
    // Prints help, version or a usage error itself, and exits.
    let (cli, matches) = cli::parse();
    match Settings::resolve(cli, &matches).and_then(commands::run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line, whatever the error: a caller's log parser or `2>&1 | tail -1`
            // should see the whole reason.
            let reason = err.to_string().replace(['\r', '\n'], " ");
            eprintln!("error: {reason}");
            ExitCode::FAILURE
        }
    }
}
