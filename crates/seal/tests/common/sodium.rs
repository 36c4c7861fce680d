//! Safe wrappers over the few libsodium functions the tests use as their oracle.
//!
//! libsodium is built from source by `libsodium-sys-stable`; nothing here is our code.

#![allow(unsafe_code)]

use std::sync::Once;

use libsodium_sys as ffi;

static INIT: Once = Once::new();

/// Initializes libsodium once per process.
pub fn init() {
    INIT.call_once(|| {
        // SAFETY: `sodium_init` takes no arguments and may be called from any thread.
        let rc = unsafe { ffi::sodium_init() };
        assert!(rc >= 0, "sodium_init failed");
    });
}

/// `crypto_box_seal`, or `None` when libsodium refuses the public key.
pub fn seal(msg: &[u8], pk: &[u8; 32]) -> Option<Vec<u8>> {
    init();
    let mut out = vec![0u8; msg.len() + 48];
    // SAFETY: `out` has room for `msg.len() + crypto_box_SEALBYTES` bytes; `msg` and
    // `pk` are valid for reads of their lengths.
    let rc = unsafe {
        ffi::crypto_box_seal(
            out.as_mut_ptr(),
            msg.as_ptr(),
            msg.len() as u64,
            pk.as_ptr(),
        )
    };
    (rc == 0).then_some(out)
}

/// `crypto_box_seal_open`, or `None` when libsodium cannot open the box.
pub fn seal_open(sealed: &[u8], pk: &[u8; 32], sk: &[u8; 32]) -> Option<Vec<u8>> {
    init();
    if sealed.len() < 48 {
        return None;
    }
    let mut out = vec![0u8; sealed.len() - 48];
    // SAFETY: `out` has room for `sealed.len() - crypto_box_SEALBYTES` bytes; all
    // inputs are valid for reads of their lengths.
    let rc = unsafe {
        ffi::crypto_box_seal_open(
            out.as_mut_ptr(),
            sealed.as_ptr(),
            sealed.len() as u64,
            pk.as_ptr(),
            sk.as_ptr(),
        )
    };
    (rc == 0).then_some(out)
}

/// `crypto_box_keypair`: `(public, secret)`.
pub fn keypair() -> ([u8; 32], [u8; 32]) {
    init();
    let (mut pk, mut sk) = ([0u8; 32], [0u8; 32]);
    // SAFETY: both buffers are 32 bytes, the sizes libsodium writes.
    let rc = unsafe { ffi::crypto_box_keypair(pk.as_mut_ptr(), sk.as_mut_ptr()) };
    assert_eq!(rc, 0, "crypto_box_keypair failed");
    (pk, sk)
}

/// `crypto_scalarmult_curve25519_base`: the public key of a secret key.
pub fn public_key(sk: &[u8; 32]) -> [u8; 32] {
    init();
    let mut pk = [0u8; 32];
    // SAFETY: 32-byte output and input, as the function requires.
    let rc = unsafe { ffi::crypto_scalarmult_curve25519_base(pk.as_mut_ptr(), sk.as_ptr()) };
    assert_eq!(rc, 0, "crypto_scalarmult_curve25519_base failed");
    pk
}

/// `crypto_box_beforenm`: the box key for a public and a secret key, or `None` when
/// libsodium refuses the public key.
pub fn beforenm(pk: &[u8; 32], sk: &[u8; 32]) -> Option<[u8; 32]> {
    init();
    let mut k = [0u8; 32];
    // SAFETY: 32-byte output and inputs, as the function requires.
    let rc = unsafe { ffi::crypto_box_beforenm(k.as_mut_ptr(), pk.as_ptr(), sk.as_ptr()) };
    (rc == 0).then_some(k)
}

/// `crypto_box_easy`: `tag || ciphertext` of `msg` under an explicit nonce, or `None`
/// when libsodium refuses the public key.
pub fn box_easy(msg: &[u8], nonce: &[u8; 24], pk: &[u8; 32], sk: &[u8; 32]) -> Option<Vec<u8>> {
    init();
    let mut out = vec![0u8; msg.len() + 16];
    // SAFETY: `out` has room for the 16-byte tag and the ciphertext; all inputs are
    // valid for reads of their lengths.
    let rc = unsafe {
        ffi::crypto_box_easy(
            out.as_mut_ptr(),
            msg.as_ptr(),
            msg.len() as u64,
            nonce.as_ptr(),
            pk.as_ptr(),
            sk.as_ptr(),
        )
    };
    (rc == 0).then_some(out)
}

/// `crypto_box_open_easy`: opens a `crypto_box` (tag || ciphertext) under an explicit
/// nonce, or `None`.
pub fn box_open_easy(
    tag_and_ciphertext: &[u8],
    nonce: &[u8; 24],
    pk: &[u8; 32],
    sk: &[u8; 32],
) -> Option<Vec<u8>> {
    init();
    let mut out = vec![0u8; tag_and_ciphertext.len().checked_sub(16)?];
    // SAFETY: `out` has room for the ciphertext length minus the 16-byte tag; all inputs
    // are valid for reads of their lengths.
    let rc = unsafe {
        ffi::crypto_box_open_easy(
            out.as_mut_ptr(),
            tag_and_ciphertext.as_ptr(),
            tag_and_ciphertext.len() as u64,
            nonce.as_ptr(),
            pk.as_ptr(),
            sk.as_ptr(),
        )
    };
    (rc == 0).then_some(out)
}

/// `crypto_generichash` (BLAKE2b) with the given output length.
pub fn generichash(out_len: usize, input: &[u8]) -> Vec<u8> {
    init();
    let mut out = vec![0u8; out_len];
    // SAFETY: `out` has `out_len` bytes; no key.
    let rc = unsafe {
        ffi::crypto_generichash(
            out.as_mut_ptr(),
            out_len,
            input.as_ptr(),
            input.len() as u64,
            std::ptr::null(),
            0,
        )
    };
    assert_eq!(rc, 0, "crypto_generichash failed");
    out
}
