//! The GitHub client authenticating as a GitHub App, against the fake GitHub's App
//! side (`sealpost-fakes`), which verifies the JWTs (signature and claims), mints
//! installation tokens, makes them stop working on request, and opens every value it
//! receives with libsodium.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use sealpost_client::bulk::Bulk;
use sealpost_client::github::{self, Access, App, Repo, Visibility};
use sealpost_client::secrecy::SecretString;
use sealpost_client::{Error, KeyProblem, Operation, RetryPolicy, auth::PrivateKey};
use sealpost_fakes::{AppKey, FakeGitHub, FakeGitHubBuilder, Scope};

const APP_ID: u64 = 424_242;
const ACME: u64 = 1_001;
const ALICE: u64 = 2_002;

fn fake(key: &AppKey) -> FakeGitHubBuilder {
    FakeGitHub::builder()
        .app(APP_ID, key)
        .org_installation(ACME, "acme")
        .user_installation(ALICE, "alice")
}

fn client(github: &FakeGitHub, pem: &str) -> github::Client {
    github::Client::builder()
        .app(APP_ID, pem)
        .base_url(github.url())
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap()
}

fn pkcs1(key: &AppKey) -> String {
    key.pkcs1_pem().unwrap().to_string()
}

/// How many answers of the fake had `status`.
fn answered(github: &FakeGitHub, status: u16) -> usize {
    github
        .requests()
        .iter()
        .filter(|r| r.status == status)
        .count()
}

#[tokio::test]
async fn a_bulk_upload_lands_every_secret_while_tokens_die_and_mints_stay_few() {
    let key = AppKey::generate().unwrap();
    // Every token stops working after 10 requests: a 60-secret run outlives six.
    let github = fake(&key).app_tokens_work_for(10).start().await.unwrap();
    let gh = client(&github, &pkcs1(&key));
    let store = gh
        .org_secrets(App::Actions, "acme")
        .with_access(Access::Visibility(Visibility::Private))
        .unwrap();
    let items: Vec<(String, SecretString)> = (0..60)
        .map(|i| {
            (
                format!("SECRET_{i}"),
                SecretString::from(format!("value {i}")),
            )
        })
        .collect();

    let report = Bulk::new(&store).concurrency(8).put_all(items).await;

    let failures: Vec<String> = report.failures().map(|f| f.name.clone()).collect();
    assert!(failures.is_empty(), "failed: {failures:?}");
    let scope = Scope::org("actions", "acme");
    for i in 0..60 {
        let stored = github.stored(&scope, &format!("SECRET_{i}")).unwrap();
        assert_eq!(stored.plaintext, format!("value {i}").as_bytes());
    }
    let refused = answered(&github, 401);
    let mints = github.mints();
    assert!(refused > 0, "no token died: the test proves nothing");
    // About one mint per token death (however many requests it failed at once),
    // never one per request.
    assert!(mints >= 6, "{mints} mints for 60+ requests at 10 per token");
    assert!(mints < 20, "{mints} mints for 60 uploads");
    assert!(mints <= refused + 1, "{mints} mints, {refused} refusals");
    assert_eq!(github.mints_for(ACME), mints);
    assert!(
        github.jwt_refusals().is_empty(),
        "{:?}",
        github.jwt_refusals()
    );
}

#[tokio::test]
async fn requests_in_flight_together_share_one_mint() {
    let key = AppKey::generate().unwrap();
    let github = fake(&key).start().await.unwrap();
    let gh = client(&github, &pkcs1(&key));
    let store = gh.repository_secrets(App::Actions, Repo::name("alice", "dots"));
    let items = (0..16).map(|i| (format!("S{i}"), SecretString::from("v")));
    let report = Bulk::new(&store).concurrency(16).put_all(items).await;
    assert!(report.is_success());
    assert_eq!(github.mints(), 1);
    let lookups = github
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/installation"))
        .count();
    assert_eq!(lookups, 1);
}

#[tokio::test]
async fn tokens_are_replaced_five_minutes_before_they_expire() {
    let key = AppKey::generate().unwrap();
    let pem = pkcs1(&key);

    // Tokens that live 4 minutes are within the 5-minute margin from the start: each
    // request gets a new one, and none is refused.
    let short = fake(&key)
        .app_token_lifetime(Duration::from_secs(240))
        .start()
        .await
        .unwrap();
    let gh = client(&short, &pem);
    let secrets = gh.repository_secrets(App::Actions, Repo::name("acme", "web"));
    for name in ["A", "B", "C"] {
        gh.repository_secret(App::Actions, Repo::name("acme", "web"), name)
            .value("v")
            .send()
            .await
            .unwrap();
    }
    secrets.list().await.unwrap();
    let secret_requests = short
        .requests()
        .iter()
        .filter(|r| r.path.contains("/secrets"))
        .count();
    assert_eq!(short.mints(), secret_requests);
    assert_eq!(answered(&short, 401), 0);

    // Tokens that live 6 minutes are kept.
    let long = fake(&key)
        .app_token_lifetime(Duration::from_secs(360))
        .start()
        .await
        .unwrap();
    let gh = client(&long, &pem);
    for name in ["A", "B", "C"] {
        gh.repository_secret(App::Actions, Repo::name("acme", "web"), name)
            .value("v")
            .send()
            .await
            .unwrap();
    }
    assert_eq!(long.mints(), 1);
}

#[tokio::test]
async fn an_organization_and_a_users_repository_each_get_their_own_installation_token() {
    let key = AppKey::generate().unwrap();
    let github = fake(&key).start().await.unwrap();
    let gh = client(&github, &key.pkcs8_pem());

    gh.org_secret(App::Dependabot, "acme", "ORG_TOKEN")
        .visibility(Visibility::All)
        .value("org value")
        .send()
        .await
        .unwrap();
    gh.repository_secret(App::Actions, Repo::name("alice", "dots"), "REPO_TOKEN")
        .value("repo value")
        .send()
        .await
        .unwrap();
    gh.environment_secret(Repo::name("alice", "dots"), "prod", "ENV_TOKEN")
        .value("env value")
        .send()
        .await
        .unwrap();
    // Another repository of the organization: looked up, same installation, same token.
    gh.repository_secret(App::Actions, Repo::name("acme", "web"), "WEB_TOKEN")
        .value("web value")
        .send()
        .await
        .unwrap();

    assert_eq!(github.mints_for(ACME), 1);
    assert_eq!(github.mints_for(ALICE), 1);
    for request in github.requests() {
        let expected = if request.path.starts_with("/orgs/acme/")
            || request.path.starts_with("/repos/acme/")
        {
            ACME
        } else if request.path.starts_with("/repos/alice/") {
            ALICE
        } else {
            continue;
        };
        if request.path.ends_with("/installation") {
            assert_eq!(request.installation, None, "{request:?}");
        } else {
            assert_eq!(request.installation, Some(expected), "{request:?}");
        }
    }
    let env = Scope::environment("alice", "dots", "prod");
    assert_eq!(
        github.stored(&env, "ENV_TOKEN").unwrap().plaintext,
        b"env value"
    );
    assert_eq!(
        github
            .stored(&Scope::org("dependabot", "acme"), "ORG_TOKEN")
            .unwrap()
            .plaintext,
        b"org value"
    );
}

#[tokio::test]
async fn a_token_refused_between_calls_is_replaced_once_and_a_second_refusal_is_returned() {
    let key = AppKey::generate().unwrap();
    let github = fake(&key).start().await.unwrap();
    let gh = client(&github, &pkcs1(&key));
    let put = |name: &'static str| {
        gh.repository_secret(App::Actions, Repo::name("alice", "dots"), name)
            .value("v")
            .send()
    };
    put("FIRST").await.unwrap();
    github.revoke_app_tokens();
    put("SECOND").await.unwrap();
    assert_eq!(github.mints(), 2);
    assert_eq!(answered(&github, 401), 1);

    // Tokens that never work: one new token and one more try, then the 401.
    let dead = fake(&key).app_tokens_work_for(0).start().await.unwrap();
    let gh = client(&dead, &pkcs1(&key));
    let err = gh
        .repository_secret(App::Actions, Repo::name("alice", "dots"), "X")
        .value("v")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
    assert_eq!(dead.mints(), 2);
}

#[tokio::test]
async fn each_installation_has_its_rate_limit_and_the_apps_own_requests_are_left_out() {
    let key = AppKey::generate().unwrap();
    // Every answer carries the fake's rate-limit headers, the App's own (installation
    // lookup, token mint) too; GitHub counts those against the App's JWT instead.
    let github = fake(&key)
        .rate_limit(5000, 4000, 900)
        .start()
        .await
        .unwrap();
    let gh = client(&github, &pkcs1(&key));
    // The App is not installed on `nope`: only the App's own request was answered.
    let err = gh
        .org_secrets(App::Actions, "nope")
        .list()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AppNotInstalled { .. }), "{err:?}");
    assert_eq!(gh.rate_limit(), None, "the App's own answer is not kept");
    // Lookup, mint (both with the App's JWT), then two lists with acme's installation
    // token. The fake counts each credential's budget apart, as GitHub does: 4,000
    // each at first.
    let left = |seen: Option<github::RateLimit>| seen.map(|seen| seen.remaining);
    let acme = gh.org_secrets(App::Actions, "acme");
    assert_eq!(acme.rate_limit(), None, "its installation is not known yet");
    acme.list().await.unwrap();
    acme.list().await.unwrap();
    assert_eq!(github.requests().len(), 5);
    assert_eq!(left(gh.rate_limit()), Some(3998));
    assert_eq!(left(acme.rate_limit()), Some(3998));
    // Alice's installation: its own lookup, mint and list, and its own budget. Each
    // scope keeps what its installation's token was last told; the client, what the
    // last answer said.
    let dots = gh.repository_secrets(App::Actions, Repo::name("Alice", "dots"));
    dots.list().await.unwrap();
    assert_eq!(left(dots.rate_limit()), Some(3999));
    assert_eq!(left(acme.rate_limit()), Some(3998));
    assert_eq!(left(gh.rate_limit()), Some(3999));
    // Another repository of acme's installation shares its token and its budget.
    let web = gh.repository_secrets(App::Actions, Repo::name("acme", "web"));
    web.list().await.unwrap();
    assert_eq!(left(web.rate_limit()), Some(3997));
    assert_eq!(left(acme.rate_limit()), Some(3997));
    assert_eq!(left(dots.rate_limit()), Some(3999));
}

#[tokio::test]
async fn user_secrets_are_refused_before_any_request() {
    let key = AppKey::generate().unwrap();
    let github = fake(&key).start().await.unwrap();
    let gh = client(&github, &pkcs1(&key));
    let err = gh
        .user_codespaces_secret("NPM_TOKEN")
        .value("v")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UserScopeWithApp { .. }), "{err:?}");
    assert!(err.is_invalid_input());
    assert!(err.to_string().contains(".token("), "{err}");
    let err = gh.user_codespaces_secrets().list().await.unwrap_err();
    assert!(matches!(err, Error::UserScopeWithApp { .. }), "{err:?}");
    assert!(github.requests().is_empty(), "{:?}", github.requests());
}

#[tokio::test]
async fn installations_are_found_pinned_or_reported_missing() {
    let key = AppKey::generate().unwrap();
    let github = fake(&key)
        .repository(1_296_269, "acme/web")
        .start()
        .await
        .unwrap();

    // Not installed on the organization: a typed error naming the lookup.
    let gh = client(&github, &pkcs1(&key));
    let err = gh
        .org_secret(App::Actions, "globex", "X")
        .visibility(Visibility::All)
        .value("v")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AppNotInstalled { .. }), "{err:?}");
    let context = err.context().unwrap();
    assert_eq!(context.operation, Operation::FindInstallation);
    assert!(err.to_string().contains("organization `globex`"), "{err}");

    // A repository by id cannot be looked up: refused before any request.
    let before = github.requests().len();
    let err = gh
        .environment_secret(Repo::id(1_296_269), "prod", "X")
        .value("v")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::AppInstallationUnknown { .. }),
        "{err:?}"
    );
    assert_eq!(github.requests().len(), before);

    // With a pinned installation there is no lookup, and ids work.
    let pinned = github::Client::builder()
        .app(APP_ID, pkcs1(&key))
        .installation_id(ACME)
        .base_url(github.url())
        .build()
        .unwrap();
    pinned
        .environment_secret(Repo::id(1_296_269), "prod", "X")
        .value("by id")
        .send()
        .await
        .unwrap();
    let lookups = github.requests()[before..]
        .iter()
        .filter(|r| r.path.ends_with("/installation"))
        .count();
    assert_eq!(lookups, 0);
    assert_eq!(
        github
            .stored(&Scope::environment_by_id(1_296_269, "prod"), "X")
            .unwrap()
            .plaintext,
        b"by id"
    );
}

#[tokio::test]
async fn keys_in_pkcs1_and_pkcs8_sign_jwts_github_accepts_and_another_key_is_refused() {
    let key = AppKey::generate().unwrap();
    let github = fake(&key).start().await.unwrap();
    let pkcs8 = key.pkcs8_pem().to_string();
    // As an environment variable often holds it: one line, with `\n` written out.
    let escaped = pkcs1(&key).replace('\n', "\\n");
    for (i, pem) in [pkcs1(&key), pkcs8, escaped].into_iter().enumerate() {
        assert!(PrivateKey::from_pem(&pem).is_ok());
        client(&github, &pem)
            .org_secret(App::Actions, "acme", format!("K{i}"))
            .visibility(Visibility::All)
            .value("v")
            .send()
            .await
            .unwrap();
    }
    assert!(
        github.jwt_refusals().is_empty(),
        "{:?}",
        github.jwt_refusals()
    );
    assert_eq!(github.mints(), 3);

    // A well-formed key that is not the App's: GitHub refuses its JWT.
    let stranger = AppKey::generate().unwrap();
    let err = client(&github, &pkcs1(&stranger))
        .org_secret(App::Actions, "acme", "X")
        .visibility(Visibility::All)
        .value("v")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
    assert_eq!(
        err.context().unwrap().operation,
        Operation::FindInstallation
    );
    assert_eq!(github.jwt_refusals().len(), 1);
}

#[test]
fn bad_keys_are_typed_errors_when_the_client_is_built() {
    let key = AppKey::generate().unwrap();
    let pem = pkcs1(&key);
    let problem = |pem: &str| match github::Client::builder().app(APP_ID, pem).build() {
        Err(Error::InvalidPrivateKey { problem }) => problem,
        other => panic!("expected InvalidPrivateKey, got {other:?}"),
    };
    assert_eq!(problem(""), KeyProblem::Empty);
    assert_eq!(problem("ghs_not_a_key"), KeyProblem::NotPem);
    // Cut in the middle: the base64 or the DER breaks.
    let lines: Vec<&str> = pem.lines().collect();
    let cut = format!(
        "{}\n{}\n-----END RSA PRIVATE KEY-----\n",
        lines[0],
        lines[1..lines.len() / 2].join("\n")
    );
    assert_eq!(problem(&cut), KeyProblem::Malformed);
    // The PKCS#8 body under a PKCS#1 label.
    let relabelled = key.pkcs8_pem().replace("PRIVATE KEY", "RSA PRIVATE KEY");
    assert_eq!(problem(&relabelled), KeyProblem::Malformed);
    let public = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n";
    assert_eq!(
        problem(public),
        KeyProblem::NotAPrivateKey {
            label: "PUBLIC KEY".into()
        }
    );
    let err = github::Client::builder()
        .app(APP_ID, cut.as_str())
        .build()
        .unwrap_err();
    assert!(err.is_invalid_input());
    let body_line = lines[3];
    assert!(!err.to_string().contains(body_line));
    assert!(!format!("{err:?}").contains(body_line));
}

#[tokio::test]
async fn debug_never_shows_the_key_the_jwt_or_a_token() {
    let key = AppKey::generate().unwrap();
    let pem = pkcs1(&key);
    let body_line = pem.lines().nth(2).unwrap().to_owned();
    let github = fake(&key).app_tokens_work_for(1).start().await.unwrap();

    let builder = github::Client::builder()
        .app(APP_ID, pem.as_str())
        .base_url(github.url());
    let shown = format!("{builder:?}");
    assert!(!shown.contains(&body_line), "{shown}");
    assert!(shown.contains(&APP_ID.to_string()), "{shown}");
    let key_shown = format!("{:?}", PrivateKey::from_pem(&pem).unwrap());
    assert_eq!(key_shown, "PrivateKey(..)");

    let gh = builder.build().unwrap();
    // A token that dies after one request: the second request's 401 is retried, and
    // a third fails with 401 twice; the error is printed too.
    gh.repository_secret(App::Actions, Repo::name("acme", "web"), "A")
        .value("v")
        .send()
        .await
        .unwrap();
    let shown = format!("{gh:?}");
    for secret in [body_line.as_str(), "ghs_", "eyJ", "Bearer"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    let dead = fake(&key).app_tokens_work_for(0).start().await.unwrap();
    let err = client(&dead, &pem)
        .repository_secret(App::Actions, Repo::name("acme", "web"), "A")
        .value("v")
        .send()
        .await
        .unwrap_err();
    for shown in [format!("{err:?}"), err.to_string()] {
        for secret in [body_line.as_str(), "ghs_", "eyJ"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }
}
