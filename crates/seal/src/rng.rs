//! Randomness from the operating system.

use zeroize::Zeroizing;

/// 32 fresh random bytes for an ephemeral or long-term secret key.
///
/// A failing OS generator is not an input error a caller could handle: it means the
/// platform cannot do cryptography at all, so we stop rather than seal with a weak key.
#[allow(clippy::panic)]
pub(crate) fn os_secret() -> Zeroizing<[u8; 32]> {
    let mut secret = Zeroizing::new([0u8; 32]);
    if let Err(err) = getrandom::fill(secret.as_mut()) {
        panic!("the operating system's random number generator failed: {err}");
    }
    secret
}

/// `count` fresh random 32-byte secrets, drawn with one call to the operating system.
#[allow(clippy::panic)]
pub(crate) fn os_secrets(count: usize) -> Zeroizing<alloc::vec::Vec<[u8; 32]>> {
    let mut secrets = Zeroizing::new(alloc::vec![[0u8; 32]; count]);
    if let Err(err) = getrandom::fill(secrets.as_flattened_mut()) {
        panic!("the operating system's random number generator failed: {err}");
    }
    secrets
}
