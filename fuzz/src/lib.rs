//! Helpers shared by the fuzz targets: libsodium as the oracle, and an RNG that hands
//! out fixed bytes so that fuzzer-chosen ephemeral keys can be replayed in libsodium.
//!
//! Every target checks `sealpost-seal` against libsodium (built from source by
//! `libsodium-sys-stable`), not only that it does not panic.

use sealpost_seal::rand_core::{TryCryptoRng, TryRng};

/// An RNG that returns fixed 32-byte strings in order, one per draw: the ephemeral
/// secrets of a run of seals.
pub struct FixedEphemerals {
    secrets: std::vec::IntoIter<[u8; 32]>,
}

impl FixedEphemerals {
    /// An RNG whose outputs are `secrets`, in order.
    pub fn new(secrets: Vec<[u8; 32]>) -> Self {
        FixedEphemerals {
            secrets: secrets.into_iter(),
        }
    }

    /// An RNG whose only output is `secret`: the ephemeral secret of one seal.
    pub fn one(secret: [u8; 32]) -> Self {
        Self::new(vec![secret])
    }
}

impl TryRng for FixedEphemerals {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        unimplemented!("a seal draws exactly 32 bytes with fill_bytes")
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        unimplemented!("a seal draws exactly 32 bytes with fill_bytes")
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        assert_eq!(dst.len(), 32, "a seal draws exactly 32 bytes");
        let next = self.secrets.next().expect("one secret per seal, no more");
        dst.copy_from_slice(&next);
        Ok(())
    }
}

impl TryCryptoRng for FixedEphemerals {}

/// libsodium, through `libsodium-sys-stable`.
#[allow(unsafe_code)]
pub mod sodium {
    use libsodium_sys as ffi;

    fn init() {
        // SAFETY: no preconditions; thread-safe; returns 1 if already initialized.
        assert!(unsafe { ffi::sodium_init() } >= 0, "sodium_init failed");
    }

    /// `crypto_scalarmult`: `X25519(scalar, u)`, or `None` where libsodium refuses `u`
    /// (small order: the result would be all zeros).
    pub fn scalarmult(scalar: &[u8; 32], u: &[u8; 32]) -> Option<[u8; 32]> {
        init();
        let mut out = [0u8; 32];
        // SAFETY: three valid 32-byte buffers, as the function requires.
        let rc = unsafe { ffi::crypto_scalarmult(out.as_mut_ptr(), scalar.as_ptr(), u.as_ptr()) };
        (rc == 0).then_some(out)
    }

    /// `crypto_scalarmult_base`: the public key of a secret key.
    pub fn public_key_of(secret: &[u8; 32]) -> [u8; 32] {
        init();
        let mut public = [0u8; 32];
        // SAFETY: 32-byte output and 32-byte scalar, as the function requires.
        let status = unsafe { ffi::crypto_scalarmult_base(public.as_mut_ptr(), secret.as_ptr()) };
        assert_eq!(status, 0);
        public
    }

    /// `crypto_box_seal_open`, or `None` if libsodium refuses the box.
    pub fn open(secret: &[u8; 32], sealed: &[u8]) -> Option<Vec<u8>> {
        init();
        let public = public_key_of(secret);
        let mut msg = vec![0u8; sealed.len().checked_sub(48)?];
        // SAFETY: `msg` holds the box minus its 48 bytes of overhead; `sealed` is valid
        // for its length (at least 48, checked above); keys are 32 bytes.
        let status = unsafe {
            ffi::crypto_box_seal_open(
                msg.as_mut_ptr(),
                sealed.as_ptr(),
                sealed.len() as u64,
                public.as_ptr(),
                secret.as_ptr(),
            )
        };
        (status == 0).then_some(msg)
    }

    /// The sealed box libsodium's `crypto_box_seal` makes when its `randombytes` gives
    /// `ephemeral`, built from the same calls `crypto_box_seal` makes; `None` if
    /// libsodium refuses `public` (a small-order point).
    pub fn seal_with_ephemeral(
        public: &[u8; 32],
        ephemeral: &[u8; 32],
        msg: &[u8],
    ) -> Option<Vec<u8>> {
        init();
        let epk = public_key_of(ephemeral);
        let mut key = [0u8; 32];
        // SAFETY: 32-byte output, public key and secret key.
        let status = unsafe {
            ffi::crypto_box_beforenm(key.as_mut_ptr(), public.as_ptr(), ephemeral.as_ptr())
        };
        if status != 0 {
            return None;
        }
        let mut input = [0u8; 64];
        input[..32].copy_from_slice(&epk);
        input[32..].copy_from_slice(public);
        let mut nonce = [0u8; 24];
        // SAFETY: 24-byte output (`crypto_box_NONCEBYTES`, within BLAKE2b's 16..=64),
        // 64 bytes of input, and no key (null pointer with length 0 is allowed).
        let status = unsafe {
            ffi::crypto_generichash(
                nonce.as_mut_ptr(),
                24,
                input.as_ptr(),
                64,
                core::ptr::null(),
                0,
            )
        };
        assert_eq!(status, 0);
        let mut sealed = vec![0u8; 48 + msg.len()];
        sealed[..32].copy_from_slice(&epk);
        // SAFETY: the output has room for the 16-byte tag plus the message; the nonce
        // is 24 bytes and the key 32.
        let status = unsafe {
            ffi::crypto_box_easy_afternm(
                sealed[32..].as_mut_ptr(),
                msg.as_ptr(),
                msg.len() as u64,
                nonce.as_ptr(),
                key.as_ptr(),
            )
        };
        assert_eq!(status, 0);
        Some(sealed)
    }
}
