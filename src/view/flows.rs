//! The flow list: one record per bidirectional flow.

use std::borrow::Cow;
use std::collections::BinaryHeap;
use std::io;
use std::net::IpAddr;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::cells::{bytes, duration, endpoint, thousands};
use super::report::{CellText, Column, Report, Rows, StreamedTable, Text};
use super::{SCHEMA_VERSION, Summary, proto_name, seconds};
use crate::capture::{Precision, RFC3339_MAX, Timestamp};
use crate::dissect::tcp_flags;
use crate::enrich::{CountryCode, Enricher, Tags};
use crate::flow::{Flow, FlowIdent};
use crate::identify::Fingerprint;
use crate::pipeline::{CaptureReport, CaptureStats, Finished, Listed, View};
use crate::zone::{Zone, Zones};

/// `ca-cli flows` as a document.
#[derive(serde::Serialize)]
pub struct FlowsReport {
    pub schema_version: u32,
    pub summary: Summary,
    pub flows: FlowList,
}

impl CaptureReport for FlowsReport {
    fn summary(&self) -> &Summary {
        &self.summary
    }

    fn listed(&self) -> Option<Listed> {
        let shown = self.flows.len() as u64;
        (shown < self.summary.selected_flows).then_some(Listed {
            shown,
            of: self.summary.selected_flows,
            what: "flows",
        })
    }
}

/// The listed flows, in order, each turned into its [`FlowRecord`] only when written: a list
/// of millions of flows holds the flows once, never their records or text as well.
pub struct FlowList {
    /// Runs of flows, each sorted; the list is their merge.
    runs: Vec<Vec<Ranked>>,
    enricher: Enricher,
    precision: Precision,
    extra: ExtraColumns,
    zones: Zones,
}

impl FlowList {
    pub fn len(&self) -> usize {
        self.runs.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.runs.iter().all(Vec::is_empty)
    }

    /// The records, times in the data's zone (UTC unless `--tz`).
    pub fn iter(&self) -> impl Iterator<Item = FlowRecord<'_>> + '_ {
        self.records(self.zones.data.as_ref())
    }

    /// The records, times in `zone` (`None`: UTC).
    fn records<'s>(&'s self, zone: Option<&'s Zone>) -> impl Iterator<Item = FlowRecord<'s>> + 's {
        Merge::new(&self.runs).map(move |r| {
            FlowRecord::new(
                &r.flow,
                r.tags,
                &self.enricher,
                self.precision,
                self.extra,
                zone,
            )
        })
    }
}

/// The items of sorted runs in their merged order: the smallest of the runs' next items each
/// time (flows' keys are unique, so their order is total and never depends on the runs).
struct Merge<'r, T: Ord> {
    runs: Vec<std::slice::Iter<'r, T>>,
    /// The next item of each run that has one, smallest on top.
    heads: BinaryHeap<std::cmp::Reverse<(&'r T, usize)>>,
}

impl<'r, T: Ord> Merge<'r, T> {
    fn new(runs: &'r [Vec<T>]) -> Merge<'r, T> {
        let mut runs: Vec<_> = runs.iter().map(|run| run.iter()).collect();
        let heads = runs
            .iter_mut()
            .enumerate()
            .filter_map(|(index, run)| run.next().map(|head| std::cmp::Reverse((head, index))))
            .collect();
        Merge { runs, heads }
    }
}

impl<'r, T: Ord> Iterator for Merge<'r, T> {
    type Item = &'r T;

    fn next(&mut self) -> Option<&'r T> {
        let mut top = self.heads.peek_mut()?;
        let std::cmp::Reverse((smallest, index)) = *top;
        match self.runs.get_mut(index).and_then(Iterator::next) {
            Some(next) => *top = std::cmp::Reverse((next, index)),
            None => {
                std::collections::binary_heap::PeekMut::pop(top);
            }
        }
        Some(smallest)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.heads.len() + self.runs.iter().map(ExactSizeIterator::len).sum::<usize>();
        (left, Some(left))
    }
}

impl Serialize for FlowList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// Optional columns, the same for every record of a run (so CSV columns never vary by row).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExtraColumns {
    /// The country database is a City database.
    pub cities: bool,
    /// AS numbers are known: the bundled table, or an ASN database (not with `--no-asn`).
    pub asns: bool,
}

/// A time as the JSON contract prints it: RFC 3339 UTC at the capture's precision, or null for
/// a packet without one (pcapng Simple Packet Blocks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Time {
    pub ts: Timestamp,
    pub precision: Precision,
    /// Seconds east of UTC of the zone it is shown in (`--tz`); `None`: UTC.
    pub offset: Option<i32>,
}

impl Time {
    /// `ts` at `precision`, in `zone` (`None`: UTC).
    pub fn new(ts: Timestamp, precision: Precision, zone: Option<&Zone>) -> Time {
        Time {
            ts,
            precision,
            offset: zone.and_then(|z| z.offset_for_rfc3339(ts)),
        }
    }

    /// The text, in `buf`; `None` when unknown.
    pub fn text<'b>(&self, buf: &'b mut [u8; RFC3339_MAX]) -> Option<&'b str> {
        self.ts.is_known().then(|| match self.offset {
            None => self.ts.rfc3339(self.precision).to_bytes(buf),
            Some(offset) => self
                .ts
                .rfc3339_at_offset(self.precision, offset)
                .to_bytes(buf),
        })
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; RFC3339_MAX];
        match self.text(&mut buf) {
            Some(text) => serializer.serialize_str(text),
            None => serializer.serialize_none(),
        }
    }
}

/// TCP flags seen from one side, printed as letters in header order (FSRPAUEC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flags(pub u8);

impl Flags {
    pub fn letters<'b>(&self, buf: &'b mut [u8; 8]) -> &'b str {
        const LETTERS: [(u8, u8); 8] = [
            (tcp_flags::FIN, b'F'),
            (tcp_flags::SYN, b'S'),
            (tcp_flags::RST, b'R'),
            (tcp_flags::PSH, b'P'),
            (tcp_flags::ACK, b'A'),
            (tcp_flags::URG, b'U'),
            (tcp_flags::ECE, b'E'),
            (tcp_flags::CWR, b'C'),
        ];
        let mut len = 0;
        for (bit, letter) in LETTERS {
            if self.0 & bit != 0 {
                buf[len] = letter;
                len += 1;
            }
        }
        crate::ascii::ascii_str(&buf[..len]).unwrap_or("")
    }
}

impl Serialize for Flags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.letters(&mut [0; 8]))
    }
}

/// One flow, as the JSON contract names its fields. `src` is the initiator. Text fields
/// borrow from the flow and the enrichment: building a record allocates nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowRecord<'a> {
    pub proto: Cow<'static, str>,
    pub src_ip: IpAddr,
    pub src_port: Option<u16>,
    pub dst_ip: IpAddr,
    pub dst_port: Option<u16>,
    pub first_seen: Time,
    pub last_seen: Time,
    pub duration_s: f64,
    pub packets_sent: u64,
    pub bytes_sent: u64,
    pub packets_received: u64,
    pub bytes_received: u64,
    pub payload_bytes_sent: u64,
    pub payload_bytes_received: u64,
    /// Zeek's `conn_state`, for TCP flows.
    pub tcp_state: Option<&'static str>,
    pub tcp_flags_sent: Option<Flags>,
    pub tcp_flags_received: Option<Flags>,
    /// The identifier of an ICMP echo exchange.
    pub icmp_id: Option<u16>,
    /// The application protocol the payload shows, else the port's guess (IANA name), else
    /// the IP protocol's name.
    pub service: &'a str,
    /// `payload` when the payload told the service, `port` when it is the port's guess,
    /// `protocol` for flows without ports (ICMP, ...).
    pub service_source: &'static str,
    /// The server's name: TLS/QUIC SNI, HTTP Host, a DNS flow's question, or a DNS answer
    /// seen earlier for the server's address.
    pub server_name: Option<&'a str>,
    /// `tls`, `quic`, `http`, `query` or `dns`.
    pub server_name_source: Option<&'static str>,
    /// What the payload says beyond the protocol: version, software, request.
    pub app_detail: Option<&'a str>,
    /// JA3 fingerprint of the client's TLS (or QUIC) ClientHello.
    pub ja3: Option<Fingerprint>,
    /// JA3S fingerprint of the server's TLS ServerHello.
    pub ja3s: Option<Fingerprint>,
    pub src_country: Option<CountryCode>,
    pub dst_country: Option<CountryCode>,
    /// Special-range label (`private`, `azure-wireserver`, ...).
    pub src_label: Option<&'static str>,
    pub dst_label: Option<&'static str>,
    pub src_city: Option<&'a str>,
    pub dst_city: Option<&'a str>,
    pub src_asn: Option<u32>,
    pub dst_asn: Option<u32>,
    pub src_as_org: Option<&'a str>,
    pub dst_as_org: Option<&'a str>,
    pub extra: ExtraColumns,
}

/// The flow record's fields in their JSON and CSV order, declared once: `$writer!` receives
/// them in three groups (in every record; with a City database; with an ASN database) and
/// generates a writer from them: serde's `Serialize` below (JSON, CSV) and the fast NDJSON
/// writer (`output::write_flow_json`). A new field is a member of [`FlowRecord`], its value in
/// [`FlowRecord::new`], and its name here.
macro_rules! flow_record_fields {
    ($writer:ident) => {
        $writer! {
            always: proto, src_ip, src_port, dst_ip, dst_port, first_seen, last_seen, duration_s,
                packets_sent, bytes_sent, packets_received, bytes_received, payload_bytes_sent,
                payload_bytes_received, tcp_state, tcp_flags_sent, tcp_flags_received, icmp_id,
                service, service_source, server_name, server_name_source, app_detail, ja3, ja3s,
                src_country, dst_country, src_label, dst_label;
            cities: src_city, dst_city;
            asns: src_asn, dst_asn, src_as_org, dst_as_org;
        }
    };
}
pub(crate) use flow_record_fields;

macro_rules! serialize_flow_record {
    (always: $($always:ident),+; cities: $($city:ident),+; asns: $($asn:ident),+;) => {
        impl Serialize for FlowRecord<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                const ALWAYS: usize = [$(stringify!($always)),+].len();
                const CITIES: usize = [$(stringify!($city)),+].len();
                const ASNS: usize = [$(stringify!($asn)),+].len();
                let fields = ALWAYS
                    + CITIES * usize::from(self.extra.cities)
                    + ASNS * usize::from(self.extra.asns);
                let mut s = serializer.serialize_struct("FlowRecord", fields)?;
                $(s.serialize_field(stringify!($always), &self.$always)?;)+
                if self.extra.cities {
                    $(s.serialize_field(stringify!($city), &self.$city)?;)+
                }
                if self.extra.asns {
                    $(s.serialize_field(stringify!($asn), &self.$asn)?;)+
                }
                s.end()
            }
        }
    };
}
flow_record_fields!(serialize_flow_record);

impl<'a> FlowRecord<'a> {
    pub fn new(
        flow: &'a Flow,
        tags: Tags,
        enricher: &'a Enricher,
        precision: Precision,
        extra: ExtraColumns,
        zone: Option<&Zone>,
    ) -> FlowRecord<'a> {
        let (src_info, dst_info) = (enricher.info(tags.src), enricher.info(tags.dst));
        let (src, dst) = (flow.src(), flow.dst());
        let ports = flow.key.has_ports();
        let tcp = flow.tcp.is_some();
        let app = flow.app.as_ref().map(|a| &a.info);
        FlowRecord {
            proto: proto_name(flow.key.proto),
            src_ip: src.addr,
            src_port: ports.then_some(src.port),
            dst_ip: dst.addr,
            dst_port: ports.then_some(dst.port),
            first_seen: Time::new(flow.first_seen, precision, zone),
            last_seen: Time::new(flow.last_seen, precision, zone),
            duration_s: seconds(flow.duration_nanos()),
            packets_sent: flow.sent().packets,
            bytes_sent: flow.sent().bytes,
            packets_received: flow.received().packets,
            bytes_received: flow.received().bytes,
            payload_bytes_sent: flow.sent().payload_bytes,
            payload_bytes_received: flow.received().payload_bytes,
            tcp_state: flow.tcp_state(),
            tcp_flags_sent: tcp.then_some(Flags(flow.sent().tcp_flags)),
            tcp_flags_received: tcp.then_some(Flags(flow.received().tcp_flags)),
            icmp_id: match flow.key.ident {
                FlowIdent::IcmpEcho(id) => Some(id),
                _ => None,
            },
            service: enricher.service(tags.service),
            service_source: match (tags.identified, ports) {
                (true, _) => "payload",
                (false, true) => "port",
                (false, false) => "protocol",
            },
            server_name: app.and_then(|a| a.server_name.as_deref()),
            server_name_source: app.and_then(|a| a.name_source).map(|s| s.as_str()),
            app_detail: app.and_then(|a| a.detail()),
            ja3: app.and_then(|a| a.ja3),
            ja3s: app.and_then(|a| a.ja3s),
            src_country: src_info.country,
            dst_country: dst_info.country,
            src_label: src_info.label,
            dst_label: dst_info.label,
            src_city: src_info.city.as_deref(),
            dst_city: dst_info.city.as_deref(),
            src_asn: src_info.asn,
            dst_asn: dst_info.asn,
            src_as_org: src_info.as_org.as_deref(),
            dst_as_org: dst_info.as_org.as_deref(),
            extra,
        }
    }

    pub fn total_bytes(&self) -> u64 {
        self.bytes_sent + self.bytes_received
    }

    pub fn total_packets(&self) -> u64 {
        self.packets_sent + self.packets_received
    }
}

impl ExtraColumns {
    pub fn of(enricher: &Enricher) -> ExtraColumns {
        ExtraColumns {
            cities: enricher.cities(),
            asns: enricher.asns(),
        }
    }
}

/// Flows a chunk of [`FlowsView`]'s list holds.
const LIST_CHUNK: usize = 1 << 14;

/// A selected flow waiting for the list, ordered by the list's sort key, then by start time
/// and creation order (the order of a stable sort of the flows by start).
struct Ranked {
    key: (u64, Timestamp, u64),
    flow: Flow,
    tags: Tags,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

/// Order of the flow list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Start time, earliest first (the capture's own order).
    #[default]
    Start,
    /// Bytes in both directions, largest first.
    Bytes,
    /// Packets in both directions, most first.
    Packets,
    /// Duration, longest first.
    Duration,
}

/// Which flows a flow list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlowListConfig {
    pub sort: SortKey,
    pub top: Option<usize>,
}

/// Builds the flow list of the JSON document and the text table: every selected flow, or with
/// `--top N` only the first N in the list's order (a bounded heap, so `--top 20 --sort bytes`
/// on a capture of millions of flows holds 20).
pub struct FlowsView {
    list: FlowListConfig,
    zones: Zones,
    /// Every flow (without `--top`), in chunks: one vector grown by doubling would, at the
    /// moment it grows, hold its old and new copies (1.5 times the list with glibc's
    /// in-place mremap, up to three times with other allocators).
    all: Vec<Vec<Ranked>>,
    /// With `--top`: the best N so far, the worst of them on top.
    best: BinaryHeap<Ranked>,
}

impl FlowsView {
    pub fn new(list: FlowListConfig) -> FlowsView {
        FlowsView {
            list,
            zones: Zones::default(),
            all: Vec::new(),
            best: BinaryHeap::new(),
        }
    }

    /// Times in text in `zones.text`, in JSON and CSV in `zones.data`.
    pub fn in_zones(mut self, zones: Zones) -> FlowsView {
        self.zones = zones;
        self
    }

    fn rank(&self, flow: &Flow) -> u64 {
        // Larger first for the size sorts: rank by the complement.
        match self.list.sort {
            SortKey::Start => 0,
            SortKey::Bytes => u64::MAX - flow.total_bytes(),
            SortKey::Packets => u64::MAX - flow.total_packets(),
            SortKey::Duration => u64::MAX - flow.duration_nanos(),
        }
    }

    fn report(self, summary: Summary, enricher: Enricher, precision: Precision) -> FlowsReport {
        let mut runs = match self.list.top {
            Some(_) => vec![self.best.into_vec()],
            None => self.all,
        };
        // Each chunk sorted in place and the chunks merged as the list is written: moving
        // millions of flows into one vector to sort them would hold them twice meanwhile.
        for run in &mut runs {
            run.sort_unstable();
        }
        FlowsReport {
            schema_version: SCHEMA_VERSION,
            summary,
            flows: FlowList {
                runs,
                extra: ExtraColumns::of(&enricher),
                enricher,
                precision,
                zones: self.zones,
            },
        }
    }
}

impl View for FlowsView {
    type Report = FlowsReport;

    fn finish(self, run: Finished) -> io::Result<FlowsReport> {
        Ok(self.report(run.summary, run.enricher, run.precision))
    }

    fn add(&mut self, flow: Flow, tags: Tags, _: &Enricher, _: &CaptureStats) -> io::Result<()> {
        let ranked = Ranked {
            key: (self.rank(&flow), flow.first_seen, flow.sequence),
            flow,
            tags,
        };
        match self.list.top {
            None => match self.all.last_mut() {
                Some(chunk) if chunk.len() < chunk.capacity() => chunk.push(ranked),
                _ => {
                    let mut chunk = Vec::with_capacity(LIST_CHUNK);
                    chunk.push(ranked);
                    self.all.push(chunk);
                }
            },
            Some(0) => {}
            Some(n) => {
                if self.best.len() < n {
                    self.best.push(ranked);
                } else if let Some(mut worst) = self.best.peek_mut()
                    && ranked < *worst
                {
                    *worst = ranked;
                }
            }
        }
        Ok(())
    }
}

impl Report for FlowsReport {
    type Row<'a>
        = FlowRecord<'a>
    where
        Self: 'a;

    fn rows(&self) -> Rows<'_, FlowRecord<'_>> {
        Box::new(self.flows.iter())
    }

    fn text(&self) -> Text<'_> {
        let zone = &self.flows.zones.text;
        let local = (!zone.is_utc()).then_some(zone);
        let day = |ts: Option<Timestamp>| ts.map(|t| zone.local(t).date());
        let with_date = day(self.summary.first_ts) != day(self.summary.last_ts);
        Text::Streamed(StreamedTable {
            title: local.map(|z| format!("Times in {z}")),
            hold: false,
            columns: if local.is_some() {
                &LOCAL_FLOW_COLUMNS
            } else {
                &FLOW_COLUMNS
            },
            empty: NO_FLOWS,
            rows: Box::new(move || {
                Box::new(
                    self.flows
                        .records(local)
                        .map(move |f| flow_cells(&f, with_date)),
                )
            }),
        })
    }
}

/// One line per flow: names are shortened first, then the optional columns are left out from
/// the right (the owner of the remote end first); addresses are never shortened.
const FLOW_COLUMNS: [Column; 12] = [
    Column::text("Start (UTC)"),
    Column::text("Proto"),
    Column::text("Source"),
    Column::text("Destination"),
    Column::number("Packets").optional(),
    Column::number("Sent"),
    Column::number("Received"),
    Column::number("Duration").optional(),
    Column::text("State").optional(),
    Column::text("Service"),
    Column::text("Server name").shortened_to(16).optional(),
    Column::text("Owner").shortened_to(16).optional(),
];

/// The same, in the local time of `--tz`.
const LOCAL_FLOW_COLUMNS: [Column; 12] = {
    let mut columns = FLOW_COLUMNS;
    columns[0] = Column::text("Start (local)");
    columns
};

const NO_FLOWS: &str = "no flows";

/// The start of a flow for people: `HH:MM:SS.mmm`, with the date in front when the capture
/// spans more than one day (on the clock shown).
fn start_cell(start: &Time, with_date: bool) -> String {
    let mut buf = [0u8; RFC3339_MAX];
    let Some(text) = start.text(&mut buf) else {
        return String::new();
    };
    // RFC 3339: `2024-05-01T12:34:56.789012Z` (or `+09:00`), the fraction as precise as the
    // capture.
    let text = match start.offset {
        Some(_) => &text[..text.len() - 6],
        None => text.trim_end_matches('Z'),
    };
    let Some((date, time)) = text.split_once('T') else {
        return text.to_string();
    };
    let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
    let millis: String = fraction.chars().chain("000".chars()).take(3).collect();
    if with_date {
        format!("{date} {clock}.{millis}")
    } else {
        format!("{clock}.{millis}")
    }
}

fn flow_cells(f: &FlowRecord<'_>, with_date: bool) -> Vec<CellText> {
    let state = match (f.tcp_state, f.icmp_id) {
        (Some(state), _) => state.to_string(),
        (None, Some(id)) => format!("echo {id}"),
        (None, None) => String::new(),
    };
    [
        start_cell(&f.first_seen, with_date),
        f.proto.to_string(),
        endpoint(f.src_ip, f.src_port, f.src_country),
        endpoint(f.dst_ip, f.dst_port, f.dst_country),
        thousands(f.packets_sent + f.packets_received),
        bytes(f.bytes_sent),
        bytes(f.bytes_received),
        duration(f.duration_s),
        state,
        // A port's guess is shown in parentheses: the payload did not confirm it.
        match f.service_source {
            "port" => format!("({})", f.service),
            _ => f.service.to_string(),
        },
        f.server_name.unwrap_or("").to_string(),
        // Who owns the remote end: the responder's AS, else the initiator's.
        f.dst_as_org.or(f.src_as_org).unwrap_or("").to_string(),
    ]
    .map(CellText::from)
    .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs of any lengths, empty ones and runs that interleave give the one sorted order.
    #[test]
    fn sorted_runs_merge_into_the_sorted_list() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for run_count in [0, 1, 2, 3, 17] {
            let mut runs: Vec<Vec<u64>> = (0..run_count)
                .map(|r| {
                    (0..(next() % 40) * (r % 3))
                        .map(|_| next() % 1000)
                        .collect()
                })
                .collect();
            let mut expected: Vec<u64> = runs.iter().flatten().copied().collect();
            expected.sort_unstable();
            for run in &mut runs {
                run.sort_unstable();
            }
            let merged = Merge::new(&runs);
            assert_eq!(merged.size_hint(), (expected.len(), Some(expected.len())));
            assert_eq!(merged.copied().collect::<Vec<_>>(), expected);
        }
    }

    #[test]
    fn flags_in_header_order() {
        let mut buf = [0; 8];
        assert_eq!(Flags(0).letters(&mut buf), "");
        assert_eq!(
            Flags(tcp_flags::SYN | tcp_flags::ACK).letters(&mut buf),
            "SA"
        );
        assert_eq!(Flags(0xff).letters(&mut buf), "FSRPAUEC");
    }
}
