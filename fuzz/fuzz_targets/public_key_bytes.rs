//! `PublicKey::from_slice` / `from_bytes` / `TryFrom` on arbitrary bytes. A key is
//! accepted exactly when libsodium accepts it (`crypto_box_beforenm` refuses small-order
//! points), and sealing to any accepted key, including twist points, non-canonical
//! encodings and keys with the top bit set, gives libsodium's box byte for byte.
//!
//! Layout: bytes 0..32 the key, 32..64 the ephemeral secret, the rest the message; the
//! whole input is also given to `from_slice`, for every length.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sealpost_fuzz::{FixedEphemerals, sodium};
use sealpost_seal::{Error, KeyKind, PublicKey};

fuzz_target!(|data: &[u8]| {
    let whole = PublicKey::from_slice(data);
    assert_eq!(whole, PublicKey::try_from(data));
    if data.len() != 32 {
        assert_eq!(
            whole,
            Err(Error::KeyLength {
                what: KeyKind::Public,
                actual: data.len()
            })
        );
    }

    let Some((key, rest)) = data.split_first_chunk::<32>() else {
        return;
    };
    let (ephemeral, message) = rest
        .split_first_chunk::<32>()
        .map_or(([0x42; 32], &[][..]), |(e, m)| (*e, m));

    let ours = PublicKey::from_bytes(key);
    assert_eq!(ours, PublicKey::from_slice(key));
    assert_eq!(ours, PublicKey::try_from(*key));
    let theirs = sodium::seal_with_ephemeral(key, &ephemeral, message);
    match (ours, theirs) {
        (Ok(public), Some(expected)) => {
            assert_eq!(public.as_bytes(), key);
            assert_eq!(PublicKey::from_base64(&public.to_base64()), Ok(public));
            let sealed = public.seal_with_rng(&mut FixedEphemerals::one(ephemeral), message);
            assert_eq!(sealed, expected, "not libsodium's box");
        }
        (Err(Error::LowOrderPublicKey), None) => {}
        (ours, theirs) => panic!("we gave {ours:?}, libsodium {:?}", theirs.map(|_| "a box")),
    }
});
