//! A public key prepared for sealing many messages to it.

use alloc::vec::Vec;
use core::fmt;

use rand_core::CryptoRng;

use crate::x25519::{self, RecipientTable};
use crate::{PublicKey, sealed_box};

/// A [`PublicKey`] with the work that does not depend on the message or the ephemeral
/// key done once, for services that seal many values to one recipient (a bulk upload
/// to one GitHub scope, a key-rotation job).
///
/// [`Recipient::new`] builds a table of 416 multiples of the recipient's point (52 KiB,
/// 65 KiB on CPUs with AVX-512 IFMA; about 0.15 ms), which makes the recipient's half of
/// every later seal two to five times as fast as AWS-LC's X25519: it pays for itself
/// after about 15 seals. Sealing through a `Recipient` gives exactly the bytes
/// [`PublicKey::seal_with_rng`] gives for the same randomness. [`Recipient::seal_many`] also shares one field inversion among
/// the seals of a batch and spreads large batches over the cores.
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
    ///
    /// In a build with `--cfg sealpost_x25519="aws-lc"` no table is built: every seal
    /// runs AWS-LC's X25519, as that choice promises.
    pub fn new(public_key: &PublicKey) -> Self {
        let table = if cfg!(sealpost_x25519 = "aws-lc") {
            None
        } else {
            RecipientTable::new(public_key.as_bytes())
        };
        Recipient {
            public_key: *public_key,
            table,
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
    ///
    /// # Panics
    ///
    /// As [`PublicKey::seal_with_rng`], only on an X25519 fault that no key can cause.
    pub fn seal_with_rng<R: CryptoRng + ?Sized>(&self, rng: &mut R, msg: &[u8]) -> Vec<u8> {
        self.seal_with_ephemeral(&crate::rng::secret_from(rng), msg)
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

    /// Seals every message of `msgs`, in order, each with its own fresh ephemeral key
    /// from the operating system. With the `std` feature a batch of 32 or more is spread
    /// over the available cores, which take blocks of 16 seals until none are left; the
    /// boxes are the same either way.
    ///
    /// ```
    /// use sealpost_seal::{Recipient, SecretKey};
    ///
    /// let secret = SecretKey::generate();
    /// let values: Vec<String> = (0..100).map(|i| format!("value {i}")).collect();
    /// let sealed = Recipient::new(&secret.public_key()).seal_many(&values);
    /// assert_eq!(secret.open(&sealed[42])?, b"value 42");
    /// # Ok::<(), sealpost_seal::Error>(())
    /// ```
    ///
    /// # Panics
    ///
    /// If the operating system cannot provide random bytes.
    #[cfg(feature = "getrandom")]
    pub fn seal_many<M: AsRef<[u8]> + Sync>(&self, msgs: &[M]) -> Vec<Vec<u8>> {
        let ephemerals = crate::rng::os_secrets(msgs.len());
        self.seal_batch(&ephemerals, msgs)
    }

    /// Seals every message of `msgs`, in order, drawing the ephemeral secrets from `rng`
    /// first: the result equals a loop of [`Recipient::seal_with_rng`] with the same
    /// `rng`, though the work may be spread over several cores.
    pub fn seal_many_with_rng<R: CryptoRng + ?Sized, M: AsRef<[u8]> + Sync>(
        &self,
        rng: &mut R,
        msgs: &[M],
    ) -> Vec<Vec<u8>> {
        self.seal_batch(&crate::rng::secrets_from(rng, msgs.len()), msgs)
    }

    /// Seals `msgs[i]` with `ephemerals[i]`, on as many threads as pay off.
    fn seal_batch<M: AsRef<[u8]> + Sync>(
        &self,
        ephemerals: &[[u8; 32]],
        msgs: &[M],
    ) -> Vec<Vec<u8>> {
        #[cfg(feature = "std")]
        {
            let threads = parallelism(msgs.len());
            if threads > 1 {
                return self.seal_on_threads(threads, ephemerals, msgs);
            }
        }
        self.seal_each(ephemerals, msgs)
    }

    /// Seals `msgs[i]` with `ephemerals[i]`, one after the other; with the table, the
    /// shared secrets of every [`INVERSION_BATCH`] seals share one field inversion.
    fn seal_each<M: AsRef<[u8]>>(&self, ephemerals: &[[u8; 32]], msgs: &[M]) -> Vec<Vec<u8>> {
        let Some(table) = &self.table else {
            return ephemerals
                .iter()
                .zip(msgs)
                .map(|(ephemeral, msg)| self.seal_with_ephemeral(ephemeral, msg.as_ref()))
                .collect();
        };
        let mut sealed = Vec::with_capacity(msgs.len());
        for (ephemerals, msgs) in ephemerals
            .chunks(INVERSION_BATCH)
            .zip(msgs.chunks(INVERSION_BATCH))
        {
            let keys = x25519::public_and_shared_many(table, ephemerals);
            for ((epk, shared), msg) in keys.iter().zip(msgs) {
                sealed.push(self.seal_with_keys(epk, shared, msg.as_ref()));
            }
        }
        sealed
    }

    /// Seals on `threads` threads (the caller's and `threads - 1` more) that take
    /// blocks of [`MIN_SEALS_PER_THREAD`] messages from a shared counter until none are
    /// left. On a busy machine a starved helper thread then costs little: the caller
    /// takes the blocks it does not get to.
    #[cfg(feature = "std")]
    fn seal_on_threads<M: AsRef<[u8]> + Sync>(
        &self,
        threads: usize,
        ephemerals: &[[u8; 32]],
        msgs: &[M],
    ) -> Vec<Vec<u8>> {
        use std::sync::atomic::{AtomicUsize, Ordering};

        let next = AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            loop {
                let start = next.fetch_add(MIN_SEALS_PER_THREAD, Ordering::Relaxed);
                if start >= msgs.len() {
                    return done;
                }
                let end = (start + MIN_SEALS_PER_THREAD).min(msgs.len());
                done.push((
                    start,
                    self.seal_each(&ephemerals[start..end], &msgs[start..end]),
                ));
            }
        };
        let mut blocks = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut blocks = work();
            for helper in helpers {
                match helper.join() {
                    Ok(theirs) => blocks.extend(theirs),
                    // Sealing does not panic; if it ever did, pass it on unchanged.
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            blocks
        });
        blocks.sort_unstable_by_key(|&(start, _)| start);
        let mut sealed = Vec::with_capacity(msgs.len());
        for (_, block) in blocks {
            sealed.extend(block);
        }
        sealed
    }

    fn seal_with_ephemeral(&self, ephemeral: &[u8; 32], msg: &[u8]) -> Vec<u8> {
        let (epk, shared) = match &self.table {
            Some(table) => x25519::public_and_shared_through(table, ephemeral),
            None => x25519::public_and_shared(ephemeral, self.public_key.as_bytes()),
        };
        self.seal_with_keys(&epk, &shared, msg)
    }

    /// The box for `msg` from the ephemeral public key and its shared secret with us.
    fn seal_with_keys(&self, epk: &[u8; 32], shared: &[u8; 32], msg: &[u8]) -> Vec<u8> {
        x25519::refuse_zero(shared);
        let key = sealed_box::box_key(shared);
        sealed_box::assemble(epk, self.public_key.as_bytes(), &key, msg)
    }
}

/// How many threads to seal `count` messages on: one per core, but no thread for fewer
/// than [`MIN_SEALS_PER_THREAD`] seals, which would cost more to start than it saves.
#[cfg(feature = "std")]
fn parallelism(count: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, core::num::NonZero::get);
    cores.min(count / MIN_SEALS_PER_THREAD).max(1)
}

/// Seals whose shared secrets share one field inversion: enough to make its cost
/// negligible, few enough to keep the intermediate values of a huge batch small.
const INVERSION_BATCH: usize = 64;

/// Starting a thread costs about as much as one or two seals of a short message; threads
/// also take work in blocks of this many seals.
#[cfg(feature = "std")]
const MIN_SEALS_PER_THREAD: usize = 16;

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

#[cfg(test)]
mod tests {
    use super::*;

    /// As `PublicKey`'s: the table path refuses an all-zero shared secret too (u = 0
    /// has a table, of a point of order 2, so every product is the identity).
    #[test]
    #[should_panic(expected = "all-zero shared secret")]
    fn a_seal_with_an_all_zero_shared_secret_is_refused() {
        let recipient = Recipient {
            public_key: PublicKey::from_derived([0; 32]),
            table: RecipientTable::new(&[0; 32]),
        };
        assert!(recipient.table.is_some());
        recipient.seal_with_ephemeral(&[0x42; 32], b"secret");
    }
}
