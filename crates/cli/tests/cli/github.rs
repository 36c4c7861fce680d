//! `sealpost github ...` against the fake GitHub of `sealpost-fakes`, which publishes a
//! libsodium key per scope and opens every value it receives with libsodium.

use std::fmt::Write as _;
use std::process::Output;

use assert_cmd::Command;
use predicates::prelude::*;
use sealpost_fakes::{AppKey, FakeGitHub, Fault, Scope};

use crate::{described, one_line_failure, sealpost, unb64};

/// `sealpost github ARGS` pointed at `github`, with its token, and retries that wait a
/// few milliseconds instead of seconds.
fn gh(github: &FakeGitHub, args: &[&str]) -> Command {
    let mut cmd = sealpost();
    cmd.arg("github")
        .args(args)
        .env("GITHUB_API_URL", github.url())
        .env("GH_TOKEN", github.token())
        .env("SEALPOST_RETRY_MAX_WAIT_MS", "10");
    cmd
}

/// Runs `cmd`, checks that it succeeded, and returns its standard output.
fn success(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{}", described(&output));
    String::from_utf8(output.stdout).unwrap()
}

/// Asserts that none of `values` appears in either stream of `output`.
fn assert_never_shown(output: &Output, values: &[&str]) {
    for stream in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(stream);
        for value in values {
            assert!(!text.contains(value), "a value was printed: {text}");
        }
    }
}

/// The plaintext the fake opened for `name` in `scope`, which must have been written
/// exactly once.
fn stored_once(github: &FakeGitHub, scope: &Scope, name: &str) -> Vec<u8> {
    let stored = github
        .stored(scope, name)
        .unwrap_or_else(|| panic!("{name} is not stored in {scope:?}"));
    assert_eq!(stored.writes, 1, "{name}: {stored:?}");
    stored.plaintext
}

fn puts(github: &FakeGitHub) -> usize {
    github
        .requests()
        .iter()
        .filter(|request| request.method == "PUT")
        .count()
}

#[test]
fn stdin_is_stored_exactly_with_its_trailing_newline() {
    let github = FakeGitHub::spawn().unwrap();
    let scope = Scope::repo("actions", "octo", "hello");
    let stdout = success(
        gh(&github, &["set", "NPM_TOKEN", "--repo", "octo/hello"]).write_stdin("hunter2\n"),
    );
    assert_eq!(
        stdout,
        "Created secret NPM_TOKEN for repository `octo/hello` (actions)\n"
    );
    assert_eq!(stored_once(&github, &scope, "NPM_TOKEN"), b"hunter2\n");

    // Again: updated, and `--body` is stored as given, without a newline.
    let stdout = success(&mut gh(
        &github,
        &["set", "NPM_TOKEN", "-R", "octo/hello", "--body", "hunter3"],
    ));
    assert_eq!(
        stdout,
        "Updated secret NPM_TOKEN for repository `octo/hello` (actions)\n"
    );
    assert_eq!(
        github.stored(&scope, "NPM_TOKEN").unwrap().plaintext,
        b"hunter3"
    );
}

#[test]
fn every_scope_and_app() {
    let github = FakeGitHub::builder()
        .repository(1296269, "octo/hello")
        .spawn()
        .unwrap();
    // (arguments, where the fake must have stored it, what `set` says)
    let cases: [(&[&str], Scope, &str); 8] = [
        (
            &["--user"],
            Scope::user(),
            "the authenticated user (codespaces)",
        ),
        (
            &["--org", "acme"],
            Scope::org("actions", "acme"),
            "organization `acme` (actions) with visibility private",
        ),
        (
            &[
                "--org",
                "acme",
                "--app",
                "dependabot",
                "--visibility",
                "all",
            ],
            Scope::org("dependabot", "acme"),
            "organization `acme` (dependabot) with visibility all",
        ),
        (
            &["-o", "acme", "-a", "codespaces", "-v", "selected"],
            Scope::org("codespaces", "acme"),
            "organization `acme` (codespaces) with visibility selected (0 repositories)",
        ),
        (
            &["--repo", "octo/hello", "--app", "codespaces"],
            Scope::repo("codespaces", "octo", "hello"),
            "repository `octo/hello` (codespaces)",
        ),
        (
            &["--repo", "octo/hello", "--app", "dependabot"],
            Scope::repo("dependabot", "octo", "hello"),
            "repository `octo/hello` (dependabot)",
        ),
        (
            &["--repo", "octo/hello", "--env", "prod/eu 1"],
            Scope::environment("octo", "hello", "prod/eu 1"),
            "environment `prod/eu 1` of repository `octo/hello` (actions)",
        ),
        (
            &[
                "--repo-id",
                "1296269",
                "--env",
                "production",
                "--app",
                "actions",
            ],
            Scope::environment_by_id(1296269, "production"),
            "environment `production` of repository `#1296269` (actions)",
        ),
    ];
    for (index, (args, scope, described)) in cases.into_iter().enumerate() {
        let value = format!("value number {index}");
        let stdout = success(
            gh(&github, &["set", "SHARED"])
                .args(args)
                .write_stdin(value.clone()),
        );
        assert_eq!(stdout, format!("Created secret SHARED for {described}\n"));
        assert_eq!(
            stored_once(&github, &scope, "SHARED"),
            value.as_bytes(),
            "{args:?}"
        );
    }
    let org = |app| github.stored(&Scope::org(app, "acme"), "SHARED").unwrap();
    assert_eq!(org("actions").visibility.as_deref(), Some("private"));
    assert_eq!(org("dependabot").visibility.as_deref(), Some("all"));
    assert_eq!(org("codespaces").visibility.as_deref(), Some("selected"));
    assert_eq!(org("codespaces").repositories, Some(vec![]));
}

#[test]
fn repositories_by_id_and_by_name() {
    let github = FakeGitHub::builder()
        .repository(42, "octo/hello")
        .spawn()
        .unwrap();

    // `--repos` alone means `selected` for an organization.
    success(
        gh(
            &github,
            &[
                "set",
                "NPM",
                "--org",
                "acme",
                "--repos",
                "1296269,octo/hello",
            ],
        )
        .write_stdin("v"),
    );
    let stored = github
        .stored(&Scope::org("actions", "acme"), "NPM")
        .unwrap();
    assert_eq!(stored.visibility.as_deref(), Some("selected"));
    assert_eq!(stored.repositories, Some(vec![1296269, 42]));

    // A user secret, repeated flags adding up.
    success(
        gh(
            &github,
            &["set", "NPM", "--user", "-r", "octo/hello", "-r", "7"],
        )
        .write_stdin("v"),
    );
    let stored = github.stored(&Scope::user(), "NPM").unwrap();
    assert_eq!(stored.repositories, Some(vec![42, 7]));
}

#[test]
fn bulk_user_secrets_get_the_repositories_asked_for() {
    let github = FakeGitHub::builder()
        .repository(42, "octo/hello")
        .spawn()
        .unwrap();
    let file = EnvFile::new("user.env", "NPM=one\nPYPI=two\n");
    success(&mut gh(
        &github,
        &[
            "set",
            "--env-file",
            file.path(),
            "--user",
            "--repos",
            "octo/hello,7",
        ],
    ));
    for (name, value) in [("NPM", "one"), ("PYPI", "two")] {
        let stored = github.stored(&Scope::user(), name).unwrap();
        assert_eq!(stored.plaintext, value.as_bytes());
        assert_eq!(stored.repositories, Some(vec![42, 7]), "{name}");
    }
}

#[test]
fn an_unknown_repository_stores_nothing() {
    let github = FakeGitHub::spawn().unwrap();
    let line = one_line_failure(
        gh(
            &github,
            &["set", "NPM", "--org", "acme", "--repos", "octo/missing"],
        )
        .write_stdin("v"),
    );
    insta::assert_snapshot!("unknown_repository", line);
    assert_eq!(puts(&github), 0);
}

#[test]
fn no_store_prints_a_box_that_opens_with_the_scopes_key() {
    let github = FakeGitHub::spawn().unwrap();
    for (args, scope) in [
        (&["--user"][..], Scope::user()),
        (
            &["--org", "acme", "--app", "dependabot"],
            Scope::org("dependabot", "acme"),
        ),
        (
            &["--repo", "octo/hello"],
            Scope::repo("actions", "octo", "hello"),
        ),
    ] {
        // Bytes that are not UTF-8 can be sealed, though not stored.
        let value = b"sealed, not stored\n\xff\x00".to_vec();
        let stdout = success(
            gh(&github, &["set", "NPM", "--no-store"])
                .args(args)
                .write_stdin(value.clone()),
        );
        let line = stdout.strip_suffix('\n').unwrap();
        let sealed = unb64(line);
        assert_eq!(sealed.len(), value.len() + 48);
        assert_eq!(github.open(&scope, &sealed), Some(value), "{args:?}");
        assert_eq!(github.key_fetches(&scope), 1);
    }
    assert_eq!(puts(&github), 0);
}

#[test]
fn list_as_lines_and_as_json() {
    let github = FakeGitHub::builder().page_size_limit(2).spawn().unwrap();
    let repo = Scope::repo("dependabot", "octo", "hello");
    for name in ["A", "B", "C", "D", "E"] {
        github.insert(&repo, name, "never listed");
    }
    let stdout = success(&mut gh(
        &github,
        &["list", "--repo", "octo/hello", "--app", "dependabot"],
    ));
    let names: Vec<&str> = stdout
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 2, "{line:?}");
            assert!(fields[1].ends_with('Z'), "{line:?}");
            fields[0]
        })
        .collect();
    assert_eq!(names, ["A", "B", "C", "D", "E"]);

    let org = Scope::org("codespaces", "acme");
    github.insert(&org, "ORG_SECRET", "x");
    let stdout = success(&mut gh(
        &github,
        &["list", "--org", "acme", "--app", "codespaces", "--json"],
    ));
    let listed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["name"], "ORG_SECRET");
    assert_eq!(listed[0]["visibility"], "private");
    assert!(listed[0]["updated_at"].is_string());

    let text = success(&mut gh(
        &github,
        &["list", "-o", "acme", "-a", "codespaces"],
    ));
    assert!(text.ends_with("\tprivate\n"), "{text:?}");
    // Nothing there: no output at all.
    assert_eq!(success(&mut gh(&github, &["list", "--user"])), "");
}

#[test]
fn delete_and_delete_again() {
    let github = FakeGitHub::spawn().unwrap();
    let scope = Scope::environment_by_id(1296269, "production");
    github.insert(&scope, "DB_URL", "postgres://");
    let stdout = success(&mut gh(
        &github,
        &[
            "delete",
            "DB_URL",
            "--repo-id",
            "1296269",
            "--env",
            "production",
        ],
    ));
    assert_eq!(
        stdout,
        "Deleted secret DB_URL from environment `production` of repository `#1296269` (actions)\n"
    );
    assert!(github.names(&scope).is_empty());
    let line = one_line_failure(&mut gh(
        &github,
        &[
            "delete",
            "DB_URL",
            "--repo-id",
            "1296269",
            "--env",
            "production",
        ],
    ));
    insta::assert_snapshot!("delete_missing", line);
}

#[test]
fn the_token_comes_from_gh_token_then_github_token() {
    let github = FakeGitHub::spawn().unwrap();
    let mut cmd = gh(&github, &["list", "--user"]);
    cmd.env_remove("GH_TOKEN")
        .env("GITHUB_TOKEN", github.token());
    success(&mut cmd);

    // GH_TOKEN first: a wrong one there is used, and refused.
    let mut cmd = gh(&github, &["list", "--user"]);
    cmd.env("GH_TOKEN", "ghp_wrong")
        .env("GITHUB_TOKEN", github.token());
    let line = one_line_failure(&mut cmd);
    assert!(line.contains("401"), "{line}");
    assert!(!line.contains("ghp_wrong"), "{line}");

    // Nothing anywhere, and no gh on PATH: nothing is sent.
    let no_gh = std::env::temp_dir().join(format!("sealpost-no-gh-{}", std::process::id()));
    std::fs::create_dir_all(&no_gh).unwrap();
    let before = github.requests().len();
    let mut cmd = gh(&github, &["list", "--user"]);
    cmd.env_remove("GH_TOKEN").env("PATH", &no_gh);
    let host = github
        .url()
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let line = one_line_failure(&mut cmd).replace(host, "HOST");
    insta::assert_snapshot!("missing_token", line);
    assert_eq!(github.requests().len(), before);
}

#[test]
fn a_github_app_from_the_environment_or_flags_stores_secrets() {
    let key = AppKey::generate().unwrap();
    let github = FakeGitHub::builder()
        .app(42, &key)
        .org_installation(7, "acme")
        .spawn()
        .unwrap();
    let pem = key.pkcs8_pem();
    let scope = Scope::org("actions", "acme");
    let mut cmd = gh(&github, &["set", "FROM_ENV", "--org", "acme"]);
    cmd.env_remove("GH_TOKEN")
        .env("GH_APP_ID", "42")
        .env("GH_APP_PRIVATE_KEY", pem.as_str())
        .write_stdin("one");
    success(&mut cmd);
    assert_eq!(github.stored(&scope, "FROM_ENV").unwrap().plaintext, b"one");

    let file = EnvFile::new("app-key.pem", pem.as_str());
    let mut cmd = gh(
        &github,
        &[
            "set",
            "FROM_FLAGS",
            "--org",
            "acme",
            "--app-id",
            "42",
            "--app-key",
            file.path(),
            "--installation-id",
            "7",
        ],
    );
    // Flags come before GH_TOKEN: a wrong token there is not used.
    cmd.env("GH_TOKEN", "ghp_wrong").write_stdin("two");
    success(&mut cmd);
    assert_eq!(
        github.stored(&scope, "FROM_FLAGS").unwrap().plaintext,
        b"two"
    );
    assert_eq!(github.mints_for(7), 2);

    // User secrets cannot be set with an App's token: refused before any request.
    let before = github.requests().len();
    let mut cmd = gh(&github, &["set", "MINE", "--user", "--app-id", "42"]);
    cmd.args(["--app-key", file.path()]).write_stdin("three");
    let line = one_line_failure(&mut cmd);
    assert!(line.contains("App"), "{line}");
    assert_eq!(github.requests().len(), before);
}

#[test]
fn a_server_url_that_is_not_a_url_is_refused() {
    let github = FakeGitHub::spawn().unwrap();
    let mut cmd = gh(
        &github,
        &["list", "--user", "--api-url", "ftp://example.com"],
    );
    insta::assert_snapshot!("bad_api_url", one_line_failure(&mut cmd));
}

#[test]
fn refused_before_anything_is_sent() {
    let github = FakeGitHub::spawn().unwrap();
    let cases: [(&str, &[&str]); 6] = [
        ("reserved_name", &["set", "GITHUB_TOKEN", "--user"]),
        ("name_with_dash", &["set", "API-KEY", "--repo", "o/r"]),
        ("app_for_user", &["set", "X", "--user", "--app", "actions"]),
        (
            "app_for_env",
            &["set", "X", "-R", "o/r", "-e", "prod", "-a", "dependabot"],
        ),
        (
            "repos_with_visibility_all",
            &[
                "set",
                "X",
                "--org",
                "acme",
                "--visibility",
                "all",
                "--repos",
                "1",
            ],
        ),
        ("repo_without_owner", &["list", "--repo", "hello"]),
    ];
    for (snapshot, args) in cases {
        let line = one_line_failure(gh(&github, args).write_stdin("value"));
        insta::assert_snapshot!(snapshot, line);
    }
    assert!(github.requests().is_empty(), "{:?}", github.requests());
}

#[test]
fn binary_stdin_is_refused_for_storing() {
    let github = FakeGitHub::spawn().unwrap();
    let line =
        one_line_failure(gh(&github, &["set", "BLOB", "--user"]).write_stdin(&b"\xff\xfe\x00"[..]));
    insta::assert_snapshot!("binary_value", line);
    assert!(github.requests().is_empty());
}

#[test]
fn usage_errors_come_from_clap() {
    let github = FakeGitHub::spawn().unwrap();
    for args in [
        &["set", "X"][..],
        &["set", "X", "--user", "--org", "acme"],
        &["set", "X", "--repo-id", "5"],
        &["set", "X", "--repo", "o/r", "--visibility", "all"],
        &["set", "X", "--repo", "o/r", "--repos", "1"],
        &["set", "X", "--user", "--env", "prod"],
        &["set", "X", "--repo", "o/r", "--concurrency", "2"],
        &[
            "set",
            "--env-file",
            ".env",
            "--repo",
            "o/r",
            "--concurrency",
            "11",
        ],
        &["set", "--env-file", ".env", "--repo", "o/r", "--no-store"],
        &["set", "--repo", "o/r"],
        &["delete", "--repo", "o/r"],
    ] {
        gh(&github, args)
            .write_stdin("v")
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::starts_with("error: "));
    }
    assert!(github.requests().is_empty());
}

// --- dotenv files ---------------------------------------------------------------

/// A temporary dotenv file, removed when dropped.
struct EnvFile(std::path::PathBuf);

impl EnvFile {
    fn new(name: &str, text: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("sealpost-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        EnvFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for EnvFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A distinctive value for secret number `index`, never printed by a correct run.
fn value_of(index: usize) -> String {
    format!("s3cr3t-value-{index:02}-{}", "x".repeat(index % 7))
}

#[test]
fn sixty_secrets_through_faults_land_exactly_once() {
    // Server errors, a rate limit with Retry-After, and a key rotation in the middle.
    let github = FakeGitHub::builder()
        .fail_put_number(3, Fault::BadGateway)
        .fail_put_number(4, Fault::BadGateway)
        .fail_put_number(17, Fault::BadGateway)
        .fail_put_number(25, Fault::TooManyRequests { retry_after: 1 })
        .rotate_keys_after(30)
        .spawn()
        .unwrap();
    let scope = Scope::repo("actions", "octo", "hello");
    let mut text = String::new();
    let mut values = Vec::new();
    for index in 0..60 {
        let value = value_of(index);
        // Plain, quoted and exported lines, and comments between them.
        match index % 4 {
            0 => writeln!(text, "SECRET_{index:02}={value}"),
            1 => writeln!(text, "export SECRET_{index:02}=\"{value}\""),
            2 => writeln!(text, "SECRET_{index:02}='{value}' # comment"),
            _ => writeln!(text, "# number {index}\nSECRET_{index:02} = {value}"),
        }
        .unwrap();
        values.push(value);
    }
    let file = EnvFile::new("sixty.env", &text);

    let output = gh(
        &github,
        &[
            "set",
            "--env-file",
            file.path(),
            "--repo",
            "octo/hello",
            "--concurrency",
            "4",
        ],
    )
    .output()
    .unwrap();
    assert!(output.status.success(), "{}", described(&output));
    assert_eq!(
        String::from_utf8(output.stdout.clone()).unwrap(),
        "Stored 60 of 60 secrets in repository `octo/hello` (actions): 60 created, 0 updated\n"
    );
    // Not a terminal: one plain progress line per secret.
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    assert_eq!(stderr.lines().count(), 60, "{stderr}");
    assert!(
        stderr
            .lines()
            .all(|line| line.contains("] created SECRET_")),
        "{stderr}"
    );
    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
    assert_never_shown(&output, &refs);

    for (index, value) in values.iter().enumerate() {
        let name = format!("SECRET_{index:02}");
        assert_eq!(
            stored_once(&github, &scope, &name),
            value.as_bytes(),
            "{name}"
        );
    }
    assert_eq!(github.names(&scope).len(), 60);
    // Each fault was met and got over: 502s and the 429 retried, values sealed to the
    // rotated key refused (422) and sealed again.
    let statuses: Vec<u16> = (0..60)
        .flat_map(|index| github.put_statuses(&scope, &format!("SECRET_{index:02}")))
        .collect();
    for status in [502, 429, 422] {
        assert!(statuses.contains(&status), "no {status} in {statuses:?}");
    }
    assert_eq!(statuses.iter().filter(|&&status| status == 201).count(), 60);
}

#[test]
fn an_invalid_name_uploads_nothing_and_every_bad_one_is_listed() {
    let github = FakeGitHub::spawn().unwrap();
    let file = EnvFile::new(
        "invalid.env",
        "GOOD=first-value\nGITHUB_TOKEN=second-value\nALSO_GOOD=third\nmy.dotted=fourth-value\n",
    );
    let output = gh(&github, &["set", "-f", file.path(), "--org", "acme"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", described(&output));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    let shown = stderr.replace(file.path(), "FILE");
    insta::assert_snapshot!("dotenv_invalid_names", shown);
    assert_never_shown(
        &output,
        &["first-value", "second-value", "third", "fourth-value"],
    );
    assert!(github.requests().is_empty(), "{:?}", github.requests());
}

#[test]
fn a_line_that_does_not_parse_uploads_nothing_and_is_not_repeated() {
    let github = FakeGitHub::spawn().unwrap();
    let file = EnvFile::new(
        "syntax.env",
        "GOOD=1\nAPI-KEY=leaked-if-shown\nOPEN=\"never closed leaked-too\n",
    );
    let output = gh(&github, &["set", "-f", file.path(), "--user"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", described(&output));
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    insta::assert_snapshot!("dotenv_syntax", stderr.replace(file.path(), "FILE"));
    assert_never_shown(&output, &["leaked"]);
    assert!(github.requests().is_empty());
}

#[test]
fn a_later_duplicate_wins_with_a_warning() {
    let github = FakeGitHub::spawn().unwrap();
    let file = EnvFile::new("duplicate.env", "A=first\nB=b\nA=second\n");
    let output = gh(&github, &["set", "-f", file.path(), "--repo", "octo/hello"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", described(&output));
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    let warning = format!(
        "warning: {}: A is given more than once; the last value is used\n",
        file.path()
    );
    assert!(stderr.starts_with(&warning), "{stderr}");
    let scope = Scope::repo("actions", "octo", "hello");
    assert_eq!(stored_once(&github, &scope, "A"), b"second");
    assert_eq!(puts(&github), 2);
    assert_never_shown(&output, &["first", "second"]);
}

#[test]
fn failed_uploads_are_listed_and_the_others_land() {
    // One request at a time, so that the first secret meets every 502 and gives up
    // after the client's five attempts.
    let github = FakeGitHub::builder()
        .fail_first_puts(5, Fault::BadGateway)
        .spawn()
        .unwrap();
    let file = EnvFile::new(
        "partial.env",
        "DOOMED=value-one\nFINE=value-two\nALSO_FINE=value-three\n",
    );
    let output = gh(
        &github,
        &[
            "set",
            "-f",
            file.path(),
            "--org",
            "acme",
            "--concurrency",
            "1",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", described(&output));
    assert_eq!(
        String::from_utf8(output.stdout.clone()).unwrap(),
        "Stored 2 of 3 secrets in organization `acme` (actions): 2 created, 0 updated, 1 failed \
         (updated secrets kept their access; new ones are private)\n"
    );
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    let report: Vec<&str> = stderr.lines().skip(3).collect();
    insta::assert_snapshot!("dotenv_partial_failure", report.join("\n"));
    assert_never_shown(&output, &["value-one", "value-two", "value-three"]);

    let scope = Scope::org("actions", "acme");
    assert_eq!(github.names(&scope), ["ALSO_FINE", "FINE"]);
    assert_eq!(github.put_statuses(&scope, "DOOMED"), [502; 5]);
}

#[test]
fn an_empty_or_missing_file_is_refused() {
    let github = FakeGitHub::spawn().unwrap();
    let empty = EnvFile::new("empty.env", "# only a comment\n");
    let line = one_line_failure(&mut gh(&github, &["set", "-f", empty.path(), "--user"]));
    assert_eq!(
        line,
        format!(
            "error: {} holds no NAME=VALUE lines; nothing was stored",
            empty.path()
        )
    );
    let line = one_line_failure(&mut gh(
        &github,
        &["set", "-f", "/nonexistent/sealpost.env", "--user"],
    ));
    assert!(
        line.starts_with("error: could not read /nonexistent/sealpost.env: "),
        "{line}"
    );
    assert!(github.requests().is_empty());
}

#[test]
fn no_value_is_ever_printed() {
    const VALUE: &str = "pa55-w0rd-that-must-stay-hidden";
    let github = FakeGitHub::spawn().unwrap();
    let file = EnvFile::new("hidden.env", &format!("HIDDEN={VALUE}\nGITHUB_X={VALUE}\n"));
    let runs: [&[&str]; 7] = [
        &["set", "HIDDEN", "--user"],
        &["set", "HIDDEN", "--user", "--body", VALUE],
        &["set", "HIDDEN", "--user", "--no-store"],
        &["set", "GITHUB_HIDDEN", "--user", "--body", VALUE],
        &[
            "set",
            "HIDDEN",
            "--org",
            "acme",
            "--repos",
            "nobody/nothing",
        ],
        &["set", "-f", file.path(), "--user"],
        &["list", "--user", "--json"],
    ];
    for args in runs {
        let output = gh(&github, args).write_stdin(VALUE).output().unwrap();
        assert_never_shown(&output, &[VALUE]);
    }
    // With a wrong token too: errors never carry the value.
    let output = gh(&github, &["set", "HIDDEN", "--user"])
        .env("GH_TOKEN", "wrong")
        .write_stdin(VALUE)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert_never_shown(&output, &[VALUE, "wrong"]);
}

/// The `PUT`s that carried a value.
fn value_puts(github: &FakeGitHub) -> usize {
    github
        .requests()
        .iter()
        .filter(|request| request.method == "PUT" && request.carried_value)
        .count()
}

/// Flags that create a secret, the visibility and repositories it must keep, and what
/// `set` says it kept.
type Case<'a> = (&'a [&'a str], &'a str, Option<Vec<u64>>, &'a str);

#[test]
fn rotation_keeps_an_org_secrets_access() {
    let github = FakeGitHub::builder().spawn().unwrap();
    let scope = Scope::org("actions", "acme");
    // (flags that create the secret, what must be kept, what `set` says it kept)
    let cases: [Case<'_>; 3] = [
        (
            &["--repos", "1296269,1296270"],
            "selected",
            Some(vec![1_296_269, 1_296_270]),
            "kept visibility selected (2 repositories)",
        ),
        (&["--visibility", "all"], "all", None, "kept visibility all"),
        (&[], "private", None, "kept visibility private"),
    ];
    for (index, (create, visibility, repositories, kept)) in cases.into_iter().enumerate() {
        let name = format!("ROTATED_{index}");
        success(
            gh(&github, &["set", &name, "--org", "acme"])
                .args(create)
                .write_stdin("old"),
        );
        let stdout = success(gh(&github, &["set", &name, "--org", "acme"]).write_stdin("new"));
        assert_eq!(
            stdout,
            format!("Updated secret {name} for organization `acme` (actions); {kept}\n")
        );
        let stored = github.stored(&scope, &name).unwrap();
        assert_eq!(stored.plaintext, b"new");
        assert_eq!(stored.visibility.as_deref(), Some(visibility), "{name}");
        assert_eq!(stored.repositories, repositories, "{name}");
    }
}

#[test]
fn bulk_rotation_keeps_each_secrets_access() {
    let github = FakeGitHub::builder().spawn().unwrap();
    let scope = Scope::org("codespaces", "acme");
    let org = ["--org", "acme", "--app", "codespaces"];
    success(
        gh(&github, &["set", "WIDE", "--visibility", "all"])
            .args(org)
            .write_stdin("1"),
    );
    success(
        gh(&github, &["set", "NARROW", "--repos", "7"])
            .args(org)
            .write_stdin("2"),
    );
    let file = EnvFile::new("rotate.env", "WIDE=one\nNARROW=two\nFRESH=three\n");
    let stdout = success(gh(&github, &["set", "-f", file.path()]).args(org));
    assert!(stdout.starts_with("Stored 3 of 3 secrets"), "{stdout}");
    let wide = github.stored(&scope, "WIDE").unwrap();
    assert_eq!(
        (wide.plaintext.as_slice(), wide.visibility.as_deref()),
        (&b"one"[..], Some("all"))
    );
    let narrow = github.stored(&scope, "NARROW").unwrap();
    assert_eq!(narrow.visibility.as_deref(), Some("selected"));
    assert_eq!(narrow.repositories, Some(vec![7]));
    let fresh = github.stored(&scope, "FRESH").unwrap();
    assert_eq!(fresh.visibility.as_deref(), Some("private"));
}

#[test]
fn names_that_differ_only_in_case_are_refused_before_any_request() {
    let github = FakeGitHub::builder().spawn().unwrap();
    let file = EnvFile::new(
        "case.env",
        "# two spellings of one secret\nnpm_token=a\nOTHER=x\nNPM_TOKEN=b\n",
    );
    let output = gh(&github, &["set", "-f", file.path(), "--repo", "octo/hello"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", described(&output));
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    assert!(
        stderr.contains("`npm_token` (line 2), `NPM_TOKEN` (line 4) are one secret"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was stored"), "{stderr}");
    assert_never_shown(&output, &["=a", "=b"]);
    assert!(github.requests().is_empty(), "{:?}", github.requests());
}

#[test]
fn access_shows_and_changes_without_sending_a_value() {
    let github = FakeGitHub::builder()
        .repository(1296269, "octo/hello")
        .repository(1296270, "octo/world")
        .spawn()
        .unwrap();
    let scope = Scope::org("actions", "acme");
    success(gh(&github, &["set", "TOKEN", "--org", "acme"]).write_stdin("v"));
    let before = value_puts(&github);
    assert_eq!(before, 1);

    let shown = success(&mut gh(&github, &["access", "TOKEN", "--org", "acme"]));
    assert_eq!(shown, "visibility\tprivate\n");

    let said = success(&mut gh(
        &github,
        &[
            "access",
            "TOKEN",
            "--org",
            "acme",
            "--visibility",
            "selected",
            "--repos",
            "octo/hello",
        ],
    ));
    assert!(said.contains("to selected (1 repositories)"), "{said}");
    success(&mut gh(
        &github,
        &["access", "TOKEN", "--org", "acme", "--add-repos", "1296270"],
    ));
    let json = success(&mut gh(
        &github,
        &["access", "TOKEN", "--org", "acme", "--json"],
    ));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["visibility"], "selected");
    let names: Vec<&str> = json["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|repository| repository["full_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["octo/hello", "octo/world"]);
    success(&mut gh(
        &github,
        &[
            "access",
            "TOKEN",
            "--org",
            "acme",
            "--remove-repos",
            "octo/hello",
        ],
    ));
    // `--visibility selected` alone keeps the repositories the secret has.
    success(&mut gh(
        &github,
        &[
            "access",
            "TOKEN",
            "--org",
            "acme",
            "--visibility",
            "selected",
        ],
    ));
    assert_eq!(
        github.stored(&scope, "TOKEN").unwrap().repositories,
        Some(vec![1_296_270])
    );
    success(&mut gh(
        &github,
        &["access", "TOKEN", "--org", "acme", "--visibility", "all"],
    ));

    let stored = github.stored(&scope, "TOKEN").unwrap();
    assert_eq!(stored.plaintext, b"v");
    assert_eq!(stored.visibility.as_deref(), Some("all"));
    assert_eq!(value_puts(&github), before, "access sent a value");
    assert!(puts(&github) > before, "access changed nothing");
}

#[test]
fn access_to_a_missing_secret_fails_and_creates_nothing() {
    let github = FakeGitHub::builder().spawn().unwrap();
    let output = gh(
        &github,
        &["access", "NOPE", "--org", "acme", "--visibility", "all"],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", described(&output));
    assert!(github.names(&Scope::org("actions", "acme")).is_empty());
}
