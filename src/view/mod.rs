//! Views: plain, serialisable models built flow by flow as the analysis finishes flows, each a
//! [`View`](crate::pipeline::View) that [`run`](crate::pipeline::run) feeds. Renderers in
//! `output` turn any view's report into text, JSON, NDJSON or CSV.

pub mod cells;
pub mod clock;
pub mod dns;
pub mod flows;
pub mod geo;
pub mod hours;
pub mod lookup;
pub mod protocols;
pub mod report;
pub mod stats;
pub mod tally;
pub mod timeline;

use std::borrow::Cow;

use crate::enrich::{AddressInfo, Enricher, Tags};
use crate::flow::Flow;

pub use crate::pipeline::Summary;
pub use crate::pipeline::summary::seconds;

/// Version of the JSON documents; bumped only when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 2;

/// One selected flow with what enrichment knows about it.
#[derive(Clone, Copy, Debug)]
pub struct Enriched<'a> {
    pub flow: &'a Flow,
    pub src: &'a AddressInfo,
    pub dst: &'a AddressInfo,
    pub service: &'a str,
    /// The service for the aggregate views: port guesses marked `(port)`.
    pub service_label: &'a str,
    /// The service is the port's guess.
    pub port_guess: bool,
}

impl<'a> Enriched<'a> {
    pub fn new(flow: &'a Flow, tags: Tags, enricher: &'a Enricher) -> Enriched<'a> {
        Enriched {
            flow,
            src: enricher.info(tags.src),
            dst: enricher.info(tags.dst),
            service: enricher.service(tags.service),
            service_label: enricher.service_label(tags, flow.key.has_ports()),
            port_guess: !tags.identified && flow.key.has_ports(),
        }
    }
}

/// The JSON name of an IP protocol: `tcp`, `udp`, `icmp`, `icmpv6`, or its number.
pub fn proto_name(proto: u8) -> Cow<'static, str> {
    match proto {
        6 => Cow::Borrowed("tcp"),
        17 => Cow::Borrowed("udp"),
        1 => Cow::Borrowed("icmp"),
        58 => Cow::Borrowed("icmpv6"),
        other => Cow::Owned(other.to_string()),
    }
}
