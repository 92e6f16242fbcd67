//! Views: plain, serialisable models built from an analysis. Renderers in `output` turn any
//! view into text, JSON, NDJSON or CSV.

pub mod flows;
pub mod geo;
pub mod lookup;
pub mod protocols;
pub mod stats;
pub mod tally;

use std::borrow::Cow;

use serde::Serialize;

use crate::capture::Precision;
use crate::dissect::linktype_name;
use crate::enrich::{AddressInfo, DatabaseInfo, Enrichment};
use crate::filter::{Expr, FlowFacts};
use crate::flow::Flow;
use crate::pipeline::Analysis;

/// Version of the JSON documents; bumped only when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// The capture summary and damage report every view carries, with what the filters selected
/// and what GeoIP did.
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
    /// Wire bytes of the packets counted in flows.
    pub ip_bytes: u64,
    pub non_ip_packets: u64,
    pub malformed_packets: u64,
    /// Malformed packets that could not be placed in a flow.
    pub undecoded_packets: u64,
    /// Packets captured shorter than they were on the wire (snaplen).
    pub truncated_packets: u64,
    pub cut_short: bool,
    pub warnings: Vec<String>,
    /// The filter applied (options and `--filter` together), or null.
    pub filter: Option<String>,
    /// Flows, packets and bytes the filter selected (all of them without a filter): the
    /// totals every view's rows add up to.
    pub selected_flows: u64,
    pub selected_packets: u64,
    pub selected_bytes: u64,
    pub geoip: GeoSummary,
    pub inputs: Vec<InputSummary>,
    pub link_types: Vec<LinkTypeCount>,
    pub non_ip: Vec<KindCount>,
    pub malformed: Vec<DamageCount>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct GeoSummary {
    pub databases: Vec<DatabaseInfo>,
    /// Distinct addresses in the capture's flows.
    pub addresses: u64,
    /// Database lookups made: one per distinct public address and database, at most.
    pub lookups: u64,
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

/// An analysis, its enrichment, and the flows a filter selected: what every view reads.
pub struct Selection<'a> {
    pub analysis: &'a Analysis,
    pub enrichment: &'a Enrichment,
    /// Indices of the selected flows, in start order.
    pub flows: Vec<usize>,
    /// The filter as written, for the summary.
    pub filter: Option<String>,
}

impl<'a> Selection<'a> {
    /// Select the flows `filter` matches.
    pub fn new(
        analysis: &'a Analysis,
        enrichment: &'a Enrichment,
        filter: &Expr,
        description: Option<String>,
    ) -> Selection<'a> {
        let capture_start = analysis.stats.first_seen;
        let flows = (0..analysis.flows.len())
            .filter(|&i| {
                filter.matches(&FlowFacts {
                    flow: &analysis.flows[i],
                    src: enrichment.src(i),
                    dst: enrichment.dst(i),
                    service: &enrichment.flows[i].service,
                    capture_start,
                })
            })
            .collect();
        Selection {
            analysis,
            enrichment,
            flows,
            filter: description,
        }
    }

    /// The selected flows with their enrichment.
    pub fn iter(&self) -> impl Iterator<Item = Enriched<'a>> + '_ {
        let (analysis, enrichment) = (self.analysis, self.enrichment);
        self.flows.iter().map(move |&i| Enriched {
            flow: &analysis.flows[i],
            src: enrichment.src(i),
            dst: enrichment.dst(i),
            service: &enrichment.flows[i].service,
        })
    }

    pub fn precision(&self) -> Precision {
        self.analysis.stats.precision.unwrap_or(Precision::MICROS)
    }

    pub fn summary(&self) -> Summary {
        let stats = &self.analysis.stats;
        let (mut packets, mut bytes) = (0, 0);
        for e in self.iter() {
            packets += e.flow.total_packets();
            bytes += e.flow.total_bytes();
        }
        let precision = self.precision();
        let duration_nanos = match (stats.first_seen, stats.last_seen) {
            (Some(first), Some(last)) => last.nanos_since(first),
            _ => 0,
        };
        let mut warnings = stats.warnings();
        if self.enrichment.lookup_errors > 0 {
            warnings.push(format!(
                "{} GeoIP records could not be decoded; those addresses have no country",
                self.enrichment.lookup_errors
            ));
        }
        Summary {
            packets: stats.packets,
            bytes: stats.bytes,
            first_seen: stats.first_seen.map(|t| t.rfc3339(precision).to_string()),
            last_seen: stats.last_seen.map(|t| t.rfc3339(precision).to_string()),
            duration_s: seconds(duration_nanos),
            flows: self.analysis.flows.len() as u64,
            ip_packets: stats.ip_packets,
            ip_bytes: stats.ip_bytes,
            non_ip_packets: stats.non_ip_packets(),
            malformed_packets: stats.malformed_packets(),
            undecoded_packets: stats.undecoded_packets,
            truncated_packets: stats.truncated_packets,
            cut_short: stats.cut_short(),
            warnings,
            filter: self.filter.clone(),
            selected_flows: self.flows.len() as u64,
            selected_packets: packets,
            selected_bytes: bytes,
            geoip: GeoSummary {
                databases: self.enrichment.databases.clone(),
                addresses: self.enrichment.addresses.len() as u64,
                lookups: self.enrichment.lookups,
            },
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

/// One selected flow with what enrichment knows about it.
#[derive(Clone, Copy, Debug)]
pub struct Enriched<'a> {
    pub flow: &'a Flow,
    pub src: &'a AddressInfo,
    pub dst: &'a AddressInfo,
    pub service: &'a str,
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
