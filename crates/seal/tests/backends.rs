//! Whatever the backend (AWS-LC or portable, AVX2 or not, precomputed recipient table
//! or not), a sealed box is byte for byte the one libsodium makes from the same
//! ephemeral secret. Run under both `cargo test` and `cargo test --no-default-features`.
//!
//! The expected box is assembled from libsodium's own primitives, exactly as its
//! `crypto_box_seal` does: `epk = crypto_scalarmult_base(esk)`,
//! `nonce = crypto_generichash(24, epk || pk)`, then `epk || crypto_box_easy(...)`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{random_32, sodium};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng as _;
use sealpost_seal::{PublicKey, Recipient, SecretKey};

/// libsodium's sealed box of `msg` to `pk` with the ephemeral secret `esk`, or `None`
/// where libsodium refuses the key.
fn sodium_seal_with(esk: &[u8; 32], pk: &[u8; 32], msg: &[u8]) -> Option<Vec<u8>> {
    let epk = sodium::public_key(esk);
    let nonce: [u8; 24] = sodium::generichash(24, &[epk, *pk].concat())
        .try_into()
        .unwrap();
    let boxed = sodium::box_easy(msg, &nonce, pk, esk)?;
    Some([&epk[..], &boxed].concat())
}

/// Lengths around every boundary of the implementation: the first keystream block
/// (32 message bytes), the eight-block chunks (512 bytes after those), the switch to
/// chunked keystream for tails (192 bytes), and Poly1305's switch at 1.5 KiB.
const LENGTHS: &[usize] = &[
    0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 96, 223, 224, 225, 255, 256, 300, 511, 512, 543, 544,
    545, 736, 737, 1000, 1023, 1024, 1025, 1055, 1056, 1057, 1248, 1249, 1535, 1536, 1537, 4096,
    12_345, 49_152, 49_159,
];

fn message(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 131 + 7).to_le_bytes()[0]).collect()
}

#[test]
fn same_ephemeral_secret_gives_libsodiums_bytes_for_every_length() {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let secret = SecretKey::generate_with_rng(&mut rng);
    let public = secret.public_key();
    let recipient = Recipient::new(&public);
    for &len in LENGTHS {
        let msg = message(len);
        let mut fork = rng.clone();
        let esk = random_32(&mut fork);
        let expected = sodium_seal_with(&esk, public.as_bytes(), &msg).unwrap();
        let mut again = rng.clone();
        assert_eq!(
            public.seal_with_rng(&mut rng, &msg),
            expected,
            "PublicKey, len {len}"
        );
        assert_eq!(
            recipient.seal_with_rng(&mut again, &msg),
            expected,
            "Recipient, len {len}"
        );
        assert_eq!(secret.open(&expected).unwrap(), msg, "open, len {len}");
    }
}

/// Keys no key generator makes but libsodium accepts: random `u` (half of them on the
/// twist, where the recipient table does not apply), the same with the ignored top bit
/// set, and small values written non-canonically as `u + p`.
#[test]
fn crafted_public_keys_give_libsodiums_bytes() {
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    let mut keys = Vec::new();
    for _ in 0..24 {
        let u = random_32(&mut rng);
        let mut high = u;
        high[31] |= 0x80;
        let mut low = u;
        low[31] &= 0x7f;
        keys.extend([high, low]);
    }
    for small in 2u8..=18 {
        let mut u = [0u8; 32];
        u[0] = small;
        let mut plus_p = [0xff; 32];
        plus_p[0] = 0xed + small;
        plus_p[31] = 0x7f;
        let mut plus_p_high = plus_p;
        plus_p_high[31] = 0xff;
        keys.extend([u, plus_p, plus_p_high]);
    }
    for key in keys {
        let public = PublicKey::from_bytes(&key).unwrap();
        let recipient = Recipient::new(&public);
        for len in [0, 32, 1100] {
            let msg = message(len);
            let mut fork = rng.clone();
            let esk = random_32(&mut fork);
            let expected = sodium_seal_with(&esk, &key, &msg).unwrap();
            let mut again = rng.clone();
            assert_eq!(
                public.seal_with_rng(&mut rng, &msg),
                expected,
                "key {key:02x?}"
            );
            assert_eq!(
                recipient.seal_with_rng(&mut again, &msg),
                expected,
                "key {key:02x?}"
            );
        }
    }
}

#[test]
#[cfg(feature = "getrandom")]
fn libsodium_and_sealpost_open_each_others_boxes() {
    let secret = SecretKey::generate();
    let pk = *secret.public_key().as_bytes();
    let sk = *secret.to_bytes();
    let recipient = Recipient::new(&secret.public_key());
    for &len in LENGTHS {
        let msg = message(len);
        assert_eq!(secret.open(&sodium::seal(&msg, &pk).unwrap()).unwrap(), msg);
        assert_eq!(
            sodium::seal_open(&secret.public_key().seal(&msg), &pk, &sk).unwrap(),
            msg
        );
        assert_eq!(
            sodium::seal_open(&recipient.seal(&msg), &pk, &sk).unwrap(),
            msg
        );
    }
}

#[test]
#[cfg(feature = "getrandom")]
fn any_flipped_bit_is_refused_by_both() {
    let secret = SecretKey::generate();
    let pk = *secret.public_key().as_bytes();
    let sk = *secret.to_bytes();
    for len in [0, 40, 1500] {
        let sealed = secret.public_key().seal(&message(len));
        for bit in (0..sealed.len() * 8).step_by(7) {
            let mut tampered = sealed.clone();
            tampered[bit / 8] ^= 1 << (bit % 8);
            // Flipping the ignored top bit of the ephemeral key changes the nonce, so
            // libsodium refuses that box too.
            assert_eq!(
                secret.open(&tampered),
                Err(sealpost_seal::Error::Decryption),
                "bit {bit}"
            );
            assert_eq!(sodium::seal_open(&tampered, &pk, &sk), None, "bit {bit}");
        }
    }
}

#[test]
fn seal_many_equals_a_loop_of_seals() {
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    let secret = SecretKey::generate_with_rng(&mut rng);
    let recipient = Recipient::new(&secret.public_key());
    // Large enough to be spread over threads, with uneven lengths and an uneven count.
    let msgs: Vec<Vec<u8>> = (0..101).map(|i| message(i * 13 % 700)).collect();
    let mut loop_rng = rng.clone();
    let looped: Vec<Vec<u8>> = msgs
        .iter()
        .map(|m| recipient.seal_with_rng(&mut loop_rng, m))
        .collect();
    assert_eq!(recipient.seal_many_with_rng(&mut rng, &msgs), looped);
}

#[test]
#[cfg(feature = "getrandom")]
fn seal_many_boxes_open() {
    let secret = SecretKey::generate();
    let recipient = Recipient::new(&secret.public_key());
    let msgs: Vec<Vec<u8>> = (0..101).map(|i| message(i * 13 % 700)).collect();
    let sealed = recipient.seal_many(&msgs);
    assert_eq!(sealed.len(), msgs.len());
    for (sealed, msg) in sealed.iter().zip(&msgs) {
        assert_eq!(&secret.open(sealed).unwrap(), msg);
    }
    assert!(recipient.seal_many::<&[u8]>(&[]).is_empty());
}
