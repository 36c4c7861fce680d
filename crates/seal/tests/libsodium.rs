//! Interoperability with libsodium itself: boxes sealed here open with
//! `crypto_box_seal_open`, boxes sealed by `crypto_box_seal` open here, keys derive alike,
//! and both sides refuse the same keys and the same damaged boxes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_possible_truncation
)]

mod common;

use common::{message_lengths, random_32, random_bytes, sodium, test_rng};
use sealpost_seal::{Error, PublicKey, Recipient, SEAL_OVERHEAD, SecretKey};

#[test]
fn sealed_here_opens_in_libsodium() {
    let mut rng = test_rng(1);
    let (pk, sk) = sodium::keypair();
    let public = PublicKey::from_bytes(&pk).unwrap();
    let lengths = message_lengths(&mut rng, 2_000);
    for (i, &len) in lengths.iter().enumerate() {
        let msg = random_bytes(&mut rng, len);
        let sealed = public.seal(&msg);
        assert_eq!(sealed.len(), len + SEAL_OVERHEAD);
        let opened = sodium::seal_open(&sealed, &pk, &sk);
        assert_eq!(
            opened.as_deref(),
            Some(&msg[..]),
            "message {i} of {len} bytes"
        );
    }
}

#[test]
fn sealed_through_recipient_opens_in_libsodium() {
    let mut rng = test_rng(2);
    let (pk, sk) = sodium::keypair();
    let recipient = Recipient::new(&PublicKey::from_bytes(&pk).unwrap());
    for len in message_lengths(&mut rng, 500) {
        let msg = random_bytes(&mut rng, len);
        let sealed = recipient.seal(&msg);
        assert_eq!(
            sodium::seal_open(&sealed, &pk, &sk).as_deref(),
            Some(&msg[..])
        );
    }
}

#[test]
fn sealed_in_libsodium_opens_here() {
    let mut rng = test_rng(3);
    let (pk, sk) = sodium::keypair();
    let secret = SecretKey::from_bytes(&sk);
    assert_eq!(secret.public_key().as_bytes(), &pk);
    let lengths = message_lengths(&mut rng, 2_000);
    for (i, &len) in lengths.iter().enumerate() {
        let msg = random_bytes(&mut rng, len);
        let sealed = sodium::seal(&msg, &pk).unwrap();
        assert_eq!(
            secret.open(&sealed).unwrap(),
            msg,
            "message {i} of {len} bytes"
        );
    }
}

#[test]
fn base64_seal_opens_in_libsodium() {
    use base64::Engine as _;
    let (pk, sk) = sodium::keypair();
    let public =
        PublicKey::from_base64(&base64::engine::general_purpose::STANDARD.encode(pk)).unwrap();
    let sealed_b64 = public.seal_base64("päss wörd ✓\n".as_bytes());
    let sealed = base64::engine::general_purpose::STANDARD
        .decode(sealed_b64)
        .unwrap();
    assert_eq!(
        sodium::seal_open(&sealed, &pk, &sk).unwrap(),
        "päss wörd ✓\n".as_bytes()
    );
}

#[test]
fn public_keys_derive_as_in_libsodium() {
    let mut rng = test_rng(4);
    for _ in 0..1_000 {
        let sk = random_32(&mut rng);
        assert_eq!(
            SecretKey::from_bytes(&sk).public_key().as_bytes(),
            &sodium::public_key(&sk)
        );
    }
    // And keys generated here work with libsodium.
    let secret = SecretKey::generate();
    let pk = *secret.public_key().as_bytes();
    assert_eq!(sodium::public_key(&secret.to_bytes()), pk);
    let sealed = sodium::seal(b"both ways", &pk).unwrap();
    assert_eq!(secret.open(&sealed).unwrap(), b"both ways");
}

#[test]
fn every_small_order_encoding_is_refused_like_libsodium() {
    // Derive the small-order points independently of our list: the u-coordinates of
    // curve25519-dalek's eight torsion points (0, 1 and the two order-8 points), the
    // twist's point of order 4 (u = -1 = p - 1), and the non-canonical encodings p and
    // p + 1 of 0 and 1, each with the top bit (ignored by X25519) clear and set.
    let mut candidates: Vec<[u8; 32]> = curve25519_dalek::constants::EIGHT_TORSION
        .iter()
        .map(|point| point.to_montgomery().to_bytes())
        .collect();
    let p: [u8; 32] = {
        let mut p = [0xff; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        p
    };
    let mut p_plus_1 = p;
    p_plus_1[0] = 0xee;
    let mut p_minus_1 = p;
    p_minus_1[0] = 0xec;
    candidates.extend([p, p_plus_1, p_minus_1]);
    candidates.sort_unstable();
    candidates.dedup();
    assert_eq!(
        candidates.len(),
        7,
        "0, 1, p-1, two points of order 8, p, p+1"
    );
    let with_top_bit: Vec<[u8; 32]> = candidates
        .iter()
        .map(|c| {
            let mut c = *c;
            c[31] |= 0x80;
            c
        })
        .collect();
    candidates.extend(with_top_bit);

    let (_, esk) = sodium::keypair();
    for candidate in &candidates {
        // Small order indeed: a clamped scalar (a multiple of 8) sends it to zero.
        let product = curve25519_dalek::montgomery::MontgomeryPoint(*candidate).mul_clamped(esk);
        assert_eq!(product.to_bytes(), [0u8; 32], "{candidate:02x?}");
        assert_eq!(
            PublicKey::from_bytes(candidate),
            Err(Error::LowOrderPublicKey),
            "{candidate:02x?}"
        );
        assert_eq!(
            sodium::seal(b"x", candidate),
            None,
            "libsodium refuses it too"
        );
        assert_eq!(sodium::beforenm(candidate, &esk), None);
    }
}

#[test]
fn keys_libsodium_accepts_are_accepted() {
    // Random strings (about half are points on the twist), with and without the top
    // bit, and the non-canonical encodings p + 2 ..= p + 18 of 2 ..= 18.
    let mut rng = test_rng(5);
    let mut keys: Vec<[u8; 32]> = (0..2_000).map(|_| random_32(&mut rng)).collect();
    for k in 2..=18u8 {
        let mut key = [0xff; 32];
        key[0] = 0xed + k;
        key[31] = 0x7f;
        keys.push(key);
        keys.push({
            let mut small = [0u8; 32];
            small[0] = k;
            small
        });
    }
    for key in keys {
        let libsodium_accepts = sodium::seal(b"x", &key).is_some();
        assert_eq!(
            PublicKey::from_bytes(&key).is_ok(),
            libsodium_accepts,
            "{key:02x?}"
        );
    }
}

#[test]
fn opening_refuses_what_libsodium_refuses() {
    let mut rng = test_rng(6);
    let (pk, sk) = sodium::keypair();
    let secret = SecretKey::from_bytes(&sk);
    let msg = random_bytes(&mut rng, 40);
    let sealed = sodium::seal(&msg, &pk).unwrap();

    // Too short to be a box at all.
    for len in 0..SEAL_OVERHEAD {
        assert_eq!(
            secret.open(&sealed[..len]),
            Err(Error::SealedBoxTooShort { actual: len })
        );
    }
    // Any single flipped bit, in the ephemeral key, the tag or the ciphertext.
    for bit in 0..sealed.len() * 8 {
        let mut damaged = sealed.clone();
        damaged[bit / 8] ^= 1 << (bit % 8);
        assert_eq!(secret.open(&damaged), Err(Error::Decryption), "bit {bit}");
        assert_eq!(sodium::seal_open(&damaged, &pk, &sk), None, "bit {bit}");
    }
    // Truncated or extended by a byte.
    assert_eq!(
        secret.open(&sealed[..sealed.len() - 1]),
        Err(Error::Decryption)
    );
    let mut longer = sealed.clone();
    longer.push(0);
    assert_eq!(secret.open(&longer), Err(Error::Decryption));
    // Another recipient's key.
    let (_, other_sk) = sodium::keypair();
    assert_eq!(
        SecretKey::from_bytes(&other_sk).open(&sealed),
        Err(Error::Decryption)
    );
    // An ephemeral key of small order (a box libsodium would never make).
    for epk in [[0u8; 32], {
        let mut one = [0u8; 32];
        one[0] = 1;
        one
    }] {
        let mut forged = sealed.clone();
        forged[..32].copy_from_slice(&epk);
        assert_eq!(secret.open(&forged), Err(Error::Decryption));
        assert_eq!(sodium::seal_open(&forged, &pk, &sk), None);
    }
    // The untouched box still opens.
    assert_eq!(secret.open(&sealed).unwrap(), msg);
}
