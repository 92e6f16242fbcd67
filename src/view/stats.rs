//! Statistics: the busiest sources and destinations, services, protocols and countries, and
//! how long flows last.

use std::borrow::Cow;
use std::io;
use std::net::IpAddr;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::cells::{bytes, thousands};
use super::protocols::flow_place;
use super::report::{Column, Report, Rows, Text, TextTable};
use super::tally::{SectionRow, proto_label, share_rows, share_table};
use super::tally::{Share, Tally};
use super::{Enriched, SCHEMA_VERSION, Summary, proto_name};
use crate::enrich::{CountryCode, Enricher, Tags};
use crate::flow::Flow;
use crate::pipeline::CaptureStats;
use crate::pipeline::{CaptureReport, Finished, View};

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
    /// Server names (TLS/QUIC SNI, HTTP Host, DNS) by bytes, and by flows.
    pub top_server_names_by_bytes: Vec<Share>,
    pub top_server_names_by_flows: Vec<Share>,
    pub top_countries: Vec<Share>,
    /// The organisations owning each flow's remote end (its responder's AS, else its
    /// initiator's, else the responder's label such as `private`).
    pub top_organizations: Vec<Share>,
    pub duration_histogram: DurationHistogram,
}

/// Flows, packets and bytes of one address in one role.
#[derive(Clone, Copy, Default)]
struct HostCount {
    flows: u64,
    packets: u64,
    bytes: u64,
}

impl HostCount {
    fn add(&mut self, flows: u64, packets: u64, bytes: u64) {
        self.flows += flows;
        self.packets += packets;
        self.bytes += bytes;
    }
}

/// One address: what enrichment said (as an id) and its counts as a sender and a receiver.
/// One map for both roles holds each address once; memory follows the distinct addresses.
#[derive(Clone, Copy)]
struct Host {
    info: u32,
    sent: HostCount,
    received: HostCount,
}

#[derive(Clone, Copy)]
enum Role {
    Sender,
    Receiver,
}

/// Who owns a flow's remote end: the organisation of its responder's AS, else of its
/// initiator's, else the responder's place (`private`, `unknown`, ...), as countries are counted.
pub fn flow_owner<'a>(e: &Enriched<'a>) -> &'a str {
    match (&e.dst.as_org, &e.src.as_org) {
        (Some(org), _) | (None, Some(org)) => org,
        (None, None) => e.dst.place(),
    }
}

/// Builds the [`StatsReport`] flow by flow.
pub struct StatsView {
    /// Rows of each top list.
    top: usize,
    hosts: FxHashMap<IpAddr, Host>,
    protocols: Tally,
    services: Tally,
    server_names: Tally,
    countries: Tally,
    organizations: Tally,
    /// Flows per duration bucket, by protocol name, in first-seen order.
    histogram: Vec<(String, Vec<u64>)>,
}

impl StatsView {
    /// A view whose top lists have `top` rows.
    pub fn new(top: usize) -> StatsView {
        StatsView {
            top,
            hosts: FxHashMap::default(),
            protocols: Tally::default(),
            services: Tally::default(),
            server_names: Tally::default(),
            countries: Tally::default(),
            organizations: Tally::default(),
            histogram: Vec::new(),
        }
    }

    fn host(&mut self, addr: IpAddr, info: u32) -> &mut Host {
        self.hosts.entry(addr).or_insert(Host {
            info,
            sent: HostCount::default(),
            received: HostCount::default(),
        })
    }

    fn top(&self, enricher: &Enricher, n: usize, role: Role, by_flows: bool) -> Vec<HostStat> {
        let count = |h: &Host| match role {
            Role::Sender => h.sent,
            Role::Receiver => h.received,
        };
        let key = |c: &HostCount| {
            if by_flows {
                (c.flows, c.bytes)
            } else {
                (c.bytes, c.flows)
            }
        };
        // Rank small keys first; only the top `n` become rows.
        let mut ranked: Vec<(HostCount, IpAddr, u32)> = self
            .hosts
            .iter()
            .map(|(addr, h)| (count(h), *addr, h.info))
            .filter(|(c, _, _)| if by_flows { c.flows > 0 } else { c.bytes > 0 })
            .collect();
        let order = |a: &(HostCount, IpAddr, u32), b: &(HostCount, IpAddr, u32)| {
            key(&b.0).cmp(&key(&a.0)).then(a.1.cmp(&b.1))
        };
        if ranked.len() > n {
            if n == 0 {
                ranked.clear();
            } else {
                ranked.select_nth_unstable_by(n - 1, order);
                ranked.truncate(n);
            }
        }
        ranked.sort_by(order);
        ranked
            .into_iter()
            .map(|(c, address, info)| {
                let info = enricher.info(info);
                HostStat {
                    address,
                    country: info.country,
                    label: info.label,
                    flows: c.flows,
                    packets: c.packets,
                    bytes: c.bytes,
                }
            })
            .collect()
    }

    fn report(self, summary: Summary, enricher: &Enricher) -> StatsReport {
        let top = self.top;
        let total = summary.selected_bytes;
        let cut = |mut rows: Vec<Share>| {
            rows.truncate(top);
            rows
        };
        let top_sources_by_bytes = self.top(enricher, top, Role::Sender, false);
        let top_sources_by_flows = self.top(enricher, top, Role::Sender, true);
        let top_destinations_by_bytes = self.top(enricher, top, Role::Receiver, false);
        let top_destinations_by_flows = self.top(enricher, top, Role::Receiver, true);
        let mut rows: Vec<DurationRow> = self
            .histogram
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
            top_sources_by_bytes,
            top_sources_by_flows,
            top_destinations_by_bytes,
            top_destinations_by_flows,
            top_protocols: cut(self.protocols.into_sorted(total)),
            top_services: cut(self.services.into_sorted(total)),
            top_server_names_by_flows: {
                let mut by_flows = self.server_names.clone().into_sorted(total);
                by_flows.sort_by(|a, b| b.flows.cmp(&a.flows).then(a.name.cmp(&b.name)));
                cut(by_flows)
            },
            top_server_names_by_bytes: cut(self.server_names.into_sorted(total)),
            top_countries: cut(self.countries.into_sorted(total)),
            top_organizations: cut(self.organizations.into_sorted(total)),
            duration_histogram: DurationHistogram {
                buckets: DURATION_BUCKETS.iter().map(|(label, _)| *label).collect(),
                protocols: rows,
            },
            summary,
        }
    }
}

impl CaptureReport for StatsReport {
    fn summary(&self) -> &Summary {
        &self.summary
    }
}

impl View for StatsView {
    type Report = StatsReport;

    fn finish(self, run: Finished) -> io::Result<StatsReport> {
        Ok(self.report(run.summary, &run.enricher))
    }

    fn add(
        &mut self,
        flow: Flow,
        tags: Tags,
        enricher: &Enricher,
        _: &CaptureStats,
    ) -> io::Result<()> {
        let e = Enriched::new(&flow, tags, enricher);
        let (src, dst) = (flow.src().addr, flow.dst().addr);
        let (sent, received) = (flow.sent(), flow.received());
        // The initiator sent `sent` and received `received`; the responder the reverse.
        let initiator = self.host(src, tags.src);
        initiator.sent.add(1, sent.packets, sent.bytes);
        initiator.received.add(0, received.packets, received.bytes);
        let responder = self.host(dst, tags.dst);
        responder.sent.add(0, received.packets, received.bytes);
        responder.received.add(1, sent.packets, sent.bytes);
        let (packets, bytes) = (flow.total_packets(), flow.total_bytes());
        let proto = proto_name(flow.key.proto);
        self.protocols.add(&proto, 1, packets, bytes);
        self.services
            .add_service(e.service_label, e.service, e.port_guess, 1, packets, bytes);
        if let Some(name) = flow
            .app
            .as_ref()
            .and_then(|a| a.info.server_name.as_deref())
        {
            self.server_names.add(name, 1, packets, bytes);
        }
        self.countries.add(flow_place(&e), 1, packets, bytes);
        self.organizations.add(flow_owner(&e), 1, packets, bytes);
        let bucket = duration_bucket(flow.duration_nanos());
        match self.histogram.iter_mut().find(|(p, _)| *p == proto) {
            Some((_, counts)) => counts[bucket] += 1,
            None => {
                let mut counts = vec![0; DURATION_BUCKETS.len()];
                counts[bucket] = 1;
                self.histogram.push((proto.into_owned(), counts));
            }
        }
        Ok(())
    }
}

fn host_rows<'a>(section: &'a str, hosts: &'a [HostStat]) -> impl Iterator<Item = SectionRow<'a>> {
    hosts.iter().map(move |h| SectionRow {
        section: Cow::Borrowed(section),
        name: Cow::Owned(h.address.to_string()),
        port_guess: None,
        country: h.country.as_ref().map(|c| c.as_str()).or(h.label),
        flows: h.flows,
        packets: Some(h.packets),
        bytes: Some(h.bytes),
        share: None,
    })
}

fn host_table(
    title: &str,
    hosts: &[HostStat],
    flows_header: &'static str,
    bytes_header: &'static str,
) -> TextTable {
    TextTable {
        title: Some(title.to_string()),
        columns: vec![
            Column::text("Address"),
            Column::text("Where"),
            Column::number(flows_header),
            Column::number("Packets"),
            Column::number(bytes_header),
        ],
        rows: hosts
            .iter()
            .map(|h| {
                vec![
                    h.address.to_string(),
                    h.country
                        .map_or_else(|| h.label.unwrap_or("").to_string(), |c| c.to_string()),
                    thousands(h.flows),
                    thousands(h.packets),
                    bytes(h.bytes),
                ]
            })
            .collect(),
        empty: "  (none)",
    }
}

impl Report for StatsReport {
    type Row<'a> = SectionRow<'a>;

    fn rows(&self) -> Rows<'_, SectionRow<'_>> {
        let mut rows: Vec<SectionRow<'_>> =
            host_rows("top_sources_by_bytes", &self.top_sources_by_bytes)
                .chain(host_rows(
                    "top_sources_by_flows",
                    &self.top_sources_by_flows,
                ))
                .chain(host_rows(
                    "top_destinations_by_bytes",
                    &self.top_destinations_by_bytes,
                ))
                .chain(host_rows(
                    "top_destinations_by_flows",
                    &self.top_destinations_by_flows,
                ))
                .chain(share_rows("top_protocols", &self.top_protocols))
                .chain(share_rows("top_services", &self.top_services))
                .chain(share_rows(
                    "top_server_names_by_bytes",
                    &self.top_server_names_by_bytes,
                ))
                .chain(share_rows(
                    "top_server_names_by_flows",
                    &self.top_server_names_by_flows,
                ))
                .chain(share_rows("top_countries", &self.top_countries))
                .chain(share_rows("top_organizations", &self.top_organizations))
                .collect();
        for row in &self.duration_histogram.protocols {
            for (bucket, flows) in self.duration_histogram.buckets.iter().zip(&row.flows) {
                rows.push(SectionRow {
                    section: Cow::Owned(format!("duration:{}", row.proto)),
                    name: Cow::Borrowed(bucket),
                    port_guess: None,
                    country: None,
                    flows: *flows,
                    packets: None,
                    bytes: None,
                    share: None,
                });
            }
        }
        Box::new(rows.into_iter())
    }

    fn text(&self) -> Text<'_> {
        let n = self.top;
        let mut columns = vec![Column::text("Proto")];
        columns.extend(
            self.duration_histogram
                .buckets
                .iter()
                .map(|b| Column::number(b)),
        );
        let histogram = TextTable {
            title: Some("Flow durations (flows per bucket)".to_string()),
            columns,
            rows: self
                .duration_histogram
                .protocols
                .iter()
                .map(|row| {
                    std::iter::once(proto_label(&row.proto))
                        .chain(row.flows.iter().map(|f| thousands(*f)))
                        .collect()
                })
                .collect(),
            empty: "  (no flows)",
        };
        Text::Tables(vec![
            host_table(
                &format!("Top {n} senders by bytes sent (as client or server)"),
                &self.top_sources_by_bytes,
                "Flows started",
                "Bytes sent",
            ),
            host_table(
                &format!("Top {n} clients by flows started"),
                &self.top_sources_by_flows,
                "Flows started",
                "Bytes sent",
            ),
            host_table(
                &format!("Top {n} receivers by bytes received (as client or server)"),
                &self.top_destinations_by_bytes,
                "Flows answered",
                "Bytes received",
            ),
            host_table(
                &format!("Top {n} servers by flows answered"),
                &self.top_destinations_by_flows,
                "Flows answered",
                "Bytes received",
            ),
            share_table(
                &format!("Top {n} protocols"),
                "Protocol",
                &self.top_protocols,
                None,
            ),
            share_table(
                &format!("Top {n} services"),
                "Service",
                &self.top_services,
                None,
            ),
            share_table(
                &format!("Top {n} server names by bytes"),
                "Server name",
                &self.top_server_names_by_bytes,
                Some(40),
            ),
            share_table(
                &format!("Top {n} server names by flows"),
                "Server name",
                &self.top_server_names_by_flows,
                Some(40),
            ),
            share_table(
                &format!("Top {n} countries"),
                "Country",
                &self.top_countries,
                None,
            ),
            share_table(
                &format!("Top {n} organisations (of each flow's remote end)"),
                "Organisation",
                &self.top_organizations,
                None,
            ),
            histogram,
        ])
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
