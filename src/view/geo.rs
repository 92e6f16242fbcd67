//! The Geomap as data: traffic per country (and per special range), and one country's detail.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use serde::Serialize;

use super::tally::{Share, Tally, fraction};
use super::{SCHEMA_VERSION, Selection, Summary};
use crate::enrich::{AddressInfo, CountryCode};

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
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GeoReport {
    pub schema_version: u32,
    pub summary: Summary,
    pub countries: Vec<PlaceRow>,
    /// With `--country CC`: that country's addresses and services.
    pub detail: Option<CountryDetail>,
}

fn kind(info: &AddressInfo) -> &'static str {
    match (info.country, info.label) {
        (Some(_), _) => "country",
        (None, Some(_)) => "label",
        (None, None) => "unknown",
    }
}

impl GeoReport {
    pub fn new(selection: &Selection<'_>, drill: Option<CountryCode>) -> GeoReport {
        let summary = selection.summary();
        let mut places: HashMap<String, PlaceRow> = HashMap::new();
        let mut addresses: HashMap<String, HashSet<IpAddr>> = HashMap::new();
        let mut detail_addresses: HashMap<IpAddr, AddressRow> = HashMap::new();
        let mut detail_services = Tally::default();
        let drill_code = drill.map(|c| c.as_str().to_string());
        let mut drilled_bytes = 0;
        for e in selection.iter() {
            let flow = e.flow;
            let ends = [(flow.src().addr, e.src), (flow.dst().addr, e.dst)];
            let (sent, received) = (flow.sent(), flow.received());
            for (i, (addr, info)) in ends.iter().enumerate() {
                let place = info.place();
                let row = places.entry(place.to_string()).or_insert_with(|| PlaceRow {
                    country: place.to_string(),
                    kind: kind(info),
                    ..PlaceRow::default()
                });
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
                addresses
                    .entry(place.to_string())
                    .or_default()
                    .insert(*addr);
                if drill_code.as_deref() == Some(place) && info.country.is_some() {
                    let a = detail_addresses.entry(*addr).or_insert_with(|| AddressRow {
                        address: *addr,
                        city: info.city.clone(),
                        asn: info.asn,
                        as_org: info.as_org.clone(),
                        flows: 0,
                        bytes_to: 0,
                        bytes_from: 0,
                        packets_to: 0,
                        packets_from: 0,
                    });
                    a.flows += 1;
                    a.bytes_to += to.bytes;
                    a.bytes_from += from.bytes;
                    a.packets_to += to.packets;
                    a.packets_from += from.packets;
                }
            }
            let in_drilled =
                drill.is_some_and(|c| e.src.country == Some(c) || e.dst.country == Some(c));
            if in_drilled {
                detail_services.add(e.service, 1, flow.total_packets(), flow.total_bytes());
                drilled_bytes += flow.total_bytes();
            }
        }
        let total = summary.selected_bytes;
        let mut countries: Vec<PlaceRow> = places
            .into_values()
            .map(|mut row| {
                row.share = fraction(row.bytes_to + row.bytes_from, 2 * total);
                row.addresses = addresses.get(&row.country).map_or(0, |s| s.len() as u64);
                row
            })
            .collect();
        countries.sort_by(|a, b| {
            (b.bytes_to + b.bytes_from)
                .cmp(&(a.bytes_to + a.bytes_from))
                .then(a.country.cmp(&b.country))
        });
        let detail = drill.map(|code| {
            let mut rows: Vec<AddressRow> = detail_addresses.into_values().collect();
            rows.sort_by(|a, b| {
                (b.bytes_to + b.bytes_from)
                    .cmp(&(a.bytes_to + a.bytes_from))
                    .then(a.address.cmp(&b.address))
            });
            CountryDetail {
                country: code.to_string(),
                addresses: rows,
                // Shares of the traffic of the country's flows.
                services: detail_services.into_sorted(drilled_bytes),
            }
        });
        GeoReport {
            schema_version: SCHEMA_VERSION,
            summary,
            countries,
            detail,
        }
    }
}
