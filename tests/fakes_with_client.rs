//! The fakes' faults as the real client meets them: every answer the fake GitHub can
//! be told to give (502, 429 with `Retry-After`, an exhausted rate limit, a rotated
//! key) is one the client recovers from, and each secret lands exactly once; and the
//! Coder client and the fake Coder agree on every call.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use sealpost::client::bulk::Bulk;
use sealpost::client::coder;
use sealpost::client::github::{self, App, Repo};
use sealpost::client::secrecy::SecretString;
use sealpost::client::{PutOutcome, RetryPolicy};
use sealpost_fakes::{FakeCoder, FakeGitHub, Fault, Scope};

#[tokio::test]
async fn a_bulk_upload_through_every_fault_lands_each_secret_once() {
    // The first fault that matches a PUT wins: the numbered ones come first, so they
    // happen whichever secret the 30th and 35th PUTs are for.
    let server = FakeGitHub::builder()
        .fail_put_number(30, Fault::TooManyRequests { retry_after: 0 })
        .fail_put_number(35, Fault::RateLimitExhausted { reset_after: 0 })
        .fail_first_put_of_each_secret(Fault::BadGateway)
        .rotate_keys_after(12)
        .start()
        .await
        .unwrap();
    let gh = github::Client::builder()
        .token(server.token())
        .base_url(server.url())
        .retry(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let store = gh.repository_secrets(App::Actions, Repo::name("octo", "hello"));
    let items: Vec<(String, SecretString)> = (0..25)
        .map(|i| (format!("SECRET_{i:02}"), format!("value {i}\n").into()))
        .collect();
    let report = Bulk::new(&store).concurrency(4).put_all(items).await;
    assert!(
        report.is_success(),
        "{:?}",
        report.failures().map(|f| &f.name).collect::<Vec<_>>()
    );

    let scope = Scope::repo("actions", "octo", "hello");
    for i in 0..25 {
        let name = format!("SECRET_{i:02}");
        let stored = server.stored(&scope, &name).unwrap();
        assert_eq!(
            stored.plaintext,
            format!("value {i}\n").as_bytes(),
            "{name}"
        );
        let statuses = server.put_statuses(&scope, &name);
        assert_eq!(
            statuses.iter().filter(|s| **s < 300).count(),
            1,
            "{name}: {statuses:?}"
        );
        assert!(*statuses.last().unwrap() < 300, "{name}: {statuses:?}");
        assert!(
            [502, 429, 403].contains(&statuses[0]),
            "{name}: {statuses:?}"
        );
    }
    let all: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
    for fault in [429, 403, 422] {
        assert!(all.contains(&fault), "{fault} never happened: {all:?}");
    }
    // The rotation was noticed: the key was fetched again after it.
    assert!(server.key_fetches(&scope) >= 2);
    // A value stored again is an update.
    let again = gh
        .repository_secret(App::Actions, Repo::name("octo", "hello"), "SECRET_00")
        .value("new")
        .send()
        .await;
    assert_eq!(again.unwrap(), PutOutcome::Updated);
}

#[tokio::test]
async fn the_coder_client_and_the_fake_coder_agree() {
    let server = FakeCoder::builder()
        .fail_first_writes(2, Fault::TooManyRequests { retry_after: 0 })
        .start()
        .await
        .unwrap();
    let coder = coder::Client::builder(server.url())
        .token(server.token())
        .build()
        .unwrap();
    let mine = coder.my_secrets();
    // Created through two rate limits (a refused POST is safe to repeat).
    let created = mine
        .create("npm", "v1")
        .env_name("NPM_TOKEN")
        .send()
        .await
        .unwrap();
    assert_eq!(created.env_name, "NPM_TOKEN");
    assert_eq!(server.secret("npm").unwrap().value, "v1");
    assert_eq!(created.id.to_string(), server.secret("npm").unwrap().id);

    // Only the fields given change.
    let updated = mine
        .update("npm")
        .value("v2\n")
        .file_path("~/.npmrc")
        .send()
        .await
        .unwrap();
    assert_eq!(
        (updated.env_name.as_str(), updated.file_path.as_str()),
        ("NPM_TOKEN", "~/.npmrc")
    );
    assert_eq!(server.secret("npm").unwrap().value, "v2\n");

    // What the server refuses keeps its fields.
    let taken = mine
        .create("other", "v")
        .env_name("NPM_TOKEN")
        .send()
        .await
        .unwrap_err();
    assert_eq!(taken.status(), Some(409));
    assert_eq!(taken.api().unwrap().validations[0].field, "env_name");
    let by_name = coder.user_secrets(server.username());
    assert!(by_name.get("nothing").await.unwrap_err().is_not_found());
    assert_eq!(by_name.list().await.unwrap().len(), 1);

    // As a store, in bulk: created the first time, updated the second.
    for round in ["first", "second"] {
        let items: Vec<(String, SecretString)> = (0..8)
            .map(|i| (format!("bulk-{i}"), format!("{round} {i}").into()))
            .collect();
        let report = Bulk::new(&mine).concurrency(3).put_all(items).await;
        assert!(report.is_success(), "{round}");
    }
    for i in 0..8 {
        assert_eq!(
            server.secret(&format!("bulk-{i}")).unwrap().value,
            format!("second {i}")
        );
    }
    mine.delete("npm").await.unwrap();
    assert_eq!(server.names().len(), 8);
}
