//! Runs the real `sealpost` binary. One test binary, one module per command; libsodium
//! (built from source by `libsodium-sys-stable`) is the oracle for every key and box.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod help;
mod keygen;
mod libsodium;
mod open;
mod seal;

use assert_cmd::Command;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The environment variable `sealpost open` reads its secret key from.
const SECRET_KEY_ENV: &str = "SEALPOST_SECRET_KEY";

/// The binary, with no secret key inherited from the shell that runs the tests.
fn sealpost() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("sealpost");
    cmd.env_remove(SECRET_KEY_ENV);
    cmd
}

fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    STANDARD.decode(text).unwrap()
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
