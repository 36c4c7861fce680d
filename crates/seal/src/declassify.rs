//! Declaring a computed value public, for valgrind's memcheck.
//!
//! The constant-time test (`tests/constant_time.rs`) marks secrets *undefined* for
//! memcheck, which then reports every branch and address that depends on them. `open`
//! must branch on two results computed from the long-term secret key that are public
//! by design: whether the shared secret is all zeros (the ephemeral key had small
//! order) and whether the tag matched (the outcome is returned). [`public`] tells
//! memcheck so, with its `MAKE_MEM_DEFINED` client request on the one byte that holds
//! the result, and returns it; every other use of the key stays checked.
//!
//! On a real CPU the request is four rotations of a register that end where they began
//! and an exchange of a register with itself: a few cycles, no effect. Other targets
//! return the value as it is.

/// `value`, declared public to memcheck when the program runs under it.
pub(crate) fn public(value: bool) -> bool {
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    {
        /// `VG_USERREQ_TOOL_BASE('M', 'C') + 2`, from valgrind's `memcheck.h`.
        const MAKE_MEM_DEFINED: u64 = 0x4d43_0002;
        let mut byte = u8::from(value);
        let args: [u64; 6] = [MAKE_MEM_DEFINED, (&raw mut byte) as u64, 1, 0, 0, 0];
        #[allow(unsafe_code)]
        // SAFETY: valgrind recognizes the rotations of `rdi` (by 128 bits in all, so it
        // ends unchanged) followed by `xchg rbx, rbx`, and then reads the request from
        // the six words at `rax` and may mark `byte` defined; `rdx` (its answer) is
        // declared clobbered. Outside valgrind nothing changes. The block may read and
        // write memory, so `byte` is in memory for it and read again after it.
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
            core::ptr::read_volatile(&raw const byte) != 0
        }
    }
    #[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
    {
        value
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_value_is_unchanged() {
        assert!(super::public(true));
        assert!(!super::public(false));
    }
}
