#![doc = include_str!("../README.md")]
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;

mod declassify;
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

/// Which X25519 code a process runs for a one-shot seal and an open (see the crate
/// README's "Which X25519 runs where").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum X25519Backend {
    /// This crate's AVX-512 IFMA code, which passed its known-answer self-test here.
    Ifma,
    /// AWS-LC's `X25519` (s2n-bignum's formally verified assembly on `x86_64`, aarch64).
    AwsLc,
    /// curve25519-dalek and this crate's fiat-crypto ladder.
    Portable,
}

impl core::fmt::Display for X25519Backend {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            X25519Backend::Ifma => "AVX-512 IFMA (this crate's, self-tested)",
            X25519Backend::AwsLc => "AWS-LC",
            X25519Backend::Portable => "portable (curve25519-dalek, fiat-crypto)",
        })
    }
}

/// The X25519 code this process runs, decided on first use: on a CPU with AVX-512 IFMA
/// (and the default features) the IFMA code if it passes its known-answer self-test,
/// otherwise AWS-LC with the `aws-lc` feature, otherwise the portable code. The
/// `sealpost_x25519` cfg overrides the default for a whole build.
pub fn x25519_backend() -> X25519Backend {
    x25519::running()
}

/// Runs the IFMA code's known-answer self-test again and says whether it passed
/// (`None` where this build or CPU has no IFMA code). For the benchmark, which reports
/// the once-per-process cost; not part of the supported API.
#[doc(hidden)]
pub fn __x25519_self_test() -> Option<bool> {
    x25519::self_test_again()
}

/// Internals for the differential fuzz target; only in cargo-fuzz builds.
#[cfg(fuzzing)]
#[doc(hidden)]
pub use x25519::fuzzing as __fuzzing;

/// The random-number traits [`PublicKey::seal_with_rng`] takes, re-exported so callers
/// need not match our `rand_core` version.
pub use rand_core;
