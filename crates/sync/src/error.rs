//! The errors of sync: a configuration that cannot be used, a value that cannot be
//! read, a state folder that cannot be used. No error ever holds a secret value.

use std::io;
use std::path::PathBuf;

/// A configuration file that cannot be used; nothing was read from any source and
/// nothing was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read the sync configuration `{path}`: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The file is not TOML.
    #[error("`{path}` is not valid TOML: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message (line and column included).
        message: String,
    },
    /// A table holds a key that is missing, unknown, of the wrong type or refused.
    #[error("`{path}`: {table}: `{key}`: {problem}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The table, e.g. `[[github]] #2 (org "acme")`, or `[github.secrets]` of it.
        table: String,
        /// The key in it.
        key: String,
        /// What is wrong.
        problem: Problem,
    },
}

/// What is wrong with one key of a configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A required key is missing.
    #[error("missing; {hint}")]
    Missing {
        /// What to write.
        hint: &'static str,
    },
    /// The key is not one this table takes.
    #[error("unknown key; this table takes {allowed}")]
    Unknown {
        /// The keys the table takes.
        allowed: &'static str,
    },
    /// The value has the wrong type.
    #[error("expected {expected}")]
    WrongType {
        /// What was expected.
        expected: &'static str,
    },
    /// Keys that exclude each other were given together, or none of them.
    #[error("give exactly one of {keys}")]
    ExactlyOne {
        /// The keys.
        keys: &'static str,
    },
    /// The key does not apply to this kind of target.
    #[error("{why}")]
    NotHere {
        /// Where it applies instead.
        why: &'static str,
    },
    /// The value is refused, and why (never a secret value: these are names, paths,
    /// visibilities, repository names).
    #[error("{0}")]
    Refused(String),
    /// Two declarations of one secret (GitHub compares names ignoring case), or two
    /// tables of one target.
    #[error("declared twice: {other}")]
    Duplicate {
        /// Where the other declaration is.
        other: String,
    },
}

/// A secret's value could not be read from its source. Nothing is written for the
/// target the secret belongs to.
#[derive(Debug, thiserror::Error)]
#[error("secret `{secret}` of {target}: {source_text}: {problem}")]
#[non_exhaustive]
pub struct SourceError {
    /// The secret's name.
    pub secret: String,
    /// The target, in words.
    pub target: String,
    /// The source as written: `env NPM_TOKEN`, `file secrets/db_url`, `command op read ...`.
    pub source_text: String,
    /// What went wrong.
    pub problem: SourceProblem,
}

/// Why a source gave no value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceProblem {
    /// The environment variable is not set.
    #[error("the environment variable is not set")]
    EnvMissing,
    /// The value is not UTF-8 text (GitHub and Coder take text).
    #[error("the value is not UTF-8 text")]
    NotUtf8,
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    File(#[source] io::Error),
    /// The command could not be started.
    #[error("cannot run the command: {0}")]
    Spawn(#[source] io::Error),
    /// The command exited with a failure.
    #[error("the command failed ({status}); its standard error is above")]
    Exit {
        /// The exit status, in words.
        status: String,
    },
    /// The value was read, but the service would refuse it (too large; for Coder,
    /// empty or holding a NUL byte). The error never holds the value.
    #[error("the value cannot be stored: {0}")]
    Refused(Box<sealpost_client::Error>),
}

/// The state folder cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// Another run holds the lock.
    #[error(
        "another `sealpost sync` is using the state folder `{dir}`; wait for it to finish \
         (if none is running, its lock was left by a crash and is released already: try again)"
    )]
    Locked {
        /// The folder.
        dir: PathBuf,
    },
    /// The state was opened read-only (for a plan), and a write was attempted.
    #[error("the state folder `{dir}` was opened to plan only; nothing can be recorded in it")]
    ReadOnly {
        /// The folder.
        dir: PathBuf,
    },
    /// A file of the folder could not be read or written.
    #[error("state folder `{dir}`: {what}: {source}")]
    Io {
        /// The folder.
        dir: PathBuf,
        /// What was being done.
        what: &'static str,
        /// Why it failed.
        #[source]
        source: io::Error,
    },
    /// A file of the folder is not what sync writes.
    #[error(
        "state folder `{dir}`: {what}; move the folder away to start afresh (the next run then re-sends every declared value once)"
    )]
    Corrupt {
        /// The folder.
        dir: PathBuf,
        /// What is wrong.
        what: String,
    },
}
