//! A Coder user's secrets as a `dyn SecretStore`: `put` creates, or on 409 replaces
//! the value; bulk uploads report each item.

use sealpost_client::bulk::Bulk;
use sealpost_client::{Error, NameProblem, PutOutcome, SecretStore};
use sealpost_fakes::FakeCoder;
use secrecy::SecretString;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::listed_names;
use crate::{client, fake_client, secret_json};

fn item(name: &str, value: &str) -> (String, SecretString) {
    (name.to_owned(), SecretString::from(value))
}

#[tokio::test]
async fn put_creates_then_replaces_only_the_value() {
    let fake = FakeCoder::start().await.unwrap();
    let coder = fake_client(&fake);
    let store: &dyn SecretStore = &coder.my_secrets();
    assert_eq!(store.describe(), "user `me`");

    let outcome = store.put("npm", &"one".into()).await.unwrap();
    assert_eq!(outcome, PutOutcome::Created);
    coder
        .my_secrets()
        .update("npm")
        .description("kept")
        .env_name("NPM_TOKEN")
        .send()
        .await
        .unwrap();

    let outcome = store.put("npm", &"two".into()).await.unwrap();
    assert_eq!(outcome, PutOutcome::Updated);
    let stored = fake.secret("npm").unwrap();
    assert_eq!(stored.value, "two");
    assert_eq!(stored.description, "kept");
    assert_eq!(stored.env_name, "NPM_TOKEN");

    let info = store.get("npm").await.unwrap();
    assert_eq!(info.name, "npm");
    assert_eq!(info.description.as_deref(), Some("kept"));
    assert!(info.created_at.is_some() && info.updated_at > info.created_at);
    assert_eq!(listed_names(store).await, ["npm"]);
    store.delete("npm").await.unwrap();
    assert!(store.get("npm").await.unwrap_err().is_not_found());
}

/// The exact requests of a `put` that finds the name taken: `POST`, then a `PATCH`
/// with the value alone.
#[tokio::test]
async fn put_on_conflict_patches_the_value_alone() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/users/me/secrets"))
        .and(body_json(json!({"name": "npm", "value": "v2"})))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "message": "A secret with that name, environment variable, or file path already exists.",
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/api/v2/users/me/secrets/npm"))
        .and(body_json(json!({"value": "v2"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(secret_json("npm")))
        .expect(1)
        .mount(&server)
        .await;
    let store = client(&server).my_secrets();
    let outcome = SecretStore::put(&store, "npm", &"v2".into()).await.unwrap();
    assert_eq!(outcome, PutOutcome::Updated);
}

/// Any other refusal of the create is returned as it is, without a `PATCH`.
#[tokio::test]
async fn put_returns_other_refusals() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "message": "Secret limit reached.",
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let store = client(&server).my_secrets();
    let err = SecretStore::put(&store, "npm", &"v".into())
        .await
        .unwrap_err();
    assert_eq!(err.api().unwrap().message, "Secret limit reached.");
}

#[tokio::test]
async fn bulk_upload_stores_every_good_item_and_reports_the_failing_ones() {
    // Room for A, B (exists), C: D is refused by the server.
    let fake = FakeCoder::builder()
        .max_secrets_per_user(3)
        .start()
        .await
        .unwrap();
    let coder = fake_client(&fake);
    coder.my_secrets().create("B", "old").send().await.unwrap();
    let store = coder.my_secrets();
    let store: &dyn SecretStore = &store;

    let report = Bulk::new(store)
        .concurrency(1)
        .put_all([
            item("A", "1"),
            item("B", "2"),
            item("bad/name", "3"),
            item("C", "4"),
            item("D", "5"),
        ])
        .await;

    let outcomes: Vec<_> = report
        .items
        .iter()
        .map(|i| (i.name.as_str(), i.result.as_ref().ok().copied()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("A", Some(PutOutcome::Created)),
            ("B", Some(PutOutcome::Updated)),
            ("bad/name", None),
            ("C", Some(PutOutcome::Created)),
            ("D", None),
        ]
    );
    assert!(!report.is_success());
    let bad = report.items[2].result.as_ref().unwrap_err();
    assert!(matches!(
        bad,
        Error::InvalidName {
            problem: NameProblem::ForbiddenCharacter { character: '/', .. },
            ..
        }
    ));
    let refused = report.items[4].result.as_ref().unwrap_err();
    assert_eq!(refused.status(), Some(400));
    assert_eq!(refused.context().unwrap().secret.as_deref(), Some("D"));
    let api = refused.api().unwrap();
    assert_eq!(api.message, "User secrets limit reached.");
    assert_eq!(
        api.detail.as_deref(),
        Some("Each user can have at most 3 secrets.")
    );

    for (name, value) in [("A", "1"), ("B", "2"), ("C", "4")] {
        assert_eq!(fake.secret(name).unwrap().value, value);
    }
    assert_eq!(fake.names(), ["A", "B", "C"]);
    // The first create, then A, B (POST and PATCH), C and D: `bad/name` never left.
    let requests: Vec<(String, u16)> = fake
        .requests()
        .into_iter()
        .map(|r| (r.method, r.status))
        .collect();
    let expected = [
        ("POST", 201),
        ("POST", 201),
        ("POST", 409),
        ("PATCH", 200),
        ("POST", 201),
        ("POST", 400),
    ];
    assert_eq!(requests, expected.map(|(m, s)| (m.to_owned(), s)));
}
