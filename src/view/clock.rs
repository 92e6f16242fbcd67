//! The clock the time views cut capture time by: buckets of a step on the local clock of a
//! zone (or from the capture's first packet), and how the slices of flows' time profiles fall
//! into them.

use rustc_hash::FxHashMap;

use crate::capture::{Precision, Timestamp};
use crate::flow::profile::{GridOrigin, ProfileSpec};
use crate::zone::Zone;

/// Where buckets start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// On the clock of the zone: a 5-minute bucket at :00, :05, ..., a day at midnight.
    Clock,
    /// At the capture's first packet and every step after it (as tshark's `io,stat`).
    Capture,
}

/// Buckets of time: where each starts and ends, on a zone's clock or from the first packet.
#[derive(Clone, Debug)]
pub struct BucketClock {
    pub zone: Zone,
    pub align: Align,
}

impl BucketClock {
    /// The grid the flow table profiles flows on, for buckets of `step` (`None`: chosen at the
    /// end, from the capture's span).
    pub fn profile_spec(&self, step: Option<u64>) -> ProfileSpec {
        match self.align {
            Align::Clock => ProfileSpec {
                origin: GridOrigin::Epoch,
                step: step.map(|s| self.zone.slice_step(s)),
            },
            Align::Capture => ProfileSpec {
                origin: GridOrigin::FirstPacket,
                step,
            },
        }
    }

    /// The grid's origin in nanoseconds, given the capture's first packet.
    pub fn origin(&self, capture_start: Option<Timestamp>) -> i64 {
        match self.align {
            Align::Clock => 0,
            Align::Capture => capture_start.map_or(0, Timestamp::as_nanos),
        }
    }

    /// Whether buckets of `step` can be made of whole slices of `slice_step` on this clock.
    pub fn holds_whole(&self, step: u64, slice_step: u64) -> bool {
        step.is_multiple_of(slice_step)
            && (self.align == Align::Capture
                || self.zone.slice_step(step).is_multiple_of(slice_step))
    }

    /// Start of the bucket of `step` holding `ts` (`origin` for [`Align::Capture`]).
    pub fn bucket_start(&self, ts: Timestamp, step: u64, origin: i64) -> Timestamp {
        match self.align {
            Align::Clock => self.zone.bucket_start(ts, step),
            Align::Capture => {
                let step = step.max(1) as i64;
                let into = ts.as_nanos().saturating_sub(origin);
                Timestamp::from_nanos(origin.saturating_add(into - into.rem_euclid(step)))
            }
        }
    }

    /// Start of the bucket after the one starting at `start`.
    pub fn next_start(&self, start: Timestamp, step: u64) -> Timestamp {
        match self.align {
            Align::Clock => self.zone.next_bucket_start(start, step),
            Align::Capture => Timestamp::from_nanos(start.as_nanos().saturating_add(step as i64)),
        }
    }
}

/// Maps slices (index on a grid) to the start of their bucket, remembering each answer: a
/// local clock's answer costs a time-zone lookup, and the same few slices come again and
/// again.
pub struct SliceBuckets {
    clock: BucketClock,
    step: u64,
    known: FxHashMap<(u64, i64), i64>,
}

impl SliceBuckets {
    pub fn new(clock: BucketClock, step: u64) -> SliceBuckets {
        SliceBuckets {
            clock,
            step,
            known: FxHashMap::default(),
        }
    }

    /// The start (nanoseconds) of the bucket holding slice `index` of a grid of `slice_step`
    /// from `origin`.
    pub fn start_of(&mut self, index: i64, slice_step: u64, origin: i64) -> i64 {
        let (clock, step) = (&self.clock, self.step);
        *self.known.entry((slice_step, index)).or_insert_with(|| {
            let at = origin.saturating_add(index.saturating_mul(slice_step as i64));
            clock
                .bucket_start(Timestamp::from_nanos(at), step, origin)
                .as_nanos()
        })
    }
}

/// The fractional digits a bucket boundary of `step` needs (none for whole seconds).
pub fn step_precision(step: u64, align: Align, capture: Precision) -> Precision {
    if align == Align::Capture {
        return capture;
    }
    match step {
        s if s.is_multiple_of(1_000_000_000) => Precision::SECONDS,
        s if s.is_multiple_of(1_000_000) => Precision::digits(3),
        s if s.is_multiple_of(1_000) => Precision::digits(6),
        _ => Precision::NANOS,
    }
}

/// A step as people write it: `250ms`, `10s`, `5m`, `1h`, `1d`, `90m`.
pub fn step_text(step: u64) -> String {
    const UNITS: [(u64, &str); 6] = [
        (86_400_000_000_000, "d"),
        (3_600_000_000_000, "h"),
        (60_000_000_000, "m"),
        (1_000_000_000, "s"),
        (1_000_000, "ms"),
        (1_000, "us"),
    ];
    for (unit, name) in UNITS {
        if step >= unit && step.is_multiple_of(unit) {
            return format!("{}{name}", step / unit);
        }
    }
    format!("{step}ns")
}
