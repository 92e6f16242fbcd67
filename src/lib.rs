//! ca-cli: packet captures to traffic insight.
//!
//! The pipeline, one module per stage, each depending only on the ones before it:
//!
//! ```text
//! source    (path | stdin | http(s))                 -> bytes
//! capture   (pcap | pcapng, any byte order, µs | ns) -> frames
//! dissect   (link types, VLAN, MPLS, IPv4/IPv6, ...)  -> packet facts, no allocation
//! identify  (TLS, QUIC, DNS, HTTP, signatures)       -> services, server names
//! flow      (bidirectional flows, TCP state, frags)  -> flow records
//! enrich    (GeoIP, special ranges, services)        -> address and flow facts
//! filter    (options, expressions)                   -> which flows are selected
//! pipeline  (wires the above, counts the damage)     -> selected flows into a `View`
//! view      (flows, protocols, stats, geo, dns)      -> serialisable reports
//! output    (text | json | ndjson | csv)             -> any `Write`
//! ```
//!
//! [`run`] is the one way every view is run: a [`Job`] (inputs, analysis settings, selection)
//! and a [`View`] in, the view's report out. `interrupt` sits below every stage.

mod ascii;
pub mod capture;
pub mod config;
pub mod dissect;
pub mod enrich;
pub mod filter;
pub mod flow;
mod hint;
pub mod identify;
pub mod interrupt;
pub mod output;
pub mod pipeline;
pub mod source;
mod suggest;
pub mod view;
pub mod zone;

pub use config::{AnalysisConfig, Threads};
pub use pipeline::{Analysis, AnalysisError, FlowSink, analyze, analyze_into};
pub use pipeline::{Job, Selection, View, run};
pub use view::flows::{FlowListConfig, SortKey};
