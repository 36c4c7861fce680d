//! `sealpost coder secrets ...` against the fake Coder of `sealpost-fakes`, which
//! applies Coder's own checks and keeps every value it is sent.

use assert_cmd::Command;
use predicates::prelude::*;
use sealpost_fakes::{FakeCoder, Fault};

use crate::{described, one_line_failure, sealpost};

/// `sealpost coder secrets ARGS` pointed at `coder`, with its session token.
fn secrets(coder: &FakeCoder, args: &[&str]) -> Command {
    let mut cmd = sealpost();
    cmd.args(["coder", "secrets"])
        .args(args)
        .env("CODER_URL", coder.url())
        .env("CODER_SESSION_TOKEN", coder.token())
        .env("SEALPOST_RETRY_MAX_WAIT_MS", "10");
    cmd
}

/// Runs `cmd`, checks that it succeeded with nothing on standard error, and returns
/// its standard output.
fn success(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{}", described(&output));
    assert!(output.stderr.is_empty(), "{}", described(&output));
    String::from_utf8(output.stdout).unwrap()
}

fn writes(coder: &FakeCoder) -> usize {
    coder
        .requests()
        .iter()
        .filter(|request| request.method != "GET")
        .count()
}

#[test]
fn create_from_stdin_keeps_the_trailing_newline() {
    let coder = FakeCoder::spawn().unwrap();
    let stdout = success(
        secrets(
            &coder,
            &[
                "create",
                "npm",
                "--env-name",
                "NPM_TOKEN",
                "--description",
                "npm registry",
                "--file-path",
                "~/.npmrc-token",
            ],
        )
        .write_stdin("npm_t0k3n\n"),
    );
    assert_eq!(stdout, "Created secret npm for user `me`\n");
    let secret = coder.secret("npm").unwrap();
    assert_eq!(secret.value, "npm_t0k3n\n");
    assert_eq!(secret.env_name, "NPM_TOKEN");
    assert_eq!(secret.description, "npm registry");
    assert_eq!(secret.file_path, "~/.npmrc-token");
    assert_eq!(secret.writes, 1);
}

#[test]
fn create_with_value_as_json() {
    let coder = FakeCoder::spawn().unwrap();
    let stdout = success(&mut secrets(
        &coder,
        &["create", "api", "--value", "v4lue", "--json"],
    ));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let secret = coder.secret("api").unwrap();
    assert_eq!(secret.value, "v4lue");
    assert_eq!(json["id"], secret.id.as_str());
    assert_eq!(json["name"], "api");
    assert_eq!(json["env_name"], "");
    assert!(json.get("value").is_none(), "{stdout}");
}

#[test]
fn create_twice_is_a_conflict() {
    let coder = FakeCoder::spawn().unwrap();
    coder.insert("npm", "old");
    let line = one_line_failure(secrets(&coder, &["create", "npm"]).write_stdin("new"));
    insta::assert_snapshot!("coder_create_conflict", line);
    assert_eq!(coder.secret("npm").unwrap().value, "old");
}

#[test]
fn list_and_get_as_lines_and_json() {
    let coder = FakeCoder::spawn().unwrap();
    coder.insert("b", "never shown");
    coder.insert("a", "never shown either");
    success(&mut secrets(
        &coder,
        &[
            "update",
            "a",
            "--env-name",
            "A_TOKEN",
            "--description",
            "two\nlines",
        ],
    ));

    let stdout = success(&mut secrets(&coder, &["list"]));
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .map(|line| line.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 2, "{stdout}");
    assert_eq!(rows[0][..3], ["a", "A_TOKEN", "-"]);
    assert_eq!(rows[0][4], "two lines");
    assert_eq!(rows[1][..3], ["b", "-", "-"]);
    assert_eq!(rows[1][4], "-");
    assert!(
        rows.iter()
            .all(|row| row.len() == 5 && row[3].ends_with('Z'))
    );

    let listed: serde_json::Value =
        serde_json::from_str(&success(&mut secrets(&coder, &["list", "--json"]))).unwrap();
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|secret| secret["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a", "b"]);

    let stdout = success(&mut secrets(&coder, &["get", "a"]));
    let id = coder.secret("a").unwrap().id;
    let fields: Vec<&str> = stdout
        .lines()
        .map(|line| line.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "name",
            "id",
            "description",
            "env_name",
            "file_path",
            "created_at",
            "updated_at"
        ]
    );
    assert!(stdout.contains(&format!("id: {id}\n")), "{stdout}");
    assert!(stdout.contains("env_name: A_TOKEN\n"), "{stdout}");

    let json: serde_json::Value =
        serde_json::from_str(&success(&mut secrets(&coder, &["get", "a", "--json"]))).unwrap();
    assert_eq!(json["id"], id.as_str());

    let line = one_line_failure(&mut secrets(&coder, &["get", "missing"]));
    insta::assert_snapshot!("coder_get_missing", line);
}

#[test]
fn update_changes_only_what_is_given() {
    let coder = FakeCoder::spawn().unwrap();
    coder.insert("npm", "old");
    success(&mut secrets(
        &coder,
        &[
            "update",
            "npm",
            "--description",
            "kept",
            "--env-name",
            "NPM_TOKEN",
        ],
    ));
    let stdout = success(secrets(&coder, &["update", "npm", "--value-stdin"]).write_stdin("new\n"));
    assert_eq!(stdout, "Updated secret npm for user `me`\n");
    let secret = coder.secret("npm").unwrap();
    assert_eq!(secret.value, "new\n");
    assert_eq!(secret.description, "kept");
    assert_eq!(secret.env_name, "NPM_TOKEN");

    // `""` clears a field; the value stays.
    success(&mut secrets(&coder, &["update", "npm", "--env-name", ""]));
    let secret = coder.secret("npm").unwrap();
    assert_eq!(secret.env_name, "");
    assert_eq!(secret.value, "new\n");
    assert_eq!(secret.writes, 4);

    // Nothing to change, or a value given twice: usage errors, nothing sent.
    for args in [
        &["update", "npm"][..],
        &["update", "npm", "--value", "a", "--value-stdin"],
    ] {
        secrets(&coder, args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::starts_with("error: "));
    }
    assert_eq!(writes(&coder), 3);
}

#[test]
fn an_update_lands_through_server_errors() {
    let coder = FakeCoder::builder()
        .fail_first_writes(2, Fault::BadGateway)
        .spawn()
        .unwrap();
    coder.insert("npm", "old");
    success(&mut secrets(&coder, &["update", "npm", "--value", "new"]));
    let secret = coder.secret("npm").unwrap();
    assert_eq!(secret.value, "new");
    assert_eq!(secret.writes, 2);
    let statuses: Vec<u16> = coder
        .requests()
        .iter()
        .filter(|request| request.method == "PATCH")
        .map(|request| request.status)
        .collect();
    assert_eq!(statuses, [502, 502, 200]);
}

#[test]
fn delete_and_delete_again() {
    let coder = FakeCoder::spawn().unwrap();
    coder.insert("npm", "x");
    let stdout = success(&mut secrets(&coder, &["delete", "npm"]));
    assert_eq!(stdout, "Deleted secret npm from user `me`\n");
    assert!(coder.names().is_empty());
    let line = one_line_failure(&mut secrets(&coder, &["delete", "npm"]));
    assert!(line.contains("404"), "{line}");
}

#[test]
fn another_user_by_name_or_id() {
    let coder = FakeCoder::spawn().unwrap();
    coder.insert("npm", "x");
    let by_name = success(&mut secrets(&coder, &["list", "--user", coder.username()]));
    let by_id = success(&mut secrets(&coder, &["list", "--user", coder.user_id()]));
    assert!(by_name.starts_with("npm\t"), "{by_name}");
    assert_eq!(by_name, by_id);
    let line = one_line_failure(&mut secrets(&coder, &["list", "--user", "nobody"]));
    assert!(
        line.contains("user `nobody`") && line.contains("404"),
        "{line}"
    );
}

#[test]
fn url_and_token_come_from_the_environment() {
    let coder = FakeCoder::spawn().unwrap();
    let mut cmd = secrets(&coder, &["list"]);
    cmd.env_remove("CODER_URL");
    insta::assert_snapshot!("coder_missing_url", one_line_failure(&mut cmd));
    // `--url` instead of the variable.
    let mut cmd = secrets(&coder, &["list", "--url", coder.url()]);
    cmd.env_remove("CODER_URL");
    success(&mut cmd);

    let mut cmd = secrets(&coder, &["list"]);
    cmd.env_remove("CODER_SESSION_TOKEN");
    insta::assert_snapshot!("coder_missing_token", one_line_failure(&mut cmd));

    let mut cmd = secrets(&coder, &["list"]);
    cmd.env("CODER_SESSION_TOKEN", "wrong-session-token");
    let line = one_line_failure(&mut cmd);
    assert!(line.contains("401"), "{line}");
    assert!(!line.contains("wrong-session-token"), "{line}");
}

#[test]
fn refused_before_anything_is_sent() {
    let coder = FakeCoder::spawn().unwrap();
    let cases: [(&str, &[&str], &str); 4] = [
        (
            "coder_reserved_env_name",
            &["create", "path", "--env-name", "PATH"],
            "v",
        ),
        (
            "coder_relative_file_path",
            &["create", "f", "--file-path", "notes.txt"],
            "v",
        ),
        ("coder_empty_value", &["create", "empty"], ""),
        ("coder_name_with_slash", &["create", "a/b"], "v"),
    ];
    for (snapshot, args, stdin) in cases {
        let line = one_line_failure(secrets(&coder, args).write_stdin(stdin));
        insta::assert_snapshot!(snapshot, line);
    }
    assert!(coder.requests().is_empty(), "{:?}", coder.requests());
}

#[test]
fn no_value_is_ever_printed() {
    const VALUE: &str = "c0der-s3cret-that-must-stay-hidden";
    let coder = FakeCoder::spawn().unwrap();
    let runs: [&[&str]; 8] = [
        &["create", "one"],
        &["create", "two", "--value", VALUE, "--json"],
        &["create", "one"],
        &["update", "one", "--value-stdin", "--json"],
        &["update", "missing", "--value", VALUE],
        &["create", "bad", "--env-name", "PATH", "--value", VALUE],
        &["list", "--json"],
        &["get", "one", "--json"],
    ];
    for args in runs {
        let output = secrets(&coder, args).write_stdin(VALUE).output().unwrap();
        for stream in [&output.stdout, &output.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(!text.contains(VALUE), "{args:?} printed the value: {text}");
        }
    }
    assert_eq!(coder.secret("one").unwrap().value, VALUE);
}
