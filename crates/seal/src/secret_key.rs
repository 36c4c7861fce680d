//! The recipient's secret key, and opening sealed boxes with it.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand_core::CryptoRng;
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::KeyKind;
use crate::public_key::decode_base64;
use crate::{Error, PublicKey, sealed_box, x25519};

/// An X25519 secret key: the recipient's side of a sealed box.
///
/// Services that receive secrets (or tests that play one) hold this; senders only need
/// the [`PublicKey`]. The key bytes are wiped from memory when the value is dropped,
/// never printed by `Debug`, and compared in constant time.
///
/// A live key cannot be zeroed in place: it implements [`ZeroizeOnDrop`] but not
/// `Zeroize`, since an all-zero secret would have the all-zero public key, a low-order
/// point to which a box can be opened by anyone:
///
/// ```compile_fail
/// use zeroize::Zeroize;
///
/// let mut key = sealpost_seal::SecretKey::from_bytes(&[7; 32]);
/// key.zeroize();
/// ```
///
/// ```
/// use sealpost_seal::SecretKey;
///
/// let recipient = SecretKey::generate();
/// let sealed = recipient.public_key().seal(b"hunter2");
/// assert_eq!(recipient.open(&sealed)?, b"hunter2");
/// assert_eq!(format!("{recipient:?}"), "SecretKey { .. }");
/// # Ok::<(), sealpost_seal::Error>(())
/// ```
#[derive(Clone, ZeroizeOnDrop)]
pub struct SecretKey {
    secret: [u8; 32],
    public: [u8; 32],
}

impl SecretKey {
    /// Length of a secret key in bytes.
    pub const LEN: usize = 32;

    /// A new random secret key from the operating system's random number generator.
    ///
    /// # Panics
    ///
    /// If the operating system cannot provide random bytes.
    #[cfg(feature = "getrandom")]
    pub fn generate() -> Self {
        Self::from_bytes(&crate::rng::os_secret())
    }

    /// A new secret key drawn from `rng`, as libsodium's `crypto_box_keypair` draws it
    /// from `randombytes`.
    pub fn generate_with_rng<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::from_bytes(&crate::rng::secret_from(rng))
    }

    /// A secret key from its 32 bytes, as libsodium stores it (unclamped; clamping is
    /// applied in every multiplication). Every 32-byte string is a valid secret key.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        SecretKey {
            secret: *bytes,
            public: x25519::public_from_secret(bytes),
        }
    }

    /// A secret key from a slice, which must be exactly 32 bytes long.
    ///
    /// # Errors
    ///
    /// [`Error::KeyLength`] for any other length.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        let bytes: &[u8; 32] = bytes.try_into().map_err(|_| Error::KeyLength {
            what: KeyKind::Secret,
            actual: bytes.len(),
        })?;
        Ok(Self::from_bytes(bytes))
    }

    /// A secret key from standard, padded base64. Whitespace around the text is ignored.
    ///
    /// # Errors
    ///
    /// [`Error::Base64`] if the text is not base64 (the message never repeats the text),
    /// [`Error::KeyLength`] if it does not hold 32 bytes.
    pub fn from_base64(text: &str) -> Result<Self, Error> {
        let bytes = decode_base64(text, KeyKind::Secret)?;
        Self::from_slice(&bytes)
    }

    /// The 32 secret bytes, in a buffer that is wiped when dropped.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.secret)
    }

    /// The secret key as standard, padded base64, in a string that is wiped when dropped.
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(STANDARD.encode(self.secret))
    }

    /// The public key that seals to this secret key.
    ///
    /// Infallible: the public key of any secret key is a point of large order, since
    /// clamping makes the scalar a multiple of the cofactor.
    pub fn public_key(&self) -> PublicKey {
        PublicKey::from_derived(self.public)
    }

    /// Opens a sealed box made for this key, as libsodium's `crypto_box_seal_open`.
    ///
    /// # Errors
    ///
    /// [`Error::SealedBoxTooShort`] if `sealed` is under
    /// [`SEAL_OVERHEAD`](crate::SEAL_OVERHEAD) bytes; [`Error::Decryption`] if it was
    /// sealed to another key, altered in any bit, or carries a small-order ephemeral
    /// key. Nothing of the plaintext is returned unless the whole box authenticates.
    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, Error> {
        let (epk, body) = sealed_box::split(sealed)?;
        let shared = x25519::diffie_hellman(&self.secret, epk);
        // Public by design: the ephemeral key had small order (see `declassify`).
        if crate::declassify::public(x25519::is_zero(&shared)) {
            return Err(Error::Decryption);
        }
        let key = sealed_box::box_key(&shared);
        let nonce = sealed_box::nonce(epk, &self.public);
        sealed_box::open(&key, &nonce, body)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey { .. }")
    }
}

impl ConstantTimeEq for SecretKey {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.secret.ct_eq(&other.secret)
    }
}

/// Compares the secret bytes in constant time.
impl PartialEq for SecretKey {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for SecretKey {}

impl TryFrom<&[u8]> for SecretKey {
    type Error = Error;

    fn try_from(bytes: &[u8]) -> Result<Self, Error> {
        Self::from_slice(bytes)
    }
}

impl From<[u8; 32]> for SecretKey {
    fn from(mut bytes: [u8; 32]) -> Self {
        let key = Self::from_bytes(&bytes);
        bytes.zeroize();
        key
    }
}
