//! Regular files are mapped into memory and decoded where they lie. On this kind of machine the
//! kernel's copy out of the page cache (`read`) costs more than the whole analysis of the bytes
//! it copies; mapping the 205 MB benchmark capture and touching every page costs a sixth of
//! reading it (benches/run.sh has the end-to-end figures).
//!
//! Two things a mapping changes, and how they are handled:
//! - Memory: touched pages count towards the process's resident size, so the pages behind the
//!   decoder are given back every 8 MiB, so a 2 GB capture holds only the stretch between the
//!   last release and the decoder (tens of MiB at most with two threads: the frames in flight).
//! - A file that shrinks while mapped (another program truncates it) turns the next access past
//!   its new end into SIGBUS instead of a short read. A handler reports that as a one-line error
//!   naming the file and the offset, and exits with status 1.

use std::fs::File;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use indicatif::ProgressBar;
use memmap2::{Advice, Mmap, MmapOptions, UncheckedAdvice};

/// A capture file mapped read-only.
pub struct MappedFile {
    map: Mmap,
    /// The user's name for the file, for the SIGBUS report.
    name: String,
    progress: Option<ProgressBar>,
}

impl std::fmt::Debug for MappedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MappedFile")
            .field("name", &self.name)
            .field("len", &self.map.len())
            .finish()
    }
}

impl MappedFile {
    /// Map `file` (a non-empty regular file). `None` when the system refuses (a file system
    /// without mmap support, an exhausted address space): the caller reads the file instead.
    pub fn map(file: &File, name: &str, progress: Option<ProgressBar>) -> Option<MappedFile> {
        // SAFETY: the mapping is read-only and outlives every slice taken from it (they borrow
        // `self`). Another program changing the file underneath is outside Rust's model but
        // harmless here: a truncation raises SIGBUS (handled below); bytes rewritten in place
        // are read as whatever they are then, like any other input, by parsers that check
        // every length. A test's longer mapping of a short file is the truncation case.
        let map = unsafe {
            match mapping_len_for_tests() {
                Some(len) => MmapOptions::new().len(len).map(file),
                None => Mmap::map(file),
            }
        }
        .ok()?;
        if map.is_empty() {
            return None;
        }
        // Sequential access: the kernel reads further ahead from disk when the cache is cold.
        let _ = map.advise(Advice::Sequential);
        Some(MappedFile {
            map,
            name: name.to_string(),
            progress,
        })
    }

    pub fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// The decoder has passed `offset`: the pages before it are not read again, so they leave
    /// the process (they stay in the page cache).
    pub fn passed(&self, offset: usize) {
        let behind = offset - offset % page_size();
        // SAFETY: DONTNEED on a read-only file mapping only drops the page-table entries; a
        // later access faults the same file contents back in, so a slice into the range (the
        // callers release only what they have finished with) would still read the same bytes.
        let _ = unsafe {
            self.map
                .unchecked_advise_range(UncheckedAdvice::DontNeed, 0, behind)
        };
        if let Some(bar) = &self.progress {
            bar.set_position(offset as u64);
        }
    }

    /// While the returned guard lives, a fault inside this mapping (the file shrank) ends the
    /// process with a one-line error instead of a crash.
    pub fn guard_faults(&self) -> FaultGuard {
        fault_report::arm(&self.map, &self.name)
    }
}

impl Drop for MappedFile {
    fn drop(&mut self) {
        if let Some(bar) = &self.progress {
            bar.finish_and_clear();
        }
    }
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    match unsafe { libc::sysconf(libc::_SC_PAGESIZE) } {
        n if n > 0 => n as usize,
        _ => 4096,
    }
}

/// Disarms the SIGBUS report when the decoding of its file ends.
pub struct FaultGuard(());

impl Drop for FaultGuard {
    fn drop(&mut self) {
        fault_report::disarm();
    }
}

/// Test hook (debug builds only): `CA_CLI_TEST_MAP_LEN=N` maps N bytes of the file however
/// long it is, so that a test's short file reads as one that shrank after it was mapped (the
/// pages past its end raise SIGBUS) without anything ever writing to a file.
fn mapping_len_for_tests() -> Option<usize> {
    if !cfg!(debug_assertions) {
        return None;
    }
    std::env::var("CA_CLI_TEST_MAP_LEN").ok()?.parse().ok()
}

mod fault_report {
    //! The SIGBUS handler and what it reports. Everything it touches is prepared beforehand
    //! in atomics, and it calls only async-signal-safe functions (`write`, `_exit`).

    use super::*;
    use std::sync::{Once, OnceLock};

    static START: AtomicUsize = AtomicUsize::new(0);
    static END: AtomicUsize = AtomicUsize::new(0);
    /// "ca-cli: error: NAME: " for the file being decoded, leaked (one per mapped input).
    static PREFIX: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
    static PREFIX_LEN: AtomicUsize = AtomicUsize::new(0);
    static INSTALL: Once = Once::new();
    /// The handler before ours (Rust's own, or the default), for faults that are not ours.
    static PREVIOUS: OnceLock<Previous> = OnceLock::new();

    struct Previous(libc::sigaction);
    // SAFETY: plain data, written once before our handler is installed, then only read.
    unsafe impl Sync for Previous {}
    // SAFETY: as above: plain data, never mutated once shared.
    unsafe impl Send for Previous {}

    pub(super) fn arm(map: &Mmap, name: &str) -> FaultGuard {
        INSTALL.call_once(install);
        let prefix: &'static mut [u8] = Box::leak(
            format!("ca-cli: error: {name}: ")
                .into_bytes()
                .into_boxed_slice(),
        );
        PREFIX_LEN.store(prefix.len(), Ordering::SeqCst);
        PREFIX.store(prefix.as_mut_ptr(), Ordering::SeqCst);
        START.store(map.as_ptr() as usize, Ordering::SeqCst);
        END.store(map.as_ptr() as usize + map.len(), Ordering::SeqCst);
        FaultGuard(())
    }

    pub(super) fn disarm() {
        START.store(0, Ordering::SeqCst);
        END.store(0, Ordering::SeqCst);
    }

    fn install() {
        // SAFETY: a zeroed sigaction is a valid starting value; the handler has the
        // SA_SIGINFO signature.
        unsafe {
            let mut previous: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGBUS, std::ptr::null(), &mut previous) != 0 {
                return;
            }
            let _ = PREVIOUS.set(Previous(previous));
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as *const () as usize;
            // On the alternate stack Rust sets up, so a stack overflow reported as SIGBUS
            // (macOS) still reaches Rust's own handler through ours.
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
        }
    }

    extern "C" fn on_sigbus(_: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
        // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers; si_addr means an
        // address only for a fault the kernel raised (si_code > 0), not for kill(2).
        let (code, address) = unsafe { ((*info).si_code, (*info).si_addr() as usize) };
        let (start, end) = (START.load(Ordering::SeqCst), END.load(Ordering::SeqCst));
        let ours = code > 0 && (start..end).contains(&address);
        if !ours {
            // Not our mapping: put the previous handler back; the faulting access runs again
            // on return and meets it (or the default action, a core dump).
            // SAFETY: sigaction and signal are async-signal-safe; PREVIOUS was set before this
            // handler was installed.
            unsafe {
                match PREVIOUS.get() {
                    Some(previous) => {
                        libc::sigaction(libc::SIGBUS, &previous.0, std::ptr::null_mut());
                    }
                    None => {
                        libc::signal(libc::SIGBUS, libc::SIG_DFL);
                    }
                }
                // A sent signal does not come back by itself as a fault does.
                if code <= 0 {
                    libc::raise(libc::SIGBUS);
                }
            }
            return;
        }
        let prefix = PREFIX.load(Ordering::SeqCst);
        let prefix_len = PREFIX_LEN.load(Ordering::SeqCst);
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut offset = address - start;
        loop {
            at -= 1;
            digits[at] = b'0' + (offset % 10) as u8;
            offset /= 10;
            if offset == 0 {
                break;
            }
        }
        const MIDDLE: &[u8] = b"cannot read past offset ";
        const END_TEXT: &[u8] =
            b": the file shrank while it was being read (truncated by another program?) or the disk failed\n";
        // SAFETY: write and _exit are async-signal-safe; the buffers are valid for their
        // lengths (the prefix is leaked, never freed).
        unsafe {
            libc::write(2, prefix.cast(), prefix_len);
            libc::write(2, MIDDLE.as_ptr().cast(), MIDDLE.len());
            libc::write(2, digits[at..].as_ptr().cast(), digits.len() - at);
            libc::write(2, END_TEXT.as_ptr().cast(), END_TEXT.len());
            libc::_exit(1);
        }
    }
}
