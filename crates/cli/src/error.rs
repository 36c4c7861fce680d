//! The one error type of the binary.

use std::fmt;
use std::io;
use std::path::PathBuf;

use sealpost_client::github::App;
use sealpost_seal::Base64Problem;

/// Everything a command can fail with. Each message says what was wrong and what to
/// do, and never includes a secret value, key or token: key errors come from
/// [`sealpost_seal::Error`], which describes the text without repeating it, and
/// [`sealpost_client::Error`] never holds a value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum Error {
    /// A key given on the command line or in the environment could not be used.
    #[error("invalid {origin}: {error}")]
    Key {
        /// Where the key came from.
        origin: Origin,
        /// Why it was refused.
        error: sealpost_seal::Error,
    },

    /// `open` found nothing but whitespace on standard input.
    #[error("no sealed box on standard input; pipe in the base64 text `sealpost seal` printed")]
    NoSealedBox,

    /// `open` was given text that is not base64.
    #[error(
        "the sealed box on standard input is not valid base64 ({0}); \
         pipe in the standard, padded base64 text `sealpost seal` printed"
    )]
    SealedBoxBase64(Base64Problem),

    /// The sealed box was too short, sealed to another key, or altered.
    #[error("{0}")]
    Open(sealpost_seal::Error),

    /// Standard input could not be read.
    #[error("could not read standard input: {0}")]
    ReadStdin(io::Error),

    /// Standard output could not be written, for example because the reader went away.
    #[error("could not write to standard output: {0}")]
    WriteStdout(io::Error),

    /// `sealpost man --out-dir` could not write a page.
    #[error(
        "could not write the manual page {}: {source}; give --out-dir a directory that \
         exists and that you can write to",
        path.display()
    )]
    WriteManPage {
        /// The page's file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },

    /// Output could not be rendered as JSON.
    #[error("could not write JSON output: {0}")]
    Json(#[from] serde_json::Error),

    /// A value to store is not UTF-8 text; the services store text.
    #[error(
        "the value on standard input is not UTF-8 text, and secrets are stored as text; \
         encode binary data first (for example with `base64`)"
    )]
    ValueNotText,

    /// No token in the environment.
    #[error("no {service} token: set {variables}")]
    MissingToken {
        /// "GitHub" or "Coder".
        service: &'static str,
        /// The variables read, in words.
        variables: &'static str,
    },

    /// No usable GitHub credentials (flags, `GH_TOKEN`, `GITHUB_TOKEN`, the App
    /// variables, gh).
    #[error("{0}")]
    Credentials(#[from] crate::settings::CredentialsError),

    /// No Coder URL, from `--url` or the environment.
    #[error("no Coder URL: set CODER_URL or give --url, e.g. https://coder.example.com")]
    MissingCoderUrl,

    /// A token variable holds bytes that are not UTF-8.
    #[error("environment variable {variable} is not valid UTF-8, so it cannot hold a token")]
    TokenNotUnicode {
        /// The variable.
        variable: &'static str,
    },

    /// No scope flag; clap normally refuses this first.
    #[error(
        "say where the secrets are: --user, --org ORG, --repo OWNER/REPO, or --env ENV with \
         --repo or --repo-id"
    )]
    MissingScope,

    /// `--app` names secrets that do not exist in the scope.
    #[error("--app {app} cannot be used with {flag}: only {only} secrets exist there")]
    AppNotAvailable {
        /// The app asked for.
        app: App,
        /// The scope flag.
        flag: &'static str,
        /// The only app of that scope.
        only: App,
    },

    /// A repository given in a form that is not understood.
    #[error("invalid {flag} value `{text}`: expected {expected}")]
    RepositoryFormat {
        /// `--repo` or `--repos`.
        flag: &'static str,
        /// What was given (a repository name, not a secret).
        text: String,
        /// What would have been understood.
        expected: &'static str,
    },

    /// `--repos` with a visibility other than `selected`.
    #[error(
        "--repos cannot be used with --visibility all or private: the repositories are \
         the selected ones; use --visibility selected, or leave it out"
    )]
    ReposNeedSelected,

    /// `github access` with more than one kind of change.
    #[error(
        "give one change at a time: --visibility (with --repos for selected), --repos, \
         --add-repos or --remove-repos"
    )]
    OneAccessChange,

    /// Names in a dotenv file that GitHub takes for one secret (listed on standard
    /// error before this error, with their lines).
    #[error(
        "{} names {count} secret(s) in more than one spelling (GitHub ignores case in \
         names); keep one spelling of each; nothing was stored",
        path.display()
    )]
    NameCollisions {
        /// The file.
        path: PathBuf,
        /// How many secrets.
        count: usize,
    },

    /// The service refused, could not be reached, or refused the input before anything
    /// was sent.
    #[error("{0}")]
    Client(#[from] sealpost_client::Error),

    /// The async runtime the clients run on could not start.
    #[error("could not start the async runtime: {0}")]
    Runtime(io::Error),

    /// A dotenv file could not be read.
    #[error("could not read {}: {source}", path.display())]
    ReadEnvFile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },

    /// A dotenv file had lines that are not `NAME=VALUE` (listed on standard error
    /// before this error).
    #[error(
        "{} has {count} line(s) that could not be parsed; nothing was stored",
        path.display()
    )]
    EnvFileSyntax {
        /// The file.
        path: PathBuf,
        /// How many.
        count: usize,
    },

    /// A dotenv file had no entries.
    #[error("{} holds no NAME=VALUE lines; nothing was stored", path.display())]
    EmptyEnvFile {
        /// The file.
        path: PathBuf,
    },

    /// Some names or values of a dotenv file would be refused (listed on standard error
    /// before this error).
    #[error(
        "{} has {count} secret(s) that cannot be stored as they are; nothing was stored",
        path.display()
    )]
    InvalidEntries {
        /// The file.
        path: PathBuf,
        /// How many.
        count: usize,
    },

    /// The sync configuration cannot be used.
    #[error("{0}")]
    SyncConfig(#[from] sealpost_sync::ConfigError),

    /// The sync state folder cannot be used.
    #[error("{0}")]
    SyncState(#[from] sealpost_sync::StateError),

    /// Some targets or secrets of a sync failed (each is listed above); the others
    /// were done.
    #[error("sync: {failed} failure(s), listed above; everything else was done")]
    SyncFailed {
        /// How many targets and secrets failed.
        failed: usize,
    },

    /// Some uploads of a bulk run failed (listed on standard error before this error);
    /// the others were stored.
    #[error("{failed} of {total} secrets were not stored in {scope}; the others were")]
    SomeNotStored {
        /// How many failed.
        failed: usize,
        /// How many were tried.
        total: usize,
        /// Where, in words.
        scope: String,
    },
}

/// Where a value came from, to name it in an error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A command-line flag, e.g. `--key`.
    Flag(&'static str),
    /// An environment variable, e.g. `SEALPOST_SECRET_KEY`.
    Env(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag(flag) => write!(f, "{flag}"),
            Origin::Env(name) => write!(f, "environment variable {name}"),
        }
    }
}

/// What was wrong with base64 text, in the words `sealpost-seal` uses for keys.
pub(crate) fn base64_problem(err: &base64::DecodeError) -> Base64Problem {
    match *err {
        base64::DecodeError::InvalidByte(offset, b'=') if offset > 0 => Base64Problem::Padding,
        base64::DecodeError::InvalidByte(offset, _) => Base64Problem::InvalidCharacter { offset },
        base64::DecodeError::InvalidLength(_) => Base64Problem::Truncated,
        base64::DecodeError::InvalidLastSymbol { .. } | base64::DecodeError::InvalidPadding => {
            Base64Problem::Padding
        }
    }
}
