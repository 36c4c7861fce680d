//! `SecretKey::from_base64` on arbitrary text: never a panic, the outcome the text calls
//! for, a public key equal to libsodium's for every accepted key, and an error that
//! never repeats the text (which may be a real secret key with a typo) nor gives a
//! position in it. The constant-time decoder (`base64ct`) must accept exactly what the
//! `base64` crate's standard engine accepts.
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use libfuzzer_sys::fuzz_target;
use sealpost_fuzz::sodium;
use sealpost_seal::{Base64Problem, Error, KeyKind, SecretKey};

fuzz_target!(|text: &str| {
    let ours = SecretKey::from_base64(text);
    let trimmed = text.trim();
    match STANDARD.decode(trimmed) {
        Err(_) => match &ours {
            Err(Error::Base64 {
                what: KeyKind::Secret,
                reason,
            }) => {
                // Decoded in constant time: no position in the secret text.
                assert!(
                    !matches!(reason, Base64Problem::InvalidCharacter { .. }),
                    "a position in secret text: {reason:?}"
                );
            }
            other => panic!(
                "{:?} for text that is not base64",
                other.as_ref().map(|_| "a key")
            ),
        },
        Ok(bytes) if bytes.len() != 32 => {
            assert_eq!(
                ours.as_ref().err(),
                Some(&Error::KeyLength {
                    what: KeyKind::Secret,
                    actual: bytes.len()
                })
            );
        }
        Ok(bytes) => {
            let secret: [u8; 32] = bytes.try_into().unwrap();
            let key = ours.as_ref().unwrap();
            assert_eq!(*key.to_bytes(), secret);
            assert_eq!(*key.to_base64(), STANDARD.encode(secret));
            assert_eq!(key.public_key().as_bytes(), &sodium::public_key_of(&secret));
            assert_eq!(format!("{key:?}"), "SecretKey { .. }");
        }
    }

    // The messages are made of words and short tokens: a run of 12 or more characters
    // without whitespace found in one can only be the input echoed back.
    if let Err(err) = &ours
        && trimmed.len() >= 12
        && !trimmed.contains(char::is_whitespace)
    {
        assert!(
            !err.to_string().contains(trimmed),
            "error repeats the text: {err}"
        );
        assert!(
            !format!("{err:?}").contains(trimmed),
            "error repeats the text: {err:?}"
        );
    }
});
