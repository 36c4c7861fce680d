//! The engine against the fakes, which decrypt what they receive: plans send no write,
//! applies land every value, nothing changed sends nothing, drift is re-sent, access
//! changes send no value, prune deletes only undeclared secrets, and the state holds
//! no value nor an unkeyed hash of one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::format_push_string, clippy::format_collect)]
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use sealpost_client::coder;
use sealpost_client::github;
use sealpost_fakes::{FakeCoder, FakeGitHub, LoggedRequest, Scope};
use sealpost_sync::{Action, Config, Options, Outcome, Plan, State, Sync};
use sha2::Digest as _;

struct Setup {
    dir: tempfile::TempDir,
    github: FakeGitHub,
}

impl Setup {
    async fn new(builder: sealpost_fakes::FakeGitHubBuilder) -> Setup {
        Setup {
            dir: tempfile::tempdir().unwrap(),
            github: builder.start().await.unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn config(&self, text: &str) -> Config {
        self.write("sync.toml", text);
        Config::load(self.path("sync.toml")).unwrap()
    }

    /// A client of the fake GitHub with its token.
    fn github_client(&self) -> github::Client {
        github::Client::builder()
            .token(self.github.token())
            .base_url(self.github.url())
            .build()
            .unwrap()
    }

    fn sync(&self, prune: bool) -> Sync {
        let mut options = unpaced();
        options.prune = prune;
        Sync::new(options).github(self.github_client())
    }

    /// Plans and applies; returns the applied plan and the requests it made.
    async fn run(&self, config: &Config, prune: bool) -> (Plan, Vec<LoggedRequest>) {
        let before = self.github.requests().len();
        let state = State::open(config.default_state_dir()).unwrap();
        let sync = self.sync(prune);
        let plan = sync.plan(config, &state).await;
        let done = sync.apply(plan, &state).await;
        (done, self.github.requests()[before..].to_vec())
    }
}

/// Options without pacing: writes go as fast as the fakes answer.
fn unpaced() -> Options {
    let mut options = Options::default();
    options.writes_per_minute = 0;
    options
}

/// A client of `fake` with its token.
fn coder_client(fake: &FakeCoder) -> coder::Client {
    coder::Client::builder(fake.url())
        .token(fake.token())
        .build()
        .unwrap()
}

fn writes(requests: &[LoggedRequest]) -> Vec<&LoggedRequest> {
    requests.iter().filter(|r| r.method != "GET").collect()
}

fn value_puts(requests: &[LoggedRequest]) -> usize {
    requests
        .iter()
        .filter(|r| r.method == "PUT" && r.carried_value)
        .count()
}

const ORG_AND_REPO: &str = r#"
[[github]]
org = "acme"
[github.secrets]
ONE = { file = "values/one" }
TWO = { file = "values/two" }
THREE = { command = ["sh", "-c", "printf 'v3-Tn5q\n\n'"] }

[[github]]
repo = "octo/hello"
environment = "production"
[github.secrets]
DB_URL = { file = "values/db" }
"#;

async fn org_and_repo() -> (Setup, Config) {
    let setup = Setup::new(FakeGitHub::builder()).await;
    setup.write("values/one", "v1-Kq7zP\n");
    setup.write("values/two", "v2-Wm3xR");
    setup.write("values/db", "postgres://db-Hy8");
    let config = setup.config(ORG_AND_REPO);
    (setup, config)
}

#[tokio::test]
async fn plan_sends_no_write_then_apply_lands_every_value_and_a_rerun_sends_nothing() {
    let (setup, config) = org_and_repo().await;
    let state = State::open(config.default_state_dir()).unwrap();
    let plan = setup.sync(false).plan(&config, &state).await;
    drop(state);
    assert_eq!(plan.count(Action::Create), 4, "{plan}");
    assert!(writes(&setup.github.requests()).is_empty());
    assert!(!config.default_state_dir().join("state.json").exists());
    let text = plan.to_string();
    assert!(text.contains("+ ONE create"), "{text}");

    let (done, requests) = setup.run(&config, false).await;
    assert!(done.is_success(), "{done}");
    assert_eq!(value_puts(&requests), 4);
    let org = Scope::org("actions", "acme");
    assert_eq!(
        setup.github.stored(&org, "ONE").unwrap().plaintext,
        b"v1-Kq7zP\n"
    );
    assert_eq!(
        setup.github.stored(&org, "THREE").unwrap().plaintext,
        b"v3-Tn5q\n"
    );
    assert_eq!(
        setup
            .github
            .stored(&org, "ONE")
            .unwrap()
            .visibility
            .as_deref(),
        Some("private")
    );
    let env = Scope::environment("octo", "hello", "production");
    assert_eq!(
        setup.github.stored(&env, "DB_URL").unwrap().plaintext,
        b"postgres://db-Hy8"
    );

    let (again, requests) = setup.run(&config, false).await;
    assert!(again.is_success(), "{again}");
    assert_eq!(again.changes().count(), 0, "{again}");
    assert!(writes(&requests).is_empty(), "{requests:?}");
    // One list per target, nothing else.
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert!(again.to_string().contains("0 writes sent"), "{again}");
}

#[tokio::test]
async fn changing_two_values_sends_exactly_two_puts() {
    let (setup, config) = org_and_repo().await;
    setup.run(&config, false).await;
    setup.write("values/two", "two, rotated");
    setup.write("values/db", "postgres://db2");
    let (done, requests) = setup.run(&config, false).await;
    assert!(done.is_success(), "{done}");
    assert_eq!(done.count(Action::Update), 2, "{done}");
    assert_eq!(value_puts(&requests), 2);
    assert_eq!(writes(&requests).len(), 2);
    let org = Scope::org("actions", "acme");
    assert_eq!(
        setup.github.stored(&org, "TWO").unwrap().plaintext,
        b"two, rotated"
    );
}

#[tokio::test]
async fn drift_is_resent_and_only_it() {
    let (setup, config) = org_and_repo().await;
    setup.run(&config, false).await;
    // GitHub's `updated_at` has whole seconds: change it in a later second.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let org = Scope::org("actions", "acme");
    setup.github.insert(&org, "TWO", "changed by hand");
    let (done, requests) = setup.run(&config, false).await;
    assert!(done.is_success(), "{done}");
    let changes: Vec<_> = done
        .changes()
        .map(|c| (c.name.as_str(), c.action))
        .collect();
    assert_eq!(changes, [("TWO", Action::Resend)]);
    assert_eq!(value_puts(&requests), 1);
    assert_eq!(
        setup.github.stored(&org, "TWO").unwrap().plaintext,
        b"v2-Wm3xR"
    );
    let (again, requests) = setup.run(&config, false).await;
    assert_eq!(again.changes().count(), 0, "{again}");
    assert!(writes(&requests).is_empty());
}

#[tokio::test]
async fn an_access_only_change_sends_no_value() {
    let setup = Setup::new(
        FakeGitHub::builder()
            .repository(11, "acme/web")
            .repository(12, "acme/api"),
    )
    .await;
    setup.write("v", "value");
    let config = setup.config(
        "[[github]]\norg = \"acme\"\nvisibility = \"selected\"\nrepositories = [\"acme/web\"]\n\
         [github.secrets]\nA = { file = \"v\" }\nB = { file = \"v\" }\n",
    );
    let (done, _) = setup.run(&config, false).await;
    assert!(done.is_success(), "{done}");
    let org = Scope::org("actions", "acme");
    assert_eq!(
        setup.github.stored(&org, "A").unwrap().repositories,
        Some(vec![11])
    );

    // Nothing changed: a list, and one repositories request per selected secret.
    let (again, requests) = setup.run(&config, false).await;
    assert_eq!(again.changes().count(), 0, "{again}");
    assert_eq!(requests.len(), 3, "{requests:?}");

    let config = setup.config(
        "[[github]]\norg = \"acme\"\nvisibility = \"selected\"\nrepositories = [\"acme/web\", \"acme/api\"]\n\
         [github.secrets]\nA = { file = \"v\" }\nB = { file = \"v\" }\n",
    );
    let (done, requests) = setup.run(&config, false).await;
    assert!(done.is_success(), "{done}");
    assert_eq!(done.count(Action::Access), 2, "{done}");
    assert!(
        done.to_string().contains("repositories +acme/api"),
        "{done}"
    );
    assert_eq!(value_puts(&requests), 0);
    assert_eq!(writes(&requests).len(), 2);
    let mut ids = setup
        .github
        .stored(&org, "B")
        .unwrap()
        .repositories
        .unwrap();
    ids.sort_unstable();
    assert_eq!(ids, [11, 12]);

    let config = setup.config(
        "[[github]]\norg = \"acme\"\nvisibility = \"all\"\n\
         [github.secrets]\nA = { file = \"v\" }\nB = { file = \"v\" }\n",
    );
    let (done, requests) = setup.run(&config, false).await;
    assert_eq!(done.count(Action::Access), 2, "{done}");
    assert_eq!(value_puts(&requests), 0);
    assert_eq!(
        setup
            .github
            .stored(&org, "A")
            .unwrap()
            .visibility
            .as_deref(),
        Some("all")
    );
    // The access change moved `updated_at`; the state follows, so no drift is seen.
    let (again, requests) = setup.run(&config, false).await;
    assert_eq!(again.changes().count(), 0, "{again}");
    assert!(writes(&requests).is_empty());
}

#[tokio::test]
async fn prune_deletes_only_undeclared_secrets_of_declared_targets() {
    let (setup, config) = org_and_repo().await;
    let org = Scope::org("actions", "acme");
    let elsewhere = Scope::org("actions", "other");
    setup.github.insert(&org, "OLD", "x");
    setup.github.insert(&elsewhere, "OLD", "x");
    let (done, requests) = setup.run(&config, false).await;
    assert!(done.is_success(), "{done}");
    assert_eq!(done.targets[0].undeclared, ["OLD"]);
    assert!(
        done.to_string()
            .contains("? OLD undeclared (kept; --prune deletes it)"),
        "{done}"
    );
    assert!(requests.iter().all(|r| r.method != "DELETE"));

    let (done, requests) = setup.run(&config, true).await;
    assert!(done.is_success(), "{done}");
    let deletes: Vec<_> = requests.iter().filter(|r| r.method == "DELETE").collect();
    assert_eq!(deletes.len(), 1, "{deletes:?}");
    assert_eq!(deletes[0].path, "/orgs/acme/actions/secrets/OLD");
    assert_eq!(setup.github.names(&org), ["ONE", "THREE", "TWO"]);
    assert_eq!(setup.github.names(&elsewhere), ["OLD"]);
}

#[tokio::test]
async fn a_source_that_fails_stops_its_target_only_and_is_named() {
    let setup = Setup::new(FakeGitHub::builder()).await;
    setup.write("ok", "fine");
    let config = setup.config(
        r#"
[[github]]
org = "acme"
[github.secrets]
GOOD = { file = "ok" }
MISSING = { file = "nope" }
FAILS = { command = ["sh", "-c", "exit 7"] }
UNSET = { env = "SEALPOST_SYNC_TEST_UNSET_VARIABLE" }

[[github]]
repo = "octo/hello"
[github.secrets]
GOOD = { file = "ok" }
"#,
    );
    let (done, _) = setup.run(&config, false).await;
    assert!(!done.is_success());
    let error = done.targets[0].error.clone().unwrap();
    for needle in [
        "`MISSING`",
        "file nope",
        "`FAILS`",
        "command sh -c exit 7",
        "`UNSET`",
        "env SEALPOST_SYNC_TEST_UNSET_VARIABLE",
    ] {
        assert!(error.contains(needle), "{needle}: {error}");
    }
    assert!(!error.contains("`GOOD`"), "{error}");
    assert!(
        setup
            .github
            .names(&Scope::org("actions", "acme"))
            .is_empty()
    );
    let repo = Scope::repo("actions", "octo", "hello");
    assert_eq!(
        setup.github.stored(&repo, "GOOD").unwrap().plaintext,
        b"fine"
    );
    assert_eq!(done.failures().len(), 1);
}

#[tokio::test]
async fn a_failed_target_does_not_stop_the_others() {
    // The second org's list is refused (404 for an unknown route is not possible in
    // the fake, so use a scope the token cannot reach: a repository environment whose
    // name the client refuses before sending).
    let setup = Setup::new(FakeGitHub::builder()).await;
    setup.write("v", "value");
    let config = setup.config(
        "[[github]]\nrepo = \"octo/hello\"\nenvironment = \"..\"\n[github.secrets]\nA = { file = \"v\" }\n\
         [[github]]\norg = \"acme\"\n[github.secrets]\nA = { file = \"v\" }\n",
    );
    let (done, _) = setup.run(&config, false).await;
    assert!(!done.is_success());
    assert!(done.targets[0].error.is_some(), "{done}");
    assert_eq!(
        done.targets[1].changes[0].result,
        Some(Outcome::Done),
        "{done}"
    );
}

#[tokio::test]
async fn state_and_output_hold_no_value_nor_an_unkeyed_hash_of_one() {
    let (setup, config) = org_and_repo().await;
    let (done, _) = setup.run(&config, false).await;
    setup.write("values/one", "v1-rotated-Zr4");
    let (rotated, _) = setup.run(&config, false).await;
    let mut seen = String::new();
    for entry in std::fs::read_dir(config.default_state_dir()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        seen.push_str(&String::from_utf8_lossy(&bytes));
        seen.push_str(&base64::engine::general_purpose::STANDARD.encode(&bytes));
    }
    for plan in [&done, &rotated] {
        seen.push_str(&plan.to_string());
        seen.push_str(&serde_json::to_string(plan).unwrap());
        seen.push_str(&format!("{plan:?}"));
    }
    for value in [
        "v1-Kq7zP\n",
        "v1-rotated-Zr4",
        "v2-Wm3xR",
        "v3-Tn5q\n",
        "postgres://db-Hy8",
    ] {
        let sha = sha2::Sha256::digest(value.as_bytes());
        let hex: String = sha.iter().map(|b| format!("{b:02x}")).collect();
        let b64 = base64::engine::general_purpose::STANDARD.encode(sha);
        for needle in [value.trim_end(), &hex, &b64] {
            assert!(!seen.contains(needle), "found {needle:?}");
        }
    }
    assert!(seen.contains("\"digest\""));
}

#[tokio::test]
async fn a_run_that_was_cut_short_resends_only_what_was_not_recorded() {
    let (setup, config) = org_and_repo().await;
    // A state folder that knows only ONE, as after a crash after its journal entry.
    setup.run(&config, false).await;
    let state_file = config.default_state_dir().join("state.json");
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state_file).unwrap()).unwrap();
    let org = json["targets"]["github org actions acme"]
        .as_object_mut()
        .unwrap();
    org.remove("TWO");
    org.remove("THREE");
    std::fs::write(&state_file, serde_json::to_vec(&json).unwrap()).unwrap();
    let (done, requests) = setup.run(&config, false).await;
    let changes: Vec<_> = done
        .changes()
        .map(|c| (c.name.as_str(), c.action))
        .collect();
    assert_eq!(
        changes,
        [("TWO", Action::Update), ("THREE", Action::Update)]
    );
    assert_eq!(value_puts(&requests), 2);
}

#[tokio::test]
async fn coder_secrets_are_created_patched_and_left_alone() {
    let coder_fake = FakeCoder::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("npm", "npm-1");
    let toml = |description: &str| {
        format!(
            "[[coder]]\nuser = \"me\"\n[coder.secrets]\nnpm = {{ file = \"npm\", env_name = \"NPM_TOKEN\", description = \"{description}\" }}\n"
        )
    };
    write("sync.toml", &toml("npm token"));
    let sync = Sync::new(unpaced()).coder(coder_client(&coder_fake));
    let run = |config: Config| {
        let sync = sync.clone();
        async move {
            let state = State::open(config.default_state_dir()).unwrap();
            let plan = sync.plan(&config, &state).await;
            sync.apply(plan, &state).await
        }
    };
    let load = || Config::load(dir.path().join("sync.toml")).unwrap();
    let done = run(load()).await;
    assert!(done.is_success(), "{done}");
    let secret = coder_fake.secret("npm").unwrap();
    assert_eq!(
        (secret.value.as_str(), secret.env_name.as_str()),
        ("npm-1", "NPM_TOKEN")
    );
    assert_eq!(run(load()).await.changes().count(), 0);

    write("npm", "npm-2");
    let done = run(load()).await;
    assert_eq!(done.count(Action::Update), 1, "{done}");
    assert_eq!(coder_fake.secret("npm").unwrap().value, "npm-2");
    let patches = coder_fake
        .requests()
        .iter()
        .filter(|r| r.method == "PATCH")
        .count();
    assert_eq!(patches, 1);

    write("sync.toml", &toml("npm publish token"));
    let before = coder_fake.requests().len();
    let done = run(load()).await;
    assert_eq!(done.count(Action::Fields), 1, "{done}");
    let sent = &coder_fake.requests()[before..];
    assert!(sent.iter().all(|r| !r.carried_value), "{sent:?}");
    assert_eq!(
        coder_fake.secret("npm").unwrap().description,
        "npm publish token"
    );
    assert_eq!(run(load()).await.changes().count(), 0);

    // Drift: changed behind sync's back.
    coder_fake.insert("npm", "by hand");
    let done = run(load()).await;
    assert_eq!(done.count(Action::Resend), 1, "{done}");
    assert_eq!(coder_fake.secret("npm").unwrap().value, "npm-2");
}

#[tokio::test]
async fn user_secrets_get_their_repositories() {
    let setup = Setup::new(FakeGitHub::builder().repository(21, "me/dotfiles")).await;
    setup.write("v", "value");
    let config = setup.config(
        "[[github]]\nuser = true\nrepositories = [\"me/dotfiles\"]\n[github.secrets]\nA = { file = \"v\" }\n",
    );
    let (done, _) = setup.run(&config, false).await;
    assert!(done.is_success(), "{done}");
    let stored = setup.github.stored(&Scope::user(), "A").unwrap();
    assert_eq!(stored.repositories, Some(vec![21]));
    let (again, requests) = setup.run(&config, false).await;
    assert_eq!(again.changes().count(), 0, "{again}");
    assert!(writes(&requests).is_empty());
}

#[tokio::test]
async fn writes_are_paced() {
    let (setup, config) = org_and_repo().await;
    let client = setup.github_client();
    let mut options = Options::default();
    options.writes_per_minute = 600; // one every 100 ms
    let sync = Sync::new(options).github(client);
    let state = State::open(config.default_state_dir()).unwrap();
    let plan = sync.plan(&config, &state).await;
    let start = std::time::Instant::now();
    let done = sync.apply(plan, &state).await;
    assert!(done.is_success(), "{done}");
    // Four writes: slots at 0, 100, 200 and 300 ms.
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(done.writes, 4);
}

#[tokio::test]
async fn a_rate_limit_with_a_named_wait_is_sat_out() {
    let setup = Setup::new(
        FakeGitHub::builder()
            .fail_first_puts(1, sealpost_fakes::Fault::TooManyRequests { retry_after: 1 }),
    )
    .await;
    setup.write("v", "value");
    let config =
        setup.config("[[github]]\norg = \"acme\"\n[github.secrets]\nA = { file = \"v\" }\n");
    // A client that does not retry by itself: the engine must.
    let client = github::Client::builder()
        .token(setup.github.token())
        .base_url(setup.github.url())
        .retry(sealpost_client::RetryPolicy::default().max_attempts(1))
        .build()
        .unwrap();
    let options = unpaced();
    let waits = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&waits);
    let sync = Sync::new(options).github(client).on_event(move |event| {
        if let sealpost_sync::Event::RateLimited { wait } = event {
            seen.lock().unwrap().push(*wait);
        }
    });
    let state = State::open(config.default_state_dir()).unwrap();
    let plan = sync.plan(&config, &state).await;
    let done = sync.apply(plan, &state).await;
    assert!(done.is_success(), "{done}");
    assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(1)]);
    assert_eq!(
        setup
            .github
            .put_statuses(&Scope::org("actions", "acme"), "A"),
        [429, 201]
    );
    assert_eq!(done.writes, 2);
}

#[tokio::test]
async fn a_second_state_open_is_refused_while_a_run_holds_it() {
    let (_setup, config) = org_and_repo().await;
    let _held = State::open(config.default_state_dir()).unwrap();
    assert!(matches!(
        State::open(config.default_state_dir()),
        Err(sealpost_sync::StateError::Locked { .. })
    ));
}

#[tokio::test]
async fn an_exhausted_rate_limit_is_waited_out_until_its_reset() {
    let setup = Setup::new(FakeGitHub::builder().fail_first_puts(
        1,
        sealpost_fakes::Fault::RateLimitExhausted { reset_after: 1 },
    ))
    .await;
    setup.write("v", "value");
    let config =
        setup.config("[[github]]\nrepo = \"octo/hello\"\n[github.secrets]\nA = { file = \"v\" }\n");
    let client = github::Client::builder()
        .token(setup.github.token())
        .base_url(setup.github.url())
        .retry(sealpost_client::RetryPolicy::default().max_attempts(1))
        .build()
        .unwrap();
    let options = unpaced();
    let sync = Sync::new(options).github(client);
    let state = State::open(config.default_state_dir()).unwrap();
    let plan = sync.plan(&config, &state).await;
    let done = sync.apply(plan, &state).await;
    assert!(done.is_success(), "{done}");
    let repo = Scope::repo("actions", "octo", "hello");
    assert_eq!(setup.github.put_statuses(&repo, "A"), [403, 201]);
    assert_eq!(setup.github.stored(&repo, "A").unwrap().plaintext, b"value");
}

#[tokio::test]
async fn a_target_the_server_answers_404_for_does_not_stop_the_others() {
    let setup = Setup::new(FakeGitHub::builder()).await;
    let coder_fake = FakeCoder::start().await.unwrap();
    setup.write("v", "value");
    let config = setup.config(
        "[[coder]]\nuser = \"nobody\"\n[coder.secrets]\nx = { file = \"v\" }\n\
         [[github]]\norg = \"acme\"\n[github.secrets]\nA = { file = \"v\" }\n",
    );
    let sync = setup.sync(false).coder(coder_client(&coder_fake));
    let state = State::open(config.default_state_dir()).unwrap();
    let plan = sync.plan(&config, &state).await;
    let done = sync.apply(plan, &state).await;
    assert!(!done.is_success());
    let failures = done.failures();
    assert_eq!(failures.len(), 1, "{done}");
    assert!(failures[0].0.contains("nobody"), "{failures:?}");
    assert!(failures[0].2.contains("404"), "{failures:?}");
    assert_eq!(
        setup
            .github
            .stored(&Scope::org("actions", "acme"), "A")
            .unwrap()
            .plaintext,
        b"value"
    );
}

#[tokio::test]
async fn a_refused_write_fails_that_secret_only_and_says_why() {
    let coder_fake = FakeCoder::builder()
        .reserve_env_name("DEPLOYMENT_ONLY")
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("v"), "value").unwrap();
    std::fs::write(
        dir.path().join("sync.toml"),
        "[[coder]]\n[coder.secrets]\n\
         good = { file = \"v\" }\n\
         refused = { file = \"v\", env_name = \"DEPLOYMENT_ONLY\" }\n",
    )
    .unwrap();
    let config = Config::load(dir.path().join("sync.toml")).unwrap();
    let sync = Sync::new(unpaced()).coder(coder_client(&coder_fake));
    let state = State::open(config.default_state_dir()).unwrap();
    let plan = sync.plan(&config, &state).await;
    let done = sync.apply(plan, &state).await;
    let failures = done.failures();
    assert_eq!(failures.len(), 1, "{done}");
    assert_eq!(failures[0].1.as_deref(), Some("refused"));
    assert!(failures[0].2.contains("400"), "{failures:?}");
    assert!(
        done.to_string().contains("+ refused create ... FAILED: "),
        "{done}"
    );
    assert_eq!(coder_fake.names(), ["good"]);
    // The next run tries the refused one again, and only it.
    let plan = sync.plan(&config, &state).await;
    let names: Vec<_> = plan.changes().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["refused"]);
}

/// The entry `state.json` keeps for `name` of target `key`.
fn state_entry(config: &Config, key: &str, name: &str) -> serde_json::Value {
    let state_file = config.default_state_dir().join("state.json");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(state_file).unwrap()).unwrap();
    json["targets"][key][name].clone()
}

const AGENTS_ORG: &str = "[[github]]\norg = \"acme\"\napp = \"agents\"\nvisibility = \"{visibility}\"\n\
     [github.secrets]\nCOPILOT_KEY = { file = \"agent\" }\nOTHER = { file = \"other\" }\n";

#[tokio::test]
async fn an_agents_org_secret_whose_visibility_changes_is_sent_again_with_its_value() {
    let setup = Setup::new(FakeGitHub::builder()).await;
    setup.write("agent", "agent-value-Qz8");
    setup.write("other", "other-value-Vb2");
    let config = setup.config(&AGENTS_ORG.replace("{visibility}", "private"));
    let (done, requests) = setup.run(&config, false).await;
    assert!(done.is_success(), "{done}");
    assert_eq!(value_puts(&requests), 2);
    let org = Scope::org("agents", "acme");
    let key = "github org agents acme";
    let first = state_entry(&config, key, "COPILOT_KEY");

    // GitHub's `updated_at` has whole seconds: change the visibility in a later
    // second, so that a state left as it was would show as drift on the next run.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let config = setup.config(&AGENTS_ORG.replace("{visibility}", "all"));
    let state = State::open_read_only(config.default_state_dir()).unwrap();
    let plan = setup.sync(false).plan(&config, &state).await;
    drop(state);
    let text = plan.to_string();
    assert!(
        text.contains(
            "~ COPILOT_KEY update: visibility private → all; GitHub changes an Agents \
             organization secret's visibility only with its value, so the value is sent again"
        ),
        "{text}"
    );
    assert_eq!(
        (plan.count(Action::Update), plan.count(Action::Access)),
        (2, 0),
        "{plan}"
    );

    let (done, requests) = setup.run(&config, false).await;
    assert!(done.is_success(), "{done}");
    // One PUT per secret, each with its value and the new visibility; nothing else
    // is written (no access-only PUT refused first).
    let puts: Vec<_> = writes(&requests);
    assert_eq!(puts.len(), 2, "{puts:?}");
    assert!(
        puts.iter().all(|r| r.carried_value && r.status == 204),
        "{puts:?}"
    );
    for (name, value) in [
        ("COPILOT_KEY", "agent-value-Qz8"),
        ("OTHER", "other-value-Vb2"),
    ] {
        let stored = setup.github.stored(&org, name).unwrap();
        assert_eq!(stored.plaintext, value.as_bytes(), "{name}");
        assert_eq!(stored.visibility.as_deref(), Some("all"), "{name}");
        assert_eq!(stored.writes, 2, "{name}");
    }
    // The state follows the write: same digest (same value), the new `updated_at`,
    // which is GitHub's now.
    let second = state_entry(&config, key, "COPILOT_KEY");
    assert_eq!(second["digest"], first["digest"]);
    assert_ne!(second["updated_at"], first["updated_at"]);
    let client = setup.github_client();
    let remote = client
        .secrets(sealpost_client::github::Scope::org(
            github::App::Agents,
            "acme",
        ))
        .get("COPILOT_KEY")
        .await
        .unwrap();
    let recorded = time::OffsetDateTime::parse(
        second["updated_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(remote.updated_at, Some(recorded));

    let (again, requests) = setup.run(&config, false).await;
    assert_eq!(again.changes().count(), 0, "{again}");
    assert!(writes(&requests).is_empty(), "{requests:?}");
}

#[tokio::test]
async fn an_agents_org_secret_whose_repositories_change_sends_no_value() {
    let setup = Setup::new(
        FakeGitHub::builder()
            .repository(11, "acme/web")
            .repository(12, "acme/api"),
    )
    .await;
    setup.write("v", "agent-value-Lp4");
    let toml = |repos: &str| {
        format!(
            "[[github]]\norg = \"acme\"\napp = \"agents\"\nvisibility = \"selected\"\n\
             repositories = [{repos}]\n[github.secrets]\nA = {{ file = \"v\" }}\n"
        )
    };
    let config = setup.config(&toml("\"acme/web\""));
    let (done, _) = setup.run(&config, false).await;
    assert!(done.is_success(), "{done}");
    let config = setup.config(&toml("\"acme/web\", \"acme/api\""));
    let (done, requests) = setup.run(&config, false).await;
    assert!(done.is_success(), "{done}");
    assert_eq!(done.count(Action::Access), 1, "{done}");
    assert!(
        done.to_string()
            .contains("~ A access: repositories +acme/api"),
        "{done}"
    );
    // The visibility stays `selected`: only the repositories are set, without the value.
    let sent = writes(&requests);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].path, "/orgs/acme/agents/secrets/A/repositories");
    assert_eq!(value_puts(&requests), 0);
    let stored = setup
        .github
        .stored(&Scope::org("agents", "acme"), "A")
        .unwrap();
    let mut ids = stored.repositories.unwrap();
    ids.sort_unstable();
    assert_eq!(ids, [11, 12]);
    assert_eq!(stored.plaintext, b"agent-value-Lp4");
    let (again, requests) = setup.run(&config, false).await;
    assert_eq!(again.changes().count(), 0, "{again}");
    assert!(writes(&requests).is_empty(), "{requests:?}");
}

/// Plans and applies `config` against `setup`'s fake, one write at a time and
/// unpaced; gives the applied plan and the [`sealpost_sync::Event::Slowed`] events:
/// `(wait, rate limit)`.
async fn run_slowed(setup: &Setup, config: &Config) -> (Plan, Vec<(Duration, github::RateLimit)>) {
    let client = setup.github_client();
    let mut options = unpaced();
    options.concurrency = 1;
    let slowed = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&slowed);
    let sync = Sync::new(options).github(client).on_event(move |event| {
        if let sealpost_sync::Event::Slowed { wait, rate_limit } = event {
            seen.lock().unwrap().push((*wait, *rate_limit));
        }
    });
    let state = State::open(config.default_state_dir()).unwrap();
    let plan = sync.plan(config, &state).await;
    let done = sync.apply(plan, &state).await;
    let slowed = slowed.lock().unwrap().clone();
    (done, slowed)
}

const THREE_IN_A_REPO: &str = "[[github]]\nrepo = \"octo/hello\"\n[github.secrets]\n\
     A = { file = \"v\" }\nB = { file = \"v\" }\nC = { file = \"v\" }\n";

#[tokio::test]
async fn few_requests_left_spread_the_writes_until_the_reset() {
    // 9 of 1,000 left for the next 1 to 2 s: the list and three values (the key,
    // then a PUT and a read-back each) need 8, which is into the 5 % reserve.
    let setup = Setup::new(FakeGitHub::builder().rate_limit(1000, 9, 2)).await;
    setup.write("v", "value");
    let config = setup.config(THREE_IN_A_REPO);
    let (done, slowed) = run_slowed(&setup, &config).await;
    assert!(done.is_success(), "{done}");
    assert_eq!(done.count(Action::Create), 3, "{done}");
    // One event per write, each with what GitHub said just before it.
    let remaining: Vec<u64> = slowed.iter().map(|(_, rate)| rate.remaining).collect();
    assert_eq!(remaining, [8, 5, 3], "{slowed:?}");
    assert!(slowed.iter().all(|(_, rate)| rate.limit == 1000));
    assert!(
        slowed
            .iter()
            .all(|(_, rate)| rate.reset == slowed[0].1.reset)
    );
    // The first write goes at once and spaces the next ones; none waits more than
    // the window has left.
    assert_eq!(slowed[0].0, Duration::ZERO, "{slowed:?}");
    assert!(
        slowed[1..]
            .iter()
            .all(|(wait, _)| *wait > Duration::ZERO && *wait <= Duration::from_secs(2)),
        "{slowed:?}"
    );
    let statuses: Vec<u16> = setup.github.requests().iter().map(|r| r.status).collect();
    assert!(statuses.iter().all(|status| *status < 400), "{statuses:?}");
}

#[tokio::test]
async fn no_request_left_waits_for_the_reset_instead_of_a_403() {
    // 4 left for the next 1 to 2 s (at least a second, so that the window does not
    // end while the first value is sent, even on a busy machine): the list and the
    // first value (key, PUT, read-back) use them all; the second value waits for
    // the window to reset.
    let setup = Setup::new(FakeGitHub::builder().rate_limit(1000, 4, 2)).await;
    setup.write("v", "value");
    let config = setup.config(
        "[[github]]\nrepo = \"octo/hello\"\n[github.secrets]\nA = { file = \"v\" }\nB = { file = \"v\" }\n",
    );
    let (done, slowed) = run_slowed(&setup, &config).await;
    assert!(done.is_success(), "{done}");
    let remaining: Vec<u64> = slowed.iter().map(|(_, rate)| rate.remaining).collect();
    assert_eq!(remaining, [3, 0], "{slowed:?}");
    // The wait for the reset: the rest of the window (under two seconds) and one.
    let (wait, _) = slowed[1];
    assert!(
        wait > Duration::ZERO && wait <= Duration::from_secs(3),
        "{slowed:?}"
    );
    let statuses: Vec<u16> = setup.github.requests().iter().map(|r| r.status).collect();
    assert!(statuses.iter().all(|status| *status < 400), "{statuses:?}");
    let repo = Scope::repo("actions", "octo", "hello");
    assert_eq!(setup.github.stored(&repo, "B").unwrap().plaintext, b"value");
}

#[tokio::test]
async fn plenty_left_is_no_slowing_down() {
    let setup = Setup::new(FakeGitHub::builder().rate_limit(5000, 4000, 3600)).await;
    setup.write("v", "value");
    let config = setup.config(THREE_IN_A_REPO);
    let (done, slowed) = run_slowed(&setup, &config).await;
    assert!(done.is_success(), "{done}");
    assert!(slowed.is_empty(), "{slowed:?}");
}

#[tokio::test]
async fn a_value_the_service_would_refuse_fails_its_target_in_the_plan_before_any_request() {
    let setup = Setup::new(FakeGitHub::builder()).await;
    let coder_fake = FakeCoder::start().await.unwrap();
    // One byte over what GitHub stores, and an empty value, which Coder refuses.
    setup.write("values/big", &"x".repeat(github::MAX_VALUE_BYTES + 1));
    setup.write("values/empty", "");
    setup.write("values/ok", "fine-Zr4");
    let config = setup.config(
        "[[github]]\norg = \"acme\"\n[github.secrets]\nBIG = { file = \"values/big\" }\n\
         OK = { file = \"values/ok\" }\n\n\
         [[github]]\nrepo = \"octo/hello\"\n[github.secrets]\nFINE = { file = \"values/ok\" }\n\n\
         [[coder]]\n[coder.secrets]\nblank = { file = \"values/empty\" }\n",
    );
    let sync = setup.sync(false).coder(coder_client(&coder_fake));
    let state = State::open(config.default_state_dir()).unwrap();
    let plan = sync.plan(&config, &state).await;
    // The plan says which secret, from which source, and why, for both services; a
    // refused target sends no request at all (not even its list).
    let failures = plan.failures();
    assert_eq!(failures.len(), 2, "{plan}");
    let said: Vec<&str> = failures
        .iter()
        .map(|(_, _, reason)| reason.as_str())
        .collect();
    assert!(
        said.iter().any(|reason| reason.contains("secret `BIG`")
            && reason.contains("file values/big")
            && reason.contains(&format!("{} bytes", github::MAX_VALUE_BYTES + 1))),
        "{said:?}"
    );
    assert!(
        said.iter().any(|reason| reason.contains("secret `blank`")
            && reason.contains("file values/empty")
            && reason.contains("it is empty")),
        "{said:?}"
    );
    let acme = Scope::org("actions", "acme");
    assert!(
        !setup
            .github
            .requests()
            .iter()
            .any(|r| r.path.contains("/orgs/acme")),
        "{:?}",
        setup.github.requests()
    );
    assert!(coder_fake.requests().is_empty());
    // Nothing of the refused targets is written; the other target lands.
    let done = sync.apply(plan, &state).await;
    assert!(!done.is_success(), "{done}");
    assert_eq!(done.writes, 1, "{done}");
    assert!(setup.github.names(&acme).is_empty());
    let repo = Scope::repo("actions", "octo", "hello");
    assert_eq!(
        setup.github.stored(&repo, "FINE").unwrap().plaintext,
        b"fine-Zr4"
    );
}

#[tokio::test]
async fn each_installation_of_a_github_app_is_paced_by_its_own_budget() {
    // A GitHub App serves two targets through two installations, and GitHub counts
    // each installation token's requests apart (so does the fake): Alice's has 6 of
    // 100 left, acme's 99. Only the write to Alice's repository is slowed down.
    let key = sealpost_fakes::AppKey::generate().unwrap();
    let fake = FakeGitHub::builder()
        .app(7, &key)
        .org_installation(1, "acme")
        .user_installation(2, "alice")
        .rate_limit(100, 100, 3600);
    let setup = Setup::new(fake).await;
    setup.write("v", "value");
    let config = setup.config(
        "[[github]]\nrepo = \"alice/dots\"\n[github.secrets]\nDOTS = { file = \"v\" }\n\n\
         [[github]]\norg = \"acme\"\n[github.secrets]\nA1 = { file = \"v\" }\n\
         A2 = { file = \"v\" }\nA3 = { file = \"v\" }\n",
    );
    let client = github::Client::builder()
        .app(7, key.pkcs1_pem().unwrap().to_string())
        .base_url(setup.github.url())
        .build()
        .unwrap();
    // Other work of the same App spent most of Alice's budget: 94 of its 100.
    let dots = client.repository_secrets(github::App::Actions, github::Repo::name("alice", "dots"));
    for _ in 0..94 {
        dots.list().await.unwrap();
    }
    let mut options = unpaced();
    options.concurrency = 1;
    let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&events);
    let sync = Sync::new(options).github(client).on_event(move |event| {
        let said = match event {
            sealpost_sync::Event::Slowed { rate_limit, .. } => {
                format!("slowed, {} left", rate_limit.remaining)
            }
            sealpost_sync::Event::Done { name, ok, .. } => format!("{name} done: {ok}"),
            _ => return,
        };
        seen.lock().unwrap().push(said);
    });
    let state = State::open(config.default_state_dir()).unwrap();
    let plan = sync.plan(&config, &state).await;
    let done = sync.apply(plan, &state).await;
    assert!(done.is_success(), "{done}");
    // Alice's write sees her 5 left (after the plan's list), into the 5 % reserve;
    // acme's see 98 and more, plenty for what is left of the run.
    assert_eq!(
        *events.lock().unwrap(),
        [
            "slowed, 5 left",
            "DOTS done: true",
            "A1 done: true",
            "A2 done: true",
            "A3 done: true"
        ]
    );
    // No refusal for the rate limit (the 404s are the reads of acme's new secrets'
    // access, which find none).
    let statuses: Vec<u16> = setup.github.requests().iter().map(|r| r.status).collect();
    assert!(
        statuses
            .iter()
            .all(|status| matches!(status, 200 | 201 | 204 | 404)),
        "{statuses:?}"
    );
}
