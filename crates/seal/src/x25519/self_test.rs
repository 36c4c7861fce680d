//! The known-answer self-test of the AVX-512 IFMA code, run once per process before its
//! first use (under the lock of [`super::chosen`], which also builds the base table).
//!
//! The IFMA ladder computes RFC 7748's two single vectors and three Wycheproof edge cases
//! (a non-canonical `u`, a special case of the ladder's `x_2`, and a low-order point
//! whose shared secret is zero); the base-point table, laid out for IFMA, computes the
//! two public keys of RFC 7748 §6.1. If any answer is wrong, [`run`] returns `None` and
//! the process never uses the IFMA code: a CPU or compiler fault in it falls back to
//! AWS-LC (or the portable code) instead of sealing to a wrong key.
//!
//! Cost: building the base-point table (which the process needs anyway), five ladders
//! and two table multiplications: 0.22 ms on an Intel Xeon with IFMA, once per process
//! (the benchmark reports it as `first use/X25519 self-test`).

use super::ifma::Ifma;
use super::table::{Layout, RecipientTable};
use super::{BASE_POINT, ladder};

/// 32 bytes from 64 hex digits, as the RFC and Wycheproof print them.
const fn hex(text: &str) -> [u8; 32] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            // Only the constants below are decoded, at compile time: a typo fails the
            // build, never a running program.
            #[allow(clippy::panic)]
            _ => panic!("not a lowercase hex digit"),
        }
    }
    let text = text.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(text[2 * i]) << 4) | nibble(text[2 * i + 1]);
        i += 1;
    }
    out
}

/// `(scalar, u, X25519(scalar, u))`.
pub(super) const LADDER: [([u8; 32], [u8; 32], [u8; 32]); 5] = [
    // RFC 7748 §5.2, first vector.
    (
        hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
        hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"),
        hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"),
    ),
    // RFC 7748 §5.2, second vector (the top bit of u set).
    (
        hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
        hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"),
        hex("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"),
    ),
    // Wycheproof x25519 tcId 98: non-canonical public key (u = 2^256 - 21 = p + ...).
    (
        hex("b8d499041a6713c0f6f876db7406587fdb44582f9542356ae89cfa958a34d266"),
        hex("ebffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        hex("63483b5d69236c63cddbed33d8e22baecc2b0ccf886598e863c844d2bf256704"),
    ),
    // Wycheproof x25519 tcId 180: special case for x_2 in multiplication by 2.
    (
        hex("d054ded613febf2950ac5c927fcb120c387de0ba61b331cd33024c8b6e737048"),
        hex("fccfe742a63ed9cb70958560b5a02260350a7ecbaf8c57ae045f671a29b4b573"),
        hex("d683ca6194452d878c12d7da35f22833f99728bba89931a51274f61210336a5f"),
    ),
    // Wycheproof x25519 tcId 84: u = 0 with the top bit set, low order: all zeros.
    (
        hex("7887889bac4c629a101d3724f2ed8b98d936fde79e1a1f77d86779626bf8f263"),
        hex("0000000000000000000000000000000000000000000000000000000000000080"),
        [0; 32],
    ),
];

/// `(scalar, X25519(scalar, 9))`: Alice's and Bob's keys of RFC 7748 §6.1.
pub(super) const BASE: [([u8; 32], [u8; 32]); 2] = [
    (
        hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
        hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"),
    ),
    (
        hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"),
        hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"),
    ),
];

/// Builds the base-point table for IFMA and checks it and the IFMA ladder against the
/// known answers; the table if every answer is right, `None` if any is wrong.
pub(super) fn run(ifma: Ifma) -> Option<RecipientTable> {
    let base = RecipientTable::with_layout(&BASE_POINT, Layout::Lanes(ifma))?;
    let mut right = true;
    for (scalar, u, expected) in &LADDER {
        right &= *ladder::diffie_hellman(ifma, scalar, u) == corrupted(*expected);
    }
    for (scalar, expected) in &BASE {
        right &= *base.diffie_hellman(scalar) == *expected;
    }
    right.then_some(base)
}

/// The expected answer, or (in the unit tests' child process that proves the fallback)
/// a wrong one.
fn corrupted(expected: [u8; 32]) -> [u8; 32] {
    #[cfg(test)]
    if std::env::var_os(CORRUPT).is_some() {
        let mut wrong = expected;
        wrong[0] ^= 1;
        return wrong;
    }
    expected
}

/// The variable that makes the unit-test binary's self-test see a wrong answer.
#[cfg(test)]
pub(super) const CORRUPT: &str = "SEALPOST_TEST_CORRUPT_SELF_TEST";
