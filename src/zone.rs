//! Time zones: where a local day and hour begin, and how times are printed in them. Zones
//! come from the tz database built into the binary (jiff's bundled copy), so `--tz` works the
//! same on a machine without `/usr/share/zoneinfo`.

use std::fmt;

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use thiserror::Error;

use crate::capture::{Precision, Rfc3339, Timestamp};

const NANOS_PER_SEC: i64 = 1_000_000_000;
/// Nanoseconds in a day of 24 hours.
pub const DAY: u64 = 86_400 * NANOS_PER_SEC as u64;
const QUARTER_HOUR: u64 = 15 * 60 * NANOS_PER_SEC as u64;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ZoneError {
    #[error(
        "unknown time zone '{name}'{suggestion} (an IANA name such as Europe/Berlin or \
         Asia/Seoul, UTC, or an offset such as +09:00)"
    )]
    Unknown { name: String, suggestion: String },
}

/// The zones a run shows times in: people's (text) and the data's (JSON, NDJSON, CSV).
#[derive(Clone, Debug, PartialEq)]
pub struct Zones {
    /// Text: `--tz`, else `TZ`, else UTC.
    pub text: Zone,
    /// JSON, NDJSON and CSV: `--tz`; `None` (UTC with `Z`) without it, whatever `TZ` says.
    pub data: Option<Zone>,
}

impl Default for Zones {
    fn default() -> Zones {
        Zones {
            text: Zone::utc(),
            data: None,
        }
    }
}

/// A time zone: UTC, a fixed offset, or a zone of the tz database.
#[derive(Clone, Debug)]
pub struct Zone {
    tz: TimeZone,
    name: String,
    /// The zone's offset, if it never changes.
    fixed: Option<i32>,
}

impl Zone {
    pub fn utc() -> Zone {
        Zone {
            tz: TimeZone::UTC,
            name: "UTC".into(),
            fixed: Some(0),
        }
    }

    /// An IANA name (`Asia/Seoul`, any case), `UTC` (or `Z`), or a fixed offset (`+09:00`,
    /// `-0530`, `+9`).
    pub fn parse(text: &str) -> Result<Zone, ZoneError> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("utc") || text == "Z" || text.eq_ignore_ascii_case("gmt") {
            return Ok(Zone::utc());
        }
        if let Some(seconds) = parse_offset(text) {
            return Ok(Zone::fixed(seconds));
        }
        match jiff::tz::db().get(text) {
            Ok(tz) => {
                let name = tz.iana_name().unwrap_or(text).to_string();
                let fixed = tz.to_fixed_offset().ok().map(|o| o.seconds());
                Ok(Zone { tz, name, fixed })
            }
            Err(_) => Err(ZoneError::Unknown {
                name: text.to_string(),
                suggestion: nearest_names(text),
            }),
        }
    }

    /// The zone of the environment's `TZ`: an IANA name (with or without a leading `:`), an
    /// offset, or a POSIX rule (`CET-1CEST,M3.5.0,M10.5.0/3`); unset or empty is UTC.
    pub fn from_tz_variable(value: Option<&str>) -> Result<Zone, ZoneError> {
        let Some(value) = value.map(|v| v.strip_prefix(':').unwrap_or(v).trim()) else {
            return Ok(Zone::utc());
        };
        if value.is_empty() {
            return Ok(Zone::utc());
        }
        Zone::parse(value).or_else(|error| match TimeZone::posix(value) {
            Ok(tz) => Ok(Zone {
                fixed: tz.to_fixed_offset().ok().map(|o| o.seconds()),
                tz,
                name: value.to_string(),
            }),
            Err(_) => Err(error),
        })
    }

    fn fixed(seconds: i32) -> Zone {
        let tz = Offset::from_seconds(seconds).map_or(TimeZone::UTC, TimeZone::fixed);
        if seconds == 0 {
            return Zone::utc();
        }
        Zone {
            tz,
            name: offset_text(seconds),
            fixed: Some(seconds),
        }
    }

    /// As the user would write it: `UTC`, `Asia/Seoul`, `+09:00`.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn is_utc(&self) -> bool {
        self.fixed == Some(0)
    }

    /// The offset from UTC at `ts`, in seconds.
    pub fn offset_seconds(&self, ts: Timestamp) -> i32 {
        if let Some(fixed) = self.fixed {
            return fixed;
        }
        self.tz.to_offset(jiff_timestamp(ts)).seconds()
    }

    /// The local date and time of `ts`.
    pub fn local(&self, ts: Timestamp) -> DateTime {
        self.tz.to_datetime(jiff_timestamp(ts))
    }

    /// The instant a local date and time stands for; of the two of a repeated hour, the
    /// latest at or before `not_after`, and for a time skipped by a change of offset, the
    /// instant the clock jumped to.
    fn instant(&self, local: DateTime, not_after: Timestamp) -> Timestamp {
        let ambiguous = self.tz.to_ambiguous_timestamp(local);
        let later = ambiguous.later().ok().map(from_jiff);
        let earlier = ambiguous.earlier().ok().map(from_jiff);
        match (earlier, later) {
            (Some(e), Some(l)) if l > not_after => e,
            (_, Some(l)) => l,
            (Some(e), None) => e,
            (None, None) => not_after,
        }
    }

    /// The start of the bucket of `step` nanoseconds that holds `ts`, on the local clock: a
    /// step that divides a day starts at local midnight and every step after it (a 5-minute
    /// bucket at :00, :05, ...; a day at midnight, 23 or 25 hours long across a change of
    /// offset); a step of whole days starts at a local midnight a multiple of it after
    /// 1970-01-01; any other step at a multiple of it since the Unix epoch.
    pub fn bucket_start(&self, ts: Timestamp, step: u64) -> Timestamp {
        let step = step.max(1);
        let nanos = ts.as_nanos();
        if let Some(fixed) = self.fixed
            && (DAY.is_multiple_of(step) || step.is_multiple_of(DAY))
        {
            let offset = i64::from(fixed) * NANOS_PER_SEC;
            let local = nanos.saturating_add(offset);
            let start = local - local.rem_euclid(step as i64);
            return Timestamp::from_nanos(start.saturating_sub(offset));
        }
        if DAY.is_multiple_of(step) {
            let local = self.local(ts);
            let since_midnight = time_nanos(local);
            let into = since_midnight - since_midnight % step as i64;
            let start = local.date().to_datetime(time_of(into));
            return self.instant(start, ts);
        }
        if step.is_multiple_of(DAY) {
            let days_per_step = (step / DAY) as i64;
            let day = days_since_epoch(self.local(ts).date());
            let first = day - day.rem_euclid(days_per_step);
            let midnight = date_of_day(first).to_datetime(time_of(0));
            return self.instant(midnight, ts);
        }
        Timestamp::from_nanos(nanos - nanos.rem_euclid(step as i64))
    }

    /// The start of the bucket after the one that starts at `start`.
    pub fn next_bucket_start(&self, start: Timestamp, step: u64) -> Timestamp {
        let step = step.max(1);
        let mut probe = start.as_nanos();
        loop {
            probe = probe.saturating_add(step as i64);
            let next = self.bucket_start(Timestamp::from_nanos(probe), step);
            if next > start || probe == i64::MAX {
                return next.max(Timestamp::from_nanos(start.as_nanos().saturating_add(1)));
            }
        }
    }

    /// The grid step, in nanoseconds, whose slices hold the buckets of `step` whole in this
    /// zone: the step itself where its buckets start at fixed multiples of it since the epoch,
    /// otherwise the largest step dividing both it and every offset the zone can take (a
    /// quarter of an hour, for zones of the tz database).
    pub fn slice_step(&self, step: u64) -> u64 {
        let step = step.max(1);
        let local = DAY.is_multiple_of(step) || step.is_multiple_of(DAY);
        if !local {
            return step;
        }
        match self.fixed {
            Some(seconds) => gcd(
                step,
                u64::from(seconds.unsigned_abs()) * NANOS_PER_SEC as u64,
            ),
            None => gcd(step, QUARTER_HOUR),
        }
    }

    /// RFC 3339 with this zone's offset (`Z` in UTC) and `precision`'s fractional digits.
    pub fn rfc3339(&self, ts: Timestamp, precision: Precision) -> String {
        self.rfc3339_of(ts, precision).to_string()
    }

    /// As [`Zone::rfc3339`], the text not yet written.
    pub fn rfc3339_of(&self, ts: Timestamp, precision: Precision) -> Rfc3339 {
        match self.offset_for_rfc3339(ts) {
            None => ts.rfc3339(precision),
            Some(offset) => ts.rfc3339_at_offset(precision, offset),
        }
    }

    /// The offset RFC 3339 text of `ts` carries in this zone; `None` for `Z` (UTC).
    pub fn offset_for_rfc3339(&self, ts: Timestamp) -> Option<i32> {
        (!self.is_utc()).then(|| self.offset_seconds(ts))
    }
}

/// Zones are the same when they are named the same.
impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// `+09:00`, `-05:30`, `+00:00`.
fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `+09:00`, `-0530`, `+9`, `UTC+2` -> seconds east of UTC (within ±25 hours).
fn parse_offset(text: &str) -> Option<i32> {
    let text = text
        .strip_prefix("UTC")
        .or_else(|| text.strip_prefix("utc"))
        .unwrap_or(text);
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (hours, minutes) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let all_digits =
        |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(hours) || !all_digits(minutes) {
        return None;
    }
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours <= 25 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

/// `: did you mean A, B?` from the tz database's names nearest `name` (by the whole name or,
/// for a bare city, its last part).
fn nearest_names(name: &str) -> String {
    let names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .collect();
    let lower = name.to_ascii_lowercase();
    let limit = (lower.chars().count() / 3).clamp(1, 3);
    let mut near: Vec<(usize, &str)> = names
        .iter()
        .filter_map(|known| {
            let known_lower = known.to_ascii_lowercase();
            let city = known_lower.rsplit('/').next().unwrap_or(&known_lower);
            let distance = crate::suggest::edit_distance(&lower, &known_lower)
                .min(crate::suggest::edit_distance(&lower, city) + usize::from(lower != city));
            (distance <= limit).then_some((distance, known.as_str()))
        })
        .collect();
    near.sort();
    near.truncate(3);
    if near.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = near.into_iter().map(|(_, k)| k).collect();
    format!(": did you mean {}?", names.join(", "))
}

fn jiff_timestamp(ts: Timestamp) -> jiff::Timestamp {
    jiff::Timestamp::from_nanosecond(i128::from(ts.as_nanos())).unwrap_or(jiff::Timestamp::MIN)
}

fn from_jiff(ts: jiff::Timestamp) -> Timestamp {
    Timestamp::from_nanos(
        ts.as_nanosecond()
            .clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64,
    )
}

fn time_nanos(local: DateTime) -> i64 {
    let t = local.time();
    (i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second()))
        * NANOS_PER_SEC
        + i64::from(t.subsec_nanosecond())
}

fn time_of(nanos: i64) -> jiff::civil::Time {
    let secs = nanos / NANOS_PER_SEC;
    jiff::civil::Time::new(
        (secs / 3600) as i8,
        (secs / 60 % 60) as i8,
        (secs % 60) as i8,
        (nanos % NANOS_PER_SEC) as i32,
    )
    .unwrap_or(jiff::civil::Time::midnight())
}

const EPOCH_DATE: Date = jiff::civil::date(1970, 1, 1);

fn days_since_epoch(date: Date) -> i64 {
    date.since(EPOCH_DATE)
        .map_or(0, |span| i64::from(span.get_days()))
}

fn date_of_day(day: i64) -> Date {
    let span = jiff::Span::new().try_days(day).unwrap_or_default();
    EPOCH_DATE.checked_add(span).unwrap_or(EPOCH_DATE)
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: u64 = 3600 * NANOS_PER_SEC as u64;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse_rfc3339(text).unwrap()
    }

    fn starts(zone: &Zone, from: &str, to: &str, step: u64) -> Vec<String> {
        let (from, to) = (at(from), at(to));
        let mut start = zone.bucket_start(from, step);
        let mut out = Vec::new();
        while start < to {
            out.push(zone.rfc3339(start, Precision::SECONDS));
            start = zone.next_bucket_start(start, step);
        }
        out
    }

    #[test]
    fn names_offsets_and_mistakes() {
        assert_eq!(Zone::parse("utc").unwrap().name(), "UTC");
        assert_eq!(Zone::parse("+09:00").unwrap().name(), "+09:00");
        assert_eq!(Zone::parse("-0530").unwrap().name(), "-05:30");
        assert_eq!(Zone::parse("+9").unwrap().name(), "+09:00");
        assert_eq!(Zone::parse("asia/seoul").unwrap().name(), "Asia/Seoul");
        let error = Zone::parse("Asia/Seol").unwrap_err().to_string();
        assert!(error.starts_with("unknown time zone 'Asia/Seol': did you mean Asia/Seoul"));
        let error = Zone::parse("Berlin").unwrap_err().to_string();
        assert!(error.contains("did you mean Europe/Berlin"), "{error}");
        assert!(Zone::parse("+26:00").is_err());
        assert_eq!(Zone::from_tz_variable(None).unwrap().name(), "UTC");
        assert_eq!(
            Zone::from_tz_variable(Some(":Europe/Berlin"))
                .unwrap()
                .name(),
            "Europe/Berlin"
        );
        let posix = Zone::from_tz_variable(Some("EST5EDT,M3.2.0,M11.1.0")).unwrap();
        assert_eq!(posix.offset_seconds(at("2026-07-01T00:00:00Z")), -4 * 3600);
    }

    #[test]
    fn rfc3339_carries_the_offset() {
        let seoul = Zone::parse("Asia/Seoul").unwrap();
        let ts = at("2026-12-06T23:30:00.123Z");
        assert_eq!(
            seoul.rfc3339(ts, Precision::digits(3)),
            "2026-12-07T08:30:00.123+09:00"
        );
        assert_eq!(
            Zone::utc().rfc3339(ts, Precision::SECONDS),
            "2026-12-06T23:30:00Z"
        );
    }

    #[test]
    fn local_days_have_23_and_25_hours_across_daylight_saving() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        // 29 March 2026: clocks go from 02:00 to 03:00; 25 October: from 03:00 back to 02:00.
        let spring = starts(
            &berlin,
            "2026-03-28T23:00:00Z",
            "2026-03-29T22:00:00Z",
            HOUR,
        );
        assert_eq!(spring.len(), 23);
        assert_eq!(spring[2], "2026-03-29T03:00:00+02:00");
        let autumn = starts(
            &berlin,
            "2026-10-24T22:00:00Z",
            "2026-10-25T23:00:00Z",
            HOUR,
        );
        assert_eq!(autumn.len(), 25);
        assert_eq!(autumn[2], "2026-10-25T02:00:00+02:00");
        assert_eq!(autumn[3], "2026-10-25T02:00:00+01:00");
        let days = starts(&berlin, "2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z", DAY);
        assert_eq!(
            days,
            [
                "2026-10-24T00:00:00+02:00",
                "2026-10-25T00:00:00+02:00",
                "2026-10-26T00:00:00+01:00"
            ]
        );
        let new_york = Zone::parse("America/New_York").unwrap();
        let spring = starts(
            &new_york,
            "2026-03-08T05:00:00Z",
            "2026-03-09T04:00:00Z",
            HOUR,
        );
        assert_eq!(spring.len(), 23);
        let autumn = starts(
            &new_york,
            "2026-11-01T04:00:00Z",
            "2026-11-02T05:00:00Z",
            HOUR,
        );
        assert_eq!(autumn.len(), 25);
    }

    #[test]
    fn buckets_align_to_the_local_clock() {
        let kathmandu = Zone::parse("Asia/Kathmandu").unwrap(); // +05:45
        let ts = at("2026-12-07T10:20:00Z"); // 16:05 local
        assert_eq!(
            kathmandu.rfc3339(kathmandu.bucket_start(ts, HOUR), Precision::SECONDS),
            "2026-12-07T16:00:00+05:45"
        );
        assert_eq!(kathmandu.slice_step(HOUR), QUARTER_HOUR);
        let utc = Zone::utc();
        assert_eq!(utc.slice_step(DAY), DAY);
        assert_eq!(
            utc.bucket_start(at("2026-12-07T10:07:30Z"), 5 * 60 * NANOS_PER_SEC as u64),
            at("2026-12-07T10:05:00Z")
        );
        // A week starts at a multiple of 7 days after 1970-01-01 (a Thursday).
        assert_eq!(
            utc.bucket_start(at("2026-12-07T10:00:00Z"), 7 * DAY),
            at("2026-12-03T00:00:00Z")
        );
        // 7 minutes do not divide a day: multiples since the epoch.
        let seven = 7 * 60 * NANOS_PER_SEC as u64;
        assert_eq!(kathmandu.slice_step(seven), seven);
        assert_eq!(
            kathmandu
                .bucket_start(at("1970-01-01T00:15:00Z"), seven)
                .as_nanos(),
            14 * 60 * NANOS_PER_SEC
        );
    }
}
