//! The flow list: one record per bidirectional flow.

use std::borrow::Cow;
use std::net::IpAddr;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::{Enriched, SCHEMA_VERSION, Selection, Summary, proto_name, seconds};
use crate::capture::{Precision, Timestamp};
use crate::config::{FlowListConfig, SortKey};
use crate::dissect::tcp_flags;
use crate::enrich::CountryCode;
use crate::flow::FlowIdent;

/// `ca-cli flows` as a document.
#[derive(Clone, Debug, serde::Serialize, PartialEq)]
pub struct FlowsReport {
    pub schema_version: u32,
    pub summary: Summary,
    pub flows: Vec<FlowRecord>,
}

/// Optional columns, the same for every record of a run (so CSV columns never vary by row).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExtraColumns {
    /// The country database is a City database.
    pub cities: bool,
    /// An ASN database was given.
    pub asns: bool,
}

/// One flow, as the JSON contract names its fields. `src` is the initiator.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowRecord {
    pub proto: Cow<'static, str>,
    pub src_ip: IpAddr,
    pub src_port: Option<u16>,
    pub dst_ip: IpAddr,
    pub dst_port: Option<u16>,
    /// Null only for flows whose packets carry no time (pcapng Simple Packet Blocks).
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub duration_s: f64,
    pub packets_sent: u64,
    pub bytes_sent: u64,
    pub packets_received: u64,
    pub bytes_received: u64,
    pub payload_bytes_sent: u64,
    pub payload_bytes_received: u64,
    /// Zeek's `conn_state`, for TCP flows.
    pub tcp_state: Option<&'static str>,
    /// TCP flags seen from each side, as letters in the order FSRPAUEC.
    pub tcp_flags_sent: Option<String>,
    pub tcp_flags_received: Option<String>,
    /// The identifier of an ICMP echo exchange.
    pub icmp_id: Option<u16>,
    /// Service by port (IANA name), or the protocol's name.
    pub service: String,
    pub src_country: Option<CountryCode>,
    pub dst_country: Option<CountryCode>,
    /// Special-range label (`private`, `azure-wireserver`, ...).
    pub src_label: Option<&'static str>,
    pub dst_label: Option<&'static str>,
    pub src_city: Option<String>,
    pub dst_city: Option<String>,
    pub src_asn: Option<u32>,
    pub dst_asn: Option<u32>,
    pub src_as_org: Option<String>,
    pub dst_as_org: Option<String>,
    pub extra: ExtraColumns,
}

impl Serialize for FlowRecord {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = 23 + 2 * usize::from(self.extra.cities) + 4 * usize::from(self.extra.asns);
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

impl FlowRecord {
    pub fn new(e: &Enriched<'_>, precision: Precision, extra: ExtraColumns) -> FlowRecord {
        let flow = e.flow;
        let (src, dst) = (flow.src(), flow.dst());
        let ports = flow.key.has_ports();
        let tcp = flow.tcp.is_some();
        FlowRecord {
            proto: proto_name(flow.key.proto),
            src_ip: src.addr,
            src_port: ports.then_some(src.port),
            dst_ip: dst.addr,
            dst_port: ports.then_some(dst.port),
            first_seen: known(flow.first_seen, precision),
            last_seen: known(flow.last_seen, precision),
            duration_s: seconds(flow.duration_nanos()),
            packets_sent: flow.sent().packets,
            bytes_sent: flow.sent().bytes,
            packets_received: flow.received().packets,
            bytes_received: flow.received().bytes,
            payload_bytes_sent: flow.sent().payload_bytes,
            payload_bytes_received: flow.received().payload_bytes,
            tcp_state: flow.tcp_state(),
            tcp_flags_sent: tcp.then(|| flag_letters(flow.sent().tcp_flags)),
            tcp_flags_received: tcp.then(|| flag_letters(flow.received().tcp_flags)),
            icmp_id: match flow.key.ident {
                FlowIdent::IcmpEcho(id) => Some(id),
                _ => None,
            },
            service: e.service.to_string(),
            src_country: e.src.country,
            dst_country: e.dst.country,
            src_label: e.src.label,
            dst_label: e.dst.label,
            src_city: e.src.city.clone(),
            dst_city: e.dst.city.clone(),
            src_asn: e.src.asn,
            dst_asn: e.dst.asn,
            src_as_org: e.src.as_org.clone(),
            dst_as_org: e.dst.as_org.clone(),
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

fn known(ts: Timestamp, precision: Precision) -> Option<String> {
    ts.is_known().then(|| ts.rfc3339(precision).to_string())
}

/// TCP flags as letters, in header bit order: FIN SYN RST PSH ACK URG ECE CWR.
pub fn flag_letters(flags: u8) -> String {
    const LETTERS: [(u8, char); 8] = [
        (tcp_flags::FIN, 'F'),
        (tcp_flags::SYN, 'S'),
        (tcp_flags::RST, 'R'),
        (tcp_flags::PSH, 'P'),
        (tcp_flags::ACK, 'A'),
        (tcp_flags::URG, 'U'),
        (tcp_flags::ECE, 'E'),
        (tcp_flags::CWR, 'C'),
    ];
    LETTERS
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, c)| *c)
        .collect()
}

impl FlowsReport {
    pub fn new(selection: &Selection<'_>, list: &FlowListConfig) -> FlowsReport {
        let precision = selection.precision();
        let extra = ExtraColumns {
            cities: selection.enrichment.cities,
            asns: selection.enrichment.asns,
        };
        let mut order: Vec<Enriched<'_>> = selection.iter().collect();
        // Flows arrive in start order; sorts are stable so ties keep it.
        match list.sort {
            SortKey::Start => {}
            SortKey::Bytes => order.sort_by_key(|e| std::cmp::Reverse(e.flow.total_bytes())),
            SortKey::Packets => order.sort_by_key(|e| std::cmp::Reverse(e.flow.total_packets())),
            SortKey::Duration => order.sort_by_key(|e| std::cmp::Reverse(e.flow.duration_nanos())),
        }
        if let Some(top) = list.top {
            order.truncate(top);
        }
        FlowsReport {
            schema_version: SCHEMA_VERSION,
            summary: selection.summary(),
            flows: order
                .iter()
                .map(|e| FlowRecord::new(e, precision, extra))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_in_header_order() {
        assert_eq!(flag_letters(0), "");
        assert_eq!(flag_letters(tcp_flags::SYN | tcp_flags::ACK), "SA");
        assert_eq!(flag_letters(0xff), "FSRPAUEC");
    }
}
