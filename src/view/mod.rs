//! Views: plain, serialisable models built from an analysis. Renderers in `output` turn any
//! view into text, JSON, NDJSON or CSV.

pub mod flows;

use std::borrow::Cow;

use serde::Serialize;

use crate::capture::Precision;
use crate::dissect::linktype_name;
use crate::pipeline::CaptureStats;

/// Version of the JSON documents; bumped only when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// The capture summary and damage report every view carries.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Summary {
    pub packets: u64,
    pub bytes: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub duration_s: f64,
    pub flows: u64,
    /// Packets counted in flows.
    pub ip_packets: u64,
    pub non_ip_packets: u64,
    pub malformed_packets: u64,
    /// Malformed packets that could not be placed in a flow.
    pub undecoded_packets: u64,
    /// Packets captured shorter than they were on the wire (snaplen).
    pub truncated_packets: u64,
    pub cut_short: bool,
    pub warnings: Vec<String>,
    pub inputs: Vec<InputSummary>,
    pub link_types: Vec<LinkTypeCount>,
    pub non_ip: Vec<KindCount>,
    pub malformed: Vec<DamageCount>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct InputSummary {
    pub name: String,
    pub format: Option<&'static str>,
    pub packets: u64,
    pub cut_short: bool,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct LinkTypeCount {
    pub linktype: u32,
    pub name: String,
    pub packets: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct KindCount {
    pub kind: String,
    pub packets: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DamageCount {
    pub reason: &'static str,
    pub packets: u64,
}

impl Summary {
    pub fn new(stats: &CaptureStats, flows: u64) -> Summary {
        let precision = stats.precision.unwrap_or(Precision::MICROS);
        let duration_nanos = match (stats.first_seen, stats.last_seen) {
            (Some(first), Some(last)) => last.nanos_since(first),
            _ => 0,
        };
        Summary {
            packets: stats.packets,
            bytes: stats.bytes,
            first_seen: stats.first_seen.map(|t| t.rfc3339(precision).to_string()),
            last_seen: stats.last_seen.map(|t| t.rfc3339(precision).to_string()),
            duration_s: seconds(duration_nanos),
            flows,
            ip_packets: stats.ip_packets,
            non_ip_packets: stats.non_ip_packets(),
            malformed_packets: stats.malformed_packets(),
            undecoded_packets: stats.undecoded_packets,
            truncated_packets: stats.truncated_packets,
            cut_short: stats.cut_short(),
            warnings: stats.warnings(),
            inputs: stats
                .inputs
                .iter()
                .map(|i| InputSummary {
                    name: i.name.clone(),
                    format: i.format.map(|f| f.name()),
                    packets: i.packets,
                    cut_short: i.cut_short.is_some(),
                })
                .collect(),
            link_types: stats
                .link_types
                .iter()
                .map(|&(linktype, packets)| LinkTypeCount {
                    linktype,
                    name: linktype_name(linktype),
                    packets,
                })
                .collect(),
            non_ip: stats
                .non_ip
                .iter()
                .map(|(kind, &packets)| KindCount {
                    kind: kind.to_string(),
                    packets,
                })
                .collect(),
            malformed: stats
                .malformed
                .iter()
                .map(|(reason, tally)| DamageCount {
                    reason: reason.describe(),
                    packets: tally.packets,
                })
                .collect(),
        }
    }
}

/// Nanoseconds as seconds; exact to the nanosecond for spans under 104 days.
pub fn seconds(nanos: u64) -> f64 {
    nanos as f64 / 1e9
}

/// The JSON name of an IP protocol: `tcp`, `udp`, `icmp`, `icmpv6`, or its number.
pub fn proto_name(proto: u8) -> Cow<'static, str> {
    match proto {
        6 => Cow::Borrowed("tcp"),
        17 => Cow::Borrowed("udp"),
        1 => Cow::Borrowed("icmp"),
        58 => Cow::Borrowed("icmpv6"),
        other => Cow::Owned(other.to_string()),
    }
}
