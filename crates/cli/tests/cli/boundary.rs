//! Safe at the boundary: no token in cleartext to another machine unless the user
//! says so (and then a warning), a warning for Coder over http, rate-limit waits that
//! say so, and a floor under the hidden retry knob.

use assert_cmd::Command;
use sealpost_fakes::{FakeCoder, FakeGitHub, Fault, Scope};

use crate::{described, one_line_failure, sealpost};

/// The fake's URL with its host written `0.0.0.0`: on Linux a connection to it
/// reaches this machine's listeners, but it is not a loopback address, so to sealpost
/// it is "another host" (the fakes listen on 127.0.0.1).
#[cfg(target_os = "linux")]
fn not_loopback(url: &str) -> String {
    url.replacen("127.0.0.1", "0.0.0.0", 1)
}

fn gh(api_url: &str, token: &str, args: &[&str]) -> Command {
    let mut cmd = sealpost();
    cmd.arg("github")
        .args(args)
        .env("GITHUB_API_URL", api_url)
        .env("GH_TOKEN", token)
        .env("SEALPOST_RETRY_MAX_WAIT_MS", "10");
    cmd
}

const WARNING: &str = "will cross the network unencrypted";

#[test]
fn http_to_another_host_is_refused_before_anything_is_sent() {
    for url in [
        "http://api.github.example",
        "http://10.1.2.3:8080/api/v3",
        "http://[2001:db8::1]/api/v3",
    ] {
        let line = one_line_failure(&mut gh(url, "ghp_x", &["list", "--repo", "o/r"]));
        assert!(
            line.starts_with("error: refusing to send the GitHub token in cleartext to `"),
            "{line}"
        );
        assert!(line.contains("--allow-insecure-http"), "{line}");
        assert!(!line.contains("ghp_x"), "{line}");
    }
}

#[test]
fn loopback_over_http_needs_no_flag_and_no_warning() {
    let github = FakeGitHub::spawn().unwrap();
    let port = github.url().rsplit(':').next().unwrap().to_owned();
    for host in ["127.0.0.1", "localhost"] {
        let url = format!("http://{host}:{port}");
        let output = gh(&url, github.token(), &["list", "--repo", "octo/hello"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{host}: {}", described(&output));
        assert!(output.stderr.is_empty(), "{host}: {}", described(&output));
    }
    // The fake listens on 127.0.0.1 only. For the other loopback addresses, a port
    // nobody listens on shows that they are not refused: the refusal comes before any
    // connection, and here the failure is the connection's.
    for url in ["http://127.0.0.2:9", "http://[::1]:9"] {
        let line = one_line_failure(&mut gh(url, "ghp_x", &["list", "--repo", "o/r"]));
        assert!(!line.contains("refusing"), "{url}: {line}");
        assert!(line.contains("request failed"), "{url}: {line}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn the_opt_in_works_and_warns_once() {
    let github = FakeGitHub::spawn().unwrap();
    let url = not_loopback(github.url());
    let args = ["set", "X", "--repo", "octo/hello", "--body", "v"];
    // Without the flag: refused, nothing sent.
    let line = one_line_failure(&mut gh(&url, github.token(), &args));
    assert!(line.contains("refusing to send the GitHub token"), "{line}");
    assert!(github.requests().is_empty());
    // With it: stored, and one warning.
    let output = gh(&url, github.token(), &args)
        .arg("--allow-insecure-http")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", described(&output));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.matches(WARNING).count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("warning: the GitHub token will cross"),
        "{stderr}"
    );
    let stored = github
        .stored(&Scope::repo("actions", "octo", "hello"), "X")
        .unwrap();
    assert_eq!(stored.plaintext, b"v");
}

#[cfg(target_os = "linux")]
#[test]
fn coder_over_http_to_another_host_warns_once_and_works() {
    let coder = FakeCoder::spawn().unwrap();
    let output = sealpost()
        .args(["coder", "secrets", "create", "npm", "--value", "v"])
        .env("CODER_URL", not_loopback(coder.url()))
        .env("CODER_SESSION_TOKEN", coder.token())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", described(&output));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "warning: the Coder session token and secret values will cross the network \
         unencrypted (http to a host that is not this machine); use an https URL unless \
         every network on the way is trusted\n"
    );
    assert_eq!(coder.secret("npm").unwrap().value, "v");
    // The same over loopback: no warning.
    let output = sealpost()
        .args(["coder", "secrets", "create", "npm2", "--value", "v"])
        .env("CODER_URL", coder.url())
        .env("CODER_SESSION_TOKEN", coder.token())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", described(&output));
    assert!(output.stderr.is_empty(), "{}", described(&output));
}

/// Stores one secret against a fake whose first PUT is rate limited with
/// `Retry-After: retry_after`; returns standard error.
fn rate_limited_once(retry_after: u64) -> String {
    let github = FakeGitHub::builder()
        .fail_first_puts(1, Fault::TooManyRequests { retry_after })
        .spawn()
        .unwrap();
    let output = gh(
        github.url(),
        github.token(),
        &["set", "X", "--repo", "octo/hello", "--body", "v"],
    )
    .output()
    .unwrap();
    assert!(output.status.success(), "{}", described(&output));
    let scope = Scope::repo("actions", "octo", "hello");
    assert_eq!(github.put_statuses(&scope, "X"), [429, 201]);
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn a_rate_limit_wait_over_two_seconds_says_so() {
    assert_eq!(
        rate_limited_once(3),
        "rate limited by GitHub; waiting 3 s\n"
    );
}

#[test]
fn short_waits_are_not_announced() {
    assert_eq!(rate_limited_once(1), "");
}

#[test]
fn the_hidden_retry_knob_has_a_floor() {
    let output = sealpost()
        .args(["keygen"])
        .env("SEALPOST_RETRY_MAX_WAIT_MS", "0")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", described(&output));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("0 is not in 10.."), "{stderr}");
}
