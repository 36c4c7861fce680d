//! The command line as clap sees it: commands, flags, help text and environment
//! variables. Values are taken as text here; [`crate::settings`] parses them, so that a
//! bad key gets our one-line error rather than a usage error that echoes the value.

use std::convert::Infallible;

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use secrecy::SecretString;

/// The environment variable `sealpost open` reads the secret key from.
pub(crate) const SECRET_KEY_ENV: &str = "SEALPOST_SECRET_KEY";

/// Seal secrets exactly as libsodium's `crypto_box_seal` does.
///
/// A sealed box can be opened only with the secret key matching the public key it was
/// sealed to; it is the format GitHub requires for Actions, Codespaces and Dependabot
/// secrets.
#[derive(Parser)]
#[command(name = "sealpost", version, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The commands of `sealpost`.
#[derive(Subcommand)]
pub(crate) enum Command {
    /// Generate a key pair to receive sealed boxes with.
    #[command(after_help = KEYGEN_EXAMPLES)]
    Keygen(KeygenArgs),

    /// Seal a value to a public key, and print the sealed box as base64.
    #[command(after_help = SEAL_EXAMPLES)]
    Seal(SealArgs),

    /// Open a base64 sealed box read from standard input, and print its plaintext.
    #[command(after_help = OPEN_EXAMPLES)]
    Open(OpenArgs),
}

/// `sealpost keygen`.
#[derive(Args)]
pub(crate) struct KeygenArgs {
    /// Print the keys as one JSON object, `{"public_key": ..., "secret_key": ...}`,
    /// instead of two `name: value` lines.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `sealpost seal`.
#[derive(Args)]
pub(crate) struct SealArgs {
    /// The recipient's public key: 32 bytes in standard, padded base64, like the `key`
    /// field of GitHub's `.../secrets/public-key` endpoints.
    #[arg(long, short = 'k', value_name = "BASE64")]
    pub(crate) key: String,

    /// The value to seal. Without it, standard input is sealed byte for byte, a trailing
    /// newline included.
    #[arg(long, short = 'b', value_name = "VALUE", value_parser = secret)]
    pub(crate) body: Option<SecretString>,
}

/// `sealpost open`.
#[derive(Args)]
pub(crate) struct OpenArgs {
    /// The secret key matching the public key the box was sealed to, in standard base64.
    /// Prefer the environment variable: a command line is visible to other users of the
    /// machine.
    #[arg(
        long,
        value_name = "BASE64",
        env = SECRET_KEY_ENV,
        hide_env_values = true,
        value_parser = secret,
    )]
    pub(crate) secret_key: SecretString,
}

const KEYGEN_EXAMPLES: &str = "\
Examples:
  sealpost keygen
  sealpost keygen --json > keypair.json";

const SEAL_EXAMPLES: &str = "\
Examples:
  printf %s \"$TOKEN\" | sealpost seal --key \"$PUBLIC_KEY\"
  sealpost seal --key \"$PUBLIC_KEY\" < secret.pem";

const OPEN_EXAMPLES: &str = "\
Examples:
  SEALPOST_SECRET_KEY=\"$SECRET_KEY\" sealpost open < sealed.txt";

/// Parses the process's arguments, keeping clap's matches so that settings can ask
/// where a value came from (a flag or the environment).
///
/// On `--help`, `--version` or a usage error, prints and exits as clap does.
pub(crate) fn parse() -> (Cli, ArgMatches) {
    let matches = Cli::command().get_matches();
    match Cli::from_arg_matches(&matches) {
        Ok(cli) => (cli, matches),
        Err(err) => err.format(&mut Cli::command()).exit(),
    }
}

/// Keeps a secret argument in a [`SecretString`], which is wiped on drop and never
/// shown by `Debug`. (clap's own copy of the raw argument is not wiped; neither is the
/// process's environment.)
#[allow(clippy::unnecessary_wraps)] // clap's value parsers return a `Result`.
fn secret(text: &str) -> Result<SecretString, Infallible> {
    Ok(SecretString::from(text))
}
