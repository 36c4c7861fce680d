//! Runs the real `sealpost` binary. One test binary, one module per command; libsodium
//! (built from source by `libsodium-sys-stable`) is the oracle for every key and box.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// Repository ids are written as GitHub's documentation writes them (1296269).
#![allow(clippy::unreadable_literal)]

mod boundary;
mod coder;
mod generate;
mod github;
mod help;
mod keygen;
mod libsodium;
mod open;
mod scopes;
mod seal;
mod sync;
#[cfg(unix)]
mod terminal;

use std::process::Output;

use assert_cmd::Command;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The environment variable `sealpost open` reads its secret key from.
const SECRET_KEY_ENV: &str = "SEALPOST_SECRET_KEY";

/// Every variable the binary reads, none of which a test should inherit from the shell
/// that runs it (a developer's real token above all).
const INHERITED: [&str; 7] = [
    SECRET_KEY_ENV,
    "GH_TOKEN",
    "GITHUB_TOKEN",
    "GITHUB_API_URL",
    "CODER_URL",
    "CODER_SESSION_TOKEN",
    "SEALPOST_RETRY_MAX_WAIT_MS",
];

/// The binary, with none of the variables it reads inherited from the environment.
fn sealpost() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("sealpost");
    for name in INHERITED {
        cmd.env_remove(name);
    }
    cmd
}

fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    STANDARD.decode(text).unwrap()
}

/// A run's status and output, for assertion messages.
fn described(output: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// What a failed run must look like: exit status 1, nothing on standard output, and
/// exactly one line on standard error, `error: ...`. Returns that line.
fn one_line_failure(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(output.stdout.is_empty(), "stdout: {:?}", output.stdout);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.ends_with('\n'), "no newline at the end: {stderr:?}");
    let line = &stderr[..stderr.len() - 1];
    assert!(!line.contains('\n'), "more than one line: {stderr:?}");
    assert!(line.starts_with("error: "), "{stderr:?}");
    line.to_owned()
}
