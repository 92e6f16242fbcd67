//! Identification of many flows at once: each flow's [`App`] by the flow's creation number,
//! and the names DNS answers give to addresses. An [`Identifier`] runs it on the flow table's
//! thread or on a worker thread of its own, with the same results: the worker sees the same
//! payloads in the same order, and a flow's findings are collected only after every payload
//! sent before.

use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::{self, JoinHandle};

use rustc_hash::FxHashMap;

use super::{App, AppInfo, NameSource, Payload};

/// Addresses named by DNS answers that are remembered; past it the memory starts over.
const MAX_DNS_NAMES: usize = 1 << 20;

/// Every flow's identification, and the names DNS answers gave to addresses.
#[derive(Debug, Default)]
pub struct Inspector {
    apps: FxHashMap<u64, App>,
    dns_names: FxHashMap<IpAddr, Arc<str>>,
    /// Answers found in the payload being inspected.
    new_names: Vec<(IpAddr, Arc<str>)>,
    /// Where flows whose inspection ended are told (on a worker).
    ended: Option<Arc<EndedFlows>>,
    /// Findings asked for and not collected yet (inline).
    found: VecDeque<Vec<Option<Box<App>>>>,
}

impl Inspector {
    /// Look at one payload of flow number `flow`.
    pub fn inspect(&mut self, flow: u64, payload: &Payload<'_>) {
        let app = self.apps.entry(flow).or_default();
        if !app.inspecting() {
            return;
        }
        app.inspect(payload, &mut self.new_names);
        if !app.inspecting()
            && let Some(ended) = &self.ended
        {
            ended.mark(flow);
        }
        if !self.new_names.is_empty() {
            if self.dns_names.len() >= MAX_DNS_NAMES {
                self.dns_names.clear();
            }
            self.dns_names.extend(self.new_names.drain(..));
        }
    }

    /// Flow number `flow`, whose server is `server`, is over: what was found about it (nothing
    /// when nothing was), its server named from DNS answers seen so far if its payload gave
    /// no name.
    pub fn finish(&mut self, flow: u64, server: IpAddr) -> Option<Box<App>> {
        let mut app = self.apps.remove(&flow).and_then(|mut found| {
            found.close();
            // A flow whose payload said nothing keeps nothing: long lists hold many of them.
            (!found.is_empty()).then(|| Box::new(found))
        });
        let unnamed = app.as_ref().is_none_or(|a| a.info.server_name.is_none());
        if unnamed && let Some(name) = self.dns_names.get(&server) {
            let named = app.get_or_insert_with(|| Box::new(App::found(AppInfo::default())));
            named.info.server_name = Some(Arc::clone(name));
            named.info.name_source = Some(NameSource::Dns);
        }
        app
    }

    /// [`Inspector::finish`] for each of the flows `(number, server address)`, in order.
    fn finish_all(&mut self, flows: Vec<(u64, IpAddr)>) -> Vec<Option<Box<App>>> {
        flows
            .into_iter()
            .map(|(flow, server)| self.finish(flow, server))
            .collect()
    }
}

/// Flows whose inspection ended, as a worker tells the flow table so that it stops copying
/// their payloads: one slot per flow number modulo the size, holding the number plus one. A
/// slot seen late, or taken over by another flow, only means a payload copied in vain: the
/// worker ignores payloads of flows it is done with, so results never depend on timing.
#[derive(Debug)]
struct EndedFlows {
    slots: Box<[AtomicU64]>,
}

const ENDED_SLOTS: usize = 1 << 16;

impl EndedFlows {
    fn new() -> EndedFlows {
        EndedFlows {
            slots: (0..ENDED_SLOTS).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    fn slot(&self, flow: u64) -> &AtomicU64 {
        &self.slots[(flow as usize) & (ENDED_SLOTS - 1)]
    }

    fn mark(&self, flow: u64) {
        self.slot(flow)
            .store(flow.wrapping_add(1), Ordering::Relaxed);
    }

    fn contains(&self, flow: u64) -> bool {
        self.slot(flow).load(Ordering::Relaxed) == flow.wrapping_add(1)
    }
}

/// Where payloads are identified.
#[derive(Debug)]
pub enum Identifier {
    /// On the caller's thread, as payloads come.
    Inline(Inspector),
    /// On a thread of its own, fed in batches.
    Worker(Worker),
}

impl Identifier {
    pub fn inline() -> Identifier {
        Identifier::Inline(Inspector::default())
    }

    /// On a worker thread; inline if no thread can be started.
    pub fn on_worker() -> Identifier {
        Worker::start().map_or_else(|_| Identifier::inline(), Identifier::Worker)
    }

    /// Whether payloads of flow number `flow` are still wanted (a hint: those of a flow
    /// whose inspection ended are ignored anyway).
    pub fn wants(&self, flow: u64) -> bool {
        match self {
            Identifier::Inline(_) => true,
            Identifier::Worker(worker) => !worker.ended.contains(flow),
        }
    }

    /// Look at one payload of flow number `flow`.
    pub fn inspect(&mut self, flow: u64, payload: &Payload<'_>) {
        match self {
            Identifier::Inline(inspector) => inspector.inspect(flow, payload),
            Identifier::Worker(worker) => worker.send(flow, payload),
        }
    }

    /// The flows `(number, server address)` are over: their findings, in the same order.
    pub fn finish(&mut self, flows: Vec<(u64, IpAddr)>) -> Vec<Option<Box<App>>> {
        self.request_findings(flows);
        self.findings()
    }

    /// The flows `(number, server address)` are over: ask for their findings, which
    /// [`Identifier::findings`] returns in the order asked. A worker works on them meanwhile.
    pub fn request_findings(&mut self, flows: Vec<(u64, IpAddr)>) {
        match self {
            Identifier::Inline(inspector) => {
                let found = inspector.finish_all(flows);
                inspector.found.push_back(found);
            }
            Identifier::Worker(worker) => worker.request_findings(flows),
        }
    }

    /// The findings of the earliest request not collected yet.
    pub fn findings(&mut self) -> Vec<Option<Box<App>>> {
        match self {
            Identifier::Inline(inspector) => inspector.found.pop_front().unwrap_or_default(),
            Identifier::Worker(worker) => worker.findings(),
        }
    }
}

/// Payloads waiting to go to the worker: their bytes copied one after another.
#[derive(Debug, Default)]
struct Batch {
    payloads: Vec<Sent>,
    bytes: Vec<u8>,
}

impl Batch {
    /// Room for a full batch, so that filling it never moves its bytes.
    fn with_room() -> Batch {
        Batch {
            payloads: Vec::with_capacity(BATCH_PAYLOADS),
            bytes: Vec::with_capacity(BATCH_BYTES + 64 * 1024),
        }
    }
}

/// A payload in a [`Batch`]: everything of its [`Payload`] but the bytes, which are at
/// `start..start + len` of the batch's bytes.
#[derive(Debug)]
struct Sent {
    flow: u64,
    start: usize,
    len: usize,
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
    Finish(Vec<(u64, IpAddr)>),
}

/// An [`Inspector`] on a thread of its own.
#[derive(Debug)]
pub struct Worker {
    batch: Batch,
    requests: Option<SyncSender<Request>>,
    findings: Receiver<Vec<Option<Box<App>>>>,
    /// Batches the worker is done with, emptied, to fill again.
    spare: Receiver<Batch>,
    ended: Arc<EndedFlows>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Request::Inspect(batch) => write!(f, "Inspect({} payloads)", batch.payloads.len()),
            Request::Finish(flows) => write!(f, "Finish({} flows)", flows.len()),
        }
    }
}

impl Worker {
    fn start() -> std::io::Result<Worker> {
        let (requests, incoming) = mpsc::sync_channel::<Request>(BATCHES_IN_FLIGHT);
        let (reply, findings) = mpsc::channel();
        let (give_back, spare) = mpsc::channel();
        let ended = Arc::new(EndedFlows::new());
        let mut inspector = Inspector {
            ended: Some(Arc::clone(&ended)),
            ..Inspector::default()
        };
        let thread = thread::Builder::new()
            .name("identify".into())
            .spawn(move || {
                for request in incoming {
                    match request {
                        Request::Inspect(mut batch) => {
                            for sent in &batch.payloads {
                                let payload = Payload {
                                    data: &batch.bytes[sent.start..sent.start + sent.len],
                                    from_client: sent.from_client,
                                    tcp: sent.tcp,
                                    seq: sent.seq,
                                    client_port: sent.client_port,
                                    server_port: sent.server_port,
                                    dns_details: sent.dns_details,
                                };
                                inspector.inspect(sent.flow, &payload);
                            }
                            batch.payloads.clear();
                            batch.bytes.clear();
                            let _ = give_back.send(batch);
                        }
                        Request::Finish(flows) => {
                            if reply.send(inspector.finish_all(flows)).is_err() {
                                return;
                            }
                        }
                    }
                }
            })?;
        Ok(Worker {
            batch: Batch::with_room(),
            requests: Some(requests),
            findings,
            spare,
            ended,
            thread: Some(thread),
        })
    }

    fn send(&mut self, flow: u64, payload: &Payload<'_>) {
        let start = self.batch.bytes.len();
        self.batch.bytes.extend_from_slice(payload.data);
        self.batch.payloads.push(Sent {
            flow,
            start,
            len: payload.data.len(),
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
        let next = self.spare.try_recv().unwrap_or_else(|_| Batch::with_room());
        let batch = std::mem::replace(&mut self.batch, next);
        self.request(Request::Inspect(batch));
    }

    fn request_findings(&mut self, flows: Vec<(u64, IpAddr)>) {
        self.flush();
        self.request(Request::Finish(flows));
    }

    fn findings(&mut self) -> Vec<Option<Box<App>>> {
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
        identifier.inspect(1, &payload(&query(7, "cdn.example.net"), true, false, 53));
        let answer = response(7, "cdn.example.net", "edge.example.net", [20, 1, 2, 3]);
        identifier.inspect(1, &payload(&answer, false, false, 53));
        identifier.inspect(2, &payload(&hello, true, true, 443));
        identifier.inspect(3, &payload(b"\x00\x01binary", true, true, 9999));
        for flow in 10..3000 {
            identifier.inspect(flow, &payload(&[0x55; 300], true, false, 7777));
        }
        let mut ended = vec![(1, resolver), (2, server), (3, server)];
        ended.extend((10..3000).map(|flow| (flow, resolver)));
        identifier.finish(ended)
    }

    #[test]
    fn a_worker_finds_what_inline_inspection_finds() {
        let inline = run(&mut Identifier::inline());
        let mut worker = Identifier::on_worker();
        assert!(matches!(worker, Identifier::Worker(_)));
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
        // Finished flows leave the worker's memory; a flow never seen finds nothing.
        assert_eq!(worker.finish(vec![(1, resolver_of_nothing())]), vec![None]);
    }

    fn resolver_of_nothing() -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))
    }
}
