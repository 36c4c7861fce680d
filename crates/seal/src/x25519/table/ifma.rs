//! The table multiplication four field elements at a time, with AVX-512 IFMA
//! (`vpmadd52luq`/`vpmadd52huq`: the low and the high 52 bits of a 52 × 52-bit product,
//! added to a 64-bit lane), on CPUs that have it (checked at run time).
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
//! A four-way multiplication is about a hundred vector instructions, where the scalar
//! path spends about 250 on each of its seven multiplications per addition.
//!
//! # Limb bounds
//!
//! An element is five limbs `v_0 + v_1 2^51 + ... + v_4 2^204` in each lane. IFMA reads
//! only the low 52 bits of its factors, so every factor must have limbs below 2^52.
//! [`carry`] takes limbs below 2^63 and returns them below 2^51 + 2^17; fiat-crypto's
//! tight elements (the table entries) have limbs at most 2^51. The result goes back to
//! fiat-crypto as a loose element (limbs at most 3 · 2^51), which it carries itself. [`sub`] adds 2p, whose limbs are at least 2^52 - 38, before it
//! subtracts one of those, so no lane goes negative. Every sum and difference is carried
//! before it is multiplied, except `2p - v` for a carried `v`, which is below 2^52
//! already. Each function states what it needs.
//!
//! Nothing here branches on or indexes by a value: the table scan reads every entry and
//! keeps one with masks from vector compares.

use core::arch::x86_64::{
    __m256i, _mm256_add_epi64, _mm256_and_si256, _mm256_blend_epi32, _mm256_cmpeq_epi64,
    _mm256_loadu_si256, _mm256_madd52hi_epu64, _mm256_madd52lo_epu64, _mm256_or_si256,
    _mm256_permute4x64_epi64, _mm256_set1_epi64x, _mm256_setzero_si256, _mm256_slli_epi64,
    _mm256_srli_epi64, _mm256_storeu_si256, _mm256_sub_epi64, _mm256_xor_si256,
};

use zeroize::Zeroize;

use super::{DIGITS, Extended, HALF, Niels, WINDOW};
use crate::x25519::field::{Fe, Loose};

cpufeatures::new!(ifma_cpuid, "avx512ifma", "avx512vl");

/// Proof that the CPU has AVX-512 IFMA and VL: a value exists only where it does.
#[derive(Clone, Copy)]
pub(super) struct Ifma {
    _detected: (),
}

impl Ifma {
    pub(super) fn detect() -> Option<Ifma> {
        ifma_cpuid::get().then_some(Ifma { _detected: () })
    }

    /// `Σ digits_i 2^(WINDOW·i) · P` for the point `P` whose multiples `rows` holds.
    pub(super) fn multiply(self, rows: &[Row], digits: &[i8; DIGITS]) -> Extended {
        #[allow(unsafe_code)]
        // SAFETY: `self` exists, so the CPU has AVX-512 IFMA and VL.
        unsafe {
            multiply(self, rows, digits)
        }
    }
}

/// A table entry: limb `k` of lane `l` at `4k + l`, lanes `(y - x, y + x, 2, 2dxy)`.
pub(super) type Entry = [u64; 20];

/// `[1P, 2P, ..., HALF·P]` for one multiple `P` of the recipient's point.
pub(super) type Row = [Entry; HALF];

/// The entry for an affine point.
pub(super) fn entry(point: &Niels) -> Entry {
    let lanes = [
        point.y_minus_x.0,
        point.y_plus_x.0,
        [2, 0, 0, 0, 0],
        point.xy2d.0,
    ];
    core::array::from_fn(|i| lanes[i % 4][i / 4])
}

/// Limb `k` of four field elements, one per 64-bit lane.
#[derive(Clone, Copy)]
struct Lanes([__m256i; 5]);

/// The lanes of an entry (`identity` too is laid out that way).
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn load(entry: &Entry) -> Lanes {
    Lanes(core::array::from_fn(|k| {
        #[allow(unsafe_code)]
        // SAFETY: `entry` has 20 `u64`s, so the four from `4k` (k < 5) are in bounds; the
        // load is unaligned.
        unsafe {
            _mm256_loadu_si256(entry.as_ptr().add(4 * k).cast())
        }
    }))
}

#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn store(lanes: Lanes) -> Entry {
    let mut out = [0u64; 20];
    for (k, limb) in lanes.0.iter().enumerate() {
        #[allow(unsafe_code)]
        // SAFETY: as in `load`, into `out`.
        unsafe {
            _mm256_storeu_si256(out.as_mut_ptr().add(4 * k).cast(), *limb);
        };
    }
    out
}

/// The `_mm256_permute4x64_epi64` control that puts lane `order[l]` into lane `l`.
const fn order(order: [i32; 4]) -> i32 {
    order[0] | (order[1] << 2) | (order[2] << 4) | (order[3] << 6)
}

/// The `_mm256_blend_epi32` control that takes the marked 64-bit lanes from the second
/// operand.
const fn from_second(lanes: [bool; 4]) -> i32 {
    let mut control = 0;
    let mut l = 0;
    while l < 4 {
        if lanes[l] {
            control |= 0b11 << (2 * l);
        }
        l += 1;
    }
    control
}

#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn permute<const ORDER: i32>(v: Lanes) -> Lanes {
    Lanes(v.0.map(|limb| _mm256_permute4x64_epi64::<ORDER>(limb)))
}

#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn blend<const FROM_SECOND: i32>(a: Lanes, b: Lanes) -> Lanes {
    Lanes(core::array::from_fn(|k| {
        _mm256_blend_epi32::<FROM_SECOND>(a.0[k], b.0[k])
    }))
}

/// `a + b`, limb by limb, without carrying.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn add(a: Lanes, b: Lanes) -> Lanes {
    Lanes(core::array::from_fn(|k| _mm256_add_epi64(a.0[k], b.0[k])))
}

/// `a + 2p - b`, limb by limb, without carrying; `b`'s limbs must be at most 2^52 - 38.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn sub(a: Lanes, b: Lanes) -> Lanes {
    // p = (2^51 - 19) + (2^51 - 1)(2^51 + 2^102 + 2^153 + 2^204).
    const TWO_P: [i64; 5] = [
        (1 << 52) - 38,
        (1 << 52) - 2,
        (1 << 52) - 2,
        (1 << 52) - 2,
        (1 << 52) - 2,
    ];
    Lanes(core::array::from_fn(|k| {
        let biased = _mm256_add_epi64(a.0[k], _mm256_set1_epi64x(TWO_P[k]));
        _mm256_sub_epi64(biased, b.0[k])
    }))
}

/// The same value with limbs below 2^51 + 2^17, for limbs below 2^63: each limb keeps
/// its low 51 bits and passes the rest to the next, the last to the first times 19
/// (2^255 = 19 mod p). All limbs carry at once, so this is one round, not a chain.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn carry(v: Lanes) -> Lanes {
    let low = _mm256_set1_epi64x((1 << 51) - 1);
    let c: [__m256i; 5] = v.0.map(|limb| _mm256_srli_epi64::<51>(limb));
    Lanes(core::array::from_fn(|k| {
        let kept = _mm256_and_si256(v.0[k], low);
        if k == 0 {
            // c_4 < 2^12, so 19 c_4 is exact in the low 52 bits of the product.
            _mm256_madd52lo_epu64(kept, c[4], _mm256_set1_epi64x(19))
        } else {
            _mm256_add_epi64(kept, c[k - 1])
        }
    }))
}

/// `19 v`, for `v` below 2^59.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn times_19(v: __m256i) -> __m256i {
    let v3 = _mm256_add_epi64(v, _mm256_slli_epi64::<1>(v));
    _mm256_add_epi64(v3, _mm256_slli_epi64::<4>(v))
}

/// `a ⊙ b`, lane by lane, carried; every limb of both below 2^52.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn mul(a: Lanes, b: Lanes) -> Lanes {
    // The product a_i b_j (below 2^104) weighs 2^(51(i+j)). Its low 52 bits go to limb
    // i + j of `low`; its high part weighs 2^52 = 2 · 2^51 more and goes to limb i + j + 1
    // of `high`, doubled below. Each limb sums at most five halves: below 5 · 2^52.
    let zero = _mm256_setzero_si256();
    let mut low = [zero; 10];
    let mut high = [zero; 10];
    for i in 0..5 {
        for j in 0..5 {
            low[i + j] = _mm256_madd52lo_epu64(low[i + j], a.0[i], b.0[j]);
            high[i + j + 1] = _mm256_madd52hi_epu64(high[i + j + 1], a.0[i], b.0[j]);
        }
    }
    // z_k = low_k + 2 high_k < 15 · 2^52 < 2^56. Limb k + 5 weighs 2^255 = 19 times limb
    // k, so the result's limb k is z_k + 19 z_(k+5) < 20 · 2^56 < 2^61: carry handles it.
    let z: [__m256i; 10] =
        core::array::from_fn(|k| _mm256_add_epi64(low[k], _mm256_slli_epi64::<1>(high[k])));
    carry(Lanes(core::array::from_fn(|k| {
        _mm256_add_epi64(z[k], times_19(z[k + 5]))
    })))
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
    let zero = Lanes([_mm256_setzero_si256(); 5]);
    let yyzt = permute::<{ order([1, 1, 2, 3]) }>(p);
    let xx00 = blend::<{ from_second([true, true, false, false]) }>(
        zero,
        permute::<{ order([0, 0, 0, 0]) }>(p),
    );
    // (Y - X, Y + X, Z, T)
    let a = carry(blend::<{ from_second([true, false, false, false]) }>(
        add(yyzt, xx00),
        sub(yyzt, xx00),
    ));
    // (MM, PP, 2Z, TT)
    let r = mul(a, q);
    let pp_2z = permute::<{ order([1, 1, 2, 2]) }>(r);
    let mm_tt = permute::<{ order([0, 0, 3, 3]) }>(r);
    finish(carry(blend::<{ from_second([true, false, false, true]) }>(
        add(pp_2z, mm_tt),
        sub(pp_2z, mm_tt),
    )))
}

/// `2p` for a carried point `p`.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
fn double(p: Lanes) -> Lanes {
    let zero = Lanes([_mm256_setzero_si256(); 5]);
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
    let d = carry(blend::<{ from_second([false, false, true, true]) }>(
        add(yy, xx),
        sub(yy, xx),
    ));
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
    // first: without it, LLVM computes each with a scalar compare and turns the masking
    // into masked loads, whose timing is less clearly independent of the mask.
    let wanted = _mm256_set1_epi64x(i64::from(digit.unsigned_abs()));
    let mut multiple = 0;
    let keep: [__m256i; HALF + 1] = core::hint::black_box(core::array::from_fn(|_| {
        let keep = _mm256_cmpeq_epi64(wanted, _mm256_set1_epi64x(multiple));
        multiple += 1;
        keep
    }));
    let identity = load(&entry(&Niels::IDENTITY));
    let mut point = Lanes(identity.0.map(|limb| _mm256_and_si256(keep[0], limb)));
    for (keep, candidate) in keep[1..].iter().zip(row) {
        let candidate = load(candidate);
        for (limb, new) in point.0.iter_mut().zip(candidate.0) {
            *limb = _mm256_or_si256(*limb, _mm256_and_si256(*keep, new));
        }
    }
    // -P = (y + x, y - x, 2, -2dxy); 2p - 2dxy is below 2^52.
    let zero = Lanes([_mm256_setzero_si256(); 5]);
    let negated = blend::<{ from_second([false, false, false, true]) }>(
        permute::<{ order([1, 0, 2, 3]) }>(point),
        sub(zero, point),
    );
    // All ones for a negative digit; the barrier keeps the masking free of branches.
    let negative = core::hint::black_box(i64::from(digit >> 7));
    let negative = _mm256_set1_epi64x(negative);
    Lanes(core::array::from_fn(|k| {
        let flip = _mm256_and_si256(_mm256_xor_si256(point.0[k], negated.0[k]), negative);
        _mm256_xor_si256(point.0[k], flip)
    }))
}

/// The multiplication itself; see [`Ifma::multiply`].
#[target_feature(enable = "avx512ifma,avx512vl")]
fn multiply(_: Ifma, rows: &[Row], digits: &[i8; DIGITS]) -> Extended {
    let identity = [Fe::ZERO.0, Fe::ONE.0, Fe::ONE.0, Fe::ZERO.0];
    let mut acc = load(&core::array::from_fn(|i| identity[i % 4][i / 4]));
    for (row, pair) in rows.iter().zip(digits.chunks_exact(2)) {
        acc = add_entry(acc, select(row, pair[1]));
    }
    for _ in 0..WINDOW {
        acc = double(acc);
    }
    for (row, pair) in rows.iter().zip(digits.chunks_exact(2)) {
        acc = add_entry(acc, select(row, pair[0]));
    }
    // Every limb is below 2^51 + 2^15 after a multiplication: a loose element.
    let mut limbs = store(acc);
    let lane = |l: usize| Loose::from_limbs(core::array::from_fn(|k| limbs[4 * k + l])).carry();
    let point = Extended {
        x: lane(0),
        y: lane(1),
        z: lane(2),
        t: lane(3),
    };
    limbs.zeroize();
    point
}

#[cfg(test)]
#[allow(unsafe_code)]
mod tests {
    use alloc::boxed::Box;

    use subtle::ConstantTimeEq;

    use super::super::{Portable, affine_multiples, multiply_with};
    use super::*;

    /// The CPU's IFMA, or `None` with a note that the tests below did not run.
    fn ifma() -> Option<Ifma> {
        let ifma = Ifma::detect();
        if ifma.is_none() {
            std::eprintln!("skipped: this CPU has no AVX-512 IFMA");
        }
        ifma
    }

    /// A splitmix64 step: reproducible pseudo-random words.
    fn next(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Limbs below 2^52, the multiplication's bound, often at its extremes.
    fn factor(state: &mut u64) -> [u64; 5] {
        core::array::from_fn(|_| match next(state) % 4 {
            0 => (1 << 52) - 1,
            1 => next(state) % 64,
            _ => next(state) >> 12,
        })
    }

    fn interleave(lanes: [[u64; 5]; 4]) -> Entry {
        core::array::from_fn(|i| lanes[i % 4][i / 4])
    }

    fn lane(entry: &Entry, l: usize) -> [u64; 5] {
        core::array::from_fn(|k| entry[4 * k + l])
    }

    fn canonical(limbs: [u64; 5]) -> [u8; 32] {
        Loose::from_limbs(limbs).carry().to_bytes()
    }

    #[test]
    fn mul_matches_fiat_crypto_up_to_the_limb_bound() {
        let Some(_ifma) = ifma() else { return };
        let mut state = 1;
        for round in 0..4000 {
            let a: [[u64; 5]; 4] = core::array::from_fn(|_| factor(&mut state));
            let mut b: [[u64; 5]; 4] = core::array::from_fn(|_| factor(&mut state));
            if round == 0 {
                b = [[(1 << 52) - 1; 5]; 4];
            }
            // SAFETY: `ifma()` found AVX-512 IFMA and VL.
            let product = unsafe { store(mul(load(&interleave(a)), load(&interleave(b)))) };
            for l in 0..4 {
                let got = lane(&product, l);
                assert!(got.iter().all(|&limb| limb < (1 << 51) + (1 << 15)));
                let expected = Loose::from_limbs(a[l]).mul(Loose::from_limbs(b[l]));
                assert_eq!(
                    canonical(got),
                    expected.to_bytes(),
                    "round {round} lane {l}"
                );
            }
        }
    }

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
                        canonical(lane(&got, l)),
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
        let lanes: Box<[Row]> = points
            .chunks_exact(HALF)
            .map(|row| core::array::from_fn(|j| entry(&row[j])))
            .collect();
        let limbs: Box<[super::super::Row]> = points
            .chunks_exact(HALF)
            .map(|row| core::array::from_fn(|j| row[j].to_limbs()))
            .collect();
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
            let got = ifma.multiply(&lanes, &digits);
            let expected = multiply_with(Portable, &limbs, &digits);
            // Equal as projective points: X1 Z2 = X2 Z1 and Y1 Z2 = Y2 Z1.
            let same_x = got.x.mul(expected.z).ct_eq(&expected.x.mul(got.z));
            let same_y = got.y.mul(expected.z).ct_eq(&expected.y.mul(got.z));
            assert!(bool::from(same_x & same_y), "round {round}");
        }
    }
}
