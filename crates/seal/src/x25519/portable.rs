//! The portable backend: curve25519-dalek, pure Rust, `no_std`.

use curve25519_dalek::montgomery::MontgomeryPoint;
use zeroize::Zeroizing;

/// `X25519(secret, 9)`: dalek's radix-16 base point table, then one inversion.
pub(super) fn public_from_secret(secret: &[u8; 32]) -> [u8; 32] {
    MontgomeryPoint::mul_base_clamped(*secret).to_bytes()
}

/// `X25519(secret, u)`.
///
/// For a `u` on Curve25519 (every honest key), through the Edwards form: dalek's
/// variable-base Edwards multiplication runs on its AVX2 backend where the CPU has one,
/// and with the two conversions (a square root and two inversions) is still about a
/// third faster than the Montgomery ladder, which dalek only has in serial code. Points
/// on the twist have no Edwards form and take the ladder; `u` is public either way.
pub(super) fn diffie_hellman(secret: &[u8; 32], u: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let point = MontgomeryPoint(*u);
    let shared = match point.to_edwards(0) {
        Some(edwards) => edwards.mul_clamped(*secret).to_montgomery(),
        None => point.mul_clamped(*secret),
    };
    Zeroizing::new(shared.to_bytes())
}
