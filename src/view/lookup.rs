//! `ca-cli geoip`: what the databases are, and what they say about given addresses.

use std::net::IpAddr;

use serde::Serialize;

use super::SCHEMA_VERSION;
use super::cells::{autonomous_system, bytes};
use super::report::{Column, Record, Report, Rows, Text, TextTable};
use crate::enrich::asn_table;
use crate::enrich::geoip::{BUNDLED_ASN_TYPE, BUNDLED_LICENCE, BUNDLED_NAME, BUNDLED_VERSION};
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
    /// The bundled country database.
    pub bundled: BundledInfo,
    /// The bundled IP-to-AS table.
    pub bundled_asn: BundledInfo,
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
            bundled_asn: BundledInfo {
                package: asn_table::BUNDLED_NAME,
                version: asn_table::BUNDLED_VERSION,
                licence: asn_table::BUNDLED_LICENCE,
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

impl Record for &AddressRecord {}

impl Report for LookupReport {
    type Row<'a> = &'a AddressRecord;

    fn rows(&self) -> Rows<'_, &AddressRecord> {
        Box::new(self.addresses.iter())
    }

    fn text(&self) -> Text<'_> {
        Text::Tables(vec![TextTable {
            title: None,
            columns: vec![
                Column::text("Address"),
                Column::text("Country"),
                Column::text("Label"),
                Column::text("City").shortened_to(12),
                Column::text("AS").shortened_to(12),
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
                        autonomous_system(a.asn, a.as_org.as_deref()),
                    ]
                })
                .collect(),
            empty: "no addresses",
        }])
    }
}

impl Record for &crate::enrich::DatabaseInfo {}

impl Report for GeoInfoReport {
    type Row<'a> = &'a crate::enrich::DatabaseInfo;

    fn rows(&self) -> Rows<'_, &crate::enrich::DatabaseInfo> {
        Box::new(self.databases.iter())
    }

    fn text(&self) -> Text<'_> {
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
                let bundled = match db.database_type.as_str() {
                    BUNDLED_ASN_TYPE => &self.bundled_asn,
                    _ => &self.bundled,
                };
                rows.push(vec![
                    "package".into(),
                    format!("{} {}", bundled.package, bundled.version),
                ]);
                rows.push(vec!["licence".into(), bundled.licence.to_string()]);
            }
        }
        Text::Tables(vec![TextTable {
            title: None,
            columns: vec![Column::text("GeoIP"), Column::text("")],
            rows,
            empty: "GeoIP lookups are off (--no-geoip)",
        }])
    }
}
