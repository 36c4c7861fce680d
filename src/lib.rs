#![doc = include_str!("../README.md")]

/// The sealed box: [`sealpost-seal`](https://docs.rs/sealpost-seal), re-exported.
#[doc(inline)]
pub use sealpost_seal as seal;

/// Typed async clients for GitHub and Coder:
/// [`sealpost-client`](https://docs.rs/sealpost-client), re-exported.
#[doc(inline)]
pub use sealpost_client as client;

/// Declared secrets kept in place across GitHub and Coder (`sealpost sync`):
/// [`sealpost-sync`](https://docs.rs/sealpost-sync), re-exported.
#[doc(inline)]
pub use sealpost_sync as sync;
