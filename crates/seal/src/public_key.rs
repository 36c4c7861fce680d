//! The recipient's public key, and sealing to it.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::error::{Base64Problem, KeyKind};
use crate::{Error, sealed_box, x25519};

/// An X25519 public key to seal to, known not to be a low-order point.
///
/// The 32 bytes are kept exactly as given (including the top bit, which X25519
/// ignores but libsodium hashes into the nonce), so a sealed box matches libsodium's
/// byte for byte.
///
/// ```
/// use sealpost_seal::PublicKey;
///
/// // The format of GitHub's `GET .../secrets/public-key` `key` field.
/// let key = PublicKey::from_base64("hBT5WZEj8ZoOv6TYJsfWq7MxTEQopZO5/IT3ZCVQPzs=")?;
/// assert_eq!(key.to_base64(), "hBT5WZEj8ZoOv6TYJsfWq7MxTEQopZO5/IT3ZCVQPzs=");
///
/// // All zeros is a low-order point: sealing to it would protect nothing.
/// assert_eq!(PublicKey::from_bytes(&[0; 32]), Err(sealpost_seal::Error::LowOrderPublicKey));
/// # Ok::<(), sealpost_seal::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey([u8; 32]);

impl PublicKey {
    /// Length of a public key in bytes.
    pub const LEN: usize = 32;

    /// Reads a public key from its 32 bytes.
    ///
    /// # Errors
    ///
    /// [`Error::LowOrderPublicKey`] for any encoding of a point of small order (on the
    /// curve or its twist, canonical or not), the keys libsodium refuses too.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, Error> {
        if x25519::is_small_order(bytes) {
            return Err(Error::LowOrderPublicKey);
        }
        Ok(PublicKey(*bytes))
    }

    /// The public key of a secret key. Never small order: the base point has prime
    /// order l, and a clamped scalar is `8k` with `0 < k < 2^252 < l`.
    pub(crate) const fn from_derived(bytes: [u8; 32]) -> Self {
        PublicKey(bytes)
    }

    /// Reads a public key from a slice, which must be exactly 32 bytes long.
    ///
    /// # Errors
    ///
    /// [`Error::KeyLength`] for any other length, and the errors of [`PublicKey::from_bytes`].
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        let bytes: &[u8; 32] = bytes.try_into().map_err(|_| Error::KeyLength {
            what: KeyKind::Public,
            actual: bytes.len(),
        })?;
        Self::from_bytes(bytes)
    }

    /// Reads a public key from standard, padded base64, the form GitHub's and
    /// libsodium's tools print. Whitespace around the text is ignored.
    ///
    /// # Errors
    ///
    /// [`Error::Base64`] if the text is not base64, [`Error::KeyLength`] if it does not
    /// hold 32 bytes, [`Error::LowOrderPublicKey`] as for [`PublicKey::from_bytes`].
    pub fn from_base64(text: &str) -> Result<Self, Error> {
        let bytes = decode_base64(text, KeyKind::Public)?;
        Self::from_slice(&bytes)
    }

    /// The 32 bytes of the key, as given.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key as standard, padded base64.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// Seals `msg` to this key with a fresh ephemeral key from the operating system's
    /// random number generator. The result is `msg.len() + SEAL_OVERHEAD` bytes.
    ///
    /// Every call gives a different box; only the holder of the matching
    /// [`SecretKey`](crate::SecretKey) can open it.
    ///
    /// # Panics
    ///
    /// If the operating system cannot provide random bytes, which on supported
    /// platforms does not happen once the system has booted.
    #[cfg(feature = "getrandom")]
    pub fn seal(&self, msg: &[u8]) -> Vec<u8> {
        let ephemeral = crate::rng::os_secret();
        self.seal_with_ephemeral(&ephemeral, msg)
    }

    /// Seals `msg` drawing the ephemeral secret key's 32 bytes from `rng`.
    ///
    /// With the same 32 bytes, the output is identical to libsodium's `crypto_box_seal`
    /// when its `randombytes` returns them. Use this for reproducible tests or where no
    /// operating system randomness exists; never reuse an RNG state for two seals.
    ///
    /// # Panics
    ///
    /// Only on a fault of the X25519 code or the machine that makes the shared secret
    /// all zeros, which no accepted key can cause: such a box would open with a key
    /// anyone can compute, so, as libsodium's `crypto_box_seal`, it is never made.
    pub fn seal_with_rng<R: CryptoRng + ?Sized>(&self, rng: &mut R, msg: &[u8]) -> Vec<u8> {
        self.seal_with_ephemeral(&crate::rng::secret_from(rng), msg)
    }

    /// Seals `msg` and encodes the box as standard base64: the `encrypted_value`
    /// GitHub's secrets endpoints take.
    ///
    /// # Panics
    ///
    /// As [`PublicKey::seal`].
    #[cfg(feature = "getrandom")]
    pub fn seal_base64(&self, msg: &[u8]) -> String {
        STANDARD.encode(self.seal(msg))
    }

    pub(crate) fn seal_with_ephemeral(&self, ephemeral: &[u8; 32], msg: &[u8]) -> Vec<u8> {
        // `from_bytes` refused every point for which the shared secret is zero; should
        // it be zero anyway, no box is made.
        let (epk, shared) = x25519::public_and_shared(ephemeral, &self.0);
        x25519::refuse_zero(&shared);
        let key = sealed_box::box_key(&shared);
        sealed_box::assemble(&epk, &self.0, &key, msg)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PublicKey").field(&self.to_base64()).finish()
    }
}

/// Prints the key as standard, padded base64.
impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

/// Parses standard, padded base64, as [`PublicKey::from_base64`].
impl FromStr for PublicKey {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::from_base64(s)
    }
}

impl TryFrom<&[u8]> for PublicKey {
    type Error = Error;

    fn try_from(bytes: &[u8]) -> Result<Self, Error> {
        Self::from_slice(bytes)
    }
}

impl TryFrom<[u8; 32]> for PublicKey {
    type Error = Error;

    fn try_from(bytes: [u8; 32]) -> Result<Self, Error> {
        Self::from_bytes(&bytes)
    }
}

impl AsRef<[u8]> for PublicKey {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// Decodes standard padded base64 into a buffer that is wiped on drop (the text may
/// be a secret key).
pub(crate) fn decode_base64(text: &str, what: KeyKind) -> Result<Zeroizing<Vec<u8>>, Error> {
    STANDARD
        .decode(text.trim())
        .map(Zeroizing::new)
        .map_err(|err| Error::Base64 {
            what,
            reason: Base64Problem::from_decode_error(&err),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Defence in depth: were a low-order key ever to get past `from_bytes`, the seal
    /// refuses the all-zero shared secret instead of making a box anyone can open.
    #[test]
    #[should_panic(expected = "all-zero shared secret")]
    fn a_seal_with_an_all_zero_shared_secret_is_refused() {
        let low_order = PublicKey::from_derived([0; 32]);
        low_order.seal_with_ephemeral(&[0x42; 32], b"secret");
    }

    #[test]
    fn other_seals_pass_the_check() {
        let key = PublicKey::from_derived(crate::x25519::public_from_secret(&[7; 32]));
        assert_eq!(key.seal_with_ephemeral(&[0x42; 32], b"secret").len(), 54);
    }
}
