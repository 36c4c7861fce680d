#![doc = include_str!("../README.md")]

/// The sealed box: [`sealpost-seal`](https://docs.rs/sealpost-seal), re-exported.
#[doc(inline)]
pub use sealpost_seal as seal;
