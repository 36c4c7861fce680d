//! The Salsa20 keystream of long messages, eight blocks (512 bytes) at a time.
//!
//! The `salsa20` crate computes one 64-byte block after another with scalar code. Here
//! each of the 16 state words is an array of eight lanes, one per block, and every
//! round operates on all eight lanes at once: the compiler turns each lane-wise
//! addition, rotation and XOR into SIMD instructions (two SSE2 operations, which every
//! x86_64 CPU has, or one AVX2 operation when the `simd` feature finds AVX2 at run
//! time). No intrinsics and no `unsafe` but the one call behind that run-time check.

/// Bytes produced per call of the eight-block function.
pub(crate) const CHUNK: usize = 8 * 64;

const LANES: usize = 8;

type Lanes = [u32; LANES];

/// The Salsa20 state of eight consecutive blocks, as 16 words of eight lanes.
type State = [Lanes; 16];

/// "expand 32-byte k".
const SIGMA: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];

#[cfg(all(feature = "simd", target_arch = "x86_64"))]
cpufeatures::new!(avx2, "avx2");

/// XORs `data` with the Salsa20/20 keystream of `key` and `nonce` from block `block` on.
/// `data.len()` must be a multiple of [`CHUNK`]; a shorter tail is left untouched.
pub(crate) fn xor_chunks(key: &[u8; 32], nonce: &[u8; 8], block: u64, data: &mut [u8]) {
    #[cfg(all(feature = "simd", target_arch = "x86_64"))]
    if avx2::get() {
        // SAFETY: `xor_chunks_avx2` only needs the CPU to support AVX2, which
        // `cpufeatures` just confirmed (CPUID, and the OS saving the YMM registers).
        #[allow(unsafe_code)]
        unsafe {
            xor_chunks_avx2(key, nonce, block, data);
        }
        return;
    }
    xor_chunks_generic(key, nonce, block, data);
}

#[cfg(all(feature = "simd", target_arch = "x86_64"))]
#[target_feature(enable = "avx2")]
fn xor_chunks_avx2(key: &[u8; 32], nonce: &[u8; 8], block: u64, data: &mut [u8]) {
    xor_chunks_generic(key, nonce, block, data);
}

#[inline(always)]
fn xor_chunks_generic(key: &[u8; 32], nonce: &[u8; 8], mut block: u64, data: &mut [u8]) {
    let mut input: State = [[0; LANES]; 16];
    let key_words: [u32; 8] = core::array::from_fn(|i| word(key, i));
    for (i, constant) in [0, 5, 10, 15].into_iter().zip(SIGMA) {
        input[i] = [constant; LANES];
    }
    for i in 0..4 {
        input[1 + i] = [key_words[i]; LANES];
        input[11 + i] = [key_words[4 + i]; LANES];
    }
    input[6] = [word(nonce, 0); LANES];
    input[7] = [word(nonce, 1); LANES];
    for chunk in data.chunks_exact_mut(CHUNK) {
        for lane in 0..LANES {
            let counter = block.wrapping_add(lane as u64);
            // The 64-bit block counter, low word then high word.
            #[allow(clippy::cast_possible_truncation)]
            {
                input[8][lane] = counter as u32;
                input[9][lane] = (counter >> 32) as u32;
            }
        }
        let mut x = input;
        for _ in 0..10 {
            // Column round, then row round.
            quarter_round(&mut x, 0, 4, 8, 12);
            quarter_round(&mut x, 5, 9, 13, 1);
            quarter_round(&mut x, 10, 14, 2, 6);
            quarter_round(&mut x, 15, 3, 7, 11);
            quarter_round(&mut x, 0, 1, 2, 3);
            quarter_round(&mut x, 5, 6, 7, 4);
            quarter_round(&mut x, 10, 11, 8, 9);
            quarter_round(&mut x, 15, 12, 13, 14);
        }
        for (words, start) in x.iter_mut().zip(&input) {
            *words = add(*words, *start);
        }
        for (lane, out) in chunk.chunks_exact_mut(64).enumerate() {
            for (bytes, words) in out.chunks_exact_mut(4).zip(&x) {
                for (byte, key_byte) in bytes.iter_mut().zip(words[lane].to_le_bytes()) {
                    *byte ^= key_byte;
                }
            }
        }
        block = block.wrapping_add(LANES as u64);
    }
}

#[inline(always)]
fn quarter_round(x: &mut State, a: usize, b: usize, c: usize, d: usize) {
    x[b] = xor(x[b], rotate(add(x[a], x[d]), 7));
    x[c] = xor(x[c], rotate(add(x[b], x[a]), 9));
    x[d] = xor(x[d], rotate(add(x[c], x[b]), 13));
    x[a] = xor(x[a], rotate(add(x[d], x[c]), 18));
}

#[inline(always)]
fn add(a: Lanes, b: Lanes) -> Lanes {
    core::array::from_fn(|i| a[i].wrapping_add(b[i]))
}

#[inline(always)]
fn xor(a: Lanes, b: Lanes) -> Lanes {
    core::array::from_fn(|i| a[i] ^ b[i])
}

#[inline(always)]
fn rotate(a: Lanes, bits: u32) -> Lanes {
    core::array::from_fn(|i| a[i].rotate_left(bits))
}

/// The `i`-th little-endian 32-bit word of `bytes`.
#[inline(always)]
fn word<const N: usize>(bytes: &[u8; N], i: usize) -> u32 {
    u32::from_le_bytes([
        bytes[4 * i],
        bytes[4 * i + 1],
        bytes[4 * i + 2],
        bytes[4 * i + 3],
    ])
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use salsa20::Salsa20;
    use salsa20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};

    use super::*;

    #[test]
    fn equals_the_salsa20_crate_from_any_block() {
        let key: [u8; 32] = core::array::from_fn(|i| i as u8 * 7);
        let nonce: [u8; 8] = core::array::from_fn(|i| 0xf0 ^ i as u8);
        // Includes a start just below 2^32 blocks, where the counter's high word carries.
        for block in [0u64, 1, 9, (1 << 32) - 3] {
            let mut ours = vec![0x33u8; 3 * CHUNK];
            xor_chunks(&key, &nonce, block, &mut ours);
            let mut expected = vec![0x33u8; 3 * CHUNK];
            let mut cipher = Salsa20::new(&key.into(), &nonce.into());
            cipher.seek(block * 64);
            cipher.apply_keystream(&mut expected);
            assert_eq!(ours, expected, "from block {block}");
        }
    }

    #[test]
    fn generic_path_equals_the_dispatched_one() {
        let key = [0x42u8; 32];
        let nonce = [7u8; 8];
        let mut a = vec![1u8; 2 * CHUNK];
        let mut b = a.clone();
        xor_chunks(&key, &nonce, 5, &mut a);
        xor_chunks_generic(&key, &nonce, 5, &mut b);
        assert_eq!(a, b);
    }
}
