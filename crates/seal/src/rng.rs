//! Where ephemeral and long-term secrets come from: a caller's RNG, or the operating
//! system.

use rand_core::CryptoRng;
use zeroize::Zeroizing;

/// 32 bytes from `rng` for one secret key.
pub(crate) fn secret_from<R: CryptoRng + ?Sized>(rng: &mut R) -> Zeroizing<[u8; 32]> {
    let mut secret = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(secret.as_mut());
    secret
}

/// `count` secrets from `rng`, in order: the same bytes `count` calls of
/// [`secret_from`] would give.
pub(crate) fn secrets_from<R: CryptoRng + ?Sized>(
    rng: &mut R,
    count: usize,
) -> Zeroizing<alloc::vec::Vec<[u8; 32]>> {
    let mut secrets = Zeroizing::new(alloc::vec![[0u8; 32]; count]);
    for secret in secrets.iter_mut() {
        rng.fill_bytes(secret);
    }
    secrets
}

/// 32 fresh random bytes for an ephemeral or long-term secret key.
///
/// A failing OS generator is not an input error a caller could handle: it means the
/// platform cannot do cryptography at all, so we stop rather than seal with a weak key.
#[cfg(feature = "getrandom")]
#[allow(clippy::panic)]
pub(crate) fn os_secret() -> Zeroizing<[u8; 32]> {
    let mut secret = Zeroizing::new([0u8; 32]);
    if let Err(err) = getrandom::fill(secret.as_mut()) {
        panic!("the operating system's random number generator failed: {err}");
    }
    secret
}

/// `count` fresh random 32-byte secrets, drawn with one call to the operating system.
#[cfg(feature = "getrandom")]
#[allow(clippy::panic)]
pub(crate) fn os_secrets(count: usize) -> Zeroizing<alloc::vec::Vec<[u8; 32]>> {
    let mut secrets = Zeroizing::new(alloc::vec![[0u8; 32]; count]);
    if let Err(err) = getrandom::fill(secrets.as_flattened_mut()) {
        panic!("the operating system's random number generator failed: {err}");
    }
    secrets
}
