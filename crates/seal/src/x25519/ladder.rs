//! `X25519(k, u)` by RFC 7748's Montgomery ladder, four field elements at a time with
//! AVX-512 IFMA ([`crate::x25519::ifma`]), for CPUs that have it.
//!
//! The state `(x2, z2, x3, z3)` is one [`Lanes`] value. Each of the 255 steps is the
//! RFC's formulas in three four-way multiplications:
//!
//! ```text
//! A, B, C, D = x2 + z2, x2 - z2, x3 + z3, x3 - z3
//! (A, B, C, D)         ⊙ (A, B, B, A)              = (AA, BB, CB, DA)
//! (AA, DA + CB, DA - CB, E) ⊙ (BB, DA + CB, DA - CB, a24)
//!                                                  = (x2', x3', G, a24·E)  with E = AA - BB
//! (G, AA + a24·E, ·, ·) ⊙ (u, E, ·, ·)             = (z3', z2', ·, ·)
//! ```
//!
//! The conditional swap exchanges the lane pairs under a mask, and the scalar's bits are
//! read at public positions: nothing branches on or indexes by the scalar. The final
//! `x2 / z2` is fiat-crypto's inversion, which a seal shares with its ephemeral public
//! key's ([`super::fraction`]).

use core::arch::x86_64::{_mm256_and_si256, _mm256_set1_epi64x, _mm256_xor_si256};

use zeroize::Zeroizing;

use super::field::Fe;
use super::fraction::Fraction;
use super::ifma::{
    Ifma, Lanes, add, blend, carry, element, from_elements, from_second, mul, order, permute,
    store, sums_and_differences, zero,
};

/// `X25519(secret, u)`: clamps `secret` as X25519 does, ignores the top bit of `u` and
/// reduces it modulo p; all zeros exactly when `u` has small order.
pub(super) fn diffie_hellman(ifma: Ifma, secret: &[u8; 32], u: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    fraction(ifma, secret, u).value()
}

/// [`diffie_hellman`] before its inversion: `x2 / z2` of the final state.
pub(super) fn fraction(ifma: Ifma, secret: &[u8; 32], u: &[u8; 32]) -> Fraction {
    #[allow(unsafe_code)]
    // SAFETY: `ifma` exists, so the CPU has AVX-512 IFMA and VL.
    unsafe {
        ladder(ifma, secret, u)
    }
}

/// Exchanges `(x2, z2)` and `(x3, z3)` when `swap` is 1, in constant time.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn conditional_swap(state: Lanes, swap: u64) -> Lanes {
    // All ones to swap; the barrier keeps the masking free of branches.
    let mask = _mm256_set1_epi64x(super::barrier::u64(swap.wrapping_neg()).cast_signed());
    let swapped = permute::<{ order([2, 3, 0, 1]) }>(state);
    Lanes(core::array::from_fn(|k| {
        let flip = _mm256_and_si256(_mm256_xor_si256(state.0[k], swapped.0[k]), mask);
        _mm256_xor_si256(state.0[k], flip)
    }))
}

/// One ladder step on `(x2, z2, x3, z3)` (carried): `u` is `(u, ·, ·, ·)` and `a24` is
/// `(·, ·, ·, 121665)`.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn step(state: Lanes, u: Lanes, a24: Lanes) -> Lanes {
    let x2_x2_x3_x3 = permute::<{ order([0, 0, 2, 2]) }>(state);
    let z2_z2_z3_z3 = permute::<{ order([1, 1, 3, 3]) }>(state);
    // (A, B, C, D)
    let abcd = sums_and_differences::<{ from_second([false, true, false, true]) }>(
        x2_x2_x3_x3,
        z2_z2_z3_z3,
    );
    // (AA, BB, CB, DA)
    let products = mul(abcd, permute::<{ order([0, 1, 1, 0]) }>(abcd));
    let zero = zero();
    let aa_da_da_aa = permute::<{ order([0, 3, 3, 0]) }>(products);
    let o_cb_cb_bb = blend::<{ from_second([false, true, true, true]) }>(
        zero,
        permute::<{ order([0, 2, 2, 1]) }>(products),
    );
    // (AA, DA + CB, DA - CB, E)
    let left = sums_and_differences::<{ from_second([false, false, true, true]) }>(
        aa_da_da_aa,
        o_cb_cb_bb,
    );
    // (BB, DA + CB, DA - CB, a24)
    let right = blend::<{ from_second([false, true, true, false]) }>(
        blend::<{ from_second([false, false, false, true]) }>(
            permute::<{ order([1, 1, 1, 1]) }>(products),
            a24,
        ),
        left,
    );
    // (x2', x3', G, a24·E)
    let second = mul(left, right);
    // (G, AA + a24·E, ·, ·)
    let g_aa = blend::<{ from_second([false, true, false, false]) }>(
        zero,
        permute::<{ order([0, 0, 0, 0]) }>(products),
    );
    let third_left = carry(add(permute::<{ order([2, 3, 2, 3]) }>(second), g_aa));
    // (u, E, ·, ·)
    let third_right = blend::<{ from_second([false, true, false, false]) }>(
        u,
        permute::<{ order([3, 3, 3, 3]) }>(left),
    );
    // (z3', z2', ·, ·)
    let third = mul(third_left, third_right);
    blend::<{ from_second([false, true, false, true]) }>(
        permute::<{ order([0, 0, 1, 1]) }>(second),
        permute::<{ order([1, 1, 0, 0]) }>(third),
    )
}

/// The ladder itself; see [`diffie_hellman`].
#[target_feature(enable = "avx512ifma,avx512vl")]
fn ladder(_: Ifma, secret: &[u8; 32], u: &[u8; 32]) -> Fraction {
    let mut scalar = Zeroizing::new(*secret);
    scalar[0] &= 0xf8;
    scalar[31] &= 0x7f;
    scalar[31] |= 0x40;
    let u = Fe::from_bytes(u);
    let a24 = from_elements([Fe::ZERO, Fe::ZERO, Fe::ZERO, Fe([121_665, 0, 0, 0, 0])]);
    let u_lanes = from_elements([u, u, u, u]);
    let mut state = from_elements([Fe::ONE, Fe::ZERO, u, Fe::ONE]);
    let mut swap = 0;
    for bit in (0..255).rev() {
        // The position is public; the bit is not.
        let k = u64::from((scalar[bit / 8] >> (bit % 8)) & 1);
        state = conditional_swap(state, swap ^ k);
        swap = k;
        state = step(state, u_lanes, a24);
    }
    state = conditional_swap(state, swap);
    let limbs = Zeroizing::new(store(state));
    Fraction::new(element(&limbs, 0), element(&limbs, 1))
}

#[cfg(test)]
mod tests {
    use curve25519_dalek::montgomery::MontgomeryPoint;

    use super::*;
    use crate::x25519::ifma::tests::{ifma, next};

    fn bytes(state: &mut u64) -> [u8; 32] {
        let mut out = [0u8; 32];
        for chunk in out.chunks_exact_mut(8) {
            chunk.copy_from_slice(&next(state).to_le_bytes());
        }
        out
    }

    /// Against curve25519-dalek's serial ladder here; against libsodium, with crafted
    /// points, in `x25519`'s tests.
    #[test]
    fn ladder_matches_dalek_for_random_points_and_scalars() {
        let Some(ifma) = ifma() else { return };
        let mut state = 11;
        for _ in 0..300 {
            let (secret, u) = (bytes(&mut state), bytes(&mut state));
            let expected = MontgomeryPoint(u).mul_clamped(secret).to_bytes();
            assert_eq!(*diffie_hellman(ifma, &secret, &u), expected, "u = {u:02x?}");
        }
    }
}
