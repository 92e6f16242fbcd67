//! A capture that shrinks while it is mapped (another program truncates it) turns the next read
//! past its new end into SIGBUS. This handler turns that into the one-line error every other
//! bad input gets, naming the file and the offset, and exit status 1; a SIGBUS anywhere else
//! goes to the handler before ours (Rust's own, or the default core dump).
//!
//! It calls only async-signal-safe functions (`write`, `_exit`, `sigaction`, `raise`) and reads
//! what the library prepared in atomics ([`ca_cli::source::mapped::fault_at`]).

use std::sync::OnceLock;

use ca_cli::source::mapped::fault_at;

/// The handler before ours, for faults that are not ours.
static PREVIOUS: OnceLock<Previous> = OnceLock::new();

struct Previous(libc::sigaction);
// SAFETY: plain data, written once before our handler is installed, then only read.
unsafe impl Sync for Previous {}
// SAFETY: as above: plain data, never mutated once shared.
unsafe impl Send for Previous {}

/// Install the handler; once, before any capture is mapped.
pub fn install() {
    // SAFETY: a zeroed sigaction is a valid starting value; the handler has the SA_SIGINFO
    // signature.
    unsafe {
        let mut previous: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGBUS, std::ptr::null(), &mut previous) != 0 {
            return;
        }
        if PREVIOUS.set(Previous(previous)).is_err() {
            return;
        }
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigbus as *const () as usize;
        // On the alternate stack Rust sets up, so a stack overflow reported as SIGBUS (macOS)
        // still reaches Rust's own handler through ours.
        action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}

extern "C" fn on_sigbus(_: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers; si_addr means an
    // address only for a fault the kernel raised (si_code > 0), not for kill(2).
    let (code, address) = unsafe { ((*info).si_code, (*info).si_addr().addr()) };
    let fault = if code > 0 { fault_at(address) } else { None };
    let Some(fault) = fault else {
        // Not our mapping: put the previous handler back; the faulting access runs again on
        // return and meets it (or the default action, a core dump).
        // SAFETY: sigaction, signal and raise are async-signal-safe; PREVIOUS was set before
        // this handler was installed.
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
    };
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut offset = fault.offset;
    loop {
        at -= 1;
        digits[at] = b'0' + (offset % 10) as u8;
        offset /= 10;
        if offset == 0 {
            break;
        }
    }
    const START: &[u8] = b"ca-cli: error: ";
    const MIDDLE: &[u8] = b": cannot read past offset ";
    const END: &[u8] = b": the file shrank while it was being read (truncated by another program?) or the disk failed\n";
    for part in [START, fault.name, MIDDLE, &digits[at..], END] {
        // SAFETY: write is async-signal-safe; `part` is valid for its length (the name is
        // leaked by the library, never freed).
        unsafe {
            libc::write(2, part.as_ptr().cast(), part.len());
        }
    }
    // SAFETY: _exit is async-signal-safe and does not return.
    unsafe { libc::_exit(1) }
}
