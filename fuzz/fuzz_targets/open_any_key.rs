//! `SecretKey::open` with arbitrary bytes: the first 32 are the secret key, the rest the
//! sealed box. Our result must be libsodium's `crypto_box_seal_open`'s, and the error
//! must be the one the length calls for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sealpost_fuzz::sodium;
use sealpost_seal::{Error, SEAL_OVERHEAD, SecretKey};

fuzz_target!(|data: &[u8]| {
    let Some((secret, sealed)) = data.split_first_chunk::<32>() else {
        return;
    };
    let ours = SecretKey::from_bytes(secret).open(sealed);
    match (&ours, sodium::open(secret, sealed)) {
        (Ok(ours), Some(theirs)) => assert_eq!(*ours, theirs),
        (Err(Error::SealedBoxTooShort { actual }), None) => {
            assert!(sealed.len() < SEAL_OVERHEAD && *actual == sealed.len());
        }
        (Err(Error::Decryption), None) => assert!(sealed.len() >= SEAL_OVERHEAD),
        (ours, theirs) => panic!("we gave {ours:?}, libsodium {theirs:?}"),
    }
});
