//! Bytes lent to the identification worker: a mapped capture's payloads are read where they
//! lie instead of being copied, for as long as the loan lasts.

use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, SyncSender};

use super::worker::Request;

/// Bytes lent to the worker (see [`Identifier::lend`](super::Identifier::lend)); dropping it waits until the worker no
/// longer reads them, and payloads lent but not yet handed over are never read.
#[derive(Debug)]
pub struct Loan {
    /// None: nothing was lent (inline inspection, or no worker).
    pub(super) worker: Option<LoanEnd>,
    /// Ended on the thread that lends: dropped on another while the lender flushes a batch,
    /// the barrier could overtake it and the bytes go while the worker reads them.
    pub(super) not_send: PhantomData<*const ()>,
}

#[derive(Debug)]
pub(super) struct LoanEnd {
    pub(super) requests: SyncSender<Request>,
    /// Counts ended loans, so the worker knows a loan of its batch is over.
    pub(super) ended: Arc<AtomicU64>,
}

impl Loan {
    pub(super) fn none() -> Loan {
        Loan {
            worker: None,
            not_send: PhantomData,
        }
    }

    /// End the loan: once this returns the worker reads none of its bytes.
    pub(super) fn settle(&mut self) {
        let Some(end) = self.worker.take() else {
            return;
        };
        end.ended.fetch_add(1, Ordering::Relaxed);
        // Requests are served in order: once this one is answered, every batch sent before it
        // has been read. A worker that is gone reads nothing any more.
        let (done, wait) = mpsc::sync_channel(1);
        if end.requests.send(Request::Barrier(done)).is_ok() {
            let _ = wait.recv();
        }
    }
}

impl Drop for Loan {
    fn drop(&mut self) {
        self.settle();
    }
}

/// A lent payload, read where it lies. It keeps the lender's pointer (not its address), so the
/// read goes through a pointer derived from the lent slice, as Miri checks.
#[derive(Clone, Copy, Debug)]
pub(super) struct LentBytes {
    ptr: *const u8,
    len: usize,
}

// SAFETY: a `LentBytes` is only read through `LentBytes::get`, whose contract (the loan has not
// ended) keeps the bytes valid and unchanged on every thread until the worker has read them.
unsafe impl Send for LentBytes {}

impl LentBytes {
    pub(super) fn of(data: &[u8]) -> LentBytes {
        LentBytes {
            ptr: data.as_ptr(),
            len: data.len(),
        }
    }

    /// The bytes.
    ///
    /// # Safety
    /// The loan they were lent under has not ended (see [`Loan`]).
    pub(super) unsafe fn get<'a>(self) -> &'a [u8] {
        // SAFETY: the caller keeps the loan going, so the lent slice is still valid.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }

    /// Where the bytes start, for comparisons only.
    pub(super) fn addr(self) -> usize {
        self.ptr.addr()
    }
}
