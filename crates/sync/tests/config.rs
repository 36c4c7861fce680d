//! The configuration's contract: the issue's example parses, and every mistake is a
//! typed error naming the table and the key.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use sealpost_sync::{Config, ConfigError, Problem};

const CONTRACT: &str = r#"
[[github]]                      # one table per target
org = "acme"                    # or: repo = "owner/name" (+ environment = "production"), or: user = true
app = "actions"                 # optional
visibility = "selected"         # org targets; optional (new secrets: private)
repositories = ["acme/web", "acme/api"]   # org targets with selected, and user targets

[github.secrets]                # NAME = where its value comes from
NPM_TOKEN   = { env = "NPM_TOKEN" }                  # an environment variable, exactly
DB_URL      = { file = "secrets/db_url" }            # a file's bytes, exactly; relative to CONFIG's folder
SIGNING_KEY = { command = ["op", "read", "op://ci/signing/key"] }   # argv, no shell

[[coder]]                       # Coder user secrets, same idea
user = "me"
[coder.secrets]
npm = { env = "NPM_TOKEN", env_name = "NPM_TOKEN", description = "npm publish token" }
"#;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("/cfg/sync.toml"), Path::new("/cfg"))
}

fn invalid(text: &str) -> (String, String, Problem, String) {
    match parse(text) {
        Err(err @ ConfigError::Invalid { .. }) => {
            let message = err.to_string();
            let ConfigError::Invalid {
                table,
                key,
                problem,
                ..
            } = err
            else {
                unreachable!()
            };
            (table, key, problem, message)
        }
        other => panic!("expected an invalid key, got {other:?}"),
    }
}

#[test]
fn the_contract_parses() {
    let config = parse(CONTRACT).unwrap();
    assert!(config.has_github() && config.has_coder());
    assert_eq!(config.secret_count(), 4);
    assert_eq!(config.default_state_dir(), Path::new("/cfg/.sealpost"));
}

#[test]
fn mistakes_name_the_table_and_key() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "[[github]]\norg = \"a\"\nvisibilty = \"all\"\n[github.secrets]\n",
            "[[github]] #1",
            "visibilty",
        ),
        (
            "[[github]]\norg = \"a\"\n",
            "[[github]] #1 (org \"a\")",
            "secrets",
        ),
        (
            "[[github]]\norg = \"a\"\nrepo = \"o/r\"\n[github.secrets]\n",
            "[[github]] #1",
            "org",
        ),
        (
            "[[github]]\norg = \"a\"\n[github.secrets]\nA = { env = \"X\", file = \"y\" }\n",
            "[[github]] #1 (org \"a\") secrets",
            "A",
        ),
        (
            "[[github]]\norg = \"a\"\n[github.secrets]\nA = { path = \"y\" }\n",
            "[[github]] #1 (org \"a\") secrets",
            "A.path",
        ),
        (
            "[[github]]\norg = \"a\"\n[github.secrets]\nA = { command = [] }\n",
            "[[github]] #1 (org \"a\") secrets",
            "A.command",
        ),
        (
            "[[github]]\norg = \"a\"\n[github.secrets]\nGITHUB_X = { env = \"X\" }\n",
            "[[github]] #1 (org \"a\") secrets",
            "GITHUB_X",
        ),
        (
            "[[github]]\norg = \"a\"\n[github.secrets]\nab = { env = \"X\" }\nAB = { env = \"Y\" }\n",
            "[[github]] #1 (org \"a\") secrets",
            "AB",
        ),
        (
            "[[github]]\norg = \"a\"\nrepositories = [\"a/b\"]\n[github.secrets]\n",
            "[[github]] #1 (org \"a\")",
            "repositories",
        ),
        (
            "[[github]]\nrepo = \"o/r\"\nvisibility = \"all\"\n[github.secrets]\n",
            "[[github]] #1 (repo \"o/r\")",
            "visibility",
        ),
        (
            "[[github]]\nrepo = \"nope\"\n[github.secrets]\n",
            "[[github]] #1 (repo \"nope\")",
            "repo",
        ),
        (
            "[[github]]\nuser = true\napp = \"actions\"\n[github.secrets]\n",
            "[[github]] #1 (user)",
            "app",
        ),
        (
            "[[github]]\norg = \"a\"\napp = \"pages\"\n[github.secrets]\n",
            "[[github]] #1",
            "app",
        ),
        (
            "[[coder]]\n[coder.secrets]\nx = { env = \"X\", env_name = \"1BAD\" }\n",
            "[[coder]] #1 (user \"me\") secrets",
            "x",
        ),
        (
            "[[coder]]\nuser = 3\n[coder.secrets]\n",
            "[[coder]] #1",
            "user",
        ),
        ("[[gitlab]]\n", "the top level", "gitlab"),
        (
            "[[github]]\norg = \"a\"\n[github.secrets]\n[[github]]\norg = \"A\"\n[github.secrets]\n",
            "[[github]] #2 (org \"A\")",
            "(target)",
        ),
    ];
    for (text, table, key) in cases {
        let (got_table, got_key, _, message) = invalid(text);
        assert_eq!(
            (got_table.as_str(), got_key.as_str()),
            (*table, *key),
            "{text}\n{message}"
        );
        assert!(
            message.contains(table) && message.contains(key),
            "{message}"
        );
    }
}

#[test]
fn problems_are_typed() {
    let (_, _, problem, _) =
        invalid("[[github]]\norg = \"a\"\n[github.secrets]\nA = { path = \"y\" }\n");
    assert!(matches!(problem, Problem::Unknown { .. }));
    let (_, _, problem, _) = invalid("[[github]]\norg = 1\n[github.secrets]\n");
    assert!(matches!(problem, Problem::WrongType { .. }));
    let (_, _, problem, message) = invalid(
        "[[github]]\norg = \"a\"\n[github.secrets]\nA = { env = \"X\", command = [\"a\"] }\n",
    );
    assert!(matches!(problem, Problem::ExactlyOne { .. }), "{message}");
}

#[test]
fn toml_syntax_errors_say_where() {
    let err = parse("[[github]]\norg = \n").unwrap_err();
    assert!(matches!(err, ConfigError::Syntax { .. }));
    assert!(err.to_string().contains("line 2"), "{err}");
}

#[test]
fn files_are_relative_to_the_configs_folder() {
    let config =
        parse("[[github]]\norg = \"a\"\n[github.secrets]\nA = { file = \"s/a\" }\n").unwrap();
    let debug = format!("{config:?}");
    assert!(debug.contains("/cfg/s/a"), "{debug}");
}
