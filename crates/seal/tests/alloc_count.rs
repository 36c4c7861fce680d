//! Sealing and opening allocate exactly one buffer, the one they return: a counting
//! global allocator records every allocation the current thread makes.
//!
//! (The AWS-LC backend calls two C functions that allocate nothing either; no C heap is
//! involved in a seal.)
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(feature = "getrandom")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use sealpost_seal::{Recipient, SEAL_OVERHEAD, SecretKey};

struct Counting;

thread_local! {
    /// Sizes of the allocations this thread made while counting, if it is counting.
    static COUNT: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
}

// SAFETY: every call is passed on unchanged to the system allocator; the bookkeeping
// only touches a `const`-initialized thread-local `Cell`, which does not allocate.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
}

fn record(size: usize) {
    let _ = COUNT.try_with(|count| {
        if let Some((n, bytes)) = count.get() {
            count.set(Some((n + 1, bytes + size)));
        }
    });
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// How many allocations `f` made on this thread, and how many bytes they asked for.
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, usize, T) {
    COUNT.with(|count| count.set(Some((0, 0))));
    let out = f();
    let (n, bytes) = COUNT.with(|count| count.replace(None)).unwrap();
    (n, bytes, out)
}

#[test]
fn seal_and_open_allocate_only_the_returned_buffer() {
    let secret = SecretKey::generate();
    let public = secret.public_key();
    let recipient = Recipient::new(&public);
    for len in [0, 32, 1024, 1500, 48 * 1024] {
        let msg = vec![7u8; len];
        // A first call, outside the count, for anything done once per process.
        let _ = secret.open(&public.seal(&msg)).unwrap();

        let (n, bytes, sealed) = allocations(|| public.seal(&msg));
        assert_eq!(
            (n, bytes),
            (1, len + SEAL_OVERHEAD),
            "PublicKey::seal, {len} bytes"
        );

        let (n, bytes, _) = allocations(|| recipient.seal(&msg));
        assert_eq!(
            (n, bytes),
            (1, len + SEAL_OVERHEAD),
            "Recipient::seal, {len} bytes"
        );

        let (n, bytes, opened) = allocations(|| secret.open(&sealed).unwrap());
        // An empty plaintext needs no allocation at all.
        let expected = if len == 0 { (0, 0) } else { (1, len) };
        assert_eq!((n, bytes), expected, "SecretKey::open, {len} bytes");
        assert_eq!(opened, msg);
    }
}

#[test]
fn the_counter_sees_allocations() {
    // Guards the test above against a counter that counts nothing.
    let (n, bytes, v) = allocations(|| vec![0u8; 100]);
    assert_eq!((n, bytes), (1, 100));
    drop(v);
}
