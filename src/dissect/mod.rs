//! Packet dissection: from a frame's bytes to the few facts the flow table needs (addresses,
//! protocol, ports or ICMP identifier, TCP flags, payload size, fragment identity), by zero-copy
//! slicing. Nothing here allocates; every read is bounds-checked, so hostile bytes end in a
//! [`Malformed`] reason, never a panic.

mod ip;
mod link;
mod transport;

use std::fmt;
use std::net::IpAddr;

pub use link::linktype_name;

/// What a frame turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dissection {
    /// An IP packet that belongs in a flow (possibly with an anomaly noted).
    Ip(IpPacket),
    /// A frame that carries no IP: ARP, spanning tree, a link type we do not decode, ...
    NonIp(NonIp),
    /// A frame that claims to carry IP but whose headers are too broken to place in a flow.
    Malformed(Malformed),
}

/// The flow-relevant facts of one IP packet (the outermost IP header: tunnels are flows of
/// their own, as in NetFlow).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpPacket {
    pub src: IpAddr,
    pub dst: IpAddr,
    /// IP protocol number of the transport (after any IPv6 extension headers).
    pub proto: u8,
    pub transport: Transport,
    /// Transport payload bytes on the wire (from the IP length fields, so snaplen does not
    /// shrink it).
    pub payload_len: u32,
    /// Where the captured transport payload lies in the frame (`start..end`; empty when none
    /// was captured, or for a fragment after the first).
    pub payload_at: (u32, u32),
    /// TCP sequence number (0 for other protocols).
    pub tcp_seq: u32,
    pub fragment: Option<Fragment>,
    /// A header inconsistency that did not stop the packet being placed in a flow.
    pub anomaly: Option<Malformed>,
}

/// Transport identity of a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transport {
    /// TCP, UDP, UDP-Lite, SCTP: ports, and TCP flags (0 for the others).
    Ports { src: u16, dst: u16, tcp_flags: u8 },
    /// ICMP or ICMPv6 echo request/reply, tied together by their identifier.
    IcmpEcho { id: u16 },
    /// No transport identity: other protocols, other ICMP messages, non-first fragments, or a
    /// transport header that was not captured.
    None,
}

/// Where a packet sits in a fragmented datagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fragment {
    /// The IPv4 identification (16 bits) or IPv6 fragment identification (32 bits).
    pub id: u32,
    /// Offset zero: this fragment carries the transport header.
    pub first: bool,
    pub more: bool,
}

/// TCP flag bits as they appear in the header's flags byte.
pub mod tcp_flags {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const RST: u8 = 0x04;
    pub const PSH: u8 = 0x08;
    pub const ACK: u8 = 0x10;
    pub const URG: u8 = 0x20;
    pub const ECE: u8 = 0x40;
    pub const CWR: u8 = 0x80;
}

/// Kinds of frames that carry no IP, counted per kind in the capture summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NonIp {
    /// An EtherType other than IPv4/IPv6 (ARP, LLDP, EAPOL, ...).
    Ethertype(u16),
    /// IEEE 802.3 frames with an 802.2 LLC header (spanning tree, CDP, NetBIOS, ...).
    Llc,
    /// MPLS whose payload is not IP (pseudowires, ...).
    MplsPayload,
    /// PPP control or non-IP network protocols (LCP, IPCP, ...).
    Ppp(u16),
    /// 802.11 management, control, null or encrypted frames.
    Wireless,
    /// NFLOG records without a packet payload.
    NflogNoPayload,
    /// A link type we do not decode.
    Linktype(u32),
}

impl fmt::Display for NonIp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NonIp::Ethertype(t) => match ethertype_name(*t) {
                Some(name) => f.write_str(name),
                None => write!(f, "ethertype 0x{t:04x}"),
            },
            NonIp::Llc => f.write_str("llc"),
            NonIp::MplsPayload => f.write_str("mpls non-ip payload"),
            NonIp::Ppp(p) => write!(f, "ppp protocol 0x{p:04x}"),
            NonIp::Wireless => f.write_str("802.11 non-data"),
            NonIp::NflogNoPayload => f.write_str("nflog without payload"),
            NonIp::Linktype(l) => write!(f, "unsupported link type {}", linktype_name(*l)),
        }
    }
}

fn ethertype_name(ethertype: u16) -> Option<&'static str> {
    Some(match ethertype {
        0x0806 => "arp",
        0x8035 => "rarp",
        0x809b => "appletalk",
        0x8137 => "ipx",
        0x86dd => "ipv6",
        0x8808 => "ethernet flow control",
        0x8809 => "slow protocols (lacp)",
        0x8863 => "pppoe discovery",
        0x8864 => "pppoe session",
        0x888e => "eapol",
        0x88cc => "lldp",
        0x88e5 => "macsec",
        0x88f7 => "ptp",
        0x8902 => "cfm",
        0x9000 => "loopback",
        _ => return None,
    })
}

/// Header damage, with a message for the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Malformed {
    LinkHeaderCutShort,
    TooManyLinkHeaders,
    IpVersion,
    Ipv4HeaderCutShort,
    Ipv4HeaderLength,
    Ipv4TotalLength,
    Ipv6HeaderCutShort,
    Ipv6PayloadLength,
    Ipv6ExtensionHeaders,
    TcpHeaderCutShort,
    TcpDataOffset,
    UdpHeaderCutShort,
    UdpLength,
    IcmpHeaderCutShort,
    UnknownInterface,
}

impl Malformed {
    pub fn describe(self) -> &'static str {
        match self {
            Malformed::LinkHeaderCutShort => "link-layer header cut short",
            Malformed::TooManyLinkHeaders => "too many nested VLAN, MPLS or encapsulation headers",
            Malformed::IpVersion => "IP version field does not match the frame's protocol",
            Malformed::Ipv4HeaderCutShort => "IPv4 header cut short",
            Malformed::Ipv4HeaderLength => {
                "IPv4 header length field below 20 bytes or beyond the packet"
            }
            Malformed::Ipv4TotalLength => "IPv4 total length inconsistent with the frame",
            Malformed::Ipv6HeaderCutShort => "IPv6 header cut short",
            Malformed::Ipv6PayloadLength => "IPv6 payload length inconsistent with the frame",
            Malformed::Ipv6ExtensionHeaders => "IPv6 extension header chain broken or too long",
            Malformed::TcpHeaderCutShort => "TCP header cut short",
            Malformed::TcpDataOffset => "TCP data offset below 20 bytes or beyond the segment",
            Malformed::UdpHeaderCutShort => "UDP header cut short",
            Malformed::UdpLength => "UDP datagram shorter than its header",
            Malformed::IcmpHeaderCutShort => "ICMP header cut short",
            Malformed::UnknownInterface => "packet on an interface the capture never declared",
        }
    }
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Dissect one frame. `orig_len` is the packet's length on the wire; `data` may be shorter.
pub fn dissect(linktype: u32, data: &[u8], orig_len: u32) -> Dissection {
    let wire_len = (orig_len as usize).max(data.len());
    match link::network_offset(linktype, data) {
        link::Network::Ipv4(offset) => ip::ipv4(data, offset, wire_len),
        link::Network::Ipv6(offset) => ip::ipv6(data, offset, wire_len),
        link::Network::ByVersion(offset) => match data.get(offset).map(|b| b >> 4) {
            Some(4) => ip::ipv4(data, offset, wire_len),
            Some(6) => ip::ipv6(data, offset, wire_len),
            Some(_) => Dissection::Malformed(Malformed::IpVersion),
            None => Dissection::Malformed(Malformed::LinkHeaderCutShort),
        },
        link::Network::NonIp(kind) => Dissection::NonIp(kind),
        link::Network::Malformed(why) => Dissection::Malformed(why),
    }
}
