//! ca-cli: packet captures to traffic insight.
//!
//! The pipeline, one module per stage, each depending only on the ones before it:
//!
//! ```text
//! source   (path | stdin)                            -> bytes
//! capture  (pcap | pcapng, any byte order, µs | ns)  -> frames
//! dissect  (link types, VLAN, MPLS, IPv4/IPv6, ...)   -> packet facts, no allocation
//! flow     (bidirectional flows, TCP state, frags)   -> flow records
//! pipeline (wires the above, counts the damage)      -> analysis
//! view     (flows, ...)                              -> serialisable reports
//! output   (text | json | ndjson | csv)              -> any `Write`
//! ```

mod ascii;
pub mod capture;
pub mod config;
pub mod dissect;
pub mod enrich;
pub mod filter;
pub mod flow;
mod hint;
pub mod identify;
pub mod output;
pub mod pipeline;
pub mod source;
pub mod view;

pub use config::{AnalysisConfig, FlowListConfig, SortKey};
pub use pipeline::{Analysis, AnalysisError, FlowSink, analyze, analyze_into};
