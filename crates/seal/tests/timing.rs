//! A statistical timing test in the manner of dudect (Reparaz, Balasch, Verbauwhede,
//! "Dude, is my code constant time?", 2017): the same operation timed on a fixed
//! secret and on random secrets, the two classes interleaved at random, then Welch's
//! t-test on the two samples. A leak makes |t| grow with the number of measurements;
//! dudect's threshold for "no leak found" is |t| < 4.5.
//!
//! It covers what valgrind cannot run on this crate: the AVX-512 IFMA code, on a CPU
//! that has it (with `SEALPOST_REQUIRE_IFMA` set the tests fail unless IFMA runs):
//!
//! - `SecretKey::open`, whose X25519 takes the long-term secret key;
//! - `Recipient::seal`, whose table scans read the rows with the ephemeral secret's
//!   digits (the recipient table and the base-point table).
//!
//! Each test takes a bounded number of measurements (a few seconds in release); `.ci/run`
//! runs them with `cargo test --release --test timing -- --ignored`. A third test shows
//! that the harness finds a leak: a loop whose length depends on a secret byte.
//!
//! Timing on a shared machine is noisy. Measurements above the 90th percentile of each
//! run (interrupts, preemption) are cropped before the test, as dudect does; noise
//! that hits both classes alike lowers |t| and does not raise it.
#![allow(clippy::unwrap_used, clippy::cast_precision_loss)]

use std::hint::black_box;
use std::time::Instant;

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use sealpost_seal::rand_core::{TryCryptoRng, TryRng};
use sealpost_seal::{Recipient, SecretKey, X25519Backend, x25519_backend};

/// Measurements per test, both classes together.
const MEASUREMENTS: usize = 200_000;
/// dudect's bound.
const THRESHOLD: f64 = 4.5;

/// Welch's t statistic of two samples.
fn welch_t(a: &[f64], b: &[f64]) -> f64 {
    let stats = |x: &[f64]| {
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
        (n, mean, var)
    };
    let (na, ma, va) = stats(a);
    let (nb, mb, vb) = stats(b);
    (ma - mb) / (va / na + vb / nb).sqrt()
}

/// Runs `op` on `inputs` (each tagged with its class: `true` fixed, `false` random) in
/// order, timing each call; returns |t| over all measurements and over those below the
/// 90th percentile.
fn measure<T>(inputs: &[(bool, T)], mut op: impl FnMut(&T)) -> (f64, f64) {
    for (_, input) in inputs.iter().take(1000) {
        op(input); // warm-up: caches, the process's one-time X25519 choice
    }
    let mut times = Vec::with_capacity(inputs.len());
    for (class, input) in inputs {
        let start = Instant::now();
        op(input);
        times.push((*class, start.elapsed().as_nanos() as f64));
    }
    let split = |limit: f64| {
        let (fixed, random): (Vec<_>, Vec<_>) = times
            .iter()
            .filter(|(_, t)| *t <= limit)
            .partition(|(c, _)| *c);
        let values = |v: Vec<&(bool, f64)>| v.into_iter().map(|(_, t)| *t).collect::<Vec<_>>();
        welch_t(&values(fixed), &values(random)).abs()
    };
    let mut sorted: Vec<f64> = times.iter().map(|(_, t)| *t).collect();
    sorted.sort_by(f64::total_cmp);
    (split(f64::INFINITY), split(sorted[sorted.len() * 9 / 10]))
}

/// Classes at random, and a secret for each: `fixed` for the fixed class.
fn classes(seed: u64, fixed: [u8; 32]) -> Vec<(bool, [u8; 32])> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    (0..MEASUREMENTS)
        .map(|_| {
            let class = rng.next_u32() & 1 == 1;
            let mut secret = fixed;
            if !class {
                rng.fill_bytes(&mut secret);
            }
            (class, secret)
        })
        .collect()
}

fn report(what: &str, (raw, cropped): (f64, f64)) {
    println!(
        "{what}: |t| = {raw:.2} over all {MEASUREMENTS} measurements, {cropped:.2} below the \
         90th percentile (X25519 here: {})",
        x25519_backend()
    );
}

/// With `SEALPOST_REQUIRE_IFMA` (set by `.ci/run` on CPUs with IFMA), the process must
/// run the IFMA code, so that these tests measure it.
fn require_ifma_where_present() {
    if std::env::var_os("SEALPOST_REQUIRE_IFMA").is_some() && cfg!(feature = "ifma") {
        assert_eq!(x25519_backend(), X25519Backend::Ifma);
    }
}

#[test]
#[ignore = "statistical timing, a few seconds in release; .ci/run runs it"]
fn open_takes_the_same_time_for_any_long_term_key() {
    require_ifma_where_present();
    // One box for all keys: a valid point as its ephemeral key, a tag that fails for
    // every key, so that every open does the same work after its X25519.
    let mut sealed = SecretKey::from_bytes(&[9; 32])
        .public_key()
        .as_bytes()
        .to_vec();
    sealed.extend_from_slice(&[0xa5; 16 + 32]);
    // Low-weight fixed key: clamped, it is 2^254, the extreme of the ladder's swaps.
    let keys: Vec<(bool, SecretKey)> = classes(1, [0; 32])
        .into_iter()
        .map(|(class, secret)| (class, SecretKey::from_bytes(&secret)))
        .collect();
    let t = measure(&keys, |key| {
        black_box(key.open(black_box(&sealed))).unwrap_err();
    });
    report("SecretKey::open", t);
    assert!(
        t.1 < THRESHOLD,
        "open's time depends on the secret key: |t| = {:.2}",
        t.1
    );
}

/// Hands out the ephemeral secret it holds.
struct Ephemeral([u8; 32]);

impl TryRng for Ephemeral {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(0)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(0)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        dst.copy_from_slice(&self.0[..dst.len()]);
        Ok(())
    }
}

impl TryCryptoRng for Ephemeral {}

#[test]
#[ignore = "statistical timing, a few seconds in release; .ci/run runs it"]
fn recipient_seal_takes_the_same_time_for_any_ephemeral_secret() {
    require_ifma_where_present();
    let recipient = Recipient::new(&SecretKey::from_bytes(&[7; 32]).public_key());
    // All-zero digits but the clamped top one: every scan picks the identity.
    let mut fixed = [0u8; 32];
    fixed[31] = 0x40;
    let secrets = classes(2, fixed);
    let t = measure(&secrets, |secret| {
        black_box(recipient.seal_with_rng(&mut Ephemeral(*secret), black_box(b"value")));
    });
    report("Recipient::seal", t);
    assert!(
        t.1 < THRESHOLD,
        "the table scan's time depends on the secret: |t| = {:.2}",
        t.1
    );
}

/// The harness can fail: a loop as long as a secret byte is found at once.
#[test]
#[ignore = "statistical timing; .ci/run runs it"]
fn harness_finds_a_secret_dependent_loop() {
    let secrets = classes(3, [0; 32]);
    let t = measure(&secrets, |secret| {
        let mut acc = 0u64;
        for i in 0..u64::from(secret[0]) * 4 {
            acc = black_box(acc.wrapping_add(i));
        }
        black_box(acc);
    });
    report("deliberate leak", t);
    assert!(
        t.1 > THRESHOLD,
        "the harness missed a deliberate leak: |t| = {:.2}",
        t.1
    );
}
