//! The bytes of a sealed box: `epk(32) || tag(16) || ciphertext`, where the ciphertext
//! and tag are libsodium's `crypto_box` (XSalsa20-Poly1305) under the key
//! `HSalsa20(X25519(esk, pk), 0)` and the nonce `BLAKE2b-192(epk || pk)`.

use alloc::vec::Vec;

use blake2::Blake2b;
use blake2::digest::{Digest, consts::U24};
use poly1305::Poly1305;
use poly1305::universal_hash::KeyInit;
use salsa20::XSalsa20;
use salsa20::cipher::{KeyIvInit, StreamCipher};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::Error;

/// Bytes a sealed box adds to its message: the 32-byte ephemeral public key and the
/// 16-byte Poly1305 tag.
pub const SEAL_OVERHEAD: usize = EPK_LEN + TAG_LEN;

const EPK_LEN: usize = 32;
const TAG_LEN: usize = 16;

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
    let key = salsa20::hsalsa::<salsa20::cipher::consts::U10>(shared.into(), &[0u8; 16].into());
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
    let mut cipher = XSalsa20::new(key.into(), nonce.into());
    let mut mac_key = Zeroizing::new([0u8; 32]);
    cipher.apply_keystream(mac_key.as_mut());
    let expected = Poly1305::new((&*mac_key).into()).compute_unpadded(ciphertext);
    if !bool::from(expected.as_slice().ct_eq(tag)) {
        return Err(Error::Decryption);
    }
    let mut plaintext = ciphertext.to_vec();
    cipher.apply_keystream(&mut plaintext);
    Ok(plaintext)
}

/// `crypto_secretbox_detached` in place: XSalsa20 keystream bytes 0..32 key Poly1305,
/// the rest encrypt `buf`; returns the tag over the ciphertext.
fn encrypt_in_place(key: &[u8; 32], nonce: &[u8; 24], buf: &mut [u8]) -> [u8; TAG_LEN] {
    let mut cipher = XSalsa20::new(key.into(), nonce.into());
    let mut mac_key = [0u8; 32];
    cipher.apply_keystream(&mut mac_key);
    cipher.apply_keystream(buf);
    let tag = Poly1305::new((&mac_key).into()).compute_unpadded(buf);
    mac_key.zeroize();
    tag.into()
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
