//! Helpers shared by the test binaries of `sealpost-seal`.

#![allow(dead_code, unreachable_pub)]

pub mod sodium;

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// A deterministic RNG for choosing test inputs (not for the keys under test).
pub fn test_rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

/// Random bytes of the given length.
pub fn random_bytes(rng: &mut ChaCha20Rng, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    rng.fill_bytes(&mut out);
    out
}

/// A random 32-byte array.
pub fn random_32(rng: &mut ChaCha20Rng) -> [u8; 32] {
    let mut out = [0u8; 32];
    rng.fill_bytes(&mut out);
    out
}

/// Message lengths from 0 to 64 KiB: every length up to 100 and around the Salsa20
/// block (64) and Poly1305 block (16) edges, then `random` more, spread over the
/// powers of two so that large messages appear without dominating the run time.
pub fn message_lengths(rng: &mut ChaCha20Rng, random: usize) -> Vec<usize> {
    const MAX: usize = 64 * 1024;
    let mut lengths: Vec<usize> = (0..=100).collect();
    lengths.extend([127, 128, 129, 255, 256, 257, 4095, 4096, 4097, MAX - 1, MAX]);
    for _ in 0..random {
        // A size class 2^0 ..= 2^16 uniformly, then a length within it, so that every
        // power of two is about as likely.
        let class = rng.next_u32() % 17;
        let len = rng.next_u32() % ((1 << class) + 1);
        lengths.push(len as usize);
    }
    lengths
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}
