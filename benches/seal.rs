//! sealpost's sealed box against libsodium's `crypto_box_seal` and the `crypto_box`
//! crate (the `RustCrypto` one), side by side in one process.
//!
//! `cargo bench --bench seal` runs everything and then prints (and writes to
//! `target/criterion/sealpost-ratios.md`) the ratio libsodium-time / other-time for
//! each case: above 1 means faster than libsodium. `SEALPOST_BENCH_QUICK=1` shortens
//! every measurement for a quick look on a shared machine; `--no-default-features`
//! measures the portable build (curve25519-dalek, no C, no `unsafe`).
#![allow(unsafe_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use sealpost::seal::{Recipient, SEAL_OVERHEAD, SecretKey};

const SIZES: [(usize, &str); 3] = [(32, "32 B"), (1024, "1 KiB"), (48 * 1024, "48 KiB")];
const BATCH: usize = 256;

fn sodium_init() {
    // SAFETY: `sodium_init` takes no arguments and may be called repeatedly.
    assert!(unsafe { libsodium_sys::sodium_init() } >= 0);
}

fn sodium_seal(pk: &[u8; 32], msg: &[u8]) -> Vec<u8> {
    let len = msg.len() + SEAL_OVERHEAD;
    let mut out = Vec::with_capacity(len);
    // SAFETY: `out` has room for `len` bytes, exactly what `crypto_box_seal` writes;
    // `msg` and `pk` are valid for their lengths. The bytes are initialized on return.
    unsafe {
        let rc = libsodium_sys::crypto_box_seal(
            out.as_mut_ptr(),
            msg.as_ptr(),
            msg.len() as u64,
            pk.as_ptr(),
        );
        assert_eq!(rc, 0);
        out.set_len(len);
    }
    out
}

fn sodium_open(pk: &[u8; 32], sk: &[u8; 32], sealed: &[u8]) -> Vec<u8> {
    let len = sealed.len() - SEAL_OVERHEAD;
    let mut out = Vec::with_capacity(len);
    // SAFETY: `out` has room for the `len` bytes `crypto_box_seal_open` writes; the
    // inputs are valid for their lengths. The bytes are initialized when it returns 0.
    unsafe {
        let rc = libsodium_sys::crypto_box_seal_open(
            out.as_mut_ptr(),
            sealed.as_ptr(),
            sealed.len() as u64,
            pk.as_ptr(),
            sk.as_ptr(),
        );
        assert_eq!(rc, 0);
        out.set_len(len);
    }
    out
}

fn benches(c: &mut Criterion) {
    sodium_init();
    let secret = SecretKey::generate();
    let public = secret.public_key();
    let pk = *public.as_bytes();
    let sk = *secret.to_bytes();
    let recipient = Recipient::new(&public);
    let rc_public = crypto_box::PublicKey::from(pk);
    let rc_secret = crypto_box::SecretKey::from(sk);
    let mut os_rng = crypto_box::aead::OsRng;

    for (len, label) in SIZES {
        let msg = vec![0x5a_u8; len];
        let mut group = c.benchmark_group(format!("seal/{label}"));
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_function("libsodium", |b| {
            b.iter(|| sodium_seal(&pk, black_box(&msg)));
        });
        group.bench_function("crypto_box", |b| {
            b.iter(|| rc_public.seal(&mut os_rng, black_box(&msg)).unwrap());
        });
        group.bench_function("sealpost PublicKey", |b| {
            b.iter(|| public.seal(black_box(&msg)));
        });
        group.bench_function("sealpost Recipient", |b| {
            b.iter(|| recipient.seal(black_box(&msg)));
        });
        group.finish();

        let sealed = public.seal(&msg);
        assert_eq!(sodium_open(&pk, &sk, &sealed), msg);
        let mut group = c.benchmark_group(format!("open/{label}"));
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_function("libsodium", |b| {
            b.iter(|| sodium_open(&pk, &sk, black_box(&sealed)));
        });
        group.bench_function("crypto_box", |b| {
            b.iter(|| rc_secret.unseal(black_box(&sealed)).unwrap());
        });
        group.bench_function("sealpost", |b| {
            b.iter(|| secret.open(black_box(&sealed)).unwrap());
        });
        group.finish();
    }

    let mut group = c.benchmark_group("recipient");
    group.bench_function("Recipient::new", |b| {
        b.iter(|| Recipient::new(black_box(&public)));
    });
    group.finish();

    // The known-answer self-test the IFMA code passes once per process before its first
    // use (under the lock that also builds the base-point table).
    if sealpost::seal::__x25519_self_test().is_some() {
        let mut group = c.benchmark_group("first use");
        group.bench_function("X25519 self-test", |b| {
            b.iter(|| assert_eq!(sealpost::seal::__x25519_self_test(), Some(true)));
        });
        group.finish();
    }

    let values: Vec<Vec<u8>> = (0..BATCH).map(|i| vec![i.to_le_bytes()[0]; 32]).collect();
    let mut group = c.benchmark_group(format!("batch/{BATCH} x 32 B"));
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function(
        BenchmarkId::from_parameter("loop of Recipient::seal"),
        |b| {
            b.iter(|| values.iter().map(|v| recipient.seal(v)).collect::<Vec<_>>());
        },
    );
    group.bench_function(BenchmarkId::from_parameter("Recipient::seal_many"), |b| {
        b.iter(|| recipient.seal_many(black_box(&values)));
    });
    group.finish();
}

/// The time per iteration of the fastest sample of one benchmark, in nanoseconds, from
/// criterion's `sample.json`. On a shared machine the fastest sample is the one least
/// disturbed by other work, so ratios of fastest samples vary least from run to run.
fn fastest_ns(dir: &Path, group: &str, name: &str) -> Option<f64> {
    let path = dir
        .join(group.replace('/', "_"))
        .join(name.replace(['/', ':'], "_"))
        .join("new/sample.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let iters = json["iters"].as_array()?;
    let times = json["times"].as_array()?;
    iters
        .iter()
        .zip(times)
        .filter_map(|(n, t)| Some(t.as_f64()? / n.as_f64()?))
        .min_by(f64::total_cmp)
}

fn criterion_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    );
    target.join("criterion")
}

fn fmt_time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} µs", ns / 1e3)
    }
}

fn configuration() -> String {
    let ifma = std::arch::is_x86_feature_detected!("avx512ifma")
        && std::arch::is_x86_feature_detected!("avx512vl");
    let x25519 = match sealpost::seal::x25519_backend() {
        sealpost::seal::X25519Backend::Ifma => {
            "four-way AVX-512 IFMA ladder and base-point table (self-test passed)"
        }
        sealpost::seal::X25519Backend::AwsLc => "AWS-LC (s2n-bignum)",
        _ => {
            "portable: base-point table and fiat-crypto ladder for seals, curve25519-dalek for open"
        }
    };
    let avx2 = match (std::arch::is_x86_feature_detected!("avx2"), ifma) {
        (_, true) => "AVX2 and AVX-512 IFMA available",
        (true, false) => "AVX2 available",
        (false, false) => "no AVX2",
    };
    let salsa = if cfg!(feature = "simd") {
        "Salsa20 eight blocks at a time with AVX2 (AVX-512VL rotate) where available"
    } else {
        "Salsa20 from the salsa20 crate, one block at a time"
    };
    format!("X25519: {x25519}; symmetric: {salsa}; CPU: {avx2}")
}

/// Prints the ratio libsodium-time / sealpost-time for every case and writes the same
/// table to `target/criterion/sealpost-ratios.md`.
fn report() {
    let dir = criterion_dir();
    let mut table = String::new();
    let _ = writeln!(
        table,
        "{}\n\nTimes: fastest sample of each benchmark.\n",
        configuration()
    );
    let _ = writeln!(
        table,
        "| case | libsodium | sealpost | ratio | crypto_box 0.9 | ratio |"
    );
    let _ = writeln!(table, "|---|---:|---:|---:|---:|---:|");
    for (_, label) in SIZES {
        for (group, ours, what) in [
            ("seal", "sealpost PublicKey", "PublicKey::seal"),
            ("seal", "sealpost Recipient", "Recipient::seal"),
            ("open", "sealpost", "SecretKey::open"),
        ] {
            let group = format!("{group}/{label}");
            let (Some(sodium), Some(mine)) = (
                fastest_ns(&dir, &group, "libsodium"),
                fastest_ns(&dir, &group, ours),
            ) else {
                continue;
            };
            let other = fastest_ns(&dir, &group, "crypto_box");
            let (other_time, other_ratio) = match (what, other) {
                ("Recipient::seal", _) | (_, None) => (String::new(), String::new()),
                (_, Some(t)) => (fmt_time(t), format!("{:.2}×", sodium / t)),
            };
            let _ = writeln!(
                table,
                "| {what}, {label} | {} | {} | **{:.2}×** | {other_time} | {other_ratio} |",
                fmt_time(sodium),
                fmt_time(mine),
                sodium / mine,
            );
        }
    }
    if let Some(new) = fastest_ns(&dir, "recipient", "Recipient::new") {
        let _ = writeln!(table, "\n`Recipient::new`: {}", fmt_time(new));
        let group = "seal/32 B";
        if let (Some(one_shot), Some(prepared)) = (
            fastest_ns(&dir, group, "sealpost PublicKey"),
            fastest_ns(&dir, group, "sealpost Recipient"),
        ) && one_shot > prepared
        {
            let _ = writeln!(
                table,
                "(pays for itself after {:.0} seals of 32 B)",
                (new / (one_shot - prepared)).ceil()
            );
        }
    }
    // Only for builds that have the IFMA code: an earlier run's result may be on disk.
    if sealpost::seal::__x25519_self_test().is_some()
        && let Some(test) = fastest_ns(&dir, "first use", "X25519 self-test")
    {
        let _ = writeln!(
            table,
            "X25519 self-test of the IFMA code, once per process before its first use: {}",
            fmt_time(test)
        );
    }
    let group = format!("batch_{BATCH} x 32 B");
    if let (Some(looped), Some(many)) = (
        fastest_ns(&dir, &group, "loop of Recipient::seal"),
        fastest_ns(&dir, &group, "Recipient::seal_many"),
    ) {
        let _ = writeln!(
            table,
            "`Recipient::seal_many` of {BATCH} × 32 B: {} against {} for a loop: {:.2}× speed-up",
            fmt_time(many),
            fmt_time(looped),
            looped / many
        );
    }
    println!("\n{table}");
    let _ = std::fs::write(dir.join("sealpost-ratios.md"), table);
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    if std::env::var_os("SEALPOST_BENCH_QUICK").is_some() {
        criterion = criterion
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1))
            .sample_size(20);
    }
    benches(&mut criterion);
    criterion.final_summary();
    report();
}
