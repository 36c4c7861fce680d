#![doc = include_str!("../README.md")]
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;

mod error;
mod keystream;
mod poly1305;
mod public_key;
mod recipient;
mod rng;
mod sealed_box;
mod secret_key;
mod x25519;

pub use error::{Base64Problem, Error, KeyKind};
pub use public_key::PublicKey;
pub use recipient::Recipient;
pub use sealed_box::SEAL_OVERHEAD;
pub use secret_key::SecretKey;

/// The random-number traits [`PublicKey::seal_with_rng`] takes, re-exported so callers
/// need not match our `rand_core` version.
pub use rand_core;
