//! `X25519(k, u)` by RFC 7748's Montgomery ladder on fiat-crypto's field, for builds and
//! CPUs without a faster one. It returns the result as a fraction, so that a seal can
//! share the final inversion with its ephemeral public key ([`super::fraction`]).
//!
//! Each step swaps the two points under a mask (`subtle`), and the scalar's bits are read
//! at public positions: nothing branches on or indexes by the scalar.

use subtle::{Choice, ConditionallySelectable};
use zeroize::{Zeroize, Zeroizing};

use super::field::Fe;
use super::fraction::Fraction;

/// `X25519(secret, u)` before its inversion: clamps `secret` as X25519 does, ignores the
/// top bit of `u` and reduces it modulo p. Zero exactly when `u` has small order.
// The names are RFC 7748's.
#[allow(clippy::many_single_char_names)]
pub(super) fn fraction(secret: &[u8; 32], u: &[u8; 32]) -> Fraction {
    let mut scalar = Zeroizing::new(*secret);
    scalar[0] &= 0xf8;
    scalar[31] &= 0x7f;
    scalar[31] |= 0x40;
    let x1 = Fe::from_bytes(u);
    let (mut x2, mut z2, mut x3, mut z3) = (Fe::ONE, Fe::ZERO, x1, Fe::ONE);
    let mut swap = Choice::from(0);
    for i in (0..255).rev() {
        // The position is public; the bit is not.
        let bit = Choice::from((scalar[i / 8] >> (i % 8)) & 1);
        swap ^= bit;
        Fe::conditional_swap(&mut x2, &mut x3, swap);
        Fe::conditional_swap(&mut z2, &mut z3, swap);
        swap = bit;
        let a = x2.add(z2);
        let b = x2.sub(z2);
        let c = x3.add(z3);
        let d = x3.sub(z3);
        let aa = a.square();
        let bb = b.square();
        let da = d.mul(a);
        let cb = c.mul(b);
        let e = aa.sub(bb);
        x3 = da.add(cb).square();
        z3 = x1.mul(da.sub(cb).square());
        x2 = aa.mul(bb);
        // AA + 121665 E = BB + 121666 E.
        z2 = e.mul(bb.add(e.mul_121666()));
    }
    Fe::conditional_swap(&mut x2, &mut x3, swap);
    Fe::conditional_swap(&mut z2, &mut z3, swap);
    let fraction = Fraction::new(x2, z2);
    for element in [&mut x2, &mut z2, &mut x3, &mut z3] {
        element.zeroize();
    }
    fraction
}

#[cfg(test)]
mod tests {
    use curve25519_dalek::montgomery::MontgomeryPoint;

    use super::*;

    #[test]
    fn ladder_matches_dalek_for_random_points_and_scalars() {
        let mut state = 0x5eed_u64;
        let mut bytes = || {
            let mut out = [0u8; 32];
            for chunk in out.chunks_exact_mut(8) {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                chunk.copy_from_slice(&(state ^ (state >> 29)).to_le_bytes());
            }
            out
        };
        for _ in 0..200 {
            let (secret, u) = (bytes(), bytes());
            let expected = MontgomeryPoint(u).mul_clamped(secret).to_bytes();
            assert_eq!(*fraction(&secret, &u).value(), expected, "u = {u:02x?}");
        }
    }
}
