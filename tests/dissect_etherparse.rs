//! The dissector against an independent packet writer: etherparse builds Ethernet frames
//! (VLAN tags, IPv4 with options, IPv6 with extension-header chains, TCP, UDP, ICMP echo) from
//! randomly chosen fields, and our dissection must give back exactly those fields.

use std::net::IpAddr;

use ca_cli::dissect::{Dissection, Transport, dissect};
use etherparse::{
    IpHeaders, IpNumber, Ipv4Extensions, Ipv4Header, Ipv4Options, Ipv6Extensions, Ipv6Header,
    Ipv6RawExtHeader, Ipv6RoutingExtensions, PacketBuilder, VlanId,
};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut b = [0u8; N];
        for x in &mut b {
            *x = self.next() as u8;
        }
        b
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Tcp(u8),
    Udp,
    IcmpEcho(u16),
}

fn raw_ext(rng: &mut Rng) -> Ipv6RawExtHeader {
    let payload = vec![0u8; 6 + 8 * rng.below(4) as usize];
    Ipv6RawExtHeader::new_raw(IpNumber(0), &payload).unwrap()
}

#[test]
fn random_packets_dissect_to_the_fields_they_were_built_from() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for case in 0..3000 {
        let v6 = rng.below(2) == 1;
        let kind = match rng.below(3) {
            0 => Kind::Tcp((rng.next() as u8) & 0x3f),
            1 => Kind::Udp,
            _ => Kind::IcmpEcho(rng.next() as u16),
        };
        let (sport, dport) = (rng.next() as u16, rng.next() as u16);
        let payload = vec![0xabu8; rng.below(1400) as usize];
        let proto = match (kind, v6) {
            (Kind::Tcp(_), _) => IpNumber::TCP,
            (Kind::Udp, _) => IpNumber::UDP,
            (Kind::IcmpEcho(_), false) => IpNumber::ICMP,
            (Kind::IcmpEcho(_), true) => IpNumber::IPV6_ICMP,
        };
        let (src, dst, ip) = if v6 {
            let (s, d) = (rng.bytes::<16>(), rng.bytes::<16>());
            let header = Ipv6Header {
                traffic_class: 0,
                flow_label: Default::default(),
                payload_length: 0,
                next_header: proto,
                hop_limit: 64,
                source: s,
                destination: d,
            };
            let mut exts = Ipv6Extensions::default();
            if rng.below(2) == 1 {
                exts.hop_by_hop_options = Some(raw_ext(&mut rng));
            }
            if rng.below(2) == 1 {
                exts.destination_options = Some(raw_ext(&mut rng));
            }
            if rng.below(2) == 1 {
                exts.routing = Some(Ipv6RoutingExtensions {
                    routing: raw_ext(&mut rng),
                    final_destination_options: (rng.below(2) == 1).then(|| raw_ext(&mut rng)),
                });
            }
            (
                IpAddr::from(s),
                IpAddr::from(d),
                IpHeaders::Ipv6(header, exts),
            )
        } else {
            let (s, d) = (rng.bytes::<4>(), rng.bytes::<4>());
            let mut header = Ipv4Header::new(0, 64, proto, s, d).unwrap();
            let options = vec![1u8; 4 * rng.below(11) as usize]; // NOPs, 0..40 bytes
            header.options = Ipv4Options::try_from(&options[..]).unwrap();
            (
                IpAddr::from(s),
                IpAddr::from(d),
                IpHeaders::Ipv4(header, Ipv4Extensions::default()),
            )
        };
        let vlan = rng.below(3);
        let eth = PacketBuilder::ethernet2(rng.bytes(), rng.bytes());
        let mut frame = Vec::new();
        macro_rules! finish {
            ($step:expr) => {{
                let step = $step.ip(ip);
                match kind {
                    Kind::Tcp(flags) => {
                        let mut s = step.tcp(sport, dport, 1000, 65535);
                        if flags & 0x01 != 0 {
                            s = s.fin();
                        }
                        if flags & 0x02 != 0 {
                            s = s.syn();
                        }
                        if flags & 0x04 != 0 {
                            s = s.rst();
                        }
                        if flags & 0x08 != 0 {
                            s = s.psh();
                        }
                        if flags & 0x10 != 0 {
                            s = s.ack(7);
                        }
                        if flags & 0x20 != 0 {
                            s = s.urg(1);
                        }
                        s.write(&mut frame, &payload).unwrap()
                    }
                    Kind::Udp => step.udp(sport, dport).write(&mut frame, &payload).unwrap(),
                    Kind::IcmpEcho(id) if v6 => step
                        .icmpv6_echo_request(id, 1)
                        .write(&mut frame, &payload)
                        .unwrap(),
                    Kind::IcmpEcho(id) => step
                        .icmpv4_echo_request(id, 1)
                        .write(&mut frame, &payload)
                        .unwrap(),
                }
            }};
        }
        match vlan {
            0 => finish!(eth),
            1 => finish!(eth.single_vlan(VlanId::try_new(42).unwrap())),
            _ => finish!(eth.double_vlan(VlanId::try_new(7).unwrap(), VlanId::try_new(8).unwrap())),
        }

        let Dissection::Ip(packet) = dissect(1, &frame, frame.len() as u32) else {
            panic!(
                "case {case}: {:?} not dissected as IP",
                dissect(1, &frame, frame.len() as u32)
            );
        };
        assert_eq!((packet.src, packet.dst), (src, dst), "case {case}");
        assert_eq!(packet.proto, proto.0, "case {case}");
        assert_eq!(
            packet.payload_len as usize,
            payload.len(),
            "case {case} {kind:?}"
        );
        assert_eq!(packet.anomaly, None, "case {case}");
        assert_eq!(packet.fragment, None, "case {case}");
        let expected = match kind {
            Kind::Tcp(flags) => Transport::Ports {
                src: sport,
                dst: dport,
                tcp_flags: flags,
            },
            Kind::Udp => Transport::Ports {
                src: sport,
                dst: dport,
                tcp_flags: 0,
            },
            Kind::IcmpEcho(id) => Transport::IcmpEcho { id },
        };
        assert_eq!(packet.transport, expected, "case {case}");

        // The same frame cut by a snaplen still yields the addresses and never panics.
        let cut = 14 + 4 * vlan as usize + rng.below(80) as usize;
        if cut < frame.len() {
            let _ = dissect(1, &frame[..cut], frame.len() as u32);
        }
    }
}
