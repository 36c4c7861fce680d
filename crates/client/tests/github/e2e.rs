//! End to end against the shared fake GitHub (`sealpost-fakes`), which publishes a
//! libsodium key pair per scope, opens every PUT with libsodium's
//! `crypto_box_seal_open`, and keeps what it opened.

use sealpost_client::bulk::Bulk;
use sealpost_client::github::{Access, App, Client, MAX_VALUE_BYTES, Repo, Visibility};
use sealpost_client::{PutOutcome, SecretStore};
use sealpost_fakes::{FakeGitHub, FakeGitHubBuilder, Fault, Scope};
use secrecy::SecretString;

use crate::common::client_with_token;
use crate::support::listed_names;

/// Starts `fake` and a client of it that retries without real waiting.
async fn start(fake: FakeGitHubBuilder) -> (FakeGitHub, Client) {
    let fake = fake.start().await.unwrap();
    let gh = client_with_token(fake.url(), fake.token());
    (fake, gh)
}

/// Values that must arrive exactly: unicode, a trailing newline, the largest size,
/// nothing at all.
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
    // The user scope answers with a numeric `key_id`, as some servers do; the others
    // with GitHub's string.
    let (fake, gh) = start(FakeGitHub::builder().numeric_key_id(Scope::user())).await;
    let scopes = [
        Scope::user(),
        Scope::org("codespaces", "acme"),
        Scope::org("actions", "acme"),
        Scope::org("dependabot", "acme"),
        Scope::repo("actions", "octo", "hello"),
        Scope::repo("codespaces", "octo", "hello"),
        Scope::repo("dependabot", "octo", "hello"),
        Scope::environment("octo", "hello", "prod eu"),
        Scope::environment_by_id(1_296_269, "prod eu"),
    ];
    for (name, value) in values() {
        // In the order of `scopes`.
        let outcomes = [
            gh.user_codespaces_secret(name)
                .value(value.clone())
                .send()
                .await,
            gh.org_secret(App::Codespaces, "acme", name)
                .visibility(Visibility::All)
                .value(value.clone())
                .send()
                .await,
            gh.org_secret(App::Actions, "acme", name)
                .visibility(Visibility::Private)
                .value(value.clone())
                .send()
                .await,
            gh.org_secret(App::Dependabot, "acme", name)
                .visibility(Visibility::selected([1, 2]))
                .value(value.clone())
                .send()
                .await,
            gh.repository_secret(App::Actions, Repo::name("octo", "hello"), name)
                .value(value.clone())
                .send()
                .await,
            gh.repository_secret(App::Codespaces, Repo::name("octo", "hello"), name)
                .value(value.clone())
                .send()
                .await,
            gh.repository_secret(App::Dependabot, Repo::name("octo", "hello"), name)
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
        for (outcome, scope) in outcomes.into_iter().zip(&scopes) {
            assert_eq!(outcome.unwrap(), PutOutcome::Created, "{scope} {name}");
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
        .stored(&Scope::org("dependabot", "acme"), "UNICODE")
        .unwrap();
    assert_eq!(dependabot.visibility.as_deref(), Some("selected"));
    assert_eq!(dependabot.repositories, Some(vec![1, 2]));
    let actions = fake
        .stored(&Scope::org("actions", "acme"), "EMPTY")
        .unwrap();
    assert_eq!(actions.visibility.as_deref(), Some("private"));
    // One key fetch per scope: the client caches keys.
    for scope in &scopes {
        assert_eq!(fake.key_fetches(scope), 1, "{scope}");
    }
    let fetches = fake.requests();
    let fetches = fetches.iter().filter(|r| r.path.ends_with("/public-key"));
    assert_eq!(fetches.count(), scopes.len());
}

#[tokio::test]
async fn a_store_round_trip_through_the_trait() {
    let (fake, gh) = start(FakeGitHub::builder()).await;
    let store: Box<dyn SecretStore> = Box::new(
        gh.org_secrets(App::Actions, "acme")
            .with_access(Access::Visibility(Visibility::Private))
            .unwrap(),
    );
    let value = SecretString::from("v1\n");
    assert_eq!(store.put("A", &value).await.unwrap(), PutOutcome::Created);
    let scope = Scope::org("actions", "acme");
    assert_eq!(fake.stored(&scope, "A").unwrap().plaintext, b"v1\n");
    assert_eq!(
        store.put("A", &"v2".into()).await.unwrap(),
        PutOutcome::Updated
    );
    assert_eq!(fake.stored(&scope, "A").unwrap().plaintext, b"v2");
    assert_eq!(store.get("A").await.unwrap().name, "A");
    assert_eq!(listed_names(&*store).await, ["A"]);
    store.delete("A").await.unwrap();
    assert!(fake.names(&scope).is_empty());
    assert!(store.get("A").await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn a_name_in_another_case_is_the_same_secret_and_keeps_its_access() {
    // GitHub compares names ignoring case and keeps them in upper case; so does the
    // fake. A rotation under another spelling must update the one secret, and keep
    // the repositories it was shared with.
    let (fake, gh) = start(FakeGitHub::builder()).await;
    let scope = Scope::org("actions", "acme");
    let secrets = gh.org_secrets(App::Actions, "acme");
    let first = gh
        .org_secret(App::Actions, "acme", "deploy_key")
        .visibility(Visibility::selected([7, 8]))
        .value("v1")
        .send()
        .await
        .unwrap();
    assert_eq!(first, PutOutcome::Created);
    let rotated = secrets.put("Deploy_Key", "v2").await.unwrap();
    assert_eq!(rotated.outcome, PutOutcome::Updated);
    assert_eq!(
        rotated.kept,
        Some(Access::Visibility(Visibility::selected([7, 8])))
    );
    assert_eq!(fake.names(&scope), ["DEPLOY_KEY"]);
    let stored = fake.stored(&scope, "DEPLOY_KEY").unwrap();
    assert_eq!(stored.plaintext, b"v2");
    assert_eq!(stored.visibility.as_deref(), Some("selected"));
    assert_eq!(stored.repositories, Some(vec![7, 8]));
    assert_eq!(stored.writes, 2);
    assert_eq!(secrets.get("DEPLOY_KEY").await.unwrap().name, "DEPLOY_KEY");
    secrets.delete("deploy_KEY").await.unwrap();
    assert!(fake.names(&scope).is_empty());
}

#[tokio::test]
async fn bulk_upload_through_faults_loses_nothing_and_sends_nothing_twice() {
    // Every first PUT of a name fails with 502, and the key rotates after the tenth
    // stored value, while four uploads run at once.
    let (fake, gh) = start(
        FakeGitHub::builder()
            .fail_first_put_of_each_secret(Fault::BadGateway)
            .rotate_keys_after(10),
    )
    .await;
    let store = gh.repository_secrets(App::Actions, Repo::name("octo", "hello"));
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

    let scope = Scope::repo("actions", "octo", "hello");
    assert_eq!(fake.names(&scope).len(), 30);
    for i in 0..30 {
        let name = format!("SECRET_{i:02}");
        let stored = fake.stored(&scope, &name).unwrap();
        assert_eq!(
            stored.plaintext,
            format!("value {i} ✓\n").as_bytes(),
            "{name}"
        );
        assert_eq!(stored.writes, 1, "{name}");
        let attempts = fake.put_statuses(&scope, &name);
        // Exactly one success, and it is the last PUT of the name.
        assert_eq!(
            attempts.iter().filter(|s| **s < 300).count(),
            1,
            "{name}: {attempts:?}"
        );
        assert!(*attempts.last().unwrap() < 300, "{name}: {attempts:?}");
        // 502, then at most one 422 for the rotated key, then the success.
        assert_eq!(attempts[0], 502, "{name}: {attempts:?}");
        assert!(attempts.len() <= 3, "{name}: {attempts:?}");
    }
    // The rotation happened and was noticed once: the first fetch, and one after
    // the rotation that every upload refused for the old key shares.
    let statuses: Vec<u16> = fake.requests().iter().map(|r| r.status).collect();
    assert!(statuses.contains(&422), "{statuses:?}");
    assert_eq!(fake.key_fetches(&scope), 2);
}
