//! TCP connection state, following Zeek's per-endpoint state machine and its `conn_state`
//! summary (S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH), from flags and
//! payload sizes alone.
//!
//! Zeek also looks at sequence numbers (to tell a retransmitted SYN from a new one, and to size
//! each side's stream); we approximate those checks by payload bytes, which agrees on every
//! connection that does not retransmit around its handshake or teardown.

use crate::dissect::tcp_flags::{ACK, FIN, RST, SYN};

/// Every `conn_state` a TCP flow can end in (Zeek's names).
pub const STATES: [&str; 13] = [
    "S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH",
];

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EndpointState {
    #[default]
    Inactive,
    SynSent,
    SynAckSent,
    Partial,
    Established,
    Closed,
    Reset,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Endpoint {
    state: EndpointState,
    prev_state: EndpointState,
    sent_payload: bool,
    sent_rst: bool,
    /// Sent a SYN-ACK, pure ACK, FIN or odd flag combination before its first RST: Zeek's
    /// RSTOS0 pattern `^?S[^HAFGIQ]*R.*` rules those out.
    handshake_seen_before_rst: bool,
}

impl Endpoint {
    fn set(&mut self, state: EndpointState) {
        if self.state != state {
            self.prev_state = self.state;
            self.state = state;
        }
    }
}

/// The state of one TCP connection. Endpoints are indexed by the flow's canonical sides
/// (0 and 1), so that a change of originator never moves state around.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcpConnection {
    endpoints: [Endpoint; 2],
    /// Side whose pure SYN was the connection's first packet, if it began that way.
    opened_by_syn: Option<u8>,
    packets: u64,
}

impl TcpConnection {
    /// Apply one segment sent by `side` (0 or 1) while `originator` is the originating side.
    /// Returns true when the segment reveals that the roles were the other way round (Zeek's
    /// SYN/SYN-ACK reversal), so the caller swaps the originator.
    pub fn on_segment(
        &mut self,
        side: usize,
        originator: usize,
        flags: u8,
        payload_len: u32,
    ) -> bool {
        let side = side & 1;
        let is_orig = side == originator;
        let (syn, ack, fin, rst) = (
            flags & SYN != 0,
            flags & ACK != 0,
            flags & FIN != 0,
            flags & RST != 0,
        );
        if self.packets == 0 && syn && !ack {
            self.opened_by_syn = Some(side as u8);
        }
        self.packets += 1;
        {
            let ep = &mut self.endpoints[side];
            if payload_len > 0 {
                ep.sent_payload = true;
            }
            if !ep.sent_rst {
                let control_bits = [syn, fin, rst].iter().filter(|b| **b).count();
                let pure_ack = control_bits == 0 && ack && payload_len == 0;
                if (syn && ack) || fin || pure_ack || control_bits > 1 {
                    ep.handshake_seen_before_rst = true;
                }
            }
            if rst {
                ep.sent_rst = true;
            }
        }
        let peer = 1 - side;
        let mut flipped = false;
        match self.endpoints[side].state {
            EndpointState::Inactive => {
                if syn {
                    if is_orig {
                        self.endpoints[side].set(if ack {
                            EndpointState::SynAckSent
                        } else {
                            EndpointState::SynSent
                        });
                    } else {
                        if !ack && self.endpoints[peer].state == EndpointState::SynAckSent {
                            // The "originator" answered a SYN we never saw: roles reversed.
                            flipped = true;
                            self.endpoints[peer].set(EndpointState::Established);
                        }
                        if self.endpoints[peer].state == EndpointState::SynSent {
                            self.endpoints[peer].set(EndpointState::Established);
                        }
                        self.endpoints[side].set(EndpointState::Established);
                    }
                }
                if fin {
                    self.endpoints[side].set(EndpointState::Closed);
                }
                if rst {
                    self.endpoints[side].set(EndpointState::Reset);
                }
                if self.endpoints[side].state == EndpointState::Inactive {
                    let orig_state = self.endpoints[originator & 1].state;
                    if !is_orig && payload_len == 0 && orig_state == EndpointState::SynSent {
                        // The responder acknowledges the SYN before answering it.
                    } else if ack && self.endpoints[peer].state == EndpointState::Established {
                        self.endpoints[side].set(EndpointState::Established);
                    } else {
                        self.endpoints[side].set(EndpointState::Partial);
                    }
                }
            }
            EndpointState::SynSent | EndpointState::SynAckSent => {
                if fin {
                    self.endpoints[side].set(EndpointState::Closed);
                }
                if rst {
                    self.endpoints[side].set(EndpointState::Reset);
                }
            }
            EndpointState::Established | EndpointState::Partial => {
                if syn
                    && !ack
                    && self.endpoints[side].state == EndpointState::Partial
                    && self.endpoints[peer].state == EndpointState::Inactive
                {
                    self.endpoints[side].set(EndpointState::SynSent);
                }
                if fin && !rst {
                    self.endpoints[side].set(EndpointState::Closed);
                    let p = &mut self.endpoints[peer];
                    if p.state == EndpointState::Reset && p.prev_state == EndpointState::Closed {
                        // A FIN then RST from the peer, answered by a FIN: a normal close.
                        p.set(EndpointState::Closed);
                    }
                }
                if rst {
                    self.endpoints[side].set(EndpointState::Reset);
                }
            }
            EndpointState::Closed => {
                if rst && self.endpoints[peer].state != EndpointState::Closed {
                    self.endpoints[side].set(EndpointState::Reset);
                }
            }
            EndpointState::Reset => {}
        }
        flipped
    }

    /// Both sides finished (FIN each way) or either side reset: a new SYN on the same ports
    /// starts a new connection.
    pub fn is_finished(&self) -> bool {
        let [a, b] = self.endpoints;
        (a.state == EndpointState::Closed && b.state == EndpointState::Closed)
            || a.state == EndpointState::Reset
            || b.state == EndpointState::Reset
    }

    /// Zeek's `conn_state` for this connection, with `originator` the originating side.
    pub fn conn_state(&self, originator: usize) -> &'static str {
        use EndpointState::*;
        let orig = self.endpoints[originator & 1];
        let resp = self.endpoints[1 - (originator & 1)];
        let (os, rs) = (orig.state, resp.state);
        let o_inactive = matches!(os, Inactive | Partial);
        let r_inactive = matches!(rs, Inactive | Partial);
        if rs == Reset {
            if matches!(os, SynSent | SynAckSent)
                || (os == Reset && !orig.sent_payload && !resp.sent_payload)
            {
                "REJ"
            } else if o_inactive {
                "RSTRH"
            } else {
                "RSTR"
            }
        } else if os == Reset {
            if r_inactive {
                let began_with_orig_syn = self.opened_by_syn == Some(originator as u8 & 1);
                if began_with_orig_syn && !orig.handshake_seen_before_rst {
                    "RSTOS0"
                } else {
                    "OTH"
                }
            } else {
                "RSTO"
            }
        } else if os == Closed && rs == Closed {
            "SF"
        } else if os == Closed {
            if r_inactive { "SH" } else { "S2" }
        } else if rs == Closed {
            if o_inactive { "SHR" } else { "S3" }
        } else if os == SynSent && rs == Inactive {
            "S0"
        } else if os == Established && rs == Established {
            "S1"
        } else {
            "OTH"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dissect::tcp_flags::PSH;

    const O: usize = 0;
    const R: usize = 1;

    /// Run a sequence of (sender, flags, payload) segments with side 0 as originator.
    fn state_after(segments: &[(usize, u8, u32)]) -> &'static str {
        let mut conn = TcpConnection::default();
        let mut originator = 0;
        for &(side, flags, len) in segments {
            if conn.on_segment(side, originator, flags, len) {
                originator = 1 - originator;
            }
        }
        conn.conn_state(originator)
    }

    // The expected states are the worked examples derived from Zeek's TCP analyzer and its
    // `conn_state` function (scripts/base/protocols/conn/main.zeek), and their documentation:
    // "S0: Connection attempt seen, no reply", "REJ: Connection attempt rejected", ...
    #[test]
    fn zeek_worked_examples() {
        let hs = [(O, SYN, 0), (R, SYN | ACK, 0), (O, ACK, 0)];
        let with = |tail: &[(usize, u8, u32)]| {
            let mut v = hs.to_vec();
            v.extend_from_slice(tail);
            state_after(&v)
        };
        assert_eq!(state_after(&[(O, SYN, 0)]), "S0");
        assert_eq!(state_after(&[(O, SYN, 0), (O, SYN, 0)]), "S0");
        assert_eq!(state_after(&[(O, SYN, 0), (R, ACK, 0)]), "S0");
        assert_eq!(state_after(&[(O, SYN, 0), (R, RST | ACK, 0)]), "REJ");
        assert_eq!(state_after(&[(O, SYN, 0), (O, RST, 0)]), "RSTOS0");
        assert_eq!(with(&[]), "S1");
        assert_eq!(with(&[(O, PSH | ACK, 100), (R, ACK, 0)]), "S1");
        assert_eq!(
            with(&[(O, FIN | ACK, 0), (R, FIN | ACK, 0), (O, ACK, 0)]),
            "SF"
        );
        assert_eq!(with(&[(O, FIN | ACK, 0)]), "S2");
        assert_eq!(with(&[(R, FIN | ACK, 0)]), "S3");
        assert_eq!(with(&[(O, RST, 0)]), "RSTO");
        assert_eq!(with(&[(R, RST, 0)]), "RSTR");
        assert_eq!(state_after(&[(O, SYN, 0), (O, FIN, 0)]), "SH");
        assert_eq!(state_after(&[(R, SYN | ACK, 0), (R, RST, 0)]), "RSTRH");
        assert_eq!(state_after(&[(R, SYN | ACK, 0), (R, FIN, 0)]), "SHR");
        assert_eq!(state_after(&[(O, SYN | ACK, 0)]), "OTH");
        assert_eq!(state_after(&[(O, ACK, 10), (R, ACK, 20)]), "OTH");
        // Midstream, both sides close: Zeek calls it SF (PARTIAL -> CLOSED on both sides).
        assert_eq!(state_after(&[(O, ACK, 10), (O, FIN, 0), (R, FIN, 0)]), "SF");
        // A FIN then RST from one side, answered by a FIN: a normal close.
        assert_eq!(
            with(&[(O, FIN | ACK, 0), (O, RST, 0), (R, FIN | ACK, 0)]),
            "SF"
        );
        // A RST after both FINs changes nothing.
        assert_eq!(
            with(&[(O, FIN | ACK, 0), (R, FIN | ACK, 0), (R, RST, 0)]),
            "SF"
        );
    }

    #[test]
    fn syn_synack_reversal_flips_roles() {
        let mut conn = TcpConnection::default();
        assert!(!conn.on_segment(0, 0, SYN | ACK, 0));
        assert!(conn.on_segment(1, 0, SYN, 0));
        assert_eq!(conn.conn_state(1), "S1");
    }

    #[test]
    fn finished_means_both_fins_or_a_reset() {
        let mut conn = TcpConnection::default();
        conn.on_segment(0, 0, SYN, 0);
        conn.on_segment(1, 0, SYN | ACK, 0);
        conn.on_segment(0, 0, FIN | ACK, 0);
        assert!(!conn.is_finished());
        conn.on_segment(1, 0, FIN | ACK, 0);
        assert!(conn.is_finished());
        let mut rejected = TcpConnection::default();
        rejected.on_segment(0, 0, SYN, 0);
        rejected.on_segment(1, 0, RST | ACK, 0);
        assert!(rejected.is_finished());
    }
}
