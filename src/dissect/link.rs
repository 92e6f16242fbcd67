//! Link layers: find where the network-layer header starts, whatever the capture's link type.

use super::{Malformed, NonIp};

/// LINKTYPE_ values (<https://www.tcpdump.org/linktypes.html>) that we decode.
pub mod linktype {
    pub const NULL: u32 = 0;
    pub const ETHERNET: u32 = 1;
    pub const PPP: u32 = 9;
    /// DLT_RAW as most systems number it (12) and as OpenBSD does (14).
    pub const RAW_DLT12: u32 = 12;
    pub const RAW_DLT14: u32 = 14;
    pub const PPP_HDLC: u32 = 50;
    pub const PPP_ETHER: u32 = 51;
    pub const RAW: u32 = 101;
    pub const C_HDLC: u32 = 104;
    pub const IEEE802_11: u32 = 105;
    pub const LOOP: u32 = 108;
    pub const LINUX_SLL: u32 = 113;
    pub const IEEE802_11_RADIOTAP: u32 = 127;
    pub const PPI: u32 = 192;
    pub const PPP_WITH_DIR: u32 = 204;
    pub const IPV4: u32 = 228;
    pub const IPV6: u32 = 229;
    pub const NFLOG: u32 = 239;
    pub const IPOIB: u32 = 242;
    pub const PKTAP: u32 = 258;
    pub const LINUX_SLL2: u32 = 276;
    pub const DSA_TAG_DSA: u32 = 284;
    pub const DSA_TAG_EDSA: u32 = 285;
}

const ETHERTYPE_IPV4: u16 = 0x0800;
const ETHERTYPE_IPV6: u16 = 0x86dd;
const ETHERTYPE_VLAN: u16 = 0x8100;
const ETHERTYPE_QINQ: u16 = 0x88a8;
const ETHERTYPE_QINQ_OLD: u16 = 0x9100;
const ETHERTYPE_QINQ_OLD2: u16 = 0x9200;
const ETHERTYPE_MPLS: u16 = 0x8847;
const ETHERTYPE_MPLS_MULTICAST: u16 = 0x8848;
const ETHERTYPE_PPPOE_SESSION: u16 = 0x8864;

/// Nested tags (VLAN, MPLS labels, wrapping link headers) we follow before calling a frame
/// malformed: real stacks are a few deep, a loop of them is an attack on our time.
const MAX_NESTING: usize = 16;

/// Where the network layer starts.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Network {
    Ipv4(usize),
    Ipv6(usize),
    /// Raw IP link types and MPLS: the version nibble tells.
    ByVersion(usize),
    NonIp(NonIp),
    Malformed(Malformed),
}

/// A short human name for a link type, for summaries.
pub fn linktype_name(linktype: u32) -> String {
    let name = match linktype {
        linktype::NULL => "null",
        linktype::ETHERNET => "ethernet",
        linktype::PPP => "ppp",
        linktype::RAW_DLT12 | linktype::RAW_DLT14 | linktype::RAW => "raw-ip",
        linktype::PPP_HDLC => "ppp-hdlc",
        linktype::PPP_ETHER => "pppoe",
        linktype::C_HDLC => "cisco-hdlc",
        linktype::IEEE802_11 => "ieee802.11",
        linktype::LOOP => "loop",
        linktype::LINUX_SLL => "linux-sll",
        linktype::IEEE802_11_RADIOTAP => "radiotap",
        linktype::PPI => "ppi",
        linktype::PPP_WITH_DIR => "ppp-with-dir",
        linktype::IPV4 => "ipv4",
        linktype::IPV6 => "ipv6",
        linktype::NFLOG => "nflog",
        linktype::IPOIB => "ipoib",
        linktype::PKTAP => "pktap",
        linktype::LINUX_SLL2 => "linux-sll2",
        linktype::DSA_TAG_DSA => "dsa",
        linktype::DSA_TAG_EDSA => "edsa",
        u32::MAX => return "undeclared-interface".to_string(),
        other => return format!("linktype-{other}"),
    };
    name.to_string()
}

fn be16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]))
}

fn le16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*d.get(at)?, *d.get(at + 1)?]))
}

fn le32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes([
        *d.get(at)?,
        *d.get(at + 1)?,
        *d.get(at + 2)?,
        *d.get(at + 3)?,
    ]))
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *d.get(at)?,
        *d.get(at + 1)?,
        *d.get(at + 2)?,
        *d.get(at + 3)?,
    ]))
}

const CUT: Network = Network::Malformed(Malformed::LinkHeaderCutShort);

pub(super) fn network_offset(linktype: u32, data: &[u8]) -> Network {
    let mut linktype = linktype;
    let mut base = 0usize;
    // PKTAP and PPI wrap another link type; follow them a bounded number of times.
    for _ in 0..4 {
        let d = data.get(base..).unwrap_or_default();
        let (inner_linktype, header_len) = match linktype {
            linktype::PKTAP => match (le32(d, 0), le32(d, 4)) {
                (Some(len), Some(dlt)) if len >= 8 => (dlt, len as usize),
                (Some(_), Some(_)) => return CUT,
                _ => return CUT,
            },
            linktype::PPI => match (le16(d, 2), le32(d, 4)) {
                (Some(len), Some(dlt)) if len >= 8 => (dlt, usize::from(len)),
                _ => return CUT,
            },
            _ => return shift(single_link(linktype, d), base),
        };
        linktype = inner_linktype;
        base = match base.checked_add(header_len) {
            Some(b) if b <= data.len() => b,
            _ => return CUT,
        };
    }
    Network::Malformed(Malformed::TooManyLinkHeaders)
}

fn shift(network: Network, base: usize) -> Network {
    match network {
        Network::Ipv4(o) => Network::Ipv4(o + base),
        Network::Ipv6(o) => Network::Ipv6(o + base),
        Network::ByVersion(o) => Network::ByVersion(o + base),
        other => other,
    }
}

fn single_link(linktype: u32, d: &[u8]) -> Network {
    match linktype {
        linktype::ETHERNET => match be16(d, 12) {
            Some(ethertype) => by_ethertype(d, ethertype, 14),
            None => CUT,
        },
        linktype::RAW_DLT12 | linktype::RAW_DLT14 | linktype::RAW => Network::ByVersion(0),
        linktype::IPV4 => Network::Ipv4(0),
        linktype::IPV6 => Network::Ipv6(0),
        linktype::NULL => null_header(d),
        linktype::LOOP => match be32(d, 0) {
            Some(family) => bsd_family(family, 4),
            None => CUT,
        },
        linktype::LINUX_SLL => match be16(d, 14) {
            Some(protocol) => sll_protocol(d, protocol, 16),
            None => CUT,
        },
        linktype::LINUX_SLL2 => match (be16(d, 0), d.len() >= 20) {
            (Some(protocol), true) => sll_protocol(d, protocol, 20),
            _ => CUT,
        },
        linktype::PPP | linktype::PPP_HDLC => ppp(d, 0),
        linktype::PPP_WITH_DIR => ppp(d, 1),
        linktype::PPP_ETHER => pppoe_session(d, 0),
        linktype::C_HDLC => match be16(d, 2) {
            Some(ethertype) => by_ethertype(d, ethertype, 4),
            None => CUT,
        },
        linktype::IPOIB => match be16(d, 40) {
            // 40 bytes of hardware addresses, the EtherType, two reserved bytes.
            Some(ethertype) => by_ethertype(d, ethertype, 44),
            None => CUT,
        },
        linktype::DSA_TAG_DSA => match be16(d, 16) {
            // MAC addresses, a 4-byte Marvell DSA tag, then the EtherType.
            Some(ethertype) => by_ethertype(d, ethertype, 18),
            None => CUT,
        },
        linktype::DSA_TAG_EDSA => match be16(d, 20) {
            // MAC addresses, an 8-byte EtherType-DSA tag, then the EtherType.
            Some(ethertype) => by_ethertype(d, ethertype, 22),
            None => CUT,
        },
        linktype::NFLOG => nflog(d),
        linktype::IEEE802_11_RADIOTAP => match le16(d, 2) {
            Some(len) if usize::from(len) <= d.len() => {
                shift(ieee802_11(&d[usize::from(len)..]), usize::from(len))
            }
            _ => CUT,
        },
        linktype::IEEE802_11 => ieee802_11(d),
        other => Network::NonIp(NonIp::Linktype(other)),
    }
}

/// BSD loopback: a 4-byte address family in the capturing host's byte order. Some captures
/// (Cisco-style headers, PPP) put other things there; read it the way Wireshark does, so that
/// the same frames come out as IP.
fn null_header(d: &[u8]) -> Network {
    if d.starts_with(&[0xff, 0x03]) {
        return ppp(d, 0);
    }
    let Some(mut value) = le32(d, 0) else {
        return CUT;
    };
    if value & 0xffff_0000 != 0 {
        if value & 0xff00_0000 == 0 && value & 0x00ff_0000 < 0x0006_0000 {
            value >>= 16;
        } else {
            value = value.swap_bytes();
        }
    } else if value & 0xff == 0 && value & 0xff00 < 0x0600 {
        value = u32::from((value as u16).swap_bytes());
    }
    if value > 1500 {
        // Not a family but an EtherType (its low 16 bits).
        by_ethertype(d, value as u16, 4)
    } else {
        bsd_family(value, 4)
    }
}

fn bsd_family(family: u32, offset: usize) -> Network {
    match family {
        2 => Network::Ipv4(offset),
        // AF_INET6 differs by OS: Linux 10, NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30.
        10 | 24 | 28 | 30 => Network::Ipv6(offset),
        other => Network::NonIp(NonIp::Linktype(0x1_0000 | other)),
    }
}

fn sll_protocol(d: &[u8], protocol: u16, offset: usize) -> Network {
    match protocol {
        // Linux cooked captures put pseudo-EtherTypes below 0x0600 for 802.3/802.2 frames.
        p if p < 0x0600 => Network::NonIp(NonIp::Llc),
        p => by_ethertype(d, p, offset),
    }
}

/// Follow VLAN tags, MPLS labels, PPPoE and LLC/SNAP from an EtherType to the network layer.
fn by_ethertype(d: &[u8], mut ethertype: u16, mut offset: usize) -> Network {
    for _ in 0..MAX_NESTING {
        match ethertype {
            ETHERTYPE_IPV4 => return Network::Ipv4(offset),
            ETHERTYPE_IPV6 => return Network::Ipv6(offset),
            ETHERTYPE_VLAN | ETHERTYPE_QINQ | ETHERTYPE_QINQ_OLD | ETHERTYPE_QINQ_OLD2 => {
                match be16(d, offset + 2) {
                    Some(inner) => {
                        ethertype = inner;
                        offset += 4;
                    }
                    None => return CUT,
                }
            }
            ETHERTYPE_MPLS | ETHERTYPE_MPLS_MULTICAST => return mpls(d, offset),
            ETHERTYPE_PPPOE_SESSION => return pppoe_session(d, offset),
            len if len < 0x0600 => {
                // An 802.3 length field: IP only rides in 802.2 LLC with a SNAP header.
                match (d.get(offset..offset + 3), be16(d, offset + 6)) {
                    (Some([0xaa, 0xaa, 0x03]), Some(inner)) => {
                        ethertype = inner;
                        offset += 8;
                    }
                    (Some(_), _) => return Network::NonIp(NonIp::Llc),
                    (None, _) => return CUT,
                }
            }
            other => return Network::NonIp(NonIp::Ethertype(other)),
        }
    }
    Network::Malformed(Malformed::TooManyLinkHeaders)
}

fn mpls(d: &[u8], mut offset: usize) -> Network {
    for _ in 0..MAX_NESTING {
        let Some(label) = be32(d, offset) else {
            return CUT;
        };
        offset += 4;
        if label & 0x100 != 0 {
            // Bottom of stack: MPLS does not say what follows; the IP version nibble does.
            return match d.get(offset).map(|b| b >> 4) {
                Some(4) => Network::Ipv4(offset),
                Some(6) => Network::Ipv6(offset),
                Some(_) => Network::NonIp(NonIp::MplsPayload),
                None => CUT,
            };
        }
    }
    Network::Malformed(Malformed::TooManyLinkHeaders)
}

fn pppoe_session(d: &[u8], offset: usize) -> Network {
    // version/type, code, session id, length; then the PPP protocol field.
    match d.get(offset..offset + 6) {
        Some(_) => ppp_protocol(d, offset + 6),
        None => CUT,
    }
}

fn ppp(d: &[u8], skip: usize) -> Network {
    // HDLC-like framing puts address 0xff and control 0x03 first; they are often omitted.
    let offset = match d.get(skip..skip + 2) {
        Some([0xff, 0x03]) => skip + 2,
        _ if d.len() > skip => skip,
        _ => return CUT,
    };
    ppp_protocol(d, offset)
}

fn ppp_protocol(d: &[u8], offset: usize) -> Network {
    // Protocol field compression: an odd first byte is a one-byte protocol number.
    let (protocol, len) = match d.get(offset) {
        Some(&b) if b & 1 == 1 => (u16::from(b), 1),
        Some(_) => match be16(d, offset) {
            Some(p) => (p, 2),
            None => return CUT,
        },
        None => return CUT,
    };
    match protocol {
        0x0021 => Network::Ipv4(offset + len),
        0x0057 => Network::Ipv6(offset + len),
        other => Network::NonIp(NonIp::Ppp(other)),
    }
}

/// NFLOG: a 4-byte header, then TLVs (length and type in host byte order, padded to 4 bytes);
/// the packet is the NFULA_PAYLOAD TLV (type 9), and the header's family says which IP.
fn nflog(d: &[u8]) -> Network {
    let Some(&family) = d.first() else {
        return CUT;
    };
    let mut offset = 4;
    while offset + 4 <= d.len() {
        let (Some(len), Some(tlv_type)) = (le16(d, offset), le16(d, offset + 2)) else {
            return CUT;
        };
        let len = usize::from(len);
        if len < 4 {
            return CUT;
        }
        if tlv_type & 0x7fff == 9 {
            return match family {
                2 => Network::Ipv4(offset + 4),
                10 => Network::Ipv6(offset + 4),
                _ => Network::ByVersion(offset + 4),
            };
        }
        offset += (len + 3) & !3;
    }
    Network::NonIp(NonIp::NflogNoPayload)
}

/// 802.11: data frames carry LLC/SNAP after a header whose length depends on the frame
/// control bits; everything else (management, control, protected) carries no visible IP.
fn ieee802_11(d: &[u8]) -> Network {
    let (Some(&fc0), Some(&fc1)) = (d.first(), d.get(1)) else {
        return CUT;
    };
    let frame_type = (fc0 >> 2) & 0x3;
    let subtype = fc0 >> 4;
    let protected = fc1 & 0x40 != 0;
    // Type 2 is data; subtypes with bit 2 set (null, CF-ack/poll only) carry no payload.
    if frame_type != 2 || subtype & 0x4 != 0 || protected {
        return Network::NonIp(NonIp::Wireless);
    }
    let mut header = 24;
    if fc1 & 0x03 == 0x03 {
        header += 6; // four-address (WDS) frame
    }
    if subtype & 0x8 != 0 {
        header += 2; // QoS control
        if fc1 & 0x80 != 0 {
            header += 4; // HT control
        }
    }
    match (d.get(header..header + 3), be16(d, header + 6)) {
        (Some([0xaa, 0xaa, 0x03]), Some(ethertype)) => by_ethertype(d, ethertype, header + 8),
        (Some(_), _) => Network::NonIp(NonIp::Llc),
        (None, _) => CUT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eth(ethertype: u16, rest: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&ethertype.to_be_bytes());
        f.extend_from_slice(rest);
        f
    }

    #[test]
    fn follows_vlan_stacks_and_mpls() {
        let qinq = eth(0x88a8, &[0, 1, 0x81, 0x00, 0, 2, 0x08, 0x00, 0x45]);
        assert_eq!(network_offset(linktype::ETHERNET, &qinq), Network::Ipv4(22));
        let mpls2 = eth(0x8847, &[0, 0, 0x10, 0, 0, 0, 0x21, 0, 0x60]);
        assert_eq!(
            network_offset(linktype::ETHERNET, &mpls2),
            Network::Ipv6(22)
        );
        let snap = eth(0x0030, &[0xaa, 0xaa, 0x03, 0, 0, 0, 0x86, 0xdd]);
        assert_eq!(network_offset(linktype::ETHERNET, &snap), Network::Ipv6(22));
    }

    #[test]
    fn endless_tags_are_malformed_not_slow() {
        let mut frame = eth(0x8100, &[]);
        for _ in 0..100 {
            frame.extend_from_slice(&[0, 1, 0x81, 0x00]);
        }
        assert_eq!(
            network_offset(linktype::ETHERNET, &frame),
            Network::Malformed(Malformed::TooManyLinkHeaders)
        );
        // A PKTAP header that wraps PKTAP again, forever.
        let mut pktap = Vec::new();
        for _ in 0..10 {
            pktap.extend_from_slice(&8u32.to_le_bytes());
            pktap.extend_from_slice(&linktype::PKTAP.to_le_bytes());
        }
        assert_eq!(
            network_offset(linktype::PKTAP, &pktap),
            Network::Malformed(Malformed::TooManyLinkHeaders)
        );
    }

    #[test]
    fn null_family_in_either_byte_order() {
        assert_eq!(
            network_offset(linktype::NULL, &[2, 0, 0, 0]),
            Network::Ipv4(4)
        );
        assert_eq!(
            network_offset(linktype::NULL, &[0, 0, 0, 30]),
            Network::Ipv6(4)
        );
        // A Cisco-HDLC-like header in a NULL capture (pcpp_NullLoopback.pcap, frame 3).
        assert_eq!(
            network_offset(linktype::NULL, &[0x0f, 0, 0x08, 0]),
            Network::Ipv4(4)
        );
        assert_eq!(
            network_offset(linktype::LOOP, &[0, 0, 0, 24]),
            Network::Ipv6(4)
        );
    }

    #[test]
    fn ppp_with_and_without_address_control() {
        assert_eq!(
            network_offset(linktype::PPP, &[0xff, 0x03, 0x00, 0x21]),
            Network::Ipv4(4)
        );
        assert_eq!(
            network_offset(linktype::PPP, &[0x00, 0x57]),
            Network::Ipv6(2)
        );
        assert_eq!(network_offset(linktype::PPP, &[0x21]), Network::Ipv4(1));
        assert_eq!(
            network_offset(linktype::PPP, &[0xc0, 0x21]),
            Network::NonIp(NonIp::Ppp(0xc021))
        );
    }

    #[test]
    fn every_short_prefix_is_handled() {
        let frames: [(u32, Vec<u8>); 4] = [
            (
                linktype::ETHERNET,
                eth(0x8100, &[0, 1, 0x88, 0x47, 0, 0, 0x11, 0, 0x45]),
            ),
            (
                linktype::LINUX_SLL2,
                vec![
                    0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x45,
                ],
            ),
            (
                linktype::NFLOG,
                vec![2, 0, 0, 0, 8, 0, 1, 0, 0, 0, 0, 0, 8, 0, 9, 0, 0x45],
            ),
            (linktype::IEEE802_11_RADIOTAP, vec![0, 0, 4, 0, 0x08, 0x01]),
        ];
        for (lt, frame) in frames {
            for cut in 0..frame.len() {
                let _ = network_offset(lt, &frame[..cut]);
            }
        }
    }
}
