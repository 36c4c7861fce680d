//! `Recipient::seal_with_rng` and `Recipient::seal_many_with_rng` for any accepted key
//! and any ephemeral secrets give libsodium's boxes byte for byte. This drives the
//! precomputed table (the scalar's digit recoding, the constant-time row scan, the
//! batched inversion of `seal_many`) and, for keys on the twist, the ladder fallback.
//!
//! Input: a key, up to 40 ephemeral secrets (32 or more also take the threaded path)
//! and one message.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sealpost_fuzz::{FixedEphemerals, sodium};
use sealpost_seal::{PublicKey, Recipient};

#[derive(Arbitrary, Debug)]
struct Input {
    key: [u8; 32],
    ephemerals: Vec<[u8; 32]>,
    message: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let Input {
        key,
        mut ephemerals,
        message,
    } = input;
    ephemerals.truncate(40);
    let Ok(public) = PublicKey::from_bytes(&key) else {
        // Refused keys are `public_key_bytes`' business.
        return;
    };
    let recipient = Recipient::new(&public);
    let expected: Vec<Vec<u8>> = ephemerals
        .iter()
        .map(|ephemeral| {
            sodium::seal_with_ephemeral(&key, ephemeral, &message)
                .expect("libsodium accepts every key we accept")
        })
        .collect();
    if let (Some(first), Some(box_of_first)) = (ephemerals.first(), expected.first()) {
        let sealed = recipient.seal_with_rng(&mut FixedEphemerals::one(*first), &message);
        assert_eq!(
            &sealed, box_of_first,
            "Recipient::seal is not libsodium's box"
        );
    }
    let messages = vec![message.as_slice(); ephemerals.len()];
    let many = recipient.seal_many_with_rng(&mut FixedEphemerals::new(ephemerals), &messages);
    assert_eq!(many, expected, "seal_many is not libsodium's boxes");
});
