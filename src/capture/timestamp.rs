//! Packet timestamps: nanoseconds since the Unix epoch, printed as RFC 3339 UTC at the capture's
//! own precision (a microsecond capture prints 6 fractional digits, a nanosecond one 9).

use std::fmt;

const NANOS_PER_SEC: i64 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;

/// A point in time, in nanoseconds since 1970-01-01T00:00:00Z.
///
/// `i64` nanoseconds cover 1677..2262, which holds every timestamp a capture format can express
/// once its resolution is applied; conversions saturate instead of wrapping.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const MIN: Timestamp = Timestamp(i64::MIN);
    pub const MAX: Timestamp = Timestamp(i64::MAX);
    /// A packet without a time (pcapng Simple Packet Blocks before any timed packet). It
    /// sorts first and never widens a time span.
    pub const UNKNOWN: Timestamp = Timestamp::MIN;

    pub const fn is_known(self) -> bool {
        self.0 != i64::MIN
    }

    pub const fn from_nanos(nanos: i64) -> Self {
        Timestamp(nanos)
    }

    pub const fn as_nanos(self) -> i64 {
        self.0
    }

    /// Seconds plus a fraction counted in `units_per_sec` (10^6 for microsecond pcap, ...).
    pub fn from_secs_and_fraction(secs: i64, fraction: u64, units_per_sec: u64) -> Self {
        // Microseconds and nanoseconds (every classic pcap) without a 128-bit division.
        let frac_nanos = match units_per_sec {
            1_000_000 => fraction.saturating_mul(1000).min(i64::MAX as u64) as i64,
            1_000_000_000 => fraction.min(i64::MAX as u64) as i64,
            units => (fraction as u128 * NANOS_PER_SEC as u128 / units.max(1) as u128)
                .min(i64::MAX as u128) as i64,
        };
        Timestamp(
            secs.saturating_mul(NANOS_PER_SEC)
                .saturating_add(frac_nanos),
        )
    }

    /// Nanoseconds from `earlier` to `self`, never negative, and zero when either is unknown.
    pub fn nanos_since(self, earlier: Timestamp) -> u64 {
        if !self.is_known() || !earlier.is_known() {
            return 0;
        }
        self.0.saturating_sub(earlier.0).max(0) as u64
    }

    /// The earlier of two times, ignoring an unknown one.
    pub fn earliest(self, other: Timestamp) -> Timestamp {
        match (self.is_known(), other.is_known()) {
            (true, true) => self.min(other),
            (true, false) => self,
            _ => other,
        }
    }

    /// Parse RFC 3339 (`2026-01-01T10:00:00.5Z`, `2026-01-01 10:00:00+02:00`): a date, a time
    /// with optional fraction (kept to the nanosecond), and `Z` or a UTC offset.
    pub fn parse_rfc3339(text: &str) -> Option<Timestamp> {
        let b = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = b.get(range)?;
            if part.iter().all(u8::is_ascii_digit) {
                std::str::from_utf8(part).ok()?.parse().ok()
            } else {
                None
            }
        };
        let sep = |at: usize, allowed: &[u8]| b.get(at).is_some_and(|c| allowed.contains(c));
        if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
            return None;
        }
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
            return None;
        }
        if second > 60 || day > days_in_month(year, month) {
            return None;
        }
        let mut at = 19;
        let mut nanos = 0i64;
        if b.get(at) == Some(&b'.') {
            at += 1;
            let start = at;
            while b.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            if at == start {
                return None;
            }
            let frac = &text[start..at.min(start + 9)];
            nanos = frac.parse::<i64>().ok()? * 10i64.pow(9 - frac.len() as u32);
        }
        let offset_secs = match b.get(at) {
            Some(b'Z' | b'z') if at + 1 == b.len() => 0,
            Some(sign @ (b'+' | b'-')) if at + 6 == b.len() && sep(at + 3, b":") => {
                let (h, m) = (digits(at + 1..at + 3)?, digits(at + 4..at + 6)?);
                let secs = h * 3600 + m * 60;
                if *sign == b'-' { -secs } else { secs }
            }
            _ => return None,
        };
        let days = days_from_civil(year, month as u32, day as u32);
        let secs = days * SECS_PER_DAY + hour * 3600 + minute * 60 + second - offset_secs;
        Some(Timestamp(
            secs.checked_mul(NANOS_PER_SEC)?.checked_add(nanos)?,
        ))
    }

    /// A value that formats as RFC 3339 UTC with `digits` fractional digits (0 to 9).
    pub fn rfc3339(self, precision: Precision) -> Rfc3339 {
        Rfc3339 {
            ts: self,
            precision,
            offset: None,
        }
    }

    /// As [`Timestamp::rfc3339`], on a clock `offset` seconds east of UTC (`+09:00`).
    pub fn rfc3339_at_offset(self, precision: Precision, offset: i32) -> Rfc3339 {
        Rfc3339 {
            ts: self,
            precision,
            offset: Some(offset),
        }
    }
}

/// How many fractional digits of a second a capture records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Precision(u8);

impl Precision {
    pub const SECONDS: Precision = Precision(0);
    pub const MICROS: Precision = Precision(6);
    pub const NANOS: Precision = Precision(9);

    /// Fractional digits, capped at nanoseconds (the finest we keep).
    pub fn digits(digits: u32) -> Precision {
        Precision(digits.min(9) as u8)
    }

    /// The digits needed to show one tick of a clock with `units_per_sec` ticks per second.
    pub fn for_units_per_sec(units_per_sec: u64) -> Precision {
        let mut digits = 0;
        let mut scale = 1u64;
        while scale < units_per_sec && digits < 9 {
            scale = scale.saturating_mul(10);
            digits += 1;
        }
        Precision(digits)
    }

    pub fn fraction_digits(self) -> u32 {
        u32::from(self.0)
    }
}

impl Default for Precision {
    fn default() -> Self {
        Precision::MICROS
    }
}

/// Display adapter for [`Timestamp::rfc3339`]; serialized as its text, written on the stack
/// (a timeline's report holds two per bucket, up to 100,000 buckets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rfc3339 {
    ts: Timestamp,
    precision: Precision,
    /// Seconds east of UTC: the local time with its offset; `None`: UTC with `Z`.
    offset: Option<i32>,
}

/// Room for the longest RFC 3339 text: nine fractional digits and an offset.
pub const RFC3339_MAX: usize = 40;

impl Rfc3339 {
    /// Write the timestamp into `out` (at most 35 bytes) and return it as text. Hand-rolled:
    /// flow lists print two of these per flow, and `write!` with padding costs ten times more.
    pub fn to_bytes<'b>(&self, out: &'b mut [u8; RFC3339_MAX]) -> &'b str {
        let offset = self.offset.unwrap_or(0);
        let nanos = self.ts.0.saturating_add(i64::from(offset) * NANOS_PER_SEC);
        let secs = nanos.div_euclid(NANOS_PER_SEC);
        let subsec = nanos.rem_euclid(NANOS_PER_SEC) as u32;
        let days = secs.div_euclid(SECS_PER_DAY);
        let secs_of_day = secs.rem_euclid(SECS_PER_DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        // Years outside 0000..9999 do not fit RFC 3339; i64 nanoseconds stay in 1677..2262.
        let year = year.clamp(0, 9999) as u32;
        *out = *b"0000-00-00T00:00:00.000000000Z\0\0\0\0\0\0\0\0\0\0";
        let two = |out: &mut [u8; RFC3339_MAX], at: usize, v: u32| {
            out[at] = b'0' + (v / 10) as u8;
            out[at + 1] = b'0' + (v % 10) as u8;
        };
        two(out, 0, year / 100);
        two(out, 2, year % 100);
        two(out, 5, month);
        two(out, 8, day);
        two(out, 11, secs_of_day / 3600);
        two(out, 14, secs_of_day / 60 % 60);
        two(out, 17, secs_of_day % 60);
        let digits = self.precision.fraction_digits() as usize;
        let end = if digits == 0 {
            19
        } else {
            out[19] = b'.';
            let mut fraction = subsec / 10u32.pow(9 - digits as u32);
            for at in (20..20 + digits).rev() {
                out[at] = b'0' + (fraction % 10) as u8;
                fraction /= 10;
            }
            20 + digits
        };
        let len = match self.offset {
            None => {
                out[end] = b'Z';
                end + 1
            }
            Some(offset) => {
                out[end] = if offset < 0 { b'-' } else { b'+' };
                let minutes = offset.unsigned_abs() / 60;
                two(out, end + 1, minutes / 60 % 100);
                out[end + 3] = b':';
                two(out, end + 4, minutes % 60);
                end + 6
            }
        };
        crate::ascii::ascii_str(&out[..len]).unwrap_or("")
    }
}

impl serde::Serialize for Rfc3339 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; RFC3339_MAX];
        serializer.serialize_str(self.to_bytes(&mut buf))
    }
}

impl fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; RFC3339_MAX];
        f.write_str(self.to_bytes(&mut buf))
    }
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // (year, month, day) of the day count.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Day count since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`, the inverse of [`civil_from_days`]).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let m = i64::from(month);
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(nanos: i64, precision: Precision) -> String {
        Timestamp::from_nanos(nanos).rfc3339(precision).to_string()
    }

    // Expected strings come from GNU date, e.g. `date -u -d @951782400.5 +%FT%T.%6NZ`.
    #[test]
    fn formats_known_instants() {
        assert_eq!(fmt(0, Precision::SECONDS), "1970-01-01T00:00:00Z");
        assert_eq!(
            fmt(951_782_400_500_000_000, Precision::MICROS),
            "2000-02-29T00:00:00.500000Z"
        );
        assert_eq!(
            fmt(1_767_261_600_123_456_789, Precision::NANOS),
            "2026-01-01T10:00:00.123456789Z"
        );
        assert_eq!(
            fmt(4_102_444_799_999_999_999, Precision::MICROS),
            "2099-12-31T23:59:59.999999Z"
        );
        assert_eq!(
            fmt(-1_000_000_000, Precision::SECONDS),
            "1969-12-31T23:59:59Z"
        );
        assert_eq!(fmt(-1, Precision::NANOS), "1969-12-31T23:59:59.999999999Z");
    }

    #[test]
    fn every_day_round_trips_through_the_calendar() {
        // Walk day by day across leap and century years, checking continuity of the calendar.
        let mut prev = civil_from_days(-800_000);
        for days in -799_999..800_000 {
            let cur = civil_from_days(days);
            let next_day = (prev.0, prev.1, prev.2 + 1);
            let next_month = (prev.0, prev.1 + 1, 1);
            let next_year = (prev.0 + 1, 1, 1);
            assert!(
                cur == next_day || cur == next_month || cur == next_year,
                "{prev:?} -> {cur:?}"
            );
            prev = cur;
        }
    }

    // Expected values from GNU date: `date -u -d 2026-01-01T10:00:00.123456789Z +%s.%N`.
    #[test]
    fn prints_rfc3339_at_an_offset() {
        let ts = Timestamp::from_nanos(1_643_129_441_023_341_461);
        assert_eq!(
            ts.rfc3339_at_offset(Precision::NANOS, -(5 * 3600 + 30 * 60))
                .to_string(),
            "2022-01-25T11:20:41.023341461-05:30"
        );
        assert_eq!(
            ts.rfc3339_at_offset(Precision::SECONDS, 9 * 3600)
                .to_string(),
            "2022-01-26T01:50:41+09:00"
        );
        assert_eq!(
            ts.rfc3339(Precision::digits(3)).to_string(),
            "2022-01-25T16:50:41.023Z"
        );
    }

    #[test]
    fn parses_rfc3339() {
        let parse = |s: &str| Timestamp::parse_rfc3339(s).map(|t| t.as_nanos());
        assert_eq!(
            parse("2026-01-01T10:00:00.123456789Z"),
            Some(1_767_261_600_123_456_789)
        );
        assert_eq!(
            parse("2000-02-29T00:00:00.5Z"),
            Some(951_782_400_500_000_000)
        );
        assert_eq!(
            parse("2026-01-01 12:00:00+02:00"),
            Some(1_767_261_600_000_000_000)
        );
        assert_eq!(parse("1969-12-31T23:59:59Z"), Some(-1_000_000_000));
        assert_eq!(parse("2026-02-29T00:00:00Z"), None);
        assert_eq!(parse("2026-01-01T10:00:00"), None);
        assert_eq!(parse("2026-13-01T10:00:00Z"), None);
        assert_eq!(parse("yesterday"), None);
        for nanos in [0i64, 951_782_400_500_000_000, 4_102_444_799_999_999_999] {
            let text = Timestamp::from_nanos(nanos)
                .rfc3339(Precision::NANOS)
                .to_string();
            assert_eq!(parse(&text), Some(nanos), "{text}");
        }
    }

    #[test]
    fn precision_from_clock_rate() {
        assert_eq!(Precision::for_units_per_sec(1), Precision::SECONDS);
        assert_eq!(Precision::for_units_per_sec(1_000_000), Precision::MICROS);
        assert_eq!(
            Precision::for_units_per_sec(1_000_000_000),
            Precision::NANOS
        );
        assert_eq!(Precision::for_units_per_sec(1 << 20), Precision::digits(7));
        assert_eq!(Precision::for_units_per_sec(u64::MAX), Precision::NANOS);
    }

    #[test]
    fn fraction_scaling_saturates() {
        let ts = Timestamp::from_secs_and_fraction(1, 500, 1000);
        assert_eq!(ts.as_nanos(), 1_500_000_000);
        let huge = Timestamp::from_secs_and_fraction(i64::MAX, u64::MAX, 1);
        assert_eq!(huge, Timestamp::MAX);
    }
}
