//! The Protocol Overview: traffic by transport protocol, by service, and by country.

use serde::Serialize;

use super::tally::{Share, Tally};
use super::{Enriched, SCHEMA_VERSION, Selection, Summary, proto_name};

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ProtocolsReport {
    pub schema_version: u32,
    pub summary: Summary,
    /// By IP protocol (tcp, udp, icmp, ...).
    pub transports: Vec<Share>,
    /// By service (port-based IANA names; `tcp/8443` where the port has none).
    pub services: Vec<Share>,
    /// By the country of each flow's outside end (see [`flow_place`]).
    pub countries: Vec<Share>,
}

/// Where a flow counts in a per-country breakdown: the country of its responder, else of its
/// initiator, else the responder's label (`private`, ...), else `unknown`. A capture taken
/// on a VM thus files its outbound and inbound traffic under the remote country.
pub fn flow_place<'a>(e: &Enriched<'a>) -> &'a str {
    match (&e.dst.country, &e.src.country) {
        (Some(c), _) | (None, Some(c)) => c.as_str(),
        (None, None) => e.dst.place(),
    }
}

impl ProtocolsReport {
    pub fn new(selection: &Selection<'_>) -> ProtocolsReport {
        let summary = selection.summary();
        let (mut transports, mut services, mut countries) =
            (Tally::default(), Tally::default(), Tally::default());
        for e in selection.iter() {
            let (packets, bytes) = (e.flow.total_packets(), e.flow.total_bytes());
            transports.add(&proto_name(e.flow.key.proto), 1, packets, bytes);
            services.add(e.service, 1, packets, bytes);
            countries.add(flow_place(&e), 1, packets, bytes);
        }
        let total = summary.selected_bytes;
        ProtocolsReport {
            schema_version: SCHEMA_VERSION,
            transports: transports.into_sorted(total),
            services: services.into_sorted(total),
            countries: countries.into_sorted(total),
            summary,
        }
    }
}
