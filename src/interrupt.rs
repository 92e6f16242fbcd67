//! A request to stop an analysis early, shared between the analysis and whoever asks (a Ctrl-C
//! handler): below both, so neither depends on the other.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A request from outside the analysis (a Ctrl-C handler, on another thread) to stop reading
/// and report what was read. Clones share one state.
#[derive(Clone, Debug, Default)]
pub struct Interrupt(Arc<InterruptState>);

#[derive(Debug, Default)]
struct InterruptState {
    raised: AtomicBool,
    noticed: AtomicBool,
}

impl Interrupt {
    /// Ask the analysis to stop at its next read.
    pub fn raise(&self) {
        self.0.raised.store(true, Ordering::SeqCst);
    }

    pub fn is_raised(&self) -> bool {
        self.0.raised.load(Ordering::SeqCst)
    }

    /// Whether the analysis has seen the request and stopped reading: it is writing what it
    /// has. Until then it may be blocked on a read that never returns (an idle pipe).
    pub fn is_noticed(&self) -> bool {
        self.0.noticed.load(Ordering::SeqCst)
    }

    /// The analysis saw the request and stops reading.
    pub(crate) fn notice(&self) {
        self.0.noticed.store(true, Ordering::SeqCst);
    }
}
