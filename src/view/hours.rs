//! Per hour: CapAnalysis's heatmap of days by hour of the day, on the local clock of a zone,
//! made from the timeline's hourly buckets (each packet in the hour of its own timestamp; a
//! flow in the hour it started). A day across a change of offset has 23 or 25 hours.

use std::io;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::cells::{bytes, duration, thousands};
use super::clock::{Align, BucketClock};
use super::report::{Column, Record, Report, Rows, Text, TextTable};
use super::timeline::{BucketRow, MAX_BUCKETS, TimelineConfig, TimelineView, TooManyBuckets};
use super::{SCHEMA_VERSION, Summary};
use crate::capture::Precision;
use crate::enrich::{Enricher, Tags};
use crate::flow::Flow;
use crate::flow::profile::ProfileSpec;
use crate::pipeline::{CaptureReport, CaptureStats, Finished, View};
use crate::zone::{DAY, Zone};

const HOUR: u64 = 3_600_000_000_000;

/// What the heatmap shades.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HourMetric {
    /// Flows started in the hour.
    Flows,
    /// Bytes both ways.
    Bytes,
    /// Bytes sent by initiators.
    Sent,
    /// Bytes sent by responders.
    Received,
    /// Mean duration of the flows started in the hour.
    Duration,
}

impl HourMetric {
    pub fn name(self) -> &'static str {
        match self {
            HourMetric::Flows => "flows",
            HourMetric::Bytes => "bytes",
            HourMetric::Sent => "sent",
            HourMetric::Received => "received",
            HourMetric::Duration => "duration",
        }
    }
}

/// Builds the [`HoursReport`]: a timeline of hours, laid out by day.
pub struct HoursView {
    timeline: TimelineView,
    zone: Zone,
    data_zone: Zone,
    metric: HourMetric,
}

impl HoursView {
    /// Hours on the clock of `zone`; JSON times in `data_zone`.
    pub fn new(zone: Zone, data_zone: Zone, metric: HourMetric) -> HoursView {
        let timeline = TimelineView::new(TimelineConfig {
            interval: Some(HOUR),
            clock: BucketClock {
                zone: zone.clone(),
                align: Align::Clock,
            },
            by: None,
            top: 1,
            data_zone: data_zone.clone(),
        });
        HoursView {
            timeline,
            zone,
            data_zone,
            metric,
        }
    }
}

impl View for HoursView {
    type Report = HoursReport;

    fn profiles(&self) -> Option<ProfileSpec> {
        self.timeline.profiles()
    }

    fn add(
        &mut self,
        flow: Flow,
        tags: Tags,
        enricher: &Enricher,
        stats: &CaptureStats,
    ) -> io::Result<()> {
        self.timeline
            .add(flow, tags, enricher, stats)
            .map_err(in_hours)
    }

    fn finish(self, run: Finished) -> io::Result<HoursReport> {
        let timeline = self.timeline.finish(run).map_err(in_hours)?;
        let zone = &self.zone;
        let by_start: FxHashMap<i64, &BucketRow> = timeline
            .buckets
            .iter()
            .map(|b| (b.start().as_nanos(), b))
            .collect();
        let mut hours = Vec::new();
        if let (Some(first), Some(last)) = (timeline.buckets.first(), timeline.buckets.last()) {
            // Whole days, from the first day's midnight to the last day's end.
            let mut start = zone.bucket_start(first.start(), DAY);
            let end = zone.next_bucket_start(zone.bucket_start(last.start(), DAY), DAY);
            while start < end {
                let next = zone.next_bucket_start(start, HOUR);
                let local = zone.local(start);
                let bucket = by_start.get(&start.as_nanos());
                let counts = |f: fn(&BucketRow) -> u64| bucket.map_or(0, |b| f(b));
                let flows = counts(|b| b.flows_started);
                hours.push(HourRow {
                    date: local.date().to_string(),
                    hour: local.time().hour() as u8,
                    start: self.data_zone.rfc3339(start, Precision::SECONDS),
                    end: self.data_zone.rfc3339(next, Precision::SECONDS),
                    flows,
                    packets: counts(|b| b.packets),
                    bytes: counts(|b| b.bytes),
                    bytes_sent: counts(|b| b.bytes_sent),
                    bytes_received: counts(|b| b.bytes_received),
                    mean_flow_duration_s: (flows > 0)
                        .then(|| counts(|b| b.started_duration_ns) as f64 / flows as f64 / 1e9),
                    started_duration_ns: counts(|b| b.started_duration_ns),
                });
                start = next;
            }
        }
        let mut by_hour: Vec<HourOfDay> = (0..24)
            .map(|hour| HourOfDay {
                hour,
                ..HourOfDay::default()
            })
            .collect();
        for row in &hours {
            let h = &mut by_hour[usize::from(row.hour.min(23))];
            h.flows += row.flows;
            h.packets += row.packets;
            h.bytes += row.bytes;
            h.bytes_sent += row.bytes_sent;
            h.bytes_received += row.bytes_received;
            h.started_duration_ns = h
                .started_duration_ns
                .saturating_add(row.started_duration_ns);
        }
        for h in &mut by_hour {
            h.mean_flow_duration_s =
                (h.flows > 0).then(|| h.started_duration_ns as f64 / h.flows as f64 / 1e9);
        }
        Ok(HoursReport {
            schema_version: SCHEMA_VERSION,
            time_zone: self.data_zone.name().to_string(),
            metric: self.metric.name(),
            hours,
            by_hour_of_day: by_hour,
            untimed_packets: timeline.untimed_packets,
            summary: timeline.summary,
            zone: self.zone,
            shaded: self.metric,
        })
    }
}

/// The timeline's refusal of too many buckets, as the hours view says it.
fn in_hours(error: io::Error) -> io::Error {
    match error
        .get_ref()
        .and_then(|e| e.downcast_ref::<TooManyBuckets>())
    {
        Some(_) => io::Error::other(TooManyBuckets(format!(
            "the selected traffic spans more than {} hours: select less time with \
             --since/--until",
            thousands(MAX_BUCKETS)
        ))),
        None => error,
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct HoursReport {
    pub schema_version: u32,
    pub summary: Summary,
    /// The zone of the times in `hours` (days and hours are those of the zone's clock).
    pub time_zone: String,
    /// What the text heatmap shades (`--metric`); every row carries every metric.
    pub metric: &'static str,
    /// Every hour of every day from the first packet's to the last's, in order (a day has 23
    /// or 25 when the offset changes).
    pub hours: Vec<HourRow>,
    /// The hours added up by hour of the day (00 to 23).
    pub by_hour_of_day: Vec<HourOfDay>,
    pub untimed_packets: u64,
    #[serde(skip)]
    zone: Zone,
    #[serde(skip)]
    shaded: HourMetric,
}

/// One hour of one day.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct HourRow {
    /// The local date, `2026-10-25`.
    pub date: String,
    /// The local hour, 0 to 23 (twice on the day the clock goes back).
    pub hour: u8,
    pub start: String,
    pub end: String,
    /// Flows started in the hour.
    pub flows: u64,
    pub packets: u64,
    pub bytes: u64,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    /// Mean duration of the flows started in the hour; null without any.
    pub mean_flow_duration_s: Option<f64>,
    #[serde(skip)]
    started_duration_ns: u64,
}

/// One hour of the day over every day.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct HourOfDay {
    pub hour: u8,
    pub flows: u64,
    pub packets: u64,
    pub bytes: u64,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    pub mean_flow_duration_s: Option<f64>,
    #[serde(skip)]
    started_duration_ns: u64,
}

impl CaptureReport for HoursReport {
    fn summary(&self) -> &Summary {
        &self.summary
    }
}

impl Record for &HourRow {}

/// The shades of the heatmap, lightest first: a cell's share of the largest.
const SHADES: [&str; 4] = ["░░", "▒▒", "▓▓", "██"];
/// The header of the heatmap column: the hours of the day, three characters each.
const HOURS_HEADER: &str =
    "00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23";

impl HoursReport {
    /// The shaded metric of figures, and as people read it.
    fn value(&self, flows: u64, bytes: u64, sent: u64, received: u64, nanos: u64) -> f64 {
        match self.shaded {
            HourMetric::Flows => flows as f64,
            HourMetric::Bytes => bytes as f64,
            HourMetric::Sent => sent as f64,
            HourMetric::Received => received as f64,
            HourMetric::Duration if flows > 0 => nanos as f64 / flows as f64 / 1e9,
            HourMetric::Duration => 0.0,
        }
    }

    fn shown(&self, value: f64) -> String {
        match self.shaded {
            HourMetric::Flows => thousands(value as u64),
            HourMetric::Duration => duration(value),
            _ => bytes(value as u64),
        }
    }

    fn row_value(&self, r: &HourRow) -> f64 {
        self.value(
            r.flows,
            r.bytes,
            r.bytes_sent,
            r.bytes_received,
            r.started_duration_ns,
        )
    }
}

fn shade(value: f64, max: f64) -> &'static str {
    if value <= 0.0 || max <= 0.0 {
        return " ·";
    }
    let level = ((value / max) * 4.0).ceil().clamp(1.0, 4.0) as usize;
    SHADES[level - 1]
}

impl Report for HoursReport {
    type Row<'a> = &'a HourRow;

    fn rows(&self) -> Rows<'_, &HourRow> {
        Box::new(self.hours.iter())
    }

    fn text(&self) -> Text<'_> {
        let max = self
            .hours
            .iter()
            .map(|r| self.row_value(r))
            .fold(0.0, f64::max);
        let mut days: Vec<(String, Vec<&HourRow>)> = Vec::new();
        for row in &self.hours {
            match days.last_mut() {
                Some((date, rows)) if *date == row.date => rows.push(row),
                _ => days.push((row.date.clone(), vec![row])),
            }
        }
        let mut notes = Vec::new();
        let mut rows = Vec::new();
        for (date, hours) in &days {
            let mut cells = vec!["  ".to_string(); 24];
            let mut per_hour: Vec<(u64, u64, u64, u64, u64)> = vec![(0, 0, 0, 0, 0); 24];
            for r in hours {
                let p = &mut per_hour[usize::from(r.hour.min(23))];
                *p = (
                    p.0 + r.flows,
                    p.1 + r.bytes,
                    p.2 + r.bytes_sent,
                    p.3 + r.bytes_received,
                    p.4.saturating_add(r.started_duration_ns),
                );
            }
            let mut present = [false; 24];
            for r in hours {
                present[usize::from(r.hour.min(23))] = true;
            }
            for (hour, p) in per_hour.iter().enumerate() {
                if present[hour] {
                    let value = self.value(p.0, p.1, p.2, p.3, p.4);
                    cells[hour] = shade(value, max).to_string();
                }
            }
            match hours.len() {
                24 => {}
                n => notes.push(format!(
                    "{date} has {n} hours on the clock of {}{}",
                    self.zone.name(),
                    if n > 24 {
                        ": a repeated hour is counted in its column"
                    } else {
                        ": a skipped hour is blank"
                    }
                )),
            }
            let total = hours.iter().fold((0, 0, 0, 0, 0u64), |t, r| {
                (
                    t.0 + r.flows,
                    t.1 + r.bytes,
                    t.2 + r.bytes_sent,
                    t.3 + r.bytes_received,
                    t.4.saturating_add(r.started_duration_ns),
                )
            });
            let strip: String = cells.iter().map(|c| format!("{c} ")).collect();
            rows.push(vec![
                date.clone(),
                strip.trim_end().to_string(),
                self.shown(self.value(total.0, total.1, total.2, total.3, total.4)),
            ]);
        }
        let mut title = format!(
            "{} per hour in {}; shades ░░ ▒▒ ▓▓ ██: up to a quarter, a half, three quarters \
             and all of the busiest hour, {}; · none",
            match self.shaded {
                HourMetric::Flows => "Flows started",
                HourMetric::Bytes => "Bytes",
                HourMetric::Sent => "Bytes sent by initiators",
                HourMetric::Received => "Bytes sent by responders",
                HourMetric::Duration => "Mean duration of the flows started",
            },
            self.zone.name(),
            self.shown(max)
        );
        for note in &notes {
            title.push('\n');
            title.push_str(note);
        }
        let heatmap = TextTable {
            title: Some(title),
            columns: vec![
                Column::text("Date"),
                Column::text(HOURS_HEADER),
                Column::number("Total"),
            ],
            rows,
            empty: "no packets selected",
        };
        let by_hour = TextTable {
            title: Some("By hour of the day, over every day".into()),
            columns: vec![
                Column::text("Hour"),
                Column::number("Flows"),
                Column::number("Packets"),
                Column::number("Bytes"),
                Column::number("Sent"),
                Column::number("Received"),
                Column::number("Mean duration"),
            ],
            rows: self
                .by_hour_of_day
                .iter()
                .filter(|_| !self.hours.is_empty())
                .map(|h| {
                    vec![
                        format!("{:02}", h.hour),
                        thousands(h.flows),
                        thousands(h.packets),
                        bytes(h.bytes),
                        bytes(h.bytes_sent),
                        bytes(h.bytes_received),
                        h.mean_flow_duration_s.map_or_else(String::new, duration),
                    ]
                })
                .collect(),
            empty: "no packets selected",
        };
        Text::Tables(vec![heatmap, by_hour])
    }
}
