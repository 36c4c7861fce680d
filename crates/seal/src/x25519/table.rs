//! X25519 with a fixed `u`-coordinate and a secret scalar, through a table of
//! precomputed multiples of the point on the twisted Edwards curve.
//!
//! `X25519(k, u)` is the `u`-coordinate of `[k]P` for either point `P` with that
//! coordinate. When `P` lies on Curve25519 (not its twist), it maps to the Edwards
//! point `(x, y)` with `y = (u - 1)/(u + 1)`, and `u([k]P) = (1 + y')/(1 - y')` for
//! `(x', y') = [k](x, y)`: the sign of `x` does not matter. The multiplication is the
//! one curve25519-dalek uses for its base point: the clamped scalar in 64 signed
//! radix-16 digits, 64 additions of a constant-time selected table entry and 4
//! doublings, against roughly 255 ladder steps. Building the table takes 256
//! affine points; one batched inversion makes that cheap.
//!
//! Points on the twist (which no honest key generator produces) have no Edwards
//! point; [`RecipientTable::new`] returns `None` for them and the caller uses the ladder.

use alloc::boxed::Box;
use alloc::vec::Vec;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::{Zeroize, Zeroizing};

use super::field::Fe;

/// A point in extended coordinates: `x = X/Z`, `y = Y/Z`, `T = XY/Z`.
#[derive(Clone, Copy)]
struct Extended {
    x: Fe,
    y: Fe,
    z: Fe,
    t: Fe,
}

/// An affine point as `(y + x, y - x, 2dxy)`, ready for a mixed addition.
#[derive(Clone, Copy)]
struct Niels {
    y_plus_x: Fe,
    y_minus_x: Fe,
    xy2d: Fe,
}

/// A point as `(Y + X, Y - X, Z, 2dT)`, for additions while the table is built.
struct Cached {
    y_plus_x: Fe,
    y_minus_x: Fe,
    z: Fe,
    t2d: Fe,
}

/// An intermediate result `((X:Z), (Y:T))` of an addition or doubling.
struct Completed {
    x: Fe,
    y: Fe,
    z: Fe,
    t: Fe,
}

impl Extended {
    const IDENTITY: Extended = Extended {
        x: Fe::ZERO,
        y: Fe::ONE,
        z: Fe::ONE,
        t: Fe::ZERO,
    };

    fn double(&self) -> Extended {
        let xx = self.x.square();
        let yy = self.y.square();
        let zz2 = self.z.square().add(self.z.square()).carry();
        let x_plus_y_sq = self.x.add(self.y).square();
        let yy_plus_xx = yy.add(xx).carry();
        let yy_minus_xx = yy.sub(xx).carry();
        Completed {
            x: x_plus_y_sq.sub(yy_plus_xx).carry(),
            y: yy_plus_xx,
            z: yy_minus_xx,
            t: zz2.sub(yy_minus_xx).carry(),
        }
        .to_extended()
    }

    fn add_niels(&self, q: &Niels) -> Extended {
        let pp = self.y.add(self.x).mul(q.y_plus_x.relax());
        let mm = self.y.sub(self.x).mul(q.y_minus_x.relax());
        let txy2d = self.t.mul(q.xy2d);
        let z2 = self.z.add(self.z).carry();
        Completed {
            x: pp.sub(mm).carry(),
            y: pp.add(mm).carry(),
            z: z2.add(txy2d).carry(),
            t: z2.sub(txy2d).carry(),
        }
        .to_extended()
    }

    fn add_cached(&self, q: &Cached) -> Extended {
        let pp = self.y.add(self.x).mul(q.y_plus_x.relax());
        let mm = self.y.sub(self.x).mul(q.y_minus_x.relax());
        let tt2d = self.t.mul(q.t2d);
        let zz = self.z.mul(q.z);
        let zz2 = zz.add(zz).carry();
        Completed {
            x: pp.sub(mm).carry(),
            y: pp.add(mm).carry(),
            z: zz2.add(tt2d).carry(),
            t: zz2.sub(tt2d).carry(),
        }
        .to_extended()
    }

    fn to_cached(self) -> Cached {
        Cached {
            y_plus_x: self.y.add(self.x).carry(),
            y_minus_x: self.y.sub(self.x).carry(),
            z: self.z,
            t2d: self.t.mul(Fe::D2),
        }
    }

    /// The Montgomery `u = (1 + y)/(1 - y) = (Z + Y)/(Z - Y)`; zero for the identity.
    fn to_montgomery_u(self) -> [u8; 32] {
        let numerator = self.z.add(self.y);
        let denominator = self.z.sub(self.y).carry().invert();
        numerator.mul(denominator.relax()).to_bytes()
    }
}

impl Completed {
    fn to_extended(&self) -> Extended {
        Extended {
            x: self.x.mul(self.t),
            y: self.y.mul(self.z),
            z: self.z.mul(self.t),
            t: self.x.mul(self.y),
        }
    }
}

impl Niels {
    const IDENTITY: Niels = Niels {
        y_plus_x: Fe::ONE,
        y_minus_x: Fe::ONE,
        xy2d: Fe::ZERO,
    };

    /// The 15 limbs of the three coordinates, the form table rows store.
    fn to_limbs(self) -> Limbs {
        let mut out = [0u64; 15];
        out[..5].copy_from_slice(&self.y_plus_x.0);
        out[5..10].copy_from_slice(&self.y_minus_x.0);
        out[10..].copy_from_slice(&self.xy2d.0);
        out
    }

    #[inline]
    fn from_limbs(limbs: &Limbs) -> Niels {
        let fe = |i: usize| Fe(core::array::from_fn(|j| limbs[5 * i + j]));
        Niels {
            y_plus_x: fe(0),
            y_minus_x: fe(1),
            xy2d: fe(2),
        }
    }
}

/// A [`Niels`] point as 15 limbs in one flat array, so that the constant-time selection
/// is a single masked loop the compiler can vectorize.
type Limbs = [u64; 15];

/// `[1P, 2P, ..., 8P]` for one power-of-256 multiple `P` of the recipient's point.
type Row = [Limbs; 8];

/// Selects `digit · P` from `row` for a digit in `-8..=8`, reading every entry.
#[inline]
fn select(row: &Row, digit: i8) -> Niels {
    let magnitude = digit.unsigned_abs();
    let mut out = Niels::IDENTITY.to_limbs();
    for (multiple, entry) in (1u8..).zip(row) {
        let mask = 0u64.wrapping_sub(u64::from(magnitude.ct_eq(&multiple).unwrap_u8()));
        for (a, b) in out.iter_mut().zip(entry) {
            *a ^= (*a ^ b) & mask;
        }
    }
    // -P = (y - x, y + x, -2dxy).
    let point = Niels::from_limbs(&out);
    let negative = Choice::from(digit.to_le_bytes()[0] >> 7);
    Niels {
        y_plus_x: Fe::conditional_select(&point.y_plus_x, &point.y_minus_x, negative),
        y_minus_x: Fe::conditional_select(&point.y_minus_x, &point.y_plus_x, negative),
        xy2d: Fe::conditional_select(&point.xy2d, &point.xy2d.neg(), negative),
    }
}

/// The multiples `j · 256^i · P` (`j` in 1..=8, `i` in 0..32) of one point `P` on the
/// Edwards curve, for multiplying it by secret scalars in constant time.
#[derive(Clone)]
pub(crate) struct RecipientTable {
    /// 32 rows, for the digit pairs of the scalar.
    rows: Box<[Row]>,
}

impl RecipientTable {
    /// The table for the point with Montgomery coordinate `u`, or `None` when `u` lies on
    /// the twist (or is -1, which has no Edwards image). `u` is public: this may take
    /// time that depends on it, though it does not branch on it but for the result.
    pub(crate) fn new(u: &[u8; 32]) -> Option<RecipientTable> {
        let point = edwards_from_montgomery(Fe::from_bytes(u))?;
        let mut points = Vec::with_capacity(256);
        let mut base = point;
        for _ in 0..32 {
            let cached = base.to_cached();
            let mut multiple = base;
            points.push(multiple);
            for _ in 1..8 {
                multiple = multiple.add_cached(&cached);
                points.push(multiple);
            }
            // 256 · base = 32 · (8 · base).
            base = multiple;
            for _ in 0..5 {
                base = base.double();
            }
        }
        let z_inverses = batch_invert(points.iter().map(|p| p.z));
        let mut rows = alloc::vec![[[0u64; 15]; 8]; 32].into_boxed_slice();
        for ((entry, point), z_inverse) in rows.iter_mut().flatten().zip(&points).zip(z_inverses) {
            let x = point.x.mul(z_inverse);
            let y = point.y.mul(z_inverse);
            *entry = Niels {
                y_plus_x: y.add(x).carry(),
                y_minus_x: y.sub(x).carry(),
                xy2d: x.mul(y).mul(Fe::D2),
            }
            .to_limbs();
        }
        Some(RecipientTable { rows })
    }

    /// `X25519(secret, u)` for the `u` this table was built for: clamps `secret` as
    /// X25519 does, and runs in time independent of it.
    pub(crate) fn diffie_hellman(&self, secret: &[u8; 32]) -> Zeroizing<[u8; 32]> {
        let digits = Zeroizing::new(clamped_radix16(secret));
        let mut acc = Extended::IDENTITY;
        for (row, pair) in self.rows.iter().zip(digits.chunks_exact(2)) {
            acc = acc.add_niels(&select(row, pair[1]));
        }
        for _ in 0..4 {
            acc = acc.double();
        }
        for (row, pair) in self.rows.iter().zip(digits.chunks_exact(2)) {
            acc = acc.add_niels(&select(row, pair[0]));
        }
        let shared = Zeroizing::new(acc.to_montgomery_u());
        acc.x.zeroize();
        acc.y.zeroize();
        acc.z.zeroize();
        acc.t.zeroize();
        shared
    }
}

/// The Edwards point with `y = (u - 1)/(u + 1)`, or `None` if there is none.
fn edwards_from_montgomery(u: Fe) -> Option<Extended> {
    let u_plus_one = u.add(Fe::ONE).carry();
    if bool::from(u_plus_one.ct_eq(&Fe::ZERO)) {
        return None;
    }
    let y = u.sub(Fe::ONE).carry().mul(u_plus_one.invert());
    // -x^2 + y^2 = 1 + d x^2 y^2, so x^2 = (y^2 - 1)/(d y^2 + 1).
    let yy = y.square();
    let numerator = yy.sub(Fe::ONE).carry();
    let denominator = Fe::D.mul(yy).add(Fe::ONE).carry();
    let (is_square, x) = Fe::sqrt_ratio(numerator, denominator);
    if !bool::from(is_square) {
        return None;
    }
    Some(Extended {
        x,
        y,
        z: Fe::ONE,
        t: x.mul(y),
    })
}

/// Inverts every element with one inversion (Montgomery's trick); zeros are not allowed,
/// which holds for the `Z` of any point the table is built from.
fn batch_invert(elements: impl ExactSizeIterator<Item = Fe>) -> Vec<Fe> {
    let mut prefix = Vec::with_capacity(elements.len());
    let mut elems = Vec::with_capacity(elements.len());
    let mut running = Fe::ONE;
    for element in elements {
        prefix.push(running);
        running = running.mul(element);
        elems.push(element);
    }
    let mut inverse = running.invert();
    let mut out = alloc::vec![Fe::ZERO; elems.len()];
    for i in (0..elems.len()).rev() {
        out[i] = inverse.mul(prefix[i]);
        inverse = inverse.mul(elems[i]);
    }
    out
}

/// The clamped scalar (`k[0] &= 248; k[31] &= 127; k[31] |= 64`) as 64 signed digits
/// `d_i` in `-8..=8` with `k = Σ d_i 16^i`, computed without branches.
fn clamped_radix16(secret: &[u8; 32]) -> [i8; 64] {
    let mut scalar = Zeroizing::new(*secret);
    scalar[0] &= 0xf8;
    scalar[31] &= 0x7f;
    scalar[31] |= 0x40;
    let mut digits = [0i8; 64];
    for (i, byte) in scalar.iter().enumerate() {
        // Each nibble is at most 15: the casts cannot wrap.
        #[allow(clippy::cast_possible_wrap)]
        {
            digits[2 * i] = (byte & 0x0f) as i8;
            digits[2 * i + 1] = (byte >> 4) as i8;
        }
    }
    // Move each digit into -8..8 by carrying into the next; the clamped scalar is below
    // 2^255, so the top digit ends at most 8.
    let mut carry = 0i8;
    for digit in &mut digits[..63] {
        *digit += carry;
        carry = (*digit + 8) >> 4;
        *digit -= carry << 4;
    }
    digits[63] += carry;
    digits
}

#[cfg(test)]
mod tests {
    use curve25519_dalek::montgomery::MontgomeryPoint;

    use super::*;

    fn ladder(secret: &[u8; 32], u: &[u8; 32]) -> [u8; 32] {
        MontgomeryPoint(*u).mul_clamped(*secret).to_bytes()
    }

    /// Bytes from a simple counter-mode mix, so failures are reproducible.
    fn pseudo_random(seed: u64) -> [u8; 32] {
        let mut out = [0u8; 32];
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0xd1b5_4a32_d192_ed03;
        for chunk in out.chunks_exact_mut(8) {
            state ^= state >> 30;
            state = state.wrapping_mul(0xbf58_476d_1ce4_e5b9);
            state ^= state >> 27;
            state = state.wrapping_mul(0x94d0_49bb_1331_11eb);
            state ^= state >> 31;
            chunk.copy_from_slice(&state.to_le_bytes());
        }
        out
    }

    #[test]
    fn digits_recompose_the_clamped_scalar() {
        for seed in 0..64 {
            let secret = pseudo_random(seed);
            let digits = clamped_radix16(&secret);
            assert!(digits.iter().all(|d| (-8..=8).contains(d)));
            // Recompose k = Σ d_i 16^i as a little-endian 256-bit integer.
            let mut acc = [0i64; 33];
            for (i, &d) in digits.iter().enumerate() {
                acc[i / 2] += i64::from(d) << (4 * (i % 2));
            }
            let mut bytes = [0u8; 32];
            let mut carry = 0i64;
            for (i, byte) in bytes.iter_mut().enumerate() {
                let v = acc[i] + carry;
                *byte = u8::try_from(v.rem_euclid(256)).unwrap();
                carry = v.div_euclid(256);
            }
            assert_eq!(carry, 0);
            let mut clamped = secret;
            clamped[0] &= 0xf8;
            clamped[31] &= 0x7f;
            clamped[31] |= 0x40;
            assert_eq!(bytes, clamped);
        }
    }

    #[test]
    fn table_equals_ladder_for_random_points_and_scalars() {
        let mut on_curve = 0;
        for seed in 0..200 {
            let u = pseudo_random(1000 + seed);
            let Some(table) = RecipientTable::new(&u) else {
                continue;
            };
            on_curve += 1;
            for k in 0..4 {
                let secret = pseudo_random(seed * 7 + k);
                assert_eq!(
                    *table.diffie_hellman(&secret),
                    ladder(&secret, &u),
                    "u seed {seed}"
                );
            }
        }
        // About half of all u are on the curve; the rest are on the twist.
        assert!(
            (60..140).contains(&on_curve),
            "{on_curve} of 200 on the curve"
        );
    }

    #[test]
    fn table_is_none_exactly_for_twist_points() {
        for seed in 0..200 {
            let u = pseudo_random(5000 + seed);
            // dalek decides curve membership independently.
            let on_curve = MontgomeryPoint(u).to_edwards(0).is_some();
            assert_eq!(RecipientTable::new(&u).is_some(), on_curve, "seed {seed}");
        }
    }

    #[test]
    fn public_keys_of_secret_keys_are_on_the_curve() {
        for seed in 0..20 {
            let secret = pseudo_random(seed);
            let public = MontgomeryPoint::mul_base_clamped(pseudo_random(seed + 99)).to_bytes();
            let table = RecipientTable::new(&public).unwrap();
            assert_eq!(*table.diffie_hellman(&secret), ladder(&secret, &public));
        }
    }

    #[test]
    fn high_bit_and_non_canonical_encodings_match_the_ladder() {
        for small in 2u8..=18 {
            let mut u = [0u8; 32];
            u[0] = small;
            // The same value written as u + p (non-canonical), each with the top bit set.
            let mut non_canonical = [0xff; 32];
            non_canonical[0] = 0xed + small;
            non_canonical[31] = 0x7f;
            let mut variants = [u, non_canonical, u, non_canonical];
            variants[2][31] |= 0x80;
            variants[3][31] |= 0x80;
            for variant in variants {
                let table = RecipientTable::new(&variant);
                assert_eq!(table.is_some(), MontgomeryPoint(u).to_edwards(0).is_some());
                if let Some(table) = table {
                    let secret = pseudo_random(u64::from(small));
                    assert_eq!(*table.diffie_hellman(&secret), ladder(&secret, &variant));
                }
            }
        }
    }

    #[test]
    fn minus_one_has_no_edwards_point() {
        let mut minus_one = [0xff; 32];
        minus_one[0] = 0xec;
        minus_one[31] = 0x7f;
        assert!(RecipientTable::new(&minus_one).is_none());
    }
}
