//! GitHub client tests against local servers: wiremock for exact requests (with
//! matchers that open sealed values with libsodium), and the shared fake GitHub
//! (`sealpost-fakes`) that decrypts what it receives with libsodium and keeps state.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// Repository ids are written as GitHub's documentation writes them (1296269).
#![allow(clippy::unreadable_literal)]

mod bad_input;
mod common;
mod e2e;
mod endpoints;
mod faults;
mod hints;
mod scopes;
#[path = "../support/mod.rs"]
mod support;
