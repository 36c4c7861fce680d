//! The oracle: libsodium's own key generation, sealed boxes and key checks, through
//! `libsodium-sys-stable`, which builds the real C library from source.
#![allow(unsafe_code)]

use libsodium_sys as sodium;

fn init() {
    // SAFETY: `sodium_init` has no preconditions, is thread-safe, and may be called
    // more than once (it returns 1 when already initialized, -1 on failure).
    let status = unsafe { sodium::sodium_init() };
    assert!(status >= 0, "sodium_init failed");
}

/// A key pair from `crypto_box_keypair`: `(public, secret)`.
pub(crate) fn keypair() -> ([u8; 32], [u8; 32]) {
    init();
    let mut public = [0u8; 32];
    let mut secret = [0u8; 32];
    // SAFETY: both pointers are to 32-byte buffers, `crypto_box_PUBLICKEYBYTES` and
    // `crypto_box_SECRETKEYBYTES`, which the function fills.
    let status = unsafe { sodium::crypto_box_keypair(public.as_mut_ptr(), secret.as_mut_ptr()) };
    assert_eq!(status, 0);
    (public, secret)
}

/// The public key of a secret key, by `crypto_scalarmult_base`.
pub(crate) fn public_key_of(secret: &[u8; 32]) -> [u8; 32] {
    init();
    let mut public = [0u8; 32];
    // SAFETY: `public` is the 32-byte output, `secret` the 32-byte scalar input.
    let status = unsafe { sodium::crypto_scalarmult_base(public.as_mut_ptr(), secret.as_ptr()) };
    assert_eq!(status, 0);
    public
}

/// `crypto_box_seal` of `msg` to `public`, or `None` if libsodium refuses the key.
pub(crate) fn seal(public: &[u8; 32], msg: &[u8]) -> Option<Vec<u8>> {
    init();
    let mut sealed = vec![0u8; msg.len() + 48];
    // SAFETY: `sealed` has room for the message plus `crypto_box_SEALBYTES` (48), `msg`
    // is valid for `msg.len()` bytes, and `public` is 32 bytes.
    let status = unsafe {
        sodium::crypto_box_seal(
            sealed.as_mut_ptr(),
            msg.as_ptr(),
            msg.len() as u64,
            public.as_ptr(),
        )
    };
    (status == 0).then_some(sealed)
}

/// `crypto_box_seal_open`, or `None` if libsodium cannot open the box.
pub(crate) fn open(public: &[u8; 32], secret: &[u8; 32], sealed: &[u8]) -> Option<Vec<u8>> {
    init();
    if sealed.len() < 48 {
        return None;
    }
    let mut msg = vec![0u8; sealed.len() - 48];
    // SAFETY: `msg` has room for the box minus its 48 bytes of overhead, `sealed` is
    // valid for `sealed.len()` bytes (at least 48, checked above), keys are 32 bytes.
    let status = unsafe {
        sodium::crypto_box_seal_open(
            msg.as_mut_ptr(),
            sealed.as_ptr(),
            sealed.len() as u64,
            public.as_ptr(),
            secret.as_ptr(),
        )
    };
    (status == 0).then_some(msg)
}
