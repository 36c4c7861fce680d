//! The Salsa20 keystream of long messages, eight blocks (512 bytes) at a time with AVX2.
//!
//! The `salsa20` crate computes one 64-byte block after another with scalar code, about
//! four times slower than libsodium's vectorized Salsa20. Here each of the 16 state
//! words is one 256-bit register holding that word of eight consecutive blocks, so every
//! round step works on eight blocks at once; at the end an 8×8 transpose turns the
//! registers back into blocks. The choice is made at run time (`cpufeatures`), and
//! only with the `simd` feature on `x86_64`: elsewhere [`EightBlocks::detect`] is `None`
//! and the `salsa20` crate does all the work.

/// Bytes produced per step of the eight-block function.
pub(crate) const CHUNK: usize = 8 * 64;

/// Proof that this CPU can run the eight-block keystream, and whether it also has
/// AVX-512VL's rotate instruction (one instruction where AVX2 needs three).
#[derive(Clone, Copy)]
pub(crate) struct EightBlocks {
    #[cfg_attr(not(all(feature = "simd", target_arch = "x86_64")), allow(dead_code))]
    rotate: bool,
}

#[cfg(all(feature = "simd", target_arch = "x86_64"))]
cpufeatures::new!(avx2_cpuid, "avx2");
#[cfg(all(feature = "simd", target_arch = "x86_64"))]
cpufeatures::new!(avx512vl_cpuid, "avx2", "avx512f", "avx512vl");

impl EightBlocks {
    /// `Some` when the CPU supports AVX2 (and the operating system saves its registers).
    pub(crate) fn detect() -> Option<EightBlocks> {
        #[cfg(all(feature = "simd", target_arch = "x86_64"))]
        if avx2_cpuid::get() {
            return Some(EightBlocks {
                rotate: avx512vl_cpuid::get(),
            });
        }
        None
    }

    /// XORs `data` with the Salsa20/20 keystream of `key` and `nonce` from block `block`
    /// on. Only whole [`CHUNK`]s are processed; a shorter tail is left untouched.
    #[cfg_attr(
        not(all(feature = "simd", target_arch = "x86_64")),
        allow(unused_variables)
    )]
    #[cfg_attr(
        not(all(feature = "simd", target_arch = "x86_64")),
        allow(clippy::unused_self)
    )]
    pub(crate) fn xor_chunks(self, key: &[u8; 32], nonce: [u8; 8], block: u64, data: &mut [u8]) {
        #[cfg(all(feature = "simd", target_arch = "x86_64"))]
        #[allow(unsafe_code)]
        if self.rotate {
            // SAFETY: needs AVX2, AVX-512F and AVX-512VL, which `detect` found.
            unsafe { avx2::xor_chunks_rotate(key, nonce, block, data) }
        } else {
            // SAFETY: needs AVX2, which `detect` found (`self` exists only then).
            unsafe { avx2::xor_chunks(key, nonce, block, data) }
        }
    }
}

#[cfg(all(feature = "simd", target_arch = "x86_64"))]
#[allow(unsafe_code)]
mod avx2 {
    use core::arch::x86_64::{
        __m256i, _mm256_add_epi32, _mm256_loadu_si256, _mm256_or_si256, _mm256_permute2x128_si256,
        _mm256_rol_epi32, _mm256_set1_epi32, _mm256_setr_epi32, _mm256_slli_epi32,
        _mm256_srli_epi32, _mm256_storeu_si256, _mm256_unpackhi_epi32, _mm256_unpackhi_epi64,
        _mm256_unpacklo_epi32, _mm256_unpacklo_epi64, _mm256_xor_si256,
    };

    use super::CHUNK;

    /// "expand 32-byte k".
    const SIGMA: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];

    /// One loop over the 512-byte chunks of `$data`, with `$rounds` as the core.
    macro_rules! xor_chunks_with {
        ($rounds:ident, $key:expr, $nonce:expr, $block:expr, $data:expr) => {{
            let mut block: u64 = $block;
            let k: [__m256i; 8] = core::array::from_fn(|i| splat(word($key, i)));
            let n = [splat(word(&$nonce, 0)), splat(word(&$nonce, 1))];
            #[allow(clippy::redundant_closure)] // A `#[target_feature]` fn is not an `FnMut`.
            let sigma = SIGMA.map(|value| splat(value));
            for chunk in $data.chunks_exact_mut(CHUNK) {
                let counter: [u64; 8] =
                    core::array::from_fn(|lane| block.wrapping_add(lane as u64));
                // Low and high 32 bits of each block's 64-bit counter.
                #[allow(clippy::cast_possible_truncation)]
                let half = |shift: u32| -> [i32; 8] {
                    core::array::from_fn(|lane| signed((counter[lane] >> shift) as u32))
                };
                let (low, high) = (half(0), half(32));
                let input = [
                    sigma[0],
                    k[0],
                    k[1],
                    k[2],
                    k[3],
                    sigma[1],
                    n[0],
                    n[1],
                    _mm256_setr_epi32(
                        low[0], low[1], low[2], low[3], low[4], low[5], low[6], low[7],
                    ),
                    _mm256_setr_epi32(
                        high[0], high[1], high[2], high[3], high[4], high[5], high[6], high[7],
                    ),
                    sigma[2],
                    k[4],
                    k[5],
                    k[6],
                    k[7],
                    sigma[3],
                ];
                let mut x = $rounds(&input);
                for (word, start) in x.iter_mut().zip(&input) {
                    *word = _mm256_add_epi32(*word, *start);
                }
                let (first, second) = x.split_at(8);
                xor_transposed(chunk, first, 0);
                xor_transposed(chunk, second, 32);
                block = block.wrapping_add(8);
            }
        }};
    }

    /// `x <<< bits` on each 32-bit lane with AVX2: two shifts and an OR.
    macro_rules! rotate_shifts {
        ($x:expr, $bits:literal) => {
            _mm256_or_si256(
                _mm256_slli_epi32::<$bits>($x),
                _mm256_srli_epi32::<{ 32 - $bits }>($x),
            )
        };
    }

    /// `x <<< bits` on each 32-bit lane with AVX-512VL's rotate instruction.
    macro_rules! rotate_instruction {
        ($x:expr, $bits:literal) => {
            _mm256_rol_epi32::<$bits>($x)
        };
    }

    macro_rules! step {
        ($rotate:ident, $target:ident, $a:ident, $b:ident, $bits:literal) => {
            let sum = _mm256_add_epi32($a, $b);
            $target = _mm256_xor_si256($target, $rotate!(sum, $bits));
        };
    }

    macro_rules! quarter_round {
        ($rotate:ident, $a:ident, $b:ident, $c:ident, $d:ident) => {
            step!($rotate, $b, $a, $d, 7);
            step!($rotate, $c, $b, $a, 9);
            step!($rotate, $d, $c, $b, 13);
            step!($rotate, $a, $d, $c, 18);
        };
    }

    /// The 20 rounds of Salsa20 on eight blocks, without the final addition.
    macro_rules! rounds {
        ($rotate:ident, $input:expr) => {{
            let [
                mut x0,
                mut x1,
                mut x2,
                mut x3,
                mut x4,
                mut x5,
                mut x6,
                mut x7,
                mut x8,
                mut x9,
                mut x10,
                mut x11,
                mut x12,
                mut x13,
                mut x14,
                mut x15,
            ] = *$input;
            for _ in 0..10 {
                // Column round, then row round.
                quarter_round!($rotate, x0, x4, x8, x12);
                quarter_round!($rotate, x5, x9, x13, x1);
                quarter_round!($rotate, x10, x14, x2, x6);
                quarter_round!($rotate, x15, x3, x7, x11);
                quarter_round!($rotate, x0, x1, x2, x3);
                quarter_round!($rotate, x5, x6, x7, x4);
                quarter_round!($rotate, x10, x11, x8, x9);
                quarter_round!($rotate, x15, x12, x13, x14);
            }
            [
                x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15,
            ]
        }};
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn xor_chunks(key: &[u8; 32], nonce: [u8; 8], block: u64, data: &mut [u8]) {
        xor_chunks_with!(rounds_shifts, key, nonce, block, data);
    }

    #[target_feature(enable = "avx2,avx512f,avx512vl")]
    pub(super) fn xor_chunks_rotate(key: &[u8; 32], nonce: [u8; 8], block: u64, data: &mut [u8]) {
        xor_chunks_with!(rounds_rotate, key, nonce, block, data);
    }

    #[target_feature(enable = "avx2")]
    fn rounds_shifts(input: &[__m256i; 16]) -> [__m256i; 16] {
        rounds!(rotate_shifts, input)
    }

    #[target_feature(enable = "avx2,avx512f,avx512vl")]
    fn rounds_rotate(input: &[__m256i; 16]) -> [__m256i; 16] {
        rounds!(rotate_instruction, input)
    }

    /// XORs eight words (`words[w]` holds word `w` of blocks 0..8) into bytes
    /// `offset..offset + 32` of each of the eight 64-byte blocks of `chunk`.
    #[target_feature(enable = "avx2")]
    fn xor_transposed(chunk: &mut [u8], words: &[__m256i], offset: usize) {
        // Per 128-bit half, interleave words pairwise, then in pairs of pairs: `rows[b]`
        // holds words 0..4 of block b (low half) and of block b + 4 (high half), and
        // `rows[4 + b]` words 4..8 of the same blocks.
        let mut rows = [words[0]; 8];
        for (half, w) in [0, 4].into_iter().enumerate() {
            let t0 = _mm256_unpacklo_epi32(words[w], words[w + 1]);
            let t1 = _mm256_unpackhi_epi32(words[w], words[w + 1]);
            let t2 = _mm256_unpacklo_epi32(words[w + 2], words[w + 3]);
            let t3 = _mm256_unpackhi_epi32(words[w + 2], words[w + 3]);
            rows[4 * half] = _mm256_unpacklo_epi64(t0, t2);
            rows[4 * half + 1] = _mm256_unpackhi_epi64(t0, t2);
            rows[4 * half + 2] = _mm256_unpacklo_epi64(t1, t3);
            rows[4 * half + 3] = _mm256_unpackhi_epi64(t1, t3);
        }
        assert!(chunk.len() >= CHUNK && offset <= 32);
        for b in 0..4 {
            let low_blocks = _mm256_permute2x128_si256::<0x20>(rows[b], rows[4 + b]);
            let high_blocks = _mm256_permute2x128_si256::<0x31>(rows[b], rows[4 + b]);
            for (block, keystream) in [(b, low_blocks), (b + 4, high_blocks)] {
                let start = block * 64 + offset;
                let bytes = &mut chunk[start..start + 32];
                // Unaligned on purpose: `loadu` and `storeu` take any address.
                #[allow(clippy::cast_ptr_alignment)]
                let ptr = bytes.as_mut_ptr().cast::<__m256i>();
                // SAFETY: `bytes` is 32 valid, writable bytes (checked by the slicing
                // above); the unaligned load and store read and write exactly those.
                unsafe {
                    let data = _mm256_loadu_si256(ptr);
                    _mm256_storeu_si256(ptr, _mm256_xor_si256(data, keystream));
                }
            }
        }
    }

    #[target_feature(enable = "avx2")]
    fn splat(value: u32) -> __m256i {
        _mm256_set1_epi32(signed(value))
    }

    /// The same 32 bits as an `i32`, as the intrinsics take them.
    fn signed(value: u32) -> i32 {
        i32::from_ne_bytes(value.to_ne_bytes())
    }

    /// The `i`-th little-endian 32-bit word of `bytes`.
    fn word<const N: usize>(bytes: &[u8; N], i: usize) -> u32 {
        u32::from_le_bytes([
            bytes[4 * i],
            bytes[4 * i + 1],
            bytes[4 * i + 2],
            bytes[4 * i + 3],
        ])
    }
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)] // Test patterns wrap on purpose.
mod tests {
    use alloc::vec;

    use salsa20::Salsa20;
    use salsa20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};

    use super::*;

    #[test]
    fn equals_the_salsa20_crate_from_any_block() {
        let Some(detected) = EightBlocks::detect() else {
            return; // Nothing to compare on this CPU or build.
        };
        // The AVX2-only kernel runs on every CPU that has AVX2; the rotate one where found.
        let variants = [EightBlocks { rotate: false }, detected];
        let key: [u8; 32] = core::array::from_fn(|i| i as u8 * 7);
        let nonce: [u8; 8] = core::array::from_fn(|i| 0xf0 ^ i as u8);
        // Includes a start just below 2^32 blocks, where the counter's high word carries.
        for (eight, block) in variants
            .into_iter()
            .flat_map(|v| [0u64, 1, 9, (1 << 32) - 3].map(|b| (v, b)))
        {
            let mut ours = vec![0x33u8; 3 * CHUNK + 100];
            eight.xor_chunks(&key, nonce, block, &mut ours);
            let mut expected = vec![0x33u8; 3 * CHUNK];
            let mut cipher = Salsa20::new(&key.into(), &nonce.into());
            cipher.seek(block * 64);
            cipher.apply_keystream(&mut expected);
            assert_eq!(
                ours[..3 * CHUNK],
                expected,
                "from block {block}, {}",
                eight.rotate
            );
            assert!(
                ours[3 * CHUNK..].iter().all(|&b| b == 0x33),
                "tail untouched"
            );
        }
    }
}
