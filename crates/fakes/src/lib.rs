#![doc = include_str!("../README.md")]

pub mod coder;
pub mod github;
pub mod sodium;

mod error;
mod log;
mod page;
mod server;
mod time;

pub use coder::{CoderSecret, FakeCoder, FakeCoderBuilder};
pub use error::Error;
pub use github::{
    AppKey, FakeGitHub, FakeGitHubBuilder, Fault, PublishedKey, Scope, Stored, StoredRegistry,
};
pub use log::LoggedRequest;
