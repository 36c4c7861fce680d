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
//! `x2 / z2` is fiat-crypto's inversion.
//!
//! A one-shot seal needs `X25519(k, 9)` and `X25519(k, u)` for the same `k`:
//! [`public_and_shared`] runs both ladders in step (the swaps are the same), with their
//! half-empty third multiplications in one, and one inversion for the two results.

use core::arch::x86_64::{
    _mm256_and_si256, _mm256_set1_epi64x, _mm256_setzero_si256, _mm256_xor_si256,
};

use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroizing;

use super::field::Fe;
use super::ifma::{
    Ifma, Lanes, add, blend, carry, element, from_elements, from_second, mul, order, permute,
    store, sub,
};

/// `X25519(secret, u)`: clamps `secret` as X25519 does, ignores the top bit of `u` and
/// reduces it modulo p; all zeros exactly when `u` has small order.
pub(super) fn diffie_hellman(ifma: Ifma, secret: &[u8; 32], u: &[u8; 32]) -> Zeroizing<[u8; 32]> {
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
    let mask = _mm256_set1_epi64x(core::hint::black_box(swap.wrapping_neg()).cast_signed());
    let swapped = permute::<{ order([2, 3, 0, 1]) }>(state);
    Lanes(core::array::from_fn(|k| {
        let flip = _mm256_and_si256(_mm256_xor_si256(state.0[k], swapped.0[k]), mask);
        _mm256_xor_si256(state.0[k], flip)
    }))
}

/// A ladder step's first two multiplications on `(x2, z2, x3, z3)` (carried), with
/// `a24` = `(·, ·, ·, 121665)`: returns `(x2', x3', ·, ·)`, the third multiplication's
/// left factor `(G, AA + a24·E, ·, ·)` (carried), and `E` in every lane.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn two_rounds(state: Lanes, a24: Lanes) -> (Lanes, Lanes, Lanes) {
    let zero = Lanes([_mm256_setzero_si256(); 5]);
    let x2_x2_x3_x3 = permute::<{ order([0, 0, 2, 2]) }>(state);
    let z2_z2_z3_z3 = permute::<{ order([1, 1, 3, 3]) }>(state);
    // (A, B, C, D)
    let abcd = carry(blend::<{ from_second([false, true, false, true]) }>(
        add(x2_x2_x3_x3, z2_z2_z3_z3),
        sub(x2_x2_x3_x3, z2_z2_z3_z3),
    ));
    // (AA, BB, CB, DA)
    let products = mul(abcd, permute::<{ order([0, 1, 1, 0]) }>(abcd));
    let aa_da_da_aa = permute::<{ order([0, 3, 3, 0]) }>(products);
    let o_cb_cb_bb = blend::<{ from_second([false, true, true, true]) }>(
        zero,
        permute::<{ order([0, 2, 2, 1]) }>(products),
    );
    // (AA, DA + CB, DA - CB, E)
    let left = carry(blend::<{ from_second([false, false, true, true]) }>(
        add(aa_da_da_aa, o_cb_cb_bb),
        sub(aa_da_da_aa, o_cb_cb_bb),
    ));
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
    let o_aa = blend::<{ from_second([false, true, false, false]) }>(
        zero,
        permute::<{ order([0, 0, 0, 0]) }>(products),
    );
    let third_left = carry(add(permute::<{ order([2, 3, 2, 3]) }>(second), o_aa));
    (second, third_left, permute::<{ order([3, 3, 3, 3]) }>(left))
}

/// The next state `(x2', z2', x3', z3')` from `(x2', x3', ·, ·)` and `(z3', z2', ·, ·)`.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn next_state(second: Lanes, third: Lanes) -> Lanes {
    blend::<{ from_second([false, true, false, true]) }>(
        permute::<{ order([0, 0, 1, 1]) }>(second),
        permute::<{ order([1, 1, 0, 0]) }>(third),
    )
}

/// One ladder step on `(x2, z2, x3, z3)` (carried); `u` is `(u, ·, u, ·)`.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn step(state: Lanes, u: Lanes, a24: Lanes) -> Lanes {
    let (second, third_left, e) = two_rounds(state, a24);
    // (G, AA + a24·E) ⊙ (u, E) = (z3', z2')
    let third = mul(
        third_left,
        blend::<{ from_second([false, true, false, false]) }>(u, e),
    );
    next_state(second, third)
}

/// One step of two ladders with the same scalar bit: their third multiplications share
/// one four-way multiplication. `u` is `(u_a, ·, u_b, ·)`.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn step_pair(a: Lanes, b: Lanes, u: Lanes, a24: Lanes) -> (Lanes, Lanes) {
    let (second_a, third_left_a, e_a) = two_rounds(a, a24);
    let (second_b, third_left_b, e_b) = two_rounds(b, a24);
    // (G_a, AA_a + a24·E_a, G_b, AA_b + a24·E_b) ⊙ (u_a, E_a, u_b, E_b)
    let left = blend::<{ from_second([false, false, true, true]) }>(
        third_left_a,
        permute::<{ order([0, 1, 0, 1]) }>(third_left_b),
    );
    let right = blend::<{ from_second([false, false, false, true]) }>(
        blend::<{ from_second([false, true, false, false]) }>(u, e_a),
        e_b,
    );
    let third = mul(left, right);
    (
        next_state(second_a, third),
        next_state(second_b, permute::<{ order([2, 3, 2, 3]) }>(third)),
    )
}

/// The clamped scalar, and its bits from the top, as the ladder reads them.
fn clamp(secret: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let mut scalar = Zeroizing::new(*secret);
    scalar[0] &= 0xf8;
    scalar[31] &= 0x7f;
    scalar[31] |= 0x40;
    scalar
}

/// Bit `i` of `scalar`, read at a public position.
fn bit(scalar: &[u8; 32], i: usize) -> u64 {
    u64::from((scalar[i / 8] >> (i % 8)) & 1)
}

/// `(x2, z2)` of the final state.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn fraction(state: Lanes) -> (Fe, Fe) {
    let limbs = Zeroizing::new(store(state));
    (element(&limbs, 0), element(&limbs, 1))
}

/// The ladder itself; see [`diffie_hellman`].
#[target_feature(enable = "avx512ifma,avx512vl")]
fn ladder(_: Ifma, secret: &[u8; 32], u: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let scalar = clamp(secret);
    let u = Fe::from_bytes(u);
    let a24 = from_elements([Fe::ZERO, Fe::ZERO, Fe::ZERO, Fe([121_665, 0, 0, 0, 0])]);
    let u_lanes = from_elements([u; 4]);
    let mut state = from_elements([Fe::ONE, Fe::ZERO, u, Fe::ONE]);
    let mut swap = 0;
    for i in (0..255).rev() {
        let k = bit(&scalar, i);
        state = conditional_swap(state, swap ^ k);
        swap = k;
        state = step(state, u_lanes, a24);
    }
    let (x2, z2) = fraction(conditional_swap(state, swap));
    Zeroizing::new(x2.mul(z2.invert()).to_bytes())
}

/// `(X25519(secret, 9), X25519(secret, u))`: two ladders in step, since they share
/// the scalar, and one inversion for both (Montgomery's trick).
pub(super) fn public_and_shared(
    ifma: Ifma,
    secret: &[u8; 32],
    u: &[u8; 32],
) -> ([u8; 32], Zeroizing<[u8; 32]>) {
    #[allow(unsafe_code)]
    // SAFETY: `ifma` exists, so the CPU has AVX-512 IFMA and VL.
    unsafe {
        ladder_pair(ifma, secret, u)
    }
}

/// The two ladders; see [`public_and_shared`].
#[target_feature(enable = "avx512ifma,avx512vl")]
fn ladder_pair(_: Ifma, secret: &[u8; 32], u: &[u8; 32]) -> ([u8; 32], Zeroizing<[u8; 32]>) {
    let scalar = clamp(secret);
    let nine = Fe([9, 0, 0, 0, 0]);
    let u = Fe::from_bytes(u);
    let a24 = from_elements([Fe::ZERO, Fe::ZERO, Fe::ZERO, Fe([121_665, 0, 0, 0, 0])]);
    let u_lanes = from_elements([nine, nine, u, u]);
    let mut base = from_elements([Fe::ONE, Fe::ZERO, nine, Fe::ONE]);
    let mut peer = from_elements([Fe::ONE, Fe::ZERO, u, Fe::ONE]);
    let mut swap = 0;
    for i in (0..255).rev() {
        let k = bit(&scalar, i);
        base = conditional_swap(base, swap ^ k);
        peer = conditional_swap(peer, swap ^ k);
        swap = k;
        (base, peer) = step_pair(base, peer, u_lanes, a24);
    }
    let (x_base, z_base) = fraction(conditional_swap(base, swap));
    let (x_peer, z_peer) = fraction(conditional_swap(peer, swap));
    // z_base is never zero: 9 has a large prime order. z_peer is zero exactly when u has
    // small order, and then the shared secret is zero: numerator 0, denominator 1, so
    // that the public key's inverse stays right.
    let small_order = z_peer.ct_eq(&Fe::ZERO);
    let x_peer = Fe::conditional_select(&x_peer, &Fe::ZERO, small_order);
    let z_peer = Fe::conditional_select(&z_peer, &Fe::ONE, small_order);
    let inverse = z_base.mul(z_peer).invert();
    let public = x_base.mul(inverse.mul(z_peer)).to_bytes();
    let shared = Zeroizing::new(x_peer.mul(inverse.mul(z_base)).to_bytes());
    (public, shared)
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
            let (public, shared) = public_and_shared(ifma, &secret, &u);
            assert_eq!(*shared, expected, "u = {u:02x?}");
            assert_eq!(public, MontgomeryPoint::mul_base_clamped(secret).to_bytes());
        }
    }

    /// A small-order `u` makes the shared secret zero; the public key beside it must
    /// not suffer from the shared inversion.
    #[test]
    fn public_key_survives_a_small_order_peer() {
        let Some(ifma) = ifma() else { return };
        let mut state = 12;
        for u in [[0u8; 32], {
            let mut one = [0u8; 32];
            one[0] = 1;
            one
        }] {
            let secret = bytes(&mut state);
            let (public, shared) = public_and_shared(ifma, &secret, &u);
            assert_eq!(*shared, [0; 32]);
            assert_eq!(public, MontgomeryPoint::mul_base_clamped(secret).to_bytes());
        }
    }
}
