//! TCP connection state against Zeek's own conn.log for the same trace.
//!
//! Expected values are copied from Zeek's test baseline
//! `testing/btest/Baseline/core.vlan-mpls/conn.log` (zeek/zeek @ bbd409d274fa), which Zeek
//! produced from `mixed-vlan-mpls.trace`, the capture in `fixtures/zeek_mixed-vlan-mpls.pcap`.
//! Zeek's orig_bytes/resp_bytes are payload bytes (from sequence numbers); this trace has no
//! retransmissions, so they equal our payload counts.

use crate::common;

use common::{fixture, flows_json};

struct ZeekConn {
    orig: (&'static str, u64),
    resp: (&'static str, u64),
    conn_state: &'static str,
    orig_pkts: u64,
    resp_pkts: u64,
    orig_bytes: u64,
    resp_bytes: u64,
}

const BASELINE: &[ZeekConn] = &[
    ZeekConn {
        orig: ("10.1.2.1", 11001),
        resp: ("10.34.0.1", 23),
        conn_state: "SH",
        orig_pkts: 11,
        resp_pkts: 0,
        orig_bytes: 26,
        resp_bytes: 0,
    },
    ZeekConn {
        orig: ("141.42.64.125", 56730),
        resp: ("125.190.109.199", 80),
        conn_state: "SF",
        orig_pkts: 12,
        resp_pkts: 10,
        orig_bytes: 98,
        resp_bytes: 9417,
    },
    ZeekConn {
        orig: ("10.20.80.1", 50343),
        resp: ("10.0.0.15", 80),
        conn_state: "SF",
        orig_pkts: 7,
        resp_pkts: 7,
        orig_bytes: 9,
        resp_bytes: 3429,
    },
];

#[test]
fn conn_state_and_counts_match_zeeks_baseline() {
    let doc = flows_json(&fixture("zeek_mixed-vlan-mpls.pcap"), &[]);
    let flows = doc["flows"].as_array().unwrap();
    assert_eq!(flows.len(), BASELINE.len());
    for zeek in BASELINE {
        let flow = flows
            .iter()
            .find(|f| f["src_ip"] == zeek.orig.0 && f["src_port"] == zeek.orig.1)
            .unwrap_or_else(|| panic!("no flow from {:?} (originator as Zeek saw it)", zeek.orig));
        assert_eq!(flow["dst_ip"], zeek.resp.0);
        assert_eq!(flow["dst_port"], zeek.resp.1);
        assert_eq!(flow["tcp_state"], zeek.conn_state, "{:?}", zeek.orig);
        assert_eq!(flow["packets_sent"], zeek.orig_pkts, "{:?}", zeek.orig);
        assert_eq!(flow["packets_received"], zeek.resp_pkts, "{:?}", zeek.orig);
        assert_eq!(
            flow["payload_bytes_sent"], zeek.orig_bytes,
            "{:?}",
            zeek.orig
        );
        assert_eq!(
            flow["payload_bytes_received"], zeek.resp_bytes,
            "{:?}",
            zeek.orig
        );
    }
}
