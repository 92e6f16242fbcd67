//! How each view lays out as a text table.

use super::text::{bytes, duration, thousands};
use super::{Column, Tabular};
use crate::view::flows::{FlowRecord, FlowsReport};

const FLOW_COLUMNS: &[Column] = &[
    Column {
        header: "Proto",
        numeric: false,
    },
    Column {
        header: "Source",
        numeric: false,
    },
    Column {
        header: "Destination",
        numeric: false,
    },
    Column {
        header: "Pkts →",
        numeric: true,
    },
    Column {
        header: "Pkts ←",
        numeric: true,
    },
    Column {
        header: "Bytes →",
        numeric: true,
    },
    Column {
        header: "Bytes ←",
        numeric: true,
    },
    Column {
        header: "Duration",
        numeric: true,
    },
    Column {
        header: "State",
        numeric: false,
    },
];

fn endpoint(ip: std::net::IpAddr, port: Option<u16>) -> String {
    match (ip, port) {
        (std::net::IpAddr::V6(v6), Some(port)) => format!("[{v6}]:{port}"),
        (ip, Some(port)) => format!("{ip}:{port}"),
        (ip, None) => ip.to_string(),
    }
}

impl Tabular for FlowsReport {
    type Row = FlowRecord;

    fn rows(&self) -> &[FlowRecord] {
        &self.flows
    }

    fn columns(&self) -> &'static [Column] {
        FLOW_COLUMNS
    }

    fn cells(&self, f: &FlowRecord) -> Vec<String> {
        let state = match (f.tcp_state, f.icmp_id) {
            (Some(state), _) => state.to_string(),
            (None, Some(id)) => format!("echo {id}"),
            (None, None) => String::new(),
        };
        vec![
            f.proto.to_string(),
            endpoint(f.src_ip, f.src_port),
            endpoint(f.dst_ip, f.dst_port),
            thousands(f.packets_sent),
            thousands(f.packets_received),
            bytes(f.bytes_sent),
            bytes(f.bytes_received),
            duration(f.duration_s),
            state,
        ]
    }

    fn empty_message(&self) -> &'static str {
        "no flows"
    }
}
