//! `sealpost keygen`: a new key pair, printed once.

use std::io::Write as _;

use sealpost_seal::SecretKey;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::Error;
use crate::settings::{KeygenSettings, OutputFormat};
use crate::stdio;

/// The `--json` form.
#[derive(Serialize)]
struct KeyPair<'a> {
    public_key: &'a str,
    secret_key: &'a str,
}

/// Room for either form of output, so the buffer never grows (growing would leave a
/// copy of the secret key in freed memory).
const OUTPUT_CAPACITY: usize = 256;

pub(crate) fn run(settings: &KeygenSettings) -> Result<(), Error> {
    let secret_key = SecretKey::generate();
    let public = secret_key.public_key().to_base64();
    let secret = secret_key.to_base64();

    let mut out = Zeroizing::new(Vec::with_capacity(OUTPUT_CAPACITY));
    match settings.format {
        OutputFormat::Json => {
            let pair = KeyPair {
                public_key: &public,
                secret_key: &secret,
            };
            serde_json::to_writer(&mut *out, &pair)?;
            out.push(b'\n');
        }
        OutputFormat::Text => {
            // Writing to a `Vec` cannot fail.
            let _ = write!(out, "public_key: {public}\nsecret_key: {}\n", *secret);
        }
    }
    stdio::write_stdout(&out)
}
