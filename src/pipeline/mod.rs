//! Wires the stages together: sources → capture decoding → dissection → flow table, and keeps
//! the capture-wide counts that make up the summary and the damage report.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::{self, Read};
use std::rc::Rc;

use thiserror::Error;

mod read_ahead;
#[cfg(all(unix, target_pointer_width = "64"))]
mod run;
pub mod select;
pub mod summary;

pub use run::{CaptureReport, Finished, Job, Listed, View, run};
pub use select::{Selection, Totals};
pub use summary::Summary;

use crate::capture::{self, CaptureError, CaptureFormat, Frame, Precision, Timestamp};
use crate::config::AnalysisConfig;
use crate::dissect::{self, Dissection, Malformed, NonIp, Transport};
use crate::flow::{
    Contribution, Defragmenter, Flow, FlowKey, FlowTable, FragmentVerdict, Orphans, PROTO_TCP,
};
use crate::identify::Identifier;
use crate::interrupt::Interrupt;
use crate::source::{InputData, Inputs, OpenedInput, SourceError};

#[derive(Debug, Error)]
pub enum AnalysisError {
    #[error("{input}: {error}")]
    Capture { input: String, error: CaptureError },
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("cannot write the output: {0}")]
    Output(#[source] io::Error),
}

/// What one input contributed, and how its stream ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputStats {
    pub name: String,
    pub format: Option<CaptureFormat>,
    pub packets: u64,
    pub bytes_read: u64,
    /// Why the input stopped before its end, if it did.
    pub cut_short: Option<String>,
    pub notes: Vec<String>,
}

/// Packets of one kind of damage, and where the first one was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DamageTally {
    pub packets: u64,
    pub first_input: usize,
    pub first_packet: u64,
}

/// Capture-wide counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaptureStats {
    pub inputs: Vec<InputStats>,
    pub packets: u64,
    /// Sum of the frames' lengths on the wire.
    pub bytes: u64,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
    /// The first packet's time (the earliest is `first_seen`): what relative filter times
    /// (`since +10m`) count from, known as soon as the capture starts.
    pub capture_start: Option<Timestamp>,
    /// Finest timestamp precision of any input.
    pub precision: Option<Precision>,
    /// Packets counted in flows.
    pub ip_packets: u64,
    /// Wire bytes of the packets counted in flows.
    pub ip_bytes: u64,
    pub non_ip: BTreeMap<NonIp, u64>,
    /// Packets with damaged headers, whether or not they could still be placed in a flow.
    pub malformed: BTreeMap<Malformed, DamageTally>,
    /// Damaged packets that could not be placed in any flow.
    pub undecoded_packets: u64,
    /// Packets captured shorter than they were on the wire (snaplen).
    pub truncated_packets: u64,
    /// Packets per link type, in order of first appearance.
    pub link_types: Vec<(u32, u64)>,
    /// Where reading stopped because the analysis was interrupted (Ctrl-C): the input's index
    /// and the bytes read from it.
    pub interrupted: Option<(usize, u64)>,
    /// The flow limit in force, if any.
    pub max_flows: Option<usize>,
    /// Flows ended before their idle timeout because the flow limit was reached.
    pub evicted_flows: u64,
    /// Most flows held in memory at once.
    pub peak_active_flows: u64,
}

impl CaptureStats {
    pub fn non_ip_packets(&self) -> u64 {
        self.non_ip.values().sum()
    }

    pub fn malformed_packets(&self) -> u64 {
        self.malformed.values().map(|t| t.packets).sum()
    }

    pub fn cut_short(&self) -> bool {
        self.inputs.iter().any(|i| i.cut_short.is_some())
    }

    /// Everything a user should know about damage, one line each.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        for input in &self.inputs {
            if let Some(why) = &input.cut_short {
                let counted = match input.packets {
                    1 => "the 1 packet before it is counted".to_string(),
                    n => format!("the {n} packets before it are counted"),
                };
                warnings.push(format!("{}: {why}; {counted}", input.name));
            }
            for note in &input.notes {
                warnings.push(format!("{}: {note}", input.name));
            }
        }
        if let Some((index, offset)) = self.interrupted
            && let Some(input) = self.inputs.get(index)
        {
            warnings.push(format!(
                "{}: interrupted at offset {offset} after {} packets; the results cover only \
                 what was read before",
                input.name, input.packets
            ));
        }
        if self.evicted_flows > 0 {
            let limit = self.max_flows.unwrap_or_default();
            warnings.push(format!(
                "{} flows were ended before their idle timeout to stay within the limit of \
                 {limit} live flows (--max-flows); a later packet of such a flow starts a new \
                 record",
                self.evicted_flows
            ));
        }
        for (reason, tally) in &self.malformed {
            let input = self
                .inputs
                .get(tally.first_input)
                .map_or("?", |i| i.name.as_str());
            let more = match tally.packets {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            warnings.push(format!(
                "{input}: packet {}{more}: {}",
                tally.first_packet,
                reason.describe()
            ));
        }
        warnings
    }

    fn count_linktype(&mut self, linktype: u32) {
        if let Some(entry) = self.link_types.iter_mut().find(|(l, _)| *l == linktype) {
            entry.1 += 1;
        } else {
            self.link_types.push((linktype, 1));
        }
    }

    fn note_damage(&mut self, reason: Malformed, input: usize, packet: u64) {
        self.malformed
            .entry(reason)
            .and_modify(|t| t.packets += 1)
            .or_insert(DamageTally {
                packets: 1,
                first_input: input,
                first_packet: packet,
            });
    }
}

/// The result of analysing one or more inputs as one capture.
#[derive(Debug)]
pub struct Analysis {
    pub stats: CaptureStats,
    /// Every flow, ordered by start time.
    pub flows: Vec<Flow>,
}

/// Where flows go once their records are final: an idle timeout passed, a TCP connection was
/// followed by a new one on the same ports, or the capture ended. Flows arrive in the order
/// they end; a sink that keeps only aggregates keeps memory bounded by the live flows.
pub trait FlowSink {
    /// Take one finished flow; `stats` are the capture's counts so far. An error (the output
    /// was closed) stops the analysis.
    fn accept(&mut self, flow: Flow, stats: &CaptureStats) -> io::Result<()>;
}

/// Collects every flow, for callers that want them all at once.
impl FlowSink for Vec<Flow> {
    fn accept(&mut self, flow: Flow, _: &CaptureStats) -> io::Result<()> {
        self.push(flow);
        Ok(())
    }
}

/// Flows started after which [`AnalysisConfig::on_many_flows`] is called: 131,072, some 40 MB
/// of flows and findings, far above a typical capture's count and low enough to keep a huge
/// one's memory down (benches/README.md, "Allocator").
pub const MANY_FLOWS: u64 = 1 << 17;

/// Per-packet work: dissect, then count in the flow table; finished flows go to the sink.
struct PacketHandler<'s, S: FlowSink> {
    stats: CaptureStats,
    table: FlowTable,
    defrag: Defragmenter,
    orphans: Vec<Orphans>,
    sink: &'s mut S,
    /// The sink's error, which stops the reading.
    sink_error: Option<io::Error>,
    stop: Rc<Cell<bool>>,
    /// Called once [`MANY_FLOWS`] flows have started (then `None`).
    on_many_flows: Option<fn()>,
}

impl<S: FlowSink> PacketHandler<'_, S> {
    fn on_frame(&mut self, input: usize, frame: &Frame<'_>) {
        let dissection = dissect::dissect(frame.linktype, frame.data, frame.orig_len);
        self.on_dissected(input, frame, dissection);
    }

    /// The rest of a frame's work once it is dissected (perhaps on another thread).
    fn on_dissected(&mut self, input: usize, frame: &Frame<'_>, dissection: Dissection) {
        if self.sink_error.is_some() {
            return;
        }
        self.count(input, frame, dissection);
        if let Some(hook) = self.on_many_flows
            && self.table.flows_started() >= MANY_FLOWS
        {
            self.on_many_flows = None;
            hook();
        }
        if self.table.has_finished() {
            self.deliver_finished();
        }
    }

    fn deliver_finished(&mut self) {
        for flow in self.table.drain_finished() {
            if self.sink_error.is_none()
                && let Err(e) = self.sink.accept(flow, &self.stats)
            {
                self.sink_error = Some(e);
                self.stop.set(true);
            }
        }
    }

    fn count(&mut self, input: usize, frame: &Frame<'_>, dissection: Dissection) {
        let stats = &mut self.stats;
        stats.packets += 1;
        stats.bytes += u64::from(frame.orig_len);
        let ts = frame.timestamp;
        if ts.is_known() {
            stats.first_seen = Some(stats.first_seen.map_or(ts, |t| t.min(ts)));
            stats.last_seen = Some(stats.last_seen.map_or(ts, |t| t.max(ts)));
            if stats.capture_start.is_none() {
                stats.capture_start = Some(ts);
                self.table.set_first_packet(ts);
            }
        }
        if stats.precision.is_none_or(|p| p < frame.precision) {
            stats.precision = Some(frame.precision);
        }
        if (frame.data.len() as u64) < u64::from(frame.orig_len) {
            stats.truncated_packets += 1;
        }
        match stats.link_types.first_mut() {
            Some((l, n)) if *l == frame.linktype => *n += 1,
            _ => stats.count_linktype(frame.linktype),
        }
        let packet = match dissection {
            Dissection::Ip(packet) => packet,
            Dissection::NonIp(kind) => {
                *stats.non_ip.entry(kind).or_insert(0) += 1;
                return;
            }
            Dissection::Malformed(reason) => {
                stats.undecoded_packets += 1;
                stats.note_damage(reason, input, frame.number);
                return;
            }
        };
        if let Some(reason) = packet.anomaly {
            stats.note_damage(reason, input, frame.number);
        }
        stats.ip_packets += 1;
        stats.ip_bytes += u64::from(frame.orig_len);
        let tcp_flags = match packet.transport {
            Transport::Ports { tcp_flags, .. } if packet.proto == PROTO_TCP => Some(tcp_flags),
            _ => None,
        };
        let contribution = Contribution::packet(ts, frame.orig_len, packet.payload_len, tcp_flags);
        let (start, end) = packet.payload_at;
        let payload = frame
            .data
            .get(start as usize..end as usize)
            .unwrap_or_default();
        let Some(fragment) = packet.fragment else {
            let (key, side) = FlowKey::new(packet.src, packet.dst, packet.proto, packet.transport);
            self.table
                .add(key, side, &contribution, payload, packet.tcp_seq);
            return;
        };
        let verdict = self.defrag.on_fragment(
            packet.src,
            packet.dst,
            packet.proto,
            fragment,
            packet.transport,
            contribution,
            &mut self.orphans,
        );
        if let FragmentVerdict::Count { transport, held } = verdict {
            let (key, side) = FlowKey::new(packet.src, packet.dst, packet.proto, transport);
            // A first fragment's payload is the datagram's start: enough to identify most.
            self.table
                .add(key, side, &contribution, payload, packet.tcp_seq);
            for held in &held {
                self.table.add(key, side, held, &[], 0);
            }
        }
        self.flush_orphans();
    }

    fn flush_orphans(&mut self) {
        for orphan in self.orphans.drain(..) {
            let (key, side) = FlowKey::new(orphan.src, orphan.dst, orphan.proto, Transport::None);
            for held in &orphan.held {
                self.table.add(key, side, held, &[], 0);
            }
        }
    }

    fn finish(mut self) -> Result<CaptureStats, AnalysisError> {
        if self.sink_error.is_none() {
            self.defrag.drain(&mut self.orphans);
            self.flush_orphans();
            self.table.close_all();
            self.deliver_finished();
        }
        self.stats.evicted_flows = self.table.evicted_flows();
        self.stats.peak_active_flows = self.table.peak_active_flows() as u64;
        match self.sink_error {
            Some(error) => Err(AnalysisError::Output(error)),
            None => Ok(self.stats),
        }
    }
}

/// Reads nothing more once the analysis has been told to stop: its output was closed (so a
/// `ca-cli ... | head` ends without reading the rest of a large capture) or it was
/// interrupted.
struct Stoppable<R> {
    inner: R,
    stop: Rc<Cell<bool>>,
    interrupt: Interrupt,
}

impl<R: Read> Read for Stoppable<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stop.get() {
            return Ok(0);
        }
        if self.interrupt.is_raised() {
            self.interrupt.notice();
            return Ok(0);
        }
        self.inner.read(buf)
    }
}

/// Analyse `inputs`, in order, as one capture, handing each flow to `sink` as it finishes.
///
/// Fails only when an input is unusable as a capture, or the sink fails; damage inside an
/// input is counted and reported in [`CaptureStats`], with everything before it kept.
pub fn analyze_into<S: FlowSink>(
    inputs: Inputs,
    config: &AnalysisConfig,
    sink: &mut S,
) -> Result<CaptureStats, AnalysisError> {
    let stop = Rc::new(Cell::new(false));
    let mut handler = PacketHandler {
        stats: CaptureStats {
            max_flows: config.max_flows,
            ..CaptureStats::default()
        },
        table: FlowTable::new(config.idle_timeouts)
            .with_max_flows(config.max_flows)
            .with_identifier((!config.no_identify).then(|| {
                if config.threads.identify_on_worker() {
                    Identifier::start_worker()
                } else {
                    Identifier::inline()
                }
            }))
            .with_dns_details(config.dns_details)
            .with_profiles(config.profiles),
        defrag: Defragmenter::new(),
        orphans: Vec::new(),
        sink,
        sink_error: None,
        stop: Rc::clone(&stop),
        on_many_flows: config.on_many_flows,
    };
    for (index, input) in inputs.enumerate() {
        if config.interrupt.is_raised() {
            break;
        }
        let OpenedInput { name, data, notes } = input?;
        let outcome = match data {
            InputData::Stream(reader) => {
                let reader = Stoppable {
                    inner: reader,
                    stop: Rc::clone(&stop),
                    interrupt: config.interrupt.clone(),
                };
                capture::decode(reader, |frame| handler.on_frame(index, frame))
            }
            #[cfg(all(unix, target_pointer_width = "64"))]
            InputData::Mapped(file) if config.threads.read_ahead() => {
                let _guard = file.guard_faults();
                read_ahead::decode_mapped(&file, &mut handler, index, &config.interrupt)
            }
            #[cfg(all(unix, target_pointer_width = "64"))]
            InputData::Mapped(file) => {
                let _guard = file.guard_faults();
                read_ahead::decode_mapped_here(&file, &mut handler, index, &config.interrupt)
            }
        };
        if handler.sink_error.is_some() {
            break;
        }
        let outcome = outcome.map_err(|error| AnalysisError::Capture {
            input: name.clone(),
            error,
        })?;
        let stats = &mut handler.stats;
        if let Some(p) = outcome.precision {
            stats.precision = Some(stats.precision.map_or(p, |q| q.max(p)));
        }
        // Stopping mid-record is the interruption, not damage in the capture.
        let interrupted = config.interrupt.is_noticed();
        stats.inputs.push(InputStats {
            name,
            format: outcome.format,
            packets: outcome.frames,
            bytes_read: outcome.bytes_consumed,
            cut_short: outcome.cut_short.filter(|_| !interrupted),
            notes: notes.into_iter().chain(outcome.notes).collect(),
        });
        if interrupted {
            stats.interrupted = Some((index, outcome.bytes_consumed));
            break;
        }
    }
    handler.finish()
}

/// Analyse `inputs`, in order, as one capture, and keep every flow.
pub fn analyze(inputs: Inputs, config: &AnalysisConfig) -> Result<Analysis, AnalysisError> {
    let mut flows = Vec::new();
    let stats = analyze_into(inputs, config, &mut flows)?;
    flows.sort_unstable_by_key(|f| (f.first_seen, f.sequence));
    Ok(Analysis { stats, flows })
}
