//! libsodium, the oracle: keypairs for fake servers and `crypto_box_seal_open` for what
//! they receive. Nothing here uses sealpost's own crypto.
#![allow(unsafe_code)]

use std::sync::Once;

use libsodium_sys as sodium;

fn init() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        // SAFETY: `sodium_init` takes no arguments and may be called from any thread;
        // `Once` makes it run once. It returns 1 if already initialised, -1 on failure.
        let status = unsafe { sodium::sodium_init() };
        assert!(status >= 0, "libsodium failed to initialise");
    });
}

/// A recipient keypair made by libsodium.
#[derive(Clone)]
pub(crate) struct Keypair {
    pub(crate) public: [u8; 32],
    secret: [u8; 32],
}

impl Keypair {
    pub(crate) fn generate() -> Self {
        init();
        let mut public = [0u8; 32];
        let mut secret = [0u8; 32];
        // SAFETY: both pointers point to 32 writable bytes, the sizes
        // `crypto_box_PUBLICKEYBYTES` and `crypto_box_SECRETKEYBYTES`.
        let status =
            unsafe { sodium::crypto_box_keypair(public.as_mut_ptr(), secret.as_mut_ptr()) };
        assert_eq!(status, 0);
        Keypair { public, secret }
    }

    /// Opens a sealed box with libsodium; `None` if it does not open.
    pub(crate) fn open(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        init();
        let overhead = sodium::crypto_box_SEALBYTES as usize;
        let len = sealed.len().checked_sub(overhead)?;
        let mut message = vec![0u8; len];
        // SAFETY: `message` has room for `sealed.len() - crypto_box_SEALBYTES` bytes,
        // the plaintext length; `sealed` is valid for `sealed.len()` bytes; the keys are
        // 32 bytes each. libsodium does not keep any pointer after returning.
        let status = unsafe {
            sodium::crypto_box_seal_open(
                message.as_mut_ptr(),
                sealed.as_ptr(),
                sealed.len() as u64,
                self.public.as_ptr(),
                self.secret.as_ptr(),
            )
        };
        (status == 0).then_some(message)
    }
}
