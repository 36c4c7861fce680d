//! The fakes' faults as the real client meets them: every answer the fake GitHub can
//! be told to give (502, 429 with `Retry-After`, an exhausted rate limit, a rotated
//! key) is one the client recovers from, and each secret lands exactly once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use sealpost::client::bulk::Bulk;
use sealpost::client::github::{self, App};
use sealpost::client::secrecy::SecretString;
use sealpost::client::{PutOutcome, RetryPolicy};
use sealpost_fakes::{FakeGitHub, Fault, Scope};

#[tokio::test]
async fn a_bulk_upload_through_every_fault_lands_each_secret_once() {
    let server = FakeGitHub::builder()
        .fail_first_put_of_each_secret(Fault::BadGateway)
        .fail_put_number(30, Fault::TooManyRequests { retry_after: 0 })
        .fail_put_number(35, Fault::RateLimitExhausted { reset_after: 0 })
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
    let store = gh.repository_secrets(App::Actions, "octo", "hello");
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
        assert_eq!(statuses[0], 502, "{name}: {statuses:?}");
    }
    let all: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
    for fault in [429, 403, 422] {
        assert!(all.contains(&fault), "{fault} never happened: {all:?}");
    }
    // The rotation was noticed: the key was fetched again after it.
    assert!(server.key_fetches(&scope) >= 2);
    // A value stored again is an update.
    let again = gh
        .repository_secret(App::Actions, "octo", "hello", "SECRET_00")
        .value("new")
        .send()
        .await;
    assert_eq!(again.unwrap(), PutOutcome::Updated);
}
