//! X25519 as libsodium computes it: clamped scalars, the top bit of a `u`-coordinate
//! ignored, and every small-order point refused.
//!
//! Two backends compute the same function: AWS-LC's (feature `aws-lc`, the default) and
//! the portable curve25519-dalek one. Beside them:
//!
//! - with the `ifma` feature on an `x86_64` CPU with AVX-512 IFMA (checked at run time),
//!   [`ladder`] computes `X25519(k, u)` four field elements at a time, about 1.4 times as
//!   fast as AWS-LC on AMD Zen 4;
//! - [`RecipientTable`] computes `X25519(k, u)` for a fixed `u` from precomputed
//!   multiples, for [`Recipient`](crate::Recipient), and for the base point when a seal
//!   needs its ephemeral public key ([`base_table`]);
//! - [`montgomery`] is RFC 7748's ladder on fiat-crypto's field, for seals in builds
//!   without AWS-LC.
//!
//! A seal ends with two inversions, one per result; where both results come from our own
//! code they share one ([`fraction`]).

#[cfg(sealpost_aws_lc)]
mod aws_lc;
mod barrier;
mod field;
mod fraction;
#[cfg(sealpost_ifma)]
mod ifma;
#[cfg(sealpost_ifma)]
mod ladder;
mod montgomery;
#[cfg(sealpost_ifma)]
mod self_test;
// Compiled with AWS-LC too, for the tests that compare the two backends.
#[cfg(any(test, fuzzing, not(sealpost_aws_lc)))]
mod portable;
mod table;
#[cfg(test)]
mod vectors;

use alloc::vec::Vec;

use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroizing;

pub(crate) use table::RecipientTable;

#[cfg(sealpost_aws_lc)]
use aws_lc as backend;
#[cfg(not(sealpost_aws_lc))]
use portable as backend;

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
    backend::public_from_secret(secret)
}

/// `X25519(scalar, u)`: the raw shared secret.
///
/// All zeros exactly when `u` has small order. For a [`PublicKey`](crate::PublicKey)
/// that cannot happen: a clamped scalar is `8k` with `0 < k < 2^252`, smaller than
/// the large prime factor of both the curve's and the twist's order, so `[8k]u` is
/// the identity only if `u` has order dividing 8.
pub(crate) fn diffie_hellman(secret: &[u8; 32], u: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    #[cfg(sealpost_ifma)]
    if let Some(ifma) = checked_ifma() {
        return ladder::diffie_hellman(ifma, secret, u);
    }
    backend::diffie_hellman(secret, u)
}

/// The point `u = 9` every public key is a multiple of.
#[cfg_attr(not(any(test, feature = "std")), allow(dead_code))]
const BASE_POINT: [u8; 32] = {
    let mut base_point = [0; 32];
    base_point[0] = 9;
    base_point
};

/// What this process runs, decided once, on first use.
#[cfg(feature = "std")]
struct Chosen {
    /// The CPU's AVX-512 IFMA, if it has it and the IFMA code passed its self-test.
    #[cfg(sealpost_ifma)]
    ifma: Option<ifma::Ifma>,
    /// See [`base_table`].
    base: Option<RecipientTable>,
}

/// The choice of [`Chosen`], made once per process under a lock: on a CPU with AVX-512
/// IFMA, the IFMA code first computes known answers ([`self_test`]); only if every one
/// is right does the process use it. Otherwise it runs AWS-LC (or, without it, the
/// portable code) as on any other CPU.
#[cfg(feature = "std")]
fn chosen() -> &'static Chosen {
    static CHOSEN: std::sync::OnceLock<Chosen> = std::sync::OnceLock::new();
    CHOSEN.get_or_init(|| {
        #[cfg(sealpost_ifma)]
        if let Some(ifma) = ifma::Ifma::detect()
            && let Some(base) = self_test::run(ifma)
        {
            return Chosen {
                ifma: Some(ifma),
                base: Some(base),
            };
        }
        Chosen {
            #[cfg(sealpost_ifma)]
            ifma: None,
            // With AWS-LC, its fixed-base multiplication is faster than a limb table.
            base: if cfg!(sealpost_aws_lc) {
                None
            } else {
                RecipientTable::with_layout(&BASE_POINT, table::Layout::Limbs)
            },
        }
    })
}

/// The CPU's AVX-512 IFMA if this process uses it: the CPU has it and the IFMA code
/// passed its known-answer self-test.
#[cfg(sealpost_ifma)]
fn checked_ifma() -> Option<ifma::Ifma> {
    chosen().ifma
}

/// Which X25519 code this process runs for a one-shot seal and an open.
pub(crate) fn running() -> crate::X25519Backend {
    #[cfg(sealpost_ifma)]
    if checked_ifma().is_some() {
        return crate::X25519Backend::Ifma;
    }
    if cfg!(sealpost_aws_lc) {
        crate::X25519Backend::AwsLc
    } else {
        crate::X25519Backend::Portable
    }
}

/// Runs [`self_test`] again, outside the lock: `None` without the IFMA code or CPU.
pub(crate) fn self_test_again() -> Option<bool> {
    #[cfg(sealpost_ifma)]
    if let Some(ifma) = ifma::Ifma::detect() {
        return Some(self_test::run(ifma).is_some());
    }
    None
}

/// The layout a new [`RecipientTable`] takes here: for the IFMA code where this process
/// uses it.
fn table_layout() -> table::Layout {
    #[cfg(sealpost_ifma)]
    if let Some(ifma) = checked_ifma() {
        return table::Layout::Lanes(ifma);
    }
    table::Layout::Limbs
}

/// A table of the base point for ephemeral public keys, where a table multiplication
/// sharing its inversion with the shared secret beats the backend's fixed-base
/// multiplication: on CPUs with AVX-512 IFMA, and in builds without AWS-LC. Built once
/// per process on first use (about 0.15 ms, 52 or 65 KiB). `None` elsewhere, and
/// without `std` (which has the lock).
#[cfg(feature = "std")]
fn base_table() -> Option<&'static RecipientTable> {
    chosen().base.as_ref()
}

#[cfg(not(feature = "std"))]
fn base_table() -> Option<&'static RecipientTable> {
    None
}

/// `X25519(secret, u)` before its inversion, by the fastest ladder here.
#[cfg_attr(not(feature = "std"), allow(dead_code))]
fn ladder_fraction(secret: &[u8; 32], u: &[u8; 32]) -> fraction::Fraction {
    #[cfg(sealpost_ifma)]
    if let Some(ifma) = checked_ifma() {
        return ladder::fraction(ifma, secret, u);
    }
    montgomery::fraction(secret, u)
}

/// `(X25519(secret, 9), X25519(secret, u))`: an ephemeral public key and its shared
/// secret with `u`, as a seal needs them. With a base table ([`base_table`]), a ladder
/// and the table share one inversion; elsewhere [`public_from_secret`] and
/// [`diffie_hellman`].
pub(crate) fn public_and_shared(
    secret: &[u8; 32],
    u: &[u8; 32],
) -> ([u8; 32], Zeroizing<[u8; 32]>) {
    match base_table() {
        Some(base) => {
            let (public, shared) =
                fraction::values_of_two(&base.fraction(secret), &ladder_fraction(secret, u));
            (*public, shared)
        }
        None => (public_from_secret(secret), diffie_hellman(secret, u)),
    }
}

/// [`public_and_shared`] for the `u` of `table`.
pub(crate) fn public_and_shared_through(
    table: &RecipientTable,
    secret: &[u8; 32],
) -> ([u8; 32], Zeroizing<[u8; 32]>) {
    match base_table() {
        Some(base) => {
            let (public, shared) =
                fraction::values_of_two(&base.fraction(secret), &table.fraction(secret));
            (*public, shared)
        }
        None => (public_from_secret(secret), table.diffie_hellman(secret)),
    }
}

/// [`public_and_shared_through`] for each of `secrets`, with one inversion for all.
pub(crate) fn public_and_shared_many(
    table: &RecipientTable,
    secrets: &[[u8; 32]],
) -> Vec<([u8; 32], Zeroizing<[u8; 32]>)> {
    let Some(base) = base_table() else {
        let shared = table.diffie_hellman_many(secrets);
        return secrets.iter().map(public_from_secret).zip(shared).collect();
    };
    let fractions: Vec<fraction::Fraction> = secrets
        .iter()
        .flat_map(|secret| [base.fraction(secret), table.fraction(secret)])
        .collect();
    let mut values = fraction::values(&fractions).into_iter();
    let mut pairs = Vec::with_capacity(secrets.len());
    while let (Some(public), Some(shared)) = (values.next(), values.next()) {
        pairs.push((*public, shared));
    }
    pairs
}

/// Every X25519 path for the differential fuzz target (`fuzz/fuzz_targets/
/// x25519_differential.rs`), built only under cargo-fuzz's `--cfg fuzzing`.
#[cfg(fuzzing)]
pub mod fuzzing {
    use alloc::vec::Vec;

    /// `X25519(secret, u)` by every path this build and CPU have, each named: the IFMA
    /// ladder (where the CPU has IFMA), the fiat-crypto ladder, curve25519-dalek,
    /// AWS-LC, and the table multiplications for `u` on the curve.
    pub fn every_path(secret: &[u8; 32], u: &[u8; 32]) -> Vec<(&'static str, [u8; 32])> {
        let mut out = alloc::vec![
            (
                "fiat-crypto ladder",
                *super::montgomery::fraction(secret, u).value()
            ),
            (
                "curve25519-dalek",
                *super::portable::diffie_hellman(secret, u)
            ),
        ];
        #[cfg(sealpost_ifma)]
        if let Some(ifma) = super::ifma::Ifma::detect() {
            out.push((
                "IFMA ladder",
                *super::ladder::diffie_hellman(ifma, secret, u),
            ));
        }
        #[cfg(sealpost_aws_lc)]
        out.push(("AWS-LC", *super::aws_lc::diffie_hellman(secret, u)));
        out.extend(super::table::every_path(u, secret).into_iter().flatten());
        out
    }
}

/// Stops a seal whose shared secret is all zeros, as libsodium's `crypto_box_seal`
/// refuses one: the box would open with a key anyone can compute. A
/// [`PublicKey`](crate::PublicKey) cannot lead here (small-order keys are refused when it is made),
/// so only a fault in the X25519 code or the machine can; a seal has no error to
/// return, and must not hand out such a box.
///
/// # Panics
///
/// If `shared` is all zeros.
pub(crate) fn refuse_zero(shared: &[u8; 32]) {
    // Whether a box is made is public (see `declassify`).
    assert!(
        !crate::declassify::public(is_zero(shared)),
        "sealpost-seal: X25519 gave the all-zero shared secret for a validated public key, \
         a fault in the X25519 code or the machine; no box was made"
    );
}

/// Whether a shared secret is all zeros, in constant time.
pub(crate) fn is_zero(shared: &[u8; 32]) -> bool {
    shared.ct_eq(&[0u8; 32]).into()
}

#[cfg(test)]
mod tests {
    // The oracle is libsodium, reached through its C API.
    #![allow(unsafe_code)]

    use alloc::vec::Vec;

    use super::*;

    /// libsodium's `crypto_scalarmult`, or `None` where it refuses (small order).
    fn sodium_dh(secret: &[u8; 32], u: &[u8; 32]) -> Option<[u8; 32]> {
        let mut out = [0u8; 32];
        // SAFETY: three valid 32-byte buffers, as the function requires; `sodium_init`
        // is idempotent and thread-safe.
        let rc = unsafe {
            assert!(libsodium_sys::sodium_init() >= 0);
            libsodium_sys::crypto_scalarmult(out.as_mut_ptr(), secret.as_ptr(), u.as_ptr())
        };
        (rc == 0).then_some(out)
    }

    fn sodium_public(secret: &[u8; 32]) -> [u8; 32] {
        let mut out = [0u8; 32];
        // SAFETY: two valid 32-byte buffers.
        let rc = unsafe {
            assert!(libsodium_sys::sodium_init() >= 0);
            libsodium_sys::crypto_scalarmult_base(out.as_mut_ptr(), secret.as_ptr())
        };
        assert_eq!(rc, 0);
        out
    }

    fn random_bytes(rng: &mut rand_chacha::ChaCha20Rng) -> [u8; 32] {
        use rand_core::Rng as _;
        let mut out = [0u8; 32];
        rng.fill_bytes(&mut out);
        out
    }

    fn rng(seed: u64) -> rand_chacha::ChaCha20Rng {
        use rand_core::SeedableRng as _;
        rand_chacha::ChaCha20Rng::seed_from_u64(seed)
    }

    /// Every kind of `u` a peer can send: random (half on the twist), with the top bit
    /// set, small values and their non-canonical `u + p` forms, and the small-order list.
    fn crafted_points(rng: &mut rand_chacha::ChaCha20Rng) -> Vec<[u8; 32]> {
        let mut points = Vec::new();
        for _ in 0..64 {
            let u = random_bytes(rng);
            let mut high = u;
            high[31] |= 0x80;
            let mut low = u;
            low[31] &= 0x7f;
            points.extend([high, low]);
        }
        for small in 0u8..=18 {
            let mut u = [0u8; 32];
            u[0] = small;
            let mut plus_p = [0xff; 32];
            plus_p[0] = 0xed + small;
            plus_p[31] = 0x7f;
            points.extend([u, plus_p]);
        }
        for point in SMALL_ORDER {
            let mut high = point;
            high[31] |= 0x80;
            points.extend([point, high]);
        }
        points
    }

    #[test]
    fn diffie_hellman_matches_libsodium_on_crafted_points() {
        let mut rng = rng(1);
        for u in crafted_points(&mut rng) {
            let secret = random_bytes(&mut rng);
            let ours = diffie_hellman(&secret, &u);
            // Every implementation this build has, whichever `diffie_hellman` picked.
            let portable = portable::diffie_hellman(&secret, &u);
            assert_eq!(*ours, *portable, "backends differ for u = {u:02x?}");
            let backend = backend::diffie_hellman(&secret, &u);
            assert_eq!(*ours, *backend, "backends differ for u = {u:02x?}");
            let fiat_ladder = montgomery::fraction(&secret, &u).value();
            assert_eq!(*ours, *fiat_ladder, "fiat-crypto ladder, u = {u:02x?}");
            // Beside the public key, with the inversion they may share.
            let public = sodium_public(&secret);
            let (with_public, shared) = public_and_shared(&secret, &u);
            assert_eq!((with_public, *shared), (public, *ours), "u = {u:02x?}");
            #[cfg(sealpost_ifma)]
            if let Some(ifma) = ifma::Ifma::detect() {
                let ladder = ladder::diffie_hellman(ifma, &secret, &u);
                assert_eq!(*ours, *ladder, "IFMA ladder, u = {u:02x?}");
            }
            if let Some(expected) = sodium_dh(&secret, &u) {
                assert_eq!(*ours, expected, "u = {u:02x?}");
            } else {
                assert!(is_zero(&ours), "libsodium refused u = {u:02x?}");
                assert!(is_small_order(&u));
            }
            // The recipient table, where it applies, agrees too.
            if let Some(table) = RecipientTable::new(&u) {
                assert_eq!(*table.diffie_hellman(&secret), *ours, "table, u = {u:02x?}");
                let (with_public, shared) = public_and_shared_through(&table, &secret);
                assert_eq!(
                    (with_public, *shared),
                    (public, *ours),
                    "table, u = {u:02x?}"
                );
                let [(with_public, shared)]: [_; 1] = public_and_shared_many(&table, &[secret])
                    .try_into()
                    .unwrap();
                assert_eq!(
                    (with_public, *shared),
                    (public, *ours),
                    "batch, u = {u:02x?}"
                );
            }
        }
    }

    /// Where `.ci/run` found AVX-512 IFMA in `/proc/cpuinfo`, the process must run the
    /// IFMA code: detected, self-tested and chosen, not silently replaced.
    #[test]
    #[cfg(sealpost_ifma)]
    fn ifma_is_used_where_the_cpu_has_it() {
        if std::env::var_os(ifma::tests::REQUIRE).is_none() {
            std::eprintln!("{} not set: nothing to require", ifma::tests::REQUIRE);
            return;
        }
        assert!(ifma::Ifma::detect().is_some(), "no AVX-512 IFMA detected");
        if std::env::var_os(self_test::CORRUPT).is_none() {
            assert_eq!(running(), crate::X25519Backend::Ifma);
            assert!(matches!(table_layout(), table::Layout::Lanes(_)));
        }
    }

    /// A wrong answer in the self-test makes the process fall back: run in a child
    /// process of this test binary (the choice is made once per process) whose
    /// self-test sees a corrupted expected value.
    #[test]
    #[cfg(sealpost_ifma)]
    fn a_failed_self_test_falls_back() {
        let Some(_) = ifma::tests::ifma() else { return };
        assert_eq!(self_test_again(), Some(true));
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "x25519::tests::after_a_failed_self_test",
                "--ignored",
                "--nocapture",
            ])
            .env(self_test::CORRUPT, "1")
            .output()
            .unwrap();
        let stdout = std::string::String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}");
        assert!(stdout.contains("1 passed"), "{stdout}");
    }

    /// The child of [`a_failed_self_test_falls_back`].
    #[test]
    #[cfg(sealpost_ifma)]
    #[ignore = "run by a_failed_self_test_falls_back in a process of its own"]
    fn after_a_failed_self_test() {
        assert!(std::env::var_os(self_test::CORRUPT).is_some());
        assert_eq!(self_test_again(), Some(false));
        // The process chose AWS-LC (or the portable code), and its results are right.
        assert_ne!(running(), crate::X25519Backend::Ifma);
        assert!(checked_ifma().is_none());
        assert!(matches!(table_layout(), table::Layout::Limbs));
        let mut rng = rng(4);
        for u in crafted_points(&mut rng) {
            let secret = random_bytes(&mut rng);
            let expected = sodium_dh(&secret, &u).unwrap_or([0; 32]);
            assert_eq!(*diffie_hellman(&secret, &u), expected);
            let (public, shared) = public_and_shared(&secret, &u);
            assert_eq!((public, *shared), (sodium_public(&secret), expected));
        }
    }

    /// `--cfg sealpost_x25519="aws-lc"` holds whatever features are on (`.ci/run`
    /// builds it with the default ones, `ifma` included).
    #[test]
    #[cfg(sealpost_x25519 = "aws-lc")]
    fn the_aws_lc_choice_holds_against_the_features() {
        assert_eq!(running(), crate::X25519Backend::AwsLc);
        assert!(base_table().is_none());
        let public = crate::SecretKey::from_bytes(&[7; 32]).public_key();
        assert!(
            std::format!("{:?}", crate::Recipient::new(&public)).contains("precomputed: false")
        );
    }

    /// `--cfg sealpost_x25519="portable"`, likewise.
    #[test]
    #[cfg(sealpost_x25519 = "portable")]
    fn the_portable_choice_holds_against_the_features() {
        assert_eq!(running(), crate::X25519Backend::Portable);
        assert!(matches!(table_layout(), table::Layout::Limbs));
        #[cfg(feature = "std")]
        assert!(base_table().is_some());
    }

    #[test]
    fn small_order_list_is_exactly_what_libsodium_refuses() {
        let mut rng = rng(2);
        for u in crafted_points(&mut rng) {
            let secret = random_bytes(&mut rng);
            assert_eq!(
                sodium_dh(&secret, &u).is_none(),
                is_small_order(&u),
                "u = {u:02x?}"
            );
        }
    }

    #[test]
    fn public_from_secret_matches_libsodium() {
        let mut rng = rng(3);
        let mut secrets: Vec<[u8; 32]> = (0..64).map(|_| random_bytes(&mut rng)).collect();
        secrets.extend([[0u8; 32], [0xff; 32], [0x80; 32], [0x01; 32]]);
        for secret in secrets {
            let expected = sodium_public(&secret);
            assert_eq!(public_from_secret(&secret), expected);
            assert_eq!(portable::public_from_secret(&secret), expected);
        }
    }
}
