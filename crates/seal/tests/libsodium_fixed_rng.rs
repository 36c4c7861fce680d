//! With the same random bytes, sealpost and libsodium produce the same sealed box.
//!
//! libsodium draws its ephemeral secret key from `randombytes_buf`; this test binary
//! replaces libsodium's random source (`randombytes_set_implementation`) with one that
//! hands out bytes the test chose, then compares `crypto_box_seal`'s output with
//! `seal_with_rng` given the same bytes. The comparison covers the ephemeral public key,
//! the nonce derivation and the box, for ordinary keys and for crafted ones (top bit
//! set, points on the twist, non-canonical encodings). It lives in its own test binary
//! because the replacement is global to the process.

#![allow(unsafe_code, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Once;

use common::{hex, message_lengths, random_32, random_bytes, sodium, test_rng};
use curve25519_dalek::montgomery::MontgomeryPoint;
use hex_literal::hex;
use libsodium_sys as ffi;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::Rng as _;
use sealpost_seal::rand_core::{TryCryptoRng, TryRng};
use sealpost_seal::{PublicKey, Recipient, SecretKey};

// ---------------------------------------------------------------------------------
// Known answers. Produced by libsodium 1.0.22's `crypto_box_seal` with its random
// source returning `esk` (see `print_known_answers`, which regenerates them), and
// checked below against both libsodium and sealpost.

struct KnownAnswer {
    recipient_sk: [u8; 32],
    esk: [u8; 32],
    msg: &'static [u8],
    sealed: &'static [u8],
}

const KNOWN_ANSWERS: &[KnownAnswer] = &[
    KnownAnswer {
        recipient_sk: hex!("0101010101010101010101010101010101010101010101010101010101010101"),
        esk: hex!("7575757575757575757575757575757575757575757575757575757575757575"),
        msg: &hex!(""),
        sealed: &hex!(
            "43f276c4881efa6f7e1118aa7a59b1ebb1bf750c3206325109cb0f74c6a83f08ad317e4b36bb51a726dadb9bfbe071b2"
        ),
    },
    KnownAnswer {
        recipient_sk: hex!("0202020202020202020202020202020202020202020202020202020202020202"),
        esk: hex!("8686868686868686868686868686868686868686868686868686868686868686"),
        msg: &hex!("68756e74657232"),
        sealed: &hex!(
            "a81112c7b17f9334a0f7fff5dbc8238a8ac128829610b933c730a47c8e0762660e70f5dcdacda2539403a41f9dd2e72d265df4e91dc26b"
        ),
    },
    KnownAnswer {
        recipient_sk: hex!("0303030303030303030303030303030303030303030303030303030303030303"),
        esk: hex!("9797979797979797979797979797979797979797979797979797979797979797"),
        msg: &hex!("70c3a473732077c3b6726420e29c930a"),
        sealed: &hex!(
            "214710727d2453f979603598982ad6c845085adba2b59fc3b30ecf7d8e8f3f6d7dee5077ab76a7af5583bac1f30c2fd0a886c89c77509d59eb2946e8f852c52e"
        ),
    },
    KnownAnswer {
        recipient_sk: hex!("0404040404040404040404040404040404040404040404040404040404040404"),
        esk: hex!("a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8a8"),
        msg: &hex!(
            "a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5"
        ),
        sealed: &hex!(
            "f4c4706c6189a1dd5a5f83ffb4d3cd4fecffd75e072c7dab9e3c7bea1c38e17304101454a66ca257bfcff5c09ea238a910b568c532dadae7425ccc3a4390a4ea57d10f0c3db925e599e398216efe8aa57e8a9b60eb0d8acd13aff7f701e4c4d380439c549bd228b79ffd80bf4f62da63442b5794483ee84e6ecc730529e105f720df8496f15d52fba1e0305aaa1ed6e93e65b307"
        ),
    },
];

#[test]
fn known_answers_match_sealpost_and_libsodium() {
    for (i, kat) in KNOWN_ANSWERS.iter().enumerate() {
        let secret = SecretKey::from_bytes(&kat.recipient_sk);
        let public = secret.public_key();
        assert_eq!(
            public.seal_with_rng(&mut FixedRng::new(&kat.esk), kat.msg),
            kat.sealed,
            "vector {i}: sealpost"
        );
        assert_eq!(
            libsodium_seal_with(&kat.esk, kat.msg, public.as_bytes()).unwrap(),
            kat.sealed,
            "vector {i}: libsodium"
        );
        assert_eq!(
            secret.open(kat.sealed).unwrap(),
            kat.msg,
            "vector {i}: open"
        );
    }
    assert!(KNOWN_ANSWERS.len() >= 4);
}

/// Prints the known answers above from libsodium alone (sealpost is not called):
/// `cargo test -p sealpost-seal --test libsodium_fixed_rng -- --ignored --nocapture`.
#[test]
#[ignore = "generator for KNOWN_ANSWERS, run by hand"]
fn print_known_answers() {
    let cases: [(&[u8], u8); 4] = [
        (b"", 1),
        (b"hunter2", 2),
        ("p\u{e4}ss w\u{f6}rd \u{2713}\n".as_bytes(), 3),
        (&[0xa5; 100], 4),
    ];
    for (msg, seed) in cases {
        let recipient_sk = [seed; 32];
        let esk = [seed.wrapping_mul(17).wrapping_add(100); 32];
        let pk = sodium::public_key(&recipient_sk);
        let sealed = libsodium_seal_with(&esk, msg, &pk).unwrap();
        println!("    KnownAnswer {{");
        println!("        recipient_sk: hex!(\"{}\"),", hex(&recipient_sk));
        println!("        esk: hex!(\"{}\"),", hex(&esk));
        println!("        msg: &hex!(\"{}\"),", hex(msg));
        println!("        sealed: &hex!(\"{}\"),", hex(&sealed));
        println!("    }},");
    }
}

// ---------------------------------------------------------------------------------
// Same bytes in, same box out.

#[test]
fn same_randomness_gives_libsodiums_box() {
    let mut rng = test_rng(10);
    for len in message_lengths(&mut rng, 300) {
        let (pk, _) = sodium::keypair();
        let esk = random_32(&mut rng);
        let msg = random_bytes(&mut rng, len);
        let expected = libsodium_seal_with(&esk, &msg, &pk).unwrap();
        let public = PublicKey::from_bytes(&pk).unwrap();
        assert_eq!(
            public.seal_with_rng(&mut FixedRng::new(&esk), &msg),
            expected
        );
        assert_eq!(
            Recipient::new(&public).seal_with_rng(&mut FixedRng::new(&esk), &msg),
            expected
        );
    }
}

#[test]
fn ephemeral_key_and_nonce_are_libsodiums() {
    let mut rng = test_rng(11);
    for _ in 0..200 {
        let (pk, sk) = sodium::keypair();
        let esk = random_32(&mut rng);
        let sealed = PublicKey::from_bytes(&pk)
            .unwrap()
            .seal_with_rng(&mut FixedRng::new(&esk), b"nonce check");
        let epk: [u8; 32] = sealed[..32].try_into().unwrap();
        assert_eq!(epk, sodium::public_key(&esk));
        // The nonce is BLAKE2b with digest length 24 over epk || pk: with libsodium's
        // nonce, its plain `crypto_box_open_easy` opens the rest of our box.
        let nonce: [u8; 24] = sodium::generichash(24, &[epk, pk].concat())
            .try_into()
            .unwrap();
        assert_eq!(
            sodium::box_open_easy(&sealed[32..], &nonce, &epk, &sk).unwrap(),
            b"nonce check"
        );
    }
}

#[test]
fn crafted_public_keys_give_libsodiums_box() {
    let mut rng = test_rng(12);
    let mut keys: Vec<[u8; 32]> = Vec::new();
    // Random strings with the top bit clear and set; about half are on the twist.
    for _ in 0..400 {
        let mut key = random_32(&mut rng);
        key[31] &= 0x7f;
        keys.push(key);
        key[31] |= 0x80;
        keys.push(key);
    }
    // Ordinary public keys with the (ignored) top bit set.
    for _ in 0..100 {
        let (mut pk, _) = sodium::keypair();
        pk[31] |= 0x80;
        keys.push(pk);
    }
    // Small coordinates and their non-canonical encodings p + k.
    for k in 2..=18u8 {
        let mut small = [0u8; 32];
        small[0] = k;
        keys.push(small);
        let mut non_canonical = [0xff; 32];
        non_canonical[0] = 0xed + k;
        non_canonical[31] = 0x7f;
        keys.push(non_canonical);
        non_canonical[31] = 0xff;
        keys.push(non_canonical);
    }

    let mut on_twist = 0;
    for key in keys {
        // `to_edwards` exists only for points on the curve itself.
        if MontgomeryPoint(key).to_edwards(0).is_none() {
            on_twist += 1;
        }
        let esk = random_32(&mut rng);
        let msg = random_bytes(&mut rng, 33);
        let expected = libsodium_seal_with(&esk, &msg, &key)
            .unwrap_or_else(|| panic!("libsodium refused {key:02x?}"));
        let public = PublicKey::from_bytes(&key).unwrap();
        assert_eq!(
            public.seal_with_rng(&mut FixedRng::new(&esk), &msg),
            expected,
            "{key:02x?}"
        );
        assert_eq!(
            Recipient::new(&public).seal_with_rng(&mut FixedRng::new(&esk), &msg),
            expected,
            "{key:02x?}"
        );
        // And the box key itself is libsodium's `crypto_box_beforenm`: the box opens
        // with libsodium's key under libsodium's nonce.
        assert!(sodium::beforenm(&key, &esk).is_some());
    }
    assert!(on_twist > 300, "only {on_twist} twist points were tried");
}

#[test]
fn secret_keys_from_the_same_randomness_are_libsodiums() {
    let mut rng = test_rng(13);
    for _ in 0..100 {
        let seed = random_32(&mut rng);
        let ours = SecretKey::generate_with_rng(&mut FixedRng::new(&seed));
        let (pk, sk) = with_libsodium_randomness(&seed, sodium::keypair);
        assert_eq!(*ours.to_bytes(), sk);
        assert_eq!(ours.public_key().as_bytes(), &pk);
    }
}

// ---------------------------------------------------------------------------------
// The fixed random sources.

/// Hands out exactly the bytes it was given, then panics: a seal must take 32.
struct FixedRng(VecDeque<u8>);

impl FixedRng {
    fn new(bytes: &[u8]) -> Self {
        FixedRng(bytes.iter().copied().collect())
    }
}

impl TryRng for FixedRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut bytes = [0u8; 4];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut bytes = [0u8; 8];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for byte in dst {
            *byte = self.0.pop_front().expect("FixedRng ran out of bytes");
        }
        Ok(())
    }
}

impl TryCryptoRng for FixedRng {}

thread_local! {
    /// What libsodium's random source hands out next on this thread: the test's bytes
    /// inside `with_libsodium_randomness`, otherwise `None` and a seeded generator
    /// (for keys the tests do not need to control).
    static LIBSODIUM_BYTES: RefCell<Option<VecDeque<u8>>> = const { RefCell::new(None) };
    static OTHER_BYTES: RefCell<ChaCha20Rng> = RefCell::new(test_rng(99));
}

/// `crypto_box_seal` with its ephemeral secret key taken from `esk`.
fn libsodium_seal_with(esk: &[u8; 32], msg: &[u8], pk: &[u8; 32]) -> Option<Vec<u8>> {
    with_libsodium_randomness(esk, || sodium::seal(msg, pk))
}

/// Runs `f` with libsodium's random source returning exactly `bytes`, and checks that
/// `f` consumed all of them.
fn with_libsodium_randomness<T>(bytes: &[u8], f: impl FnOnce() -> T) -> T {
    install_fixed_random_source();
    LIBSODIUM_BYTES.with(|queue| *queue.borrow_mut() = Some(bytes.iter().copied().collect()));
    let result = f();
    let left = LIBSODIUM_BYTES.with(|queue| queue.borrow_mut().take().map(|q| q.len()));
    assert_eq!(
        left,
        Some(0),
        "libsodium did not use all the random bytes it was given"
    );
    result
}

fn install_fixed_random_source() {
    static INSTALL: Once = Once::new();
    static IMPLEMENTATION: ffi::randombytes_implementation = ffi::randombytes_implementation {
        implementation_name: Some(fixed_name),
        random: Some(fixed_random),
        stir: Some(fixed_stir),
        uniform: None,
        buf: Some(fixed_buf),
        close: Some(fixed_close),
    };
    INSTALL.call_once(|| {
        // SAFETY: `IMPLEMENTATION` is a static, so it outlives every use libsodium makes
        // of the pointer; libsodium requires the call before `sodium_init`, which
        // `sodium::init` (below, and in every helper) runs only after this.
        let rc = unsafe { ffi::randombytes_set_implementation(&raw const IMPLEMENTATION) };
        assert_eq!(rc, 0);
        sodium::init();
    });
}

unsafe extern "C" fn fixed_name() -> *const std::ffi::c_char {
    c"sealpost-tests-fixed".as_ptr()
}

unsafe extern "C" fn fixed_random() -> u32 {
    let mut bytes = [0u8; 4];
    // SAFETY: `bytes` is valid for writes of 4 bytes.
    unsafe { fixed_buf(bytes.as_mut_ptr().cast(), bytes.len()) };
    u32::from_le_bytes(bytes)
}

unsafe extern "C" fn fixed_stir() {}

unsafe extern "C" fn fixed_close() -> std::ffi::c_int {
    0
}

/// Fills libsodium's buffer from this thread's queue. Running out means libsodium asked
/// for more randomness than the test expected: abort loudly (a panic cannot unwind
/// through C).
unsafe extern "C" fn fixed_buf(buf: *mut std::ffi::c_void, size: usize) {
    // SAFETY: libsodium passes a buffer valid for writes of `size` bytes.
    let out = unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), size) };
    LIBSODIUM_BYTES.with(|queue| match queue.borrow_mut().as_mut() {
        Some(queue) => {
            if queue.len() < size {
                println!(
                    "libsodium asked for {size} random bytes, the test gave {}",
                    queue.len()
                );
                std::process::abort();
            }
            for byte in out {
                *byte = queue.pop_front().unwrap_or_default();
            }
        }
        None => OTHER_BYTES.with(|rng| rng.borrow_mut().fill_bytes(out)),
    });
}
