//! Generate a key pair, seal a value to the public key, open it with the secret key.
//!
//! This is all a GitHub Actions or Codespaces secret needs on the client side: GitHub
//! publishes a repository's or organization's public key, and the value is sealed to it.
//! No network, no token:
//!
//! ```sh
//! cargo run --example seal
//! ```

use std::process::ExitCode;

use sealpost::seal::{PublicKey, SEAL_OVERHEAD, SecretKey};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), sealpost::seal::Error> {
    // The recipient (GitHub, in real use) makes a key pair and publishes the public half.
    let secret_key = SecretKey::generate();
    let published = secret_key.public_key().to_base64();
    println!("recipient public key:  {published}");

    // The sender parses the published key (refusing malformed and low-order keys) and seals.
    let public_key = PublicKey::from_base64(&published)?;
    let value = b"ghp_example-token-not-a-real-one";
    let sealed = public_key.seal_base64(value);
    println!(
        "sealed {} bytes into {} bytes (+{SEAL_OVERHEAD}), as base64:\n  {sealed}",
        value.len(),
        value.len() + SEAL_OVERHEAD
    );

    // Sealing again gives a different box: every seal uses a fresh ephemeral key.
    assert_ne!(public_key.seal_base64(value), sealed);

    // Only the secret key opens it.
    let sealed_bytes = base64_decode(&sealed);
    let opened = secret_key.open(&sealed_bytes)?;
    println!(
        "opened with the secret key: {} bytes, {}",
        opened.len(),
        if opened == value {
            "identical to the original"
        } else {
            "DIFFERENT from the original"
        }
    );

    // Another key cannot, and any change to the box is detected.
    let stranger = SecretKey::generate();
    if let Err(err) = stranger.open(&sealed_bytes) {
        println!("opened with another key:   refused: {err}");
    }
    let mut tampered = sealed_bytes.clone();
    tampered[60] ^= 1;
    if let Err(err) = secret_key.open(&tampered) {
        println!("opened after a bit flip:   refused: {err}");
    }
    Ok(())
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap_or_default()
}
