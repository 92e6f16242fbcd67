//! The flow list: one record per bidirectional flow.

use std::borrow::Cow;
use std::collections::BinaryHeap;
use std::io::{self, Write};
use std::net::IpAddr;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::{SCHEMA_VERSION, Summary, proto_name, seconds};
use crate::capture::{Precision, Timestamp};
use crate::dissect::tcp_flags;
use crate::enrich::{CountryCode, Enricher, Tags};
use crate::flow::{Flow, FlowIdent};
use crate::identify::Fingerprint;
use crate::pipeline::{CaptureReport, CaptureStats, Finished, View};

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
}

/// The listed flows, in order, each turned into its [`FlowRecord`] only when written: a list
/// of millions of flows holds the flows once, never their records or text as well.
pub struct FlowList {
    /// Runs of flows, each sorted; the list is their merge.
    runs: Vec<Vec<Ranked>>,
    enricher: Enricher,
    precision: Precision,
    extra: ExtraColumns,
}

impl FlowList {
    pub fn len(&self) -> usize {
        self.runs.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.runs.iter().all(Vec::is_empty)
    }

    pub fn iter(&self) -> impl Iterator<Item = FlowRecord<'_>> + '_ {
        Merge::new(&self.runs)
            .map(|r| FlowRecord::new(&r.flow, r.tags, &self.enricher, self.precision, self.extra))
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
    /// An ASN database was given.
    pub asns: bool,
}

/// A time as the JSON contract prints it: RFC 3339 UTC at the capture's precision, or null for
/// a packet without one (pcapng Simple Packet Blocks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Time {
    pub ts: Timestamp,
    pub precision: Precision,
}

impl Time {
    /// The text, in `buf`; `None` when unknown.
    pub fn text<'b>(&self, buf: &'b mut [u8; 32]) -> Option<&'b str> {
        self.ts
            .is_known()
            .then(|| self.ts.rfc3339(self.precision).to_bytes(buf))
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 32];
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

impl Serialize for FlowRecord<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = 29 + 2 * usize::from(self.extra.cities) + 4 * usize::from(self.extra.asns);
        let mut s = serializer.serialize_struct("FlowRecord", fields)?;
        s.serialize_field("proto", &self.proto)?;
        s.serialize_field("src_ip", &self.src_ip)?;
        s.serialize_field("src_port", &self.src_port)?;
        s.serialize_field("dst_ip", &self.dst_ip)?;
        s.serialize_field("dst_port", &self.dst_port)?;
        s.serialize_field("first_seen", &self.first_seen)?;
        s.serialize_field("last_seen", &self.last_seen)?;
        s.serialize_field("duration_s", &self.duration_s)?;
        s.serialize_field("packets_sent", &self.packets_sent)?;
        s.serialize_field("bytes_sent", &self.bytes_sent)?;
        s.serialize_field("packets_received", &self.packets_received)?;
        s.serialize_field("bytes_received", &self.bytes_received)?;
        s.serialize_field("payload_bytes_sent", &self.payload_bytes_sent)?;
        s.serialize_field("payload_bytes_received", &self.payload_bytes_received)?;
        s.serialize_field("tcp_state", &self.tcp_state)?;
        s.serialize_field("tcp_flags_sent", &self.tcp_flags_sent)?;
        s.serialize_field("tcp_flags_received", &self.tcp_flags_received)?;
        s.serialize_field("icmp_id", &self.icmp_id)?;
        s.serialize_field("service", &self.service)?;
        s.serialize_field("service_source", &self.service_source)?;
        s.serialize_field("server_name", &self.server_name)?;
        s.serialize_field("server_name_source", &self.server_name_source)?;
        s.serialize_field("app_detail", &self.app_detail)?;
        s.serialize_field("ja3", &self.ja3)?;
        s.serialize_field("ja3s", &self.ja3s)?;
        s.serialize_field("src_country", &self.src_country)?;
        s.serialize_field("dst_country", &self.dst_country)?;
        s.serialize_field("src_label", &self.src_label)?;
        s.serialize_field("dst_label", &self.dst_label)?;
        if self.extra.cities {
            s.serialize_field("src_city", &self.src_city)?;
            s.serialize_field("dst_city", &self.dst_city)?;
        }
        if self.extra.asns {
            s.serialize_field("src_asn", &self.src_asn)?;
            s.serialize_field("dst_asn", &self.dst_asn)?;
            s.serialize_field("src_as_org", &self.src_as_org)?;
            s.serialize_field("dst_as_org", &self.dst_as_org)?;
        }
        s.end()
    }
}

impl<'a> FlowRecord<'a> {
    pub fn new(
        flow: &'a Flow,
        tags: Tags,
        enricher: &'a Enricher,
        precision: Precision,
        extra: ExtraColumns,
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
            first_seen: Time {
                ts: flow.first_seen,
                precision,
            },
            last_seen: Time {
                ts: flow.last_seen,
                precision,
            },
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

    /// The record as one line of compact JSON, byte for byte what `serde_json::to_writer`
    /// prints, written directly: NDJSON of large captures spends most of its time here.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let mut w = JsonLine { out };
        w.raw(b"{\"proto\":");
        w.string(&self.proto);
        w.key(b",\"src_ip\":");
        w.ip(self.src_ip);
        w.key(b",\"src_port\":");
        w.number_or_null(self.src_port.map(u64::from));
        w.key(b",\"dst_ip\":");
        w.ip(self.dst_ip);
        w.key(b",\"dst_port\":");
        w.number_or_null(self.dst_port.map(u64::from));
        let mut buf = [0u8; 32];
        w.key(b",\"first_seen\":");
        w.string_or_null(self.first_seen.text(&mut buf));
        w.key(b",\"last_seen\":");
        w.string_or_null(self.last_seen.text(&mut buf));
        w.key(b",\"duration_s\":");
        w.float(self.duration_s);
        for (key, value) in [
            (&b",\"packets_sent\":"[..], self.packets_sent),
            (b",\"bytes_sent\":", self.bytes_sent),
            (b",\"packets_received\":", self.packets_received),
            (b",\"bytes_received\":", self.bytes_received),
            (b",\"payload_bytes_sent\":", self.payload_bytes_sent),
            (b",\"payload_bytes_received\":", self.payload_bytes_received),
        ] {
            w.key(key);
            w.number(value);
        }
        w.key(b",\"tcp_state\":");
        w.string_or_null(self.tcp_state);
        let mut letters = [0u8; 8];
        w.key(b",\"tcp_flags_sent\":");
        w.string_or_null(self.tcp_flags_sent.map(|f| f.letters(&mut letters)));
        w.key(b",\"tcp_flags_received\":");
        w.string_or_null(self.tcp_flags_received.map(|f| f.letters(&mut letters)));
        w.key(b",\"icmp_id\":");
        w.number_or_null(self.icmp_id.map(u64::from));
        w.key(b",\"service\":");
        w.string(self.service);
        w.key(b",\"service_source\":");
        w.string(self.service_source);
        w.key(b",\"server_name\":");
        w.string_or_null(self.server_name);
        w.key(b",\"server_name_source\":");
        w.string_or_null(self.server_name_source);
        w.key(b",\"app_detail\":");
        w.string_or_null(self.app_detail);
        w.key(b",\"ja3\":");
        w.fingerprint_or_null(self.ja3);
        w.key(b",\"ja3s\":");
        w.fingerprint_or_null(self.ja3s);
        w.key(b",\"src_country\":");
        w.string_or_null(self.src_country.as_ref().map(|c| c.as_str()));
        w.key(b",\"dst_country\":");
        w.string_or_null(self.dst_country.as_ref().map(|c| c.as_str()));
        w.key(b",\"src_label\":");
        w.string_or_null(self.src_label);
        w.key(b",\"dst_label\":");
        w.string_or_null(self.dst_label);
        if self.extra.cities {
            w.key(b",\"src_city\":");
            w.string_or_null(self.src_city);
            w.key(b",\"dst_city\":");
            w.string_or_null(self.dst_city);
        }
        if self.extra.asns {
            w.key(b",\"src_asn\":");
            w.number_or_null(self.src_asn.map(u64::from));
            w.key(b",\"dst_asn\":");
            w.number_or_null(self.dst_asn.map(u64::from));
            w.key(b",\"src_as_org\":");
            w.string_or_null(self.src_as_org);
            w.key(b",\"dst_as_org\":");
            w.string_or_null(self.dst_as_org);
        }
        w.raw(b"}");
    }
}

/// Whether any of the eight bytes in `word` is a control character, `"` or `\\` (exact: the
/// borrow of one byte's subtraction can only flag a byte above one that matches).
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    below_space
        | has_zero(word ^ (ONES * u64::from(b'"')))
        | has_zero(word ^ (ONES * u64::from(b'\\')))
        != 0
}

/// Eight bytes of `bytes` as a word: those at `at`, else the last eight, else all of them
/// padded with spaces (which need no escaping).
fn word_at(bytes: &[u8], at: usize) -> u64 {
    let eight = |b: &[u8]| <[u8; 8]>::try_from(b).ok().map(u64::from_le_bytes);
    if let Some(word) = bytes.get(at..at + 8).and_then(eight) {
        return word;
    }
    if let Some(word) = bytes
        .len()
        .checked_sub(8)
        .and_then(|last| bytes.get(last..))
        .and_then(eight)
    {
        return word;
    }
    let mut padded = [b' '; 8];
    for (to, from) in padded.iter_mut().zip(&bytes[at.min(bytes.len())..]) {
        *to = *from;
    }
    u64::from_le_bytes(padded)
}

/// Compact JSON pieces, escaped the way serde_json escapes.
struct JsonLine<'o> {
    out: &'o mut Vec<u8>,
}

impl JsonLine<'_> {
    fn raw(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    /// A key with its comma and colon, as one literal: `,"name":`.
    fn key(&mut self, key_with_punctuation: &[u8]) {
        self.out.extend_from_slice(key_with_punctuation);
    }

    fn number(&mut self, n: u64) {
        self.raw(itoa::Buffer::new().format(n).as_bytes());
    }

    fn number_or_null(&mut self, n: Option<u64>) {
        match n {
            Some(n) => self.number(n),
            None => self.raw(b"null"),
        }
    }

    fn float(&mut self, f: f64) {
        if f.is_finite() {
            self.raw(ryu::Buffer::new().format_finite(f).as_bytes());
        } else {
            self.raw(b"null");
        }
    }

    fn string(&mut self, s: &str) {
        let bytes = s.as_bytes();
        self.out.reserve(bytes.len() + 2);
        self.out.push(b'"');
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            // Eight bytes at a time while none needs escaping: names, addresses and user
            // agents almost never do. The last few are read with the bytes before them (read
            // again: they need no escaping, or were handled one by one), or padded.
            if !needs_escape(word_at(bytes, i)) {
                i += 8;
                continue;
            }
            let b = bytes[i];
            let escape: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0c => b"\\f",
                0..=0x1f => {
                    self.out.extend_from_slice(&bytes[start..i]);
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.out.extend_from_slice(b"\\u00");
                    self.out.push(HEX[usize::from(b >> 4)]);
                    self.out.push(HEX[usize::from(b & 0xf)]);
                    i += 1;
                    start = i;
                    continue;
                }
                _ => {
                    i += 1;
                    continue;
                }
            };
            self.out.extend_from_slice(&bytes[start..i]);
            self.out.extend_from_slice(escape);
            i += 1;
            start = i;
        }
        self.out.extend_from_slice(&bytes[start..]);
        self.out.push(b'"');
    }

    /// Hex digits need no escaping.
    fn fingerprint_or_null(&mut self, fingerprint: Option<Fingerprint>) {
        match fingerprint {
            Some(f) => {
                self.out.push(b'"');
                self.raw(f.hex().as_str().as_bytes());
                self.out.push(b'"');
            }
            None => self.raw(b"null"),
        }
    }

    fn string_or_null(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.string(s),
            None => self.raw(b"null"),
        }
    }

    fn ip(&mut self, ip: IpAddr) {
        match ip {
            IpAddr::V4(v4) => {
                self.out.push(b'"');
                for (i, octet) in v4.octets().iter().enumerate() {
                    if i > 0 {
                        self.out.push(b'.');
                    }
                    self.raw(itoa::Buffer::new().format(*octet).as_bytes());
                }
                self.out.push(b'"');
            }
            IpAddr::V6(v6) => {
                use std::io::Write;
                self.out.push(b'"');
                let _ = write!(self.out, "{v6}");
                self.out.push(b'"');
            }
        }
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
            all: Vec::new(),
            best: BinaryHeap::new(),
        }
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

/// How streamed records are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamFormat {
    /// One JSON object per line.
    Ndjson,
    /// A header row, then one row per flow.
    Csv,
}

/// Where streamed records go.
enum StreamOut<'w> {
    Ndjson {
        out: &'w mut dyn Write,
        line: Vec<u8>,
    },
    Csv(Box<csv::Writer<&'w mut dyn Write>>),
}

/// Writes each selected flow as an NDJSON line or a CSV row the moment the flow ends, so the
/// list of a capture of any size starts at once and takes no memory. Records come in the
/// order flows end (idle timeout, a new connection on the same ports, or the end of the
/// capture); flows that end together come in start order.
pub struct FlowStream<'w> {
    out: StreamOut<'w>,
}

impl<'w> FlowStream<'w> {
    pub fn new(format: StreamFormat, out: &'w mut dyn Write) -> FlowStream<'w> {
        let out = match format {
            StreamFormat::Ndjson => StreamOut::Ndjson {
                out,
                line: Vec::with_capacity(1024),
            },
            StreamFormat::Csv => StreamOut::Csv(Box::new(csv::Writer::from_writer(out))),
        };
        FlowStream { out }
    }
}

impl View for FlowStream<'_> {
    /// The records are written as they come: what is left is the summary.
    type Report = Summary;

    /// Write what is buffered.
    fn finish(self, run: Finished) -> io::Result<Summary> {
        match self.out {
            StreamOut::Ndjson { out, .. } => out.flush()?,
            StreamOut::Csv(mut writer) => writer.flush()?,
        }
        Ok(run.summary)
    }

    fn add(
        &mut self,
        flow: Flow,
        tags: Tags,
        enricher: &Enricher,
        stats: &CaptureStats,
    ) -> io::Result<()> {
        // Times print at the finest precision of the inputs read so far: every input's header
        // (and a pcapng file's interfaces) come before its packets.
        let precision = stats.precision.unwrap_or(Precision::MICROS);
        let record = FlowRecord::new(&flow, tags, enricher, precision, ExtraColumns::of(enricher));
        match &mut self.out {
            StreamOut::Ndjson { out, line } => {
                line.clear();
                record.write_json(line);
                line.push(b'\n');
                out.write_all(line)
            }
            StreamOut::Csv(writer) => writer.serialize(&record).map_err(csv_error),
        }
    }
}

/// A CSV error as the I/O error it wraps (a closed pipe stays a closed pipe).
fn csv_error(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
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

    #[test]
    fn json_line_escapes_like_serde_json() {
        for text in [
            "plain",
            "quote \" back \\ slash",
            "tab\tnew\nline\r",
            "\u{1}\u{1f}\u{7f}",
            "Zürich 東京",
        ] {
            let mut out = Vec::new();
            JsonLine { out: &mut out }.string(text);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(text).unwrap()
            );
        }
        // Every ASCII byte at every place of strings around the eight-byte fast path, and
        // pseudo-random mixes of escapes, plain text and multi-byte characters.
        let check = |text: &str| {
            let mut out = Vec::new();
            JsonLine { out: &mut out }.string(text);
            assert_eq!(out, serde_json::to_vec(text).unwrap(), "{text:?}");
        };
        for len in 1..=18 {
            for at in 0..len {
                for b in 0..=0x7fu8 {
                    let mut text = vec![b'x'; len];
                    text[at] = b;
                    check(std::str::from_utf8(&text).unwrap());
                }
            }
        }
        let pieces = [
            "a", "\"", "\\", "\n", "\u{1}", "\u{1f}", " ", "é", "東", "\u{7f}", "~",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..5000 {
            let mut text = String::new();
            for _ in 0..(state % 40) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            check(&text);
        }
        for f in [0.0, 1.5, 0.000123, 349780390.355768, 1e-9] {
            let mut out = Vec::new();
            JsonLine { out: &mut out }.float(f);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&f).unwrap()
            );
        }
    }
}
