//! Cells of the text tables: numbers, sizes, durations and addresses as people read them.
//! Human units (kB, MB, 1m 05s) appear only in text, never in JSON or CSV.

use std::net::IpAddr;

use crate::enrich::CountryCode;

/// 1234567 -> "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes in SI units: "999 B", "1.2 kB", "3.4 MB".
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["kB", "MB", "GB", "TB", "PB", "EB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A fraction as a percentage: "42.0%", "0.3%", "<0.1%".
pub fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    if p > 0.0 && p < 0.05 {
        "<0.1%".to_string()
    } else {
        format!("{p:.1}%")
    }
}

/// A duration for people: "0.021 s", "12.5 s", "2m 05s", "1h 02m", "3d 04h".
pub fn duration(seconds: f64) -> String {
    if seconds < 10.0 {
        return format!("{seconds:.3} s");
    }
    if seconds < 60.0 {
        return format!("{seconds:.1} s");
    }
    let whole = seconds as u64;
    let (d, h, m, s) = (
        whole / 86_400,
        whole / 3600 % 24,
        whole / 60 % 60,
        whole % 60,
    );
    if d > 0 {
        format!("{d}d {h:02}h")
    } else if h > 0 {
        format!("{h}h {m:02}m")
    } else {
        format!("{m}m {s:02}s")
    }
}

/// A horizontal bar `fraction` (0 to 1) of `width` cells long, in eighths of a cell.
pub fn bar(fraction: f64, width: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = (fraction.clamp(0.0, 1.0) * (width * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(PARTS[eighths % 8]);
    }
    if s.is_empty() && fraction > 0.0 {
        s.push('▏');
    }
    s
}

/// What marks a cell as a bar to draw (see [`bar_cell`]): a character no text cell holds.
const BAR_MARK: char = '\u{1}';

/// The glyphs of the parts of a stacked bar, in order.
pub const BAR_GLYPHS: [char; 10] = ['█', '▓', '▒', '░', '▚', '▞', '▤', '▥', '▦', '▧'];

/// A cell of a bar column: parts as fractions (0 to 1, summing to at most 1) of the column's
/// width, drawn at whatever width the table gets (see [`draw_bar`]).
pub fn bar_cell(parts: &[f64]) -> String {
    let mut cell = String::from(BAR_MARK);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            cell.push(' ');
        }
        cell.push_str(&part.clamp(0.0, 1.0).to_string());
    }
    cell
}

/// A cell made by [`bar_cell`], drawn `width` cells wide at most: one part in eighths of a
/// cell, several stacked in the glyphs of [`BAR_GLYPHS`], each at least one cell if it is not
/// zero. Any other cell is returned as it is.
pub fn draw_bar(cell: &str, width: usize) -> std::borrow::Cow<'_, str> {
    let Some(parts) = cell.strip_prefix(BAR_MARK) else {
        return cell.into();
    };
    let parts: Vec<f64> = parts
        .split(' ')
        .filter_map(|p| p.parse::<f64>().ok())
        .collect();
    if let [only] = parts[..] {
        return bar(only, width).into();
    }
    // Cumulative rounding, so the stack's length is the total's.
    let mut drawn = String::new();
    let (mut total, mut used) = (0.0, 0usize);
    for (i, part) in parts.iter().enumerate() {
        total += part;
        let end = ((total.min(1.0) * width as f64).round() as usize).max(if *part > 0.0 {
            used + 1
        } else {
            used
        });
        let end = end.min(width);
        let glyph = BAR_GLYPHS[i % BAR_GLYPHS.len()];
        drawn.extend(std::iter::repeat_n(glyph, end.saturating_sub(used)));
        used = used.max(end);
    }
    drawn.into()
}

/// An address with its port and country: `[2001:db8::1]:443 FR`.
pub fn endpoint(ip: IpAddr, port: Option<u16>, country: Option<CountryCode>) -> String {
    let base = match (ip, port) {
        (IpAddr::V6(v6), Some(port)) => format!("[{v6}]:{port}"),
        (ip, Some(port)) => format!("{ip}:{port}"),
        (ip, None) => ip.to_string(),
    };
    match country {
        Some(c) => format!("{base} {c}"),
        None => base,
    }
}

/// An autonomous system: `AS8075 Microsoft`, `AS8075`, or nothing.
pub fn autonomous_system(asn: Option<u32>, org: Option<&str>) -> String {
    match (asn, org) {
        (Some(n), Some(org)) => format!("AS{n} {org}"),
        (Some(n), None) => format!("AS{n}"),
        (None, _) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_units() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1000), "1.0 kB");
        assert_eq!(bytes(1_234_567), "1.2 MB");
        assert_eq!(bytes(999_960), "1.0 MB");
        assert_eq!(bytes(u64::MAX), "18.4 EB");
        assert_eq!(duration(0.0216), "0.022 s");
        assert_eq!(duration(12.46), "12.5 s");
        assert_eq!(duration(125.0), "2m 05s");
        assert_eq!(duration(3720.0), "1h 02m");
        assert_eq!(duration(273_600.0), "3d 04h");
    }

    #[test]
    fn bars_are_drawn_at_the_width_they_get() {
        assert_eq!(draw_bar(&bar_cell(&[0.5]), 10), "█████");
        assert_eq!(draw_bar(&bar_cell(&[0.55]), 10), "█████▌");
        assert_eq!(draw_bar(&bar_cell(&[0.5, 0.25]), 8), "████▓▓");
        // A part too small to see still takes a cell.
        assert_eq!(draw_bar(&bar_cell(&[0.001, 0.5]), 10), "█▓▓▓▓");
        assert_eq!(draw_bar(&bar_cell(&[0.0, 0.0]), 10), "");
        assert_eq!(draw_bar("plain", 3), "plain");
    }
}
