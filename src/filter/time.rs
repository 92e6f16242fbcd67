//! Times in filters: RFC 3339, or relative to the capture's first packet (`+10m`).

use std::str::FromStr;

use crate::capture::Timestamp;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeBound {
    At(Timestamp),
    /// Nanoseconds after the capture's first packet.
    AfterStart(u64),
}

impl TimeBound {
    /// The bound as a time, given the capture's start (unknown for an empty capture).
    pub fn resolve(self, capture_start: Option<Timestamp>) -> Option<Timestamp> {
        match self {
            TimeBound::At(t) => Some(t),
            TimeBound::AfterStart(nanos) => capture_start.map(|start| {
                Timestamp::from_nanos(
                    start
                        .as_nanos()
                        .saturating_add(nanos.min(i64::MAX as u64) as i64),
                )
            }),
        }
    }
}

impl FromStr for TimeBound {
    type Err = String;

    fn from_str(text: &str) -> Result<TimeBound, String> {
        if let Some(relative) = text.strip_prefix('+') {
            return parse_duration(relative)
                .map(TimeBound::AfterStart)
                .ok_or_else(|| format!("'{text}': expected +DURATION such as +90s, +10m, +1h"));
        }
        Timestamp::parse_rfc3339(text)
            .map(TimeBound::At)
            .ok_or_else(|| {
                format!("'{text}' is not a time: use RFC 3339 (2026-01-01T10:00:00Z) or +10m")
            })
    }
}

/// "90", "90s", "1.5m", "10m", "2h", "250ms" -> nanoseconds.
pub fn parse_duration(text: &str) -> Option<u64> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    let scale = match unit {
        "" | "s" => 1e9,
        "ms" => 1e6,
        "us" => 1e3,
        "m" | "min" => 60e9,
        "h" => 3600e9,
        "d" => 86_400e9,
        _ => return None,
    };
    let nanos = value * scale;
    (0.0..=1e18)
        .contains(&nanos)
        .then_some(nanos.round() as u64)
}
