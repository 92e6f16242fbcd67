//! Transport headers: ports, TCP flags, ICMP echo identifiers, and payload sizes.

use super::{Malformed, Transport};

const TCP: u8 = 6;
const UDP: u8 = 17;
const ICMP: u8 = 1;
const ICMPV6: u8 = 58;
const SCTP: u8 = 132;
const UDP_LITE: u8 = 136;

/// Parse the transport header at the start of `l4` (what was captured of it), for a transport
/// segment of `l4_len` bytes on the wire. Returns the identity, the payload size, and any
/// inconsistency. `snapped` says the frame was cut by the capture's snaplen: a header missing
/// for that reason is not damage.
pub(super) fn transport(
    proto: u8,
    l4: &[u8],
    l4_len: usize,
    snapped: bool,
) -> (Transport, usize, Option<Malformed>) {
    let cut = |why: Malformed, min_header: usize| {
        let anomaly = (!snapped || l4_len < min_header).then_some(why);
        (Transport::None, l4_len.saturating_sub(min_header), anomaly)
    };
    match proto {
        TCP => {
            let (Some(src), Some(dst)) = (be16(l4, 0), be16(l4, 2)) else {
                return cut(Malformed::TcpHeaderCutShort, 20);
            };
            let tcp_flags = l4.get(13).copied().unwrap_or(0);
            let (payload, anomaly) = match l4.get(12).map(|b| usize::from(b >> 4) * 4) {
                Some(header) if header < 20 => {
                    (l4_len.saturating_sub(20), Some(Malformed::TcpDataOffset))
                }
                Some(header) if header > l4_len => (0, Some(Malformed::TcpDataOffset)),
                Some(header) => (l4_len - header, None),
                None if l4_len < 20 => (0, Some(Malformed::TcpHeaderCutShort)),
                None => (l4_len - 20, None),
            };
            (
                Transport::Ports {
                    src,
                    dst,
                    tcp_flags,
                },
                payload,
                anomaly,
            )
        }
        UDP | UDP_LITE | SCTP => {
            let header = if proto == SCTP { 12 } else { 8 };
            let (Some(src), Some(dst)) = (be16(l4, 0), be16(l4, 2)) else {
                return cut(Malformed::UdpHeaderCutShort, header);
            };
            let anomaly = (l4_len < header).then_some(Malformed::UdpLength);
            let ports = Transport::Ports {
                src,
                dst,
                tcp_flags: 0,
            };
            (ports, l4_len.saturating_sub(header), anomaly)
        }
        ICMP | ICMPV6 => {
            let Some(&icmp_type) = l4.first() else {
                return cut(Malformed::IcmpHeaderCutShort, 8);
            };
            let echo = if proto == ICMP {
                matches!(icmp_type, 0 | 8)
            } else {
                matches!(icmp_type, 128 | 129)
            };
            let anomaly = (l4_len < 8).then_some(Malformed::IcmpHeaderCutShort);
            let id = if echo { be16(l4, 4) } else { None };
            let transport = match id {
                Some(id) => Transport::IcmpEcho { id },
                None => Transport::None,
            };
            (transport, l4_len.saturating_sub(8), anomaly)
        }
        _ => (Transport::None, l4_len, None),
    }
}

fn be16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]))
}
