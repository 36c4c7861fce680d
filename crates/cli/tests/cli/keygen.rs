//! `sealpost keygen`.

use crate::{b64, libsodium, sealpost, unb64};

/// Runs `keygen` with `args`; returns the key pair it printed as `(public, secret)`,
/// after checking the output's shape with `parse`.
fn keygen(args: &[&str], parse: fn(&str) -> (String, String)) -> ([u8; 32], [u8; 32]) {
    let output = sealpost().arg("keygen").args(args).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
    let (public, secret) = parse(std::str::from_utf8(&output.stdout).unwrap());
    (
        unb64(&public).try_into().unwrap(),
        unb64(&secret).try_into().unwrap(),
    )
}

fn parse_json(stdout: &str) -> (String, String) {
    assert!(stdout.ends_with("}\n"), "{stdout:?}");
    let value: serde_json::Value = serde_json::from_str(stdout).unwrap();
    let object = value.as_object().unwrap();
    assert_eq!(object.len(), 2, "{stdout}");
    (
        object["public_key"].as_str().unwrap().to_owned(),
        object["secret_key"].as_str().unwrap().to_owned(),
    )
}

fn parse_text(stdout: &str) -> (String, String) {
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout:?}");
    assert!(stdout.ends_with('\n'));
    (
        lines[0].strip_prefix("public_key: ").unwrap().to_owned(),
        lines[1].strip_prefix("secret_key: ").unwrap().to_owned(),
    )
}

/// The printed public key is the secret key's, by libsodium's arithmetic, and a box
/// sealed to it by libsodium opens with `sealpost open` and the printed secret key.
fn assert_working_pair(public: [u8; 32], secret: [u8; 32]) {
    assert_eq!(libsodium::public_key_of(&secret), public);
    let sealed = libsodium::seal(&public, b"from libsodium").unwrap();
    let opened = sealpost()
        .args(["open", "--secret-key", &b64(&secret)])
        .write_stdin(b64(&sealed))
        .output()
        .unwrap();
    assert!(opened.status.success(), "{opened:?}");
    assert_eq!(opened.stdout, b"from libsodium");
}

#[test]
fn json_keys_are_a_working_pair() {
    let (public, secret) = keygen(&["--json"], parse_json);
    assert_working_pair(public, secret);
}

#[test]
fn text_keys_are_a_working_pair() {
    let (public, secret) = keygen(&[], parse_text);
    assert_working_pair(public, secret);
}

#[test]
fn seal_to_a_generated_key_opens_with_libsodium() {
    let (public, secret) = keygen(&["--json"], parse_json);
    let sealed = sealpost()
        .args(["seal", "--key", &b64(&public), "--body", "to libsodium"])
        .output()
        .unwrap();
    assert!(sealed.status.success(), "{sealed:?}");
    let text = std::str::from_utf8(&sealed.stdout).unwrap().trim_end();
    let opened = libsodium::open(&public, &secret, &unb64(text));
    assert_eq!(opened.as_deref(), Some(&b"to libsodium"[..]));
}

#[test]
fn every_run_makes_a_new_key() {
    let (first, _) = keygen(&["--json"], parse_json);
    let (second, _) = keygen(&["--json"], parse_json);
    assert_ne!(first, second);
}
