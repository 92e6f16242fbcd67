//! Identification of many flows at once: each flow's [`App`] in a slot of its own, and the
//! names DNS answers give to addresses. An [`Identifier`] runs it on the flow table's thread or
//! on a worker thread of its own, with the same results: the worker sees the same payloads in
//! the same order, and a flow's findings are collected only after every payload sent before.
//! On a mapped capture the worker reads payloads where they lie (see [`Identifier::lend`]).

use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::{self, JoinHandle};

use rustc_hash::FxHashMap;

use super::{App, NameSource, Payload};

/// Addresses named by DNS answers that are remembered; past it the memory starts over.
const MAX_DNS_NAMES: usize = 1 << 20;

/// A flow's place in the table of identifications, given with its first payload and taken
/// back when its findings are asked for: flows index their identification directly (no hash
/// lookup per payload), and places are reused while the memory they touch is still cached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot(u32);

impl Slot {
    /// No place yet: no payload was inspected.
    pub const NONE: Slot = Slot(u32::MAX);

    fn index(self) -> usize {
        self.0 as usize
    }
}

/// Hands out slots, the one given back last first.
#[derive(Debug, Default)]
struct Slots {
    free: Vec<u32>,
    next: u32,
}

impl Slots {
    fn take(&mut self) -> Slot {
        Slot(self.free.pop().unwrap_or_else(|| {
            self.next += 1;
            self.next - 1
        }))
    }

    fn give_back(&mut self, slot: Slot) {
        if slot != Slot::NONE {
            self.free.push(slot.0);
        }
    }
}

/// Slots' identifications, in chunks of [`APPS_CHUNK`]: one vector grown by doubling copied
/// them all at each growth into fresh memory, a quarter of the identification thread's time on
/// the benchmark capture (perf, its 18,000 flows all live until the end).
#[derive(Debug, Default)]
struct Apps {
    chunks: Vec<Vec<App>>,
}

const APPS_CHUNK: usize = 1024;

impl Apps {
    fn get(&self, slot: Slot) -> Option<&App> {
        let index = slot.index();
        self.chunks.get(index / APPS_CHUNK)?.get(index % APPS_CHUNK)
    }

    fn get_mut(&mut self, slot: Slot) -> Option<&mut App> {
        let index = slot.index();
        self.chunks
            .get_mut(index / APPS_CHUNK)?
            .get_mut(index % APPS_CHUNK)
    }

    /// The slot's place, made (with every slot before it) if it is new.
    fn get_or_make(&mut self, slot: Slot) -> &mut App {
        let index = slot.index();
        let (chunk, within) = (index / APPS_CHUNK, index % APPS_CHUNK);
        while self.chunks.len() <= chunk {
            self.chunks
                .push(std::iter::repeat_with(App::idle).take(APPS_CHUNK).collect());
        }
        &mut self.chunks[chunk][within]
    }
}

/// Every flow's identification by its slot, and the names DNS answers gave to addresses.
#[derive(Debug, Default)]
pub struct Inspector {
    apps: Apps,
    dns_names: FxHashMap<IpAddr, Arc<str>>,
    /// Answers found in the payload being inspected.
    new_names: Vec<(IpAddr, Arc<str>)>,
    /// Flows whose inspection ended, `(slot, number)`, to tell the flow table (on a worker).
    ended: Option<Vec<(Slot, u64)>>,
    /// Findings asked for and not collected yet (inline).
    found: VecDeque<Vec<Option<Box<App>>>>,
}

impl Inspector {
    /// Look at one payload of flow number `flow`, in `slot`; `fresh` with its first payload
    /// (the slot's earlier flow, if any, is over).
    fn inspect(&mut self, slot: Slot, flow: u64, fresh: bool, payload: &Payload<'_>) {
        let app = self.apps.get_or_make(slot);
        if fresh {
            *app = App::default();
        }
        if !app.inspecting() {
            return;
        }
        app.inspect(payload, &mut self.new_names);
        if !app.inspecting()
            && let Some(ended) = &mut self.ended
        {
            ended.push((slot, flow));
        }
        if !self.new_names.is_empty() {
            if self.dns_names.len() >= MAX_DNS_NAMES {
                self.dns_names.clear();
            }
            self.dns_names.extend(self.new_names.drain(..));
        }
    }

    /// Whether the flow in `slot` is still being inspected.
    fn inspecting(&self, slot: Slot) -> bool {
        self.apps.get(slot).is_some_and(App::inspecting)
    }

    /// The flow in `slot` (none: it had no payload), whose server is `server`, is over: what
    /// was found about it (nothing when nothing was), its server named from DNS answers seen
    /// so far if its payload gave no name. The slot is free again.
    fn finish(&mut self, slot: Slot, server: IpAddr) -> Option<Box<App>> {
        let mut app = self.apps.get_mut(slot).and_then(|held| {
            let mut found = std::mem::replace(held, App::idle());
            found.close();
            // A flow whose payload said nothing keeps nothing: long lists hold many of them.
            (!found.is_empty()).then(|| Box::new(found))
        });
        let unnamed = app.as_ref().is_none_or(|a| a.info.server_name.is_none());
        if unnamed && let Some(name) = self.dns_names.get(&server) {
            let named = app.get_or_insert_with(|| Box::new(App::idle()));
            named.info.server_name = Some(Arc::clone(name));
            named.info.name_source = Some(NameSource::Dns);
        }
        app
    }

    /// [`Inspector::finish`] for each of the flows `(slot, server address)`, in order.
    /// `flows` is left empty, to be filled again.
    fn finish_all(&mut self, flows: &mut Vec<(Slot, IpAddr)>) -> Vec<Option<Box<App>>> {
        // Flows end long after their last payload: their identification, its state and the
        // name of a DNS flow's first question are cold. Each is asked for ahead, once what
        // points to it has arrived (a few flows later).
        const AHEAD: usize = 4;
        let mut found = Vec::with_capacity(flows.len());
        for at in 0..flows.len() {
            let app = |ahead: usize| flows.get(at + ahead).and_then(|f| self.apps.get(f.0));
            if let Some(app) = app(3 * AHEAD) {
                crate::hint::prefetch(app);
            }
            if let Some(state) = app(2 * AHEAD).and_then(|a| a.state.as_deref()) {
                crate::hint::prefetch(state);
            }
            if let Some(first) = app(AHEAD)
                .and_then(|a| a.state.as_deref())
                .and_then(|s| s.first_question.as_ref())
            {
                crate::hint::prefetch(Arc::as_ptr(&first.name));
            }
            let (slot, server) = flows[at];
            found.push(self.finish(slot, server));
        }
        flows.clear();
        found
    }
}

/// Flows whose inspection ended, as the flow table learns from the batches a worker gives
/// back, so that it stops handing over their payloads: an entry per slot holding the flow's
/// number plus one. Learning late only means payloads handed over in vain: the worker ignores
/// payloads of flows it is done with, so results never depend on timing. (Kept on the table's
/// side: flags the worker wrote in shared memory cost a cache miss per payload.)
#[derive(Debug, Default)]
struct EndedFlows {
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

    fn contains(&self, slot: Slot, flow: u64) -> bool {
        self.entries.get(slot.index()) == Some(&flow.wrapping_add(1))
    }
}

/// Where payloads are identified: on the caller's thread as they come, or on a thread of its
/// own, fed in batches. The caller's side hands out the slots.
#[derive(Debug)]
pub struct Identifier {
    slots: Slots,
    place: Place,
    /// Emptied requests for findings, to fill again (see [`Identifier::request_buffer`]).
    spare_requests: Vec<Vec<(Slot, IpAddr)>>,
}

#[derive(Debug)]
enum Place {
    Inline(Inspector),
    Worker(Worker),
}

impl Identifier {
    pub fn inline() -> Identifier {
        Identifier {
            slots: Slots::default(),
            place: Place::Inline(Inspector::default()),
            spare_requests: Vec::new(),
        }
    }

    /// On a worker thread; inline if no thread can be started.
    pub fn start_worker() -> Identifier {
        match Worker::start() {
            Ok(worker) => Identifier {
                slots: Slots::default(),
                place: Place::Worker(worker),
                spare_requests: Vec::new(),
            },
            Err(_) => Identifier::inline(),
        }
    }

    /// Whether identification runs on a thread of its own.
    pub fn runs_on_worker(&self) -> bool {
        matches!(self.place, Place::Worker(_))
    }

    /// Whether payloads of flow number `flow`, in `slot`, are still wanted (from a worker, a
    /// hint: payloads of a flow whose inspection ended are ignored anyway).
    pub fn wants(&self, slot: Slot, flow: u64) -> bool {
        if slot == Slot::NONE {
            return true;
        }
        match &self.place {
            Place::Inline(inspector) => inspector.inspecting(slot),
            Place::Worker(worker) => !worker.ended.contains(slot, flow),
        }
    }

    /// Look at one payload of flow number `flow`, whose slot is `slot` (given here with the
    /// flow's first payload).
    pub fn inspect(&mut self, slot: &mut Slot, flow: u64, payload: &Payload<'_>) {
        let fresh = *slot == Slot::NONE;
        if fresh {
            *slot = self.slots.take();
        }
        match &mut self.place {
            Place::Inline(inspector) => inspector.inspect(*slot, flow, fresh, payload),
            Place::Worker(worker) => worker.send(*slot, flow, fresh, payload),
        }
    }

    /// The flows `(slot, server address)` are over: their findings, in the same order.
    pub fn finish(&mut self, flows: Vec<(Slot, IpAddr)>) -> Vec<Option<Box<App>>> {
        self.request_findings(flows);
        self.findings()
    }

    /// The flows `(slot, server address)` are over: ask for their findings, which
    /// [`Identifier::findings`] returns in the order asked. A worker works on them meanwhile.
    /// Their slots are free again.
    pub fn request_findings(&mut self, mut flows: Vec<(Slot, IpAddr)>) {
        for (slot, _) in &flows {
            self.slots.give_back(*slot);
        }
        match &mut self.place {
            Place::Inline(inspector) => {
                let found = inspector.finish_all(&mut flows);
                inspector.found.push_back(found);
                self.keep_spare(flows);
            }
            Place::Worker(worker) => worker.request_findings(flows),
        }
    }

    /// An empty vector to fill with a request for findings: one given back by an earlier
    /// request when there is one. Requests go to the worker and come back with the findings,
    /// so the flow table's thread does not allocate one afresh each time (perf showed it
    /// zeroing fresh pages for them: 86 of its 389 page-zeroing samples on the benchmark).
    pub fn request_buffer(&mut self) -> Vec<(Slot, IpAddr)> {
        self.spare_requests.pop().unwrap_or_default()
    }

    fn keep_spare(&mut self, request: Vec<(Slot, IpAddr)>) {
        if self.spare_requests.len() < 4 {
            self.spare_requests.push(request);
        }
    }

    /// The findings of the earliest request not collected yet.
    pub fn findings(&mut self) -> Vec<Option<Box<App>>> {
        match &mut self.place {
            Place::Inline(inspector) => inspector.found.pop_front().unwrap_or_default(),
            Place::Worker(worker) => {
                let (found, request) = worker.findings();
                self.keep_spare(request);
                found
            }
        }
    }

    /// Let a worker read the payloads that lie inside `region` where they lie, instead of
    /// copying them: on a mapped capture the copy cost the flow table's thread more than
    /// everything else identification asks of it, because it is that thread's first touch of
    /// the payload bytes. Inline inspection reads payloads in place anyway.
    ///
    /// # Safety
    /// The bytes of `region` must stay readable and unchanged until the loan is ended with
    /// [`Identifier::end_loan`] or dropped (which waits for the worker to be done with them).
    pub unsafe fn lend(&mut self, region: &[u8]) -> Loan {
        match &mut self.place {
            Place::Inline(_) => Loan { worker: None },
            Place::Worker(worker) => worker.lend(region),
        }
    }

    /// The lowest address of lent bytes not yet read (`None`: every lent byte was read): the
    /// lender keeps the bytes from there on in memory, so they are not read back from the page
    /// cache after being given back.
    pub fn unread_lent_from(&mut self) -> Option<usize> {
        match &mut self.place {
            Place::Inline(_) => None,
            Place::Worker(worker) => worker.unread_from(),
        }
    }

    /// The loan's bytes are no longer read once this returns: payloads lent so far have been
    /// inspected.
    pub fn end_loan(&mut self, mut loan: Loan) {
        if let (Place::Worker(worker), Some(_)) = (&mut self.place, loan.worker.as_ref()) {
            worker.flush();
            worker.region = None;
        }
        loan.settle();
    }
}

/// Bytes lent to the worker (see [`Identifier::lend`]); dropping it waits until the worker no
/// longer reads them, and payloads lent but not yet handed over are never read.
#[derive(Debug)]
pub struct Loan {
    worker: Option<LoanEnd>,
}

#[derive(Debug)]
struct LoanEnd {
    requests: SyncSender<Request>,
    /// Counts ended loans, so the worker knows a loan of its batch is over.
    ended: Arc<AtomicU64>,
}

impl Loan {
    fn settle(&mut self) {
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

/// Payloads waiting to go to the worker: their bytes copied one after another, or lent.
#[derive(Debug, Default)]
struct Batch {
    payloads: Vec<Sent>,
    bytes: Vec<u8>,
    /// Given back by the worker: the flows whose inspection ended while it read the batch.
    ended: Vec<(Slot, u64)>,
    /// Address of the first payload lent (`usize::MAX`: none).
    first_lent: usize,
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
            first_lent: usize::MAX,
            loan: 0,
        }
    }
}

/// A payload in a [`Batch`]: everything of its [`Payload`] but the bytes, which are at
/// `start..start + len` of the batch's bytes, or, lent, `len` bytes at address `start`.
#[derive(Debug)]
struct Sent {
    slot: Slot,
    flow: u64,
    /// The flow's first payload.
    fresh: bool,
    start: usize,
    len: usize,
    lent: bool,
    from_client: bool,
    tcp: bool,
    seq: u32,
    client_port: u16,
    server_port: u16,
    dns_details: bool,
}

/// A batch goes once it holds this many payloads or bytes.
const BATCH_PAYLOADS: usize = 1024;
const BATCH_BYTES: usize = 256 * 1024;
/// Batches on their way to the worker at most (the table waits past it).
const BATCHES_IN_FLIGHT: usize = 16;

enum Request {
    Inspect(Batch),
    Finish(Vec<(Slot, IpAddr)>),
    /// Answered once every request before it is served.
    Barrier(SyncSender<()>),
}

/// Findings, and the request for them, emptied.
type Findings = (Vec<Option<Box<App>>>, Vec<(Slot, IpAddr)>);

/// An [`Inspector`] on a thread of its own.
#[derive(Debug)]
pub struct Worker {
    batch: Batch,
    requests: Option<SyncSender<Request>>,
    /// Addresses of the bytes lent, while a loan lasts.
    region: Option<std::ops::Range<usize>>,
    /// Loans ended so far (shared with each loan, which counts itself when it ends).
    loans_ended: Arc<AtomicU64>,
    /// Findings, each with its request given back emptied.
    findings: Receiver<Findings>,
    /// Batches the worker is done with, emptied, to fill again.
    spare: Receiver<Batch>,
    spares: Vec<Batch>,
    /// The first lent address of each batch handed over and not given back yet, oldest first.
    unread: VecDeque<usize>,
    ended: EndedFlows,
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
    fn start() -> std::io::Result<Worker> {
        let (requests, incoming) = mpsc::sync_channel::<Request>(BATCHES_IN_FLIGHT);
        let (reply, findings) = mpsc::channel();
        let (give_back, spare) = mpsc::channel();
        let mut inspector = Inspector {
            ended: Some(Vec::new()),
            ..Inspector::default()
        };
        let thread = thread::Builder::new()
            .name("identify".into())
            .spawn(move || {
                for request in incoming {
                    match request {
                        Request::Inspect(mut batch) => {
                            for sent in &batch.payloads {
                                let data = if sent.lent {
                                    // SAFETY: lent bytes stay valid until their loan ends,
                                    // and it ends only after this batch is read (a barrier
                                    // behind it in the queue).
                                    unsafe {
                                        std::slice::from_raw_parts(
                                            sent.start as *const u8,
                                            sent.len,
                                        )
                                    }
                                } else {
                                    &batch.bytes[sent.start..sent.start + sent.len]
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

    fn lend(&mut self, region: &[u8]) -> Loan {
        let Some(requests) = self.requests.clone() else {
            return Loan { worker: None };
        };
        // Payloads lent under an earlier loan are not handed over under this one.
        self.flush();
        let start = region.as_ptr() as usize;
        self.region = Some(start..start + region.len());
        self.batch.loan = self.loans_ended.load(Ordering::Relaxed);
        Loan {
            worker: Some(LoanEnd {
                requests,
                ended: Arc::clone(&self.loans_ended),
            }),
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
        let start = data.as_ptr() as usize;
        region.start <= start && start + data.len() <= region.end
    }

    fn send(&mut self, slot: Slot, flow: u64, fresh: bool, payload: &Payload<'_>) {
        let lent = self.lent(payload.data);
        let start = if lent {
            let address = payload.data.as_ptr() as usize;
            self.batch.first_lent = self.batch.first_lent.min(address);
            address
        } else {
            let bytes = &mut self.batch.bytes;
            if bytes.capacity() == 0 {
                // Room for a full batch at once, so that filling it never moves its bytes.
                bytes.reserve_exact(BATCH_BYTES + 64 * 1024);
            }
            let start = bytes.len();
            bytes.extend_from_slice(payload.data);
            start
        };
        self.batch.payloads.push(Sent {
            slot,
            flow,
            fresh,
            start,
            len: payload.data.len(),
            lent,
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

    fn flush(&mut self) {
        if self.batch.payloads.is_empty() {
            return;
        }
        let loan = self.loans_ended.load(Ordering::Relaxed);
        if self.batch.loan != loan {
            // Lent under a loan that is over: those bytes may be gone, so they are not read.
            for sent in self.batch.payloads.iter_mut().filter(|sent| sent.lent) {
                (sent.lent, sent.start, sent.len) = (false, 0, 0);
            }
        }
        self.take_back();
        let mut next = self.spares.pop().unwrap_or_else(Batch::with_room);
        next.loan = loan;
        next.first_lent = usize::MAX;
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
    fn unread_from(&mut self) -> Option<usize> {
        self.take_back();
        self.unread
            .iter()
            .chain([&self.batch.first_lent])
            .copied()
            .find(|&address| address != usize::MAX)
    }

    fn request_findings(&mut self, flows: Vec<(Slot, IpAddr)>) {
        self.flush();
        self.request(Request::Finish(flows));
    }

    fn findings(&mut self) -> Findings {
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

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;
    use crate::identify::dns::tests::{query, response};
    use crate::identify::tls::tests::{client_hello_message, in_records};

    fn payload(data: &[u8], from_client: bool, tcp: bool, server_port: u16) -> Payload<'_> {
        Payload {
            data,
            from_client,
            tcp,
            seq: 1000,
            client_port: 40000,
            server_port,
            dns_details: false,
        }
    }

    /// A DNS exchange naming 20.1.2.3, a TLS flow, a flow to 20.1.2.3 that says nothing
    /// itself, and enough other payloads to fill several batches.
    fn run(identifier: &mut Identifier) -> Vec<Option<Box<App>>> {
        let server = IpAddr::V4(Ipv4Addr::new(20, 1, 2, 3));
        let resolver = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 53));
        let hello = in_records(&client_hello_message("Login.Example.COM", &["h2"], 0), 100);
        let mut slots = vec![Slot::NONE; 3000];
        let query = query(7, "cdn.example.net");
        identifier.inspect(&mut slots[1], 1, &payload(&query, true, false, 53));
        let answer = response(7, "cdn.example.net", "edge.example.net", [20, 1, 2, 3]);
        identifier.inspect(&mut slots[1], 1, &payload(&answer, false, false, 53));
        identifier.inspect(&mut slots[2], 2, &payload(&hello, true, true, 443));
        identifier.inspect(
            &mut slots[3],
            3,
            &payload(b"\x00\x01binary", true, true, 9999),
        );
        let data = [0x55; 300];
        for (flow, slot) in slots.iter_mut().enumerate().skip(10) {
            identifier.inspect(slot, flow as u64, &payload(&data, true, false, 7777));
        }
        let mut ended = vec![(slots[1], resolver), (slots[2], server), (slots[3], server)];
        ended.extend((10..3000).map(|flow| (slots[flow], resolver)));
        identifier.finish(ended)
    }

    #[test]
    fn a_worker_finds_what_inline_inspection_finds() {
        let inline = run(&mut Identifier::inline());
        let mut worker = Identifier::start_worker();
        assert!(worker.runs_on_worker());
        let threaded = run(&mut worker);
        assert_eq!(inline, threaded);

        let info = |i: usize| inline[i].as_ref().map(|app| &app.info);
        let dns = info(0).unwrap();
        assert_eq!(dns.service, Some("dns"));
        assert_eq!(dns.detail(), Some("A NOERROR"));
        let tls = info(1).unwrap();
        assert_eq!(tls.server_name.as_deref(), Some("login.example.com"));
        assert_eq!(tls.name_source, Some(NameSource::Tls));
        // Nothing in its own payload: named by the DNS answer for its server's address.
        let named = info(2).unwrap();
        assert_eq!(
            (named.service, named.server_name.as_deref()),
            (None, Some("cdn.example.net"))
        );
        assert_eq!(named.name_source, Some(NameSource::Dns));
        assert!(
            inline[3..].iter().all(Option::is_none),
            "nothing found, nothing kept"
        );
        // A flow never inspected finds nothing.
        assert_eq!(
            worker.finish(vec![(Slot::NONE, resolver_of_nothing())]),
            vec![None]
        );
    }

    /// A slot given back goes to the next new flow, which starts from nothing: it neither
    /// inherits its predecessor's findings nor misses its own first payload.
    #[test]
    fn a_reused_slot_starts_afresh() {
        for mut identifier in [Identifier::inline(), Identifier::start_worker()] {
            let hello = in_records(&client_hello_message("first.example", &[], 0), 100);
            let mut first = Slot::NONE;
            identifier.inspect(&mut first, 1, &payload(&hello, true, true, 443));
            assert!(!identifier.runs_on_worker() || first != Slot::NONE);
            let found = identifier.finish(vec![(first, resolver_of_nothing())]);
            assert_eq!(
                found[0]
                    .as_ref()
                    .and_then(|a| a.info.server_name.as_deref()),
                Some("first.example")
            );
            let mut second = Slot::NONE;
            let data = b"GET / HTTP/1.1\r\nHost: second.example\r\n\r\n";
            identifier.inspect(&mut second, 2, &payload(data, true, true, 80));
            assert_eq!(second, first, "the freed slot is taken again");
            assert!(
                identifier.wants(second, 2),
                "the server's side is still to come"
            );
            let found = identifier.finish(vec![(second, resolver_of_nothing())]);
            let info = &found[0].as_ref().unwrap().info;
            assert_eq!(
                (
                    info.service,
                    info.server_name.as_deref(),
                    info.ja3.is_none()
                ),
                (Some("http"), Some("second.example"), true)
            );
        }
    }

    /// Payloads lent to a worker are read where they lie, and only while the loan lasts: once
    /// it has ended the bytes may change without changing what was found, and payloads lent
    /// under a loan dropped before they were handed over are never read.
    #[test]
    fn lent_payloads_are_read_in_place_and_only_while_lent() {
        let hello = in_records(&client_hello_message("lent.example", &[], 0), 100);
        let mut identifier = Identifier::start_worker();
        assert!(identifier.runs_on_worker());

        let mut region = hello.clone();
        // SAFETY: `region` is left alone until the loan has ended.
        let loan = unsafe { identifier.lend(&region) };
        let mut slot = Slot::NONE;
        identifier.inspect(&mut slot, 1, &payload(&region, true, true, 443));
        assert!(
            identifier.unread_lent_from().is_some(),
            "lent and not read yet"
        );
        identifier.end_loan(loan);
        assert_eq!(identifier.unread_lent_from(), None);
        region.fill(0);
        let found = identifier.finish(vec![(slot, resolver_of_nothing())]);
        let name = found[0]
            .as_ref()
            .and_then(|a| a.info.server_name.as_deref());
        assert_eq!(name, Some("lent.example"));

        let mut region = hello.clone();
        // SAFETY: as above; the loan is dropped, which waits for the worker, before `region`
        // changes.
        let loan = unsafe { identifier.lend(&region) };
        let mut slot = Slot::NONE;
        identifier.inspect(&mut slot, 2, &payload(&region, true, true, 443));
        drop(loan);
        // Another hello of the same length: reading it would name the flow.
        let other = in_records(&client_hello_message("evil.example", &[], 0), 100);
        region.copy_from_slice(&other);
        let found = identifier.finish(vec![(slot, resolver_of_nothing())]);
        assert_eq!(found, vec![None], "a payload of a dropped loan is not read");

        // A payload outside the region is copied, so it may change at once.
        let region = vec![0u8; 64];
        // SAFETY: `region` is not changed at all.
        let loan = unsafe { identifier.lend(&region) };
        let mut elsewhere = hello.clone();
        let mut slot = Slot::NONE;
        identifier.inspect(&mut slot, 3, &payload(&elsewhere, true, true, 443));
        elsewhere.fill(0);
        identifier.end_loan(loan);
        let found = identifier.finish(vec![(slot, resolver_of_nothing())]);
        let name = found[0]
            .as_ref()
            .and_then(|a| a.info.server_name.as_deref());
        assert_eq!(name, Some("lent.example"));
    }

    fn resolver_of_nothing() -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))
    }
}
