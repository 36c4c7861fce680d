//! Arithmetic modulo p = 2^255 - 19 on fiat-crypto's formally verified limb code.
//!
//! fiat-crypto proves each function correct for inputs within stated limb bounds; the
//! two types here carry those bounds: [`Fe`] is "tight" (what every multiplication
//! returns), [`Loose`] is what a single addition or subtraction of two tight elements
//! returns, and what a multiplication accepts. Every function runs in time independent
//! of the values.

use fiat_crypto::curve25519_64::{
    fiat_25519_add, fiat_25519_carry, fiat_25519_carry_mul, fiat_25519_carry_scmul_121666,
    fiat_25519_carry_square, fiat_25519_from_bytes, fiat_25519_loose_field_element, fiat_25519_opp,
    fiat_25519_relax, fiat_25519_selectznz, fiat_25519_sub, fiat_25519_tight_field_element,
    fiat_25519_to_bytes,
};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroize;

/// A field element with tight limb bounds.
#[derive(Clone, Copy)]
pub(super) struct Fe(pub(super) [u64; 5]);

/// A field element with loose limb bounds: the sum or difference of two [`Fe`].
#[derive(Clone, Copy)]
pub(super) struct Loose([u64; 5]);

impl Fe {
    pub(super) const ZERO: Fe = Fe([0; 5]);
    pub(super) const ONE: Fe = Fe([1, 0, 0, 0, 0]);
    /// The Edwards curve constant d = -121665/121666 (the limbs curve25519-dalek uses).
    pub(super) const D: Fe = Fe([
        929_955_233_495_203,
        466_365_720_129_213,
        1_662_059_464_998_953,
        2_033_849_074_728_123,
        1_442_794_654_840_575,
    ]);
    /// 2d.
    pub(super) const D2: Fe = Fe([
        1_859_910_466_990_425,
        932_731_440_258_426,
        1_072_319_116_312_658,
        1_815_898_335_770_999,
        633_789_495_995_903,
    ]);
    /// A square root of -1.
    pub(super) const SQRT_M1: Fe = Fe([
        1_718_705_420_411_056,
        234_908_883_556_509,
        2_233_514_472_574_048,
        2_117_202_627_021_982,
        765_476_049_583_133,
    ]);

    /// Reads a little-endian `u`-coordinate as X25519 does: the top bit is ignored and
    /// values from p to 2^255 - 1 are taken modulo p.
    pub(super) fn from_bytes(bytes: &[u8; 32]) -> Fe {
        let mut masked = *bytes;
        masked[31] &= 0x7f;
        let mut out = fiat_25519_tight_field_element([0; 5]);
        fiat_25519_from_bytes(&mut out, &masked);
        Fe(out.0)
    }

    /// The canonical (fully reduced) little-endian encoding.
    pub(super) fn to_bytes(self) -> [u8; 32] {
        let mut out = [0u8; 32];
        fiat_25519_to_bytes(&mut out, &self.tight());
        out
    }

    #[inline]
    fn tight(self) -> fiat_25519_tight_field_element {
        fiat_25519_tight_field_element(self.0)
    }

    #[inline]
    pub(super) fn relax(self) -> Loose {
        let mut out = fiat_25519_loose_field_element([0; 5]);
        fiat_25519_relax(&mut out, &self.tight());
        Loose(out.0)
    }

    #[inline]
    pub(super) fn add(self, other: Fe) -> Loose {
        let mut out = fiat_25519_loose_field_element([0; 5]);
        fiat_25519_add(&mut out, &self.tight(), &other.tight());
        Loose(out.0)
    }

    #[inline]
    pub(super) fn sub(self, other: Fe) -> Loose {
        let mut out = fiat_25519_loose_field_element([0; 5]);
        fiat_25519_sub(&mut out, &self.tight(), &other.tight());
        Loose(out.0)
    }

    pub(super) fn neg(self) -> Fe {
        let mut out = fiat_25519_loose_field_element([0; 5]);
        fiat_25519_opp(&mut out, &self.tight());
        Loose(out.0).carry()
    }

    #[inline]
    pub(super) fn mul(self, other: Fe) -> Fe {
        self.relax().mul(other.relax())
    }

    #[inline]
    pub(super) fn square(self) -> Fe {
        self.relax().square()
    }

    /// `self^(2^k)`, for `k >= 1`.
    fn pow2k(self, k: u32) -> Fe {
        let mut x = self;
        for _ in 0..k {
            x = x.square();
        }
        x
    }

    /// `(self^(2^250 - 1), self^11)`, the common start of inversion and square root.
    fn pow22501(self) -> (Fe, Fe) {
        let t0 = self.square(); // 2
        let t1 = t0.pow2k(2); // 8
        let t2 = self.mul(t1); // 9
        let t3 = t0.mul(t2); // 11
        let t4 = t3.square(); // 22
        let t5 = t2.mul(t4); // 2^5 - 1
        let t6 = t5.pow2k(5);
        let t7 = t6.mul(t5); // 2^10 - 1
        let t8 = t7.pow2k(10);
        let t9 = t8.mul(t7); // 2^20 - 1
        let t10 = t9.pow2k(20);
        let t11 = t10.mul(t9); // 2^40 - 1
        let t12 = t11.pow2k(10);
        let t13 = t12.mul(t7); // 2^50 - 1
        let t14 = t13.pow2k(50);
        let t15 = t14.mul(t13); // 2^100 - 1
        let t16 = t15.pow2k(100);
        let t17 = t16.mul(t15); // 2^200 - 1
        let t18 = t17.pow2k(50);
        let t19 = t18.mul(t13); // 2^250 - 1
        (t19, t3)
    }

    /// `1/self` (Fermat: `self^(p-2)`); zero for zero.
    pub(super) fn invert(self) -> Fe {
        let (t19, t3) = self.pow22501();
        t19.pow2k(5).mul(t3) // 2^255 - 32 + 11 = p - 2
    }

    /// `self^((p-5)/8)`.
    fn pow_p58(self) -> Fe {
        let (t19, _) = self.pow22501();
        t19.pow2k(2).mul(self) // 2^252 - 3
    }

    /// A square root of `u/v` if there is one (`v` non-zero).
    ///
    /// `r = (u v^3) (u v^7)^((p-5)/8)` satisfies `v r^2 = ±u` or `±u·sqrt(-1)`; the first
    /// two mean `u/v` is a square, with root `r` or `r·sqrt(-1)`.
    pub(super) fn sqrt_ratio(u: Fe, v: Fe) -> (Choice, Fe) {
        let v3 = v.square().mul(v);
        let v7 = v3.square().mul(v);
        let r = u.mul(v3).mul(u.mul(v7).pow_p58());
        let check = v.mul(r.square());
        let correct = check.ct_eq(&u);
        let flipped = check.ct_eq(&u.neg());
        let root = Fe::conditional_select(&r, &r.mul(Fe::SQRT_M1), flipped);
        (correct | flipped, root)
    }
}

#[cfg(test)]
impl Fe {
    /// The element `n`, for tests.
    pub(super) const fn small(n: u64) -> Fe {
        Fe([n, 0, 0, 0, 0])
    }
}

impl Loose {
    /// An element from limbs computed elsewhere, which must be within fiat-crypto's
    /// loose bounds: each at most 3 · 2^51.
    #[cfg(sealpost_ifma)]
    pub(super) fn from_limbs(limbs: [u64; 5]) -> Loose {
        debug_assert!(limbs.iter().all(|&limb| limb <= 3 << 51), "not loose");
        Loose(limbs)
    }

    #[inline]
    pub(super) fn carry(self) -> Fe {
        let mut out = fiat_25519_tight_field_element([0; 5]);
        fiat_25519_carry(&mut out, &fiat_25519_loose_field_element(self.0));
        Fe(out.0)
    }

    #[inline]
    pub(super) fn mul(self, other: Loose) -> Fe {
        let mut out = fiat_25519_tight_field_element([0; 5]);
        fiat_25519_carry_mul(
            &mut out,
            &fiat_25519_loose_field_element(self.0),
            &fiat_25519_loose_field_element(other.0),
        );
        Fe(out.0)
    }

    #[inline]
    pub(super) fn square(self) -> Fe {
        let mut out = fiat_25519_tight_field_element([0; 5]);
        fiat_25519_carry_square(&mut out, &fiat_25519_loose_field_element(self.0));
        Fe(out.0)
    }

    /// `121666 · self`, the ladder's `(A + 2)/4` for Curve25519's `A = 486662`.
    #[inline]
    pub(super) fn mul_121666(self) -> Fe {
        let mut out = fiat_25519_tight_field_element([0; 5]);
        fiat_25519_carry_scmul_121666(&mut out, &fiat_25519_loose_field_element(self.0));
        Fe(out.0)
    }
}

impl ConditionallySelectable for Fe {
    fn conditional_select(a: &Fe, b: &Fe, choice: Choice) -> Fe {
        let mut out = [0u64; 5];
        fiat_25519_selectznz(&mut out, choice.unwrap_u8(), &a.0, &b.0);
        Fe(out)
    }

    /// One mask for both: cheaper than the two selections of the default.
    fn conditional_swap(a: &mut Fe, b: &mut Fe, choice: Choice) {
        let mask = u64::from(choice.unwrap_u8()).wrapping_neg();
        for (x, y) in a.0.iter_mut().zip(&mut b.0) {
            let flip = (*x ^ *y) & mask;
            *x ^= flip;
            *y ^= flip;
        }
    }
}

/// Compares the canonical encodings, in constant time.
impl ConstantTimeEq for Fe {
    fn ct_eq(&self, other: &Fe) -> Choice {
        self.to_bytes().ct_eq(&other.to_bytes())
    }
}

impl Zeroize for Fe {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_what_they_claim() {
        // d * 121666 = -121665
        assert_eq!(
            Fe::D.mul(Fe::small(121_666)).to_bytes(),
            Fe::small(121_665).neg().to_bytes()
        );
        assert_eq!(Fe::D.add(Fe::D).carry().to_bytes(), Fe::D2.to_bytes());
        assert_eq!(Fe::SQRT_M1.square().to_bytes(), Fe::ONE.neg().to_bytes());
    }

    #[test]
    fn invert_and_sqrt_ratio() {
        let x = Fe::from_bytes(&[0x5a; 32]);
        assert_eq!(x.mul(x.invert()).to_bytes(), Fe::ONE.to_bytes());
        assert_eq!(Fe::ZERO.invert().to_bytes(), [0; 32]);
        // 4/9 has the root ±2/3.
        let (ok, r) = Fe::sqrt_ratio(Fe::small(4), Fe::small(9));
        assert!(bool::from(ok));
        assert_eq!(
            r.square().mul(Fe::small(9)).to_bytes(),
            Fe::small(4).to_bytes()
        );
        // 2 is not a square modulo p (p = 5 mod 8).
        let (ok, _) = Fe::sqrt_ratio(Fe::small(2), Fe::ONE);
        assert!(!bool::from(ok));
        // -1 is: the root is sqrt(-1) itself, up to sign.
        let (ok, r) = Fe::sqrt_ratio(Fe::ONE.neg(), Fe::ONE);
        assert!(bool::from(ok));
        assert_eq!(r.square().to_bytes(), Fe::ONE.neg().to_bytes());
    }

    #[test]
    fn from_bytes_reduces_like_x25519() {
        // p + 5, with and without the ignored top bit, is 5.
        let mut p_plus_5 = [0xff; 32];
        p_plus_5[0] = 0xf2;
        p_plus_5[31] = 0x7f;
        assert_eq!(
            Fe::from_bytes(&p_plus_5).to_bytes(),
            Fe::small(5).to_bytes()
        );
        p_plus_5[31] = 0xff;
        assert_eq!(
            Fe::from_bytes(&p_plus_5).to_bytes(),
            Fe::small(5).to_bytes()
        );
    }
}
