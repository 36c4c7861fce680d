//! A public key prepared for sealing many messages to it.

use alloc::vec::Vec;
use core::fmt;

use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::x25519::{self, RecipientTable};
use crate::{PublicKey, sealed_box};

/// A [`PublicKey`] with the work that does not depend on the message or the ephemeral
/// key done once, for services that seal many values to one recipient (a bulk upload
/// to one GitHub scope, a key-rotation job).
///
/// [`Recipient::new`] builds a table of 256 multiples of the recipient's point (about
/// 30 KiB, tens of microseconds), which makes the recipient's half of every later seal
/// about twice as fast as a plain X25519. Sealing through a `Recipient` gives exactly
/// the bytes [`PublicKey::seal_with_rng`] gives for the same randomness.
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
#[derive(Clone)]
pub struct Recipient {
    public_key: PublicKey,
    /// `None` for a key on the twist of Curve25519, which no key generator makes but
    /// [`PublicKey::from_bytes`] accepts, as libsodium does; those seal with the ladder.
    table: Option<RecipientTable>,
}

impl Recipient {
    /// Prepares `public_key` for many seals.
    pub fn new(public_key: &PublicKey) -> Self {
        Recipient {
            public_key: *public_key,
            table: RecipientTable::new(public_key.as_bytes()),
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
        let recipient = self.public_key.as_bytes();
        let epk = x25519::public_from_secret(ephemeral);
        let shared = match &self.table {
            Some(table) => table.diffie_hellman(ephemeral),
            None => x25519::diffie_hellman(ephemeral, recipient),
        };
        let key = sealed_box::box_key(&shared);
        sealed_box::assemble(&epk, recipient, &key, msg)
    }
}

impl From<PublicKey> for Recipient {
    fn from(public_key: PublicKey) -> Self {
        Recipient::new(&public_key)
    }
}

impl fmt::Debug for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recipient")
            .field("public_key", &self.public_key)
            .field("precomputed", &self.table.is_some())
            .finish()
    }
}
