//! An [`Inspector`] on a thread of its own, fed payloads in batches: copied, or lent where they
//! lie (see [`super::loan`]).

use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::{self, JoinHandle};

use super::inspector::{Inspector, Slot};
use super::loan::{LentBytes, Loan, LoanEnd};
use super::{App, Payload};

/// Payloads waiting to go to the worker: their bytes copied one after another, or lent.
#[derive(Debug, Default)]
pub(super) struct Batch {
    payloads: Vec<Sent>,
    bytes: Vec<u8>,
    /// Given back by the worker: the flows whose inspection ended while it read the batch.
    ended: Vec<(Slot, u64)>,
    /// Address of the first payload lent.
    first_lent: Option<usize>,
    /// The loan its lent payloads belong to (the count of loans ended before it).
    loan: u64,
}

impl Batch {
    /// Room for a full batch of payloads; room for their bytes comes with the first copied
    /// (lent payloads need none, and memory set aside is memory faulted in).
    fn with_room() -> Batch {
        Batch {
            payloads: Vec::with_capacity(BATCH_PAYLOADS),
            bytes: Vec::new(),
            ended: Vec::new(),
            first_lent: None,
            loan: 0,
        }
    }
}

/// A payload in a [`Batch`]: everything of its [`Payload`] but the bytes, which are in the
/// batch's bytes or lent.
#[derive(Debug)]
struct Sent {
    slot: Slot,
    flow: u64,
    /// The flow's first payload.
    fresh: bool,
    bytes: SentBytes,
    from_client: bool,
    tcp: bool,
    seq: u32,
    client_port: u16,
    server_port: u16,
    dns_details: bool,
}

#[derive(Clone, Copy, Debug)]
enum SentBytes {
    /// `start..start + len` of the batch's bytes.
    Copied {
        start: usize,
        len: usize,
    },
    Lent(LentBytes),
}

/// A batch goes once it holds this many payloads or bytes.
const BATCH_PAYLOADS: usize = 1024;
const BATCH_BYTES: usize = 256 * 1024;
/// Batches on their way to the worker at most (the table waits past it).
const BATCHES_IN_FLIGHT: usize = 16;

pub(super) enum Request {
    Inspect(Batch),
    Finish(Vec<(Slot, IpAddr)>),
    /// Answered once every request before it is served.
    Barrier(SyncSender<()>),
}

/// Findings, and the request for them, emptied.
type Findings = (Vec<Option<Box<App>>>, Vec<(Slot, IpAddr)>);

/// An [`Inspector`] on a thread of its own.
#[derive(Debug)]
pub(super) struct Worker {
    batch: Batch,
    requests: Option<SyncSender<Request>>,
    /// Addresses of the bytes lent, while a loan lasts.
    pub(super) region: Option<std::ops::Range<usize>>,
    /// Loans ended so far (shared with each loan, which counts itself when it ends).
    loans_ended: Arc<AtomicU64>,
    /// Findings, each with its request given back emptied.
    findings: Receiver<Findings>,
    /// Batches the worker is done with, emptied, to fill again.
    spare: Receiver<Batch>,
    spares: Vec<Batch>,
    /// The first lent address of each batch handed over and not given back yet, oldest first.
    unread: VecDeque<Option<usize>>,
    pub(super) ended: EndedFlows,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Request::Inspect(batch) => write!(f, "Inspect({} payloads)", batch.payloads.len()),
            Request::Finish(flows) => write!(f, "Finish({} flows)", flows.len()),
            Request::Barrier(_) => write!(f, "Barrier"),
        }
    }
}

impl Worker {
    pub(super) fn start() -> std::io::Result<Worker> {
        let (requests, incoming) = mpsc::sync_channel::<Request>(BATCHES_IN_FLIGHT);
        let (reply, findings) = mpsc::channel();
        let (give_back, spare) = mpsc::channel();
        let mut inspector = Inspector::telling_ended_flows();
        let thread = thread::Builder::new()
            .name("identify".into())
            .spawn(move || {
                for request in incoming {
                    match request {
                        Request::Inspect(mut batch) => {
                            for sent in &batch.payloads {
                                let data = match sent.bytes {
                                    SentBytes::Copied { start, len } => {
                                        &batch.bytes[start..start + len]
                                    }
                                    // SAFETY: lent bytes stay valid until their loan ends,
                                    // and it ends only after this batch is read (a barrier
                                    // behind it in the queue).
                                    SentBytes::Lent(lent) => unsafe { lent.get() },
                                };
                                let payload = Payload {
                                    data,
                                    from_client: sent.from_client,
                                    tcp: sent.tcp,
                                    seq: sent.seq,
                                    client_port: sent.client_port,
                                    server_port: sent.server_port,
                                    dns_details: sent.dns_details,
                                };
                                inspector.inspect(sent.slot, sent.flow, sent.fresh, &payload);
                            }
                            batch.payloads.clear();
                            batch.bytes.clear();
                            if let Some(ended) = &mut inspector.ended {
                                std::mem::swap(&mut batch.ended, ended);
                            }
                            let _ = give_back.send(batch);
                        }
                        Request::Finish(mut flows) => {
                            let found = inspector.finish_all(&mut flows);
                            if reply.send((found, flows)).is_err() {
                                return;
                            }
                        }
                        Request::Barrier(done) => {
                            let _ = done.send(());
                        }
                    }
                }
            })?;
        Ok(Worker {
            batch: Batch::with_room(),
            requests: Some(requests),
            region: None,
            loans_ended: Arc::new(AtomicU64::new(0)),
            findings,
            spare,
            spares: Vec::new(),
            unread: VecDeque::new(),
            ended: EndedFlows::default(),
            thread: Some(thread),
        })
    }

    pub(super) fn lend(&mut self, region: &[u8]) -> Loan {
        let Some(requests) = self.requests.clone() else {
            return Loan::none();
        };
        // Payloads lent under an earlier loan are not handed over under this one.
        self.flush();
        let start = region.as_ptr().addr();
        self.region = Some(start..start + region.len());
        self.batch.loan = self.loans_ended.load(Ordering::Relaxed);
        Loan {
            worker: Some(LoanEnd {
                requests,
                ended: Arc::clone(&self.loans_ended),
            }),
            not_send: std::marker::PhantomData,
        }
    }

    /// Whether `data` lies in the bytes lent by a loan still going on.
    fn lent(&mut self, data: &[u8]) -> bool {
        let Some(region) = &self.region else {
            return false;
        };
        if self.loans_ended.load(Ordering::Relaxed) != self.batch.loan {
            // The loan was dropped without being ended (a panic unwinding).
            self.region = None;
            return false;
        }
        let start = data.as_ptr().addr();
        region.start <= start && start + data.len() <= region.end
    }

    pub(super) fn send(&mut self, slot: Slot, flow: u64, fresh: bool, payload: &Payload<'_>) {
        let bytes = if self.lent(payload.data) {
            let lent = LentBytes::of(payload.data);
            let first = self
                .batch
                .first_lent
                .map_or(lent.addr(), |f| f.min(lent.addr()));
            self.batch.first_lent = Some(first);
            SentBytes::Lent(lent)
        } else {
            let bytes = &mut self.batch.bytes;
            if bytes.capacity() == 0 {
                // Room for a full batch at once, so that filling it never moves its bytes.
                bytes.reserve_exact(BATCH_BYTES + 64 * 1024);
            }
            let start = bytes.len();
            bytes.extend_from_slice(payload.data);
            SentBytes::Copied {
                start,
                len: payload.data.len(),
            }
        };
        self.batch.payloads.push(Sent {
            slot,
            flow,
            fresh,
            bytes,
            from_client: payload.from_client,
            tcp: payload.tcp,
            seq: payload.seq,
            client_port: payload.client_port,
            server_port: payload.server_port,
            dns_details: payload.dns_details,
        });
        if self.batch.payloads.len() >= BATCH_PAYLOADS || self.batch.bytes.len() >= BATCH_BYTES {
            self.flush();
        }
    }

    pub(super) fn flush(&mut self) {
        if self.batch.payloads.is_empty() {
            return;
        }
        let loan = self.loans_ended.load(Ordering::Relaxed);
        if self.batch.loan != loan {
            // Lent under a loan that is over: those bytes may be gone, so they are not read.
            for sent in &mut self.batch.payloads {
                if let SentBytes::Lent(_) = sent.bytes {
                    sent.bytes = SentBytes::Copied { start: 0, len: 0 };
                }
            }
        }
        self.take_back();
        let mut next = self.spares.pop().unwrap_or_else(Batch::with_room);
        next.loan = loan;
        next.first_lent = None;
        let batch = std::mem::replace(&mut self.batch, next);
        self.unread.push_back(batch.first_lent);
        self.request(Request::Inspect(batch));
    }

    /// Batches the worker has read, given back in the order they were handed over: what they
    /// tell of ended flows is noted, and they wait to be filled again.
    fn take_back(&mut self) {
        while let Ok(mut spare) = self.spare.try_recv() {
            for (slot, flow) in spare.ended.drain(..) {
                self.ended.mark(slot, flow);
            }
            self.unread.pop_front();
            self.spares.push(spare);
        }
    }

    /// The lowest address of lent bytes the worker may still read (payloads are lent in the
    /// order of the region, so the oldest batch holding any has it).
    pub(super) fn unread_from(&mut self) -> Option<usize> {
        self.take_back();
        self.unread
            .iter()
            .chain([&self.batch.first_lent])
            .find_map(|&first| first)
    }

    pub(super) fn request_findings(&mut self, flows: Vec<(Slot, IpAddr)>) {
        self.flush();
        self.request(Request::Finish(flows));
    }

    pub(super) fn findings(&mut self) -> Findings {
        match self.findings.recv() {
            Ok(found) => found,
            Err(_) => self.failed(),
        }
    }

    fn request(&mut self, request: Request) {
        let sent = self
            .requests
            .as_ref()
            .is_some_and(|requests| requests.send(request).is_ok());
        if !sent {
            self.failed();
        }
    }

    /// The worker is gone, which only a bug in identification can cause: its panic goes on
    /// here, where the panic handler reports it.
    fn failed(&mut self) -> ! {
        self.requests = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            _ => panic!("the identification thread stopped"),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Flows whose inspection ended, as the flow table learns from the batches a worker gives
/// back, so that it stops handing over their payloads: an entry per slot holding the flow's
/// number plus one. Learning late only means payloads handed over in vain: the worker ignores
/// payloads of flows it is done with, so results never depend on timing. (Kept on the table's
/// side: flags the worker wrote in shared memory cost a cache miss per payload.)
#[derive(Debug, Default)]
pub(super) struct EndedFlows {
    entries: Vec<u64>,
}

impl EndedFlows {
    fn mark(&mut self, slot: Slot, flow: u64) {
        let index = slot.index();
        if index >= self.entries.len() {
            self.entries.resize(index + 1, 0);
        }
        self.entries[index] = flow.wrapping_add(1);
    }

    pub(super) fn contains(&self, slot: Slot, flow: u64) -> bool {
        self.entries.get(slot.index()) == Some(&flow.wrapping_add(1))
    }
}
