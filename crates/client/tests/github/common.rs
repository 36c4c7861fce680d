//! What every GitHub test file needs: a client pointed at a local server, retries
//! without real waiting, and a matcher that opens sealed values with libsodium.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sealpost_client::RetryPolicy;
use sealpost_client::github::Client;
use serde_json::Value;
use wiremock::matchers::{header, method, path};
use wiremock::{Match, Mock, MockBuilder, MockServer, Request, ResponseTemplate};

use crate::sodium::Keypair;

pub(crate) const TOKEN: &str = "ghp_test_token_0123456789";

/// Retries without real waiting (the fault tests that test waiting set their own).
pub(crate) fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
        .rate_limit_fallback(Duration::from_millis(5))
}

pub(crate) fn client(uri: &str) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(uri)
        .retry(fast_retries())
        .build()
        .unwrap()
}

/// A mock of `METHOD PATH` that also requires every header GitHub documents.
pub(crate) fn github(http_method: &str, exact_path: &str) -> MockBuilder {
    Mock::given(method(http_method))
        .and(path(exact_path))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("accept", "application/vnd.github+json"))
        .and(header("x-github-api-version", "2022-11-28"))
        .and(header(
            "user-agent",
            concat!("sealpost/", env!("CARGO_PKG_VERSION")),
        ))
}

/// A server's public-key answer for `keypair`.
pub(crate) fn key_response(key_id: &str, keypair: &Keypair) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "key_id": key_id,
        "key": STANDARD.encode(keypair.public),
    }))
}

/// Mounts `GET {scope}/public-key` answering with `keypair`, expected `times` times.
pub(crate) async fn mount_key(
    server: &MockServer,
    scope: &str,
    key_id: &str,
    keypair: &Keypair,
    times: u64,
) {
    github("GET", &format!("{scope}/public-key"))
        .respond_with(key_response(key_id, keypair))
        .expect(times)
        .mount(server)
        .await;
}

/// Matches a JSON body whose `encrypted_value` libsodium opens with `keypair` to
/// exactly `plaintext`, and whose other fields are exactly `rest`.
pub(crate) struct Sealed {
    pub(crate) keypair: Keypair,
    pub(crate) plaintext: Vec<u8>,
    pub(crate) rest: Value,
}

impl Sealed {
    pub(crate) fn new(keypair: &Keypair, plaintext: impl AsRef<[u8]>, rest: Value) -> Self {
        Sealed {
            keypair: keypair.clone(),
            plaintext: plaintext.as_ref().to_vec(),
            rest,
        }
    }
}

impl Match for Sealed {
    fn matches(&self, request: &Request) -> bool {
        let Ok(Value::Object(mut body)) = serde_json::from_slice::<Value>(&request.body) else {
            return false;
        };
        let Some(Value::String(encrypted)) = body.remove("encrypted_value") else {
            return false;
        };
        let Ok(sealed) = STANDARD.decode(encrypted) else {
            return false;
        };
        self.keypair.open(&sealed).as_deref() == Some(&self.plaintext[..])
            && Value::Object(body) == self.rest
    }
}

/// Requests the server received with `http_method`.
pub(crate) async fn received(server: &MockServer, http_method: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.method.as_str() == http_method)
        .collect()
}
