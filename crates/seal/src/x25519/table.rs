//! X25519 with a fixed `u`-coordinate and a secret scalar, through a table of
//! precomputed multiples of the point on the twisted Edwards curve.
//!
//! `X25519(k, u)` is the `u`-coordinate of `[k]P` for either point `P` with that
//! coordinate. When `P` lies on Curve25519 (not its twist), it maps to the Edwards
//! point `(x, y)` with `y = (u - 1)/(u + 1)`, and `u([k]P) = (1 + y')/(1 - y')` for
//! `(x', y') = [k](x, y)`: the sign of `x` does not matter. The multiplication is the
//! one curve25519-dalek uses for its base point, with wider digits: the clamped scalar in
//! 52 signed radix-32 digits, 52 additions of a constant-time selected table entry and 5
//! doublings, against roughly 255 ladder steps. Building the table takes 416
//! affine points; one batched inversion makes that cheap.
//!
//! Each selection reads all sixteen entries of a row and keeps one with masks. With the
//! `simd` feature on an `x86_64` CPU with AVX2 (checked at run time) that is a vector
//! compare and four AND/OR pairs per entry; elsewhere it is the same masking on `u64`s.
//! Either way no branch or memory address depends on the secret digit: the masks come
//! from arithmetic behind an optimization barrier, because without one the compiler
//! was seen to turn the masking back into branches.
//!
//! With the `ifma` feature on a CPU with AVX-512 IFMA, [`RecipientTable::new`] lays the
//! rows out for the four-way code in [`ifma`] instead, which does the additions four
//! field elements at a time.
//!
//! Points on the twist (which no honest key generator produces) have no Edwards
//! point; [`RecipientTable::new`] returns `None` for them and the caller uses the ladder.

// The point arithmetic and the scan are forced inline into the two entry points, so that
// the AVX2 one compiles them with AVX2 and the scan's loads stay in registers: measured
// 16.0 µs before (the scan a call per entry), 13.4 µs after, per multiplication with
// 4-bit digits.
#![allow(clippy::inline_always)]

use alloc::boxed::Box;
use alloc::vec::Vec;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use super::barrier;
use super::field::Fe;
use super::fraction::{self, Fraction};

#[cfg(sealpost_ifma)]
mod ifma;

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

    #[inline(always)]
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

    #[inline(always)]
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
    #[cfg(test)]
    fn to_montgomery_u(self) -> [u8; 32] {
        let (numerator, denominator) = self.montgomery_fraction();
        *Fraction::new(numerator, denominator).value()
    }

    /// `(Z + Y, Z - Y)`, whose quotient is the Montgomery `u`; the denominator is zero
    /// exactly for the identity.
    fn montgomery_fraction(self) -> (Fe, Fe) {
        (self.z.add(self.y).carry(), self.z.sub(self.y).carry())
    }
}

impl Zeroize for Extended {
    fn zeroize(&mut self) {
        self.x.zeroize();
        self.y.zeroize();
        self.z.zeroize();
        self.t.zeroize();
    }
}

impl Completed {
    #[inline(always)]
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

    /// The 15 limbs of the three coordinates and one of padding, the form table rows
    /// store.
    fn to_limbs(self) -> Limbs {
        let mut out = [0u64; 16];
        out[..5].copy_from_slice(&self.y_plus_x.0);
        out[5..10].copy_from_slice(&self.y_minus_x.0);
        out[10..15].copy_from_slice(&self.xy2d.0);
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

/// A [`Niels`] point as 15 limbs and a zero in one flat array: four 256-bit vectors, so
/// that the constant-time selection is a few vector instructions per entry.
type Limbs = [u64; 16];

/// Bits per signed digit of the scalar. Measured per table multiplication (`new`):
/// 4 bits 13.4 µs (0.10 ms), 5 bits 12.4 µs (0.16 ms), 6 bits 11.6 µs (0.29 ms, 90 KiB).
const WINDOW: usize = 5;
/// Signed digits in `-HALF..=HALF` with `HALF = 2^(WINDOW - 1)`.
const HALF: usize = 1 << (WINDOW - 1);
/// Digits of a clamped scalar: enough for 256 bits, so the last carry has room.
const DIGITS: usize = 256_usize.div_ceil(WINDOW);
/// One row serves the digit pair `(2i, 2i + 1)`.
const ROWS: usize = DIGITS / 2;
const _: () = assert!(
    DIGITS.is_multiple_of(2),
    "every row serves a full digit pair"
);

/// `[1P, 2P, ..., HALF·P]` for one multiple `P = 2^(2·WINDOW·i)` of the recipient's point.
type Row = [Limbs; HALF];

/// Selects `digit · P` from `row` for a digit in `-HALF..=HALF`, reading every entry.
#[inline(always)]
fn select(scan: impl Scan, row: &Row, digit: i8) -> Niels {
    let (magnitude, negative) = magnitude_and_sign(digit);
    let point = Niels::from_limbs(&scan.scan(row, magnitude));
    // -P = (y - x, y + x, -2dxy).
    Niels {
        y_plus_x: blend(point.y_plus_x, point.y_minus_x, negative),
        y_minus_x: blend(point.y_minus_x, point.y_plus_x, negative),
        xy2d: blend(point.xy2d, point.xy2d.neg(), negative),
    }
}

/// `|digit|` and a mask, all ones for a negative digit, computed without branches:
/// `sign` is 0 or -1 from an arithmetic shift, and `(digit ^ sign) - sign` is `digit`
/// or `-digit`. The mask passes the barrier, so the blending it drives stays masking.
#[inline(always)]
pub(super) fn magnitude_and_sign(digit: i8) -> (u8, u64) {
    let sign = digit >> 7;
    let magnitude = ((digit ^ sign).wrapping_sub(sign)).cast_unsigned();
    let negative = barrier::u64(u64::from(sign.cast_unsigned() >> 7).wrapping_neg());
    (magnitude, negative)
}

/// `a` where `mask` is zero, `b` where it is all ones.
#[inline(always)]
fn blend(a: Fe, b: Fe, mask: u64) -> Fe {
    Fe(core::array::from_fn(|i| {
        a.0[i] ^ ((a.0[i] ^ b.0[i]) & mask)
    }))
}

/// A way to read `row[magnitude - 1]` (the identity for 0) touching every entry, in time
/// independent of `magnitude`.
trait Scan: Copy {
    fn scan(self, row: &Row, magnitude: u8) -> Limbs;
}

/// The scan in plain Rust, for every CPU.
#[derive(Clone, Copy)]
struct Portable;

impl Scan for Portable {
    #[inline(always)]
    fn scan(self, row: &Row, magnitude: u8) -> Limbs {
        let magnitude = u64::from(magnitude);
        // Mask `j` is all ones exactly when `magnitude == j`, computed without a
        // comparison. The barrier hides their values from the compiler, which otherwise
        // turns the masking into branches; behind it the masking below is plain
        // vectorizable AND/OR.
        let masks: [u64; HALF + 1] = core::array::from_fn(|j| {
            barrier::u64(((magnitude ^ j as u64).wrapping_sub(1) >> 63).wrapping_neg())
        });
        let mut out = Niels::IDENTITY.to_limbs().map(|limb| limb & masks[0]);
        for (mask, entry) in masks[1..].iter().zip(row) {
            for (a, b) in out.iter_mut().zip(entry) {
                *a |= b & mask;
            }
        }
        out
    }
}

#[cfg(all(feature = "simd", target_arch = "x86_64"))]
cpufeatures::new!(avx2_cpuid, "avx2");

/// The scan with AVX2 vector compares and masks; a value exists only on CPUs that have
/// AVX2.
#[cfg(all(feature = "simd", target_arch = "x86_64"))]
#[derive(Clone, Copy)]
struct Avx2 {
    _detected: (),
}

#[cfg(all(feature = "simd", target_arch = "x86_64"))]
impl Avx2 {
    fn detect() -> Option<Avx2> {
        avx2_cpuid::get().then_some(Avx2 { _detected: () })
    }
}

#[cfg(all(feature = "simd", target_arch = "x86_64"))]
#[allow(unsafe_code)]
impl Scan for Avx2 {
    #[inline(always)]
    fn scan(self, row: &Row, magnitude: u8) -> Limbs {
        // SAFETY: `self` exists, so `detect` found AVX2.
        unsafe { scan_avx2(row, magnitude) }
    }
}

/// The AVX2 scan: each entry is four vectors, masked by a vector compare of the
/// magnitude with the entry's multiple and OR-ed into the result.
#[cfg(all(feature = "simd", target_arch = "x86_64"))]
#[allow(unsafe_code)]
#[inline]
#[target_feature(enable = "avx2")]
fn scan_avx2(row: &Row, magnitude: u8) -> Limbs {
    use core::arch::x86_64::{
        __m256i, _mm256_and_si256, _mm256_cmpeq_epi64, _mm256_loadu_si256, _mm256_or_si256,
        _mm256_set1_epi64x, _mm256_setzero_si256, _mm256_storeu_si256,
    };

    let wanted = _mm256_set1_epi64x(i64::from(magnitude));
    let load = |limbs: &Limbs, i: usize| -> __m256i {
        // SAFETY: `limbs` has 16 `u64`s, so the four from `4 * i` (i < 4) are in bounds;
        // the load is unaligned.
        unsafe { _mm256_loadu_si256(limbs.as_ptr().add(4 * i).cast()) }
    };
    let identity = Niels::IDENTITY.to_limbs();
    let mask = _mm256_cmpeq_epi64(wanted, _mm256_setzero_si256());
    let mut acc: [__m256i; 4] =
        core::array::from_fn(|i| _mm256_and_si256(mask, load(&identity, i)));
    for (multiple, entry) in (1i64..).zip(row) {
        let mask = _mm256_cmpeq_epi64(wanted, _mm256_set1_epi64x(multiple));
        for (i, acc) in acc.iter_mut().enumerate() {
            *acc = _mm256_or_si256(*acc, _mm256_and_si256(mask, load(entry, i)));
        }
    }
    let mut out = [0u64; 16];
    for (i, acc) in acc.iter().enumerate() {
        // SAFETY: as for the loads, into `out`.
        unsafe { _mm256_storeu_si256(out.as_mut_ptr().add(4 * i).cast(), *acc) };
    }
    out
}

/// The multiples `j · 2^(2·WINDOW·i) · P` (`j` in `1..=HALF`, `i` in `0..ROWS`) of one
/// point `P` on the Edwards curve, for multiplying it by secret scalars in constant time.
#[derive(Clone)]
pub(crate) struct RecipientTable {
    /// One row for each digit pair of the scalar.
    rows: Rows,
}

/// How a table's rows are laid out, for the code that will read them.
#[derive(Clone, Copy)]
pub(super) enum Layout {
    /// For the portable and AVX2 multiplications.
    Limbs,
    /// For AVX-512 IFMA.
    #[cfg(sealpost_ifma)]
    Lanes(super::ifma::Ifma),
}

/// A table's rows, laid out for the code that reads them.
#[derive(Clone)]
enum Rows {
    /// For the portable and AVX2 multiplications.
    Limbs(Box<[Row]>),
    /// For AVX-512 IFMA, chosen when the table is built on a CPU that has it.
    #[cfg(sealpost_ifma)]
    Lanes(super::ifma::Ifma, Box<[ifma::Row; ROWS]>),
}

impl RecipientTable {
    /// The table for the point with Montgomery coordinate `u`, or `None` when `u` lies on
    /// the twist (or is -1, which has no Edwards image). `u` is public: this may take
    /// time that depends on it, though it does not branch on it but for the result.
    ///
    /// The rows are laid out for the fastest multiplication this process uses.
    pub(crate) fn new(u: &[u8; 32]) -> Option<RecipientTable> {
        Self::with_layout(u, super::table_layout())
    }

    /// [`Self::new`] with the rows laid out for `layout`.
    pub(super) fn with_layout(u: &[u8; 32], layout: Layout) -> Option<RecipientTable> {
        let points = affine_multiples(u)?;
        let rows = match layout {
            #[cfg(sealpost_ifma)]
            Layout::Lanes(ifma) => Rows::Lanes(ifma, ifma::rows(&points)?),
            Layout::Limbs => Rows::Limbs(limb_rows(&points)),
        };
        Some(RecipientTable { rows })
    }

    /// `X25519(secret, u)` for the `u` this table was built for: clamps `secret` as
    /// X25519 does, and runs in time independent of it.
    pub(crate) fn diffie_hellman(&self, secret: &[u8; 32]) -> Zeroizing<[u8; 32]> {
        self.fraction(secret).value()
    }

    /// [`Self::diffie_hellman`] for each of `secrets`, with one field inversion for all
    /// of them (Montgomery's trick) instead of one each: about a quarter of the work of
    /// a multiplication saved per secret.
    pub(crate) fn diffie_hellman_many(&self, secrets: &[[u8; 32]]) -> Vec<Zeroizing<[u8; 32]>> {
        let fractions: Vec<Fraction> = secrets.iter().map(|s| self.fraction(s)).collect();
        fraction::values(&fractions)
    }

    /// [`Self::diffie_hellman`] before its inversion: `u = (Z + Y)/(Z - Y)` of `[k]P`.
    pub(super) fn fraction(&self, secret: &[u8; 32]) -> Fraction {
        let mut point = self.multiply(secret);
        let (numerator, denominator) = point.montgomery_fraction();
        point.zeroize();
        Fraction::new(numerator, denominator)
    }

    /// `[k]P` for the clamped `secret`, in constant time; with AVX-512 IFMA or the AVX2
    /// scan where the CPU has them.
    fn multiply(&self, secret: &[u8; 32]) -> Extended {
        let digits = Zeroizing::new(clamped_digits(secret));
        match &self.rows {
            #[cfg(sealpost_ifma)]
            Rows::Lanes(ifma, rows) => ifma::multiply(*ifma, rows, &digits),
            Rows::Limbs(rows) => {
                #[cfg(all(feature = "simd", target_arch = "x86_64"))]
                if let Some(avx2) = Avx2::detect() {
                    #[allow(unsafe_code)]
                    // SAFETY: `avx2` exists, so the CPU has AVX2.
                    return unsafe { multiply_avx2(avx2, rows, &digits) };
                }
                multiply_with(Portable, rows, &digits)
            }
        }
    }
}

/// [`multiply_with`] compiled for AVX2, with the AVX2 table scan.
#[cfg(all(feature = "simd", target_arch = "x86_64"))]
#[target_feature(enable = "avx2")]
fn multiply_avx2(avx2: Avx2, rows: &[Row], digits: &[i8; DIGITS]) -> Extended {
    multiply_with(avx2, rows, digits)
}

/// `Σ digits_i 2^(WINDOW·i) · P` for the point `P` whose multiples `rows` holds.
#[inline(always)]
fn multiply_with(scan: impl Scan, rows: &[Row], digits: &[i8; DIGITS]) -> Extended {
    let mut acc = Extended::IDENTITY;
    for (row, pair) in rows.iter().zip(digits.chunks_exact(2)) {
        acc = acc.add_niels(&select(scan, row, pair[1]));
    }
    for _ in 0..WINDOW {
        acc = acc.double();
    }
    for (row, pair) in rows.iter().zip(digits.chunks_exact(2)) {
        acc = acc.add_niels(&select(scan, row, pair[0]));
    }
    acc
}

/// The rows of the portable and AVX2 multiplications for the multiples `points` (row by
/// row, as [`affine_multiples`] gives them).
fn limb_rows(points: &[Niels]) -> Box<[Row]> {
    points
        .chunks_exact(HALF)
        .map(|row| core::array::from_fn(|j| row[j].to_limbs()))
        .collect()
}

/// The multiples `j · 2^(2·WINDOW·i) · P` (`j` in `1..=HALF`, `i` in `0..ROWS`) of the
/// point with Montgomery coordinate `u`, row by row, or `None` if `u` has no Edwards
/// point.
fn affine_multiples(u: &[u8; 32]) -> Option<Vec<Niels>> {
    let point = edwards_from_montgomery(Fe::from_bytes(u))?;
    let mut points = Vec::with_capacity(ROWS * HALF);
    let mut base = point;
    for _ in 0..ROWS {
        let cached = base.to_cached();
        let mut multiple = base;
        points.push(multiple);
        for _ in 1..HALF {
            multiple = multiple.add_cached(&cached);
            points.push(multiple);
        }
        // 2^(2·WINDOW) · base = 2^(WINDOW + 1) · (HALF · base).
        base = multiple;
        for _ in 0..=WINDOW {
            base = base.double();
        }
    }
    let z_inverses = fraction::invert_all(points.iter().map(|p| p.z));
    Some(
        points
            .iter()
            .zip(z_inverses.iter())
            .map(|(point, z_inverse)| {
                let x = point.x.mul(*z_inverse);
                let y = point.y.mul(*z_inverse);
                Niels {
                    y_plus_x: y.add(x).carry(),
                    y_minus_x: y.sub(x).carry(),
                    xy2d: x.mul(y).mul(Fe::D2),
                }
            })
            .collect(),
    )
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

/// The clamped scalar (`k[0] &= 248; k[31] &= 127; k[31] |= 64`) as [`DIGITS`] signed
/// digits `d_i` in `-HALF..=HALF` with `k = Σ d_i 2^(WINDOW·i)`, computed without
/// branches.
fn clamped_digits(secret: &[u8; 32]) -> [i8; DIGITS] {
    let mut scalar = Zeroizing::new(*secret);
    scalar[0] &= 0xf8;
    scalar[31] &= 0x7f;
    scalar[31] |= 0x40;
    let mut digits = [0i8; DIGITS];
    for (i, digit) in digits.iter_mut().enumerate() {
        // The WINDOW bits from bit `WINDOW·i` on, read through the two bytes they touch
        // (bits past 255 are zero). Positions are public; only the values are secret.
        let bit = WINDOW * i;
        let byte = |j: usize| u16::from(scalar.get(j).copied().unwrap_or(0));
        let pair = byte(bit / 8) | (byte(bit / 8 + 1) << 8);
        let window = (pair >> (bit % 8)) & ((1 << WINDOW) - 1);
        // A window is below 2^WINDOW <= 128: the cast cannot wrap.
        #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
        {
            *digit = window as i8;
        }
    }
    // Move each digit into -HALF..HALF by carrying into the next; the clamped scalar is
    // below 2^255 and DIGITS·WINDOW > 255, so the last digit ends at most 1.
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
    let half = HALF as i8;
    let mut carry = 0i8;
    for digit in &mut digits[..DIGITS - 1] {
        *digit += carry;
        carry = (*digit + half) >> WINDOW;
        *digit -= carry << WINDOW;
    }
    digits[DIGITS - 1] += carry;
    digits
}

/// `X25519(secret, u)` through each table multiplication this build and CPU have (the
/// portable scan, the AVX2 scan, the IFMA code), each named; `None` where `u` has no
/// table (the twist). For the tests and the differential fuzz target.
#[cfg(any(test, fuzzing))]
pub(super) fn every_path(u: &[u8; 32], secret: &[u8; 32]) -> Option<Vec<(&'static str, [u8; 32])>> {
    let points = affine_multiples(u)?;
    let digits = clamped_digits(secret);
    let value = |point: Extended| {
        let (numerator, denominator) = point.montgomery_fraction();
        *Fraction::new(numerator, denominator).value()
    };
    let rows = limb_rows(&points);
    #[allow(unused_mut)] // Without SIMD and IFMA nothing is pushed.
    let mut out = alloc::vec![(
        "limb table, portable scan",
        value(multiply_with(Portable, &rows, &digits))
    )];
    #[cfg(all(feature = "simd", target_arch = "x86_64"))]
    if let Some(avx2) = Avx2::detect() {
        #[allow(unsafe_code)]
        // SAFETY: `avx2` exists, so the CPU has AVX2.
        let point = unsafe { multiply_avx2(avx2, &rows, &digits) };
        out.push(("limb table, AVX2 scan", value(point)));
    }
    #[cfg(all(sealpost_ifma, test))]
    let ifma = super::ifma::tests::ifma();
    #[cfg(all(sealpost_ifma, not(test)))]
    let ifma = super::ifma::Ifma::detect();
    #[cfg(sealpost_ifma)]
    if let Some(ifma) = ifma {
        let rows = ifma::rows(&points)?;
        out.push(("IFMA table", value(ifma::multiply(ifma, &rows, &digits))));
    }
    Some(out)
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
            let digits = clamped_digits(&secret);
            let half = i8::try_from(HALF).unwrap();
            assert!(digits.iter().all(|d| (-half..=half).contains(d)));
            // Recompose k = Σ d_i 2^(WINDOW·i) as a little-endian 256-bit integer: add
            // each digit at its bit position into 64-bit accumulators of one byte each.
            let mut acc = [0i64; 34];
            for (i, &d) in digits.iter().enumerate() {
                let bit = WINDOW * i;
                acc[bit / 8] += i64::from(d) << (bit % 8);
            }
            let mut bytes = [0u8; 34];
            let mut carry = 0i64;
            for (i, byte) in bytes.iter_mut().enumerate() {
                let v = acc[i] + carry;
                *byte = u8::try_from(v.rem_euclid(256)).unwrap();
                carry = v.div_euclid(256);
            }
            assert_eq!(carry, 0);
            assert_eq!(bytes[32..], [0, 0]);
            let bytes: [u8; 32] = bytes[..32].try_into().unwrap();
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

    /// Both scans pick exactly `row[magnitude - 1]`, or the identity for 0.
    #[test]
    fn scans_pick_the_entry_of_the_magnitude() {
        let public = MontgomeryPoint::mul_base_clamped(pseudo_random(7)).to_bytes();
        for row in &limb_rows(&affine_multiples(&public).unwrap()) {
            for magnitude in 0..=u8::try_from(HALF).unwrap() {
                let expected = match magnitude {
                    0 => Niels::IDENTITY.to_limbs(),
                    m => row[usize::from(m) - 1],
                };
                assert_eq!(Portable.scan(row, magnitude), expected);
                #[cfg(all(feature = "simd", target_arch = "x86_64"))]
                if let Some(avx2) = Avx2::detect() {
                    assert_eq!(avx2.scan(row, magnitude), expected);
                }
            }
        }
    }

    /// The portable path runs on CPUs without AVX2, and the AVX2 one on those without
    /// AVX-512 IFMA; `new` picks neither on a CPU with IFMA, so they are tested here.
    #[test]
    fn limb_paths_equal_ladder() {
        for seed in 0..16 {
            let public = MontgomeryPoint::mul_base_clamped(pseudo_random(300 + seed)).to_bytes();
            // The layout of the portable and AVX2 paths, whatever this CPU has.
            let rows = limb_rows(&affine_multiples(&public).unwrap());
            let secret = pseudo_random(400 + seed);
            let digits = clamped_digits(&secret);
            let point = multiply_with(Portable, &rows, &digits);
            assert_eq!(point.to_montgomery_u(), ladder(&secret, &public));
            #[cfg(all(feature = "simd", target_arch = "x86_64"))]
            if let Some(avx2) = Avx2::detect() {
                #[allow(unsafe_code)]
                // SAFETY: `avx2` exists, so the CPU has AVX2.
                let point = unsafe { multiply_avx2(avx2, &rows, &digits) };
                assert_eq!(point.to_montgomery_u(), ladder(&secret, &public));
            }
        }
    }

    #[test]
    fn diffie_hellman_many_equals_one_at_a_time() {
        let secrets: Vec<[u8; 32]> = (0..20).map(|seed| pseudo_random(700 + seed)).collect();
        let public = MontgomeryPoint::mul_base_clamped(pseudo_random(699)).to_bytes();
        let table = RecipientTable::new(&public).unwrap();
        let many = table.diffie_hellman_many(&secrets);
        assert_eq!(many.len(), secrets.len());
        for (secret, shared) in secrets.iter().zip(&many) {
            assert_eq!(**shared, ladder(secret, &public));
        }
        assert!(table.diffie_hellman_many(&[]).is_empty());
        // u = 0 has an Edwards point (of order 2): every product is the identity, whose
        // u is 0, and the batch must not break on its zero denominator.
        let order_two = RecipientTable::new(&[0; 32]).unwrap();
        for shared in order_two.diffie_hellman_many(&secrets) {
            assert_eq!(*shared, [0; 32]);
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
