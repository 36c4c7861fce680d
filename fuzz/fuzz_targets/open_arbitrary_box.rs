//! `SecretKey::open` with a fixed, valid secret key and an arbitrary sealed box; the
//! result must be libsodium's. (Forging a box is out of a fuzzer's reach: this mostly
//! exercises length checks and small-order ephemeral keys, which the fuzzer finds by
//! comparison tracing.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use sealpost_fuzz::sodium;
use sealpost_seal::{Error, SecretKey};

/// Any fixed key will do; this one is RFC 7748's Alice.
const SECRET: [u8; 32] = [
    0x77, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d, 0x3c, 0x16, 0xc1, 0x72, 0x51, 0xb2, 0x66, 0x45,
    0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0, 0x99, 0x2a, 0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb2, 0xc6, 0x2a,
];

fuzz_target!(|sealed: &[u8]| {
    let ours = SecretKey::from_bytes(&SECRET).open(sealed);
    match (&ours, sodium::open(&SECRET, sealed)) {
        (Ok(ours), Some(theirs)) => assert_eq!(*ours, theirs),
        (Err(Error::SealedBoxTooShort { actual }), None) => assert_eq!(*actual, sealed.len()),
        (Err(Error::Decryption), None) => assert!(sealed.len() >= 48),
        (ours, theirs) => panic!("we gave {ours:?}, libsodium {theirs:?}"),
    }
});
