//! Helpers that both test binaries (`github` and `coder`) use; each includes this file
//! with `#[path = "../support/mod.rs"]`.

use sealpost_client::SecretStore;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A wiremock server that fails the test if any request reaches it (checked by
/// `verify`, and when it is dropped).
pub(crate) async fn untouchable() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    server
}

/// The names `store` lists, in the order it lists them.
pub(crate) async fn listed_names(store: &dyn SecretStore) -> Vec<String> {
    let listed = store.list().await.unwrap();
    listed.into_iter().map(|secret| secret.name).collect()
}
