//! `sealpost open`.

use predicates::prelude::*;

use crate::{SECRET_KEY_ENV, b64, libsodium, one_line_failure, sealpost};

/// Opens `stdin` with `--secret-key`; returns the plaintext after checking success.
fn open(secret: &[u8; 32], stdin: impl Into<Vec<u8>>) -> Vec<u8> {
    let output = sealpost()
        .args(["open", "--secret-key", &b64(secret)])
        .write_stdin(stdin.into())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
    output.stdout
}

#[test]
fn opens_what_libsodium_sealed_byte_for_byte() {
    let (public, secret) = libsodium::keypair();
    for message in [
        &b"hunter2"[..],
        b"trailing newline\n",
        b"",
        b"\x00\xff\xfe not UTF-8 \x80\r\n",
    ] {
        let sealed = libsodium::seal(&public, message).unwrap();
        assert_eq!(open(&secret, b64(&sealed)), message);
    }
}

#[test]
fn whitespace_around_the_box_is_ignored() {
    let (public, secret) = libsodium::keypair();
    let sealed = b64(&libsodium::seal(&public, b"spaced out").unwrap());
    assert_eq!(
        open(&secret, format!("\n  {sealed} \r\n\t\n")),
        b"spaced out"
    );
}

#[test]
fn secret_key_can_come_from_the_environment() {
    let (public, secret) = libsodium::keypair();
    let sealed = libsodium::seal(&public, b"from env").unwrap();
    sealpost()
        .arg("open")
        .env(SECRET_KEY_ENV, b64(&secret))
        .write_stdin(b64(&sealed))
        .assert()
        .success()
        .stdout("from env")
        .stderr("");
}

#[test]
fn the_flag_wins_over_the_environment() {
    let (public, secret) = libsodium::keypair();
    let sealed = libsodium::seal(&public, b"flag").unwrap();
    sealpost()
        .args(["open", "--secret-key", &b64(&secret)])
        .env(SECRET_KEY_ENV, "not a key")
        .write_stdin(b64(&sealed))
        .assert()
        .success()
        .stdout("flag");
}

#[test]
fn missing_secret_key_is_a_usage_error() {
    sealpost()
        .arg("open")
        .write_stdin("AAAA")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("--secret-key <BASE64>"));
}

/// Runs `open` with `stdin` and a fresh secret key; returns the one-line error.
fn refused_box(secret: &[u8; 32], stdin: impl Into<Vec<u8>>) -> String {
    one_line_failure(
        sealpost()
            .args(["open", "--secret-key", &b64(secret)])
            .write_stdin(stdin.into()),
    )
}

#[test]
fn short_sealed_box_is_refused() {
    let (public, secret) = libsodium::keypair();
    let sealed = libsodium::seal(&public, b"").unwrap();
    insta::assert_snapshot!("box_47_bytes", refused_box(&secret, b64(&sealed[..47])));
    insta::assert_snapshot!("box_empty", refused_box(&secret, " \n"));
}

#[test]
fn tampered_box_is_refused_wherever_the_bit_flips() {
    let (public, secret) = libsodium::keypair();
    let sealed = libsodium::seal(&public, b"do not touch").unwrap();
    // A byte of the ephemeral key (and its ignored top bit), of the tag, and of the
    // ciphertext; then one byte cut off the end.
    let mut tampered = Vec::new();
    for (index, bit) in [(0, 0x01), (31, 0x80), (40, 0x10), (50, 0x04), (59, 0x01)] {
        let mut copy = sealed.clone();
        copy[index] ^= bit;
        tampered.push(copy);
    }
    tampered.push(sealed[..sealed.len() - 1].to_vec());
    for copy in tampered {
        assert!(libsodium::open(&public, &secret, &copy).is_none());
        let line = refused_box(&secret, b64(&copy));
        assert!(line.contains("could not be opened"), "{line}");
    }
}

#[test]
fn box_for_another_key_is_refused() {
    let (public, _) = libsodium::keypair();
    let (_, other_secret) = libsodium::keypair();
    let sealed = libsodium::seal(&public, b"not for you").unwrap();
    insta::assert_snapshot!("box_other_key", refused_box(&other_secret, b64(&sealed)));
}

#[test]
fn box_that_is_not_base64_is_refused() {
    let (_, secret) = libsodium::keypair();
    insta::assert_snapshot!("box_bad_character", refused_box(&secret, "AAAA$AAA"));
    insta::assert_snapshot!("box_unpadded", refused_box(&secret, "AAAAAA"));
    // Base64 wrapped over lines is refused, not silently misread.
    let wrapped = format!("{}\n{}", "A".repeat(76), "A".repeat(4));
    assert!(refused_box(&secret, wrapped).contains("offset 76"));
}

#[test]
fn bad_secret_keys_are_refused_and_not_repeated() {
    let (public, _) = libsodium::keypair();
    let sealed = b64(&libsodium::seal(&public, b"x").unwrap());
    // Each key text is long and distinctive, so that finding it in the output is no
    // coincidence; none is a usable key.
    let cases = [
        ("secret_key_31_bytes", b64(&[0x5a; 31])),
        ("secret_key_33_bytes", b64(&[0x5a; 33])),
        (
            "secret_key_bad_character",
            "SecretKeySecretKey!SecretKeySecretKeySecret=".to_owned(),
        ),
        (
            "secret_key_unpadded",
            b64(&[0x5a; 32]).trim_end_matches('=').to_owned(),
        ),
    ];
    for (name, key) in cases {
        let flag = one_line_failure(
            sealpost()
                .args(["open", "--secret-key", &key])
                .write_stdin(sealed.clone()),
        );
        assert!(
            flag.starts_with("error: invalid --secret-key: secret key "),
            "{flag}"
        );
        assert!(!flag.contains(&key), "{flag}");

        let env = one_line_failure(
            sealpost()
                .arg("open")
                .env(SECRET_KEY_ENV, &key)
                .write_stdin(sealed.clone()),
        );
        let named = format!("error: invalid environment variable {SECRET_KEY_ENV}: secret key ");
        assert!(env.starts_with(&named), "{env}");
        assert!(!env.contains(&key), "{env}");
        insta::assert_snapshot!(name, env);
    }
}

#[test]
fn secret_key_from_the_environment_never_appears_in_output() {
    let (public, secret) = libsodium::keypair();
    let key = b64(&secret);
    let sealed = b64(&libsodium::seal(&public, b"payload").unwrap());
    let sealed_elsewhere = b64(&libsodium::seal(&libsodium::keypair().0, b"x").unwrap());

    let runs: [(&[&str], String); 6] = [
        (&["open"], sealed.clone()),                // success
        (&["open"], sealed_elsewhere),              // wrong key
        (&["open"], "AAAA".to_owned()),             // short box
        (&["open"], "not base64".to_owned()),       // bad box
        (&["open", "--help"], String::new()),       // help shows the variable, not its value
        (&["open", "--secret-key"], String::new()), // usage error
    ];
    for (args, stdin) in runs {
        let output = sealpost()
            .args(args)
            .env(SECRET_KEY_ENV, &key)
            .write_stdin(stdin)
            .output()
            .unwrap();
        for stream in [&output.stdout, &output.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.contains(&key),
                "{args:?} printed the secret key: {text}"
            );
        }
    }
    // The help does name the variable, so users can find it.
    sealpost()
        .args(["open", "--help"])
        .env(SECRET_KEY_ENV, &key)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("[env: {SECRET_KEY_ENV}]")));
}
