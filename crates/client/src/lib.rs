#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod bulk;
pub mod coder;
mod error;
pub mod github;
pub mod retry;
mod store;
mod transport;

pub use error::{
    ApiError, Context, Error, Field, FieldProblem, InputProblem, KeyProblem, NameProblem,
    Operation, Service, Validation,
};
pub use retry::{RetryPolicy, RetryWait, WaitReason};
pub use store::{PutOutcome, SecretInfo, SecretStore};

/// The secret-holding types this crate takes, re-exported so callers need not match
/// our `secrecy` version.
pub use secrecy;
