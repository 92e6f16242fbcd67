//! The flow list: one record per bidirectional flow.

use std::borrow::Cow;
use std::net::IpAddr;

use serde::Serialize;

use super::{SCHEMA_VERSION, Summary, proto_name, seconds};
use crate::capture::{Precision, Timestamp};
use crate::config::{FlowListConfig, SortKey};
use crate::dissect::tcp_flags;
use crate::flow::{Flow, FlowIdent};
use crate::pipeline::Analysis;

/// `ca-cli flows` as a document.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FlowsReport {
    pub schema_version: u32,
    pub summary: Summary,
    pub flows: Vec<FlowRecord>,
}

/// One flow, as the JSON contract names its fields. `src` is the initiator.
#[derive(Clone, Debug, Serialize, PartialEq)]
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
}

impl FlowRecord {
    pub fn new(flow: &Flow, precision: Precision) -> FlowRecord {
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
    pub fn new(analysis: &Analysis, list: &FlowListConfig) -> FlowsReport {
        let precision = analysis.stats.precision.unwrap_or(Precision::MICROS);
        let mut order: Vec<&Flow> = analysis.flows.iter().collect();
        // Flows arrive in start order; sorts are stable so ties keep it.
        match list.sort {
            SortKey::Start => {}
            SortKey::Bytes => order.sort_by_key(|f| std::cmp::Reverse(f.total_bytes())),
            SortKey::Packets => order.sort_by_key(|f| std::cmp::Reverse(f.total_packets())),
            SortKey::Duration => order.sort_by_key(|f| std::cmp::Reverse(f.duration_nanos())),
        }
        if let Some(top) = list.top {
            order.truncate(top);
        }
        FlowsReport {
            schema_version: SCHEMA_VERSION,
            summary: Summary::new(&analysis.stats, analysis.flows.len() as u64),
            flows: order
                .into_iter()
                .map(|f| FlowRecord::new(f, precision))
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
