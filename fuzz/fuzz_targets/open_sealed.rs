//! A real sealed box, then damage: seal a fuzzer-chosen message to a fuzzer-chosen key
//! with a fuzzer-chosen ephemeral secret, check the box is byte for byte libsodium's,
//! that both open it, and that after any change both refuse it.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sealpost_fuzz::{FixedEphemerals, sodium};
use sealpost_seal::{Error, SecretKey};

#[derive(Debug, Arbitrary)]
struct Input {
    secret: [u8; 32],
    ephemeral: [u8; 32],
    message: Vec<u8>,
    /// Bit flips: (byte index modulo the box's length, mask).
    flips: Vec<(u16, u8)>,
    /// Keep only this many bytes (modulo the length plus one).
    truncate: Option<u16>,
    /// Bytes appended at the end.
    append: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let recipient = SecretKey::from_bytes(&input.secret);
    let public = recipient.public_key();
    let sealed = public.seal_with_rng(&mut FixedEphemerals::one(input.ephemeral), &input.message);

    let expected = sodium::seal_with_ephemeral(public.as_bytes(), &input.ephemeral, &input.message);
    assert_eq!(Some(&sealed), expected.as_ref(), "not libsodium's box");
    assert_eq!(recipient.open(&sealed).as_ref(), Ok(&input.message));
    assert_eq!(
        sodium::open(&input.secret, &sealed).as_ref(),
        Some(&input.message)
    );

    let mut damaged = sealed.clone();
    for &(index, mask) in &input.flips {
        let len = damaged.len();
        damaged[usize::from(index) % len] ^= mask;
    }
    if let Some(keep) = input.truncate {
        damaged.truncate(usize::from(keep) % (damaged.len() + 1));
    }
    damaged.extend_from_slice(&input.append);

    let ours = recipient.open(&damaged);
    let theirs = sodium::open(&input.secret, &damaged);
    if damaged == sealed {
        assert_eq!(ours.as_ref(), Ok(&input.message));
        assert_eq!(theirs.as_ref(), Some(&input.message));
    } else {
        assert!(theirs.is_none(), "libsodium opened a damaged box");
        let expected = if damaged.len() < 48 {
            Error::SealedBoxTooShort {
                actual: damaged.len(),
            }
        } else {
            Error::Decryption
        };
        assert_eq!(ours, Err(expected));
    }
});
