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
//!   its new end into SIGBUS instead of a short read. [`fault_at`] tells the binary's handler
//!   which file and offset, so it reports a one-line error and exits with status 1.

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
        // harmless here: a truncation raises SIGBUS (see `fault_at`); bytes rewritten in place
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

    /// While the returned guard lives, [`fault_at`] tells a fault inside this mapping (the
    /// file shrank) from any other, for the caller's SIGBUS handler to report.
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

/// Forgets the mapping being decoded when its decoding ends (see [`MappedFile::guard_faults`]).
pub struct FaultGuard(());

/// A memory fault inside the mapping of a capture being decoded: its file shrank (or its disk
/// failed) after it was mapped.
#[derive(Clone, Copy, Debug)]
pub struct MappingFault {
    /// The user's name for the file.
    pub name: &'static [u8],
    /// Where in the file the read failed.
    pub offset: usize,
}

/// The mapping being decoded that `address` lies in, if any. Async-signal-safe (atomic loads
/// only), for a SIGBUS handler: the library never installs one, prints or exits; without a
/// handler such a fault ends the process as the system does.
pub fn fault_at(address: usize) -> Option<MappingFault> {
    fault_report::find(address)
}

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
    //! Which mapping a fault address belongs to: written when a decoding starts, read by the
    //! binary's SIGBUS handler through [`super::fault_at`], so only atomics.

    use super::*;

    static START: AtomicUsize = AtomicUsize::new(0);
    static END: AtomicUsize = AtomicUsize::new(0);
    /// The user's name for the file being decoded, leaked (one per mapped input).
    static NAME: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
    static NAME_LEN: AtomicUsize = AtomicUsize::new(0);

    pub(super) fn arm(map: &Mmap, name: &str) -> FaultGuard {
        let name: &'static mut [u8] = Box::leak(name.as_bytes().to_vec().into_boxed_slice());
        NAME_LEN.store(name.len(), Ordering::SeqCst);
        NAME.store(name.as_mut_ptr(), Ordering::SeqCst);
        START.store(map.as_ptr().addr(), Ordering::SeqCst);
        END.store(map.as_ptr().addr() + map.len(), Ordering::SeqCst);
        FaultGuard(())
    }

    pub(super) fn disarm() {
        START.store(0, Ordering::SeqCst);
        END.store(0, Ordering::SeqCst);
    }

    pub(super) fn find(address: usize) -> Option<MappingFault> {
        let (start, end) = (START.load(Ordering::SeqCst), END.load(Ordering::SeqCst));
        if !(start..end).contains(&address) {
            return None;
        }
        let (name, len) = (NAME.load(Ordering::SeqCst), NAME_LEN.load(Ordering::SeqCst));
        // SAFETY: NAME points to `len` leaked bytes, never freed, stored before START and END.
        let name = unsafe { std::slice::from_raw_parts(name.cast_const(), len) };
        Some(MappingFault {
            name,
            offset: address - start,
        })
    }
}
