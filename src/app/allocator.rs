//! mimalloc, and when it gives freed memory back. Measurements behind both choices:
//! `benches/README.md` ("Allocator").

/// With identification on its own thread, flows' findings are allocated on one thread and
/// freed on another, which glibc's arenas serve slowly.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` (the position of `mi_option_purge_delay` in mimalloc.h's
/// `mi_option_e`, version 3, which the crate builds).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory is kept for reuse, not given back to the system, until the capture proves
/// large ([`release_memory_at_once`]): on a virtual machine a page's first touch is dear, and
/// every purge interrupts the other threads. `MIMALLOC_PURGE_DELAY` in the environment has the
/// last word.
pub fn keep_freed_memory() {
    set_purge_delay(-1);
}

/// For a capture of many flows (`ca_cli::pipeline::MANY_FLOWS`): freed memory goes back to
/// the system at once from here on, which keeps the 5-million-flow capture within 1.5 GB in
/// every view.
pub fn release_memory_at_once() {
    set_purge_delay(0);
}

/// mimalloc's purge delay in milliseconds (-1: never), unless the environment set one.
fn set_purge_delay(milliseconds: std::ffi::c_long) {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: setting an option has no precondition; mimalloc reads it when it next purges.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, milliseconds) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option set is the purge delay: the only one whose default is 1000 (ms) in
    /// mimalloc.h, version 3 (`MIMALLOC_VERBOSE=1 ca-cli --version` lists them all). Tests run
    /// without main, so the default is still in place, unless the environment set it.
    #[test]
    fn the_option_set_is_the_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reading an option has no precondition.
        let value = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(value, 1000);
    }
}
