//! Faults: server errors, rate limits, timeouts and key rotation. Each request is
//! counted: nothing is lost, nothing is sent again after a success, attempts are
//! bounded.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sealpost_client::github::{App, Client, Repo};
use sealpost_client::{Error, PutOutcome, RetryPolicy};
use sealpost_fakes::sodium::Keypair;
use serde_json::json;
use wiremock::matchers::body_partial_json;
use wiremock::{MockServer, ResponseTemplate};

use crate::common::{
    Sealed, TOKEN, client, fast_retries, github, key_response, mount_key, received,
};

const SCOPE: &str = "/repos/octo/hello/actions/secrets";

async fn put(gh: &Client, name: &str, value: &str) -> Result<PutOutcome, Error> {
    gh.repository_secret(App::Actions, Repo::name("octo", "hello"), name)
        .value(value.to_owned())
        .send()
        .await
}

/// A server with a key and one failing answer to the first PUT of `X`, then 201.
async fn fails_once_then_succeeds(failure: ResponseTemplate) -> (MockServer, Keypair) {
    let server = MockServer::start().await;
    let keypair = Keypair::generate().unwrap();
    mount_key(&server, SCOPE, "k", &keypair, 1).await;
    github("PUT", &format!("{SCOPE}/X"))
        .respond_with(failure)
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    github("PUT", &format!("{SCOPE}/X"))
        .and(Sealed::new(&keypair, "value", json!({"key_id": "k"})))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    (server, keypair)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn bad_gateway_then_success() {
    let (server, keypair) = fails_once_then_succeeds(ResponseTemplate::new(502)).await;
    let outcome = put(&client(&server.uri()), "X", "value").await.unwrap();
    assert_eq!(outcome, PutOutcome::Created);
    let puts = received(&server, "PUT").await;
    assert_eq!(puts.len(), 2);
    // The retry repeats the same sealed body, which the server can open.
    assert_eq!(puts[0].body, puts[1].body);
    let body: serde_json::Value = serde_json::from_slice(&puts[1].body).unwrap();
    let sealed = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        body["encrypted_value"].as_str().unwrap(),
    )
    .unwrap();
    assert_eq!(keypair.open(&sealed).unwrap(), b"value");
}

#[tokio::test]
async fn too_many_requests_with_retry_after() {
    let limited = ResponseTemplate::new(429)
        .insert_header("retry-after", "1")
        .set_body_json(json!({"message": "Too many requests"}));
    let (server, _) = fails_once_then_succeeds(limited).await;
    let outcome = put(&client(&server.uri()), "X", "value").await.unwrap();
    assert_eq!(outcome, PutOutcome::Created);
    assert_eq!(received(&server, "PUT").await.len(), 2);
}

#[tokio::test]
async fn secondary_limit_with_ratelimit_reset() {
    let limited = ResponseTemplate::new(403)
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", unix_now().to_string().as_str())
        .set_body_json(json!({
            "message": "API rate limit exceeded for user ID 1.",
            "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"
        }));
    let (server, _) = fails_once_then_succeeds(limited).await;
    let outcome = put(&client(&server.uri()), "X", "value").await.unwrap();
    assert_eq!(outcome, PutOutcome::Created);
    assert_eq!(received(&server, "PUT").await.len(), 2);
}

#[tokio::test]
async fn secondary_limit_without_headers_backs_off() {
    let limited = ResponseTemplate::new(403).set_body_json(json!({
        "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
    }));
    let (server, _) = fails_once_then_succeeds(limited).await;
    // `fast_retries` lowers the one-minute fallback for this test server.
    let outcome = put(&client(&server.uri()), "X", "value").await.unwrap();
    assert_eq!(outcome, PutOutcome::Created);
}

#[tokio::test]
async fn forbidden_without_rate_limit_signs_is_not_retried() {
    let server = MockServer::start().await;
    mount_key(&server, SCOPE, "k", &Keypair::generate().unwrap(), 1).await;
    github("PUT", &format!("{SCOPE}/X"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"message": "Must have admin rights to Repository."})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = put(&client(&server.uri()), "X", "value").await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert!(!err.is_rate_limited());
    assert!(err.to_string().contains("Must have admin rights"), "{err}");
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = MockServer::start().await;
    github("GET", &format!("{SCOPE}/public-key"))
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    let gh = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry(fast_retries().max_attempts(3))
        .build()
        .unwrap();
    let err = put(&gh, "X", "value").await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.is_transient());
    assert!(received(&server, "PUT").await.is_empty());
}

#[tokio::test]
async fn a_wait_longer_than_the_budget_is_returned_at_once() {
    let server = MockServer::start().await;
    github("GET", &format!("{SCOPE}/public-key"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .expect(1)
        .mount(&server)
        .await;
    let err = put(&client(&server.uri()), "X", "value").await.unwrap_err();
    assert!(err.is_rate_limited(), "{err}");
    assert_eq!(
        err.api().unwrap().retry_after,
        Some(Duration::from_secs(3600))
    );
    assert!(err.to_string().contains("retry in 3600s"), "{err}");
}

#[tokio::test]
async fn timeout_then_success() {
    let (server, _) =
        fails_once_then_succeeds(ResponseTemplate::new(201).set_delay(Duration::from_secs(10)))
            .await;
    let gh = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .timeout(Duration::from_millis(300))
        .retry(fast_retries())
        .build()
        .unwrap();
    let outcome = put(&gh, "X", "value").await.unwrap();
    assert_eq!(outcome, PutOutcome::Created);
    assert_eq!(received(&server, "PUT").await.len(), 2);
}

#[tokio::test]
async fn timeouts_are_bounded() {
    let server = MockServer::start().await;
    github("GET", &format!("{SCOPE}/public-key"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .expect(2)
        .mount(&server)
        .await;
    let gh = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .retry(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let err = put(&gh, "X", "value").await.unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 2, .. }), "{err}");
    assert!(err.is_transient());
}

#[tokio::test]
async fn connection_refused_is_retried_and_bounded() {
    // Bind a port, then free it: nothing listens there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let gh = Client::builder()
        .token(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let err = put(&gh, "X", "value").await.unwrap_err();
    assert!(matches!(err, Error::Transport { attempts: 2, .. }), "{err}");
}

#[tokio::test]
async fn key_rotation_mid_run() {
    let server = MockServer::start().await;
    let old = Keypair::generate().unwrap();
    let new = Keypair::generate().unwrap();
    // The first fetch gives the old key, every later one the new key.
    github("GET", &format!("{SCOPE}/public-key"))
        .respond_with(key_response("old", &old))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    github("GET", &format!("{SCOPE}/public-key"))
        .respond_with(key_response("new", &new))
        .expect(1)
        .mount(&server)
        .await;
    // A is stored before the rotation.
    github("PUT", &format!("{SCOPE}/A"))
        .and(Sealed::new(&old, "a", json!({"key_id": "old"})))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    // Then GitHub rotates: the old key is refused.
    github("PUT", &format!("{SCOPE}/B"))
        .and(body_partial_json(json!({"key_id": "old"})))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "message": "Bad request - validation failed due to an improperly encrypted secret"
        })))
        .expect(1)
        .mount(&server)
        .await;
    for (name, value) in [("B", "b"), ("C", "c")] {
        github("PUT", &format!("{SCOPE}/{name}"))
            .and(Sealed::new(&new, value, json!({"key_id": "new"})))
            .respond_with(ResponseTemplate::new(201))
            .expect(1)
            .mount(&server)
            .await;
    }
    let gh = client(&server.uri());
    for (name, value) in [("A", "a"), ("B", "b"), ("C", "c")] {
        assert_eq!(put(&gh, name, value).await.unwrap(), PutOutcome::Created);
    }
    // Four PUTs: A, B refused, B again, C (with the new key, not refetched).
    assert_eq!(received(&server, "PUT").await.len(), 4);
    server.verify().await;
}

#[tokio::test]
async fn a_422_with_the_same_key_is_returned_after_one_refetch() {
    let server = MockServer::start().await;
    let keypair = Keypair::generate().unwrap();
    mount_key(&server, SCOPE, "same", &keypair, 2).await;
    github("PUT", &format!("{SCOPE}/X"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "message": "Validation Failed",
            "errors": [{"resource": "Secret", "field": "encrypted_value", "code": "invalid"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = put(&client(&server.uri()), "X", "value").await.unwrap_err();
    assert_eq!(err.status(), Some(422));
    let api = err.api().unwrap();
    assert_eq!(api.validations[0].field, "encrypted_value");
}

#[tokio::test]
async fn no_retries_when_the_policy_says_none() {
    let server = MockServer::start().await;
    github("GET", &format!("{SCOPE}/public-key"))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    let gh = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(put(&gh, "X", "v").await.unwrap_err().status(), Some(502));
}

#[tokio::test]
async fn the_rate_limit_of_the_last_answer_is_kept_refusals_included() {
    let before = unix_now();
    let fake = sealpost_fakes::FakeGitHub::builder()
        .rate_limit(5000, 4, 900)
        .start()
        .await
        .unwrap();
    let gh = Client::builder()
        .token(fake.token())
        .base_url(fake.url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(gh.rate_limit(), None, "no answer yet");
    let repo = gh.repository_secrets(App::Actions, Repo::name("octo", "hello"));
    repo.list().await.unwrap();
    let seen = gh.rate_limit().unwrap();
    assert_eq!((seen.remaining, seen.limit), (3, 5000));
    let reset = u64::try_from(seen.reset.unix_timestamp()).unwrap();
    assert!(
        (before + 900..=unix_now() + 900).contains(&reset),
        "{reset}"
    );
    // A clone shares what was seen; a value costs the key and the PUT.
    let clone = gh.clone();
    put(&clone, "X", "value").await.unwrap();
    assert_eq!(gh.rate_limit().map(|seen| seen.remaining), Some(1));
    repo.list().await.unwrap();
    assert_eq!(gh.rate_limit().map(|seen| seen.remaining), Some(0));
    // The refusal that follows says the same, and is a rate limit.
    let refused = repo.list().await.unwrap_err();
    assert!(refused.is_rate_limited(), "{refused}");
    assert_eq!(gh.rate_limit(), Some(seen_with(seen, 0)));
}

#[tokio::test]
async fn a_refusal_updates_the_rate_limit_and_an_answer_without_headers_does_not() {
    let server = MockServer::start().await;
    let reset = unix_now() + 100;
    let with_headers = |status: u16, remaining: u64| {
        ResponseTemplate::new(status)
            .insert_header("x-ratelimit-limit", "60")
            .insert_header("x-ratelimit-remaining", remaining.to_string().as_str())
            .insert_header("x-ratelimit-reset", reset.to_string().as_str())
            .set_body_json(json!({"message": "x", "total_count": 0, "secrets": []}))
    };
    github("GET", SCOPE)
        .respond_with(with_headers(200, 50))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    github("GET", &format!("{SCOPE}/A"))
        .respond_with(with_headers(404, 49))
        .mount(&server)
        .await;
    github("GET", &format!("{SCOPE}/B"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .mount(&server)
        .await;
    let gh = client(&server.uri());
    let repo = gh.repository_secrets(App::Actions, Repo::name("octo", "hello"));
    repo.list().await.unwrap();
    let seen = gh.rate_limit().unwrap();
    assert_eq!((seen.remaining, seen.limit), (50, 60));
    assert_eq!(seen.reset.unix_timestamp(), i64::try_from(reset).unwrap());
    assert!(repo.get("A").await.unwrap_err().is_not_found());
    assert_eq!(gh.rate_limit(), Some(seen_with(seen, 49)));
    assert!(repo.get("B").await.unwrap_err().is_not_found());
    assert_eq!(gh.rate_limit(), Some(seen_with(seen, 49)));
}

/// `seen` with `remaining` requests left.
fn seen_with(
    seen: sealpost_client::github::RateLimit,
    remaining: u64,
) -> sealpost_client::github::RateLimit {
    sealpost_client::github::RateLimit::new(remaining, seen.limit, seen.reset)
}
