//! Addresses no GeoIP database should answer for: private, loopback, link-local, multicast and
//! the other special-purpose ranges (IANA's registries), and the Azure platform addresses every
//! Azure VM talks to. They get a label instead of a country.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What an address is, when it is not a public one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Special {
    /// The label alone: no lookup.
    Label(&'static str),
    /// An IPv6 address carrying an IPv4 one (IPv4-mapped, NAT64 well-known prefix): labelled,
    /// and located by the IPv4 address inside.
    Embeds(&'static str, Ipv4Addr),
}

/// Azure's virtual public IP of the host (DHCP, DNS, health probes, the VM agent).
pub const AZURE_WIRESERVER: Ipv4Addr = Ipv4Addr::new(168, 63, 129, 16);
/// Azure's Instance Metadata Service.
pub const AZURE_IMDS: Ipv4Addr = Ipv4Addr::new(169, 254, 169, 254);

fn in_v4(addr: Ipv4Addr, net: [u8; 4], prefix: u32) -> bool {
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    u32::from(addr) & mask == u32::from(Ipv4Addr::from(net)) & mask
}

fn in_v6(addr: Ipv6Addr, net: Ipv6Addr, prefix: u32) -> bool {
    let mask = if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - prefix)
    };
    u128::from(addr) & mask == u128::from(net) & mask
}

/// The special-purpose class of `addr`, or `None` for a public address.
pub fn classify(addr: IpAddr) -> Option<Special> {
    match addr {
        IpAddr::V4(v4) => classify_v4(v4).map(Special::Label),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(a: Ipv4Addr) -> Option<&'static str> {
    // Most specific first: the Azure addresses sit inside public and link-local space.
    let label = if a == AZURE_WIRESERVER {
        "azure-wireserver"
    } else if a == AZURE_IMDS {
        "azure-imds"
    } else if a == Ipv4Addr::UNSPECIFIED {
        "unspecified"
    } else if a == Ipv4Addr::BROADCAST {
        "broadcast"
    } else if in_v4(a, [0, 0, 0, 0], 8) {
        "this-network"
    } else if in_v4(a, [10, 0, 0, 0], 8)
        || in_v4(a, [172, 16, 0, 0], 12)
        || in_v4(a, [192, 168, 0, 0], 16)
    {
        "private"
    } else if in_v4(a, [100, 64, 0, 0], 10) {
        "cgnat"
    } else if in_v4(a, [127, 0, 0, 0], 8) {
        "loopback"
    } else if in_v4(a, [169, 254, 0, 0], 16) {
        "link-local"
    } else if in_v4(a, [192, 0, 2, 0], 24)
        || in_v4(a, [198, 51, 100, 0], 24)
        || in_v4(a, [203, 0, 113, 0], 24)
    {
        "documentation"
    } else if in_v4(a, [198, 18, 0, 0], 15) {
        "benchmarking"
    } else if in_v4(a, [192, 0, 0, 0], 24) {
        "ietf-protocol"
    } else if in_v4(a, [224, 0, 0, 0], 4) {
        "multicast"
    } else if in_v4(a, [240, 0, 0, 0], 4) {
        "reserved"
    } else {
        return None;
    };
    Some(label)
}

fn classify_v6(a: Ipv6Addr) -> Option<Special> {
    let net = |a: u16, b: u16| Ipv6Addr::new(a, b, 0, 0, 0, 0, 0, 0);
    let embedded = Ipv4Addr::from((u128::from(a) & 0xffff_ffff) as u32);
    let label = if a == Ipv6Addr::UNSPECIFIED {
        "unspecified"
    } else if a == Ipv6Addr::LOCALHOST {
        "loopback"
    } else if in_v6(a, Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0), 96) {
        return Some(Special::Embeds("ipv4-mapped", embedded));
    } else if in_v6(a, net(0x64, 0xff9b), 96) {
        return Some(Special::Embeds("nat64", embedded));
    } else if in_v6(a, net(0xfc00, 0), 7) {
        "private"
    } else if in_v6(a, net(0xfe80, 0), 10) {
        "link-local"
    } else if in_v6(a, net(0xff00, 0), 8) {
        "multicast"
    } else if in_v6(a, net(0x2001, 0xdb8), 32) {
        "documentation"
    } else if in_v6(a, net(0x100, 0), 64) {
        "discard-only"
    } else {
        return None;
    };
    Some(Special::Label(label))
}

/// Every label an address can carry, for documentation and filter validation.
pub const LABELS: &[&str] = &[
    "azure-wireserver",
    "azure-imds",
    "unspecified",
    "broadcast",
    "this-network",
    "private",
    "cgnat",
    "loopback",
    "link-local",
    "documentation",
    "benchmarking",
    "ietf-protocol",
    "multicast",
    "reserved",
    "ipv4-mapped",
    "nat64",
    "discard-only",
];

/// What filters call an address without a label.
pub const PUBLIC: &str = "public";

/// The label `name` (any case) a filter or `--country` may name: one of [`LABELS`] or
/// [`PUBLIC`].
pub fn filter_label(name: &str) -> Option<&'static str> {
    LABELS
        .iter()
        .copied()
        .chain([PUBLIC])
        .find(|label| label.eq_ignore_ascii_case(name))
}

/// The labels a filter may name, for messages: `azure-wireserver, ..., public`.
pub fn filter_labels() -> String {
    format!("{}, {PUBLIC}", LABELS.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(s: &str) -> Option<&'static str> {
        match classify(s.parse().unwrap()) {
            Some(Special::Label(l)) | Some(Special::Embeds(l, _)) => Some(l),
            None => None,
        }
    }

    // Ranges from the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and
    // successors), RFC 1918, RFC 4193 (ULA), RFC 6598 (CGNAT), RFC 5737 / RFC 3849
    // (documentation), RFC 6052 (NAT64), and Azure's documented platform addresses.
    #[test]
    fn every_label_at_the_edges_of_its_range() {
        let cases = [
            ("168.63.129.16", Some("azure-wireserver")),
            ("168.63.129.17", None),
            ("169.254.169.254", Some("azure-imds")),
            ("169.254.0.1", Some("link-local")),
            ("169.254.255.255", Some("link-local")),
            ("169.255.0.0", None),
            ("0.0.0.0", Some("unspecified")),
            ("0.1.2.3", Some("this-network")),
            ("255.255.255.255", Some("broadcast")),
            ("10.0.0.0", Some("private")),
            ("10.255.255.255", Some("private")),
            ("11.0.0.0", None),
            ("172.15.255.255", None),
            ("172.16.0.0", Some("private")),
            ("172.31.255.255", Some("private")),
            ("172.32.0.0", None),
            ("192.168.0.1", Some("private")),
            ("192.169.0.1", None),
            ("100.63.255.255", None),
            ("100.64.0.0", Some("cgnat")),
            ("100.127.255.255", Some("cgnat")),
            ("100.128.0.0", None),
            ("127.0.0.1", Some("loopback")),
            ("192.0.2.7", Some("documentation")),
            ("198.51.100.7", Some("documentation")),
            ("203.0.113.7", Some("documentation")),
            ("198.18.0.1", Some("benchmarking")),
            ("198.19.255.255", Some("benchmarking")),
            ("192.0.0.9", Some("ietf-protocol")),
            ("224.0.0.251", Some("multicast")),
            ("239.255.255.250", Some("multicast")),
            ("240.0.0.1", Some("reserved")),
            ("8.8.8.8", None),
            ("::", Some("unspecified")),
            ("::1", Some("loopback")),
            ("::ffff:8.8.8.8", Some("ipv4-mapped")),
            ("64:ff9b::9765:798c", Some("nat64")),
            ("fc00::1", Some("private")),
            ("fdff:ffff::1", Some("private")),
            ("fe80::1", Some("link-local")),
            ("febf::1", Some("link-local")),
            ("fec0::1", None),
            ("ff02::fb", Some("multicast")),
            ("2001:db8::1", Some("documentation")),
            ("2001:db9::1", None),
            ("100::1", Some("discard-only")),
            ("2001:4860:4860::8888", None),
        ];
        for (addr, expected) in cases {
            assert_eq!(label(addr), expected, "{addr}");
            if let Some(l) = expected {
                assert!(LABELS.contains(&l), "{l} listed");
            }
        }
    }

    #[test]
    fn embedded_ipv4_is_extracted() {
        assert_eq!(
            classify("64:ff9b::9765:798c".parse().unwrap()),
            Some(Special::Embeds("nat64", Ipv4Addr::new(151, 101, 121, 140)))
        );
    }
}
