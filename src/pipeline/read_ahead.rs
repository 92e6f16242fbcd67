//! A mapped capture decoded on a second thread: one thread walks the records and dissects
//! each frame, the caller's thread runs the flow table and the sink on what it is handed. The
//! frames cross in order, in batches, still pointing into the mapping (nothing is copied), so
//! the results are exactly those of decoding on one thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::thread;

use super::{FlowSink, PacketHandler};
use crate::capture::{self, CHECKPOINT_INTERVAL, CaptureError, Frame, ReadOutcome};
use crate::dissect::{self, Dissection};
use crate::interrupt::Interrupt;
use crate::source::mapped::MappedFile;

/// Frames per batch (about 600 KB of frames and their dissections): every hand-over can wake a
/// sleeping thread, which costs tens of microseconds on a virtual machine (benches/README.md,
/// "Reading ahead").
const BATCH: usize = 4096;
/// Batches in flight.
const DEPTH: usize = 4;

type Batch<'a> = Vec<(Frame<'a>, Dissection)>;

/// Decode `file` on this thread, frame by frame into `handler`, giving back pages, moving the
/// progress bar and watching for Ctrl-C or a closed output at every checkpoint.
pub(super) fn decode_mapped_here<S: FlowSink>(
    file: &MappedFile,
    handler: &mut PacketHandler<'_, S>,
    input: usize,
    interrupt: &Interrupt,
) -> Result<ReadOutcome, CaptureError> {
    let stop = std::rc::Rc::clone(&handler.stop);
    let keep_going = |offset| {
        file.passed(offset);
        if interrupt.is_raised() {
            interrupt.notice();
            return false;
        }
        !stop.get()
    };
    capture::decode_slice(file.bytes(), keep_going, |frame| {
        handler.on_frame(input, frame)
    })
}

/// Decode `file` on a scoped thread and feed its frames to `handler` on this one.
pub(super) fn decode_mapped<S: FlowSink>(
    file: &MappedFile,
    handler: &mut PacketHandler<'_, S>,
    input: usize,
    interrupt: &Interrupt,
) -> Result<ReadOutcome, CaptureError> {
    let data = file.bytes();
    // SAFETY: the mapping outlives this call, and the loan ends before it returns (or, if this
    // thread panics, when the loan is dropped on the way out, which waits for the reader).
    let loan = unsafe { handler.table.lend_payloads(data) };
    let outcome = decode_mapped_ahead(file, handler, input, interrupt);
    handler.table.end_loan(loan);
    outcome
}

fn decode_mapped_ahead<S: FlowSink>(
    file: &MappedFile,
    handler: &mut PacketHandler<'_, S>,
    input: usize,
    interrupt: &Interrupt,
) -> Result<ReadOutcome, CaptureError> {
    let data = file.bytes();
    let stop = AtomicBool::new(false);
    thread::scope(|scope| {
        let (full, batches) = sync_channel::<Batch<'_>>(DEPTH);
        let (spares, spare_batches) = sync_channel::<Batch<'_>>(DEPTH + 2);
        let stop = &stop;
        let decoder = thread::Builder::new()
            .name("ca-cli decode".into())
            .spawn_scoped(scope, move || {
                let mut batch = Vec::with_capacity(BATCH);
                // Ctrl-C is noticed here, where the reading stops: frames decoded before it are
                // all counted, and a capture read to its end is not reported as interrupted.
                let outcome = capture::decode_slice(
                    data,
                    |_| {
                        if interrupt.is_raised() {
                            interrupt.notice();
                            return false;
                        }
                        !stop.load(Ordering::Relaxed)
                    },
                    |frame| {
                        let dissection =
                            dissect::dissect(frame.linktype, frame.data, frame.orig_len);
                        // The decoder lends the frame only for this call; the same bytes,
                        // borrowed from the mapping itself, live as long as the thread scope.
                        let start =
                            (frame.data.as_ptr() as usize).wrapping_sub(data.as_ptr() as usize);
                        let within = start
                            .checked_add(frame.data.len())
                            .and_then(|end| data.get(start..end));
                        let Some(bytes) = within else {
                            // Every record lies in the mapping it was parsed from.
                            debug_assert!(false, "a frame outside the mapping");
                            return;
                        };
                        batch.push((
                            Frame {
                                data: bytes,
                                ..*frame
                            },
                            dissection,
                        ));
                        if batch.len() == BATCH {
                            let spare = spare_batches
                                .try_recv()
                                .unwrap_or_else(|_| Vec::with_capacity(BATCH));
                            if full.send(std::mem::replace(&mut batch, spare)).is_err() {
                                stop.store(true, Ordering::Relaxed);
                            }
                        }
                    },
                );
                if !batch.is_empty() {
                    let _ = full.send(batch);
                }
                outcome
            });
        let decoder = match decoder {
            Ok(decoder) => decoder,
            // No thread to be had: decode here.
            Err(_) => {
                drop(batches);
                return decode_mapped_here(file, handler, input, interrupt);
            }
        };
        let mut next_release = CHECKPOINT_INTERVAL;
        for mut batch in batches {
            for (frame, dissection) in batch.drain(..) {
                handler.on_dissected(input, &frame, dissection);
                let offset = frame.data.as_ptr() as usize - data.as_ptr() as usize;
                if offset >= next_release {
                    // Every frame before this one has been counted, and every payload before
                    // the first that identification has yet to read: those pages can go.
                    let unread = handler
                        .table
                        .unread_lent_from()
                        .map(|address| address.saturating_sub(data.as_ptr() as usize));
                    file.passed(unread.map_or(offset, |unread| unread.min(offset)));
                    next_release = offset + CHECKPOINT_INTERVAL;
                }
            }
            // The output is gone: the decoder stops at its next checkpoint.
            if handler.sink_error.is_some() {
                stop.store(true, Ordering::Relaxed);
            }
            let _ = spares.try_send(batch);
        }
        match decoder.join() {
            Ok(outcome) => outcome,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}
