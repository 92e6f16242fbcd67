//! Hints to the processor that change how fast the program runs, never what it computes.

/// Ask for the cache line at `address` to be loaded now, so that it has arrived from memory
/// when it is read a little later. A hint only: it never faults, whatever the address, so any
/// pointer will do.
#[inline(always)]
pub(crate) fn prefetch<T: ?Sized>(address: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing the program sees and cannot fault; SSE is part of
    // every x86_64 target.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(address.cast())
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = address;
}
