//! The table of live flows: one hash lookup per packet, idle flows expired as capture time
//! advances so memory follows the number of concurrent flows, not the capture's length.

use std::collections::VecDeque;

use rustc_hash::FxHashMap;

use super::profile::{ProfileSpec, Profiler};
use super::tcp_state::TcpConnection;

use super::{Contribution, Flow, FlowIdent, FlowKey, PROTO_TCP, PROTO_UDP, Side};
use crate::capture::Timestamp;
use crate::dissect::tcp_flags::{ACK, SYN};
use crate::identify::{App, PACKETS_PER_SIDE, Payload};
use crate::identify::{Identifier, Loan, Slot};

const NANOS_PER_SEC: u64 = 1_000_000_000;

/// How long a flow may stay silent before its next packet starts a new flow. `None` disables
/// the split for that protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdleTimeouts {
    pub tcp: Option<u64>,
    pub udp: Option<u64>,
    /// ICMP and every other protocol.
    pub other: Option<u64>,
}

impl IdleTimeouts {
    /// Zeek's inactivity timeouts: TCP 5 minutes, UDP and ICMP 1 minute.
    pub fn zeek_defaults() -> Self {
        IdleTimeouts {
            tcp: Some(300 * NANOS_PER_SEC),
            udp: Some(60 * NANOS_PER_SEC),
            other: Some(60 * NANOS_PER_SEC),
        }
    }

    /// One timeout for every protocol, in nanoseconds; zero disables idle splitting.
    pub fn uniform(nanos: u64) -> Self {
        let t = (nanos > 0).then_some(nanos);
        IdleTimeouts {
            tcp: t,
            udp: t,
            other: t,
        }
    }

    pub fn for_proto(&self, proto: u8) -> Option<u64> {
        match proto {
            PROTO_TCP => self.tcp,
            PROTO_UDP => self.udp,
            _ => self.other,
        }
    }

    /// How often (in capture time) to look for idle flows: half the shortest timeout.
    fn sweep_interval(&self) -> Option<u64> {
        [self.tcp, self.udp, self.other]
            .into_iter()
            .flatten()
            .min()
            .map(|t| (t / 2).max(1))
    }
}

impl Default for IdleTimeouts {
    fn default() -> Self {
        IdleTimeouts::zeek_defaults()
    }
}

/// A flow key as five machine words, for the hash map: hashing and comparing them is a few
/// instructions, where the readable [`FlowKey`] (with its `IpAddr` enums) takes dozens.
#[derive(Clone, Copy, Debug, Eq)]
struct PackedKey([u64; 5]);

impl std::hash::Hash for PackedKey {
    #[inline]
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl PartialEq for PackedKey {
    /// Word by word without branches: the derived comparison of the array can become a call
    /// to `memcmp`, once per packet.
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (&self.0, &other.0);
        ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]) | (a[4] ^ b[4])) == 0
    }
}

impl PackedKey {
    fn new(key: &FlowKey) -> PackedKey {
        // IPv4 in the IPv4-mapped range; the family bit in the last word keeps an IPv4-mapped
        // IPv6 address apart from its IPv4 twin.
        let bits = |addr: std::net::IpAddr| match addr {
            std::net::IpAddr::V4(v4) => (0xffff_0000_0000 | u128::from(u32::from(v4)), 1u64),
            std::net::IpAddr::V6(v6) => (u128::from(v6), 0),
        };
        let ((a, a_v4), (b, _)) = (bits(key.a.addr), bits(key.b.addr));
        let ident = match key.ident {
            FlowIdent::Ports => 0,
            FlowIdent::IcmpEcho(id) => 0x1_0000 | u64::from(id),
            FlowIdent::Addresses => 0x2_0000,
        };
        PackedKey([
            a as u64,
            (a >> 64) as u64,
            b as u64,
            (b >> 64) as u64,
            u64::from(key.a.port) << 48
                | u64::from(key.b.port) << 32
                | u64::from(key.proto) << 24
                | a_v4 << 20
                | ident,
        ])
    }
}

#[derive(Debug)]
pub struct FlowTable {
    /// Live flows by their packed key (the flow itself keeps the readable one).
    active: FxHashMap<PackedKey, Flow>,
    finished: Vec<Flow>,
    timeouts: IdleTimeouts,
    /// How often to look for idle flows, in capture time: half the shortest timeout.
    sweep_interval: Option<u64>,
    next_sequence: u64,
    /// The latest packet time seen: capture time, which drives expiry.
    now: Timestamp,
    next_sweep: Option<Timestamp>,
    /// Most flows held at once, if limited.
    max_active: Option<usize>,
    /// Flows ended early to stay within `max_active`.
    evicted: u64,
    /// Most flows held at once so far.
    peak_active: usize,
    /// Where payloads are inspected to identify services and server names (`None`: they
    /// are not).
    identifier: Option<Identifier>,
    /// DNS answers are kept whole (aliases too), for the DNS view.
    dns_details: bool,
    /// A sweep or an eviction ended flows since they were last taken.
    batch_ended: bool,
    /// Profiles every flow's packets in time slices, when a view asked for it.
    profiler: Option<Profiler>,
}

/// Flows that ended one by one are taken in batches of this many.
const DELIVERY_BATCH: usize = 256;

impl FlowTable {
    pub fn new(timeouts: IdleTimeouts) -> Self {
        FlowTable {
            active: FxHashMap::default(),
            finished: Vec::new(),
            timeouts,
            sweep_interval: timeouts.sweep_interval(),
            next_sequence: 0,
            now: Timestamp::MIN,
            next_sweep: None,
            max_active: None,
            evicted: 0,
            peak_active: 0,
            identifier: Some(Identifier::inline()),
            dns_details: false,
            batch_ended: false,
            profiler: None,
        }
    }

    /// Hold at most `max` flows (at least 1): when a new flow would exceed it, the flows idle
    /// the longest end early, as if their idle timeout had passed.
    pub fn with_max_flows(mut self, max: Option<usize>) -> Self {
        self.max_active = max.map(|m| m.max(1));
        self
    }

    /// Inspect payloads (the default, on this thread) or not.
    pub fn with_identification(mut self, identify: bool) -> Self {
        self.identifier = identify.then(Identifier::inline);
        self
    }

    /// Inspect payloads there (`None`: not at all).
    pub fn with_identifier(mut self, identifier: Option<Identifier>) -> Self {
        self.identifier = identifier;
        self
    }

    /// Let identification read payloads inside `region` where they lie (see
    /// [`Identifier::lend`]) until [`FlowTable::end_loan`].
    ///
    /// # Safety
    /// As for [`Identifier::lend`]: `region` stays readable and unchanged until the loan is
    /// ended or dropped.
    pub unsafe fn lend_payloads(&mut self, region: &[u8]) -> Option<Loan> {
        // SAFETY: passed on to the caller.
        self.identifier
            .as_mut()
            .map(|identifier| unsafe { identifier.lend(region) })
    }

    /// The lowest address of lent payload bytes identification may still read.
    pub fn unread_lent_from(&mut self) -> Option<usize> {
        self.identifier
            .as_mut()
            .and_then(Identifier::unread_lent_from)
    }

    /// Payloads lent are no longer read once this returns.
    pub fn end_loan(&mut self, loan: Option<Loan>) {
        if let (Some(identifier), Some(loan)) = (self.identifier.as_mut(), loan) {
            identifier.end_loan(loan);
        }
    }

    /// Keep every DNS answer, aliases included (the DNS view lists them).
    pub fn with_dns_details(mut self, keep: bool) -> Self {
        self.dns_details = keep;
        self
    }

    /// Count every flow's packets in the time slices of `spec` (see [`super::profile`]).
    pub fn with_profiles(mut self, spec: Option<ProfileSpec>) -> Self {
        self.profiler = spec.map(Profiler::new);
        self
    }

    /// The capture's first packet is at `ts` (profiles on a grid from the first packet start
    /// there).
    pub fn set_first_packet(&mut self, ts: Timestamp) {
        if let Some(profiler) = self.profiler.as_mut() {
            profiler.set_first_packet(ts);
        }
    }

    /// Flows ended early because the table was full.
    pub fn evicted_flows(&self) -> u64 {
        self.evicted
    }

    /// Most flows held at once.
    pub fn peak_active_flows(&self) -> usize {
        self.peak_active
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Flows started so far (each split of a 5-tuple counts).
    pub fn flows_started(&self) -> u64 {
        self.next_sequence
    }

    /// Flows currently held in memory.
    pub fn active_flows(&self) -> usize {
        self.active.len()
    }

    /// Count `contribution` (one packet, or held-back fragments) sent by `from` in flow `key`;
    /// `payload` is the packet's captured transport payload (empty for held-back fragments),
    /// `tcp_seq` its TCP sequence number.
    pub fn add(
        &mut self,
        key: FlowKey,
        from: Side,
        contribution: &Contribution,
        payload: &[u8],
        tcp_seq: u32,
    ) {
        self.now = self.now.max(contribution.last);
        let timeout = self.timeouts.for_proto(key.proto);
        let packed = PackedKey::new(&key);
        if self
            .max_active
            .is_some_and(|max| self.active.len() >= max && !self.active.contains_key(&packed))
        {
            self.evict_idlest();
        }
        let live = self.active.len();
        let flow = match self.active.entry(packed) {
            std::collections::hash_map::Entry::Occupied(entry) => {
                let flow = entry.into_mut();
                let idle = timeout
                    .is_some_and(|limit| contribution.first.nanos_since(flow.last_seen) > limit);
                let new_connection = contribution
                    .tcp_flags
                    .is_some_and(|f| f & (SYN | ACK) == SYN)
                    && flow.tcp.is_some_and(|t| t.is_finished());
                if idle || new_connection {
                    let sequence = self.next_sequence;
                    self.next_sequence += 1;
                    let previous =
                        std::mem::replace(flow, start(key, from, contribution, sequence));
                    self.finished.push(previous);
                }
                flow
            }
            std::collections::hash_map::Entry::Vacant(entry) => {
                let sequence = self.next_sequence;
                self.next_sequence += 1;
                self.peak_active = self.peak_active.max(live + 1);
                entry.insert(start(key, from, contribution, sequence))
            }
        };
        apply(flow, from, contribution);
        if let Some(profiler) = self.profiler.as_mut() {
            profiler.record(&mut flow.profile, from, contribution);
        }
        if let Some(identifier) = self.identifier.as_mut()
            && !payload.is_empty()
            && inspection_wanted(flow.inspected[from.index()], &key)
            && identifier.wants(flow.slot, flow.sequence)
        {
            flow.inspected[from.index()] += 1;
            let (client, server) = (flow.src(), flow.dst());
            let seen = Payload {
                data: payload,
                from_client: from == flow.initiator,
                tcp: key.proto == PROTO_TCP,
                seq: tcp_seq,
                client_port: client.port,
                server_port: server.port,
                dns_details: self.dns_details,
            };
            identifier.inspect(&mut flow.slot, flow.sequence, &seen);
        }
        if let Some(interval) = self.sweep_interval {
            match self.next_sweep {
                Some(at) if self.now < at => {}
                Some(_) => {
                    self.expire_idle();
                    self.next_sweep = Some(after(self.now, interval));
                }
                None => self.next_sweep = Some(after(self.now, interval)),
            }
        }
    }

    /// Move flows that have been idle past their timeout out of the table: their records are
    /// final, since their next packet would start a new flow anyway. Each batch is in start
    /// order, so output streamed from it reads naturally and never depends on hash order.
    fn expire_idle(&mut self) {
        let now = self.now;
        let timeouts = self.timeouts;
        let mut expired: Vec<Flow> = self
            .active
            .extract_if(|_, flow| {
                timeouts
                    .for_proto(flow.key.proto)
                    .is_some_and(|limit| now.nanos_since(flow.last_seen) > limit)
            })
            .map(|(_, flow)| flow)
            .collect();
        expired.sort_unstable_by_key(|f| (f.first_seen, f.sequence));
        self.batch_ended |= !expired.is_empty();
        self.finished.append(&mut expired);
    }

    /// The table is full: end the flows idle the longest, a sixteenth of the limit at a time so
    /// the scan over the table is paid once per many new flows, not once per packet. Which
    /// flows go depends only on their times and creation order, never on hash order.
    fn evict_idlest(&mut self) {
        let Some(max) = self.max_active else {
            return;
        };
        let keep = max - 1 - (max / 16).min(max - 1);
        let count = self.active.len().saturating_sub(keep);
        if count == 0 {
            return;
        }
        let mut ages: Vec<(Timestamp, u64)> = self
            .active
            .values()
            .map(|f| (f.last_seen, f.sequence))
            .collect();
        let (_, &mut threshold, _) = ages.select_nth_unstable(count - 1);
        let mut evicted: Vec<Flow> = self
            .active
            .extract_if(|_, f| (f.last_seen, f.sequence) <= threshold)
            .map(|(_, flow)| flow)
            .collect();
        evicted.sort_unstable_by_key(|f| (f.first_seen, f.sequence));
        self.evicted += evicted.len() as u64;
        self.batch_ended |= !evicted.is_empty();
        self.finished.append(&mut evicted);
    }

    /// Whether the flows waiting in [`FlowTable::drain_finished`] are worth taking now: a
    /// sweep or an eviction ended some, or enough ended one by one (each taking costs a
    /// round trip to the identification thread).
    pub fn has_finished(&self) -> bool {
        self.batch_ended || self.finished.len() >= DELIVERY_BATCH
    }

    /// Flows whose records are final, in the order they ended (and in start order within one
    /// sweep), with what identification found. They leave the table's memory as they are
    /// taken.
    pub fn drain_finished(&mut self) -> FinishedFlows<'_> {
        self.batch_ended = false;
        let mut flows = FinishedFlows {
            identifier: self.identifier.as_mut(),
            flows: std::mem::take(&mut self.finished).into_iter(),
            found: Vec::new().into_iter(),
            asked: VecDeque::new(),
        };
        flows.request_ahead(2);
        flows
    }

    /// End of capture: every open flow is final now; they follow in start order.
    pub fn close_all(&mut self) {
        // Straight into the finished list, grown once: collected apart and then appended, they
        // were held twice meanwhile.
        let start = self.finished.len();
        self.finished.reserve_exact(self.active.len());
        self.finished
            .extend(self.active.drain().map(|(_, flow)| flow));
        self.finished[start..].sort_unstable_by_key(|f| (f.first_seen, f.sequence));
    }

    /// Every flow, finished or still open, ordered by start time (then creation order).
    pub fn into_flows(mut self) -> Vec<Flow> {
        self.close_all();
        let mut flows: Vec<Flow> = self.drain_finished().collect();
        flows.sort_unstable_by_key(|f| (f.first_seen, f.sequence));
        flows
    }
}

/// Finished flows are given their findings this many at a time.
const FINDINGS_CHUNK: usize = 1024;

/// Finished flows, with their findings (see [`FlowTable::drain_finished`]). Findings are
/// asked for a chunk at a time, two chunks ahead: a worker finds the next while these are
/// written.
pub struct FinishedFlows<'t> {
    identifier: Option<&'t mut Identifier>,
    flows: std::vec::IntoIter<Flow>,
    /// Findings of the next `found.len()` flows.
    found: std::vec::IntoIter<Option<Box<App>>>,
    /// Sizes of the chunks of flows after those whose findings were asked for.
    asked: VecDeque<usize>,
}

impl FinishedFlows<'_> {
    /// Ask for findings until `chunks` chunks are asked for and not collected.
    fn request_ahead(&mut self, chunks: usize) {
        let Some(identifier) = self.identifier.as_deref_mut() else {
            return;
        };
        while self.asked.len() < chunks {
            let start = self.found.len() + self.asked.iter().sum::<usize>();
            let waiting = &self.flows.as_slice()[start.min(self.flows.len())..];
            if waiting.is_empty() {
                break;
            }
            let chunk = &waiting[..waiting.len().min(FINDINGS_CHUNK)];
            let mut request = identifier.request_buffer();
            request.extend(chunk.iter().map(|f| (f.slot, f.dst().addr)));
            identifier.request_findings(request);
            self.asked.push_back(chunk.len());
        }
    }
}

impl Iterator for FinishedFlows<'_> {
    type Item = Flow;

    fn next(&mut self) -> Option<Flow> {
        let mut flow = self.flows.next()?;
        if let Some(identifier) = self.identifier.as_deref_mut() {
            if self.found.len() == 0 && self.asked.pop_front().is_some() {
                self.found = identifier.findings().into_iter();
            }
            flow.app = self.found.next().flatten();
            self.request_ahead(2);
        }
        Some(flow)
    }
}

impl Drop for FinishedFlows<'_> {
    /// Flows not taken still leave the identification's memory, and no findings are left
    /// waiting for the next taker.
    fn drop(&mut self) {
        self.request_ahead(usize::MAX);
        if let Some(identifier) = self.identifier.as_deref_mut() {
            for _ in self.asked.drain(..) {
                identifier.findings();
            }
        }
    }
}

/// Whether a side of a flow that handed `inspected` payload packets to identification hands
/// on the next: the few identification reads of each side (it may stop sooner, once it
/// knows, but the table learns that late from a worker); DNS flows carry names in every
/// message.
fn inspection_wanted(inspected: u8, key: &FlowKey) -> bool {
    let dns_port = |port: u16| matches!(port, 53 | 5353 | 5355);
    inspected < PACKETS_PER_SIDE
        || (inspected < 128 && (dns_port(key.a.port) || dns_port(key.b.port)))
}

fn after(ts: Timestamp, nanos: u64) -> Timestamp {
    Timestamp::from_nanos(
        ts.as_nanos()
            .saturating_add(nanos.min(i64::MAX as u64) as i64),
    )
}

fn start(key: FlowKey, from: Side, contribution: &Contribution, sequence: u64) -> Flow {
    let tcp = (key.proto == PROTO_TCP && key.has_ports()).then(TcpConnection::default);
    // A SYN-ACK as the first packet seen answers a SYN we missed: its receiver initiated.
    let initiator = match contribution.tcp_flags {
        Some(f) if f & (SYN | ACK) == (SYN | ACK) => from.other(),
        _ => from,
    };
    Flow {
        key,
        initiator,
        first_seen: contribution.first,
        last_seen: contribution.last,
        counters: Default::default(),
        tcp,
        sequence,
        app: None,
        inspected: [0; 2],
        slot: Slot::NONE,
        profile: None,
    }
}

fn apply(flow: &mut Flow, from: Side, c: &Contribution) {
    flow.first_seen = flow.first_seen.earliest(c.first);
    flow.last_seen = flow.last_seen.max(c.last);
    let syn_seen_before = (flow.counters[0].tcp_flags | flow.counters[1].tcp_flags) & SYN != 0;
    let counters = &mut flow.counters[from.index()];
    counters.packets += c.packets;
    counters.bytes += c.bytes;
    counters.payload_bytes += c.payload_bytes;
    let (Some(flags), Some(tcp)) = (c.tcp_flags, flow.tcp.as_mut()) else {
        return;
    };
    counters.tcp_flags |= flags;
    // A SYN without ACK marks its sender as the initiator, even after midstream packets.
    if flags & (SYN | ACK) == SYN && !syn_seen_before && from != flow.initiator {
        flow.initiator = from;
    }
    let payload = u32::try_from(c.payload_bytes).unwrap_or(u32::MAX);
    if tcp.on_segment(from.index(), flow.initiator.index(), flags, payload) {
        flow.initiator = flow.initiator.other();
    }
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use super::*;
    use crate::dissect::Transport;
    use crate::dissect::tcp_flags::{FIN, RST};

    fn ip(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, last))
    }

    fn secs(s: i64) -> Timestamp {
        Timestamp::from_nanos(s * 1_000_000_000)
    }

    fn tcp(table: &mut FlowTable, t: i64, from_client: bool, flags: u8, len: u32) {
        let (src, dst, sport, dport) = if from_client {
            (ip(2), ip(1), 40000, 443)
        } else {
            (ip(1), ip(2), 443, 40000)
        };
        let transport = Transport::Ports {
            src: sport,
            dst: dport,
            tcp_flags: flags,
        };
        let (key, side) = FlowKey::new(src, dst, PROTO_TCP, transport);
        table.add(
            key,
            side,
            &Contribution::packet(secs(t), 60 + len, len, Some(flags)),
            &[],
            0,
        );
    }

    #[test]
    fn syn_marks_the_initiator_whichever_side_sorts_first() {
        let mut table = FlowTable::new(IdleTimeouts::zeek_defaults());
        tcp(&mut table, 0, true, SYN, 0);
        tcp(&mut table, 1, false, SYN | ACK, 0);
        tcp(&mut table, 2, true, ACK, 10);
        let flows = table.into_flows();
        assert_eq!(flows.len(), 1);
        assert_eq!(flows[0].src().addr, ip(2));
        assert_eq!(flows[0].sent().packets, 2);
        assert_eq!(flows[0].received().packets, 1);
        assert_eq!(flows[0].tcp_state(), Some("S1"));
    }

    #[test]
    fn synack_first_makes_its_receiver_the_initiator() {
        let mut table = FlowTable::new(IdleTimeouts::zeek_defaults());
        tcp(&mut table, 0, false, SYN | ACK, 0);
        tcp(&mut table, 1, true, ACK, 0);
        let flows = table.into_flows();
        assert_eq!(flows[0].src().port, 40000);
    }

    #[test]
    fn new_syn_after_close_or_reset_starts_a_new_flow() {
        let mut table = FlowTable::new(IdleTimeouts::zeek_defaults());
        tcp(&mut table, 0, true, SYN, 0);
        tcp(&mut table, 1, false, RST | ACK, 0);
        tcp(&mut table, 2, true, SYN, 0); // retry on the same port
        tcp(&mut table, 3, false, SYN | ACK, 0);
        tcp(&mut table, 4, true, FIN | ACK, 0);
        tcp(&mut table, 5, false, FIN | ACK, 0);
        tcp(&mut table, 6, true, ACK, 0); // the last ACK stays in the closed flow
        let flows = table.into_flows();
        let states: Vec<_> = flows.iter().map(|f| f.tcp_state()).collect();
        assert_eq!(states, [Some("REJ"), Some("SF")]);
        assert_eq!(flows[1].total_packets(), 5);
    }

    #[test]
    fn idle_gap_splits_and_zero_disables() {
        for (timeouts, expected) in [
            (IdleTimeouts::zeek_defaults(), 2),
            (IdleTimeouts::uniform(0), 1),
        ] {
            let mut table = FlowTable::new(timeouts);
            tcp(&mut table, 0, true, ACK, 10);
            tcp(&mut table, 301, true, ACK, 10);
            assert_eq!(table.into_flows().len(), expected);
        }
    }

    #[test]
    fn idle_flows_leave_memory_as_time_advances() {
        let mut table = FlowTable::new(IdleTimeouts::uniform(60 * NANOS_PER_SEC));
        for i in 0..1000u16 {
            let transport = Transport::Ports {
                src: i,
                dst: 53,
                tcp_flags: 0,
            };
            let (key, side) = FlowKey::new(ip(1), ip(2), PROTO_UDP, transport);
            table.add(
                key,
                side,
                &Contribution::packet(secs(i64::from(i)), 80, 40, None),
                &[],
                0,
            );
        }
        // Only the flows of the last minute (plus one sweep interval) remain live.
        assert!(table.active_flows() <= 91, "{}", table.active_flows());
        assert_eq!(table.into_flows().len(), 1000);
    }

    #[test]
    fn a_full_table_ends_the_idlest_flows_and_loses_no_packet() {
        let udp = |port: u16| {
            FlowKey::new(
                ip(1),
                ip(2),
                PROTO_UDP,
                Transport::Ports {
                    src: port,
                    dst: 53,
                    tcp_flags: 0,
                },
            )
        };
        let mut table = FlowTable::new(IdleTimeouts::uniform(0)).with_max_flows(Some(100));
        let mut packets = 0;
        for i in 0..1000u16 {
            // Port 7 stays busy all along: it is never the idlest, so it is never ended.
            for port in [i, 7] {
                let (key, side) = udp(port);
                table.add(
                    key,
                    side,
                    &Contribution::packet(secs(i64::from(i)), 80, 40, None),
                    &[],
                    0,
                );
                packets += 1;
                assert!(table.active_flows() <= 100);
            }
        }
        assert_eq!(table.peak_active_flows(), 100);
        let evicted = table.evicted_flows();
        assert!(evicted >= 899, "{evicted}");
        // The survivors are the most recent flows.
        assert!(
            table
                .active
                .values()
                .filter(|f| f.src().port != 7)
                .all(|f| f.first_seen >= secs(890))
        );
        let flows = table.into_flows();
        assert_eq!(flows.iter().map(Flow::total_packets).sum::<u64>(), packets);
        let busy: Vec<_> = flows.iter().filter(|f| f.src().port == 7).collect();
        assert_eq!(busy.len(), 1, "the busy flow was never split");
        assert_eq!(busy[0].total_packets(), 1001);
        // Ordinary flows were never held past the limit, so none was split either.
        assert_eq!(flows.len(), 1000);
    }

    #[test]
    fn finished_flows_keep_findings_only() {
        let mut table = FlowTable::new(IdleTimeouts::zeek_defaults());
        let udp = |src: u16, dst: u16| {
            FlowKey::new(
                ip(1),
                ip(2),
                PROTO_UDP,
                Transport::Ports {
                    src,
                    dst,
                    tcp_flags: 0,
                },
            )
        };
        // A payload that says nothing, and a DNS query that names its server.
        let (key, side) = udp(40000, 9999);
        table.add(
            key,
            side,
            &Contribution::packet(secs(0), 60, 4, None),
            b"\x01\x02\x03\x04",
            0,
        );
        let query = crate::identify::dns::tests::query(7, "login.example.com");
        let (key, side) = udp(40001, 53);
        table.add(
            key,
            side,
            &Contribution::packet(secs(0), 60, 30, None),
            &query,
            0,
        );
        let flows = table.into_flows();
        assert!(flows[0].app.is_none(), "nothing found, nothing kept");
        let app = flows[1].app.as_ref().unwrap();
        assert!(!app.inspecting(), "inspection state freed");
        assert_eq!(app.info.server_name.as_deref(), Some("login.example.com"));
    }

    #[test]
    fn findings_follow_their_flows_in_chunks_and_after_a_drain_cut_short() {
        use crate::identify::Identifier;
        let query = |n: u32| crate::identify::dns::tests::query(7, &format!("host{n}.example"));
        let dns = |table: &mut FlowTable, n: u32, t: i64| {
            let (key, side) = FlowKey::new(
                IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + n)),
                ip(53),
                PROTO_UDP,
                Transport::Ports {
                    src: 40000,
                    dst: 53,
                    tcp_flags: 0,
                },
            );
            table.add(
                key,
                side,
                &Contribution::packet(secs(t), 80, 30, None),
                &query(n),
                0,
            );
        };
        for identifier in [Identifier::inline(), Identifier::start_worker()] {
            let mut table = FlowTable::new(IdleTimeouts::uniform(10 * NANOS_PER_SEC))
                .with_identifier(Some(identifier));
            for n in 0..2500 {
                dns(&mut table, n, 0);
            }
            // A packet a minute later ends them all in one sweep: three chunks of findings.
            dns(&mut table, 9999, 60);
            assert!(table.has_finished());
            let named: Vec<_> = table
                .drain_finished()
                .map(|f| f.app.and_then(|a| a.info.server_name).unwrap())
                .collect();
            assert_eq!(named.len(), 2500);
            for (n, name) in named.iter().enumerate() {
                assert_eq!(&**name, format!("host{n}.example"));
            }
            // A taker that stops early leaves no findings behind for the next one.
            for n in 0..2500 {
                dns(&mut table, 10_000 + n, 120);
            }
            dns(&mut table, 9998, 200);
            assert_eq!(table.drain_finished().take(5).count(), 5);
            dns(&mut table, 20_000, 300);
            let next: Vec<_> = table.drain_finished().collect();
            assert_eq!(
                next.len(),
                1,
                "the flow of t=200 ended (the others went untaken)"
            );
            let name = next[0]
                .app
                .as_ref()
                .and_then(|a| a.info.server_name.clone());
            assert_eq!(name.as_deref(), Some("host9998.example"));
        }
    }
}
