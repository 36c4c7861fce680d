//! Every X25519 path of the crate computes the same function on any `(scalar, u)`: the
//! IFMA ladder (on CPUs with AVX-512 IFMA), the fiat-crypto ladder, curve25519-dalek,
//! AWS-LC (default build), and the recipient-table multiplications (portable scan, AVX2
//! scan, IFMA) for `u` on the curve; and libsodium's `crypto_scalarmult` agrees
//! wherever it does not refuse a small-order `u` (where every path gives zeros).
//!
//! Input: 64 bytes, the scalar then `u`, unclamped and unreduced (top bit, `u >= p`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sealpost_fuzz::sodium;
use sealpost_seal::__fuzzing::every_path;

fuzz_target!(|data: &[u8]| {
    let Some((scalar, rest)) = data.split_first_chunk::<32>() else {
        return;
    };
    let Some((u, _)) = rest.split_first_chunk::<32>() else {
        return;
    };
    let paths = every_path(scalar, u);
    let expected = sodium::scalarmult(scalar, u).unwrap_or([0; 32]);
    for (name, got) in &paths {
        assert_eq!(got, &expected, "{name} differs: scalar {scalar:02x?}, u {u:02x?}");
    }
});
