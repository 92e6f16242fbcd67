//! Run-time configuration of an analysis, independent of how it was asked for (command line,
//! tests, benchmarks).

use crate::flow::IdleTimeouts;
use crate::interrupt::Interrupt;

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
    /// What runs on threads of its own beside the flow table's (the same results on any).
    pub threads: Threads,
    /// Keep every DNS answer, aliases included, in the flows' DNS exchanges (the DNS view
    /// lists them; other views need only questions and addresses).
    pub dns_details: bool,
    /// The zone of the summary's times in JSON (`--tz`); `None`: UTC.
    pub time_zone: Option<crate::zone::Zone>,
    /// Profile every flow's packets in time slices (the timeline views ask for it).
    pub profiles: Option<crate::flow::profile::ProfileSpec>,
    /// Called once, when the analysis has started [`crate::pipeline::MANY_FLOWS`] flows: from
    /// there on the flows it holds take memory enough that keeping it low matters more than
    /// speed (the binary has its allocator give freed memory back at once).
    pub on_many_flows: Option<fn()>,
}

/// The threads of an analysis: how many, and so what each does. Results are the same with
/// any; `benches/README.md` has the measurements behind the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Threads {
    /// Everything on the calling thread.
    #[default]
    One,
    /// A second thread reads ahead: it decodes and dissects mapped files, and reads streams
    /// (files, pipes, downloads) into buffers.
    ReadAhead,
    /// A third thread identifies payloads, besides reading ahead.
    ReadAheadAndIdentify,
}

impl Threads {
    /// The plan for `count` threads (more than three use three).
    pub fn from_count(count: usize) -> Threads {
        match count {
            0 | 1 => Threads::One,
            2 => Threads::ReadAhead,
            _ => Threads::ReadAheadAndIdentify,
        }
    }

    /// The default: one thread per core, up to three.
    pub fn per_core() -> Threads {
        Threads::from_count(std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    /// Whether a second thread reads ahead of the flow table.
    pub fn read_ahead(self) -> bool {
        self != Threads::One
    }

    /// Whether payloads are identified on a thread of their own.
    pub fn identify_on_worker(self) -> bool {
        self == Threads::ReadAheadAndIdentify
    }
}
