//! End to end against a fake GitHub (axum) that publishes a libsodium keypair per scope,
//! opens every PUT with libsodium's `crypto_box_seal_open`, and keeps what it opened.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sealpost_client::bulk::Bulk;
use sealpost_client::github::{App, Client, MAX_VALUE_BYTES, Repo, Visibility};
use sealpost_client::{PutOutcome, SecretStore};
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::common::{TOKEN, client};
use crate::sodium::Keypair;

/// What the fake keeps of one secret.
#[derive(Debug, Clone)]
struct Stored {
    plaintext: Vec<u8>,
    visibility: Option<String>,
    repositories: Option<Vec<u64>>,
}

struct ScopeState {
    key_id: u64,
    keypair: Keypair,
    secrets: BTreeMap<String, Stored>,
}

/// One PUT as the fake saw it.
#[derive(Debug, Clone)]
struct PutLog {
    name: String,
    status: u16,
}

#[derive(Default)]
struct Faults {
    /// Answer 502 to the first PUT of every name.
    fail_first_put: bool,
    /// Replace a scope's key after this many stored values in it.
    rotate_after: Option<usize>,
}

#[derive(Default)]
struct Fake {
    scopes: Mutex<HashMap<String, ScopeState>>,
    log: Mutex<Vec<PutLog>>,
    key_fetches: Mutex<usize>,
    faults: Faults,
}

impl Fake {
    fn stored(&self, scope: &str, name: &str) -> Option<Stored> {
        self.scopes
            .lock()
            .unwrap()
            .get(scope)?
            .secrets
            .get(name)
            .cloned()
    }
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn message(status: StatusCode, text: &str) -> Response {
    json_response(
        status,
        &json!({"message": text, "documentation_url": "https://docs.github.com/rest"}),
    )
}

async fn handle(
    State(fake): State<Arc<Fake>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if header("authorization") != Some(&format!("Bearer {TOKEN}")) {
        return message(StatusCode::UNAUTHORIZED, "Bad credentials");
    }
    if header("accept") != Some("application/vnd.github+json")
        || header("x-github-api-version") != Some("2022-11-28")
        || header("user-agent").is_none()
    {
        return message(StatusCode::BAD_REQUEST, "missing GitHub headers");
    }
    let path = uri.path();
    let Some(index) = path.find("/secrets") else {
        return message(StatusCode::NOT_FOUND, "Not Found");
    };
    let scope = &path[..index + "/secrets".len()];
    let rest: Vec<&str> = path[scope.len()..]
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let mut scopes = fake.scopes.lock().unwrap();
    let state = scopes
        .entry(scope.to_owned())
        .or_insert_with(|| ScopeState {
            key_id: 1,
            keypair: Keypair::generate(),
            secrets: BTreeMap::new(),
        });
    match (method, rest.as_slice()) {
        (Method::GET, ["public-key"]) => {
            *fake.key_fetches.lock().unwrap() += 1;
            // The user scope answers with a numeric `key_id`, as some servers do.
            let key_id = if scope.starts_with("/user/") {
                json!(state.key_id)
            } else {
                json!(state.key_id.to_string())
            };
            json_response(
                StatusCode::OK,
                &json!({"key_id": key_id, "key": STANDARD.encode(state.keypair.public)}),
            )
        }
        (Method::GET, []) => {
            let secrets: Vec<Value> = state
                .secrets
                .keys()
                .map(|name| json!({"name": name, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}))
                .collect();
            json_response(
                StatusCode::OK,
                &json!({"total_count": secrets.len(), "secrets": secrets}),
            )
        }
        (Method::GET, [name]) => match state.secrets.get(*name) {
            Some(_) => json_response(
                StatusCode::OK,
                &json!({"name": name, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}),
            ),
            None => message(StatusCode::NOT_FOUND, "Not Found"),
        },
        (Method::DELETE, [name]) => match state.secrets.remove(*name) {
            Some(_) => StatusCode::NO_CONTENT.into_response(),
            None => message(StatusCode::NOT_FOUND, "Not Found"),
        },
        (Method::PUT, [name]) => {
            let name = (*name).to_owned();
            let response = put(&fake, scope, state, &name, &body);
            fake.log.lock().unwrap().push(PutLog {
                name,
                status: response.status().as_u16(),
            });
            response
        }
        _ => message(StatusCode::NOT_FOUND, "Not Found"),
    }
}

fn put(fake: &Fake, scope: &str, state: &mut ScopeState, name: &str, body: &[u8]) -> Response {
    if fake.faults.fail_first_put {
        let seen = fake.log.lock().unwrap().iter().any(|log| log.name == name);
        if !seen {
            return message(StatusCode::BAD_GATEWAY, "Server Error");
        }
    }
    let Ok(body) = serde_json::from_slice::<Value>(body) else {
        return message(StatusCode::BAD_REQUEST, "Problems parsing JSON");
    };
    if body["key_id"].as_str() != Some(state.key_id.to_string().as_str()) {
        return message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Bad request - validation failed due to an improperly encrypted secret",
        );
    }
    let Some(sealed) = body["encrypted_value"]
        .as_str()
        .and_then(|v| STANDARD.decode(v).ok())
    else {
        return message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "encrypted_value is not base64",
        );
    };
    let Some(plaintext) = state.keypair.open(&sealed) else {
        return message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Bad request - validation failed due to an improperly encrypted secret",
        );
    };
    let visibility = body["visibility"].as_str().map(str::to_owned);
    if scope.starts_with("/orgs/") && visibility.is_none() {
        return message(StatusCode::UNPROCESSABLE_ENTITY, "visibility is required");
    }
    let repositories = body["selected_repository_ids"]
        .as_array()
        .map(|ids| ids.iter().filter_map(Value::as_u64).collect());
    let existed = state
        .secrets
        .insert(
            name.to_owned(),
            Stored {
                plaintext,
                visibility,
                repositories,
            },
        )
        .is_some();
    if let Some(after) = fake.faults.rotate_after {
        let stored = fake
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.status < 300)
            .count()
            + 1;
        if stored == after {
            state.key_id += 1;
            state.keypair = Keypair::generate();
        }
    }
    if existed {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::CREATED
    }
    .into_response()
}

async fn start(faults: Faults) -> (Arc<Fake>, Client) {
    let fake = Arc::new(Fake {
        faults,
        ..Fake::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new().fallback(handle).with_state(Arc::clone(&fake));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (fake, client(&uri))
}

/// Values that must arrive exactly: unicode, a trailing newline, the largest size.
fn values() -> Vec<(&'static str, String)> {
    let largest: String = (0..MAX_VALUE_BYTES)
        .map(|i| char::from(b'!' + u8::try_from(i % 90).unwrap()))
        .collect();
    vec![
        ("UNICODE", "pässwörd 🔑 秘密 — ünïcödé".to_owned()),
        ("NEWLINE", "line one\nline two\n".to_owned()),
        ("LARGEST", largest),
        ("EMPTY", String::new()),
    ]
}

#[tokio::test]
async fn every_target_lands_the_exact_plaintext() {
    let (fake, gh) = start(Faults::default()).await;
    for (name, value) in values() {
        let outcomes = [
            gh.user_codespaces_secret(name)
                .value(value.clone())
                .send()
                .await,
            gh.org_secret(App::Codespaces, "acme", name, Visibility::All)
                .value(value.clone())
                .send()
                .await,
            gh.org_secret(App::Actions, "acme", name, Visibility::Private)
                .value(value.clone())
                .send()
                .await,
            gh.org_secret(App::Dependabot, "acme", name, Visibility::selected([1, 2]))
                .value(value.clone())
                .send()
                .await,
            gh.repository_secret(App::Actions, "octo", "hello", name)
                .value(value.clone())
                .send()
                .await,
            gh.repository_secret(App::Codespaces, "octo", "hello", name)
                .value(value.clone())
                .send()
                .await,
            gh.repository_secret(App::Dependabot, "octo", "hello", name)
                .value(value.clone())
                .send()
                .await,
            gh.environment_secret(Repo::name("octo", "hello"), "prod eu", name)
                .value(value.clone())
                .send()
                .await,
            gh.environment_secret(Repo::id(1_296_269), "prod eu", name)
                .value(value.clone())
                .send()
                .await,
        ];
        for outcome in outcomes {
            assert_eq!(outcome.unwrap(), PutOutcome::Created, "{name}");
        }
        for scope in [
            "/user/codespaces/secrets",
            "/orgs/acme/codespaces/secrets",
            "/orgs/acme/actions/secrets",
            "/orgs/acme/dependabot/secrets",
            "/repos/octo/hello/actions/secrets",
            "/repos/octo/hello/codespaces/secrets",
            "/repos/octo/hello/dependabot/secrets",
            "/repos/octo/hello/environments/prod%20eu/secrets",
            "/repositories/1296269/environments/prod%20eu/secrets",
        ] {
            let stored = fake
                .stored(scope, name)
                .unwrap_or_else(|| panic!("{scope} {name}"));
            assert!(
                stored.plaintext == value.as_bytes(),
                "{scope} {name}: wrong plaintext"
            );
        }
    }
    let dependabot = fake
        .stored("/orgs/acme/dependabot/secrets", "UNICODE")
        .unwrap();
    assert_eq!(dependabot.visibility.as_deref(), Some("selected"));
    assert_eq!(dependabot.repositories, Some(vec![1, 2]));
    // One key fetch per scope: the client caches keys.
    assert_eq!(*fake.key_fetches.lock().unwrap(), 9);
}

#[tokio::test]
async fn a_store_round_trip_through_the_trait() {
    let (fake, gh) = start(Faults::default()).await;
    let store: Box<dyn SecretStore> = Box::new(
        gh.org_secrets(App::Actions, "acme")
            .with_visibility(Visibility::Private),
    );
    let value = SecretString::from("v1\n");
    assert_eq!(store.put("A", &value).await.unwrap(), PutOutcome::Created);
    assert_eq!(
        store.put("A", &"v2".into()).await.unwrap(),
        PutOutcome::Updated
    );
    assert_eq!(
        fake.stored("/orgs/acme/actions/secrets", "A")
            .unwrap()
            .plaintext,
        b"v2"
    );
    assert_eq!(store.get("A").await.unwrap().name, "A");
    let listed: Vec<String> = store
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(listed, ["A"]);
    store.delete("A").await.unwrap();
    assert!(store.get("A").await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn bulk_upload_through_faults_loses_nothing_and_sends_nothing_twice() {
    // Every first PUT of a name fails with 502, and the key rotates after the tenth
    // stored value, while four uploads run at once.
    let (fake, gh) = start(Faults {
        fail_first_put: true,
        rotate_after: Some(10),
    })
    .await;
    let store = gh.repository_secrets(App::Actions, "octo", "hello");
    let items: Vec<(String, SecretString)> = (0..30)
        .map(|i| {
            (
                format!("SECRET_{i:02}"),
                SecretString::from(format!("value {i} ✓\n")),
            )
        })
        .collect();
    let report = Bulk::new(&store).concurrency(4).put_all(items).await;
    let failures: Vec<String> = report
        .failures()
        .map(|i| format!("{}: {:?}", i.name, i.result))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");

    for i in 0..30 {
        let name = format!("SECRET_{i:02}");
        let stored = fake
            .stored("/repos/octo/hello/actions/secrets", &name)
            .unwrap();
        assert_eq!(
            stored.plaintext,
            format!("value {i} ✓\n").as_bytes(),
            "{name}"
        );
    }
    let log = fake.log.lock().unwrap().clone();
    for i in 0..30 {
        let name = format!("SECRET_{i:02}");
        let attempts: Vec<u16> = log
            .iter()
            .filter(|l| l.name == name)
            .map(|l| l.status)
            .collect();
        // Exactly one success, and it is the last PUT of the name.
        assert_eq!(
            attempts.iter().filter(|s| **s < 300).count(),
            1,
            "{name}: {attempts:?}"
        );
        assert!(*attempts.last().unwrap() < 300, "{name}: {attempts:?}");
        // 502, then at most one 422 for the rotated key, then the success.
        assert!(attempts.len() <= 3, "{name}: {attempts:?}");
    }
    // The rotation was noticed once: the first fetch, and one after the rotation that
    // every upload refused for the old key shares.
    assert_eq!(*fake.key_fetches.lock().unwrap(), 2);
}
