//! The table multiplication four field elements at a time, with AVX-512 IFMA, on CPUs
//! that have it.
//!
//! A point `(X : Y : Z : T)` is one [`Lanes`] value, lane by lane, and a table entry is
//! stored as `(y - x, y + x, 2, 2dxy)`. The formulas are the scalar path's
//! ([`Extended::add_niels`] and [`Extended::double`]), arranged so that each step is two
//! four-way multiplications:
//!
//! ```text
//! addition:  (Y - X, Y + X, Z, T) ⊙ (y - x, y + x, 2, 2dxy) = (MM, PP, 2Z, TT)
//!            E, H, G, F = PP - MM, PP + MM, 2Z + TT, 2Z - TT
//!            (E, H, G, E) ⊙ (F, G, F, H) = (X', Y', Z', T')
//! doubling:  (X, Y, Z, X + Y) ⊙ (X, Y, Z, X + Y) = (XX, YY, ZZ, SS)
//!            E, H, G, F = SS - (YY + XX), YY + XX, YY - XX, 2ZZ - (YY - XX)
//!            then the same last multiplication.
//! ```
//!
//! The field arithmetic is in [`crate::x25519::ifma`], with its limb bounds. Table
//! entries are fiat-crypto's tight elements; `2p - 2dxy` for a negative digit is below
//! 2^52, so it can be a factor without a carry.
//!
//! Nothing here branches on or indexes by a value: the table scan reads every entry and
//! keeps one with masks from vector compares.

use core::arch::x86_64::{
    __m256i, _mm256_and_si256, _mm256_cmpeq_epi64, _mm256_or_si256, _mm256_set1_epi64x,
    _mm256_xor_si256,
};

use alloc::boxed::Box;

use zeroize::Zeroize;

use super::{DIGITS, Extended, HALF, Niels, ROWS, WINDOW, magnitude_and_sign};
use crate::x25519::barrier;
use crate::x25519::field::Fe;
use crate::x25519::ifma::{
    Ifma, Lanes, add, blend, carry, element, from_elements, from_second, load, mul, order, permute,
    store, sub, sums_and_differences, zero,
};

/// `Σ digits_i 2^(WINDOW·i) · P` for the point `P` whose multiples `rows` holds.
pub(super) fn multiply(ifma: Ifma, rows: &[Row; ROWS], digits: &[i8; DIGITS]) -> Extended {
    #[allow(unsafe_code)]
    // SAFETY: `ifma` exists, so the CPU has AVX-512 IFMA and VL.
    unsafe {
        multiply_with(ifma, rows, digits)
    }
}

/// A table entry: limb `k` of lane `l` at `4k + l`, lanes `(y - x, y + x, 2, 2dxy)`.
pub(super) type Entry = [u64; 20];

/// `[1P, 2P, ..., HALF·P]` for one multiple `P` of the recipient's point.
pub(super) type Row = [Entry; HALF];

/// The rows for the multiples `points` (row by row, as `affine_multiples` gives them);
/// `None` unless there are `ROWS` rows. A fixed number, so that the multiplication's
/// loops have no test for an empty table: the disassembly check allows no conditional
/// branch but loop back-edges.
pub(super) fn rows(points: &[Niels]) -> Option<Box<[Row; ROWS]>> {
    let rows: Box<[Row]> = points
        .chunks_exact(HALF)
        .map(|row| core::array::from_fn(|j| entry(&row[j])))
        .collect();
    rows.try_into().ok()
}

/// The entry for an affine point.
fn entry(point: &Niels) -> Entry {
    let lanes = [
        point.y_minus_x.0,
        point.y_plus_x.0,
        [2, 0, 0, 0, 0],
        point.xy2d.0,
    ];
    core::array::from_fn(|i| lanes[i % 4][i / 4])
}

/// `(E, H, G, F)` to the point `(EF : HG : GF : EH)`.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn finish(completed: Lanes) -> Lanes {
    let first = permute::<{ order([0, 1, 2, 0]) }>(completed);
    let second = permute::<{ order([3, 2, 3, 1]) }>(completed);
    mul(first, second)
}

/// `p + q` for a point `p` (carried) and an entry `q` (limbs below 2^52).
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn add_entry(p: Lanes, q: Lanes) -> Lanes {
    let zero = zero();
    let yyzt = permute::<{ order([1, 1, 2, 3]) }>(p);
    let xx00 = blend::<{ from_second([true, true, false, false]) }>(
        zero,
        permute::<{ order([0, 0, 0, 0]) }>(p),
    );
    // (Y - X, Y + X, Z, T)
    let a = sums_and_differences::<{ from_second([true, false, false, false]) }>(yyzt, xx00);
    // (MM, PP, 2Z, TT)
    let r = mul(a, q);
    let pp_2z = permute::<{ order([1, 1, 2, 2]) }>(r);
    let mm_tt = permute::<{ order([0, 0, 3, 3]) }>(r);
    finish(sums_and_differences::<
        { from_second([true, false, false, true]) },
    >(pp_2z, mm_tt))
}

/// `2p` for a carried point `p`.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn double(p: Lanes) -> Lanes {
    let zero = zero();
    let xyzx = permute::<{ order([0, 1, 2, 0]) }>(p);
    let ooo_y = blend::<{ from_second([false, false, false, true]) }>(
        zero,
        permute::<{ order([1, 1, 1, 1]) }>(p),
    );
    let s = carry(add(xyzx, ooo_y));
    // (XX, YY, ZZ, SS)
    let squares = mul(s, s);
    let yy = permute::<{ order([1, 1, 1, 1]) }>(squares);
    let xx = permute::<{ order([0, 0, 0, 0]) }>(squares);
    // (YY + XX, YY + XX, YY - XX, YY - XX)
    let d = sums_and_differences::<{ from_second([false, false, true, true]) }>(yy, xx);
    let ss_zz = permute::<{ order([3, 3, 2, 2]) }>(squares);
    // (SS, SS, ZZ, 2ZZ): limbs below 2^53.
    let e = blend::<{ from_second([false, false, false, true]) }>(ss_zz, add(ss_zz, ss_zz));
    finish(carry(blend::<{ from_second([true, false, false, true]) }>(
        d,
        sub(e, d),
    )))
}

/// `digit · P` from `row`, reading every entry; `digit` in `-HALF..=HALF`.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn select(row: &Row, digit: i8) -> Lanes {
    // Each entry is masked with a vector compare and OR-ed in. The masks pass a barrier
    // first: without one, LLVM computes each with a scalar compare and turns the masking
    // into masked loads, whose timing is less clearly independent of the mask.
    let (magnitude, negative) = magnitude_and_sign(digit);
    let wanted = _mm256_set1_epi64x(i64::from(magnitude));
    let mut multiple = 0;
    let keep: [__m256i; HALF + 1] = core::array::from_fn(|_| {
        let keep = barrier::m256(_mm256_cmpeq_epi64(wanted, _mm256_set1_epi64x(multiple)));
        multiple += 1;
        keep
    });
    let identity = load(&entry(&Niels::IDENTITY));
    let mut point = Lanes(identity.0.map(|limb| _mm256_and_si256(keep[0], limb)));
    for (keep, candidate) in keep[1..].iter().zip(row) {
        let candidate = load(candidate);
        for (limb, new) in point.0.iter_mut().zip(candidate.0) {
            *limb = _mm256_or_si256(*limb, _mm256_and_si256(*keep, new));
        }
    }
    // Deliberately broken, for `.ci/run` to see the disassembly check fail: a branch on
    // the secret magnitude and a load from an address computed from it. Never built
    // but with `--cfg sealpost_broken_scan`.
    #[cfg(sealpost_broken_scan)]
    if magnitude != 0 {
        point = load(&row[usize::from(magnitude - 1) % HALF]);
    }
    // -P = (y + x, y - x, 2, -2dxy); 2p - 2dxy is below 2^52.
    let zero = zero();
    let negated = blend::<{ from_second([false, false, false, true]) }>(
        permute::<{ order([1, 0, 2, 3]) }>(point),
        sub(zero, point),
    );
    let negative = _mm256_set1_epi64x(negative.cast_signed());
    Lanes(core::array::from_fn(|k| {
        let flip = _mm256_and_si256(_mm256_xor_si256(point.0[k], negated.0[k]), negative);
        _mm256_xor_si256(point.0[k], flip)
    }))
}

/// The multiplication itself; see [`multiply`].
#[target_feature(enable = "avx512ifma,avx512vl")]
fn multiply_with(_: Ifma, rows: &[Row; ROWS], digits: &[i8; DIGITS]) -> Extended {
    let mut acc = from_elements([Fe::ZERO, Fe::ONE, Fe::ONE, Fe::ZERO]);
    for (row, pair) in rows.iter().zip(digits.chunks_exact(2)) {
        acc = add_entry(acc, select(row, pair[1]));
    }
    for _ in 0..WINDOW {
        acc = double(acc);
    }
    for (row, pair) in rows.iter().zip(digits.chunks_exact(2)) {
        acc = add_entry(acc, select(row, pair[0]));
    }
    let mut limbs = store(acc);
    let point = Extended {
        x: element(&limbs, 0),
        y: element(&limbs, 1),
        z: element(&limbs, 2),
        t: element(&limbs, 3),
    };
    limbs.zeroize();
    point
}

#[cfg(test)]
#[allow(unsafe_code)]
mod tests {
    use subtle::ConstantTimeEq;

    use super::super::{Portable, affine_multiples, limb_rows};
    use super::*;
    use crate::x25519::ifma::tests::{ifma, next};

    #[test]
    fn select_picks_the_entry_of_the_digit() {
        let Some(_ifma) = ifma() else { return };
        let mut u = [0u8; 32];
        u[0] = 9;
        let points = affine_multiples(&u).unwrap();
        for (row_points, row_index) in points.chunks_exact(HALF).zip(0..3) {
            let row: Row = core::array::from_fn(|j| entry(&row_points[j]));
            let half = i8::try_from(HALF).unwrap();
            for digit in -half..=half {
                let point = match digit.unsigned_abs() {
                    0 => Niels::IDENTITY,
                    m => row_points[usize::from(m) - 1],
                };
                let expected = if digit < 0 {
                    [
                        point.y_plus_x,
                        point.y_minus_x,
                        Fe([2, 0, 0, 0, 0]),
                        point.xy2d.neg(),
                    ]
                } else {
                    [
                        point.y_minus_x,
                        point.y_plus_x,
                        Fe([2, 0, 0, 0, 0]),
                        point.xy2d,
                    ]
                };
                // SAFETY: as above.
                let got = unsafe { store(select(&row, digit)) };
                for (l, expected) in expected.iter().enumerate() {
                    assert_eq!(
                        element(&got, l).to_bytes(),
                        expected.to_bytes(),
                        "row {row_index} digit {digit} lane {l}"
                    );
                }
            }
        }
    }

    /// Any digits, not only those of clamped scalars: the extremes ±16 everywhere too.
    #[test]
    fn multiply_matches_the_scalar_path_for_any_digits() {
        let Some(ifma) = ifma() else { return };
        let mut state = 7;
        let half = i8::try_from(HALF).unwrap();
        let mut u = [0u8; 32];
        u[0] = 9;
        let points = affine_multiples(&u).unwrap();
        let lanes = rows(&points).unwrap();
        let limbs = limb_rows(&points);
        for round in 0..200 {
            let digits: [i8; DIGITS] = match round {
                0 => [half; DIGITS],
                1 => [-half; DIGITS],
                2 => core::array::from_fn(|i| if i % 2 == 0 { half } else { -half }),
                _ => core::array::from_fn(|_| {
                    let magnitude = i8::try_from(next(&mut state) % (HALF as u64 + 1)).unwrap();
                    if next(&mut state).is_multiple_of(2) {
                        magnitude
                    } else {
                        -magnitude
                    }
                }),
            };
            let got = multiply(ifma, &lanes, &digits);
            let expected = super::super::multiply_with(Portable, &limbs, &digits);
            // Equal as projective points: X1 Z2 = X2 Z1 and Y1 Z2 = Y2 Z1.
            let same_x = got.x.mul(expected.z).ct_eq(&expected.x.mul(got.z));
            let same_y = got.y.mul(expected.z).ct_eq(&expected.y.mul(got.z));
            assert!(bool::from(same_x & same_y), "round {round}");
        }
    }
}
