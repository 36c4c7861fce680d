//! A public key prepared for sealing many messages to it.

use alloc::vec::Vec;

use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::PublicKey;

/// A [`PublicKey`] with the work that does not depend on the message or the ephemeral
/// key done once, for services that seal many values to one recipient (a bulk upload
/// to one GitHub scope, a key-rotation job).
///
/// Sealing through a `Recipient` gives exactly the bytes [`PublicKey::seal_with_rng`]
/// gives for the same randomness.
///
/// ```
/// use sealpost_seal::{Recipient, SecretKey};
///
/// let secret = SecretKey::generate();
/// let recipient = Recipient::new(&secret.public_key());
/// for value in [&b"one"[..], b"two", b"three"] {
///     let sealed = recipient.seal(value);
///     assert_eq!(secret.open(&sealed)?, value);
/// }
/// # Ok::<(), sealpost_seal::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Recipient {
    public_key: PublicKey,
}

impl Recipient {
    /// Prepares `public_key` for many seals.
    pub fn new(public_key: &PublicKey) -> Self {
        Recipient {
            public_key: *public_key,
        }
    }

    /// The key this recipient seals to.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// Seals `msg` with a fresh ephemeral key from the operating system, as
    /// [`PublicKey::seal`].
    ///
    /// # Panics
    ///
    /// If the operating system cannot provide random bytes.
    #[cfg(feature = "getrandom")]
    pub fn seal(&self, msg: &[u8]) -> Vec<u8> {
        let ephemeral = crate::rng::os_secret();
        self.seal_with_ephemeral(&ephemeral, msg)
    }

    /// Seals `msg` drawing the ephemeral secret from `rng`, as [`PublicKey::seal_with_rng`].
    pub fn seal_with_rng<R: CryptoRng + ?Sized>(&self, rng: &mut R, msg: &[u8]) -> Vec<u8> {
        let mut ephemeral = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(ephemeral.as_mut());
        self.seal_with_ephemeral(&ephemeral, msg)
    }

    /// Seals `msg` and encodes the box as standard base64, as [`PublicKey::seal_base64`].
    ///
    /// # Panics
    ///
    /// If the operating system cannot provide random bytes.
    #[cfg(feature = "getrandom")]
    pub fn seal_base64(&self, msg: &[u8]) -> alloc::string::String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(self.seal(msg))
    }

    fn seal_with_ephemeral(&self, ephemeral: &[u8; 32], msg: &[u8]) -> Vec<u8> {
        self.public_key.seal_with_ephemeral(ephemeral, msg)
    }
}

impl From<PublicKey> for Recipient {
    fn from(public_key: PublicKey) -> Self {
        Recipient::new(&public_key)
    }
}
