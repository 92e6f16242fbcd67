//! How each view lays out: its text tables, and the rows NDJSON and CSV print.

use std::borrow::Cow;
use std::net::IpAddr;

use serde::Serialize;

use super::text::{bytes, duration, percent, thousands};
use super::{Column, Report, Rows, TextTable, text};
use crate::enrich::CountryCode;
use crate::enrich::service::proto_service;
use crate::view::dns::DnsReport;
use crate::view::flows::{FlowRecord, FlowsReport};
use crate::view::geo::{AddressRow, GeoReport, PlaceRow};
use crate::view::lookup::{AddressRecord, GeoInfoReport, LookupReport};
use crate::view::protocols::ProtocolsReport;
use crate::view::stats::{HostStat, StatsReport};
use crate::view::tally::Share;

fn endpoint(ip: IpAddr, port: Option<u16>, country: Option<CountryCode>) -> String {
    let base = match (ip, port) {
        (IpAddr::V6(v6), Some(port)) => format!("[{v6}]:{port}"),
        (ip, Some(port)) => format!("{ip}:{port}"),
        (ip, None) => ip.to_string(),
    };
    match country {
        Some(c) => format!("{base} {c}"),
        None => base,
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

    fn write_ndjson(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut line = Vec::with_capacity(1024);
        for flow in self.flows.iter() {
            line.clear();
            super::write_flow_json(&flow, &mut line);
            line.push(b'\n');
            out.write_all(&line)?;
        }
        Ok(())
    }

    fn write_text(&self, out: &mut dyn std::io::Write, width: u16) -> std::io::Result<()> {
        // Measured, then printed, row by row: the text of a long list is never held whole.
        text::streamed_table(
            &FLOW_COLUMNS,
            NO_FLOWS,
            || self.flows.iter().map(|f| flow_cells(&f)),
            out,
            width,
        )
    }

    fn text_tables(&self) -> Vec<TextTable> {
        vec![TextTable {
            title: None,
            columns: FLOW_COLUMNS.to_vec(),
            rows: self.flows.iter().map(|f| flow_cells(&f)).collect(),
            empty: NO_FLOWS,
        }]
    }
}

/// Sent and received share a column, one above the other, so the service and server name
/// fit beside them in 100 columns.
const FLOW_COLUMNS: [Column; 8] = [
    Column::text("Proto"),
    Column::text("Source"),
    Column::text("Destination"),
    Column::number("Pkts →←"),
    Column::number("Bytes →←"),
    Column::number("Duration"),
    Column::text("State"),
    Column::text("Service"),
];

const NO_FLOWS: &str = "no flows";

fn flow_cells(f: &FlowRecord<'_>) -> Vec<String> {
    let state = match (f.tcp_state, f.icmp_id) {
        (Some(state), _) => state.to_string(),
        (None, Some(id)) => format!("echo {id}"),
        (None, None) => String::new(),
    };
    vec![
        f.proto.to_string(),
        endpoint(f.src_ip, f.src_port, f.src_country),
        endpoint(f.dst_ip, f.dst_port, f.dst_country),
        format!(
            "{}\n{}",
            thousands(f.packets_sent),
            thousands(f.packets_received)
        ),
        format!("{}\n{}", bytes(f.bytes_sent), bytes(f.bytes_received)),
        duration(f.duration_s),
        state,
        // The service, then the server's name; a port's guess is shown in parentheses: the
        // payload did not confirm it.
        match (f.service_source, &f.server_name) {
            ("port", None) => format!("({})", f.service),
            ("port", Some(name)) => format!("({}) {name}", f.service),
            (_, None) => f.service.to_string(),
            (_, Some(name)) => format!("{} {name}", f.service),
        },
    ]
}

/// A row of a view made of several named lists, for NDJSON and CSV.
#[derive(Clone, Debug, Serialize)]
pub struct SectionRow<'a> {
    pub section: Cow<'a, str>,
    pub name: Cow<'a, str>,
    /// Service rows: whether the name is the port's guess.
    pub port_guess: Option<bool>,
    pub country: Option<&'a str>,
    pub flows: u64,
    pub packets: Option<u64>,
    pub bytes: Option<u64>,
    pub share: Option<f64>,
}

fn share_rows<'a>(section: &'a str, shares: &'a [Share]) -> impl Iterator<Item = SectionRow<'a>> {
    shares.iter().map(move |s| SectionRow {
        section: Cow::Borrowed(section),
        name: Cow::Borrowed(&s.name),
        port_guess: s.port_guess,
        country: None,
        flows: s.flows,
        packets: Some(s.packets),
        bytes: Some(s.bytes),
        share: Some(s.share),
    })
}

/// A protocol as people know it: `igmp` rather than the number the JSON carries for it.
fn proto_label(name: &str) -> String {
    match name.parse::<u8>() {
        Ok(number) => format!("{} ({number})", proto_service(number)),
        Err(_) => name.to_string(),
    }
}

fn share_table(
    title: &str,
    first: &'static str,
    shares: &[Share],
    limit: Option<usize>,
) -> TextTable {
    let shown = limit.unwrap_or(usize::MAX).min(shares.len());
    let protocols = first == "Protocol";
    let mut rows: Vec<Vec<String>> = shares[..shown]
        .iter()
        .map(|s| {
            vec![
                if protocols {
                    proto_label(&s.name)
                } else if s.port_guess == Some(true) {
                    format!("{} (port)", s.name)
                } else {
                    s.name.clone()
                },
                thousands(s.flows),
                thousands(s.packets),
                bytes(s.bytes),
                percent(s.share),
            ]
        })
        .collect();
    if shown < shares.len() {
        let rest = &shares[shown..];
        rows.push(vec![
            format!("({} more)", rest.len()),
            thousands(rest.iter().map(|s| s.flows).sum()),
            thousands(rest.iter().map(|s| s.packets).sum()),
            bytes(rest.iter().map(|s| s.bytes).sum()),
            percent(rest.iter().map(|s| s.share).sum()),
        ]);
    }
    TextTable {
        title: Some(title.to_string()),
        columns: vec![
            Column::text(first),
            Column::number("Flows"),
            Column::number("Packets"),
            Column::number("Bytes"),
            Column::number("Share"),
        ],
        rows,
        empty: "  (none)",
    }
}

impl Report for ProtocolsReport {
    type Row<'a> = SectionRow<'a>;

    fn rows(&self) -> Rows<'_, SectionRow<'_>> {
        Box::new(
            share_rows("transport", &self.transports)
                .chain(share_rows("service", &self.services))
                .chain(share_rows("country", &self.countries)),
        )
    }

    fn text_tables(&self) -> Vec<TextTable> {
        vec![
            share_table("By transport protocol", "Protocol", &self.transports, None),
            share_table(
                "By service ((port): guessed from the port number)",
                "Service",
                &self.services,
                Some(25),
            ),
            share_table(
                "By country (of each flow's remote end)",
                "Country",
                &self.countries,
                Some(25),
            ),
        ]
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

    fn text_tables(&self) -> Vec<TextTable> {
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
        vec![
            host_table(
                &format!("Top {n} sources by bytes sent"),
                &self.top_sources_by_bytes,
                "Flows out",
                "Bytes sent",
            ),
            host_table(
                &format!("Top {n} sources by flows"),
                &self.top_sources_by_flows,
                "Flows out",
                "Bytes sent",
            ),
            host_table(
                &format!("Top {n} destinations by bytes received"),
                &self.top_destinations_by_bytes,
                "Flows in",
                "Bytes recv",
            ),
            host_table(
                &format!("Top {n} destinations by flows"),
                &self.top_destinations_by_flows,
                "Flows in",
                "Bytes recv",
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
            histogram,
        ]
    }
}

/// A horizontal bar `fraction` (0 to 1) of `width` cells long, in eighths of a cell.
pub fn bar(fraction: f64, width: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = (fraction.clamp(0.0, 1.0) * (width * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(PARTS[eighths % 8]);
    }
    if s.is_empty() && fraction > 0.0 {
        s.push('▏');
    }
    s
}

/// Geo rows: countries, or the drilled-into country's addresses.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum GeoRow<'a> {
    Place(&'a PlaceRow),
    Address(&'a AddressRow),
}

impl Report for GeoReport {
    type Row<'a> = GeoRow<'a>;

    fn rows(&self) -> Rows<'_, GeoRow<'_>> {
        match &self.detail {
            Some(detail) => Box::new(detail.addresses.iter().map(GeoRow::Address)),
            None => Box::new(self.countries.iter().map(GeoRow::Place)),
        }
    }

    fn text_tables(&self) -> Vec<TextTable> {
        if let Some(detail) = &self.detail {
            let addresses = TextTable {
                title: Some(format!("Addresses in {}", detail.country)),
                columns: vec![
                    Column::text("Address"),
                    Column::text("City"),
                    Column::text("AS"),
                    Column::number("Flows"),
                    Column::number("Sent to"),
                    Column::number("Recv from"),
                ],
                rows: detail
                    .addresses
                    .iter()
                    .map(|a| {
                        vec![
                            a.address.to_string(),
                            a.city.clone().unwrap_or_default(),
                            match (&a.asn, &a.as_org) {
                                (Some(n), Some(org)) => format!("AS{n} {org}"),
                                (Some(n), None) => format!("AS{n}"),
                                _ => String::new(),
                            },
                            thousands(a.flows),
                            bytes(a.bytes_to),
                            bytes(a.bytes_from),
                        ]
                    })
                    .collect(),
                empty: "  (no traffic with this country)",
            };
            let services = share_table(
                &format!("Services with {}", detail.country),
                "Service",
                &detail.services,
                Some(25),
            );
            return vec![addresses, services];
        }
        let max = self.countries.iter().map(|c| c.share).fold(0.0, f64::max);
        let rows = self
            .countries
            .iter()
            .map(|c| {
                vec![
                    c.country.clone(),
                    thousands(c.flows),
                    thousands(c.addresses),
                    bytes(c.bytes_to),
                    bytes(c.bytes_from),
                    percent(c.share),
                    bar(if max > 0.0 { c.share / max } else { 0.0 }, 24),
                ]
            })
            .collect();
        vec![TextTable {
            title: None,
            columns: vec![
                Column::text("Country"),
                Column::number("Flows"),
                Column::number("Addrs"),
                Column::number("Sent to"),
                Column::number("Recv from"),
                Column::number("Share"),
                Column::text(""),
            ],
            rows,
            empty: "no flows",
        }]
    }
}

impl Report for LookupReport {
    type Row<'a> = &'a AddressRecord;

    fn rows(&self) -> Rows<'_, &AddressRecord> {
        Box::new(self.addresses.iter())
    }

    fn text_tables(&self) -> Vec<TextTable> {
        vec![TextTable {
            title: None,
            columns: vec![
                Column::text("Address"),
                Column::text("Country"),
                Column::text("Label"),
                Column::text("City"),
                Column::text("AS"),
            ],
            rows: self
                .addresses
                .iter()
                .map(|a| {
                    vec![
                        a.address.to_string(),
                        a.country.map(|c| c.to_string()).unwrap_or_default(),
                        a.label.unwrap_or("").to_string(),
                        a.city.clone().unwrap_or_default(),
                        match (&a.asn, &a.as_org) {
                            (Some(n), Some(org)) => format!("AS{n} {org}"),
                            (Some(n), None) => format!("AS{n}"),
                            _ => String::new(),
                        },
                    ]
                })
                .collect(),
            empty: "no addresses",
        }]
    }
}

impl Report for GeoInfoReport {
    type Row<'a> = &'a crate::enrich::DatabaseInfo;

    fn rows(&self) -> Rows<'_, &crate::enrich::DatabaseInfo> {
        Box::new(self.databases.iter())
    }

    fn text_tables(&self) -> Vec<TextTable> {
        let mut rows: Vec<Vec<String>> = Vec::new();
        for db in &self.databases {
            rows.push(vec!["source".into(), db.source.clone()]);
            rows.push(vec!["type".into(), db.database_type.clone()]);
            rows.push(vec!["built".into(), db.build_time.clone()]);
            rows.push(vec!["IP version".into(), db.ip_version.to_string()]);
            rows.push(vec!["size".into(), bytes(db.size_bytes)]);
            if let Some(d) = &db.description {
                rows.push(vec!["description".into(), d.clone()]);
            }
            if db.source == "bundled" {
                rows.push(vec![
                    "package".into(),
                    format!("{} {}", self.bundled.package, self.bundled.version),
                ]);
                rows.push(vec!["licence".into(), self.bundled.licence.to_string()]);
            }
        }
        vec![TextTable {
            title: None,
            columns: vec![Column::text("GeoIP"), Column::text("")],
            rows,
            empty: "GeoIP lookups are off (--no-geoip)",
        }]
    }
}

/// A DNS question as one NDJSON or CSV record: lists joined by spaces.
#[derive(Clone, Debug, Serialize)]
pub struct DnsRow<'a> {
    pub name: &'a str,
    #[serde(rename = "type")]
    pub qtype: &'a str,
    pub queries: u64,
    pub responses: String,
    pub unanswered: u64,
    pub answers: String,
    pub client_count: u64,
    pub clients: String,
}

fn responses_text(responses: &std::collections::BTreeMap<&'static str, u64>) -> String {
    let parts: Vec<String> = responses
        .iter()
        .map(|(code, n)| format!("{code} {n}"))
        .collect();
    parts.join(", ")
}

impl Report for DnsReport {
    type Row<'a> = DnsRow<'a>;

    fn rows(&self) -> Rows<'_, DnsRow<'_>> {
        Box::new(self.names.iter().map(|n| {
            DnsRow {
                name: &n.name,
                qtype: &n.qtype,
                queries: n.queries,
                responses: responses_text(&n.responses),
                unanswered: n.unanswered,
                answers: n.answers.join(" "),
                client_count: n.client_count,
                clients: n
                    .clients
                    .iter()
                    .map(IpAddr::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
            }
        }))
    }

    fn text_tables(&self) -> Vec<TextTable> {
        let rows = self
            .names
            .iter()
            .map(|n| {
                let mut answers = n
                    .answers
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ");
                if n.answers.len() > 3 {
                    answers.push_str(&format!(" +{}", n.answers.len() - 3));
                }
                let mut responses = responses_text(&n.responses);
                if n.unanswered > 0 {
                    if !responses.is_empty() {
                        responses.push_str(", ");
                    }
                    responses.push_str(&format!("none {}", n.unanswered));
                }
                vec![
                    n.name.clone(),
                    n.qtype.clone(),
                    thousands(n.queries),
                    responses,
                    answers,
                    thousands(n.client_count),
                ]
            })
            .collect();
        vec![TextTable {
            title: None,
            columns: vec![
                Column::text("Name"),
                Column::text("Type"),
                Column::number("Queries"),
                Column::text("Responses"),
                Column::text("Answers"),
                Column::number("Clients"),
            ],
            rows,
            empty: "no DNS queries",
        }]
    }
}
