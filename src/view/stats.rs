//! Statistics: the busiest sources and destinations, services, protocols and countries, and
//! how long flows last.

use std::collections::HashMap;
use std::net::IpAddr;

use serde::Serialize;

use super::protocols::flow_place;
use super::tally::{Share, Tally};
use super::{SCHEMA_VERSION, Selection, Summary, proto_name};
use crate::enrich::{AddressInfo, CountryCode};

/// CapAnalysis's flow-duration buckets: at most 1 s, 2 s, 5 s, ... 1 h, then more than 1 h.
pub const DURATION_BUCKETS: [(&str, u64); 12] = [
    ("<=1s", 1),
    ("<=2s", 2),
    ("<=5s", 5),
    ("<=10s", 10),
    ("<=30s", 30),
    ("<=1m", 60),
    ("<=2m", 120),
    ("<=3m", 180),
    ("<=10m", 600),
    ("<=30m", 1800),
    ("<=1h", 3600),
    (">1h", u64::MAX),
];

/// The bucket a duration (in nanoseconds) falls in.
pub fn duration_bucket(nanos: u64) -> usize {
    DURATION_BUCKETS
        .iter()
        .position(|&(_, secs)| nanos <= secs.saturating_mul(1_000_000_000))
        .unwrap_or(DURATION_BUCKETS.len() - 1)
}

/// One address as a sender (source rows) or a receiver (destination rows).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct HostStat {
    pub address: IpAddr,
    pub country: Option<CountryCode>,
    pub label: Option<&'static str>,
    /// Flows it initiated (sources) or answered (destinations).
    pub flows: u64,
    /// Packets and bytes it sent (sources) or received (destinations), over all its flows.
    pub packets: u64,
    pub bytes: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DurationHistogram {
    pub buckets: Vec<&'static str>,
    pub protocols: Vec<DurationRow>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DurationRow {
    pub proto: String,
    /// Flows per bucket, in the order of `buckets`.
    pub flows: Vec<u64>,
    pub total: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct StatsReport {
    pub schema_version: u32,
    pub summary: Summary,
    pub top: usize,
    pub top_sources_by_bytes: Vec<HostStat>,
    pub top_sources_by_flows: Vec<HostStat>,
    pub top_destinations_by_bytes: Vec<HostStat>,
    pub top_destinations_by_flows: Vec<HostStat>,
    pub top_protocols: Vec<Share>,
    pub top_services: Vec<Share>,
    pub top_countries: Vec<Share>,
    pub duration_histogram: DurationHistogram,
}

#[derive(Default)]
struct HostTotals<'a> {
    hosts: HashMap<IpAddr, (&'a AddressInfo, HostCount)>,
}

#[derive(Clone, Copy, Default)]
struct HostCount {
    flows: u64,
    packets: u64,
    bytes: u64,
}

impl<'a> HostTotals<'a> {
    fn add(&mut self, addr: IpAddr, info: &'a AddressInfo, flows: u64, packets: u64, bytes: u64) {
        let entry = self
            .hosts
            .entry(addr)
            .or_insert((info, HostCount::default()));
        entry.1.flows += flows;
        entry.1.packets += packets;
        entry.1.bytes += bytes;
    }

    fn top(&self, n: usize, by_flows: bool) -> Vec<HostStat> {
        let mut rows: Vec<HostStat> = self
            .hosts
            .iter()
            .filter(|(_, (_, c))| if by_flows { c.flows > 0 } else { c.bytes > 0 })
            .map(|(addr, (info, c))| HostStat {
                address: *addr,
                country: info.country,
                label: info.label,
                flows: c.flows,
                packets: c.packets,
                bytes: c.bytes,
            })
            .collect();
        rows.sort_by(|a, b| {
            let key = |h: &HostStat| {
                if by_flows {
                    (h.flows, h.bytes)
                } else {
                    (h.bytes, h.flows)
                }
            };
            key(b).cmp(&key(a)).then(a.address.cmp(&b.address))
        });
        rows.truncate(n);
        rows
    }
}

impl StatsReport {
    pub fn new(selection: &Selection<'_>, top: usize) -> StatsReport {
        let summary = selection.summary();
        let (mut senders, mut receivers) = (HostTotals::default(), HostTotals::default());
        let (mut protocols, mut services, mut countries) =
            (Tally::default(), Tally::default(), Tally::default());
        let mut histogram: Vec<(String, Vec<u64>)> = Vec::new();
        for e in selection.iter() {
            let flow = e.flow;
            let (src, dst) = (flow.src().addr, flow.dst().addr);
            let (sent, received) = (flow.sent(), flow.received());
            // The initiator sent `sent` and received `received`; the responder the reverse.
            senders.add(src, e.src, 1, sent.packets, sent.bytes);
            senders.add(dst, e.dst, 0, received.packets, received.bytes);
            receivers.add(dst, e.dst, 1, sent.packets, sent.bytes);
            receivers.add(src, e.src, 0, received.packets, received.bytes);
            let (packets, bytes) = (flow.total_packets(), flow.total_bytes());
            let proto = proto_name(flow.key.proto);
            protocols.add(&proto, 1, packets, bytes);
            services.add(e.service, 1, packets, bytes);
            countries.add(flow_place(&e), 1, packets, bytes);
            let bucket = duration_bucket(flow.duration_nanos());
            match histogram.iter_mut().find(|(p, _)| *p == proto) {
                Some((_, counts)) => counts[bucket] += 1,
                None => {
                    let mut counts = vec![0; DURATION_BUCKETS.len()];
                    counts[bucket] = 1;
                    histogram.push((proto.into_owned(), counts));
                }
            }
        }
        let total = summary.selected_bytes;
        let cut = |mut rows: Vec<Share>| {
            rows.truncate(top);
            rows
        };
        let mut rows: Vec<DurationRow> = histogram
            .into_iter()
            .map(|(proto, flows)| DurationRow {
                total: flows.iter().sum(),
                proto,
                flows,
            })
            .collect();
        rows.sort_by(|a, b| b.total.cmp(&a.total).then(a.proto.cmp(&b.proto)));
        StatsReport {
            schema_version: SCHEMA_VERSION,
            top,
            top_sources_by_bytes: senders.top(top, false),
            top_sources_by_flows: senders.top(top, true),
            top_destinations_by_bytes: receivers.top(top, false),
            top_destinations_by_flows: receivers.top(top, true),
            top_protocols: cut(protocols.into_sorted(total)),
            top_services: cut(services.into_sorted(total)),
            top_countries: cut(countries.into_sorted(total)),
            duration_histogram: DurationHistogram {
                buckets: DURATION_BUCKETS.iter().map(|(label, _)| *label).collect(),
                protocols: rows,
            },
            summary,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_include_their_upper_edge() {
        let s = 1_000_000_000;
        assert_eq!(duration_bucket(0), 0);
        assert_eq!(duration_bucket(s), 0);
        assert_eq!(duration_bucket(s + 1), 1);
        assert_eq!(duration_bucket(60 * s), 5);
        assert_eq!(duration_bucket(3600 * s), 10);
        assert_eq!(duration_bucket(3600 * s + 1), 11);
        assert_eq!(duration_bucket(u64::MAX), 11);
    }
}
