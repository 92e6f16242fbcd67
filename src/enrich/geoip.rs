//! GeoIP lookups in MaxMind DB files: a bundled country database by default, or the user's
//! MaxMind GeoIP2/GeoLite2 (Country or City), DB-IP, or ip-location-db files, plus an optional
//! ASN database. Both record layouts are read: `country.iso_code` (MaxMind, DB-IP) and a
//! top-level `country_code` (ip-location-db).

use std::borrow::Cow;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use maxminddb::Reader;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::asn_table::AsnTable;
use crate::capture::{Precision, Timestamp};

/// The bundled database: ip-location-db's geo-whois-asn-country (GeoFeed > RIR whois > ASN
/// country, IPv4 and IPv6), embedded so that countries work with no set-up and no network.
pub const BUNDLED_DATABASE: &[u8] = include_bytes!("data/geo-whois-asn-country.mmdb");
pub const BUNDLED_NAME: &str = "@ip-location-db/geo-whois-asn-country-mmdb";
pub const BUNDLED_VERSION: &str = "2.3.2026061719";
/// The `database_type` of the bundled AS table in `geoip info`.
pub const BUNDLED_ASN_TYPE: &str = "ip-location-db asn";

pub const BUNDLED_LICENCE: &str = "CC0-1.0 (ip-location-db package); built from RIR whois and \
    ASN data of the NRO (CC BY 4.0, attribution: nro.net) and public geofeeds";

/// Which country database to use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CountrySource {
    #[default]
    Bundled,
    File(PathBuf),
    /// No lookups: special-range labels only.
    Disabled,
}

/// Which AS database to use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AsnSource {
    /// ip-location-db's IP-to-AS table, embedded (`asn_table`).
    #[default]
    Bundled,
    /// A MaxMind-layout ASN database.
    File(PathBuf),
    Disabled,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GeoConfig {
    pub country: CountrySource,
    pub asn: AsnSource,
}

#[derive(Debug, Error)]
pub enum GeoIpError {
    #[error("{path}: cannot open GeoIP database: {reason}")]
    Open { path: String, reason: String },
    #[error("{path}: not a usable MaxMind DB file: {reason}")]
    Invalid { path: String, reason: String },
}

/// An ISO 3166-1 alpha-2 country code, upper case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Two ASCII letters, in either case.
    pub fn parse(text: &str) -> Option<CountryCode> {
        match text.as_bytes() {
            [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => Some(CountryCode([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
            ])),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        crate::ascii::ascii_str(&self.0).unwrap_or("??")
    }
}

impl std::fmt::Display for CountryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What a database file says about itself.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DatabaseInfo {
    /// `bundled` or the file's path.
    pub source: String,
    pub database_type: String,
    pub build_time: String,
    pub ip_version: u16,
    pub description: Option<String>,
    pub size_bytes: u64,
}

/// The fields we read from a record, in any of the layouts.
#[derive(Debug, Default, Deserialize)]
struct Record {
    country_code: Option<String>,
    country: Option<CountryField>,
    registered_country: Option<CountryField>,
    city: Option<CityField>,
    #[serde(default, deserialize_with = "any_asn")]
    autonomous_system_number: Option<u32>,
    autonomous_system_organization: Option<String>,
}

/// AS numbers come as any unsigned width (uint16 in small databases, uint32 in MaxMind's), or
/// as text like "AS15169" in some vendors' files.
fn any_asn<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    struct Asn;
    impl serde::de::Visitor<'_> for Asn {
        type Value = Option<u32>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an AS number")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(u32::try_from(v).ok())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(u32::try_from(v).ok())
        }
        fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Self::Value, E> {
            Ok(u32::try_from(v).ok())
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let digits = v
                .strip_prefix("AS")
                .or_else(|| v.strip_prefix("as"))
                .unwrap_or(v);
            Ok(digits.parse().ok())
        }
    }
    deserializer.deserialize_any(Asn)
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum CountryField {
    Code(String),
    Map { iso_code: Option<String> },
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum CityField {
    Name(String),
    Map { names: Option<Names> },
}

#[derive(Debug, Deserialize)]
struct Names {
    en: Option<String>,
}

/// What one lookup found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Located {
    pub country: Option<CountryCode>,
    pub city: Option<String>,
    pub asn: Option<u32>,
    pub as_org: Option<String>,
}

struct Database {
    reader: Reader<Cow<'static, [u8]>>,
    info: DatabaseInfo,
    /// Records already decoded, by their offset in the data section.
    decoded: FxHashMap<usize, Located>,
}

impl Database {
    fn bundled() -> Result<Database, GeoIpError> {
        Database::from_bytes(Cow::Borrowed(BUNDLED_DATABASE), "bundled".to_string())
    }

    fn open(path: &Path) -> Result<Database, GeoIpError> {
        let name = path.display().to_string();
        if path.is_dir() {
            return Err(GeoIpError::Open {
                path: name,
                reason: "is a directory".into(),
            });
        }
        let bytes = std::fs::read(path).map_err(|e| GeoIpError::Open {
            path: name.clone(),
            reason: crate::source::io_reason(&e),
        })?;
        Database::from_bytes(Cow::Owned(bytes), name)
    }

    fn from_bytes(bytes: Cow<'static, [u8]>, source: String) -> Result<Database, GeoIpError> {
        let size_bytes = bytes.len() as u64;
        let reader = Reader::from_source(bytes).map_err(|e| GeoIpError::Invalid {
            path: source.clone(),
            reason: e.to_string(),
        })?;
        let m = reader.metadata();
        let build = Timestamp::from_nanos((m.build_epoch as i64).saturating_mul(1_000_000_000));
        let info = DatabaseInfo {
            source,
            database_type: m.database_type.clone(),
            build_time: build.rfc3339(Precision::SECONDS).to_string(),
            ip_version: m.ip_version,
            description: m
                .description
                .get("en")
                .or_else(|| m.description.values().next())
                .filter(|d| !d.is_empty())
                .cloned(),
            size_bytes,
        };
        Ok(Database {
            reader,
            info,
            decoded: FxHashMap::default(),
        })
    }

    /// What the database says about `addr`. Records are decoded once each: most addresses
    /// share a record (one per country in a country database), so repeats cost a tree walk.
    fn lookup(&mut self, addr: IpAddr) -> Result<Option<Located>, String> {
        // An IPv6 address in an IPv4-only database has no answer (the reader would error).
        if addr.is_ipv6() && self.info.ip_version == 4 {
            return Ok(None);
        }
        let result = self.reader.lookup(addr).map_err(|e| e.to_string())?;
        let Some(offset) = result.offset() else {
            return Ok(None);
        };
        if let Some(known) = self.decoded.get(&offset) {
            return Ok(Some(known.clone()));
        }
        let Some(record) = result.decode::<Record>().map_err(|e| e.to_string())? else {
            return Ok(None);
        };
        let located = record.located();
        self.decoded.insert(offset, located.clone());
        Ok(Some(located))
    }
}

impl Record {
    fn located(self) -> Located {
        let code = |field: Option<CountryField>| match field {
            Some(CountryField::Code(c)) => Some(c),
            Some(CountryField::Map { iso_code }) => iso_code,
            None => None,
        };
        let country = self
            .country_code
            .or_else(|| code(self.country))
            .or_else(|| code(self.registered_country));
        let city = match self.city {
            Some(CityField::Name(name)) => Some(name),
            Some(CityField::Map { names }) => names.and_then(|n| n.en),
            None => None,
        };
        Located {
            country: country.as_deref().and_then(CountryCode::parse),
            city: city.filter(|c| !c.is_empty()),
            asn: self.autonomous_system_number,
            as_org: self
                .autonomous_system_organization
                .filter(|o| !o.is_empty()),
        }
    }
}

/// Where AS numbers come from.
enum AsnLookup {
    Database(Box<Database>),
    Table(AsnTable),
}

/// Open databases, ready for lookups.
pub struct GeoIp {
    country: Option<Database>,
    asn: Option<AsnLookup>,
    lookups: u64,
    errors: u64,
}

impl GeoIp {
    pub fn open(config: &GeoConfig) -> Result<GeoIp, GeoIpError> {
        let country = match &config.country {
            CountrySource::Bundled => Some(Database::bundled()?),
            CountrySource::File(path) => Some(Database::open(path)?),
            CountrySource::Disabled => None,
        };
        let asn = match &config.asn {
            AsnSource::Bundled => Some(AsnLookup::Table(AsnTable::bundled().ok_or_else(|| {
                GeoIpError::Invalid {
                    path: "bundled AS table".into(),
                    reason: "damaged".into(),
                }
            })?)),
            AsnSource::File(path) => Some(AsnLookup::Database(Box::new(Database::open(path)?))),
            AsnSource::Disabled => None,
        };
        Ok(GeoIp {
            country,
            asn,
            lookups: 0,
            errors: 0,
        })
    }

    /// Look `addr` up in every database. Records that fail to decode count as errors and
    /// give nothing.
    pub fn locate(&mut self, addr: IpAddr) -> Located {
        let mut located = Located::default();
        let asn_database = match &mut self.asn {
            Some(AsnLookup::Database(db)) => Some(db.as_mut()),
            _ => None,
        };
        for db in [self.country.as_mut(), asn_database].into_iter().flatten() {
            self.lookups += 1;
            let found = match db.lookup(addr) {
                Ok(Some(found)) => found,
                Ok(None) => continue,
                Err(_) => {
                    self.errors += 1;
                    continue;
                }
            };
            // The first database that knows a field wins.
            located.country = located.country.or(found.country);
            located.city = located.city.or(found.city);
            located.asn = located.asn.or(found.asn);
            located.as_org = located.as_org.or(found.as_org);
        }
        if let Some(AsnLookup::Table(table)) = &self.asn {
            self.lookups += 1;
            if located.asn.is_none()
                && let Some(owner) = table.lookup(addr)
            {
                located.asn = Some(owner.asn);
                located.as_org = Some(owner.org.to_string());
            }
        }
        located
    }

    pub fn lookups(&self) -> u64 {
        self.lookups
    }

    pub fn lookup_errors(&self) -> u64 {
        self.errors
    }

    pub fn enabled(&self) -> bool {
        self.country.is_some() || self.asn.is_some()
    }

    /// Whether flows get city fields: the country database is a City database.
    pub fn has_cities(&self) -> bool {
        self.country
            .as_ref()
            .is_some_and(|d| d.info.database_type.to_ascii_lowercase().contains("city"))
    }

    /// Whether flows get AS fields: an ASN database was given, or the country database
    /// carries AS numbers.
    pub fn has_asns(&self) -> bool {
        self.asn.is_some()
            || self
                .country
                .as_ref()
                .is_some_and(|d| d.info.database_type.to_ascii_lowercase().contains("asn"))
    }

    pub fn databases(&self) -> Vec<DatabaseInfo> {
        let mut databases: Vec<DatabaseInfo> =
            self.country.iter().map(|d| d.info.clone()).collect();
        match &self.asn {
            Some(AsnLookup::Database(db)) => databases.push(db.info.clone()),
            Some(AsnLookup::Table(table)) => databases.push(DatabaseInfo {
                source: "bundled".into(),
                database_type: BUNDLED_ASN_TYPE.into(),
                build_time: "2026-06-17".into(),
                ip_version: 6,
                description: Some(format!("{} address ranges with their AS", table.ranges())),
                size_bytes: table.size_bytes(),
            }),
            None => {}
        }
        databases
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes() {
        assert_eq!(CountryCode::parse("de").unwrap().as_str(), "DE");
        assert_eq!(CountryCode::parse("US").unwrap().to_string(), "US");
        assert!(CountryCode::parse("USA").is_none());
        assert!(CountryCode::parse("1A").is_none());
        assert!(CountryCode::parse("").is_none());
    }

    #[test]
    fn bundled_database_opens() {
        let geo = GeoIp::open(&GeoConfig::default()).unwrap();
        let info = &geo.databases()[0];
        assert_eq!(info.source, "bundled");
        assert_eq!(info.ip_version, 6);
        assert!(!geo.has_cities());
        assert!(geo.has_asns(), "the bundled AS table");
        assert_eq!(geo.databases()[1].database_type, BUNDLED_ASN_TYPE);
    }
}
