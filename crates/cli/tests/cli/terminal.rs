//! A secret typed on a terminal: the real binary runs in a pseudo-terminal (so that
//! standard input is a terminal, as when a person types), a prompt appears, nothing
//! typed is echoed, and the value stored is the line without its newline.

use std::os::fd::AsFd as _;
use std::process::Command;
use std::time::{Duration, Instant};

use nix::sys::termios::{LocalFlags, tcgetattr};
use rexpect::session::{PtySession, spawn_command};
use sealpost_fakes::{FakeCoder, FakeGitHub, Scope};

use crate::{INHERITED, b64, libsodium, unb64};

/// What the tests type: not in any prompt or output by chance.
const TYPED: &str = "hunter2-typed-in-a-tty";

/// `sealpost ARGS` in a new pseudo-terminal, with `env` and none of the variables
/// the binary reads inherited.
fn in_terminal(args: &[&str], env: &[(&str, &str)]) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sealpost"));
    cmd.args(args);
    for name in INHERITED {
        cmd.env_remove(name);
    }
    cmd.envs(env.iter().copied());
    spawn_command(cmd, Some(30_000)).unwrap()
}

/// Waits for the prompt, then until the terminal's echo is off (the prompt is
/// written just before echo is turned off; a person is never that fast, a test is),
/// then types `line` and Enter. Returns what the terminal showed before the prompt's
/// end.
fn type_secret(session: &mut PtySession, line: &str) -> String {
    let before = session.exp_string("Enter ends it): ").unwrap();
    let master = session.process().get_file_handle().unwrap();
    let started = Instant::now();
    // On Linux and the BSDs, the master side reports the terminal's settings.
    while tcgetattr(master.as_fd())
        .unwrap()
        .local_flags
        .contains(LocalFlags::ECHO)
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "echo never went off"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    session.send_line(line).unwrap();
    before
}

/// Everything the terminal shows until the program ends, which must be a success.
fn rest_of_output(session: &mut PtySession) -> String {
    let rest = session.exp_eof().unwrap();
    let status = session.process().wait().unwrap();
    assert!(
        matches!(status, rexpect::process::WaitStatus::Exited(_, 0)),
        "{status:?}: {rest}"
    );
    rest
}

#[test]
fn seal_reads_one_hidden_line_without_its_newline() {
    let (public, secret) = libsodium::keypair();
    let key = b64(&public);
    let mut session = in_terminal(&["seal", "--key", &key], &[]);
    let before = type_secret(&mut session, TYPED);
    assert!(before.contains("Paste the value to seal"), "{before:?}");
    let rest = rest_of_output(&mut session);
    assert!(!rest.contains(TYPED), "the value was echoed: {rest:?}");
    // The box is the last line the terminal shows (`\r\n` after it).
    let sealed = rest.trim().lines().last().unwrap().trim();
    let opened = libsodium::open(&public, &secret, &unb64(sealed)).unwrap();
    assert_eq!(opened, TYPED.as_bytes());
}

#[test]
fn github_set_stores_the_typed_line_without_its_newline() {
    let github = FakeGitHub::spawn().unwrap();
    let mut session = in_terminal(
        &["github", "set", "NPM_TOKEN", "--repo", "octo/hello"],
        &[
            ("GITHUB_API_URL", github.url()),
            ("GH_TOKEN", github.token()),
        ],
    );
    type_secret(&mut session, TYPED);
    let rest = rest_of_output(&mut session);
    assert!(!rest.contains(TYPED), "the value was echoed: {rest:?}");
    assert!(rest.contains("Created secret NPM_TOKEN"), "{rest:?}");
    let stored = github
        .stored(&Scope::repo("actions", "octo", "hello"), "NPM_TOKEN")
        .unwrap();
    assert_eq!(stored.plaintext, TYPED.as_bytes());
}

#[test]
fn coder_create_stores_the_typed_line_without_its_newline() {
    let coder = FakeCoder::spawn().unwrap();
    let mut session = in_terminal(
        &["coder", "secrets", "create", "npm"],
        &[
            ("CODER_URL", coder.url()),
            ("CODER_SESSION_TOKEN", coder.token()),
        ],
    );
    type_secret(&mut session, TYPED);
    let rest = rest_of_output(&mut session);
    assert!(!rest.contains(TYPED), "the value was echoed: {rest:?}");
    assert!(rest.contains("Created secret npm"), "{rest:?}");
    assert_eq!(coder.secret("npm").unwrap().value, TYPED);
}
