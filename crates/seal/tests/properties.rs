//! Properties that hold for every input: round trips, sizes, refusal of damage,
//! agreement of the one-shot and prepared paths, and secrecy of secret keys.

#![allow(clippy::unwrap_used, unsafe_code)]

mod common;

use proptest::prelude::*;
use sealpost_seal::rand_core::{TryCryptoRng, TryRng};
use sealpost_seal::{Error, PublicKey, Recipient, SEAL_OVERHEAD, SecretKey};

/// Repeats the 32 bytes it was given: enough for one seal.
struct Bytes32([u8; 32], usize);

impl TryRng for Bytes32 {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for byte in dst {
            *byte = self.0[self.1 % 32];
            self.1 += 1;
        }
        Ok(())
    }
}

impl TryCryptoRng for Bytes32 {}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn seal_then_open_round_trips(sk in any::<[u8; 32]>(), msg in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let secret = SecretKey::from_bytes(&sk);
        let sealed = secret.public_key().seal(&msg);
        prop_assert_eq!(sealed.len(), msg.len() + SEAL_OVERHEAD);
        prop_assert_eq!(secret.open(&sealed).unwrap(), msg);
    }

    #[test]
    fn recipient_and_public_key_seal_alike(sk in any::<[u8; 32]>(), esk in any::<[u8; 32]>(), msg in proptest::collection::vec(any::<u8>(), 0..512)) {
        let public = SecretKey::from_bytes(&sk).public_key();
        let one_shot = public.seal_with_rng(&mut Bytes32(esk, 0), &msg);
        let prepared = Recipient::new(&public).seal_with_rng(&mut Bytes32(esk, 0), &msg);
        prop_assert_eq!(one_shot, prepared);
    }

    #[test]
    fn any_damage_is_refused(sk in any::<[u8; 32]>(), msg in proptest::collection::vec(any::<u8>(), 0..256), bit in any::<prop::sample::Index>()) {
        let secret = SecretKey::from_bytes(&sk);
        let mut sealed = secret.public_key().seal(&msg);
        let bit = bit.index(sealed.len() * 8);
        sealed[bit / 8] ^= 1 << (bit % 8);
        prop_assert_eq!(secret.open(&sealed), Err(Error::Decryption));
    }

    #[test]
    fn open_never_panics(sk in any::<[u8; 32]>(), sealed in proptest::collection::vec(any::<u8>(), 0..200)) {
        let result = SecretKey::from_bytes(&sk).open(&sealed);
        if sealed.len() < SEAL_OVERHEAD {
            prop_assert_eq!(result, Err(Error::SealedBoxTooShort { actual: sealed.len() }));
        } else {
            prop_assert_eq!(result, Err(Error::Decryption));
        }
    }

    #[test]
    fn key_parsers_never_panic(text in ".{0,80}", bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        let _ = PublicKey::from_base64(&text);
        let _ = SecretKey::from_base64(&text);
        match PublicKey::from_slice(&bytes) {
            Ok(key) => prop_assert_eq!(&key.as_bytes()[..], &bytes[..]),
            Err(Error::KeyLength { actual, .. }) => prop_assert_ne!(actual, 32),
            Err(err) => prop_assert_eq!(err, Error::LowOrderPublicKey),
        }
    }

    #[test]
    fn base64_round_trips(sk in any::<[u8; 32]>()) {
        let secret = SecretKey::from_bytes(&sk);
        let public = secret.public_key();
        prop_assert_eq!(PublicKey::from_base64(&public.to_base64()).unwrap(), public);
        prop_assert_eq!(&public.to_string().parse::<PublicKey>().unwrap(), &public);
        prop_assert!(SecretKey::from_base64(&secret.to_base64()).unwrap() == secret);
    }

    #[test]
    fn debug_of_a_secret_key_shows_no_key_material(sk in any::<[u8; 32]>()) {
        let secret = SecretKey::from_bytes(&sk);
        let debug = format!("{secret:?} {secret:#?}");
        prop_assert_eq!(format!("{secret:?}"), "SecretKey { .. }");
        prop_assert!(!debug.contains(secret.to_base64().as_str()));
        prop_assert!(!debug.contains(&common::hex(&sk)));
        let array = format!("{sk:?}");
        prop_assert!(!debug.contains(&array));
    }
}

#[test]
fn base64_errors_say_what_is_wrong_without_echoing_the_input() {
    let secret_text = "not*base64!secret";
    let err = SecretKey::from_base64(secret_text).unwrap_err();
    assert!(matches!(err, Error::Base64 { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.starts_with("secret key is not valid base64"),
        "{message}"
    );
    assert!(!message.contains(secret_text));

    // 31 bytes of base64: a key cut short when copied.
    let short = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
    assert_eq!(
        PublicKey::from_base64(short).unwrap_err().to_string(),
        "public key must be exactly 32 bytes, but 31 bytes were given; \
         check that the whole key was copied"
    );
    // Surrounding whitespace (a pasted line) is forgiven.
    let key = SecretKey::from_bytes(&[7; 32]).public_key();
    assert_eq!(PublicKey::from_base64(&format!("  {key}\n")).unwrap(), key);
}

#[test]
fn error_messages_are_actionable() {
    assert_eq!(
        Error::LowOrderPublicKey.to_string(),
        "public key is a low-order point, which would make the sealed box readable by \
         anyone; the key is corrupt or malicious: fetch it again from its source"
    );
    assert_eq!(
        Error::SealedBoxTooShort { actual: 10 }.to_string(),
        "sealed box is 10 bytes, but every sealed box is at least 48 bytes \
         (32-byte ephemeral key and 16-byte tag); the input was truncated or is not a sealed box"
    );
    assert_eq!(
        Error::Decryption.to_string(),
        "sealed box could not be opened: it was sealed to a different public key, \
         or it was modified after sealing"
    );
}

#[test]
fn secret_keys_are_wiped_on_drop() {
    use std::mem::ManuallyDrop;
    let mut key = ManuallyDrop::new(SecretKey::from_bytes(&[0x5a; 32]));
    let size = std::mem::size_of::<SecretKey>();
    let ptr = (&raw const *key).cast::<u8>();
    // SAFETY: `key` lives in this frame for the whole test; we read its `size` bytes.
    let before = unsafe { std::slice::from_raw_parts(ptr, size) }.to_vec();
    assert!(before.iter().any(|&b| b != 0));
    // SAFETY: the value is dropped exactly once and never used again; its storage
    // (owned by the `ManuallyDrop`) stays valid, so reading the bytes is sound.
    unsafe { ManuallyDrop::drop(&mut key) };
    let after = unsafe { std::slice::from_raw_parts(ptr, size) };
    assert!(after.iter().all(|&b| b == 0), "{after:02x?}");
}
