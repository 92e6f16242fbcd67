//! The account of a run every report carries: what was read, what was damaged, what the
//! filter selected and what GeoIP did.

use serde::Serialize;

use super::CaptureStats;
use super::select::Totals;
use crate::capture::{Precision, Timestamp};
use crate::dissect::linktype_name;
use crate::enrich::{DatabaseInfo, Enricher};

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
    /// Reading stopped early on request (Ctrl-C): the results cover what was read before.
    pub interrupted: bool,
    /// Flows ended early to stay within the flow limit (`--max-flows`).
    pub evicted_flows: u64,
    /// Most flows held in memory at once.
    pub peak_active_flows: u64,
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
    /// The first and last packets' times, and the precision they print at, for text in a
    /// time zone.
    #[serde(skip)]
    pub first_ts: Option<Timestamp>,
    #[serde(skip)]
    pub last_ts: Option<Timestamp>,
    #[serde(skip)]
    pub precision: Precision,
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

impl Summary {
    /// The first and last packets' times in `zone`, with its offset (`--tz`).
    pub fn in_zone(&mut self, zone: &crate::zone::Zone) {
        let text = |ts: Option<Timestamp>| ts.map(|t| zone.rfc3339(t, self.precision));
        self.first_seen = text(self.first_ts);
        self.last_seen = text(self.last_ts);
    }

    pub fn new(
        stats: &CaptureStats,
        totals: &Totals,
        enricher: &Enricher,
        filter: Option<String>,
    ) -> Summary {
        let precision = stats.precision.unwrap_or(Precision::MICROS);
        let duration_nanos = match (stats.first_seen, stats.last_seen) {
            (Some(first), Some(last)) => last.nanos_since(first),
            _ => 0,
        };
        let mut warnings = stats.warnings();
        if enricher.lookup_errors() > 0 {
            warnings.push(format!(
                "{} GeoIP records could not be decoded; those addresses have no country",
                enricher.lookup_errors()
            ));
        }
        Summary {
            packets: stats.packets,
            bytes: stats.bytes,
            first_seen: stats.first_seen.map(|t| t.rfc3339(precision).to_string()),
            last_seen: stats.last_seen.map(|t| t.rfc3339(precision).to_string()),
            first_ts: stats.first_seen,
            last_ts: stats.last_seen,
            precision,
            duration_s: seconds(duration_nanos),
            flows: totals.flows,
            ip_packets: stats.ip_packets,
            ip_bytes: stats.ip_bytes,
            non_ip_packets: stats.non_ip_packets(),
            malformed_packets: stats.malformed_packets(),
            undecoded_packets: stats.undecoded_packets,
            truncated_packets: stats.truncated_packets,
            cut_short: stats.cut_short(),
            interrupted: stats.interrupted.is_some(),
            evicted_flows: stats.evicted_flows,
            peak_active_flows: stats.peak_active_flows,
            warnings,
            filter,
            selected_flows: totals.selected_flows,
            selected_packets: totals.selected_packets,
            selected_bytes: totals.selected_bytes,
            geoip: GeoSummary {
                databases: enricher.databases(),
                addresses: enricher.addresses(),
                lookups: enricher.lookups(),
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

/// Nanoseconds as seconds; exact to the nanosecond for spans under 104 days.
pub fn seconds(nanos: u64) -> f64 {
    nanos as f64 / 1e9
}
