//! `sealpost`: generate keys, seal and open secrets exactly as libsodium's
//! `crypto_box_seal` does, and store secrets in GitHub and Coder, from a shell.
//!
//! The binary is thin. [`cli`] declares the command line for clap; [`settings`] turns
//! flags, environment variables and defaults into one resolved, parsed value per
//! command; each command runs from its own module under [`commands`], and the
//! services' commands call `sealpost-client`, which holds every fact about the APIs.
//! A failure prints one line, `error: REASON`, on standard error and exits with status
//! 1 (a bulk upload lists each failed secret before that line). Standard output is then
//! empty, except for a bulk upload that partly failed: its summary line goes there
//! first. Usage errors are clap's and exit with status 2.

mod cli;
mod commands;
mod dotenv;
mod error;
mod progress;
mod runtime;
mod settings;
mod stdio;

use std::process::ExitCode;

use crate::settings::Settings;

fn main() -> ExitCode {
    // Prints help, version or a usage error itself, and exits.
    let result = match cli::parse() {
        cli::Parsed::Run(cli, matches) => Settings::resolve(cli, &matches).and_then(commands::run),
        cli::Parsed::Generate(what) => commands::generate(&what),
    };
    match result {
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
