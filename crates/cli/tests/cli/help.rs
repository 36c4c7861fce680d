//! The help text, as a user sees it (snapshots: a change to a flag shows up in review).

use crate::sealpost;

fn help(args: &[&str]) -> String {
    let output = sealpost()
        .args(args)
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn top_level_help() {
    insta::assert_snapshot!(help(&["--help"]));
}

#[test]
fn sync_help() {
    insta::assert_snapshot!(help(&["sync", "--help"]));
}

#[test]
fn keygen_help() {
    insta::assert_snapshot!(help(&["keygen", "--help"]));
}

#[test]
fn seal_help() {
    insta::assert_snapshot!(help(&["seal", "--help"]));
}

#[test]
fn open_help() {
    insta::assert_snapshot!(help(&["open", "--help"]));
}

#[test]
fn github_help() {
    insta::assert_snapshot!(help(&["github", "--help"]));
}

#[test]
fn github_set_help() {
    insta::assert_snapshot!(help(&["github", "set", "--help"]));
}

#[test]
fn github_list_help() {
    insta::assert_snapshot!(help(&["github", "list", "--help"]));
}

#[test]
fn github_delete_help() {
    insta::assert_snapshot!(help(&["github", "delete", "--help"]));
}

#[test]
fn github_access_help() {
    insta::assert_snapshot!(help(&["github", "access", "--help"]));
}

#[test]
fn coder_help() {
    insta::assert_snapshot!(help(&["coder", "--help"]));
}

#[test]
fn coder_secrets_help() {
    for command in ["create", "list", "get", "update", "delete"] {
        insta::assert_snapshot!(
            format!("coder_secrets_{command}_help"),
            help(&["coder", "secrets", command, "--help"])
        );
    }
}

#[test]
fn completions_help() {
    insta::assert_snapshot!(help(&["completions", "--help"]));
}

#[test]
fn man_help() {
    insta::assert_snapshot!(help(&["man", "--help"]));
}

#[test]
fn the_retry_knob_for_tests_is_not_in_the_help() {
    for args in [&["--help"][..], &["github", "set", "--help"]] {
        assert!(!help(args).contains("retry"), "{args:?}");
    }
}

#[test]
fn version_names_the_binary() {
    let version = help(&["--version"]);
    assert_eq!(version, format!("sealpost {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn no_command_is_a_usage_error() {
    let output = sealpost().output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("Usage: sealpost <COMMAND>")
    );
}

#[test]
fn github_registry_set_help() {
    insta::assert_snapshot!(help(&["github", "registry", "set", "--help"]));
}

#[test]
fn github_registry_list_help() {
    insta::assert_snapshot!(help(&["github", "registry", "list", "--help"]));
}

#[test]
fn github_registry_delete_help() {
    insta::assert_snapshot!(help(&["github", "registry", "delete", "--help"]));
}
