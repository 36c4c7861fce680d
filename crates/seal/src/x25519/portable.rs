//! The portable backend: curve25519-dalek, pure Rust, `no_std`.

use curve25519_dalek::montgomery::MontgomeryPoint;
use zeroize::Zeroizing;

/// `X25519(secret, 9)`: dalek's radix-16 base point table, then one inversion.
pub(super) fn public_from_secret(secret: &[u8; 32]) -> [u8; 32] {
    MontgomeryPoint::mul_base_clamped(*secret).to_bytes()
}

/// `X25519(secret, u)` with dalek's Montgomery ladder.
pub(super) fn diffie_hellman(secret: &[u8; 32], u: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    Zeroizing::new(MontgomeryPoint(*u).mul_clamped(*secret).to_bytes())
}
