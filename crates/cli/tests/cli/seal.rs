//! `sealpost seal`.

use hex_literal::hex;
use predicates::prelude::*;

use crate::{b64, libsodium, one_line_failure, sealpost, unb64};

/// Runs `seal --key KEY [args]` with `stdin`; checks that the output is exactly one
/// line of base64 and returns the sealed bytes.
fn seal(public: &[u8; 32], args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let output = sealpost()
        .args(["seal", "--key", &b64(public)])
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let line = stdout.strip_suffix('\n').unwrap();
    assert!(!line.contains(char::is_whitespace), "{stdout:?}");
    unb64(line)
}

#[test]
fn stdin_is_sealed_exactly_with_its_trailing_newline() {
    let (public, secret) = libsodium::keypair();
    let sealed = seal(&public, &[], b"hunter2\n");
    assert_eq!(sealed.len(), 8 + 48);
    assert_eq!(
        libsodium::open(&public, &secret, &sealed).as_deref(),
        Some(&b"hunter2\n"[..])
    );
}

#[test]
fn body_is_sealed_as_given_without_a_newline() {
    let (public, secret) = libsodium::keypair();
    // Standard input is ignored when `--body` is given.
    let sealed = seal(&public, &["--body", "hunter2"], b"ignored");
    assert_eq!(
        libsodium::open(&public, &secret, &sealed).as_deref(),
        Some(&b"hunter2"[..])
    );
}

#[test]
fn binary_stdin_round_trips_through_open() {
    let (public, secret) = libsodium::keypair();
    // Not UTF-8, with NULs and CR/LF, and long enough to make the reader grow its buffer.
    let mut message: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    message.extend_from_slice(b"\xff\xfe\r\n\0");
    let sealed = seal(&public, &[], &message);
    assert_eq!(
        libsodium::open(&public, &secret, &sealed).as_deref(),
        Some(&message[..])
    );

    let opened = sealpost()
        .args(["open", "--secret-key", &b64(&secret)])
        .write_stdin(b64(&sealed) + "\n")
        .output()
        .unwrap();
    assert!(opened.status.success(), "{opened:?}");
    assert_eq!(opened.stdout, message);
}

#[test]
fn empty_stdin_seals_an_empty_message() {
    let (public, secret) = libsodium::keypair();
    let sealed = seal(&public, &[], b"");
    assert_eq!(sealed.len(), 48);
    assert_eq!(
        libsodium::open(&public, &secret, &sealed).as_deref(),
        Some(&b""[..])
    );
}

#[test]
fn every_seal_uses_a_new_ephemeral_key() {
    let (public, _) = libsodium::keypair();
    assert_ne!(seal(&public, &[], b"same"), seal(&public, &[], b"same"));
}

/// Runs `seal` with a bad key and a secret value; returns the one-line error after
/// checking that the value appears nowhere.
fn refused_key(key: &str) -> String {
    const VALUE: &str = "correct-horse-battery-staple";
    let line = one_line_failure(sealpost().args(["seal", "--key", key, "--body", VALUE]));
    assert!(!line.contains(VALUE), "{line}");
    assert!(
        line.starts_with("error: invalid --key: public key "),
        "{line}"
    );
    line
}

#[test]
fn key_of_the_wrong_length_is_refused() {
    let (public, _) = libsodium::keypair();
    insta::assert_snapshot!("key_31_bytes", refused_key(&b64(&public[..31])));
    insta::assert_snapshot!("key_33_bytes", refused_key(&b64(&[7u8; 33])));
    insta::assert_snapshot!("key_empty", refused_key(""));
}

#[test]
fn key_that_is_not_base64_is_refused() {
    insta::assert_snapshot!("key_bad_character", refused_key("not base64!"));
    // URL-safe alphabet instead of the standard one.
    let (public, _) = libsodium::keypair();
    let url_safe = b64(&public).replace('+', "-").replace('/', "_");
    if url_safe != b64(&public) {
        assert!(refused_key(&url_safe).contains("not valid base64"));
    }
    // Unpadded: 43 characters instead of 44.
    let unpadded = b64(&public);
    insta::assert_snapshot!("key_unpadded", refused_key(unpadded.trim_end_matches('=')));
}

#[test]
fn low_order_keys_are_refused_as_libsodium_refuses_them() {
    // Two of the small-order points libsodium lists in `has_small_order`: zero, and a
    // point of order 8. Sealing to either would give a shared secret anyone can compute.
    let keys = [
        [0u8; 32],
        hex!("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
    ];
    for key in keys {
        assert!(
            libsodium::seal(&key, b"x").is_none(),
            "libsodium sealed to it"
        );
        let line = refused_key(&b64(&key));
        assert!(line.contains("low-order point"), "{line}");
    }
    insta::assert_snapshot!("key_low_order", refused_key(&b64(&[0; 32])));
}

#[test]
fn missing_key_is_a_usage_error() {
    sealpost()
        .args(["seal", "--body", "x"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("--key <BASE64>"));
}

#[test]
fn the_value_never_appears_in_the_output() {
    let (public, _) = libsodium::keypair();
    for args in [&["--body", "plaintext-value"][..], &[]] {
        sealpost()
            .args(["seal", "--key", &b64(&public)])
            .args(args)
            .write_stdin("plaintext-value")
            .assert()
            .success()
            .stdout(predicate::str::contains("plaintext-value").not())
            .stderr("");
    }
}
