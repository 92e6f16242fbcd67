//! The bundled owners of addresses: ip-location-db's IP-to-AS table (RouteViews, the RIRs and
//! DB-IP), embedded as sorted ranges so that every flow gets its AS number and organisation with
//! no set-up. A binary search per new address; the layout is in `data/make-asn-table.py`.

use std::net::IpAddr;

/// The table, built by `data/make-asn-table.py` from the npm package below.
pub const BUNDLED_TABLE: &[u8] = include_bytes!("data/asn-table.bin");
pub const BUNDLED_NAME: &str = "@ip-location-db/asn";
pub const BUNDLED_VERSION: &str = "2.3.2026061719";
pub const BUNDLED_LICENCE: &str = "CC BY 4.0: IP to AS data by RouteViews (routeviews.org) and \
    DB-IP (db-ip.com, IP to ASN Lite), with RIR data of the NRO (nro.net), merged by ip-location-db";

const MAGIC: &[u8; 8] = b"CAASN\x00\x01\x00";
const HEADER_LEN: usize = 8 + 4 * 4;

/// Sorted, disjoint address ranges with the organisation of each.
#[derive(Clone, Debug)]
pub struct AsnTable {
    data: &'static [u8],
    v4: Ranges,
    v6: Ranges,
    orgs: usize,
    org_asns: usize,
    org_ends: usize,
    names: usize,
}

/// Where one family's columns start, and how many ranges it has.
#[derive(Clone, Copy, Debug)]
struct Ranges {
    count: usize,
    firsts: usize,
    lasts: usize,
    orgs: usize,
}

/// An autonomous system: its number and its organisation's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owner {
    pub asn: u32,
    pub org: &'static str,
}

impl AsnTable {
    pub fn bundled() -> Option<AsnTable> {
        AsnTable::parse(BUNDLED_TABLE)
    }

    /// The table in `data`, if its header and lengths hold together.
    fn parse(data: &'static [u8]) -> Option<AsnTable> {
        if data.get(..8)? != MAGIC {
            return None;
        }
        let count = |i: usize| u32_at(data, 8 + 4 * i).map(|n| n as usize);
        let (v4_count, v6_count, orgs, names_len) = (count(0)?, count(1)?, count(2)?, count(3)?);
        let mut at = HEADER_LEN;
        let mut column = |width: usize, count: usize| {
            let start = at;
            at = at.checked_add(width.checked_mul(count)?)?;
            Some(start)
        };
        let v4 = Ranges {
            count: v4_count,
            firsts: column(4, v4_count)?,
            lasts: column(4, v4_count)?,
            orgs: column(4, v4_count)?,
        };
        let v6 = Ranges {
            count: v6_count,
            firsts: column(16, v6_count)?,
            lasts: column(16, v6_count)?,
            orgs: column(4, v6_count)?,
        };
        let org_asns = column(4, orgs)?;
        let org_ends = column(4, orgs)?;
        let names = column(1, names_len)?;
        (at == data.len()).then_some(AsnTable {
            data,
            v4,
            v6,
            orgs,
            org_asns,
            org_ends,
            names,
        })
    }

    /// The owner of `addr`, if a range holds it.
    pub fn lookup(&self, addr: IpAddr) -> Option<Owner> {
        let (ranges, found) = match addr {
            IpAddr::V4(v4) => (self.v4, self.find(self.v4, u128::from(u32::from(v4)), 4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => return self.lookup(IpAddr::V4(v4)),
                None => (self.v6, self.find(self.v6, u128::from(v6), 16)),
            },
        };
        let org = u32_at(self.data, ranges.orgs + 4 * found?)? as usize;
        self.owner(org)
    }

    /// The index of the range holding `addr`: the last whose first address is at most `addr`,
    /// if its last address is at least `addr`.
    fn find(&self, ranges: Ranges, addr: u128, width: usize) -> Option<usize> {
        let read = |column: usize, i: usize| -> Option<u128> {
            let at = column + width * i;
            match width {
                4 => u32_at(self.data, at).map(u128::from),
                _ => self
                    .data
                    .get(at..at + 16)
                    .and_then(|b| b.try_into().ok())
                    .map(u128::from_le_bytes),
            }
        };
        // The number of ranges whose first address is at most `addr`.
        let (mut low, mut high) = (0, ranges.count);
        while low < high {
            let middle = low + (high - low) / 2;
            if read(ranges.firsts, middle)? <= addr {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        let index = low.checked_sub(1)?;
        (read(ranges.lasts, index)? >= addr).then_some(index)
    }

    fn owner(&self, org: usize) -> Option<Owner> {
        if org >= self.orgs {
            return None;
        }
        let end = u32_at(self.data, self.org_ends + 4 * org)? as usize;
        let start = match org {
            0 => 0,
            _ => u32_at(self.data, self.org_ends + 4 * (org - 1))? as usize,
        };
        let name = self.data.get(self.names + start..self.names + end)?;
        Some(Owner {
            asn: u32_at(self.data, self.org_asns + 4 * org)?,
            org: std::str::from_utf8(name).ok()?,
        })
    }

    /// Ranges of both families, and the table's size.
    pub fn ranges(&self) -> usize {
        self.v4.count + self.v6.count
    }

    pub fn size_bytes(&self) -> u64 {
        self.data.len() as u64
    }
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = data.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values from the package's CSV (asn-ipv4.csv, asn-ipv6.csv), read by eye.
    #[test]
    fn owners_of_the_first_ranges_and_outside_them() {
        let table = AsnTable::bundled().unwrap();
        let owner = |a: &str| table.lookup(a.parse().unwrap());
        assert_eq!(
            owner("1.0.0.1"),
            Some(Owner {
                asn: 13335,
                org: "Cloudflare, Inc."
            })
        );
        assert_eq!(owner("1.0.4.0").map(|o| o.asn), Some(38803));
        assert_eq!(owner("1.0.7.255").map(|o| o.asn), Some(38803));
        assert_eq!(owner("::ffff:1.0.0.1").map(|o| o.asn), Some(13335));
        assert_eq!(owner("2001:4:112::1").map(|o| o.org), Some("DNS-OARC"));
        assert_eq!(owner("0.0.0.1"), None, "before the first range");
        assert_eq!(owner("1.0.1.0"), None, "between ranges");
        assert_eq!(owner("10.1.2.3"), None, "private");
    }

    #[test]
    fn a_damaged_table_is_refused() {
        let table: &'static [u8] = BUNDLED_TABLE;
        assert!(AsnTable::parse(&table[..table.len() - 1]).is_none());
        assert!(AsnTable::parse(&table[..20]).is_none());
        assert!(AsnTable::parse(b"").is_none());
    }
}
