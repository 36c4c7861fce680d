//! `sealpost github` on the scopes of issue 14 (Agents secrets, the organization
//! secrets a repository may use), against the fake GitHub, which opens every value
//! it receives with libsodium.

use assert_cmd::Command;
use sealpost_fakes::{FakeGitHub, Scope};

use crate::{described, one_line_failure, sealpost};

/// `sealpost github ARGS` pointed at `github`, with its token.
fn gh(github: &FakeGitHub, args: &[&str]) -> Command {
    let mut cmd = sealpost();
    cmd.arg("github")
        .args(args)
        .env("GITHUB_API_URL", github.url())
        .env("GH_TOKEN", github.token())
        .env("SEALPOST_RETRY_MAX_WAIT_MS", "10");
    cmd
}

fn success(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{}", described(&output));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn agents_secrets_in_org_and_repository() {
    let github = FakeGitHub::builder()
        .repository(7, "acme/web")
        .spawn()
        .unwrap();
    let org = Scope::org("agents", "acme");
    let said = success(
        gh(
            &github,
            &[
                "set",
                "MCP_TOKEN",
                "--org",
                "acme",
                "--app",
                "agents",
                "--repos",
                "acme/web",
            ],
        )
        .write_stdin("agent välue"),
    );
    assert_eq!(
        said,
        "Created secret MCP_TOKEN for organization `acme` (agents) with visibility selected \
         (1 repository)\n"
    );
    let stored = github.stored(&org, "MCP_TOKEN").unwrap();
    assert_eq!(stored.plaintext, "agent välue".as_bytes());
    assert_eq!(stored.repositories, Some(vec![7]));

    let repo = Scope::repo("agents", "acme", "web");
    success(
        gh(
            &github,
            &["set", "MCP_TOKEN", "--repo", "acme/web", "--app", "agents"],
        )
        .write_stdin("repo value"),
    );
    assert_eq!(
        github.stored(&repo, "MCP_TOKEN").unwrap().plaintext,
        b"repo value"
    );
    let listed = success(&mut gh(
        &github,
        &["list", "--repo", "acme/web", "--app", "agents"],
    ));
    assert!(listed.starts_with("MCP_TOKEN\t"), "{listed}");

    // Repositories change without the value.
    success(&mut gh(
        &github,
        &[
            "access",
            "MCP_TOKEN",
            "--org",
            "acme",
            "--app",
            "agents",
            "--add-repos",
            "8",
        ],
    ));
    assert_eq!(
        github.stored(&org, "MCP_TOKEN").unwrap().repositories,
        Some(vec![7, 8])
    );
    success(&mut gh(
        &github,
        &[
            "delete",
            "MCP_TOKEN",
            "--repo",
            "acme/web",
            "--app",
            "agents",
        ],
    ));
    assert!(github.stored(&repo, "MCP_TOKEN").is_none());
}

#[test]
fn an_agents_visibility_change_needs_the_value() {
    let github = FakeGitHub::spawn().unwrap();
    let org = Scope::org("agents", "acme");
    github.insert(&org, "MCP_TOKEN", "v");
    let before = github.requests().len();
    let line = one_line_failure(&mut gh(
        &github,
        &[
            "access",
            "MCP_TOKEN",
            "--org",
            "acme",
            "--app",
            "agents",
            "--visibility",
            "all",
        ],
    ));
    assert!(line.contains("without its value"), "{line}");
    assert!(line.contains("--visibility"), "{line}");
    assert_eq!(github.requests().len(), before, "nothing may be sent");
    assert_eq!(
        github
            .stored(&org, "MCP_TOKEN")
            .unwrap()
            .visibility
            .as_deref(),
        Some("private")
    );
    // With the value, `set` changes it.
    success(
        gh(
            &github,
            &[
                "set",
                "MCP_TOKEN",
                "--org",
                "acme",
                "--app",
                "agents",
                "--visibility",
                "all",
            ],
        )
        .write_stdin("v"),
    );
    assert_eq!(
        github
            .stored(&org, "MCP_TOKEN")
            .unwrap()
            .visibility
            .as_deref(),
        Some("all")
    );
}

#[test]
fn agents_have_no_user_secrets() {
    let github = FakeGitHub::spawn().unwrap();
    let line = one_line_failure(&mut gh(&github, &["list", "--user", "--app", "agents"]));
    assert_eq!(
        line,
        "error: --app agents cannot be used with --user: only codespaces secrets exist there"
    );
    assert!(github.requests().is_empty());
}

#[test]
fn list_org_secrets_of_a_repository() {
    let github = FakeGitHub::builder()
        .repository(7, "acme/web")
        .repository(8, "acme/api")
        .spawn()
        .unwrap();
    for (name, args) in [
        ("EVERYONE", &["--visibility", "all"][..]),
        ("WEB_ONLY", &["--repos", "7"][..]),
        ("API_ONLY", &["--repos", "8"][..]),
    ] {
        let mut all = vec!["set", name, "--org", "acme", "--body", "v"];
        all.extend_from_slice(args);
        success(&mut gh(&github, &all));
    }
    let listed = success(&mut gh(
        &github,
        &["list", "--repo", "acme/web", "--org-secrets"],
    ));
    let names: Vec<&str> = listed
        .lines()
        .map(|line| line.split('\t').next().unwrap())
        .collect();
    assert_eq!(names, ["EVERYONE", "WEB_ONLY"], "{listed}");
    let json = success(&mut gh(
        &github,
        &[
            "list",
            "--repo",
            "acme/api",
            "--org-secrets",
            "--app",
            "agents",
            "--json",
        ],
    ));
    assert_eq!(json, "[]\n");
    // Only with --repo, and refused before any request.
    let before = github.requests().len();
    let line = one_line_failure(&mut gh(
        &github,
        &["list", "--org", "acme", "--org-secrets"],
    ));
    assert!(line.contains("only repositories can"), "{line}");
    assert_eq!(github.requests().len(), before);
}

#[test]
#[allow(clippy::too_many_lines)] // One story: create, update in place, list, delete.
fn private_registries_set_list_delete() {
    let github = FakeGitHub::builder()
        .repository(7, "acme/api")
        .spawn()
        .unwrap();
    let said = success(
        gh(
            &github,
            &[
                "registry",
                "set",
                "--org",
                "acme",
                "--type",
                "npm-registry",
                "--url",
                "https://npm.pkg.github.com",
                "--replaces-base",
            ],
        )
        .write_stdin("npm tökén\n"),
    );
    assert_eq!(
        said,
        "Created private registry NPM_REGISTRY_SECRET (npm_registry, https://npm.pkg.github.com) \
         in the private registries of organization `acme`\n"
    );
    let stored = github.registry("acme", "NPM_REGISTRY_SECRET").unwrap();
    assert_eq!(stored.plaintext, "npm tökén\n".as_bytes());
    assert_eq!(stored.auth_type, "token");
    assert_eq!(stored.visibility, "private");
    assert!(stored.replaces_base);

    // Same type and URL: the existing one is updated, not a second one made.
    let said = success(
        gh(
            &github,
            &[
                "registry",
                "set",
                "-o",
                "acme",
                "-t",
                "npm_registry",
                "--url",
                "https://npm.pkg.github.com/",
                "--repos",
                "acme/api",
            ],
        )
        .write_stdin("second"),
    );
    assert!(
        said.starts_with("Updated private registry NPM_REGISTRY_SECRET"),
        "{said}"
    );
    let stored = github.registry("acme", "NPM_REGISTRY_SECRET").unwrap();
    assert_eq!(stored.plaintext, b"second");
    assert_eq!(stored.repositories, Some(vec![7]));
    assert_eq!(github.registry_names("acme"), ["NPM_REGISTRY_SECRET"]);

    // A user name means user name and password.
    success(&mut gh(
        &github,
        &[
            "registry",
            "set",
            "--org",
            "acme",
            "--type",
            "maven_repository",
            "--url",
            "https://maven.example.com/repo",
            "--username",
            "bot",
            "--body",
            "p4ss",
        ],
    ));
    let maven = github.registry("acme", "MAVEN_REPOSITORY_SECRET").unwrap();
    assert_eq!(
        (maven.auth_type.as_str(), maven.username.as_deref()),
        ("username_password", Some("bot"))
    );
    assert_eq!(maven.plaintext, b"p4ss");

    let listed = success(&mut gh(&github, &["registry", "list", "--org", "acme"]));
    assert_eq!(
        listed,
        "MAVEN_REPOSITORY_SECRET\tmaven_repository\thttps://maven.example.com/repo\tprivate\n\
         NPM_REGISTRY_SECRET\tnpm_registry\thttps://npm.pkg.github.com/\tselected\n"
    );
    let json = success(&mut gh(
        &github,
        &["registry", "list", "--org", "acme", "--json"],
    ));
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed[0]["username"], "bot");
    for output in [&listed, &json] {
        assert!(!output.contains("p4ss") && !output.contains("second"));
    }

    let said = success(&mut gh(
        &github,
        &["registry", "delete", "NPM_REGISTRY_SECRET", "--org", "acme"],
    ));
    assert_eq!(
        said,
        "Deleted private registry NPM_REGISTRY_SECRET from the private registries of \
         organization `acme`\n"
    );
    assert_eq!(github.registry_names("acme"), ["MAVEN_REPOSITORY_SECRET"]);
}

#[test]
fn an_unknown_registry_type_is_refused_before_anything_is_read_or_sent() {
    let github = FakeGitHub::spawn().unwrap();
    let line = one_line_failure(
        gh(
            &github,
            &[
                "registry",
                "set",
                "--org",
                "acme",
                "--type",
                "npm",
                "--url",
                "https://x.example",
            ],
        )
        .write_stdin("never read"),
    );
    assert!(line.contains("`npm` is not one GitHub knows"), "{line}");
    assert!(line.contains("npm_registry"), "{line}");
    assert!(github.requests().is_empty());
}

#[test]
fn a_codespaces_404_away_from_github_com_mentions_enterprise_server() {
    // The fake is not github.com: its 404s about Codespaces and Agents secrets carry
    // the note, which is what a GitHub Enterprise Server user sees.
    let github = FakeGitHub::spawn().unwrap();
    for (args, app) in [
        (&["delete", "NOPE", "--user"][..], "codespaces"),
        (
            &["delete", "NOPE", "--org", "acme", "--app", "agents"][..],
            "agents",
        ),
    ] {
        let line = one_line_failure(&mut gh(&github, args));
        assert!(line.contains("404"), "{line}");
        assert!(
            line.contains(&format!("GitHub Enterprise Server has no {app} secrets")),
            "{line}"
        );
    }
    // Actions secrets exist there: a 404 is only a 404.
    let line = one_line_failure(&mut gh(&github, &["delete", "NOPE", "--org", "acme"]));
    assert!(!line.contains("Enterprise Server"), "{line}");
}
