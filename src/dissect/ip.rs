//! IPv4 and IPv6 headers, the IPv6 extension-header chain, and fragments.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::transport::transport;
use super::{Dissection, Fragment, IpPacket, Malformed, Transport};

/// Extension headers we walk before calling the chain broken.
const MAX_EXTENSION_HEADERS: usize = 16;

fn be16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]))
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *d.get(at)?,
        *d.get(at + 1)?,
        *d.get(at + 2)?,
        *d.get(at + 3)?,
    ]))
}

/// Length of the IP packet on the wire, from its length field, checked against the frame.
/// A zero length field is what segmentation offload leaves in captured outbound packets; the
/// frame's own length is the truth then.
/// Returns the length to use and whether the field disagreed with the frame.
fn ip_length(declared: usize, min: usize, on_wire: usize) -> (usize, bool) {
    if declared == 0 {
        (on_wire, false)
    } else if declared < min {
        (on_wire.max(min), true)
    } else if declared > on_wire {
        (on_wire, true)
    } else {
        (declared, false)
    }
}

pub(super) fn ipv4(frame: &[u8], offset: usize, wire_len: usize) -> Dissection {
    let d = frame.get(offset..).unwrap_or_default();
    let snapped = frame.len() < wire_len;
    if d.len() < 20 {
        return Dissection::Malformed(match d.first() {
            Some(b) if b >> 4 != 4 => Malformed::IpVersion,
            _ => Malformed::Ipv4HeaderCutShort,
        });
    }
    if d[0] >> 4 != 4 {
        return Dissection::Malformed(Malformed::IpVersion);
    }
    let src = IpAddr::V4(Ipv4Addr::new(d[12], d[13], d[14], d[15]));
    let dst = IpAddr::V4(Ipv4Addr::new(d[16], d[17], d[18], d[19]));
    let proto = d[9];
    let on_wire = wire_len.saturating_sub(offset);
    let header_len = usize::from(d[0] & 0x0f) * 4;
    let (ip_len, length_bad) = ip_length(usize::from(be16(d, 2).unwrap_or(0)), 20, on_wire);
    let anomaly = length_bad.then_some(Malformed::Ipv4TotalLength);
    if header_len < 20 || header_len > ip_len {
        // Where the header ends is unknown, so nothing after it (nor, in fuzzed or corrupted
        // frames, the addresses) can be trusted: tshark and Zeek give up on such packets too.
        return Dissection::Malformed(Malformed::Ipv4HeaderLength);
    }
    let flags_offset = be16(d, 6).unwrap_or(0);
    let more = flags_offset & 0x2000 != 0;
    let fragment_offset = flags_offset & 0x1fff;
    let fragment = (more || fragment_offset != 0).then(|| Fragment {
        id: u32::from(be16(d, 4).unwrap_or(0)),
        first: fragment_offset == 0,
        more,
    });
    let l4_len = ip_len - header_len;
    let l4 = d.get(header_len..).unwrap_or_default();
    let (transport_id, payload_len, transport_anomaly) = if fragment_offset != 0 {
        (Transport::None, l4_len, None)
    } else {
        transport(proto, l4, l4_len, snapped)
    };
    let payload_at = if fragment_offset != 0 {
        (0, 0)
    } else {
        payload_span(offset + header_len, l4, l4_len, payload_len)
    };
    Dissection::Ip(IpPacket {
        src,
        dst,
        proto,
        transport: transport_id,
        payload_len: payload_len as u32,
        payload_at,
        tcp_seq: tcp_seq(proto, l4),
        fragment,
        anomaly: anomaly.or(transport_anomaly),
    })
}

pub(super) fn ipv6(frame: &[u8], offset: usize, wire_len: usize) -> Dissection {
    let d = frame.get(offset..).unwrap_or_default();
    let snapped = frame.len() < wire_len;
    if d.len() < 40 {
        return Dissection::Malformed(match d.first() {
            Some(b) if b >> 4 != 6 => Malformed::IpVersion,
            _ => Malformed::Ipv6HeaderCutShort,
        });
    }
    if d[0] >> 4 != 6 {
        return Dissection::Malformed(Malformed::IpVersion);
    }
    let addr = |at: usize| {
        let mut b = [0u8; 16];
        b.copy_from_slice(&d[at..at + 16]);
        IpAddr::V6(Ipv6Addr::from(b))
    };
    let (src, dst) = (addr(8), addr(24));
    let on_wire = wire_len.saturating_sub(offset);
    let declared = usize::from(be16(d, 4).unwrap_or(0));
    let (ip_len, length_bad) = if declared == 0 {
        // Jumbograms and offloaded packets leave the field zero.
        (on_wire, false)
    } else {
        ip_length(declared + 40, 40, on_wire)
    };
    let mut anomaly = length_bad.then_some(Malformed::Ipv6PayloadLength);

    let mut next_header = d[6];
    let mut at = 40usize;
    let mut fragment = None;
    for _ in 0..MAX_EXTENSION_HEADERS {
        let header_len = match next_header {
            // Hop-by-hop, routing, destination options, mobility, HIP, shim6.
            0 | 43 | 60 | 135 | 139 | 140 => d.get(at + 1).map(|&l| (usize::from(l) + 1) * 8),
            // Authentication header counts 4-byte units, minus two.
            51 => d.get(at + 1).map(|&l| (usize::from(l) + 2) * 4),
            44 => Some(8),
            _ => break,
        };
        let (Some(header_len), Some(&following)) = (header_len, d.get(at)) else {
            // The chain runs past what was captured: addresses are good, the transport unknown.
            let malformed = (!snapped).then_some(Malformed::Ipv6ExtensionHeaders);
            return Dissection::Ip(IpPacket {
                src,
                dst,
                proto: next_header,
                transport: Transport::None,
                payload_len: ip_len.saturating_sub(at) as u32,
                payload_at: (0, 0),
                tcp_seq: 0,
                fragment,
                anomaly: anomaly.or(malformed),
            });
        };
        if next_header == 44 {
            let offset_flags = be16(d, at + 2).unwrap_or(0);
            let fragment_offset = offset_flags >> 3;
            let this = Fragment {
                id: be32(d, at + 4).unwrap_or(0),
                first: fragment_offset == 0,
                more: offset_flags & 1 != 0,
            };
            fragment = Some(this);
            if !this.first {
                // Later fragments carry the rest of the payload, with no transport header.
                return Dissection::Ip(IpPacket {
                    src,
                    dst,
                    proto: following,
                    transport: Transport::None,
                    payload_len: ip_len.saturating_sub(at + 8) as u32,
                    payload_at: (0, 0),
                    tcp_seq: 0,
                    fragment,
                    anomaly,
                });
            }
        }
        next_header = following;
        at += header_len;
        if at > ip_len {
            anomaly = Some(Malformed::Ipv6ExtensionHeaders);
            break;
        }
    }
    if matches!(next_header, 0 | 43 | 60 | 135 | 139 | 140 | 51 | 44) {
        anomaly = Some(Malformed::Ipv6ExtensionHeaders);
    }
    let l4_len = ip_len.saturating_sub(at);
    let l4 = d.get(at..).unwrap_or_default();
    let (transport_id, payload_len, transport_anomaly) =
        transport(next_header, l4, l4_len, snapped);
    let later_fragment = fragment.is_some_and(|f| !f.first);
    Dissection::Ip(IpPacket {
        src,
        dst,
        proto: next_header,
        transport: transport_id,
        payload_len: payload_len as u32,
        payload_at: if later_fragment {
            (0, 0)
        } else {
            payload_span(offset + at, l4, l4_len, payload_len)
        },
        tcp_seq: tcp_seq(next_header, l4),
        fragment,
        anomaly: anomaly.or(transport_anomaly),
    })
}

/// The captured transport payload's place in the frame: it ends where the transport data ends
/// (`l4_len` on the wire, less if the capture was cut), and starts `l4_len - payload_len` bytes
/// into the transport header.
fn payload_span(l4_start: usize, l4: &[u8], l4_len: usize, payload_len: usize) -> (u32, u32) {
    let header = l4_len.saturating_sub(payload_len);
    let end = l4_len.min(l4.len());
    if header >= end {
        return (0, 0);
    }
    let (start, end) = (l4_start + header, l4_start + end);
    match (u32::try_from(start), u32::try_from(end)) {
        (Ok(start), Ok(end)) => (start, end),
        _ => (0, 0),
    }
}

fn tcp_seq(proto: u8, l4: &[u8]) -> u32 {
    match (proto, l4.get(4..8)) {
        (6, Some(b)) => u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
        _ => 0,
    }
}
