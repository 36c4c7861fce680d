//! Coder's user-secrets client against local fake servers: wiremock for the exact
//! requests, and the shared stateful fake Coder (`sealpost-fakes`) for what the server
//! keeps and refuses. Nothing here reaches the internet.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::missing_panics_doc
)]

mod calls;
mod lifecycle;
mod secrecy_checks;
mod store;
#[path = "../support/mod.rs"]
mod support;
mod validation;

use sealpost_client::RetryPolicy;
use sealpost_client::coder;
use sealpost_fakes::FakeCoder;
use wiremock::MockServer;

/// The session token the wiremock tests send.
pub(crate) const TOKEN: &str = "sess-0123456789";

/// A client of `server` that sends each request once.
pub(crate) fn client(server: &MockServer) -> coder::Client {
    client_of(&server.uri(), TOKEN)
}

/// A client of the fake Coder with its user's token, sending each request once.
pub(crate) fn fake_client(fake: &FakeCoder) -> coder::Client {
    client_of(fake.url(), fake.token())
}

/// A client of the deployment at `url` with `token`, sending each request once.
pub(crate) fn client_of(url: &str, token: &str) -> coder::Client {
    coder::Client::builder(url)
        .token(token)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A secret as Coder answers it.
pub(crate) fn secret_json(name: &str) -> serde_json::Value {
    serde_json::json!({
        "id": "5f2d0c44-5b0f-4a6a-9d1b-6f9d1b1f2a3c",
        "name": name,
        "description": "d",
        "env_name": "E",
        "file_path": "~/f",
        "created_at": "2025-03-04T05:06:07.123456789Z",
        "updated_at": "2025-03-05T05:06:07Z",
    })
}
