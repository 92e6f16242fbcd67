//! The flow record as one line of compact JSON, byte for byte what `serde_json::to_writer`
//! prints, written directly: NDJSON of large captures spends most of its time here (tested
//! against serde_json on every flow of every capture, `tests/json_fast_path.rs`). The fields
//! come from the record's one declaration, `view::flows::flow_record_fields!`.

use std::borrow::Cow;
use std::net::IpAddr;

use crate::enrich::CountryCode;
use crate::identify::Fingerprint;
use crate::view::flows::{Flags, FlowRecord, Time, flow_record_fields};
use crate::view::report::Record;

macro_rules! write_flow_json {
    (always: $first:ident $(, $always:ident)*; cities: $($city:ident),+; asns: $($asn:ident),+;) => {
        /// Append `record` to `out` as one line of compact JSON (without the newline).
        pub fn write_flow_json(record: &FlowRecord<'_>, out: &mut Vec<u8>) {
            let mut w = JsonLine { out };
            w.raw(concat!("{\"", stringify!($first), "\":").as_bytes());
            record.$first.write_json(&mut w);
            $(
                w.raw(concat!(",\"", stringify!($always), "\":").as_bytes());
                record.$always.write_json(&mut w);
            )*
            if record.extra.cities {
                $(
                    w.raw(concat!(",\"", stringify!($city), "\":").as_bytes());
                    record.$city.write_json(&mut w);
                )+
            }
            if record.extra.asns {
                $(
                    w.raw(concat!(",\"", stringify!($asn), "\":").as_bytes());
                    record.$asn.write_json(&mut w);
                )+
            }
            w.raw(b"}");
        }
    };
}
flow_record_fields!(write_flow_json);

impl Record for FlowRecord<'_> {
    fn write_json_line(&self, line: &mut Vec<u8>) -> serde_json::Result<()> {
        write_flow_json(self, line);
        Ok(())
    }
}

/// A field's value as JSON.
trait JsonValue {
    fn write_json(&self, w: &mut JsonLine<'_>);
}

impl JsonValue for Cow<'_, str> {
    fn write_json(&self, w: &mut JsonLine<'_>) {
        w.string(self);
    }
}

impl JsonValue for &str {
    fn write_json(&self, w: &mut JsonLine<'_>) {
        w.string(self);
    }
}

impl JsonValue for Option<&str> {
    fn write_json(&self, w: &mut JsonLine<'_>) {
        w.string_or_null(*self);
    }
}

impl JsonValue for IpAddr {
    fn write_json(&self, w: &mut JsonLine<'_>) {
        w.ip(*self);
    }
}

impl JsonValue for u64 {
    fn write_json(&self, w: &mut JsonLine<'_>) {
        w.number(*self);
    }
}

impl JsonValue for Option<u16> {
    fn write_json(&self, w: &mut JsonLine<'_>) {
        w.number_or_null(self.map(u64::from));
    }
}

impl JsonValue for Option<u32> {
    fn write_json(&self, w: &mut JsonLine<'_>) {
        w.number_or_null(self.map(u64::from));
    }
}

impl JsonValue for f64 {
    fn write_json(&self, w: &mut JsonLine<'_>) {
        w.float(*self);
    }
}

impl JsonValue for Time {
    fn write_json(&self, w: &mut JsonLine<'_>) {
        let mut buf = [0u8; crate::capture::RFC3339_MAX];
        w.string_or_null(self.text(&mut buf));
    }
}

impl JsonValue for Option<Flags> {
    fn write_json(&self, w: &mut JsonLine<'_>) {
        let mut letters = [0u8; 8];
        w.string_or_null(self.map(|f| f.letters(&mut letters)));
    }
}

impl JsonValue for Option<Fingerprint> {
    fn write_json(&self, w: &mut JsonLine<'_>) {
        w.fingerprint_or_null(*self);
    }
}

impl JsonValue for Option<CountryCode> {
    fn write_json(&self, w: &mut JsonLine<'_>) {
        w.string_or_null(self.as_ref().map(|c| c.as_str()));
    }
}

/// Whether any of the eight bytes in `word` is a control character, `"` or `\\` (exact: the
/// borrow of one byte's subtraction can only flag a byte above one that matches).
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    below_space
        | has_zero(word ^ (ONES * u64::from(b'"')))
        | has_zero(word ^ (ONES * u64::from(b'\\')))
        != 0
}

/// Eight bytes of `bytes` as a word: those at `at`, else the last eight, else all of them
/// padded with spaces (which need no escaping).
fn word_at(bytes: &[u8], at: usize) -> u64 {
    let eight = |b: &[u8]| <[u8; 8]>::try_from(b).ok().map(u64::from_le_bytes);
    if let Some(word) = bytes.get(at..at + 8).and_then(eight) {
        return word;
    }
    if let Some(word) = bytes
        .len()
        .checked_sub(8)
        .and_then(|last| bytes.get(last..))
        .and_then(eight)
    {
        return word;
    }
    let mut padded = [b' '; 8];
    for (to, from) in padded.iter_mut().zip(&bytes[at.min(bytes.len())..]) {
        *to = *from;
    }
    u64::from_le_bytes(padded)
}

/// Compact JSON pieces, escaped the way serde_json escapes.
struct JsonLine<'o> {
    out: &'o mut Vec<u8>,
}

impl JsonLine<'_> {
    fn raw(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    fn number(&mut self, n: u64) {
        self.raw(itoa::Buffer::new().format(n).as_bytes());
    }

    fn number_or_null(&mut self, n: Option<u64>) {
        match n {
            Some(n) => self.number(n),
            None => self.raw(b"null"),
        }
    }

    fn float(&mut self, f: f64) {
        if f.is_finite() {
            self.raw(ryu::Buffer::new().format_finite(f).as_bytes());
        } else {
            self.raw(b"null");
        }
    }

    fn string(&mut self, s: &str) {
        let bytes = s.as_bytes();
        self.out.reserve(bytes.len() + 2);
        self.out.push(b'"');
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            // Eight bytes at a time while none needs escaping: names, addresses and user
            // agents almost never do. The last few are read with the bytes before them (read
            // again: they need no escaping, or were handled one by one), or padded.
            if !needs_escape(word_at(bytes, i)) {
                i += 8;
                continue;
            }
            let b = bytes[i];
            let escape: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0c => b"\\f",
                0..=0x1f => {
                    self.out.extend_from_slice(&bytes[start..i]);
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.out.extend_from_slice(b"\\u00");
                    self.out.push(HEX[usize::from(b >> 4)]);
                    self.out.push(HEX[usize::from(b & 0xf)]);
                    i += 1;
                    start = i;
                    continue;
                }
                _ => {
                    i += 1;
                    continue;
                }
            };
            self.out.extend_from_slice(&bytes[start..i]);
            self.out.extend_from_slice(escape);
            i += 1;
            start = i;
        }
        self.out.extend_from_slice(&bytes[start..]);
        self.out.push(b'"');
    }

    /// Hex digits need no escaping.
    fn fingerprint_or_null(&mut self, fingerprint: Option<Fingerprint>) {
        match fingerprint {
            Some(f) => {
                self.out.push(b'"');
                self.raw(f.hex().as_str().as_bytes());
                self.out.push(b'"');
            }
            None => self.raw(b"null"),
        }
    }

    fn string_or_null(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.string(s),
            None => self.raw(b"null"),
        }
    }

    fn ip(&mut self, ip: IpAddr) {
        match ip {
            IpAddr::V4(v4) => {
                self.out.push(b'"');
                for (i, octet) in v4.octets().iter().enumerate() {
                    if i > 0 {
                        self.out.push(b'.');
                    }
                    self.raw(itoa::Buffer::new().format(*octet).as_bytes());
                }
                self.out.push(b'"');
            }
            IpAddr::V6(v6) => {
                use std::io::Write;
                self.out.push(b'"');
                let _ = write!(self.out, "{v6}");
                self.out.push(b'"');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_line_escapes_like_serde_json() {
        for text in [
            "plain",
            "quote \" back \\ slash",
            "tab\tnew\nline\r",
            "\u{1}\u{1f}\u{7f}",
            "Zürich 東京",
        ] {
            let mut out = Vec::new();
            JsonLine { out: &mut out }.string(text);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(text).unwrap()
            );
        }
        // Every ASCII byte at every place of strings around the eight-byte fast path, and
        // pseudo-random mixes of escapes, plain text and multi-byte characters.
        let check = |text: &str| {
            let mut out = Vec::new();
            JsonLine { out: &mut out }.string(text);
            assert_eq!(out, serde_json::to_vec(text).unwrap(), "{text:?}");
        };
        for len in 1..=18 {
            for at in 0..len {
                for b in 0..=0x7fu8 {
                    let mut text = vec![b'x'; len];
                    text[at] = b;
                    check(std::str::from_utf8(&text).unwrap());
                }
            }
        }
        let pieces = [
            "a", "\"", "\\", "\n", "\u{1}", "\u{1f}", " ", "é", "東", "\u{7f}", "~",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..5000 {
            let mut text = String::new();
            for _ in 0..(state % 40) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            check(&text);
        }
        for f in [0.0, 1.5, 0.000123, 349780390.355768, 1e-9] {
            let mut out = Vec::new();
            JsonLine { out: &mut out }.float(f);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&f).unwrap()
            );
        }
    }
}
