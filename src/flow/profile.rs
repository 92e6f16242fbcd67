//! Time profiles: what each flow carried in each slice of capture time, counted packet by
//! packet as the flow table sees them, so that a view that decides on a flow only once it has
//! ended (the filter needs its service and server name) still counts every packet in the
//! slice of its own timestamp.
//!
//! Slices are steps of a grid that starts at an origin (the Unix epoch, or the capture's
//! first packet). A view that does not know its step yet (it is chosen from the capture's
//! span) asks for an adaptive grid: it starts at a millisecond and coarsens along
//! [`ADAPTIVE_STEPS`] as the capture grows longer, so a profile never has more than
//! [`ADAPTIVE_SLICES`] slices; each step divides the next, so a profile made at a finer step
//! is merged into a coarser one exactly.

use super::{Contribution, Side};
use crate::capture::Timestamp;

const MILLI: u64 = 1_000_000;
const SECOND: u64 = 1_000_000_000;
const MINUTE: u64 = 60 * SECOND;

/// The steps of an adaptive grid, finest first. Each divides the next and divides 15 minutes,
/// so any step of a local clock (whose offset from UTC is a multiple of 15 minutes) that the
/// capture's span still allows is a whole number of the current step.
pub const ADAPTIVE_STEPS: [u64; 8] = [
    MILLI,
    10 * MILLI,
    100 * MILLI,
    SECOND,
    5 * SECOND,
    MINUTE,
    5 * MINUTE,
    15 * MINUTE,
];

/// An adaptive grid coarsens once the capture spans more slices than this (except at its
/// coarsest step, 15 minutes, which it keeps whatever the span).
pub const ADAPTIVE_SLICES: i64 = 4096;

/// Where a grid's slices start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GridOrigin {
    /// At multiples of the step since 1970-01-01T00:00:00Z (a local clock's slices are whole
    /// numbers of them).
    Epoch,
    /// At the capture's first packet, as tshark's `io,stat` intervals do.
    FirstPacket,
}

/// The slices a view wants flows profiled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProfileSpec {
    pub origin: GridOrigin,
    /// The step in nanoseconds; `None`: adaptive.
    pub step: Option<u64>,
}

/// What one flow carried in one slice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Slice {
    /// Index of the slice on its grid: it starts at origin + index × step.
    pub index: i64,
    pub packets: u64,
    /// Wire bytes sent by each side, by [`Side::index`].
    pub bytes: [u64; 2],
}

/// A flow's slices, in time order. Every flow of a timeline has one, so it is kept small (56
/// bytes): a flow-dense capture holds hundreds of thousands at once, and on a virtual machine
/// the first touch of memory costs more than the arithmetic saved by storing more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeProfile {
    /// The step of the grid the slices are on.
    step: u64,
    /// The latest slice, kept apart so that a flow of one slice takes one allocation.
    latest: Slice,
    /// The slices before the latest, in index order; boxed, as most flows have none (8 bytes
    /// where a `Vec` takes 24, times every flow of the capture).
    #[allow(clippy::box_collection)]
    earlier: Option<Box<Vec<Slice>>>,
    /// Packets without a timestamp (pcapng Simple Packet Blocks), which no slice holds.
    untimed: Option<Box<Slice>>,
}

impl TimeProfile {
    /// The step of the grid the slices are on, in nanoseconds.
    pub fn step(&self) -> u64 {
        self.step
    }

    /// Every slice, in time order.
    pub fn slices(&self) -> impl Iterator<Item = &Slice> {
        self.earlier
            .iter()
            .flat_map(|earlier| earlier.iter())
            .chain(std::iter::once(&self.latest).filter(|s| s.packets > 0))
    }

    /// Packets (and their bytes by side) that had no timestamp.
    pub fn untimed(&self) -> Slice {
        self.untimed.as_deref().copied().unwrap_or_default()
    }

    /// Slices on a grid of `step` (a multiple of this one's), merged where they fall together.
    fn coarsen(&mut self, step: u64) {
        if step <= self.step {
            return;
        }
        let ratio = (step / self.step) as i64;
        let earlier = self
            .earlier
            .take()
            .map(|earlier| *earlier)
            .unwrap_or_default();
        let mut merged: Vec<Slice> = Vec::with_capacity(earlier.len() + 1);
        let latest = std::mem::take(&mut self.latest);
        for slice in earlier.into_iter().chain(Some(latest)) {
            if slice.packets == 0 {
                continue;
            }
            let index = slice.index.div_euclid(ratio);
            match merged.last_mut() {
                Some(last) if last.index == index => add_to(last, &slice),
                _ => merged.push(Slice { index, ..slice }),
            }
        }
        self.latest = merged.pop().unwrap_or_default();
        self.earlier = (!merged.is_empty()).then(|| Box::new(merged));
        self.step = step;
    }

    /// Count what `from` sent at nanosecond `at` (since the origin) in its slice.
    fn add(&mut self, at: i64, from: Side, packets: u64, bytes: u64) {
        let step = self.step as i64;
        // A multiplication and two comparisons, no division, for a packet in the latest slice.
        let in_latest = at
            .checked_sub(self.latest.index.saturating_mul(step))
            .is_some_and(|d| (0..step).contains(&d));
        if in_latest && self.latest.packets > 0 {
            self.latest.packets += packets;
            self.latest.bytes[from.index()] += bytes;
            return;
        }
        let index = at.div_euclid(step);
        let mut slice = Slice {
            index,
            packets,
            bytes: [0; 2],
        };
        slice.bytes[from.index()] = bytes;
        if self.latest.packets == 0 || index > self.latest.index {
            if self.latest.packets > 0 {
                self.earlier.get_or_insert_default().push(self.latest);
            }
            self.latest = slice;
            return;
        }
        // A packet earlier than the latest slice (timestamps out of order, or several inputs).
        let earlier = self.earlier.get_or_insert_default();
        match earlier.binary_search_by_key(&index, |s| s.index) {
            Ok(at) => add_to(&mut earlier[at], &slice),
            Err(at) => earlier.insert(at, slice),
        }
    }
}

fn add_to(into: &mut Slice, slice: &Slice) {
    into.packets += slice.packets;
    into.bytes[0] += slice.bytes[0];
    into.bytes[1] += slice.bytes[1];
}

/// The flow table's side of profiling: the grid, and (adaptive) the span it has seen.
#[derive(Clone, Debug)]
pub struct Profiler {
    origin_kind: GridOrigin,
    /// Nanoseconds of the origin; for the first packet's, set by the pipeline (see
    /// [`Profiler::set_first_packet`]) or else by the first packet profiled.
    origin: Option<i64>,
    step: u64,
    adaptive: bool,
    /// The earliest and latest packet, in nanoseconds from the origin (adaptive grids).
    span: Option<(i64, i64)>,
}

impl Profiler {
    pub fn new(spec: ProfileSpec) -> Profiler {
        Profiler {
            origin_kind: spec.origin,
            origin: (spec.origin == GridOrigin::Epoch).then_some(0),
            step: spec.step.unwrap_or(ADAPTIVE_STEPS[0]).max(1),
            adaptive: spec.step.is_none(),
            span: None,
        }
    }

    /// The capture's first packet (timed, in reading order) is at `ts`: the origin of a grid
    /// that starts there, whether or not that packet belongs to a flow.
    pub fn set_first_packet(&mut self, ts: Timestamp) {
        if self.origin_kind == GridOrigin::FirstPacket && self.origin.is_none() {
            self.origin = Some(ts.as_nanos());
        }
    }

    /// The grid's origin in nanoseconds since the epoch, once known.
    pub fn origin(&self) -> Option<i64> {
        self.origin
    }

    /// The grid's step now, in nanoseconds.
    pub fn step(&self) -> u64 {
        self.step
    }

    pub fn origin_kind(&self) -> GridOrigin {
        self.origin_kind
    }

    /// Count `contribution`, sent by `from`, in `profile` (made if it is the flow's first).
    pub fn record(
        &mut self,
        profile: &mut Option<Box<TimeProfile>>,
        from: Side,
        contribution: &Contribution,
    ) {
        let ts = contribution.first;
        let profile = profile.get_or_insert_with(|| {
            Box::new(TimeProfile {
                step: self.step,
                latest: Slice::default(),
                earlier: None,
                untimed: None,
            })
        });
        if !ts.is_known() {
            let untimed = profile.untimed.get_or_insert_default();
            untimed.packets += contribution.packets;
            untimed.bytes[from.index()] += contribution.bytes;
            return;
        }
        let origin = *self.origin.get_or_insert(ts.as_nanos());
        let at = ts.as_nanos().saturating_sub(origin);
        if self.adaptive {
            self.widen(at);
        }
        if profile.step != self.step {
            profile.coarsen(self.step);
        }
        profile.add(at, from, contribution.packets, contribution.bytes);
    }

    /// Take in a packet `at` nanoseconds from the origin; coarsen the grid if the span grew
    /// past [`ADAPTIVE_SLICES`]. A packet inside the span seen costs two comparisons.
    #[inline]
    fn widen(&mut self, at: i64) {
        match self.span {
            Some((low, high)) if (low..=high).contains(&at) => {}
            Some((low, high)) => self.widen_to(low.min(at), high.max(at)),
            None => self.span = Some((at, at)),
        }
    }

    #[cold]
    fn widen_to(&mut self, low: i64, high: i64) {
        self.span = Some((low, high));
        let slices = |step: u64| high.div_euclid(step as i64) - low.div_euclid(step as i64);
        while slices(self.step) >= ADAPTIVE_SLICES {
            match ADAPTIVE_STEPS.iter().find(|&&s| s > self.step) {
                Some(&next) => self.step = next,
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_stays_small() {
        assert_eq!(std::mem::size_of::<TimeProfile>(), 56);
    }

    fn packet(profiler: &mut Profiler, profile: &mut Option<Box<TimeProfile>>, nanos: i64) {
        let c = Contribution::packet(Timestamp::from_nanos(nanos), 100, 0, None);
        profiler.record(profile, Side::A, &c);
    }

    #[test]
    fn packets_fall_in_the_slice_of_their_own_time() {
        let mut profiler = Profiler::new(ProfileSpec {
            origin: GridOrigin::Epoch,
            step: Some(SECOND),
        });
        let mut profile = None;
        for nanos in [
            500_000_000,
            999_999_999,
            1_000_000_000,
            5_000_000_000,
            2_500_000_000,
            -1,
        ] {
            packet(&mut profiler, &mut profile, nanos);
        }
        let slices: Vec<(i64, u64)> = profile
            .unwrap()
            .slices()
            .map(|s| (s.index, s.packets))
            .collect();
        assert_eq!(slices, [(-1, 1), (0, 2), (1, 1), (2, 1), (5, 1)]);
    }

    #[test]
    fn an_adaptive_grid_coarsens_and_keeps_every_packet() {
        let mut profiler = Profiler::new(ProfileSpec {
            origin: GridOrigin::FirstPacket,
            step: None,
        });
        let mut long = None;
        // A packet every 10 ms for 100 s: the grid passes 1 ms and 10 ms to 100 ms.
        for i in 0..10_000i64 {
            packet(&mut profiler, &mut long, 7 + i * 10_000_000);
        }
        assert_eq!(profiler.step(), 100 * MILLI);
        let long = long.unwrap();
        assert_eq!(long.step(), 100 * MILLI);
        assert_eq!(long.slices().map(|s| s.packets).sum::<u64>(), 10_000);
        assert_eq!(long.slices().count(), 1000);
        assert!(
            long.slices()
                .all(|s| s.packets == 10 && s.bytes == [1000, 0])
        );
        // Every later step is a multiple of every earlier one.
        for pair in ADAPTIVE_STEPS.windows(2) {
            assert_eq!(pair[1] % pair[0], 0);
            assert_eq!((15 * MINUTE) % pair[1], 0);
        }
    }
}
