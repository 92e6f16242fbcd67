//! Enrichment: what each flow's addresses are (country, special-range label, city, AS) and
//! what service a flow carries. Each distinct address is looked up once per run.

pub mod asn_table;
pub mod geoip;
pub mod iso3166;
pub mod service;
pub mod special;

use std::borrow::Cow;
use std::net::IpAddr;

use rustc_hash::FxHashMap;

use crate::flow::Flow;
pub use geoip::{
    AsnSource, CountryCode, CountrySource, DatabaseInfo, GeoConfig, GeoIp, GeoIpError,
};
use special::Special;

/// What is known about one address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
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

/// What enrichment found for one flow, as small ids into the [`Enricher`]'s tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tags {
    pub src: u32,
    pub dst: u32,
    pub service: u32,
    /// The service was identified from the payload, not guessed from a port.
    pub identified: bool,
}

/// Addresses whose answers are remembered before the memory is given back: enough for every
/// host of a busy capture, small enough (about 40 MB) to bound a scan of millions.
const ADDRESS_CACHE: usize = 1 << 20;

/// Enriches flows as they leave the flow table. Each distinct address is looked up once
/// (until more than a million were seen, when the cache starts over); answers and service
/// names are stored once each and flows carry their ids, so memory follows the number of
/// distinct answers, not of flows.
pub struct Enricher {
    geo: GeoIp,
    by_address: FxHashMap<IpAddr, u32>,
    infos: Vec<AddressInfo>,
    by_info: FxHashMap<AddressInfo, u32>,
    services: Vec<Cow<'static, str>>,
    /// Each service's name as a port's guess: `https (port)`.
    guessed: Vec<String>,
    by_service: FxHashMap<Cow<'static, str>, u32>,
    /// Service ids by protocol and deciding port (see [`Enricher::service_of`]).
    by_port: FxHashMap<u32, u32>,
    addresses_seen: u64,
    /// What the databases offer, asked once (the answers compare type names).
    cities: bool,
    asns: bool,
}

impl Enricher {
    pub fn new(geo: GeoIp) -> Enricher {
        Enricher {
            cities: geo.has_cities(),
            asns: geo.has_asns(),
            geo,
            by_address: FxHashMap::default(),
            infos: Vec::new(),
            by_info: FxHashMap::default(),
            services: Vec::new(),
            guessed: Vec::new(),
            by_service: FxHashMap::default(),
            by_port: FxHashMap::default(),
            addresses_seen: 0,
        }
    }

    fn address(&mut self, addr: IpAddr) -> u32 {
        if let Some(&id) = self.by_address.get(&addr) {
            return id;
        }
        if self.by_address.len() >= ADDRESS_CACHE {
            self.by_address.clear();
        }
        let info = describe(addr, &mut self.geo);
        let next = self.infos.len() as u32;
        let id = *self.by_info.entry(info.clone()).or_insert(next);
        if id == next {
            self.infos.push(info);
        }
        self.by_address.insert(addr, id);
        self.addresses_seen += 1;
        id
    }

    fn service_id(&mut self, name: Cow<'static, str>) -> u32 {
        if let Some(&id) = self.by_service.get(&name) {
            return id;
        }
        let id = self.services.len() as u32;
        self.guessed.push(format!("{name} (port)"));
        self.services.push(name.clone());
        self.by_service.insert(name, id);
        id
    }

    /// The service id of a flow. A service is decided by the protocol and one port (the
    /// responder's if it has a name, else the initiator's if that has one, else the
    /// responder's), so ids are remembered by that pair and names are made once each.
    fn service_of(&mut self, proto: u8, ports: Option<(u16, u16)>) -> u32 {
        let key = match ports {
            Some((src, dst)) => {
                let named = |port| service::port_name(proto, port).is_some();
                let port = if named(dst) || !named(src) { dst } else { src };
                (u32::from(proto) << 16) | u32::from(port)
            }
            None => (1 << 24) | u32::from(proto),
        };
        if let Some(&id) = self.by_port.get(&key) {
            return id;
        }
        let id = self.service_id(service::service_name(proto, ports));
        self.by_port.insert(key, id);
        id
    }

    /// Enrich one flow.
    pub fn tag(&mut self, flow: &Flow) -> Tags {
        let (src, dst) = (flow.src(), flow.dst());
        let ports = flow.key.has_ports().then_some((src.port, dst.port));
        let identified = flow.app.as_ref().and_then(|app| app.info.service);
        Tags {
            src: self.address(src.addr),
            dst: self.address(dst.addr),
            service: match identified {
                Some(name) => self.service_id(Cow::Borrowed(name)),
                None => self.service_of(flow.key.proto, ports),
            },
            identified: identified.is_some(),
        }
    }

    pub fn info(&self, id: u32) -> &AddressInfo {
        &self.infos[id as usize]
    }

    pub fn service(&self, id: u32) -> &str {
        &self.services[id as usize]
    }

    /// The service as the aggregate views list it: a name the payload confirmed as is, a
    /// port's guess marked `(port)`; flows without ports keep their protocol's name.
    pub fn service_label(&self, tags: Tags, has_ports: bool) -> &str {
        if tags.identified || !has_ports {
            &self.services[tags.service as usize]
        } else {
            &self.guessed[tags.service as usize]
        }
    }

    /// Distinct addresses described (an address forgotten by a full cache counts again).
    pub fn addresses(&self) -> u64 {
        self.addresses_seen
    }

    pub fn lookups(&self) -> u64 {
        self.geo.lookups()
    }

    pub fn lookup_errors(&self) -> u64 {
        self.geo.lookup_errors()
    }

    pub fn databases(&self) -> Vec<DatabaseInfo> {
        self.geo.databases()
    }

    /// Flows carry city fields (the country database is a City database).
    pub fn cities(&self) -> bool {
        self.cities
    }

    /// Flows carry AS fields (the bundled AS table or an ASN database is in use).
    pub fn asns(&self) -> bool {
        self.asns
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
