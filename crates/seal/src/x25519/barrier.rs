//! An optimization barrier for secret masks: the value passes through an empty `asm!`
//! block that claims to change it, so the compiler can no longer see that a mask is all
//! zeros or all ones and turn the masking into a branch or a masked memory access. This
//! is `BoringSSL`'s `value_barrier_w` (an empty assembly statement; `subtle` gets the same
//! effect from a volatile read). Unlike `core::hint::black_box`, which is documented as
//! best-effort and forced the masks through memory, it keeps the value in a register
//! and costs no instruction.
//!
//! On targets other than `x86_64` and aarch64 (wasm32 has no stable `asm!`) `black_box`
//! stands in.

/// `value`, unknown to the optimizer.
// Always inline: a call would be a barrier of its own, and cost one.
#[allow(clippy::inline_always)]
#[inline(always)]
pub(crate) fn u64(value: u64) -> u64 {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    {
        let mut value = value;
        #[allow(unsafe_code)]
        // SAFETY: the assembly is empty: it reads and writes nothing but the register
        // that holds `value`, which it leaves as it was, and touches no memory or flags.
        unsafe {
            core::arch::asm!("/* {0} */", inout(reg) value, options(pure, nomem, nostack, preserves_flags));
        }
        value
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        core::hint::black_box(value)
    }
}

/// `value`, unknown to the optimizer, in a vector register.
#[cfg(sealpost_ifma)]
#[target_feature(enable = "avx512ifma,avx512vl")]
#[inline]
pub(crate) fn m256(value: core::arch::x86_64::__m256i) -> core::arch::x86_64::__m256i {
    let mut value = value;
    #[allow(unsafe_code)]
    // SAFETY: as for `u64`, with a vector register.
    unsafe {
        core::arch::asm!("/* {0} */", inout(ymm_reg) value, options(pure, nomem, nostack, preserves_flags));
    }
    value
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_barrier_keeps_the_value() {
        for value in [0, 1, u64::MAX, 0x8000_0000_0000_0000] {
            assert_eq!(super::u64(value), value);
        }
    }
}
