//! X25519 as libsodium computes it: clamped scalars, the top bit of a `u`-coordinate
//! ignored, and every small-order point refused.

use curve25519_dalek::montgomery::MontgomeryPoint;
use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroizing;

/// The encodings of the small-order points of Curve25519 and its twist, with the top
/// bit clear. A `u`-coordinate is read modulo 2^255 (the top bit is ignored) and then
/// modulo p = 2^255 - 19, so these seven cover every encoding of the seven points of
/// order 1, 2, 4 and 8: 0, 1, two points of order 8, p - 1, and the non-canonical p and p + 1.
/// The same list libsodium refuses in `crypto_scalarmult_curve25519`.
const SMALL_ORDER: [[u8; 32]; 7] = [
    // 0 (order 4)
    [0; 32],
    // 1 (order 1)
    [
        0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0,
    ],
    // order 8
    [
        0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4,
        0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49,
        0xb8, 0x00,
    ],
    // order 8
    [
        0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83, 0xef,
        0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f,
        0x11, 0x57,
    ],
    // p - 1 (order 2)
    [
        0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x7f,
    ],
    // p, which is 0 (order 4)
    [
        0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x7f,
    ],
    // p + 1, which is 1 (order 1)
    [
        0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x7f,
    ],
];

/// Whether `u` encodes a point of small order (on the curve or on its twist).
///
/// Runs in time independent of `u`, though `u` is public in every use here.
pub(crate) fn is_small_order(u: &[u8; 32]) -> bool {
    let mut masked = *u;
    masked[31] &= 0x7f;
    let mut found = Choice::from(0);
    for point in &SMALL_ORDER {
        found |= masked.ct_eq(point);
    }
    found.into()
}

/// `X25519(scalar, basepoint)`: the public key of a secret key.
pub(crate) fn public_from_secret(secret: &[u8; 32]) -> [u8; 32] {
    MontgomeryPoint::mul_base_clamped(*secret).to_bytes()
}

/// `X25519(scalar, u)`: the raw shared secret.
///
/// All zeros exactly when `u` has small order. For a [`PublicKey`](crate::PublicKey)
/// that cannot happen: a clamped scalar is `8k` with `0 < k < 2^252`, smaller than
/// the large prime factor of both the curve's and the twist's order, so `[8k]u` is
/// the identity only if `u` has order dividing 8.
pub(crate) fn diffie_hellman(secret: &[u8; 32], u: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    Zeroizing::new(MontgomeryPoint(*u).mul_clamped(*secret).to_bytes())
}

/// Whether a shared secret is all zeros, in constant time.
pub(crate) fn is_zero(shared: &[u8; 32]) -> bool {
    shared.ct_eq(&[0u8; 32]).into()
}
