//! A value is sent, and never shown: not in `Debug` of any builder, patch, client or
//! error, and not in any error's message.

use sealpost_client::coder::SecretPatch;
use sealpost_client::{Error, SecretStore};
use sealpost_fakes::FakeCoder;
use secrecy::SecretString;
use serde_json::json;
use wiremock::matchers::{body_partial_json, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{client, fake_client};

const VALUE: &str = "hunter2-do-not-print";

fn assert_hidden(what: &str, text: &str) {
    assert!(!text.contains("hunter2"), "{what} shows the value: {text}");
}

fn assert_error_hidden(err: &Error) {
    assert_hidden("Display", &err.to_string());
    assert_hidden("Debug", &format!("{err:?}"));
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        assert_hidden("source", &inner.to_string());
        source = inner.source();
    }
}

#[tokio::test]
async fn builders_and_patches_never_show_the_value_but_send_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"value": VALUE})))
        .respond_with(ResponseTemplate::new(201).set_body_json(crate::secret_json("npm")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(body_partial_json(json!({"value": VALUE})))
        .respond_with(ResponseTemplate::new(200).set_body_json(crate::secret_json("npm")))
        .expect(2)
        .mount(&server)
        .await;
    let coder = client(&server);
    let secrets = coder.my_secrets();

    let create = secrets.create("npm", VALUE).env_name("NPM_TOKEN");
    let debug = format!("{create:?}");
    assert_hidden("CreateSecret", &debug);
    assert!(debug.contains("NPM_TOKEN"), "{debug}");
    create.send().await.unwrap();

    let update = secrets.update("npm").value(VALUE);
    assert_hidden("UpdateSecret", &format!("{update:?}"));
    update.send().await.unwrap();

    let patch = SecretPatch::new().value(VALUE).description("d");
    let debug = format!("{patch:?}");
    assert_hidden("SecretPatch", &debug);
    assert!(debug.contains("description: Some(\"d\")"), "{debug}");
    secrets.patch("npm", &patch).await.unwrap();

    assert_hidden("Client", &format!("{coder:?}"));
    assert_hidden("UserSecrets", &format!("{secrets:?}"));
    server.verify().await;
}

#[tokio::test]
async fn input_errors_never_show_the_value() {
    let server = MockServer::start().await;
    let secrets = client(&server).my_secrets();
    let bad_values = [
        format!("{VALUE}\0"),
        VALUE.repeat(24 * 1024 / VALUE.len() + 1),
    ];
    for value in bad_values {
        let err = secrets
            .create("npm", value.clone())
            .send()
            .await
            .unwrap_err();
        assert!(err.is_invalid_input(), "{err}");
        assert_error_hidden(&err);
        let err = secrets
            .update("npm")
            .value(value.clone())
            .send()
            .await
            .unwrap_err();
        assert_error_hidden(&err);
        let err = SecretStore::check(&secrets, "npm", &SecretString::from(value)).unwrap_err();
        assert_error_hidden(&err);
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn server_errors_never_show_the_value() {
    let fake = FakeCoder::start().await.unwrap();
    let secrets = fake_client(&fake).my_secrets();
    secrets.create("npm", VALUE).send().await.unwrap();
    secrets
        .create("other", VALUE)
        .file_path("/x")
        .send()
        .await
        .unwrap();
    let errors = [
        secrets.create("npm", VALUE).send().await.unwrap_err(),
        secrets
            .create("third", VALUE)
            .file_path("/x")
            .send()
            .await
            .unwrap_err(),
        secrets
            .update("missing")
            .value(VALUE)
            .send()
            .await
            .unwrap_err(),
    ];
    for err in &errors {
        assert!(err.api().is_some(), "{err}");
        assert_error_hidden(err);
    }
    assert_eq!(fake.secret("npm").unwrap().value, VALUE);
}
