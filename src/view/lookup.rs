//! `ca-cli geoip`: what the databases are, and what they say about given addresses.

use std::net::IpAddr;

use serde::Serialize;

use super::SCHEMA_VERSION;
use crate::enrich::geoip::{BUNDLED_LICENCE, BUNDLED_NAME, BUNDLED_VERSION};
use crate::enrich::{AddressInfo, CountryCode, DatabaseInfo, GeoIp, describe};

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct BundledInfo {
    pub package: &'static str,
    pub version: &'static str,
    pub licence: &'static str,
}

/// `ca-cli geoip info`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct GeoInfoReport {
    pub schema_version: u32,
    pub databases: Vec<DatabaseInfo>,
    pub bundled: BundledInfo,
}

impl GeoInfoReport {
    pub fn new(geo: &GeoIp) -> GeoInfoReport {
        GeoInfoReport {
            schema_version: SCHEMA_VERSION,
            databases: geo.databases(),
            bundled: BundledInfo {
                package: BUNDLED_NAME,
                version: BUNDLED_VERSION,
                licence: BUNDLED_LICENCE,
            },
        }
    }
}

/// What is known about one address.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct AddressRecord {
    pub address: IpAddr,
    pub country: Option<CountryCode>,
    pub label: Option<&'static str>,
    pub city: Option<String>,
    pub asn: Option<u32>,
    pub as_org: Option<String>,
}

/// `ca-cli geoip lookup ADDRESS...`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct LookupReport {
    pub schema_version: u32,
    pub addresses: Vec<AddressRecord>,
}

impl LookupReport {
    pub fn new(addresses: &[IpAddr], geo: &mut GeoIp) -> LookupReport {
        LookupReport {
            schema_version: SCHEMA_VERSION,
            addresses: addresses
                .iter()
                .map(|&address| {
                    let AddressInfo {
                        country,
                        label,
                        city,
                        asn,
                        as_org,
                    } = describe(address, geo);
                    AddressRecord {
                        address,
                        country,
                        label,
                        city,
                        asn,
                        as_org,
                    }
                })
                .collect(),
        }
    }
}
