//! Flags, environment variables and defaults, resolved once into what each command
//! needs: keys parsed, sources decided. Commands never look at clap's types.

use clap::ArgMatches;
use clap::parser::ValueSource;
use sealpost_seal::{PublicKey, SecretKey};
use secrecy::{ExposeSecret, SecretString};

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
        Ok(match cli.command {
            Command::Keygen(args) => Settings::Keygen(KeygenSettings {
                format: if args.json {
                    OutputFormat::Json
                } else {
                    OutputFormat::Text
                },
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
        })
    }
}
