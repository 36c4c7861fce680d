//! The recipient's secret key, and opening sealed boxes with it.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use rand_core::CryptoRng;
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Base64Problem, KeyKind};
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
    /// The text is decoded in constant time (`base64ct`: no branch or table lookup on
    /// its characters), and an error says what kind of problem there was but not where:
    /// a position would tell a reader of logs something about a secret.
    ///
    /// # Errors
    ///
    /// [`Error::Base64`] if the text is not base64 (the message never repeats the text
    /// nor gives a position in it), [`Error::KeyLength`] if it does not hold 32 bytes.
    pub fn from_base64(text: &str) -> Result<Self, Error> {
        use base64ct::Encoding as _;
        let text = text.trim();
        let mut decoded = Zeroizing::new(alloc::vec![0u8; text.len() / 4 * 3 + 3]);
        let bytes = base64ct::Base64::decode(text, &mut decoded).map_err(|err| Error::Base64 {
            what: KeyKind::Secret,
            reason: match err {
                base64ct::Error::InvalidLength => Base64Problem::Truncated,
                base64ct::Error::InvalidEncoding => Base64Problem::NotBase64,
            },
        })?;
        Self::from_slice(bytes)
    }

    /// The 32 secret bytes, in a buffer that is wiped when dropped.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.secret)
    }

    /// The secret key as standard, padded base64, in a string that is wiped when dropped.
    ///
    /// Encoded in constant time (`base64ct`).
    pub fn to_base64(&self) -> Zeroizing<String> {
        use base64ct::Encoding as _;
        Zeroizing::new(base64ct::Base64::encode_string(&self.secret))
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

#[cfg(test)]
mod tests {
    use alloc::format;
    use alloc::string::ToString;

    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    use super::*;

    /// The constant-time codec agrees with the `base64` crate's standard engine on keys,
    /// and refuses what it refuses, without a position in the error.
    #[test]
    fn base64_matches_the_standard_engine_and_errors_give_no_position() {
        for seed in 0u8..64 {
            let bytes: [u8; 32] =
                core::array::from_fn(|i| u8::try_from(i).unwrap().wrapping_mul(seed) ^ seed);
            let key = SecretKey::from_bytes(&bytes);
            assert_eq!(*key.to_base64(), STANDARD.encode(bytes));
            assert_eq!(
                *SecretKey::from_base64(&STANDARD.encode(bytes))
                    .unwrap()
                    .to_bytes(),
                bytes
            );
            assert_eq!(
                *SecretKey::from_base64(&format!(" \n{}\t", STANDARD.encode(bytes)))
                    .unwrap()
                    .to_bytes(),
                bytes
            );
        }
        let good = STANDARD.encode([7u8; 32]);
        let mut bad_character = good.clone().into_bytes();
        bad_character[10] = b'*';
        let mut stray_bits = good.clone().into_bytes();
        stray_bits[42] = b'B'; // the last symbol's unused bits are not zero
        for text in [
            String::from_utf8(bad_character).unwrap(),
            String::from_utf8(stray_bits).unwrap(),
            good.replace('=', ""),
            format!("{}={}", &good[..20], &good[21..]),
        ] {
            assert!(STANDARD.decode(&text).is_err(), "{text}");
            let err = SecretKey::from_base64(&text).unwrap_err();
            let Error::Base64 {
                what: KeyKind::Secret,
                reason,
            } = err
            else {
                panic!("{err:?} for {text}");
            };
            assert!(!matches!(reason, Base64Problem::InvalidCharacter { .. }));
            assert!(!err.to_string().contains("offset"), "{err}");
        }
        assert_eq!(
            SecretKey::from_base64(&STANDARD.encode([1u8; 31])).unwrap_err(),
            Error::KeyLength {
                what: KeyKind::Secret,
                actual: 31
            }
        );
        assert_eq!(
            SecretKey::from_base64(&STANDARD.encode([1u8; 33])).unwrap_err(),
            Error::KeyLength {
                what: KeyKind::Secret,
                actual: 33
            }
        );
    }
}
