//! Classic libpcap: one file header, then records of (timestamp, captured length, original
//! length, data), in the byte order the magic announces.

use pcap_parser::PcapBlockOwned;

use super::block::{BlockHandler, LengthOrder, u16_at, u32_at};
use super::{CaptureError, CaptureFormat, Frame, Precision, ReadOutcome, Timestamp};

const FILE_HEADER_LEN: usize = 24;

pub(super) struct PcapHandler {
    big_endian: bool,
    length_order: Option<LengthOrder>,
    record_header_len: usize,
    units_per_sec: u64,
    precision: Precision,
    linktype: u32,
    frames: u64,
}

impl PcapHandler {
    /// Check the 24-byte file header ourselves, so a damaged one gets a precise message.
    pub(super) fn check_header(data: &[u8], format: CaptureFormat) -> Result<Self, CaptureError> {
        let bad = |detail: String| CaptureError::BadHeader {
            format: format.name(),
            detail,
        };
        if data.len() < FILE_HEADER_LEN {
            return Err(bad(format!(
                "file header cut short ({} of {FILE_HEADER_LEN} bytes)",
                data.len()
            )));
        }
        let magic = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
        let big_endian = magic & 0xffff == 0xb2a1;
        // The header's length was checked above: every field is there.
        let field16 = |at: usize| u16_at(data, at, big_endian).unwrap_or(0);
        let (major, minor) = (field16(4), field16(6));
        // Format 2.3 swapped the order of the two record lengths; files before it (and DG/UX's
        // 543.0) use the old order, and some 2.3 writers kept it too.
        let length_order = match (major, minor) {
            (2, 0..=2) | (543, _) => Some(LengthOrder::Swapped),
            (2, 3) => Some(LengthOrder::MaybeSwapped),
            (2, _) => None,
            _ => {
                return Err(bad(format!(
                    "version {major}.{minor}, expected 2.x (libpcap writes 2.4)"
                )));
            }
        };
        let units_per_sec = if matches!(magic, 0xa1b2_3c4d | 0x4d3c_b2a1) {
            1_000_000_000
        } else {
            1_000_000
        };
        // The upper 16 bits of the link-type field carry FCS flags in newer files; the link
        // type proper is the low 16 bits.
        let linktype = u32_at(data, 20, big_endian).unwrap_or(0) & 0xffff;
        Ok(PcapHandler {
            big_endian,
            length_order: if format == CaptureFormat::PcapModified {
                None
            } else {
                length_order
            },
            record_header_len: if format == CaptureFormat::PcapModified {
                24
            } else {
                16
            },
            units_per_sec,
            precision: Precision::for_units_per_sec(units_per_sec),
            linktype,
            frames: 0,
        })
    }

    /// The old record-length order, when the file uses it.
    pub(super) fn length_order(&self) -> Option<LengthOrder> {
        self.length_order
    }

    pub(super) fn big_endian(&self) -> bool {
        self.big_endian
    }

    /// The captured length a record header at the start of `data` announces.
    fn captured_len(&self, data: &[u8]) -> Option<u32> {
        let first = u32_at(data, 8, self.big_endian)?;
        let second = u32_at(data, 12, self.big_endian);
        Some(match (self.length_order, second) {
            (Some(order), Some(second)) => order.captured_and_original(first, second).0,
            _ => first,
        })
    }
}

impl BlockHandler for PcapHandler {
    fn handle(&mut self, block: PcapBlockOwned<'_>, on_frame: &mut dyn FnMut(&Frame<'_>)) {
        if let PcapBlockOwned::Legacy(record) = block {
            self.frames += 1;
            let caplen = record.data.len() as u32;
            on_frame(&Frame {
                number: self.frames,
                timestamp: Timestamp::from_secs_and_fraction(
                    i64::from(record.ts_sec),
                    u64::from(record.ts_usec),
                    self.units_per_sec,
                ),
                linktype: self.linktype,
                // A record can claim a wire length below what it captured; the wire held at
                // least the captured bytes.
                orig_len: record.origlen.max(caplen),
                data: record.data,
                precision: self.precision,
            });
        }
    }

    fn describe_incomplete(&self, data: &[u8]) -> String {
        let packet = self.frames + 1;
        match self.captured_len(data) {
            Some(caplen) if data.len() >= self.record_header_len => format!(
                "packet {packet} needs {} bytes, only {} present",
                self.record_header_len as u64 + u64::from(caplen),
                data.len()
            ),
            _ => format!(
                "record header of packet {packet} cut short ({} of {} bytes)",
                data.len(),
                self.record_header_len
            ),
        }
    }

    fn claimed_len(&self, data: &[u8]) -> Option<u64> {
        let caplen = self.captured_len(data)?;
        Some(self.record_header_len as u64 + u64::from(caplen))
    }

    fn finish(self, outcome: &mut ReadOutcome) {
        outcome.frames = self.frames;
        outcome.precision = Some(self.precision);
    }
}
