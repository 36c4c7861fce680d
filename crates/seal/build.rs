//! Decides which X25519 code the crate compiles, from its features and from the
//! `sealpost_x25519` cfg.
//!
//! Features are additive: once any crate in a build turns `ifma` or `aws-lc` on, no
//! dependent can turn it off. A cfg set for the whole build does not have that problem
//! (curve25519-dalek's `curve25519_dalek_backend` works the same way):
//!
//! - `RUSTFLAGS='--cfg sealpost_x25519="aws-lc"'`: every X25519 through AWS-LC (needs
//!   the `aws-lc` feature); no IFMA code, no recipient table.
//! - `RUSTFLAGS='--cfg sealpost_x25519="portable"'`: no AWS-LC and no IFMA code for
//!   X25519: curve25519-dalek, and this crate's fiat-crypto ladder and tables.
//!
//! It emits two cfgs for the code: `sealpost_ifma` (the AVX-512 IFMA code is compiled,
//! to be chosen at run time) and `sealpost_aws_lc` (AWS-LC is the X25519 backend).

use std::env;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(sealpost_x25519, values(\"aws-lc\", \"portable\"))");
    println!("cargo::rustc-check-cfg=cfg(sealpost_ifma)");
    println!("cargo::rustc-check-cfg=cfg(sealpost_aws_lc)");
    // Test-only: a deliberately non-constant-time table scan, which `.ci/run`'s
    // disassembly check must refuse (`.ci/check-disassembly`).
    println!("cargo::rustc-check-cfg=cfg(sealpost_broken_scan)");
    // cargo-fuzz's: exposes every X25519 path to the differential fuzz target.
    println!("cargo::rustc-check-cfg=cfg(fuzzing)");
    println!("cargo::rerun-if-changed=build.rs");

    let feature = |name: &str| env::var_os(format!("CARGO_FEATURE_{name}")).is_some();
    let x86_64 = env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "x86_64");
    let choice = env::var("CARGO_CFG_SEALPOST_X25519").ok();
    let (aws_lc, ifma) = match choice.as_deref() {
        // The IFMA code needs `std`: its known-answer self-test runs once per process,
        // under the lock that also builds the base-point table.
        None => (
            feature("AWS_LC"),
            feature("IFMA") && feature("STD") && x86_64,
        ),
        Some("aws-lc") if feature("AWS_LC") => (true, false),
        Some("portable") => (false, false),
        Some(other) => {
            println!(
                "cargo::warning=sealpost_x25519=\"{other}\" is not a choice this build can \
                 make: use \"portable\", or \"aws-lc\" with the `aws-lc` feature on"
            );
            std::process::exit(1);
        }
    };
    if aws_lc {
        println!("cargo::rustc-cfg=sealpost_aws_lc");
    }
    if ifma {
        println!("cargo::rustc-cfg=sealpost_ifma");
    }
}
