//! Timeline: traffic per bucket of time, each packet in the bucket of its own timestamp (the
//! flow table profiles every flow's packets in time slices; a selected flow's slices are added
//! up here), with empty buckets kept: a gap is information.

use std::collections::BTreeMap;
use std::io;
use std::net::IpAddr;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use thiserror::Error;

use super::cells::{bar_cell, bytes, percent, thousands};
use super::clock::{Align, BucketClock, SliceBuckets, step_precision, step_text};
use super::protocols::flow_place;
use super::report::{CellText, Column, Record, Report, Rows, StreamedTable, Text};
use super::{Enriched, SCHEMA_VERSION, Summary, proto_name};
use crate::capture::{Precision, Rfc3339, Timestamp};
use crate::enrich::{Enricher, Tags};
use crate::flow::Flow;
use crate::flow::profile::ProfileSpec;
use crate::pipeline::{CaptureReport, CaptureStats, Finished, View};
use crate::zone::{DAY, Zone};

/// The most buckets a timeline makes.
pub const MAX_BUCKETS: u64 = 100_000;

/// Buckets a timeline aims at when it chooses its own interval.
pub const TARGET_BUCKETS: u64 = 60;

const MS: u64 = 1_000_000;
const S: u64 = 1_000_000_000;
const MIN: u64 = 60 * S;
const H: u64 = 60 * MIN;

/// The intervals a timeline chooses from, finest first.
pub const HUMAN_STEPS: [u64; 26] = [
    MS,
    2 * MS,
    5 * MS,
    10 * MS,
    20 * MS,
    50 * MS,
    100 * MS,
    200 * MS,
    500 * MS,
    S,
    2 * S,
    5 * S,
    10 * S,
    15 * S,
    30 * S,
    MIN,
    2 * MIN,
    5 * MIN,
    10 * MIN,
    15 * MIN,
    30 * MIN,
    H,
    2 * H,
    3 * H,
    6 * H,
    12 * H,
];

/// What the series of `--by` are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeriesBy {
    Proto,
    Service,
    Country,
    Src,
    Dst,
    Name,
}

impl SeriesBy {
    pub fn name(self) -> &'static str {
        match self {
            SeriesBy::Proto => "proto",
            SeriesBy::Service => "service",
            SeriesBy::Country => "country",
            SeriesBy::Src => "src",
            SeriesBy::Dst => "dst",
            SeriesBy::Name => "name",
        }
    }
}

/// The key of flows in no top series.
pub const OTHER: &str = "other";
/// The `--by name` key of flows without a server name.
pub const NO_NAME: &str = "(none)";

#[derive(Clone, Debug)]
pub struct TimelineConfig {
    /// The bucket's length in nanoseconds; `None`: chosen from the span, about
    /// [`TARGET_BUCKETS`] of one of [`HUMAN_STEPS`] (or a day).
    pub interval: Option<u64>,
    pub clock: BucketClock,
    pub by: Option<SeriesBy>,
    /// Series shown with `by`; the rest add up in [`OTHER`].
    pub top: usize,
    /// The zone of the times in JSON, NDJSON and CSV (UTC unless `--tz` was given).
    pub data_zone: Zone,
}

/// A timeline that would have too many buckets to be of use: what to say (exit status 2).
#[derive(Debug, Error)]
#[error("{0}")]
pub struct TooManyBuckets(pub String);

impl TooManyBuckets {
    fn new(interval: u64, first: String, last: String) -> TooManyBuckets {
        TooManyBuckets(format!(
            "--interval {} makes more than {} buckets from {first} to {last}: give a coarser \
             --interval, such as {}, or select less time with --since/--until",
            step_text(interval),
            thousands(MAX_BUCKETS),
            coarser(interval)
        ))
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub packets: u64,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    pub flows_started: u64,
    pub flows_active: u64,
    /// Summed durations of the flows started, in nanoseconds.
    pub started_duration_ns: u64,
}

impl Counts {
    pub fn bytes(&self) -> u64 {
        self.bytes_sent + self.bytes_received
    }

    fn add(&mut self, other: &Counts) {
        self.packets += other.packets;
        self.bytes_sent += other.bytes_sent;
        self.bytes_received += other.bytes_received;
        self.flows_started += other.flows_started;
        self.flows_active += other.flows_active;
        self.started_duration_ns = self
            .started_duration_ns
            .saturating_add(other.started_duration_ns);
    }
}

/// In [`TimelineView::last_counted`]: in no bucket yet (none starts in 1677).
const NOT_COUNTED: i64 = i64::MIN;

#[derive(Default)]
struct Bucket {
    counts: Counts,
    /// Initiators and responders of the flows active in it, by [`TimelineView::address`].
    sources: FxHashSet<u32>,
    destinations: FxHashSet<u32>,
}

impl Bucket {
    fn absorb(&mut self, other: Bucket) {
        self.counts.add(&other.counts);
        self.sources.extend(other.sources);
        self.destinations.extend(other.destinations);
    }
}

/// Builds the [`TimelineReport`] flow by flow.
pub struct TimelineView {
    config: TimelineConfig,
    /// With an interval: buckets by their start (nanoseconds). Without: slices of `step` by
    /// their index, bucketed at the end.
    buckets: FxHashMap<i64, Bucket>,
    /// Each series' figures per bucket (keyed as `buckets`), by series id.
    series: FxHashMap<(i64, u32), Counts>,
    /// Series keys by id, and each one's bytes in all.
    keys: Vec<(String, u64)>,
    key_ids: FxHashMap<String, u32>,
    addresses: FxHashMap<IpAddr, u32>,
    /// By address id: the buckets whose sets of sources and of destinations it was last put
    /// in. Flows end roughly in time order, so an address is mostly seen again in the bucket
    /// it was last counted in, and that bucket's set need not be asked.
    last_counted: Vec<[i64; 2]>,
    /// Without an interval: the step of the slices in `buckets` (0 before the first flow).
    step: u64,
    /// With an interval: each slice's bucket.
    slice_buckets: Option<SliceBuckets>,
    /// The grid's origin, in nanoseconds.
    origin: i64,
    /// Packets without a timestamp, in no bucket.
    untimed: Counts,
}

impl TimelineView {
    pub fn new(config: TimelineConfig) -> TimelineView {
        let slice_buckets = config
            .interval
            .map(|step| SliceBuckets::new(config.clock.clone(), step));
        TimelineView {
            config,
            buckets: FxHashMap::default(),
            series: FxHashMap::default(),
            keys: Vec::new(),
            key_ids: FxHashMap::default(),
            addresses: FxHashMap::default(),
            last_counted: Vec::new(),
            step: 0,
            slice_buckets,
            origin: 0,
            untimed: Counts::default(),
        }
    }

    fn address(&mut self, addr: IpAddr) -> u32 {
        let next = self.addresses.len() as u32;
        let id = *self.addresses.entry(addr).or_insert(next);
        if id == next {
            self.last_counted.push([NOT_COUNTED; 2]);
        }
        id
    }

    fn series_key(&mut self, by: SeriesBy, e: &Enriched<'_>) -> u32 {
        let flow = e.flow;
        let key = match by {
            SeriesBy::Proto => proto_name(flow.key.proto).into_owned(),
            SeriesBy::Service => e.service_label.to_string(),
            SeriesBy::Country => flow_place(e).to_string(),
            SeriesBy::Src => flow.src().addr.to_string(),
            SeriesBy::Dst => flow.dst().addr.to_string(),
            SeriesBy::Name => flow
                .app
                .as_ref()
                .and_then(|a| a.info.server_name.as_deref())
                .unwrap_or(NO_NAME)
                .to_string(),
        };
        if let Some(&id) = self.key_ids.get(&key) {
            return id;
        }
        let id = self.keys.len() as u32;
        self.keys.push((key.clone(), 0));
        self.key_ids.insert(key, id);
        id
    }

    /// Slices on a grid of `step` (a multiple of the current one), merged where they fall
    /// together.
    fn coarsen(&mut self, step: u64) {
        if self.step == 0 {
            self.step = step;
            return;
        }
        let ratio = (step / self.step) as i64;
        let mut buckets: FxHashMap<i64, Bucket> = FxHashMap::default();
        for (index, bucket) in self.buckets.drain() {
            buckets
                .entry(index.div_euclid(ratio))
                .or_default()
                .absorb(bucket);
        }
        self.buckets = buckets;
        let mut series: FxHashMap<(i64, u32), Counts> = FxHashMap::default();
        for ((index, key), counts) in self.series.drain() {
            series
                .entry((index.div_euclid(ratio), key))
                .or_default()
                .add(&counts);
        }
        self.series = series;
        self.step = step;
        // The buckets are numbered anew.
        self.last_counted.fill([NOT_COUNTED; 2]);
    }

    /// Buckets of `step` from the slices held, when the interval was chosen now.
    fn bucketed(&mut self, step: u64) -> BTreeMap<i64, Bucket> {
        let mut slice_buckets = SliceBuckets::new(self.config.clock.clone(), step);
        let (slice_step, origin) = (self.step, self.origin);
        let mut buckets: BTreeMap<i64, Bucket> = BTreeMap::new();
        for (index, bucket) in self.buckets.drain() {
            let start = slice_buckets.start_of(index, slice_step, origin);
            buckets.entry(start).or_default().absorb(bucket);
        }
        let mut series: FxHashMap<(i64, u32), Counts> = FxHashMap::default();
        for ((index, key), counts) in self.series.drain() {
            let start = slice_buckets.start_of(index, slice_step, origin);
            series.entry((start, key)).or_default().add(&counts);
        }
        self.series = series;
        buckets
    }

    /// The interval chosen for slices of `step` spanning `span` nanoseconds: the finest of
    /// [`HUMAN_STEPS`] (or a day, or whole days) that makes at most [`TARGET_BUCKETS`]
    /// buckets and holds whole slices.
    fn chosen_interval(&self, span: u64) -> u64 {
        let clock = &self.config.clock;
        let whole = |s: u64| s >= self.step && clock.holds_whole(s, self.step);
        HUMAN_STEPS
            .iter()
            .copied()
            .chain(std::iter::once(DAY))
            .find(|&s| whole(s) && span.div_ceil(s) <= TARGET_BUCKETS)
            .unwrap_or(DAY)
    }

    /// With an interval given, stop early once the buckets are sure to be too many.
    fn check_span(&self) -> io::Result<()> {
        let Some(interval) = self.config.interval else {
            return Ok(());
        };
        let (Some(first), Some(last)) = (self.buckets.keys().min(), self.buckets.keys().max())
        else {
            return Ok(());
        };
        // A day of 23 hours makes buckets of a day a little shorter: leave room for them.
        let estimate = ((last - first) as u64 / interval.max(1)).saturating_add(1);
        if estimate > MAX_BUCKETS + MAX_BUCKETS / 10 {
            let precision = Precision::SECONDS;
            return Err(io::Error::other(TooManyBuckets::new(
                interval,
                self.text_time(Timestamp::from_nanos(*first), precision),
                self.text_time(Timestamp::from_nanos(*last), precision),
            )));
        }
        Ok(())
    }

    fn text_time(&self, ts: Timestamp, precision: Precision) -> String {
        self.config.data_zone.rfc3339(ts, precision)
    }
}

/// An interval about a hundred times `interval`, as a suggestion.
fn coarser(interval: u64) -> String {
    let wanted = interval.saturating_mul(100);
    let step = HUMAN_STEPS
        .iter()
        .copied()
        .chain([DAY, 7 * DAY])
        .find(|&s| s >= wanted)
        .unwrap_or(7 * DAY);
    step_text(step)
}

/// Adds `counts` to a bucket's figures, and a flow's activity once per bucket.
struct SliceCounts {
    packets: u64,
    sent: u64,
    received: u64,
    first: bool,
    new_bucket: bool,
    /// The flow's duration, counted with its first slice.
    duration: u64,
}

impl SliceCounts {
    fn apply(&self, counts: &mut Counts) {
        counts.packets += self.packets;
        counts.bytes_sent += self.sent;
        counts.bytes_received += self.received;
        counts.flows_started += u64::from(self.first);
        counts.flows_active += u64::from(self.new_bucket);
        if self.first {
            counts.started_duration_ns = counts.started_duration_ns.saturating_add(self.duration);
        }
    }
}

impl View for TimelineView {
    type Report = TimelineReport;

    fn profiles(&self) -> Option<ProfileSpec> {
        Some(self.config.clock.profile_spec(self.config.interval))
    }

    fn add(
        &mut self,
        mut flow: Flow,
        tags: Tags,
        enricher: &Enricher,
        stats: &CaptureStats,
    ) -> io::Result<()> {
        let Some(profile) = flow.profile.take() else {
            return Ok(());
        };
        self.origin = self.config.clock.origin(stats.capture_start);
        let key = self
            .config
            .by
            .map(|by| self.series_key(by, &Enriched::new(&flow, tags, enricher)));
        let (src, dst) = (self.address(flow.src().addr), self.address(flow.dst().addr));
        let (sent, received) = (flow.initiator.index(), flow.initiator.other().index());
        let untimed = profile.untimed();
        self.untimed.packets += untimed.packets;
        self.untimed.bytes_sent += untimed.bytes[sent];
        self.untimed.bytes_received += untimed.bytes[received];
        let slice_step = profile.step();
        if self.slice_buckets.is_none() && slice_step > self.step {
            self.coarsen(slice_step);
        }
        let mut previous = None;
        for (n, slice) in profile.slices().enumerate() {
            let at = match self.slice_buckets.as_mut() {
                Some(buckets) => buckets.start_of(slice.index, slice_step, self.origin),
                None => slice
                    .index
                    .div_euclid((self.step / slice_step.max(1)).max(1) as i64),
            };
            let counts = SliceCounts {
                packets: slice.packets,
                sent: slice.bytes[sent],
                received: slice.bytes[received],
                first: n == 0,
                new_bucket: previous != Some(at),
                duration: flow.duration_nanos(),
            };
            let bucket = self.buckets.entry(at).or_default();
            counts.apply(&mut bucket.counts);
            if counts.new_bucket {
                let as_source = &mut self.last_counted[src as usize][0];
                if *as_source != at {
                    bucket.sources.insert(src);
                    *as_source = at;
                }
                let as_destination = &mut self.last_counted[dst as usize][1];
                if *as_destination != at {
                    bucket.destinations.insert(dst);
                    *as_destination = at;
                }
            }
            if let Some(key) = key {
                counts.apply(self.series.entry((at, key)).or_default());
            }
            previous = Some(at);
        }
        if let Some(key) = key {
            self.keys[key as usize].1 += flow.total_bytes();
        }
        if previous.is_some() {
            self.check_span()?;
        }
        Ok(())
    }

    fn finish(mut self, run: Finished) -> io::Result<TimelineReport> {
        let (interval, buckets) = match self.config.interval {
            Some(interval) => (interval, self.buckets.drain().collect::<BTreeMap<_, _>>()),
            None if self.buckets.is_empty() => (S, BTreeMap::new()),
            None => {
                let first = self.buckets.keys().min().copied().unwrap_or(0);
                let last = self.buckets.keys().max().copied().unwrap_or(0);
                let span = ((last - first + 1) as u64).saturating_mul(self.step);
                let interval = self.chosen_interval(span);
                (interval, self.bucketed(interval))
            }
        };
        let clock = &self.config.clock;
        let precision = step_precision(interval, clock.align, run.precision);
        // Every bucket from the first to the last, the empty ones too.
        let mut starts = Vec::new();
        if let (Some((&first, _)), Some((&last, _))) =
            (buckets.first_key_value(), buckets.last_key_value())
        {
            // Buckets from the first packet start there, as tshark's intervals do, even when
            // no selected packet is in the first of them.
            let first = match clock.align {
                Align::Capture => first.min(self.origin),
                Align::Clock => first,
            };
            let mut start = Timestamp::from_nanos(first);
            while start.as_nanos() <= last {
                starts.push(start);
                if starts.len() as u64 > MAX_BUCKETS {
                    return Err(io::Error::other(TooManyBuckets::new(
                        interval,
                        self.text_time(Timestamp::from_nanos(first), Precision::SECONDS),
                        self.text_time(Timestamp::from_nanos(last), Precision::SECONDS),
                    )));
                }
                start = clock.next_start(start, interval);
            }
        }
        // The top series by bytes, then `other`.
        let mut ranked: Vec<u32> = (0..self.keys.len() as u32).collect();
        ranked.sort_by(|&a, &b| {
            let (ka, kb) = (&self.keys[a as usize], &self.keys[b as usize]);
            kb.1.cmp(&ka.1).then_with(|| ka.0.cmp(&kb.0))
        });
        let shown = ranked.len().min(self.config.top);
        let mut column_of = vec![shown; self.keys.len()];
        for (column, &id) in ranked.iter().take(shown).enumerate() {
            column_of[id as usize] = column;
        }
        let mut series_keys: Vec<String> = ranked[..shown]
            .iter()
            .map(|&id| self.keys[id as usize].0.clone())
            .collect();
        if ranked.len() > shown {
            series_keys.push(OTHER.to_string());
        }
        let mut per_bucket: FxHashMap<i64, Vec<Counts>> = FxHashMap::default();
        for ((at, key), counts) in &self.series {
            let row = per_bucket
                .entry(*at)
                .or_insert_with(|| vec![Counts::default(); series_keys.len()]);
            row[column_of[*key as usize]].add(counts);
        }
        let mut totals = vec![Counts::default(); series_keys.len()];
        let data_zone = &self.config.data_zone;
        let mut rows = Vec::with_capacity(starts.len());
        let mut buckets = buckets;
        for (i, &start) in starts.iter().enumerate() {
            let end = starts
                .get(i + 1)
                .copied()
                .unwrap_or_else(|| clock.next_start(start, interval));
            let bucket = buckets.remove(&start.as_nanos()).unwrap_or_default();
            let series = match self.config.by {
                Some(_) => per_bucket
                    .remove(&start.as_nanos())
                    .unwrap_or_else(|| vec![Counts::default(); series_keys.len()]),
                None => Vec::new(),
            };
            for (total, counts) in totals.iter_mut().zip(&series) {
                total.add(counts);
            }
            rows.push(BucketRow {
                bucket_start: data_zone.rfc3339_of(start, precision),
                bucket_end: data_zone.rfc3339_of(end, precision),
                packets: bucket.counts.packets,
                bytes: bucket.counts.bytes(),
                bytes_sent: bucket.counts.bytes_sent,
                bytes_received: bucket.counts.bytes_received,
                flows_started: bucket.counts.flows_started,
                flows_active: bucket.counts.flows_active,
                sources: bucket.sources.len() as u64,
                destinations: bucket.destinations.len() as u64,
                series: series
                    .into_iter()
                    .zip(&series_keys)
                    .map(|(counts, key)| SeriesCounts::new(key, counts))
                    .collect(),
                start,
                started_duration_ns: bucket.counts.started_duration_ns,
            });
        }
        Ok(TimelineReport {
            schema_version: SCHEMA_VERSION,
            interval: step_text(interval),
            interval_s: interval as f64 / S as f64,
            time_zone: data_zone.name().to_string(),
            aligned_to: match clock.align {
                Align::Clock => "clock",
                Align::Capture => "capture",
            },
            aligned_at: (clock.align == Align::Capture && !rows.is_empty())
                .then(|| data_zone.rfc3339(Timestamp::from_nanos(self.origin), precision)),
            by: self.config.by.map(SeriesBy::name),
            series: series_keys
                .iter()
                .zip(&totals)
                .map(|(key, counts)| SeriesCounts::new(key, *counts))
                .collect(),
            untimed_packets: self.untimed.packets,
            untimed_bytes: self.untimed.bytes(),
            buckets: rows,
            summary: run.summary,
            text_zone: clock.zone.clone(),
            step: interval,
        })
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TimelineReport {
    pub schema_version: u32,
    pub summary: Summary,
    /// The bucket's length: `1m`, `250ms`, `1d`.
    pub interval: String,
    pub interval_s: f64,
    /// The zone of the bucket times (and of the clock they are aligned to).
    pub time_zone: String,
    /// `clock`: buckets start on the zone's clock; `capture`: at the first packet.
    pub aligned_to: &'static str,
    /// With `aligned_to` `capture`: the first packet's time, where bucket 0 starts (packets
    /// earlier than it, out of order, are in the buckets before).
    pub aligned_at: Option<String>,
    /// What the series are (`--by`), or null.
    pub by: Option<&'static str>,
    /// With `--by`: each series' figures over the whole timeline, largest first, `other` last.
    pub series: Vec<SeriesCounts>,
    /// Packets with no timestamp (pcapng Simple Packet Blocks), which no bucket holds.
    pub untimed_packets: u64,
    pub untimed_bytes: u64,
    pub buckets: Vec<BucketRow>,
    #[serde(skip)]
    text_zone: Zone,
    #[serde(skip)]
    step: u64,
}

/// One bucket's figures.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct BucketRow {
    pub bucket_start: Rfc3339,
    /// The next bucket's start (a local day across a change of offset is 23 or 25 hours).
    pub bucket_end: Rfc3339,
    pub packets: u64,
    /// Wire bytes, both ways.
    pub bytes: u64,
    /// Bytes sent by the flows' initiators ("Data Sent").
    pub bytes_sent: u64,
    /// Bytes sent by the responders ("Data Received").
    pub bytes_received: u64,
    /// Flows whose first packet is in the bucket.
    pub flows_started: u64,
    /// Flows with any packet in the bucket.
    pub flows_active: u64,
    /// Distinct initiator addresses of the flows active in the bucket.
    pub sources: u64,
    /// Distinct responder addresses of the flows active in the bucket.
    pub destinations: u64,
    /// With `--by`: each series' part, in the order of the report's `series`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<SeriesCounts>,
    #[serde(skip)]
    start: Timestamp,
    /// Summed durations of the flows started in the bucket.
    #[serde(skip)]
    pub started_duration_ns: u64,
}

impl BucketRow {
    /// The bucket's start.
    pub fn start(&self) -> Timestamp {
        self.start
    }
}

/// One series' figures.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SeriesCounts {
    pub key: String,
    pub packets: u64,
    pub bytes: u64,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    pub flows_started: u64,
    pub flows_active: u64,
}

impl SeriesCounts {
    fn new(key: &str, c: Counts) -> SeriesCounts {
        SeriesCounts {
            key: key.to_string(),
            packets: c.packets,
            bytes: c.bytes(),
            bytes_sent: c.bytes_sent,
            bytes_received: c.bytes_received,
            flows_started: c.flows_started,
            flows_active: c.flows_active,
        }
    }
}

impl CaptureReport for TimelineReport {
    fn summary(&self) -> &Summary {
        &self.summary
    }
}

/// An NDJSON or CSV record: a bucket, or with `--by` a bucket's series.
#[derive(Serialize)]
pub struct TimelineRow<'a> {
    pub bucket_start: Rfc3339,
    pub bucket_end: Rfc3339,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<&'a str>,
    pub packets: u64,
    pub bytes: u64,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    pub flows_started: u64,
    pub flows_active: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destinations: Option<u64>,
}

impl Record for TimelineRow<'_> {}

impl Report for TimelineReport {
    type Row<'a> = TimelineRow<'a>;

    fn rows(&self) -> Rows<'_, TimelineRow<'_>> {
        if self.by.is_none() {
            return Box::new(self.buckets.iter().map(|b| TimelineRow {
                bucket_start: b.bucket_start,
                bucket_end: b.bucket_end,
                key: None,
                packets: b.packets,
                bytes: b.bytes,
                bytes_sent: b.bytes_sent,
                bytes_received: b.bytes_received,
                flows_started: b.flows_started,
                flows_active: b.flows_active,
                sources: Some(b.sources),
                destinations: Some(b.destinations),
            }));
        }
        Box::new(self.buckets.iter().flat_map(|b| {
            b.series.iter().map(move |s| TimelineRow {
                bucket_start: b.bucket_start,
                bucket_end: b.bucket_end,
                key: Some(&s.key),
                packets: s.packets,
                bytes: s.bytes,
                bytes_sent: s.bytes_sent,
                bytes_received: s.bytes_received,
                flows_started: s.flows_started,
                flows_active: s.flows_active,
                sources: None,
                destinations: None,
            })
        }))
    }

    fn text(&self) -> Text<'_> {
        let busiest = self.buckets.iter().map(|b| b.bytes).max().unwrap_or(0);
        let scale = move |n: u64| {
            if busiest == 0 {
                0.0
            } else {
                n as f64 / busiest as f64
            }
        };
        let zone = &self.text_zone;
        let one_day = match (self.buckets.first(), self.buckets.last()) {
            (Some(first), Some(last)) => {
                zone.local(first.start).date() == zone.local(last.start).date()
            }
            _ => true,
        };
        let start_cell = move |ts: Timestamp| local_cell(zone, ts, self.step, one_day);
        let mut title = format!(
            "Traffic per {} ({} buckets, times in {})",
            self.interval,
            thousands(self.buckets.len() as u64),
            zone.name()
        );
        if self.untimed_packets > 0 {
            title.push_str(&format!(
                "; {} packets without a timestamp are in no bucket",
                thousands(self.untimed_packets)
            ));
        }
        // Streamed: a long capture at a short interval has many thousands of rows.
        let table = match self.by {
            None => {
                title.push_str(&format!(
                    "\nbar: █ sent by initiators, ▓ by responders; full width is the busiest \
                     bucket, {}",
                    bytes(busiest)
                ));
                StreamedTable {
                    title: Some(title),
                    hold: true,
                    columns: &BUCKET_COLUMNS,
                    empty: NO_PACKETS,
                    rows: Box::new(move || {
                        Box::new(self.buckets.iter().map(move |b| {
                            if b.packets == 0 {
                                // Most buckets of a long capture: the same cells each time.
                                let mut row = EMPTY_BUCKET_ROW.map(CellText::from).to_vec();
                                row[0] = start_cell(b.start).into();
                                return row;
                            }
                            [
                                start_cell(b.start),
                                thousands(b.packets),
                                bytes(b.bytes),
                                bytes(b.bytes_sent),
                                bytes(b.bytes_received),
                                thousands(b.flows_started),
                                thousands(b.flows_active),
                                thousands(b.sources),
                                thousands(b.destinations),
                                bar_cell(&[scale(b.bytes_sent), scale(b.bytes_received)]),
                            ]
                            .map(CellText::from)
                            .to_vec()
                        }))
                    }),
                }
            }
            Some(by) => {
                let total: u64 = self.series.iter().map(|s| s.bytes).sum();
                let legend: Vec<String> = self
                    .series
                    .iter()
                    .zip(super::cells::BAR_GLYPHS.iter().cycle())
                    .map(|(s, glyph)| {
                        let share = if total == 0 {
                            0.0
                        } else {
                            s.bytes as f64 / total as f64
                        };
                        format!("{glyph} {} {}", s.key, percent(share))
                    })
                    .collect();
                title.push_str(&format!(
                    "\nbytes by {by}, stacked: {}; full width is the busiest bucket, {}",
                    legend.join("  "),
                    bytes(busiest)
                ));
                StreamedTable {
                    title: Some(title),
                    hold: true,
                    columns: &SERIES_COLUMNS,
                    empty: NO_PACKETS,
                    rows: Box::new(move || {
                        Box::new(self.buckets.iter().map(move |b| {
                            let parts: Vec<f64> = b.series.iter().map(|s| scale(s.bytes)).collect();
                            [
                                start_cell(b.start),
                                thousands(b.packets),
                                bytes(b.bytes),
                                thousands(b.flows_active),
                                bar_cell(&parts),
                            ]
                            .map(CellText::from)
                            .to_vec()
                        }))
                    }),
                }
            }
        };
        Text::Streamed(table)
    }
}

const NO_PACKETS: &str = "no packets selected";

/// The cells of [`BUCKET_COLUMNS`] for a bucket without packets (the start is filled in).
const EMPTY_BUCKET_ROW: [&str; 10] = ["", "0", "0 B", "0 B", "0 B", "0", "0", "0", "0", ""];

/// A bucket per line; the figures after the bytes give way, right first, to a narrow terminal.
const BUCKET_COLUMNS: [Column; 10] = [
    Column::text("Start"),
    Column::number("Packets"),
    Column::number("Bytes"),
    Column::number("Sent").optional(),
    Column::number("Received").optional(),
    Column::number("Flows").optional(),
    Column::number("Active").optional(),
    Column::number("Sources").optional(),
    Column::number("Dests").optional(),
    Column::bar("Sent ▸ received"),
];

const SERIES_COLUMNS: [Column; 5] = [
    Column::text("Start"),
    Column::number("Packets"),
    Column::number("Bytes"),
    Column::number("Flows").optional(),
    Column::bar("Bytes by series"),
];

/// A bucket's start on the local clock: `14:05`, `14:05:30`, `14:05:30.250`, the date in front
/// when the timeline spans more than one day.
pub fn local_cell(zone: &Zone, ts: Timestamp, step: u64, one_day: bool) -> String {
    // The hand-rolled RFC 3339 writer, cut up: a timeline prints thousands of these.
    let mut buf = [0u8; crate::capture::RFC3339_MAX];
    let text = ts
        .rfc3339_at_offset(Precision::digits(3), zone.offset_seconds(ts))
        .to_bytes(&mut buf);
    // `2026-12-07T19:05:30.250+09:00`
    let (date, seconds, millis) = (&text[..10], &text[17..19], &text[20..23]);
    let mut cell = String::with_capacity(24);
    if !one_day {
        cell.push_str(date);
        cell.push(' ');
    }
    cell.push_str(&text[11..16]);
    if !step.is_multiple_of(MIN) || seconds != "00" {
        cell.push(':');
        cell.push_str(seconds);
    }
    if !step.is_multiple_of(S) || millis != "000" {
        cell.push('.');
        cell.push_str(millis);
    }
    cell
}
