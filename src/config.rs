//! Run-time configuration of an analysis, independent of how it was asked for (command line,
//! tests, benchmarks).

use crate::flow::IdleTimeouts;
use crate::pipeline::Interrupt;

/// How packets become flows.
#[derive(Clone, Debug, Default)]
pub struct AnalysisConfig {
    pub idle_timeouts: IdleTimeouts,
    /// Most flows held in memory at once. Past it the flows idle the longest end early (they
    /// are counted and reported); `None` holds every live flow.
    pub max_flows: Option<usize>,
    /// Raised from outside (a Ctrl-C handler) to stop reading and report what was read.
    pub interrupt: Interrupt,
    /// Leave payloads unread: services are the ports' guesses, no server names.
    pub no_identify: bool,
    /// Identify payloads on a thread of their own (same results as on the table's thread).
    pub identify_on_worker: bool,
    /// Decode and dissect mapped files on a thread of their own, ahead of the flow table
    /// (same results as on the table's thread).
    pub decode_on_worker: bool,
    /// Keep every DNS answer, aliases included, in the flows' DNS exchanges (the DNS view
    /// lists them; other views need only questions and addresses).
    pub dns_details: bool,
    /// Called once, when the analysis has started [`crate::pipeline::MANY_FLOWS`] flows: from
    /// there on the flows it holds take memory enough that keeping it low matters more than
    /// speed (the binary has its allocator give freed memory back at once).
    pub on_many_flows: Option<fn()>,
}

/// Order of the flow list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Start time, earliest first (the capture's own order).
    #[default]
    Start,
    /// Bytes in both directions, largest first.
    Bytes,
    /// Packets in both directions, most first.
    Packets,
    /// Duration, longest first.
    Duration,
}

/// Which flows a flow list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlowListConfig {
    pub sort: SortKey,
    pub top: Option<usize>,
}
