//! Where payloads are identified: an [`Identifier`] runs the [`Inspector`] on the flow
//! table's thread or on a [`Worker`] thread of its own, with the same results: the worker sees
//! the same payloads in the same order, and a flow's findings are collected only after every
//! payload sent before. On a mapped capture the worker reads payloads where they lie (see
//! [`Identifier::lend`]).

use std::net::IpAddr;

use super::inspector::{Inspector, Slot, Slots};
use super::loan::Loan;
use super::worker::Worker;
use super::{App, Payload};

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
            Place::Inline(_) => Loan::none(),
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

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;
    use crate::identify::NameSource;
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
