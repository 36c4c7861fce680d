//! `PublicKey::from_base64` (and `FromStr`) on arbitrary text: never a panic, and the
//! outcome the text calls for: a base64 error, a length error, a low-order refusal
//! exactly when libsodium refuses the key, or the decoded key itself.
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use libfuzzer_sys::fuzz_target;
use sealpost_fuzz::sodium;
use sealpost_seal::{Base64Problem, Error, KeyKind, PublicKey};

fuzz_target!(|text: &str| {
    let ours = PublicKey::from_base64(text);
    assert_eq!(ours, text.parse::<PublicKey>());

    let trimmed = text.trim();
    match STANDARD.decode(trimmed) {
        Err(_) => match ours {
            Err(Error::Base64 {
                what: KeyKind::Public,
                reason,
            }) => {
                if let Base64Problem::InvalidCharacter { offset } = reason {
                    assert!(offset < trimmed.len());
                }
            }
            other => panic!("{other:?} for text that is not base64"),
        },
        Ok(bytes) if bytes.len() != 32 => {
            assert_eq!(
                ours,
                Err(Error::KeyLength {
                    what: KeyKind::Public,
                    actual: bytes.len()
                })
            );
        }
        Ok(bytes) => {
            let key: [u8; 32] = bytes.try_into().unwrap();
            match sodium::seal_with_ephemeral(&key, &[0x42; 32], b"") {
                Some(_) => {
                    let public = ours.unwrap();
                    assert_eq!(public.as_bytes(), &key);
                    assert_eq!(public.to_base64(), STANDARD.encode(key));
                }
                None => assert_eq!(ours, Err(Error::LowOrderPublicKey)),
            }
        }
    }
});
