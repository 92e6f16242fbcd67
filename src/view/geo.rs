//! The Geomap as data: traffic per country (and per special range), and one country's detail.

use std::io;
use std::net::IpAddr;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::cells::{autonomous_system, bar, bytes, percent, thousands};
use super::report::{Column, Record, Report, Rows, Text, TextTable};
use super::tally::share_table;
use super::tally::{Share, Tally, fraction};
use super::{Enriched, SCHEMA_VERSION, Summary};
use crate::enrich::special::PUBLIC;
use crate::enrich::{AddressInfo, Enricher, Tags};
use crate::flow::Flow;
use crate::pipeline::CaptureStats;
use crate::pipeline::{CaptureReport, Finished, Listed, View};

/// Traffic of one country, or of a pseudo-country: a special-range label (`private`, ...) or
/// `unknown` for public addresses the database does not place.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct PlaceRow {
    pub country: String,
    /// `country`, `label` or `unknown`.
    pub kind: &'static str,
    /// Flows with at least one end here.
    pub flows: u64,
    /// Packets and bytes whose receiver is here ("sent to it").
    pub packets_to: u64,
    pub bytes_to: u64,
    /// Packets and bytes whose sender is here ("received from it").
    pub packets_from: u64,
    pub bytes_from: u64,
    /// (bytes_to + bytes_from) / (2 × selected bytes): the place's part of the traffic.
    pub share: f64,
    /// Distinct addresses here.
    pub addresses: u64,
}

/// One address of a drilled-into country.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AddressRow {
    /// The place (country code or label) detailed.
    pub country: String,
    pub address: IpAddr,
    pub city: Option<String>,
    pub asn: Option<u32>,
    pub as_org: Option<String>,
    pub flows: u64,
    pub bytes_to: u64,
    pub bytes_from: u64,
    pub packets_to: u64,
    pub packets_from: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CountryDetail {
    pub country: String,
    pub addresses: Vec<AddressRow>,
    /// Services of the flows with an end in the country; shares are of those flows' bytes.
    pub services: Vec<Share>,
    /// The organisations (AS owners) of the country's ends of those flows.
    pub organizations: Vec<Share>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GeoReport {
    pub schema_version: u32,
    pub summary: Summary,
    pub countries: Vec<PlaceRow>,
    /// Places in the capture (`countries` lists them all, or the first `--top`).
    pub total_places: usize,
    /// With `--country CC`: the first place's addresses and services (as `details[0]`, kept for
    /// readers of one place).
    pub detail: Option<CountryDetail>,
    /// With `--country CC,...`: each place's addresses, services and organisations.
    pub details: Vec<CountryDetail>,
}

fn kind(info: &AddressInfo) -> &'static str {
    match (info.country, info.label) {
        (Some(_), _) => "country",
        (None, Some(_)) => "label",
        (None, None) => "unknown",
    }
}

/// Traffic of one address of the drilled-into country.
#[derive(Clone, Copy, Default)]
struct AddressCount {
    info: u32,
    flows: u64,
    bytes_to: u64,
    bytes_from: u64,
    packets_to: u64,
    packets_from: u64,
}

/// Builds the [`GeoReport`] flow by flow.
pub struct GeoView {
    /// The places (country codes or labels) to detail, in the order asked.
    drill: Vec<String>,
    /// The list's order and length.
    list: PlaceListConfig,
    places: FxHashMap<String, PlaceRow>,
    /// Every address seen, with its enrichment id (an address has one place).
    addresses: FxHashMap<IpAddr, u32>,
    details: Vec<DetailTally>,
}

/// How the list of places is ordered and cut.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlaceListConfig {
    pub sort: PlaceSort,
    /// Only the first N places.
    pub top: Option<usize>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PlaceSort {
    /// Bytes both ways, most first.
    #[default]
    Bytes,
    Flows,
    Addresses,
}

/// One drilled-into place, as flows come.
#[derive(Default)]
struct DetailTally {
    addresses: FxHashMap<IpAddr, AddressCount>,
    services: Tally,
    organizations: Tally,
    bytes: u64,
}

impl CaptureReport for GeoReport {
    fn summary(&self) -> &Summary {
        &self.summary
    }

    fn listed(&self) -> Option<Listed> {
        // With details the list of places is not shown.
        let cut = self.details.is_empty() && self.countries.len() < self.total_places;
        cut.then_some(Listed {
            shown: self.countries.len() as u64,
            of: self.total_places as u64,
            what: "places",
        })
    }
}

impl GeoView {
    /// `drill`: the places to detail (country codes, labels such as `private`).
    pub fn new(mut drill: Vec<String>, list: PlaceListConfig) -> GeoView {
        // A place named twice is detailed once.
        let mut seen = Vec::new();
        drill.retain(|p| {
            let lower = p.to_ascii_lowercase();
            let new = !seen.contains(&lower);
            seen.push(lower);
            new
        });
        GeoView {
            details: drill.iter().map(|_| DetailTally::default()).collect(),
            drill,
            list,
            places: FxHashMap::default(),
            addresses: FxHashMap::default(),
        }
    }

    fn report(self, summary: Summary, enricher: &Enricher) -> GeoReport {
        let total = summary.selected_bytes;
        let mut per_place: FxHashMap<&str, u64> = FxHashMap::default();
        for &info in self.addresses.values() {
            *per_place.entry(enricher.info(info).place()).or_insert(0) += 1;
        }
        let mut countries: Vec<PlaceRow> = self
            .places
            .into_values()
            .map(|mut row| {
                row.share = fraction(row.bytes_to + row.bytes_from, 2 * total);
                row.addresses = per_place.get(row.country.as_str()).copied().unwrap_or(0);
                row
            })
            .collect();
        let sort = self.list.sort;
        let key = |row: &PlaceRow| match sort {
            PlaceSort::Bytes => row.bytes_to + row.bytes_from,
            PlaceSort::Flows => row.flows,
            PlaceSort::Addresses => row.addresses,
        };
        countries.sort_by(|a, b| key(b).cmp(&key(a)).then(a.country.cmp(&b.country)));
        let total_places = countries.len();
        if let Some(top) = self.list.top {
            countries.truncate(top);
        }
        let details: Vec<CountryDetail> = self
            .drill
            .into_iter()
            .zip(self.details)
            .map(|(place, tally)| {
                let mut rows: Vec<AddressRow> = tally
                    .addresses
                    .into_iter()
                    .map(|(address, c)| {
                        let info = enricher.info(c.info);
                        AddressRow {
                            country: place.clone(),
                            address,
                            city: info.city.clone(),
                            asn: info.asn,
                            as_org: info.as_org.clone(),
                            flows: c.flows,
                            bytes_to: c.bytes_to,
                            bytes_from: c.bytes_from,
                            packets_to: c.packets_to,
                            packets_from: c.packets_from,
                        }
                    })
                    .collect();
                rows.sort_by(|a, b| {
                    (b.bytes_to + b.bytes_from)
                        .cmp(&(a.bytes_to + a.bytes_from))
                        .then(a.address.cmp(&b.address))
                });
                CountryDetail {
                    country: place,
                    addresses: rows,
                    // Shares of the traffic of the place's flows.
                    services: tally.services.into_sorted(tally.bytes),
                    organizations: tally.organizations.into_sorted(tally.bytes),
                }
            })
            .collect();
        GeoReport {
            schema_version: SCHEMA_VERSION,
            summary,
            countries,
            total_places,
            detail: details.first().cloned(),
            details,
        }
    }

    /// Which drilled-into place `info`'s address is in: the first named that holds it
    /// (`public` holds every address without a label).
    fn drilled(&self, info: &AddressInfo) -> Option<usize> {
        let place = info.place();
        self.drill
            .iter()
            .position(|p| p.eq_ignore_ascii_case(place) || (p == PUBLIC && info.label.is_none()))
    }
}

impl View for GeoView {
    type Report = GeoReport;

    fn finish(self, run: Finished) -> io::Result<GeoReport> {
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
        let ends = [
            (flow.src().addr, e.src, tags.src),
            (flow.dst().addr, e.dst, tags.dst),
        ];
        let (sent, received) = (flow.sent(), flow.received());
        // The drilled-into place of each end, found once.
        let drilled = [self.drilled(e.src), self.drilled(e.dst)];
        for (i, &(addr, info, id)) in ends.iter().enumerate() {
            let place = info.place();
            if !self.places.contains_key(place) {
                self.places.insert(
                    place.to_string(),
                    PlaceRow {
                        country: place.to_string(),
                        kind: kind(info),
                        ..PlaceRow::default()
                    },
                );
            }
            let Some(row) = self.places.get_mut(place) else {
                continue;
            };
            // What this end received, and what it sent.
            let (to, from) = if i == 0 {
                (received, sent)
            } else {
                (sent, received)
            };
            row.packets_to += to.packets;
            row.bytes_to += to.bytes;
            row.packets_from += from.packets;
            row.bytes_from += from.bytes;
            // A flow with both ends in one place counts once there.
            if i == 0 || ends[0].1.place() != place {
                row.flows += 1;
            }
            self.addresses.entry(addr).or_insert(id);
            if let Some(detail) = drilled[i] {
                let a = self.details[detail]
                    .addresses
                    .entry(addr)
                    .or_insert(AddressCount {
                        info: id,
                        ..AddressCount::default()
                    });
                a.flows += 1;
                a.bytes_to += to.bytes;
                a.bytes_from += from.bytes;
                a.packets_to += to.packets;
                a.packets_from += from.packets;
            }
        }
        let [src_place, dst_place] = drilled;
        for (detail, tally) in self.details.iter_mut().enumerate() {
            // The place's end: the responder when it is there, else the initiator.
            let end = match (src_place == Some(detail), dst_place == Some(detail)) {
                (_, true) => e.dst,
                (true, false) => e.src,
                (false, false) => continue,
            };
            let (packets, bytes) = (flow.total_packets(), flow.total_bytes());
            tally
                .services
                .add_service(e.service_label, e.service, e.port_guess, 1, packets, bytes);
            tally.organizations.add(
                end.as_org.as_deref().unwrap_or("unknown"),
                1,
                packets,
                bytes,
            );
            tally.bytes += bytes;
        }
        Ok(())
    }
}

/// Geo rows: countries, or the drilled-into country's addresses.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum GeoRow<'a> {
    Place(&'a PlaceRow),
    Address(&'a AddressRow),
}

impl Record for GeoRow<'_> {}

impl Report for GeoReport {
    type Row<'a> = GeoRow<'a>;

    fn rows(&self) -> Rows<'_, GeoRow<'_>> {
        if self.details.is_empty() {
            return Box::new(self.countries.iter().map(GeoRow::Place));
        }
        Box::new(
            self.details
                .iter()
                .flat_map(|d| d.addresses.iter().map(GeoRow::Address)),
        )
    }

    fn text(&self) -> Text<'_> {
        let mut tables = Vec::new();
        for detail in &self.details {
            let addresses = TextTable {
                title: Some(format!("Addresses in {}", detail.country)),
                columns: vec![
                    Column::text("Address"),
                    Column::text("City").shortened_to(12).optional(),
                    Column::text("AS").shortened_to(12).optional(),
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
                            autonomous_system(a.asn, a.as_org.as_deref()),
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
            let organizations = share_table(
                &format!("Organisations in {}", detail.country),
                "Organisation",
                &detail.organizations,
                Some(25),
            );
            tables.extend([addresses, services, organizations]);
        }
        if !tables.is_empty() {
            return Text::Tables(tables);
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
        Text::Tables(vec![TextTable {
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
        }])
    }
}
