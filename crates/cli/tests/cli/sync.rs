//! `sealpost sync CONFIG` against the fakes: each source kind (and the one trailing
//! newline a command loses), `--plan` sends no write, a run killed with SIGKILL half-way
//! and run again lands every secret with at most `--concurrency` extra PUTs, a third
//! run sends nothing, failures name the secret and the source and exit 1.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use sealpost_fakes::{FakeGitHub, LoggedRequest, Scope};

use super::{described, sealpost};

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn sync(github: &FakeGitHub, config: &Path, args: &[&str]) -> std::process::Output {
    sealpost()
        .arg("sync")
        .arg(config)
        .args(args)
        .env("GH_TOKEN", github.token())
        .env("GITHUB_API_URL", github.url())
        .env("SEALPOST_SYNC_TEST_VALUE", "from the environment\n")
        .output()
        .unwrap()
}

fn value_puts(requests: &[LoggedRequest]) -> usize {
    requests
        .iter()
        .filter(|r| r.method == "PUT" && r.carried_value)
        .count()
}

#[test]
fn sync_reads_each_source_kind_exactly() {
    let github = FakeGitHub::spawn().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("secrets")).unwrap();
    write(dir.path(), "secrets/db_url", "postgres://db\n\n");
    write(
        dir.path(),
        "sync.toml",
        r#"
[[github]]
repo = "octo/hello"
[github.secrets]
FROM_ENV = { env = "SEALPOST_SYNC_TEST_VALUE" }
FROM_FILE = { file = "secrets/db_url" }
FROM_COMMAND = { command = ["printf", "line\n\n"] }
ONE_NEWLINE = { command = ["printf", "line\n"] }
NO_NEWLINE = { command = ["printf", "line"] }
"#,
    );
    // Run from elsewhere: files are relative to the configuration's folder.
    let output = sync(
        &github,
        &dir.path().join("sync.toml"),
        &["--writes-per-minute", "0"],
    );
    assert!(output.status.success(), "{}", described(&output));
    let repo = Scope::repo("actions", "octo", "hello");
    let stored = |name| github.stored(&repo, name).unwrap().plaintext;
    assert_eq!(stored("FROM_ENV"), b"from the environment\n");
    assert_eq!(stored("FROM_FILE"), b"postgres://db\n\n");
    assert_eq!(stored("FROM_COMMAND"), b"line\n");
    assert_eq!(stored("ONE_NEWLINE"), b"line");
    assert_eq!(stored("NO_NEWLINE"), b"line");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("5 to create"), "{stdout}");
    assert!(dir.path().join(".sealpost/state.json").exists());
}

#[test]
fn plan_sends_no_write_and_json_describes_it() {
    let github = FakeGitHub::spawn().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sync.toml",
        "[[github]]\norg = \"acme\"\n[github.secrets]\nA = { env = \"SEALPOST_SYNC_TEST_VALUE\" }\n",
    );
    github.insert(&Scope::org("actions", "acme"), "OLD", "x");
    let config = dir.path().join("sync.toml");
    let output = sync(&github, &config, &["--plan", "--prune"]);
    assert!(output.status.success(), "{}", described(&output));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("+ A create"), "{stdout}");
    assert!(stdout.contains("- OLD delete"), "{stdout}");
    assert!(github.requests().iter().all(|r| r.method == "GET"));
    // Nothing written on this side either: no state folder, no key.
    assert!(!dir.path().join(".sealpost").exists());

    let output = sync(&github, &config, &["--plan", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["targets"][0]["changes"][0]["action"], "create");
    assert_eq!(json["targets"][0]["undeclared"][0], "OLD");
    assert_eq!(json["applied"], false);
    assert!(github.requests().iter().all(|r| r.method == "GET"));
    assert_eq!(github.names(&Scope::org("actions", "acme")), ["OLD"]);
}

#[test]
fn a_source_that_fails_is_named_and_the_run_exits_1() {
    let github = FakeGitHub::spawn().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sync.toml",
        "[[github]]\norg = \"acme\"\n[github.secrets]\nGOOD = { env = \"SEALPOST_SYNC_TEST_VALUE\" }\n\
         BAD = { command = [\"sh\", \"-c\", \"exit 3\"] }\n\
         [[github]]\norg = \"other\"\n[github.secrets]\nGOOD = { env = \"SEALPOST_SYNC_TEST_VALUE\" }\n",
    );
    let output = sync(
        &github,
        &dir.path().join("sync.toml"),
        &["--writes-per-minute", "0"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", described(&output));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("secret `BAD`"), "{stderr}");
    assert!(stderr.contains("command sh -c exit 3"), "{stderr}");
    assert!(
        stderr
            .lines()
            .last()
            .unwrap()
            .starts_with("error: sync: 1 failure"),
        "{stderr}"
    );
    // Nothing written for that target; the other target is done.
    assert!(github.names(&Scope::org("actions", "acme")).is_empty());
    assert_eq!(github.names(&Scope::org("actions", "other")), ["GOOD"]);
}

#[test]
fn a_config_mistake_names_table_and_key() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sync.toml",
        "[[github]]\norg = \"acme\"\n[github.secrets]\nA = { env = \"X\", file = \"y\" }\n",
    );
    let output = sealpost()
        .arg("sync")
        .arg(dir.path().join("sync.toml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("[[github]] #1 (org \"acme\") secrets: `A`: give exactly one of"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_run_killed_half_way_resumes_with_at_most_concurrency_extra_puts() {
    const SECRETS: usize = 40;
    const CONCURRENCY: usize = 4;
    let github = FakeGitHub::spawn().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut toml = String::from("[[github]]\norg = \"acme\"\n[github.secrets]\n");
    for i in 0..SECRETS {
        writeln!(
            toml,
            "S{i:02} = {{ command = [\"printf\", \"value {i}\"] }}"
        )
        .unwrap();
    }
    write(dir.path(), "sync.toml", &toml);
    let config = dir.path().join("sync.toml");
    // 600 writes a minute: one every 100 ms, so the run lasts about 4 s.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sealpost"))
        .arg("sync")
        .arg(&config)
        .args(["--writes-per-minute", "600", "--concurrency", "4"])
        .env("GH_TOKEN", github.token())
        .env("GITHUB_API_URL", github.url())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while value_puts(&github.requests()) < SECRETS / 2 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the run did not get half-way"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let first = value_puts(&github.requests());
    assert!(first < SECRETS, "the run finished before it was killed");

    let output = sync(
        &github,
        &config,
        &["--writes-per-minute", "0", "--concurrency", "4"],
    );
    assert!(output.status.success(), "{}", described(&output));
    let org = Scope::org("actions", "acme");
    for i in 0..SECRETS {
        let stored = github.stored(&org, &format!("S{i:02}")).unwrap();
        assert_eq!(stored.plaintext, format!("value {i}").as_bytes());
    }
    let total = value_puts(&github.requests());
    let extra = total - SECRETS;
    assert!(
        extra <= CONCURRENCY,
        "{extra} extra PUTs (killed after {first})"
    );

    let before = github.requests().len();
    let output = sync(&github, &config, &["--writes-per-minute", "0"]);
    assert!(output.status.success(), "{}", described(&output));
    let third = &github.requests()[before..];
    assert!(third.iter().all(|r| r.method == "GET"), "{third:?}");
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("0 writes sent")
    );
}

#[test]
fn a_second_run_on_one_state_folder_is_refused() {
    let github = FakeGitHub::spawn().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sync.toml",
        "[[github]]\norg = \"acme\"\n[github.secrets]\nA = { command = [\"sleep\", \"2\"] }\n",
    );
    let config = dir.path().join("sync.toml");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sealpost"))
        .arg("sync")
        .arg(&config)
        .args(["--writes-per-minute", "0"])
        .env("GH_TOKEN", github.token())
        .env("GITHUB_API_URL", github.url())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let output = sync(&github, &config, &["--writes-per-minute", "0"]);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", described(&output));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("another `sealpost sync` is using the state folder"),
        "{stderr}"
    );
}

#[test]
fn state_goes_where_state_says_and_coder_targets_sync() {
    let coder = sealpost_fakes::FakeCoder::spawn().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sync.toml",
        "[[coder]]\nuser = \"me\"\n[coder.secrets]\nnpm = { env = \"SEALPOST_SYNC_TEST_VALUE\", env_name = \"NPM_TOKEN\" }\n",
    );
    let run = || {
        sealpost()
            .arg("sync")
            .arg(dir.path().join("sync.toml"))
            .arg("--state")
            .arg(elsewhere.path())
            .args(["--writes-per-minute", "0", "--json"])
            .env("CODER_URL", coder.url())
            .env("CODER_SESSION_TOKEN", coder.token())
            .env("SEALPOST_SYNC_TEST_VALUE", "npm-token")
            .output()
            .unwrap()
    };
    let output = run();
    assert!(output.status.success(), "{}", described(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["targets"][0]["changes"][0]["action"], "create");
    assert_eq!(json["targets"][0]["changes"][0]["result"]["status"], "done");
    assert_eq!(json["writes"], 1);
    let secret = coder.secret("npm").unwrap();
    assert_eq!(
        (secret.value.as_str(), secret.env_name.as_str()),
        ("npm-token", "NPM_TOKEN")
    );
    assert!(elsewhere.path().join("state.json").exists());
    assert!(!dir.path().join(".sealpost").exists());
    // No GitHub target: no GitHub token was needed. Nothing changed: nothing sent.
    let output = run();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["writes"], 0, "{json}");
    assert_eq!(json["targets"][0]["unchanged"][0], "npm");
}

#[test]
fn few_requests_left_is_said_once_and_spreads_the_writes() {
    // 9 of 1,000 left for the next 1 to 2 s: three values need more than is left
    // above the 5 % reserve.
    let github = FakeGitHub::builder()
        .rate_limit(1000, 9, 2)
        .spawn()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "v", "value");
    write(
        dir.path(),
        "sync.toml",
        "[[github]]\nrepo = \"octo/hello\"\n[github.secrets]\n\
         A = { file = \"v\" }\nB = { file = \"v\" }\nC = { file = \"v\" }\n",
    );
    let output = sync(
        &github,
        &dir.path().join("sync.toml"),
        &["--writes-per-minute", "0", "--concurrency", "1"],
    );
    assert!(output.status.success(), "{}", described(&output));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.matches("requests left").count(), 1, "{stderr}");
    assert!(
        stderr.contains("GitHub has 8 of 1000 requests left for the next "),
        "{stderr}"
    );
    assert!(github.requests().iter().all(|r| r.status < 400));
}
