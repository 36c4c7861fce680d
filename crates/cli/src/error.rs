//! The one error type of the binary.

use std::fmt;
use std::io;

use sealpost_seal::Base64Problem;

/// Everything a command can fail with. Each message says what was wrong and what to
/// do, and never includes a secret value or key: key errors come from
/// [`sealpost_seal::Error`], which describes the text without repeating it.
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

    /// Output could not be rendered as JSON.
    #[error("could not write JSON output: {0}")]
    Json(#[from] serde_json::Error),
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
