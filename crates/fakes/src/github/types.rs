//! What a test reads back from the fake GitHub, and the faults it can be told to give.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// A secret as the fake GitHub keeps it, with the plaintext libsodium opened.
///
/// `Debug` shows the plaintext's length, never its bytes, so a failing assertion does
/// not print a secret.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stored {
    /// What `crypto_box_seal_open` gave for the last value stored.
    pub plaintext: Vec<u8>,
    /// The `key_id` the last value was sealed to.
    pub key_id: String,
    /// The visibility sent with it (organization secrets: `all`, `private` or
    /// `selected`); `None` for other scopes.
    pub visibility: Option<String>,
    /// The repositories that may use it (user secrets; organization secrets with
    /// `selected` visibility); `None` for other scopes and visibilities.
    pub repositories: Option<Vec<u64>>,
    /// How many `PUT`s stored or changed it, the first included.
    pub writes: usize,
}

impl fmt::Debug for Stored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stored")
            .field(
                "plaintext",
                &format_args!("<{} bytes>", self.plaintext.len()),
            )
            .field("key_id", &self.key_id)
            .field("visibility", &self.visibility)
            .field("repositories", &self.repositories)
            .field("writes", &self.writes)
            .finish()
    }
}

/// The public key a scope publishes at `.../secrets/public-key`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PublishedKey {
    /// The id sent back with every value sealed to the key.
    pub key_id: String,
    /// The X25519 public key, made by libsodium's `crypto_box_keypair`.
    pub key: [u8; 32],
}

impl PublishedKey {
    /// The key as the API gives it: standard, padded base64.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.key)
    }
}

/// An answer the fake gives to a `PUT` of a secret instead of storing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// `502 Bad Gateway`, as GitHub's front end answers when a backend is down.
    BadGateway,
    /// `429 Too Many Requests` with `Retry-After: {retry_after}` (seconds).
    TooManyRequests {
        /// The seconds the client is asked to wait.
        retry_after: u64,
    },
    /// `403 Forbidden` as GitHub answers when a rate limit is used up:
    /// `x-ratelimit-remaining: 0` and `x-ratelimit-reset` `reset_after` seconds from
    /// now (a Unix time), no `Retry-After`.
    RateLimitExhausted {
        /// Seconds until the limit resets.
        reset_after: u64,
    },
}

/// When a [`Fault`] is given, counting `PUT`s of secrets (`PUT .../secrets/{name}`)
/// in every scope, faulty answers included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum When {
    /// The first `n` `PUT`s.
    FirstPuts(usize),
    /// The `n`-th `PUT` (1-based).
    PutNumber(usize),
    /// The first `PUT` of every secret (scope and name).
    FirstPutOfEachSecret,
}
