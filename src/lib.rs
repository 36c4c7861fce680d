//! # sealpost
//!
//! Seal secrets exactly as libsodium's `crypto_box_seal` does, and upload them to the
//! services that keep them.
//!
//! This crate gathers the workspace's crates under one name:
//!
//! - [`seal`]: the sealed box itself ([`sealpost-seal`](https://docs.rs/sealpost-seal)),
//!   pure Rust, `no_std`, byte-compatible with libsodium.
//! - [`client`]: typed async clients that seal and store secrets in GitHub and Coder
//!   ([`sealpost-client`](https://docs.rs/sealpost-client)).
//!
//! ```
//! use sealpost::seal::SecretKey;
//!
//! let recipient = SecretKey::generate();
//! let sealed = recipient.public_key().seal_base64(b"s3cr3t");
//! # let _ = sealed;
//! ```

#[doc(inline)]
pub use sealpost_seal as seal;

#[doc(inline)]
pub use sealpost_client as client;
