//! Enrichment: what each flow's addresses are (country, special-range label, city, AS) and
//! what service a flow carries. Each distinct address is looked up once per run.

pub mod geoip;
pub mod service;
pub mod special;

use std::borrow::Cow;
use std::net::IpAddr;

use rustc_hash::FxHashMap;

use crate::flow::Flow;
pub use geoip::{CountryCode, CountrySource, DatabaseInfo, GeoConfig, GeoIp, GeoIpError};
use special::Special;

/// What is known about one address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddressInfo {
    pub country: Option<CountryCode>,
    /// Special-purpose range (`private`, `loopback`, `azure-wireserver`, ...), if any.
    pub label: Option<&'static str>,
    pub city: Option<String>,
    pub asn: Option<u32>,
    pub as_org: Option<String>,
}

impl AddressInfo {
    /// Where the address counts in per-country views: its country, else its label, else
    /// `unknown`.
    pub fn place(&self) -> &str {
        match (&self.country, self.label) {
            (Some(c), _) => c.as_str(),
            (None, Some(label)) => label,
            (None, None) => "unknown",
        }
    }
}

/// What enrichment adds to one flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowExtras {
    /// Indices into [`Enrichment::addresses`].
    pub src: u32,
    pub dst: u32,
    pub service: Cow<'static, str>,
}

/// Enrichment of every flow of an analysis, in the same order.
#[derive(Debug, Default)]
pub struct Enrichment {
    pub addresses: Vec<AddressInfo>,
    pub flows: Vec<FlowExtras>,
    /// Database lookups made (at most one per distinct public address and database).
    pub lookups: u64,
    pub lookup_errors: u64,
    pub databases: Vec<DatabaseInfo>,
    /// Flows carry city fields (the country database is a City database).
    pub cities: bool,
    /// Flows carry AS fields (an ASN database was given).
    pub asns: bool,
}

impl Enrichment {
    pub fn src(&self, flow: usize) -> &AddressInfo {
        &self.addresses[self.flows[flow].src as usize]
    }

    pub fn dst(&self, flow: usize) -> &AddressInfo {
        &self.addresses[self.flows[flow].dst as usize]
    }
}

/// Describe one address: a label for special ranges, a lookup for the rest.
pub fn describe(addr: IpAddr, geo: &mut GeoIp) -> AddressInfo {
    let (label, lookup) = match special::classify(addr) {
        Some(Special::Label(label)) => (Some(label), None),
        Some(Special::Embeds(label, v4)) => (Some(label), Some(IpAddr::V4(v4))),
        None => (None, Some(addr)),
    };
    let located = match lookup {
        Some(a) if geo.enabled() => geo.locate(a),
        _ => Default::default(),
    };
    AddressInfo {
        country: located.country,
        label,
        city: located.city,
        asn: located.asn,
        as_org: located.as_org,
    }
}

/// Enrich every flow, looking each distinct address up once.
pub fn enrich(flows: &[Flow], geo: &mut GeoIp) -> Enrichment {
    let mut index: FxHashMap<IpAddr, u32> = FxHashMap::default();
    let mut addresses = Vec::new();
    let mut id = |addr: IpAddr, geo: &mut GeoIp| -> u32 {
        *index.entry(addr).or_insert_with(|| {
            addresses.push(describe(addr, geo));
            (addresses.len() - 1) as u32
        })
    };
    let extras = flows
        .iter()
        .map(|flow| {
            let (src, dst) = (flow.src(), flow.dst());
            FlowExtras {
                src: id(src.addr, geo),
                dst: id(dst.addr, geo),
                service: service::service_name(
                    flow.key.proto,
                    flow.key.has_ports().then_some((src.port, dst.port)),
                ),
            }
        })
        .collect();
    Enrichment {
        addresses,
        flows: extras,
        lookups: geo.lookups(),
        lookup_errors: geo.lookup_errors(),
        databases: geo.databases(),
        cities: geo.has_cities(),
        asns: geo.has_asns(),
    }
}
