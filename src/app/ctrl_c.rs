//! Ctrl-C: the first stops the reading and the report covers what was read; if the reading
//! does not stop, ca-cli leaves without one.

use std::time::Duration;

use ca_cli::interrupt::Interrupt;

use super::output_file;

/// The exit status after Ctrl-C, as shells report a process ended by SIGINT (128 + 2).
pub const INTERRUPTED: u8 = 130;

/// The first Ctrl-C raises `interrupt`: the analysis reports what it read, flagged as
/// interrupted. An analysis blocked on a read that never returns (an idle pipe, a stalled
/// download) cannot see the request, and one already writing a long report may take a while,
/// so if the reading has not stopped within a second, or at a second Ctrl-C, ca-cli leaves at
/// once without a report.
pub fn install(interrupt: &Interrupt) {
    let interrupt = interrupt.clone();
    let installed = ctrlc::set_handler(move || {
        if interrupt.is_raised() {
            abandon();
        }
        interrupt.raise();
        for _ in 0..20 {
            if interrupt.is_noticed() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        abandon();
    });
    // Without a handler Ctrl-C keeps its default effect (the process ends at once).
    drop(installed);
}

fn abandon() -> ! {
    output_file::remove_partial();
    // Straight to the descriptor: the main thread may hold the stderr lock.
    let message = b"ca-cli: interrupted\n";
    // SAFETY: writing a valid buffer to file descriptor 2; a failure changes nothing.
    unsafe {
        libc::write(2, message.as_ptr().cast(), message.len());
    }
    std::process::exit(i32::from(INTERRUPTED));
}
