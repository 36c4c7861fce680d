//! The bytes of a sealed box: `epk(32) || tag(16) || ciphertext`, where the ciphertext
//! and tag are libsodium's `crypto_box` (XSalsa20-Poly1305) under the key
//! `HSalsa20(X25519(esk, pk), 0)` and the nonce `BLAKE2b-192(epk || pk)`.

use alloc::vec::Vec;

use blake2::Blake2b;
use blake2::digest::{Digest, consts::U24};
use salsa20::XSalsa20;
use salsa20::cipher::consts::U10;
use salsa20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::{Error, keystream, poly1305};

/// Bytes a sealed box adds to its message: the 32-byte ephemeral public key and the
/// 16-byte Poly1305 tag.
pub const SEAL_OVERHEAD: usize = EPK_LEN + TAG_LEN;

const EPK_LEN: usize = 32;
const TAG_LEN: usize = 16;

/// From this many bytes after the first keystream block on, eight-block keystream
/// chunks are faster than the `salsa20` crate's one block at a time, even when the
/// last chunk is mostly padding.
const KEYSTREAM_FROM: usize = 192;

/// The nonce of a sealed box: BLAKE2b with a 24-byte output *parameter* (not a
/// truncated 64-byte hash) over the ephemeral public key and the recipient's key.
pub(crate) fn nonce(epk: &[u8; 32], recipient: &[u8; 32]) -> [u8; 24] {
    let mut hasher = Blake2b::<U24>::new();
    hasher.update(epk);
    hasher.update(recipient);
    hasher.finalize().into()
}

/// `crypto_box_beforenm`: the box key derived from a raw X25519 shared secret.
pub(crate) fn box_key(shared: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let key = salsa20::hsalsa::<U10>(shared.into(), &[0u8; 16].into());
    Zeroizing::new(key.into())
}

/// Writes a complete sealed box of `msg` into a new buffer, the only allocation of a seal.
pub(crate) fn assemble(
    epk: &[u8; 32],
    recipient: &[u8; 32],
    key: &[u8; 32],
    msg: &[u8],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(SEAL_OVERHEAD + msg.len());
    out.extend_from_slice(epk);
    out.extend_from_slice(&[0u8; TAG_LEN]);
    out.extend_from_slice(msg);
    let (head, body) = out.split_at_mut(SEAL_OVERHEAD);
    let tag = encrypt_in_place(key, &nonce(epk, recipient), body);
    head[EPK_LEN..].copy_from_slice(&tag);
    out
}

/// Opens the body of a sealed box (everything after the ephemeral key) with the box key.
pub(crate) fn open(
    key: &[u8; 32],
    nonce: &[u8; 24],
    tag_and_ciphertext: &[u8],
) -> Result<Vec<u8>, Error> {
    let (tag, ciphertext) = tag_and_ciphertext.split_at(TAG_LEN);
    let mut plaintext = ciphertext.to_vec();
    // Decrypting before checking costs nothing when the tag is wrong (the plaintext is
    // wiped, never returned) and derives the Poly1305 key and keystream in one pass.
    let mac_key = xsalsa20_xor(key, nonce, &mut plaintext);
    let expected = poly1305::tag(&mac_key, ciphertext);
    // Public by design: whether the box opens (see `declassify`).
    if !crate::declassify::public(bool::from(expected.ct_eq(tag))) {
        plaintext.zeroize();
        return Err(Error::Decryption);
    }
    Ok(plaintext)
}

/// `crypto_secretbox_detached` in place: XSalsa20 keystream bytes 0..32 key Poly1305,
/// the rest encrypt `buf`; returns the tag over the ciphertext.
fn encrypt_in_place(key: &[u8; 32], nonce: &[u8; 24], buf: &mut [u8]) -> [u8; TAG_LEN] {
    let mac_key = xsalsa20_xor(key, nonce, buf);
    poly1305::tag(&mac_key, buf)
}

/// XSalsa20 as `crypto_secretbox` uses it: keystream bytes 0..32 are returned (the
/// Poly1305 key), bytes from 32 on are combined into `buf` with XOR.
///
/// The `salsa20` crate makes the first block and short tails; from the second 64-byte
/// block on, 512-byte chunks come from [`keystream`] where the CPU can run it.
fn xsalsa20_xor(key: &[u8; 32], nonce: &[u8; 24], buf: &mut [u8]) -> Zeroizing<[u8; 32]> {
    let mut cipher = XSalsa20::new(key.into(), nonce.into());
    let mut mac_key = Zeroizing::new([0u8; 32]);
    cipher.apply_keystream(mac_key.as_mut());
    let (first_block, rest) = buf.split_at_mut(buf.len().min(EPK_LEN));
    cipher.apply_keystream(first_block);
    let eight_blocks = match keystream::EightBlocks::detect() {
        Some(eight_blocks) if rest.len() >= KEYSTREAM_FROM => eight_blocks,
        _ => {
            cipher.apply_keystream(rest);
            return mac_key;
        }
    };
    // XSalsa20 is Salsa20 under the key HSalsa20(key, nonce[..16]) and nonce[16..].
    let (hsalsa_nonce, salsa_nonce) = split_nonce(nonce);
    let subkey = Zeroizing::new(<[u8; 32]>::from(salsa20::hsalsa::<U10>(
        key.into(),
        (&hsalsa_nonce).into(),
    )));
    let whole = rest.len() - rest.len() % keystream::CHUNK;
    let (chunks, tail) = rest.split_at_mut(whole);
    eight_blocks.xor_chunks(&subkey, salsa_nonce, 1, chunks);
    let tail_block = 1 + (whole / 64) as u64;
    if tail.len() < KEYSTREAM_FROM {
        cipher.seek(tail_block * 64);
        cipher.apply_keystream(tail);
    } else {
        let mut padded = Zeroizing::new([0u8; keystream::CHUNK]);
        padded[..tail.len()].copy_from_slice(tail);
        eight_blocks.xor_chunks(&subkey, salsa_nonce, tail_block, padded.as_mut());
        tail.copy_from_slice(&padded[..tail.len()]);
    }
    mac_key
}

/// The XSalsa20 nonce as HSalsa20's 16 bytes and Salsa20's 8.
fn split_nonce(nonce: &[u8; 24]) -> ([u8; 16], [u8; 8]) {
    let mut hsalsa = [0u8; 16];
    let mut salsa = [0u8; 8];
    hsalsa.copy_from_slice(&nonce[..16]);
    salsa.copy_from_slice(&nonce[16..]);
    (hsalsa, salsa)
}

/// Splits a sealed box into its ephemeral public key and the rest, refusing anything
/// too short to be one.
pub(crate) fn split(sealed: &[u8]) -> Result<(&[u8; 32], &[u8]), Error> {
    if sealed.len() < SEAL_OVERHEAD {
        return Err(Error::SealedBoxTooShort {
            actual: sealed.len(),
        });
    }
    let (epk, rest) = sealed.split_at(EPK_LEN);
    let epk = epk.try_into().map_err(|_| Error::SealedBoxTooShort {
        actual: sealed.len(),
    })?;
    Ok((epk, rest))
}
