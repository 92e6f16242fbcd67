//! What the format readers share, below all of them: the handler each format implements, the
//! largest record accepted, the two orders of classic pcap's record lengths, and reading a
//! field in a file's byte order.

use pcap_parser::PcapBlockOwned;

use super::{Frame, ReadOutcome};

/// Largest record or block we accept. Real packets stop at 256 KiB (the largest snaplen tools
/// write); anything near this is a corrupt length field, and growing the buffer to follow it
/// would let one bad header claim gigabytes of memory.
pub const MAX_RECORD_LEN: usize = 64 << 20;

/// What a format-specific handler does with the blocks the parser yields.
pub(super) trait BlockHandler {
    fn handle(&mut self, block: PcapBlockOwned<'_>, on_frame: &mut dyn FnMut(&Frame<'_>));
    /// Describe the incomplete record at the start of `data` (the tail of a cut stream).
    fn describe_incomplete(&self, data: &[u8]) -> String;
    /// The length the record at the start of `data` claims, header included, if readable.
    fn claimed_len(&self, data: &[u8]) -> Option<u64>;
    fn finish(self, outcome: &mut ReadOutcome);
}

/// How a classic pcap file orders a record's captured and original lengths, when not in the
/// modern order (captured first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LengthOrder {
    /// Original length first, captured length second.
    Swapped,
    /// Swapped only where the modern reading would capture more than the wire carried.
    MaybeSwapped,
}

impl LengthOrder {
    /// (captured, original) from the two length fields in file order.
    pub(super) fn captured_and_original(self, first: u32, second: u32) -> (u32, u32) {
        match self {
            LengthOrder::Swapped => (second, first),
            LengthOrder::MaybeSwapped if first > second => (second, first),
            LengthOrder::MaybeSwapped => (first, second),
        }
    }
}

/// The `u16` at `at` in the file's byte order, if `data` holds it.
pub(super) fn u16_at(data: &[u8], at: usize, big_endian: bool) -> Option<u16> {
    let b: [u8; 2] = data.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(if big_endian {
        u16::from_be_bytes(b)
    } else {
        u16::from_le_bytes(b)
    })
}

/// The `u32` at `at` in the file's byte order, if `data` holds it.
pub(super) fn u32_at(data: &[u8], at: usize, big_endian: bool) -> Option<u32> {
    let b: [u8; 4] = data.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(if big_endian {
        u32::from_be_bytes(b)
    } else {
        u32::from_le_bytes(b)
    })
}

/// The `i64` at `at` in the file's byte order, if `data` holds it.
pub(super) fn i64_at(data: &[u8], at: usize, big_endian: bool) -> Option<i64> {
    let b: [u8; 8] = data.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(if big_endian {
        i64::from_be_bytes(b)
    } else {
        i64::from_le_bytes(b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_in_either_byte_order() {
        let data = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        assert_eq!(u16_at(&data, 0, false), Some(0x0201));
        assert_eq!(u16_at(&data, 0, true), Some(0x0102));
        assert_eq!(u32_at(&data, 1, true), Some(0x0203_0405));
        assert_eq!(i64_at(&data, 1, false), Some(0x0908_0706_0504_0302));
        assert_eq!(u32_at(&data, 6, false), None);
        assert_eq!(u16_at(&data, usize::MAX, false), None);
    }

    #[test]
    fn length_orders() {
        assert_eq!(LengthOrder::Swapped.captured_and_original(60, 40), (40, 60));
        assert_eq!(
            LengthOrder::MaybeSwapped.captured_and_original(60, 40),
            (40, 60)
        );
        assert_eq!(
            LengthOrder::MaybeSwapped.captured_and_original(40, 60),
            (40, 60)
        );
    }
}
