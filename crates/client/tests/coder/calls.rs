//! Each call's request, exactly: method, path, `Coder-Session-Token`, JSON body (and
//! for `PATCH`, which fields are present), and its answer read into typed values.

use sealpost_client::coder::{SecretPatch, User};
use sealpost_client::{Operation, Service};
use serde_json::json;
use uuid::Uuid;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::{TOKEN, client, secret_json};

/// A request with a body has exactly this JSON, with a JSON content type.
fn json_body(expected: serde_json::Value) -> impl Fn(&Request) -> bool {
    move |request: &Request| {
        let content_type = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok());
        content_type == Some("application/json")
            && serde_json::from_slice::<serde_json::Value>(&request.body).ok()
                == Some(expected.clone())
    }
}

#[tokio::test]
async fn list_reads_every_secret() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users/me/secrets"))
        .and(header("Coder-Session-Token", TOKEN))
        .and(header("accept", "application/json"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([secret_json("a"), secret_json("b")])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let secrets = client(&server).my_secrets().list().await.unwrap();
    let names: Vec<_> = secrets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    let first = &secrets[0];
    assert_eq!(
        first.id,
        Uuid::parse_str("5f2d0c44-5b0f-4a6a-9d1b-6f9d1b1f2a3c").unwrap()
    );
    assert_eq!(
        (
            first.description.as_str(),
            first.env_name.as_str(),
            first.file_path.as_str()
        ),
        ("d", "E", "~/f")
    );
    // 2025-03-04T05:06:07Z and a day later, from `date -u -d ... +%s`.
    assert_eq!(first.created_at.unix_timestamp(), 1_741_064_767);
    assert_eq!(first.created_at.nanosecond(), 123_456_789);
    assert_eq!(first.updated_at.unix_timestamp(), 1_741_151_167);
}

#[tokio::test]
async fn list_of_an_empty_user_is_empty() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users/me/secrets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    assert!(
        client(&server)
            .my_secrets()
            .list()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn get_reads_one_secret() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users/me/secrets/npm"))
        .and(header("Coder-Session-Token", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(secret_json("npm")))
        .expect(1)
        .mount(&server)
        .await;
    let secret = client(&server).my_secrets().get("npm").await.unwrap();
    assert_eq!(secret.name, "npm");
}

#[tokio::test]
async fn create_sends_name_and_value_only_when_nothing_else_is_given() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/users/me/secrets"))
        .and(header("Coder-Session-Token", TOKEN))
        .and(json_body(json!({"name": "npm", "value": "s3cr3t"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(secret_json("npm")))
        .expect(1)
        .mount(&server)
        .await;
    let secret = client(&server)
        .my_secrets()
        .create("npm", "s3cr3t")
        .send()
        .await
        .unwrap();
    assert_eq!(secret.name, "npm");
}

#[tokio::test]
async fn create_sends_every_optional_field_given() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/users/me/secrets"))
        .and(body_json(json!({
            "name": "npm",
            "value": "s3cr3t",
            "description": "npm registry",
            "env_name": "NPM_TOKEN",
            "file_path": "~/.npm-token",
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(secret_json("npm")))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .my_secrets()
        .create("npm", "s3cr3t")
        .description("npm registry")
        .env_name("NPM_TOKEN")
        .file_path("~/.npm-token")
        .send()
        .await
        .unwrap();
}

/// One `PATCH` per combination: only the fields given are in the body, `""` is sent
/// as `""` (clearing), and nothing else appears.
#[tokio::test]
async fn update_sends_exactly_the_fields_given() {
    let server = MockServer::start().await;
    let cases: Vec<(serde_json::Value, SecretPatch)> = vec![
        (json!({"value": "v2"}), SecretPatch::new().value("v2")),
        (
            json!({"description": ""}),
            SecretPatch::new().description(""),
        ),
        (json!({"env_name": ""}), SecretPatch::new().env_name("")),
        (json!({"file_path": ""}), SecretPatch::new().file_path("")),
        (
            json!({"env_name": "NPM_TOKEN", "file_path": "/etc/npm"}),
            SecretPatch::new()
                .env_name("NPM_TOKEN")
                .file_path("/etc/npm"),
        ),
        (
            json!({"value": "v3", "description": "new", "env_name": "A", "file_path": "~/a"}),
            SecretPatch::new()
                .value("v3")
                .description("new")
                .env_name("A")
                .file_path("~/a"),
        ),
    ];
    for (expected, _) in &cases {
        Mock::given(method("PATCH"))
            .and(path("/api/v2/users/me/secrets/npm"))
            .and(header("Coder-Session-Token", TOKEN))
            .and(json_body(expected.clone()))
            .respond_with(ResponseTemplate::new(200).set_body_json(secret_json("npm")))
            .expect(2)
            .mount(&server)
            .await;
    }
    let secrets = client(&server).my_secrets();
    for (expected, patch) in &cases {
        let secret = secrets.patch("npm", patch).await.unwrap();
        assert_eq!(secret.name, "npm", "{expected}");
    }
    // The typestate builder sends the same bodies.
    secrets.update("npm").value("v2").send().await.unwrap();
    secrets.update("npm").description("").send().await.unwrap();
    secrets.update("npm").env_name("").send().await.unwrap();
    secrets.update("npm").file_path("").send().await.unwrap();
    secrets
        .update("npm")
        .env_name("NPM_TOKEN")
        .file_path("/etc/npm")
        .send()
        .await
        .unwrap();
    secrets
        .update("npm")
        .value("v3")
        .description("new")
        .env_name("A")
        .file_path("~/a")
        .send()
        .await
        .unwrap();
    server.verify().await;
}

#[tokio::test]
async fn delete_answers_204() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/v2/users/me/secrets/npm"))
        .and(header("Coder-Session-Token", TOKEN))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).my_secrets().delete("npm").await.unwrap();
}

#[tokio::test]
async fn other_users_by_name_and_by_id() {
    let server = MockServer::start().await;
    let id = Uuid::parse_str("1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f").unwrap();
    Mock::given(method("GET"))
        .and(path("/api/v2/users/alice/secrets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/api/v2/users/{id}/secrets/npm")))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let coder = client(&server);
    coder.user_secrets("alice").list().await.unwrap();
    coder
        .user_secrets(User::name("alice"))
        .list()
        .await
        .unwrap();
    coder.user_secrets(id).delete("npm").await.unwrap();
    coder
        .user_secrets(id.to_string().to_uppercase())
        .delete("npm")
        .await
        .unwrap();
    server.verify().await;
}

#[tokio::test]
async fn names_and_users_are_percent_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(
            "/api/v2/users/al%C3%AFce/secrets/npm%20token%20%25%C3%A9%3B",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(secret_json("npm token %é;")))
        .expect(1)
        .mount(&server)
        .await;
    let secret = client(&server)
        .user_secrets("alïce")
        .get("npm token %é;")
        .await
        .unwrap();
    assert_eq!(secret.name, "npm token %é;");
}

#[tokio::test]
async fn a_base_url_with_a_path_keeps_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/coder/api/v2/users/me/secrets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let coder = sealpost_client::coder::Client::builder(format!("{}/coder/", server.uri()))
        .token(TOKEN)
        .build()
        .unwrap();
    coder.my_secrets().list().await.unwrap();
}

#[tokio::test]
async fn an_answer_that_is_not_a_secret_is_a_decode_error_with_context() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users/me/secrets/npm"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "npm"})))
        .mount(&server)
        .await;
    let err = client(&server).my_secrets().get("npm").await.unwrap_err();
    assert!(
        matches!(err, sealpost_client::Error::Decode { .. }),
        "{err:?}"
    );
    let context = err.context().unwrap();
    assert_eq!(context.service, Service::Coder);
    assert_eq!(context.operation, Operation::Get);
    assert_eq!(context.secret.as_deref(), Some("npm"));
    assert!(
        err.to_string()
            .starts_with("Coder: read secret `npm` for user `me`: "),
        "{err}"
    );
}

/// A `PATCH` sets fields to given values, so it is repeated after a server error; a
/// `POST` that may have created the secret is not.
#[tokio::test]
async fn patch_is_retried_after_a_server_error_and_post_is_not() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(body_json(json!({"value": "v"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(secret_json("npm")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    let coder = sealpost_client::coder::Client::builder(server.uri())
        .token(TOKEN)
        .retry(
            sealpost_client::RetryPolicy::default()
                .initial_backoff(std::time::Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let secrets = coder.my_secrets();
    secrets.update("npm").value("v").send().await.unwrap();
    let err = secrets.create("npm", "v").send().await.unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert!(err.is_transient());
    server.verify().await;
}
