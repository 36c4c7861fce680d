//! Standard test vectors on every X25519 path of the build: Wycheproof's
//! `x25519_test.json` (all 518 cases, vendored in `tests/data/wycheproof/` with its
//! licence) and RFC 7748 §5.2 and §6.1, kept in hex as printed there.
//!
//! The paths: the dispatching functions the library calls, the IFMA ladder, the
//! fiat-crypto ladder, curve25519-dalek, AWS-LC, and each recipient-table
//! multiplication (portable scan, AVX2 scan, IFMA) for the `u` it accepts (points on
//! Curve25519, not its twist), and the base-point tables for `X25519(k, 9)`. A path the
//! CPU lacks (IFMA) is reported as skipped, and with `SEALPOST_REQUIRE_IFMA` set fails.

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::Value;

#[cfg(sealpost_ifma)]
use super::ifma::tests::ifma as ifma_if_present;
use super::*;
use crate::{Error, PublicKey, SecretKey};

/// 32 bytes from 64 hex digits.
fn hex(text: &str) -> [u8; 32] {
    assert_eq!(text.len(), 64, "{text}");
    core::array::from_fn(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap())
}

/// `X25519(secret, u)` by every ladder and backend this build has, each named.
fn every_ladder(secret: &[u8; 32], u: &[u8; 32]) -> Vec<(&'static str, [u8; 32])> {
    #[allow(unused_mut)] // Without AWS-LC and IFMA nothing is pushed.
    let mut out = alloc::vec![
        (
            "diffie_hellman (what open runs)",
            *diffie_hellman(secret, u)
        ),
        (
            "public_and_shared (what a seal runs)",
            *public_and_shared(secret, u).1
        ),
        (
            "fiat-crypto ladder",
            *montgomery::fraction(secret, u).value()
        ),
        ("curve25519-dalek", *portable::diffie_hellman(secret, u)),
    ];
    #[cfg(sealpost_aws_lc)]
    out.push(("AWS-LC", *aws_lc::diffie_hellman(secret, u)));
    #[cfg(sealpost_ifma)]
    if let Some(ifma) = ifma_if_present() {
        out.push(("IFMA ladder", *ladder::diffie_hellman(ifma, secret, u)));
    }
    out
}

/// `X25519(secret, u)` through every table path, or `None` for `u` on the twist.
fn every_table(secret: &[u8; 32], u: &[u8; 32]) -> Option<Vec<(&'static str, [u8; 32])>> {
    let mut out = table::every_path(u, secret)?;
    let table = RecipientTable::new(u)?;
    out.push((
        "RecipientTable (what a Recipient runs)",
        *table.diffie_hellman(secret),
    ));
    out.push((
        "public_and_shared_through",
        *public_and_shared_through(&table, secret).1,
    ));
    Some(out)
}

/// `X25519(secret, 9)` by every path: the backends, the base-point tables in both
/// layouts, and the pair a seal computes.
fn every_public(secret: &[u8; 32]) -> Vec<(&'static str, [u8; 32])> {
    let mut out = alloc::vec![
        ("public_from_secret", public_from_secret(secret)),
        (
            "public_and_shared (seal)",
            public_and_shared(secret, &BASE_POINT).0
        ),
        ("curve25519-dalek", portable::public_from_secret(secret)),
    ];
    #[cfg(sealpost_aws_lc)]
    out.push(("AWS-LC", aws_lc::public_from_secret(secret)));
    if let Some(base) = base_table() {
        out.push(("the process's base table", *base.diffie_hellman(secret)));
    }
    for (name, value) in table::every_path(&BASE_POINT, secret).unwrap() {
        out.push((name, value));
    }
    out
}

fn assert_all(paths: &[(&'static str, [u8; 32])], expected: &[u8; 32], what: &str) {
    for (name, got) in paths {
        assert_eq!(got, expected, "{name}: {what}");
    }
}

struct Case {
    id: u64,
    comment: String,
    flags: Vec<String>,
    private: [u8; 32],
    public: [u8; 32],
    shared: [u8; 32],
    result: String,
}

impl Case {
    fn has(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }
}

fn wycheproof() -> Vec<Case> {
    let json: Value =
        serde_json::from_str(include_str!("../../tests/data/wycheproof/x25519_test.json")).unwrap();
    assert_eq!(json["algorithm"], "XDH");
    let declared = json["numberOfTests"].as_u64().unwrap();
    let mut cases = Vec::new();
    for group in json["testGroups"].as_array().unwrap() {
        assert_eq!(group["curve"], "curve25519");
        assert_eq!(group["type"], "XdhComp");
        for test in group["tests"].as_array().unwrap() {
            let text = |key: &str| String::from(test[key].as_str().unwrap());
            cases.push(Case {
                id: test["tcId"].as_u64().unwrap(),
                comment: text("comment"),
                flags: test["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| String::from(f.as_str().unwrap()))
                    .collect(),
                private: hex(&text("private")),
                public: hex(&text("public")),
                shared: hex(&text("shared")),
                result: text("result"),
            });
        }
    }
    assert_eq!(cases.len() as u64, declared);
    assert_eq!(cases.len(), 518);
    cases
}

/// Whether the encoding is non-canonical: the ignored top bit set, or `u >= p`.
fn non_canonical(u: &[u8; 32]) -> bool {
    let mut masked = *u;
    masked[31] &= 0x7f;
    let p_or_more =
        masked[1..31].iter().all(|&b| b == 0xff) && masked[31] == 0x7f && masked[0] >= 0xed;
    u[31] & 0x80 != 0 || p_or_more
}

#[test]
fn wycheproof_x25519_on_every_path() {
    let mut table_cases = 0;
    let mut zero_cases = 0;
    for case in wycheproof() {
        let what = alloc::format!("Wycheproof tcId {} ({})", case.id, case.comment);
        // X25519 itself never rejects: "acceptable" cases have a defined result too.
        assert!(
            case.result == "valid" || case.result == "acceptable",
            "{what}: result {}",
            case.result
        );
        assert_all(
            &every_ladder(&case.private, &case.public),
            &case.shared,
            &what,
        );
        if let Some(paths) = every_table(&case.private, &case.public) {
            assert!(!case.has("Twist"), "{what}: a table for a twist point");
            assert_all(&paths, &case.shared, &what);
            table_cases += 1;
        }
        // The flags say what the case is; check that they describe it.
        let zero = case.shared == [0; 32];
        assert_eq!(case.has("ZeroSharedSecret"), zero, "{what}");
        assert_eq!(case.has("LowOrderPublic"), zero, "{what}");
        assert_eq!(is_small_order(&case.public), zero, "{what}");
        if case.has("NonCanonicalPublic") {
            assert!(non_canonical(&case.public), "{what}");
        }
        // The API refuses every low-order key, on both sides, and takes the rest.
        let secret = SecretKey::from_bytes(&case.private);
        let mut sealed = case.public.to_vec();
        sealed.extend_from_slice(&[0; 16]);
        if zero {
            zero_cases += 1;
            assert_eq!(
                PublicKey::from_bytes(&case.public),
                Err(Error::LowOrderPublicKey)
            );
            assert_eq!(secret.open(&sealed), Err(Error::Decryption), "{what}");
        } else {
            let public = PublicKey::from_bytes(&case.public).unwrap();
            assert_eq!(public.as_bytes(), &case.public);
        }
    }
    assert_eq!(zero_cases, 31);
    // Every case not on the twist, as `every_table` decides independently of the flags.
    assert!(table_cases > 250, "{table_cases} cases on tables");
}

/// RFC 7748 §5.2's two single vectors, as printed there.
#[test]
fn rfc7748_single_vectors_on_every_path() {
    for (scalar, u, expected) in [
        (
            "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
            "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
            "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
        ),
        (
            "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
            "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
            "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
        ),
    ] {
        let (scalar, u, expected) = (hex(scalar), hex(u), hex(expected));
        assert_all(&every_ladder(&scalar, &u), &expected, "RFC 7748 §5.2");
        if let Some(paths) = every_table(&scalar, &u) {
            assert_all(&paths, &expected, "RFC 7748 §5.2, tables");
        }
    }
}

/// RFC 7748 §6.1: Alice's and Bob's public keys and their shared secret.
#[test]
fn rfc7748_diffie_hellman_on_every_path() {
    let alice = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    let alice_public = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    let bob = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    let bob_public = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    let shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    assert_all(&every_public(&alice), &alice_public, "Alice's public key");
    assert_all(&every_public(&bob), &bob_public, "Bob's public key");
    for (secret, public) in [(alice, bob_public), (bob, alice_public)] {
        assert_all(&every_ladder(&secret, &public), &shared, "shared secret");
        assert_all(&every_table(&secret, &public).unwrap(), &shared, "tables");
    }
}

/// The public keys of every Wycheproof private key agree on every path (and with
/// libsodium, in `x25519`'s tests, on random keys).
#[test]
fn base_point_paths_agree_on_wycheproof_private_keys() {
    for case in wycheproof().iter().step_by(3) {
        let paths = every_public(&case.private);
        assert_all(&paths, &paths[0].1, "public key");
    }
}

/// RFC 7748 §5.2's iteration: `k = u = 9`, then `(k, u) = (X25519(k, u), k)`.
fn iterate(times: u32, mut x25519: impl FnMut(&[u8; 32], &[u8; 32]) -> [u8; 32]) -> [u8; 32] {
    let (mut k, mut u) = (BASE_POINT, BASE_POINT);
    for _ in 0..times {
        let next = x25519(&k, &u);
        u = k;
        k = next;
    }
    k
}

const AFTER_1: &str = "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079";
const AFTER_1000: &str = "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51";
const AFTER_1_000_000: &str = "7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424";

/// Every ladder at every step of the iteration, and the tables (which are built anew
/// for each `u`, 0.15 ms in release and far more in a debug build) at every
/// `table_every`-th step where `u` is on the curve.
fn iterate_every_path(times: u32, table_every: u32) -> [u8; 32] {
    let mut step = 0;
    iterate(times, |k, u| {
        let paths = every_ladder(k, u);
        let value = paths[0].1;
        assert_all(&paths, &value, "iteration");
        if step % table_every == 0
            && let Some(paths) = every_table(k, u)
        {
            assert_all(&paths, &value, "iteration, tables");
        }
        step += 1;
        value
    })
}

#[test]
fn rfc7748_iterated_once_on_every_path() {
    assert_eq!(iterate_every_path(1, 1), hex(AFTER_1));
}

#[test]
fn rfc7748_iterated_1000_times_on_every_path() {
    assert_eq!(iterate_every_path(1000, 25), hex(AFTER_1000));
}

/// A million iterations: about 25 s per path in release. `.ci/run` runs it on the
/// default build with `--release --ignored`, for the path `open` and a seal take
/// here (the IFMA ladder on a CPU with AVX-512 IFMA) and AWS-LC.
#[test]
#[ignore = "a minute in release; .ci/run runs it"]
fn rfc7748_iterated_a_million_times() {
    let expected = hex(AFTER_1_000_000);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let got = iterate(1_000_000, |k, u| *diffie_hellman(k, u));
            assert_eq!(got, expected, "diffie_hellman, on {}", running());
        });
        #[cfg(sealpost_aws_lc)]
        scope.spawn(|| {
            let got = iterate(1_000_000, |k, u| *aws_lc::diffie_hellman(k, u));
            assert_eq!(got, expected, "AWS-LC");
        });
    });
}
