//! The fake Coder itself: it keeps what it is sent, validates as Coder does, and
//! answers conflicts, unknown secrets and bad tokens with Coder's error shape.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use reqwest::{Method, StatusCode};
use sealpost_fakes::{FakeCoder, Fault};
use serde_json::{Value, json};

/// A request with the fake's token.
async fn call(
    coder: &FakeCoder,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    call_as(coder, coder.token(), method, path, body).await
}

/// A request with the session `token`.
async fn call_as(
    coder: &FakeCoder,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", coder.url()))
        .header("coder-session-token", token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

const SECRETS: &str = "/api/v2/users/me/secrets";

#[tokio::test]
async fn create_list_get_update_delete() {
    let coder = FakeCoder::start().await.unwrap();
    let (status, created) = call(
        &coder,
        Method::POST,
        SECRETS,
        Some(json!({"name": "npm token", "value": "v1\n", "env_name": "NPM_TOKEN"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created["name"], "npm token");
    assert_eq!(created["env_name"], "NPM_TOKEN");
    assert_eq!(created["file_path"], "");
    assert!(created.get("value").is_none());
    let id = created["id"].as_str().unwrap().to_owned();

    // By username and by user id too; the name percent-encoded in the path.
    for user in ["me", coder.username(), coder.user_id()] {
        let (status, got) = call(
            &coder,
            Method::GET,
            &format!("/api/v2/users/{user}/secrets/npm%20token"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{user}");
        assert_eq!(got["id"], id.as_str());
    }
    let (_, listed) = call(&coder, Method::GET, SECRETS, None).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);

    // Only the fields given change; "" clears.
    let patch =
        json!({"value": "v2", "env_name": "", "file_path": "~/.npmrc", "description": null});
    let (status, updated) = call(
        &coder,
        Method::PATCH,
        &format!("{SECRETS}/npm%20token"),
        Some(patch),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(updated["env_name"], "");
    assert_eq!(updated["file_path"], "~/.npmrc");
    let secret = coder.secret("npm token").unwrap();
    assert_eq!(secret.value, "v2");
    assert_eq!(secret.writes, 2);
    assert!(!format!("{secret:?}").contains("v2\""));

    let (status, _) = call(
        &coder,
        Method::DELETE,
        &format!("{SECRETS}/npm%20token"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, missing) = call(
        &coder,
        Method::DELETE,
        &format!("{SECRETS}/npm%20token"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing["message"].is_string());
    assert!(coder.names().is_empty());
}

#[tokio::test]
async fn refuses_what_coder_refuses_with_every_field() {
    let coder = FakeCoder::start().await.unwrap();
    coder.insert("taken", "v");
    let (status, body) = call(
        &coder,
        Method::PATCH,
        &format!("{SECRETS}/taken"),
        Some(json!({"env_name": "TAKEN", "file_path": "/t"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let bad = json!({"name": " padded", "value": "", "env_name": "PATH", "file_path": "relative"});
    let (status, body) = call(&coder, Method::POST, SECRETS, Some(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["message"], "Validation failed.");
    let fields: Vec<&str> = body["validations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "value", "env_name", "file_path"]);
    assert_eq!(
        body["validations"][2]["detail"],
        "PATH is a reserved environment variable name"
    );

    for (conflicting, field) in [
        (json!({"name": "taken", "value": "v"}), "name"),
        (
            json!({"name": "other", "value": "v", "env_name": "TAKEN"}),
            "env_name",
        ),
        (
            json!({"name": "other", "value": "v", "file_path": "/t"}),
            "file_path",
        ),
    ] {
        let (status, body) = call(&coder, Method::POST, SECRETS, Some(conflicting)).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["validations"][0]["field"], field);
    }
    coder.insert("other", "v");
    let (status, _) = call(
        &coder,
        Method::PATCH,
        &format!("{SECRETS}/other"),
        Some(json!({"env_name": "TAKEN"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, body) = call(
        &coder,
        Method::PATCH,
        &format!("{SECRETS}/taken"),
        Some(json!({})),
    )
    .await;
    assert_eq!(
        (status, body["message"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some("At least one field must be provided.")
        )
    );
    let (status, body) = call(
        &coder,
        Method::PATCH,
        &format!("{SECRETS}/taken"),
        Some(json!({"name": "renamed"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["detail"].as_str().unwrap().contains("name"));
    let (status, _) = call(
        &coder,
        Method::PATCH,
        &format!("{SECRETS}/nothing"),
        Some(json!({"value": "v"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&coder, Method::GET, "/api/v2/users/bob/secrets", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(coder.names(), ["other", "taken"]);
    assert_eq!(coder.secret("other").unwrap().env_name, "");

    let anonymous = reqwest::get(format!("{}{SECRETS}", coder.url()))
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[test]
fn faults_on_writes_from_a_spawned_fake() {
    let coder = FakeCoder::builder()
        .fail_first_writes(1, Fault::TooManyRequests { retry_after: 3 })
        .spawn()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let body = json!({"name": "A", "value": "v"});
        let (status, _) = call(&coder, Method::GET, SECRETS, None).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = call(&coder, Method::POST, SECRETS, Some(body.clone())).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        let (status, _) = call(&coder, Method::POST, SECRETS, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED);
    });
    let statuses: Vec<u16> = coder.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 429, 201]);
    assert_eq!(coder.secret("A").unwrap().value, "v");
}

#[tokio::test]
async fn each_user_has_secrets_of_their_own_and_reaches_only_them() {
    let coder = FakeCoder::builder()
        .other_user("bob", "bob-token")
        .start()
        .await
        .unwrap();
    let npm = json!({"name": "npm", "value": "a", "env_name": "NPM_TOKEN"});
    let (status, _) = call(&coder, Method::POST, SECRETS, Some(npm.clone())).await;
    assert_eq!(status, StatusCode::CREATED);
    // The same name and env_name are free for bob, by his name and by `me`.
    let mut bobs = npm;
    bobs["value"] = json!("b");
    let by_name = "/api/v2/users/bob/secrets";
    let (status, _) = call_as(&coder, "bob-token", Method::POST, by_name, Some(bobs)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = call_as(
        &coder,
        "bob-token",
        Method::GET,
        &format!("{SECRETS}/npm"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(coder.secret("npm").unwrap().value, "a");
    assert_eq!(coder.secret_of("bob", "npm").unwrap().value, "b");
    assert_eq!(coder.names_of("bob"), ["npm"]);
    // Neither session reaches the other's secrets.
    let (status, _) = call(&coder, Method::GET, by_name, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let alices = format!("/api/v2/users/{}/secrets/npm", coder.username());
    let (status, _) = call_as(&coder, "bob-token", Method::DELETE, &alices, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(coder.names(), ["npm"]);
}

#[tokio::test]
async fn deployment_rules_and_the_secret_limit() {
    let coder = FakeCoder::builder()
        .reserve_env_name("openai_api_key")
        .max_secrets_per_user(2)
        .start()
        .await
        .unwrap();
    let reserved = json!({"name": "ai", "value": "v", "env_name": "OpenAI_API_Key"});
    let (status, body) = call(&coder, Method::POST, SECRETS, Some(reserved)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["validations"],
        json!([{"field": "env_name", "detail": "OPENAI_API_KEY is reserved when AI Gateway is enabled"}])
    );
    for name in ["one", "two"] {
        let (status, _) = call(
            &coder,
            Method::POST,
            SECRETS,
            Some(json!({"name": name, "value": "v"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, body) = call(
        &coder,
        Method::PATCH,
        &format!("{SECRETS}/one"),
        Some(json!({"env_name": "openai_api_key"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["validations"][0]["field"], "env_name");
    // A taken name is still a conflict at the limit; a new one is refused.
    let (status, _) = call(
        &coder,
        Method::POST,
        SECRETS,
        Some(json!({"name": "one", "value": "v"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, body) = call(
        &coder,
        Method::POST,
        SECRETS,
        Some(json!({"name": "three", "value": "v"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"message": "User secrets limit reached.", "detail": "Each user can have at most 2 secrets."})
    );
    assert_eq!(coder.names(), ["one", "two"]);
    assert_eq!(coder.secret("one").unwrap().env_name, "");
}

#[tokio::test]
async fn every_change_moves_updated_at_forward() {
    let coder = FakeCoder::start().await.unwrap();
    let (_, created) = call(
        &coder,
        Method::POST,
        SECRETS,
        Some(json!({"name": "a", "value": "v"})),
    )
    .await;
    assert_eq!(created["created_at"], created["updated_at"]);
    let mut last = created["updated_at"].as_str().unwrap().to_owned();
    // Coder's form: UTC, a fraction of at most six digits.
    assert!(last.ends_with('Z') && last.len() <= "2025-06-01T12:00:00.123456Z".len());
    for value in ["w", "x", "y"] {
        let (_, updated) = call(
            &coder,
            Method::PATCH,
            &format!("{SECRETS}/a"),
            Some(json!({ "value": value })),
        )
        .await;
        let stamp = updated["updated_at"].as_str().unwrap().to_owned();
        assert!(later(&stamp, &last), "{stamp} after {last}");
        assert_eq!(updated["created_at"], created["created_at"]);
        last = stamp;
    }
}

/// Whether RFC 3339 UTC time `a` is after `b` (the same date format, fractions of any
/// length).
fn later(a: &str, b: &str) -> bool {
    let split = |t: &str| {
        let t = t.trim_end_matches('Z');
        let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
        (whole.to_owned(), format!("{fraction:0<9}"))
    };
    split(a) > split(b)
}
