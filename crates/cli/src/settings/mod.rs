//! Flags, environment variables and defaults, resolved once into what each command
//! needs: keys parsed, sources decided, conflicts refused. Commands never look at
//! clap's types.

mod coder;
mod credentials;
mod github;
mod registry;
mod sync;

use std::time::Duration;

use clap::ArgMatches;
use clap::parser::ValueSource;
use sealpost_client::RetryPolicy;
use sealpost_seal::{PublicKey, SecretKey};
use secrecy::{ExposeSecret, SecretString};

pub(crate) use self::coder::{
    CoderConnection, CoderSettings, CoderTask, CreateSettings, UpdateSettings,
};
pub(crate) use self::credentials::{Credentials, CredentialsError};
pub(crate) use self::github::{
    AccessChange, AccessRequest, AccessSettings, DeleteSettings, GithubConnection, GithubSettings,
    GithubTask, ListSettings, SetManySettings, SetSettings,
};
pub(crate) use self::registry::{RegistrySetSettings, RegistryTask};
pub(crate) use self::sync::SyncSettings;
use crate::cli::{self, Cli, Command};
use crate::error::{Error, Origin};

/// One command, ready to run.
pub(crate) enum Settings {
    /// `sealpost keygen`.
    Keygen(KeygenSettings),
    /// `sealpost seal`.
    Seal(SealSettings),
    /// `sealpost open`.
    Open(OpenSettings),
    /// `sealpost github ...`.
    Github(GithubSettings),
    /// `sealpost coder secrets ...`.
    Coder(CoderSettings),
    /// `sealpost sync CONFIG`.
    Sync(SyncSettings),
}

/// What `keygen` prints.
pub(crate) struct KeygenSettings {
    /// How the key pair is printed.
    pub(crate) format: OutputFormat,
}

/// How a command prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutputFormat {
    /// Lines for a person to read (and for `cut`/`grep`).
    Text,
    /// One JSON value.
    Json,
}

/// What `seal` seals, and to whom.
pub(crate) struct SealSettings {
    /// The recipient's public key, known not to be a low-order point.
    pub(crate) recipient: PublicKey,
    /// Where the plaintext comes from.
    pub(crate) plaintext: Plaintext,
}

/// Where the value to seal comes from.
pub(crate) enum Plaintext {
    /// `--body VALUE`: sealed as given, without a newline.
    Given(SecretString),
    /// Standard input, byte for byte, until end of file.
    Stdin,
}

/// What `open` opens with.
pub(crate) struct OpenSettings {
    /// The recipient's secret key.
    pub(crate) secret_key: SecretKey,
}

impl Settings {
    /// Parses every value of the command line and environment a command depends on.
    ///
    /// `matches` are clap's matches for `cli`, asked where a value came from so that an
    /// error can name the flag or the environment variable the user actually set.
    pub(crate) fn resolve(cli: Cli, matches: &ArgMatches) -> Result<Self, Error> {
        let retry = retry_policy(cli.retry_max_wait_ms);
        Ok(match cli.command {
            Command::Keygen(args) => Settings::Keygen(KeygenSettings {
                format: OutputFormat::from_json_flag(args.json),
            }),
            Command::Seal(args) => {
                let origin = Origin::Flag("--key");
                let recipient = PublicKey::from_base64(&args.key)
                    .map_err(|error| Error::Key { origin, error })?;
                Settings::Seal(SealSettings {
                    recipient,
                    plaintext: args.body.map_or(Plaintext::Stdin, Plaintext::Given),
                })
            }
            Command::Open(args) => {
                let from_env = matches
                    .subcommand_matches("open")
                    .and_then(|open| open.value_source("secret_key"))
                    == Some(ValueSource::EnvVariable);
                let origin = if from_env {
                    Origin::Env(cli::SECRET_KEY_ENV)
                } else {
                    Origin::Flag("--secret-key")
                };
                let secret_key = SecretKey::from_base64(args.secret_key.expose_secret())
                    .map_err(|error| Error::Key { origin, error })?;
                Settings::Open(OpenSettings { secret_key })
            }
            Command::Github(args) => Settings::Github(GithubSettings::resolve(args, retry)?),
            Command::Coder(args) => Settings::Coder(CoderSettings::resolve(args, retry)?),
            Command::Sync(args) => Settings::Sync(SyncSettings::resolve(args, retry)?),
        })
    }
}

impl OutputFormat {
    /// `--json` or not.
    pub(crate) fn from_json_flag(json: bool) -> Self {
        if json {
            OutputFormat::Json
        } else {
            OutputFormat::Text
        }
    }
}

/// Waits longer than this are announced on standard error, so that a command waiting
/// out a rate limit does not look hung.
const ANNOUNCED_WAIT: Duration = Duration::from_secs(2);

/// The client's retry policy; with `max_wait_ms` (`SEALPOST_RETRY_MAX_WAIT_MS`, for
/// tests against local servers, at least [`cli::MIN_RETRY_WAIT_MS`]), every wait the
/// policy chooses is between half of it and all of it. Waits a server asks for
/// (`Retry-After`) are not changed. Each wait over [`ANNOUNCED_WAIT`] prints one line
/// on standard error (above a progress bar, if one is drawn): "rate limited by GitHub;
/// waiting 37 s".
fn retry_policy(max_wait_ms: Option<u64>) -> RetryPolicy {
    let policy = RetryPolicy::default().on_wait(|wait| {
        if wait.wait > ANNOUNCED_WAIT {
            crate::progress::eprint_line(&wait.to_string());
        }
    });
    match max_wait_ms {
        None => policy,
        Some(ms) => {
            let cap = Duration::from_millis(ms);
            policy
                .initial_backoff(cap)
                .max_backoff(cap)
                .rate_limit_fallback(cap)
        }
    }
}
