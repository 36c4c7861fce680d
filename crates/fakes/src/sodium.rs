//! libsodium, the oracle: the fakes' key pairs, `crypto_box_seal_open` for what they
//! receive, and `crypto_box_seal` for tests that need a value sealed by the reference
//! implementation. [`Keypair`] serves tests with servers of their own (wiremock
//! matchers that open what a client sent). Nothing here uses sealpost's own crypto.
//!
//! This is the only module of the crate with `unsafe` code: each call passes buffers
//! whose sizes are checked against libsodium's constants right beside it.
#![allow(unsafe_code)]

use std::fmt;
use std::sync::OnceLock;

use libsodium_sys as ffi;
use zeroize::Zeroize as _;

use crate::Error;

/// The bytes a sealed box adds to its message: `crypto_box_SEALBYTES` (48).
pub const SEAL_OVERHEAD: usize = ffi::crypto_box_SEALBYTES as usize;

const KEY_BYTES: usize = 32;
// libsodium's sizes, checked at compile time against the arrays used below.
const _: () = assert!(ffi::crypto_box_PUBLICKEYBYTES as usize == KEY_BYTES);
const _: () = assert!(ffi::crypto_box_SECRETKEYBYTES as usize == KEY_BYTES);

/// Initialises libsodium once; every other function here calls it first.
///
/// # Errors
///
/// [`Error::Sodium`] if libsodium cannot start (it found no source of randomness).
pub(crate) fn init() -> Result<(), Error> {
    static STATUS: OnceLock<i32> = OnceLock::new();
    // SAFETY: `sodium_init` takes no arguments and is safe to call from any thread; it
    // returns 0 on success, 1 if already initialised, -1 on failure.
    let status = *STATUS.get_or_init(|| unsafe { ffi::sodium_init() });
    if status < 0 {
        return Err(Error::Sodium);
    }
    Ok(())
}

/// A recipient key pair made by libsodium (`crypto_box_keypair`). The secret half is
/// wiped on drop and never shown by `Debug`.
///
/// ```
/// use sealpost_fakes::sodium::{self, Keypair};
///
/// let keypair = Keypair::generate()?;
/// let sealed = sodium::seal(&keypair.public(), b"hunter2")?;
/// assert_eq!(keypair.open(&sealed).as_deref(), Some(&b"hunter2"[..]));
/// # Ok::<(), sealpost_fakes::Error>(())
/// ```
#[derive(Clone)]
pub struct Keypair {
    public: [u8; KEY_BYTES],
    secret: [u8; KEY_BYTES],
}

impl Keypair {
    /// A fresh key pair from libsodium's `crypto_box_keypair`.
    ///
    /// # Errors
    ///
    /// [`Error::Sodium`] if libsodium cannot start (it found no source of randomness).
    pub fn generate() -> Result<Self, Error> {
        init()?;
        Ok(Keypair::after_init())
    }

    /// A fresh key pair, for the fakes: they check [`init`] when they start, so
    /// libsodium is ready here; `crypto_box_keypair` itself cannot fail.
    pub(crate) fn after_init() -> Self {
        // An error was reported when the fake started; none can be new here.
        let _ = init();
        let mut public = [0u8; KEY_BYTES];
        let mut secret = [0u8; KEY_BYTES];
        // SAFETY: both pointers point to 32 writable bytes, libsodium's
        // `crypto_box_PUBLICKEYBYTES` and `crypto_box_SECRETKEYBYTES` (checked above).
        let status = unsafe { ffi::crypto_box_keypair(public.as_mut_ptr(), secret.as_mut_ptr()) };
        debug_assert_eq!(status, 0, "crypto_box_keypair always returns 0");
        Keypair { public, secret }
    }

    /// The public half, as a server publishes it (base64-encode it for GitHub).
    pub fn public(&self) -> [u8; KEY_BYTES] {
        self.public
    }

    /// Opens a sealed box with `crypto_box_seal_open`; `None` if it does not open
    /// (wrong key, damaged, or shorter than [`SEAL_OVERHEAD`]).
    pub fn open(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        init().ok()?;
        let len = sealed.len().checked_sub(SEAL_OVERHEAD)?;
        let sealed_len = u64::try_from(sealed.len()).ok()?;
        let mut message = vec![0u8; len];
        // SAFETY: `message` has room for `sealed.len() - crypto_box_SEALBYTES` bytes,
        // the plaintext's length; `sealed` is valid for `sealed.len()` bytes; both keys
        // are 32 bytes. libsodium keeps no pointer after it returns.
        let status = unsafe {
            ffi::crypto_box_seal_open(
                message.as_mut_ptr(),
                sealed.as_ptr(),
                sealed_len,
                self.public.as_ptr(),
                self.secret.as_ptr(),
            )
        };
        (status == 0).then_some(message)
    }
}

impl Drop for Keypair {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl fmt::Debug for Keypair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keypair")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

/// `N` random bytes from libsodium's `randombytes_buf` (for ids the fakes make up).
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    // An error was reported when the fake started; none can be new here.
    let _ = init();
    let mut bytes = [0u8; N];
    // SAFETY: `bytes` is valid for writes of `N` bytes, the length passed.
    unsafe { ffi::randombytes_buf(bytes.as_mut_ptr().cast(), N) };
    bytes
}

/// Seals `message` to `public_key` with libsodium's `crypto_box_seal`: what a client
/// that uses the reference implementation would send.
///
/// ```
/// let fake = sealpost_fakes::FakeGitHub::spawn()?;
/// let scope = sealpost_fakes::Scope::user();
/// let key = fake.public_key(&scope);
/// let sealed = sealpost_fakes::sodium::seal(&key.key, b"hunter2")?;
/// assert_eq!(fake.open(&scope, &sealed).as_deref(), Some(&b"hunter2"[..]));
/// # Ok::<(), sealpost_fakes::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Sodium`] if libsodium cannot start or refuses the key (libsodium refuses
/// low-order public keys).
pub fn seal(public_key: &[u8; 32], message: &[u8]) -> Result<Vec<u8>, Error> {
    init()?;
    let message_len = u64::try_from(message.len()).map_err(|_| Error::Sodium)?;
    let mut sealed = vec![0u8; message.len() + SEAL_OVERHEAD];
    // SAFETY: `sealed` has room for `message.len() + crypto_box_SEALBYTES` bytes, what
    // `crypto_box_seal` writes; `message` is valid for `message.len()` bytes; the key
    // is 32 bytes. libsodium keeps no pointer after it returns.
    let status = unsafe {
        ffi::crypto_box_seal(
            sealed.as_mut_ptr(),
            message.as_ptr(),
            message_len,
            public_key.as_ptr(),
        )
    };
    if status != 0 {
        return Err(Error::Sodium);
    }
    Ok(sealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_and_open_agree_and_refuse_other_keys() {
        let keypair = Keypair::generate().unwrap();
        let sealed = seal(&keypair.public(), b"value\n").unwrap();
        assert_eq!(sealed.len(), 6 + SEAL_OVERHEAD);
        assert_eq!(keypair.open(&sealed).as_deref(), Some(&b"value\n"[..]));
        let other = Keypair::generate().unwrap();
        assert_eq!(other.open(&sealed), None);
        assert_eq!(keypair.open(&sealed[..SEAL_OVERHEAD - 1]), None);
        assert!(!format!("{keypair:?}").contains(&format!("{:?}", keypair.secret)));
    }
}
