//! The one error type of the crate: what can go wrong starting a fake or asking it
//! for a key.

use std::io;

/// Why a fake server could not start, or could not answer a question about its state.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No local port could be bound (`127.0.0.1:0`).
    #[error("could not listen on a local port: {0}")]
    Bind(#[source] io::Error),
    /// The background thread or its tokio runtime of [`FakeGitHub::spawn`] could not
    /// start.
    ///
    /// [`FakeGitHub::spawn`]: crate::FakeGitHub::spawn
    #[error("could not start the fake server's background runtime: {0}")]
    Runtime(#[source] io::Error),
    /// The background thread of a spawned fake stopped before it reported its address.
    #[error("the fake server's background thread stopped before it started serving")]
    ThreadGone,
    /// libsodium could not start or refused an input (no randomness, a low-order key).
    #[error("libsodium failed (no source of randomness, or a key it refuses)")]
    Sodium,
    /// aws-lc could not make an RSA key pair for a fake GitHub App.
    #[error("aws-lc could not make an RSA key pair for the fake GitHub App")]
    KeyGeneration,
    /// A scope path the fake does not serve.
    #[error("`{0}` is not a scope this fake serves")]
    UnknownScope(String),
}
