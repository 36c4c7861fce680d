//! Poly1305 tags, each computed where it is cheapest.
//!
//! The `poly1305` crate picks its AVX2 backend on every CPU that has AVX2, and that
//! backend first computes four powers of the key: about 0.8 µs before the first byte,
//! 25 times what a 32-byte message costs with plain 64-bit arithmetic. So messages
//! shorter than [`AVX2_FROM`] (1.5 KiB) go through [`tag_short`], on fiat-crypto's formally
//! verified arithmetic modulo 2^130 - 5, and longer ones through the crate.

use fiat_crypto::poly1305_64::{
    fiat_poly1305_add, fiat_poly1305_carry_mul, fiat_poly1305_from_bytes,
    fiat_poly1305_loose_field_element, fiat_poly1305_relax, fiat_poly1305_tight_field_element,
    fiat_poly1305_to_bytes,
};
use poly1305::Poly1305;
use poly1305::universal_hash::KeyInit;
use zeroize::{Zeroize, Zeroizing};

/// From this many bytes on, the `poly1305` crate (AVX2 where available) is faster than
/// [`tag_short`]. Measured on an AMD EPYC (Zen 4), best of 200 runs: 1.12 against
/// 1.56 µs at 1 KiB, 1.66 against 1.69 µs at 1.5 KiB, 2.21 against 1.83 µs at 2 KiB.
const AVX2_FROM: usize = 1536;

/// The Poly1305 tag of `msg` under the one-time key `key` (`r || s`).
pub(crate) fn tag(key: &[u8; 32], msg: &[u8]) -> [u8; 16] {
    if msg.len() < AVX2_FROM {
        tag_short(key, msg)
    } else {
        Poly1305::new(key.into()).compute_unpadded(msg).into()
    }
}

/// Poly1305 as RFC 8439 defines it: `h = Σ (m_i + 2^(8·len_i)) r^(n-i+1) mod 2^130 - 5`,
/// then `(h + s) mod 2^128`. Constant time in the key and the message bytes.
pub(crate) fn tag_short(key: &[u8; 32], msg: &[u8]) -> [u8; 16] {
    let mut r_bytes = Zeroizing::new([0u8; 17]);
    r_bytes[..16].copy_from_slice(&key[..16]);
    for i in [3, 7, 11, 15] {
        r_bytes[i] &= 0x0f;
    }
    for i in [4, 8, 12] {
        r_bytes[i] &= 0xfc;
    }
    let mut r = fiat_poly1305_tight_field_element([0; 3]);
    fiat_poly1305_from_bytes(&mut r, &r_bytes);
    let mut r_loose = fiat_poly1305_loose_field_element([0; 3]);
    fiat_poly1305_relax(&mut r_loose, &r);

    let mut h = fiat_poly1305_tight_field_element([0; 3]);
    let mut block = Zeroizing::new([0u8; 17]);
    let mut sum = fiat_poly1305_loose_field_element([0; 3]);
    let mut m = fiat_poly1305_tight_field_element([0; 3]);
    for chunk in msg.chunks(16) {
        // The chunk, then the byte 1 (2^(8·len)), then zeros: below 2^129.
        block.fill(0);
        block[..chunk.len()].copy_from_slice(chunk);
        block[chunk.len()] = 1;
        fiat_poly1305_from_bytes(&mut m, &block);
        fiat_poly1305_add(&mut sum, &h, &m);
        fiat_poly1305_carry_mul(&mut h, &sum, &r_loose);
    }
    let mut h_bytes = Zeroizing::new([0u8; 17]);
    fiat_poly1305_to_bytes(&mut h_bytes, &h);

    let mut low = [0u8; 16];
    low.copy_from_slice(&h_bytes[..16]);
    let mut s = [0u8; 16];
    s.copy_from_slice(&key[16..]);
    let tag = u128::from_le_bytes(low)
        .wrapping_add(u128::from_le_bytes(s))
        .to_le_bytes();
    for secret in [&mut r.0, &mut r_loose.0, &mut h.0, &mut sum.0, &mut m.0] {
        secret.zeroize();
    }
    low.zeroize();
    s.zeroize();
    tag
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)] // Test patterns wrap on purpose.
mod tests {
    use alloc::vec::Vec;

    use poly1305::universal_hash::KeyInit;

    use super::*;

    #[test]
    fn rfc_8439_test_vector() {
        // RFC 8439, section 2.5.2.
        let key =
            hex_literal::hex!("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        let msg = b"Cryptographic Forum Research Group";
        assert_eq!(
            tag_short(&key, msg),
            hex_literal::hex!("a8061dc1305136c6c22b8baf0c0127a9")
        );
    }

    #[test]
    fn matches_the_poly1305_crate_for_every_length_and_extreme_keys() {
        let mut keys: Vec<[u8; 32]> = (0u8..8)
            .map(|i| core::array::from_fn(|j| (j as u8).wrapping_mul(31).wrapping_add(i * 17)))
            .collect();
        keys.extend([[0xff; 32], [0; 32]]);
        let msgs = [[0xffu8; 300], [0; 300], core::array::from_fn(|i| i as u8)];
        for key in &keys {
            for msg in &msgs {
                for len in 0..msg.len() {
                    let expected: [u8; 16] = Poly1305::new(key.into())
                        .compute_unpadded(&msg[..len])
                        .into();
                    assert_eq!(tag_short(key, &msg[..len]), expected, "len {len}");
                    assert_eq!(tag(key, &msg[..len]), expected, "len {len}");
                }
            }
        }
    }
}
