//! The flow table: bidirectional flows keyed on protocol and both endpoints, with per-direction
//! counters, TCP connection state, idle timeouts, and IP fragments counted in the flow of their
//! datagram.

mod defrag;
pub mod profile;
mod table;
pub mod tcp_state;

use std::net::IpAddr;

pub use defrag::{
    Defragmenter, FRAGMENT_TIMEOUT_SECS, FragmentVerdict, MAX_PENDING_DATAGRAMS, Orphans,
};
pub use table::{FinishedFlows, FlowTable, IdleTimeouts};

use crate::capture::Timestamp;
use crate::dissect::Transport;
use tcp_state::TcpConnection;

pub const PROTO_ICMP: u8 = 1;
pub const PROTO_TCP: u8 = 6;
pub const PROTO_UDP: u8 = 17;
pub const PROTO_ICMPV6: u8 = 58;

/// One end of a flow. `port` is 0 where the protocol has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Endpoint {
    pub addr: IpAddr,
    pub port: u16,
}

/// What besides addresses tells flows apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FlowIdent {
    /// Endpoints carry ports (TCP, UDP, UDP-Lite, SCTP).
    Ports,
    /// An ICMP or ICMPv6 echo exchange, by its identifier.
    IcmpEcho(u16),
    /// Addresses only: other protocols, other ICMP messages, and fragments whose first
    /// fragment (with the ports) never arrived.
    Addresses,
}

/// A flow's identity, the same whichever way a packet travels: side `a` is the smaller
/// endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlowKey {
    pub proto: u8,
    pub ident: FlowIdent,
    pub a: Endpoint,
    pub b: Endpoint,
}

/// Which side of a [`FlowKey`] sent a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    A = 0,
    B = 1,
}

impl Side {
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn other(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }
}

impl FlowKey {
    /// The flow key of a packet from `src` to `dst`, and the side that sent it.
    pub fn new(src: IpAddr, dst: IpAddr, proto: u8, transport: Transport) -> (FlowKey, Side) {
        let (ident, src_port, dst_port) = match transport {
            Transport::Ports { src, dst, .. } => (FlowIdent::Ports, src, dst),
            Transport::IcmpEcho { id } => (FlowIdent::IcmpEcho(id), 0, 0),
            Transport::None => (FlowIdent::Addresses, 0, 0),
        };
        let from = Endpoint {
            addr: src,
            port: src_port,
        };
        let to = Endpoint {
            addr: dst,
            port: dst_port,
        };
        if from <= to {
            (
                FlowKey {
                    proto,
                    ident,
                    a: from,
                    b: to,
                },
                Side::A,
            )
        } else {
            (
                FlowKey {
                    proto,
                    ident,
                    a: to,
                    b: from,
                },
                Side::B,
            )
        }
    }

    pub fn endpoint(&self, side: Side) -> Endpoint {
        match side {
            Side::A => self.a,
            Side::B => self.b,
        }
    }

    pub fn has_ports(&self) -> bool {
        self.ident == FlowIdent::Ports
    }
}

/// Packets and bytes one side sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DirectionCounters {
    pub packets: u64,
    /// Frame lengths on the wire, as Wireshark counts them.
    pub bytes: u64,
    /// Transport payload bytes.
    pub payload_bytes: u64,
    /// TCP flags seen from this side (OR of every segment's flags byte).
    pub tcp_flags: u8,
}

/// A finished (or, at the end of the capture, still open) flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    pub key: FlowKey,
    /// The side that initiated the flow.
    pub initiator: Side,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    /// Indexed by [`Side::index`].
    pub counters: [DirectionCounters; 2],
    pub tcp: Option<TcpConnection>,
    /// Creation order, which breaks ties between flows that start at the same instant.
    pub sequence: u64,
    /// The application protocol and server name, once payload was seen.
    pub app: Option<Box<crate::identify::App>>,
    /// Payload packets of each side (by [`Side::index`]) handed to identification.
    pub(crate) inspected: [u8; 2],
    /// Where identification keeps what it learns of this flow.
    pub(crate) slot: crate::identify::Slot,
    /// What the flow carried in each slice of time, when a view asked for it (see
    /// [`FlowTable::with_profiles`]).
    pub profile: Option<Box<profile::TimeProfile>>,
}

impl Flow {
    pub fn src(&self) -> Endpoint {
        self.key.endpoint(self.initiator)
    }

    pub fn dst(&self) -> Endpoint {
        self.key.endpoint(self.initiator.other())
    }

    pub fn sent(&self) -> &DirectionCounters {
        &self.counters[self.initiator.index()]
    }

    pub fn received(&self) -> &DirectionCounters {
        &self.counters[self.initiator.other().index()]
    }

    pub fn total_packets(&self) -> u64 {
        self.counters[0].packets + self.counters[1].packets
    }

    pub fn total_bytes(&self) -> u64 {
        self.counters[0].bytes + self.counters[1].bytes
    }

    pub fn duration_nanos(&self) -> u64 {
        self.last_seen.nanos_since(self.first_seen)
    }

    /// Zeek's `conn_state` for TCP flows.
    pub fn tcp_state(&self) -> Option<&'static str> {
        self.tcp
            .as_ref()
            .map(|t| t.conn_state(self.initiator.index()))
    }
}

/// What a packet (or a group of held-back fragments) adds to a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contribution {
    pub first: Timestamp,
    pub last: Timestamp,
    pub packets: u64,
    pub bytes: u64,
    pub payload_bytes: u64,
    /// TCP flags of the segment; `None` for non-TCP packets and for non-first fragments.
    pub tcp_flags: Option<u8>,
}

impl Contribution {
    pub fn packet(ts: Timestamp, wire_len: u32, payload_len: u32, tcp_flags: Option<u8>) -> Self {
        Contribution {
            first: ts,
            last: ts,
            packets: 1,
            bytes: u64::from(wire_len),
            payload_bytes: u64::from(payload_len),
            tcp_flags,
        }
    }

    pub fn merge(&mut self, other: &Contribution) {
        self.first = self.first.earliest(other.first);
        self.last = self.last.max(other.last);
        self.packets += other.packets;
        self.bytes += other.bytes;
        self.payload_bytes += other.payload_bytes;
    }
}
