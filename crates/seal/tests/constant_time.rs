//! No branch and no memory address depends on a secret, checked by valgrind's memcheck.
//!
//! The secret bytes (ephemeral secrets, secret keys, plaintexts) are marked *undefined* with
//! memcheck's client request as they are handed to the library. Memcheck follows
//! undefinedness through every computation, and reports a conditional jump, or a load
//! or store address, that depends on it: exactly what constant-time code must not have.
//! Outside valgrind the requests are no-ops and these are plain tests.
//!
//! CI runs this file under valgrind for the default and the portable backends:
//!
//! ```sh
//! CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER="valgrind -q --error-exitcode=99" \
//!     cargo test -p sealpost-seal --release --test constant_time
//! ```
//!
//! and also runs the ignored `harness_catches_a_branch_on_a_secret`, which must fail.
//!
//! `SecretKey::open` is covered with its long-term secret key marked secret: it branches
//! on purpose on two results that are public once computed (whether the shared secret is
//! all zeros, and whether the tag matched), and declares exactly those two public to
//! memcheck (`src/declassify.rs`). Not covered: the AVX-512 code (the IFMA curve
//! arithmetic, the keystream's rotate): valgrind's virtual CPU has no AVX-512, so under
//! it the library takes its AVX2 and AWS-LC paths. `.ci/check-disassembly` and
//! `tests/timing.rs` check the IFMA code instead.
#![cfg(all(target_arch = "x86_64", target_os = "linux"))]
// The client request is a few instructions of inline assembly.
#![allow(unsafe_code)]

use sealpost_seal::rand_core::{TryCryptoRng, TryRng};
use sealpost_seal::{PublicKey, Recipient, SecretKey};

/// Memcheck's client requests `MAKE_MEM_UNDEFINED` and `MAKE_MEM_DEFINED`
/// (`VG_USERREQ_TOOL_BASE('M', 'C') + 1` and `+ 2`, from valgrind's `memcheck.h`).
const MAKE_MEM_UNDEFINED: u64 = 0x4d43_0001;
const MAKE_MEM_DEFINED: u64 = 0x4d43_0002;

/// Marks `bytes` for memcheck. Valgrind recognizes the rotations of `rdi` (by 128 bits
/// in all, so a no-op on a real CPU) followed by `xchg rbx, rbx`, and then reads the
/// request from the six words at `rax`.
fn mark(request: u64, bytes: &[u8]) {
    let args: [u64; 6] = [request, bytes.as_ptr() as u64, bytes.len() as u64, 0, 0, 0];
    // SAFETY: the instructions change no register but `rdi` (rotated back to its value)
    // and `rdx` (declared); valgrind only reads `args`, which lives across the call.
    unsafe {
        core::arch::asm!(
            "rol rdi, 3",
            "rol rdi, 13",
            "rol rdi, 61",
            "rol rdi, 51",
            "xchg rbx, rbx",
            in("rax") args.as_ptr(),
            inout("rdx") 0u64 => _,
            inout("rdi") 0u64 => _,
            options(nostack),
        );
    }
}

fn secret(bytes: &mut [u8]) {
    mark(MAKE_MEM_UNDEFINED, bytes);
}

/// Declares computed bytes public (a box is sent to the world) so that the test may
/// look at them.
fn public(bytes: &[u8]) {
    mark(MAKE_MEM_DEFINED, bytes);
}

/// Hands out secret bytes, each draw marked secret.
struct SecretRng(u8);

impl TryRng for SecretRng {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        unimplemented!("the library draws secrets with fill_bytes")
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        unimplemented!("the library draws secrets with fill_bytes")
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for byte in dst.iter_mut() {
            self.0 = self.0.wrapping_mul(167).wrapping_add(13);
            *byte = self.0;
        }
        secret(dst);
        Ok(())
    }
}

impl TryCryptoRng for SecretRng {}

/// The recipient's secret key: not marked, it only opens the boxes afterwards.
const RECIPIENT_SECRET: [u8; 32] = [0x77; 32];

fn recipient_key() -> PublicKey {
    SecretKey::from_bytes(&RECIPIENT_SECRET).public_key()
}

/// Seals secret messages (empty, short, and 2000 bytes, which takes the eight-block
/// AVX2 keystream with a scalar tail and the `poly1305` crate, used from 1.5 KiB) with
/// secret ephemeral keys through `seal_all`, then checks that each box opens to its
/// message once both are declared public.
fn check_sealing(seal_all: impl FnOnce(&mut SecretRng, &[Vec<u8>]) -> Vec<Vec<u8>>) {
    let mut msgs = vec![Vec::new(), b"a secret value".to_vec(), vec![0x5a; 2000]];
    for msg in &mut msgs {
        secret(msg);
    }
    let sealed = seal_all(&mut SecretRng(1), &msgs);
    assert_eq!(sealed.len(), msgs.len());
    let recipient = SecretKey::from_bytes(&RECIPIENT_SECRET);
    for (sealed, msg) in sealed.iter().zip(&msgs) {
        public(sealed);
        public(msg);
        assert_eq!(recipient.open(sealed).as_deref(), Ok(msg.as_slice()));
    }
}

#[test]
fn public_key_seal_is_constant_time() {
    let key = recipient_key();
    check_sealing(|rng, msgs| msgs.iter().map(|msg| key.seal_with_rng(rng, msg)).collect());
}

#[test]
fn recipient_seal_is_constant_time() {
    let recipient = Recipient::new(&recipient_key());
    check_sealing(|rng, msgs| {
        msgs.iter()
            .map(|msg| recipient.seal_with_rng(rng, msg))
            .collect()
    });
}

#[test]
fn recipient_seal_many_is_constant_time() {
    let recipient = Recipient::new(&recipient_key());
    check_sealing(|rng, msgs| recipient.seal_many_with_rng(rng, msgs));
}

#[test]
fn secret_key_public_key_is_constant_time() {
    let mut bytes = [0x42u8; 32];
    secret(&mut bytes);
    let mut derived = *SecretKey::from_bytes(&bytes).public_key().as_bytes();
    public(&derived);
    derived.reverse();
    assert_ne!(derived, [0; 32]);
}

/// `open` with the recipient's long-term secret key marked secret: boxes of secret
/// messages (short and long), a box that fails its tag, and one with a small-order
/// ephemeral key.
#[test]
fn secret_key_open_is_constant_time_in_the_long_term_key() {
    let mut bytes = RECIPIENT_SECRET;
    secret(&mut bytes);
    let key = SecretKey::from_bytes(&bytes);
    let public_bytes = *key.public_key().as_bytes();
    public(&public_bytes);
    let sealed_to = PublicKey::from_bytes(&public_bytes).unwrap();
    for msg in [b"a secret value".to_vec(), vec![0x5a; 2000]] {
        let sealed = sealed_to.seal_with_rng(&mut SecretRng(9), &msg);
        public(&sealed);
        let opened = key.open(&sealed).unwrap();
        public(&opened);
        assert_eq!(opened, msg);
        let mut altered = sealed.clone();
        altered[60] ^= 1;
        assert!(key.open(&altered).is_err());
    }
    let mut small_order = vec![0u8; 60];
    small_order[0] = 1;
    assert!(key.open(&small_order).is_err());
}

/// A branch on a secret byte, which memcheck must report: run under valgrind with
/// `--ignored`, this test fails, showing that the others can.
#[test]
#[ignore = "fails under valgrind on purpose; CI checks that it does"]
fn harness_catches_a_branch_on_a_secret() {
    let mut bytes = [7u8; 32];
    secret(&mut bytes);
    // A call in one arm only: the compiler cannot turn this into a conditional move.
    if std::hint::black_box(bytes[3]) == 7 {
        println!("the secret byte is 7");
    }
}
