//! Arithmetic on four field elements at once with AVX-512 IFMA (`vpmadd52luq` and
//! `vpmadd52huq`: the low and the high 52 bits of a 52 × 52-bit product, added to a
//! 64-bit lane), for the CPUs that have it (checked at run time). The recipient table
//! and the Montgomery ladder arrange their formulas so that most steps are one
//! multiplication of four independent pairs.
//!
//! A four-way multiplication is about a hundred vector instructions, where
//! fiat-crypto's scalar code spends about 250 on each single one.
//!
//! # Limb bounds
//!
//! An element is five limbs `v_0 + v_1 2^51 + ... + v_4 2^204` in each lane. IFMA reads
//! only the low 52 bits of its factors, so every factor must have limbs below 2^52.
//! [`carry`] takes limbs below 2^63 and returns them below 2^51 + 2^17, and [`mul`]
//! returns them below 2^51 + 2^15. fiat-crypto's tight elements have limbs at most
//! 2^51; results go back to fiat-crypto as loose elements (limbs at most 3 · 2^51),
//! which it carries itself. [`sub`] adds 2p, whose limbs are at least 2^52 - 38, before
//! it subtracts an element of either kind, so no lane goes negative. Sums and
//! differences are carried before they are multiplied. Each function states what it
//! needs.
//!
//! Nothing here branches on a value or uses one as an address.

use core::arch::x86_64::{
    __m256i, _mm256_add_epi64, _mm256_and_si256, _mm256_blend_epi32, _mm256_loadu_si256,
    _mm256_madd52hi_epu64, _mm256_madd52lo_epu64, _mm256_permute4x64_epi64, _mm256_set1_epi64x,
    _mm256_setzero_si256, _mm256_slli_epi64, _mm256_srli_epi64, _mm256_storeu_si256,
    _mm256_sub_epi64,
};

use super::field::{Fe, Loose};

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
}

/// Limb `k` of four field elements, one per 64-bit lane.
#[derive(Clone, Copy)]
pub(super) struct Lanes(pub(super) [__m256i; 5]);

/// Lanes from memory: limb `k` of lane `l` at `4k + l`.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
pub(super) fn load(limbs: &[u64; 20]) -> Lanes {
    Lanes(core::array::from_fn(|k| {
        #[allow(unsafe_code)]
        // SAFETY: `limbs` has 20 `u64`s, so the four from `4k` (k < 5) are in bounds; the
        // load is unaligned.
        unsafe {
            _mm256_loadu_si256(limbs.as_ptr().add(4 * k).cast())
        }
    }))
}

/// Lanes to memory, laid out as [`load`] reads them.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
pub(super) fn store(lanes: Lanes) -> [u64; 20] {
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
pub(super) const fn order(order: [i32; 4]) -> i32 {
    order[0] | (order[1] << 2) | (order[2] << 4) | (order[3] << 6)
}

/// The `_mm256_blend_epi32` control that takes the marked 64-bit lanes from the second
/// operand.
pub(super) const fn from_second(lanes: [bool; 4]) -> i32 {
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
pub(super) fn permute<const ORDER: i32>(v: Lanes) -> Lanes {
    Lanes(v.0.map(|limb| _mm256_permute4x64_epi64::<ORDER>(limb)))
}

#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
pub(super) fn blend<const FROM_SECOND: i32>(a: Lanes, b: Lanes) -> Lanes {
    Lanes(core::array::from_fn(|k| {
        _mm256_blend_epi32::<FROM_SECOND>(a.0[k], b.0[k])
    }))
}

/// `a + b`, limb by limb, without carrying.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
pub(super) fn add(a: Lanes, b: Lanes) -> Lanes {
    Lanes(core::array::from_fn(|k| _mm256_add_epi64(a.0[k], b.0[k])))
}

/// `a + 2p - b`, limb by limb, without carrying; `b`'s limbs must be at most 2^52 - 38.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
pub(super) fn sub(a: Lanes, b: Lanes) -> Lanes {
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

/// `a + b` in the lanes `DIFFERENCE_LANES` does not mark, `a - b` in those it marks (a
/// [`from_second`] control), carried; `b` as for [`sub`].
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
pub(super) fn sums_and_differences<const DIFFERENCE_LANES: i32>(a: Lanes, b: Lanes) -> Lanes {
    carry(blend::<DIFFERENCE_LANES>(add(a, b), sub(a, b)))
}

/// The same value with limbs below 2^51 + 2^17, for limbs below 2^63: each limb keeps
/// its low 51 bits and passes the rest to the next, the last to the first times 19
/// (2^255 = 19 mod p). All limbs carry at once, so this is one round, not a chain.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
pub(super) fn carry(v: Lanes) -> Lanes {
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
pub(super) fn mul(a: Lanes, b: Lanes) -> Lanes {
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

/// Zero in every lane.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
pub(super) fn zero() -> Lanes {
    Lanes([_mm256_setzero_si256(); 5])
}

/// Four field elements, one per lane.
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
pub(super) fn from_elements(elements: [Fe; 4]) -> Lanes {
    load(&core::array::from_fn(|i| elements[i % 4].0[i / 4]))
}

/// Lane `l` as a tight element, for lanes computed by [`mul`] or [`carry`] (or taken
/// from [`from_elements`]).
pub(super) fn element(limbs: &[u64; 20], l: usize) -> Fe {
    Loose::from_limbs(core::array::from_fn(|k| limbs[4 * k + l])).carry()
}

#[cfg(test)]
#[allow(unsafe_code)]
pub(super) mod tests {
    use super::*;

    /// Set (by `.ci/run`, from `/proc/cpuinfo`) where the CPU has AVX-512 IFMA: a test of
    /// the IFMA code that would skip it fails instead.
    pub(in crate::x25519) const REQUIRE: &str = "SEALPOST_REQUIRE_IFMA";

    /// The CPU's IFMA, or `None` with a note that the calling test did not run it. With
    /// [`REQUIRE`] set, `None` is a failure, not a skip.
    pub(in crate::x25519) fn ifma() -> Option<Ifma> {
        let ifma = Ifma::detect();
        if ifma.is_none() {
            assert!(
                std::env::var_os(REQUIRE).is_none(),
                "{REQUIRE} is set, but AVX-512 IFMA is not detected: the IFMA code would \
                 go untested"
            );
            std::eprintln!("skipped: this CPU has no AVX-512 IFMA");
        }
        ifma
    }

    /// A splitmix64 step: reproducible pseudo-random words.
    pub(in crate::x25519) fn next(state: &mut u64) -> u64 {
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

    fn interleave(lanes: [[u64; 5]; 4]) -> [u64; 20] {
        core::array::from_fn(|i| lanes[i % 4][i / 4])
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
                let got: [u64; 5] = core::array::from_fn(|k| product[4 * k + l]);
                assert!(got.iter().all(|&limb| limb < (1 << 51) + (1 << 15)));
                let expected = Loose::from_limbs(a[l]).mul(Loose::from_limbs(b[l]));
                assert_eq!(
                    element(&product, l).to_bytes(),
                    expected.to_bytes(),
                    "round {round} lane {l}"
                );
            }
        }
    }

    #[test]
    fn sub_and_carry_keep_the_value() {
        let Some(_ifma) = ifma() else { return };
        let mut state = 3;
        for round in 0..1000 {
            // Carried values on both sides, and fiat-crypto's tight extreme 2^51.
            let a: [[u64; 5]; 4] = core::array::from_fn(|_| factor(&mut state).map(|l| l >> 1));
            let b: [[u64; 5]; 4] = if round == 0 {
                [[1 << 51; 5]; 4]
            } else {
                core::array::from_fn(|_| factor(&mut state).map(|l| l >> 1))
            };
            // SAFETY: as above.
            let (difference, sum) = unsafe {
                let (a, b) = (load(&interleave(a)), load(&interleave(b)));
                (store(carry(sub(a, b))), store(carry(add(a, b))))
            };
            for l in 0..4 {
                let (x, y) = (
                    Loose::from_limbs(a[l]).carry(),
                    Loose::from_limbs(b[l]).carry(),
                );
                assert_eq!(
                    element(&difference, l).to_bytes(),
                    x.sub(y).carry().to_bytes()
                );
                assert_eq!(element(&sum, l).to_bytes(), x.add(y).carry().to_bytes());
            }
        }
    }
}
