//! Capture decoding: turns a byte stream (pcap or pcapng, any byte order, any timestamp
//! resolution) into frames, streaming, with memory bounded by the largest record.
//!
//! The format is recognised from the magic bytes, never from the file name: several real
//! `.pcap` files are pcapng inside.

mod block;
mod pcap;
mod pcap_swapped;
mod pcapng;
mod reader;
mod slice;
pub mod timestamp;

use std::io::Read;

use thiserror::Error;

pub use block::MAX_RECORD_LEN;
pub use slice::CHECKPOINT_INTERVAL;
pub use timestamp::{Precision, RFC3339_MAX, Rfc3339, Timestamp};

/// One captured packet, borrowed from the decoder's buffer.
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    /// 1-based position of the packet in its file, as Wireshark numbers frames.
    pub number: u64,
    /// [`Timestamp::UNKNOWN`] for a packet the format gives no time.
    pub timestamp: Timestamp,
    /// The LINKTYPE_ value of the interface the packet was captured on.
    pub linktype: u32,
    /// Length of the packet on the wire; `data` may be shorter (snaplen).
    pub orig_len: u32,
    pub data: &'a [u8],
    /// The finest timestamp precision of the input so far, for views that print times while
    /// the capture is still being read.
    pub precision: Precision,
}

/// The container formats we read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaptureFormat {
    /// Classic libpcap, either byte order, microsecond or nanosecond.
    Pcap,
    /// Alexey Kuznetzov's "modified" libpcap (24-byte record headers).
    PcapModified,
    PcapNg,
}

impl CaptureFormat {
    pub fn name(self) -> &'static str {
        match self {
            CaptureFormat::Pcap => "pcap",
            CaptureFormat::PcapModified => "modified pcap",
            CaptureFormat::PcapNg => "pcapng",
        }
    }
}

/// Why a stream cannot be read as a capture at all.
#[derive(Debug, Error)]
pub enum CaptureError {
    #[error("empty input, not a capture")]
    Empty,
    #[error("not a capture file: {0}")]
    NotACapture(String),
    #[error("unsupported capture format: {0}")]
    Unsupported(String),
    #[error("corrupt {format} file header: {detail}")]
    BadHeader {
        format: &'static str,
        detail: String,
    },
    #[error("read error after offset {offset}: {source}")]
    Read { offset: u64, source: std::io::Error },
}

/// How a capture stream ended, once every readable frame was delivered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOutcome {
    pub format: Option<CaptureFormat>,
    /// Packet records delivered.
    pub frames: u64,
    /// Bytes of the stream consumed by complete blocks and headers.
    pub bytes_consumed: u64,
    /// Finest timestamp precision among the capture's interfaces.
    pub precision: Option<Precision>,
    /// Set when the stream ended before its last record was complete, or in a corrupt record.
    /// Every frame before it was delivered.
    pub cut_short: Option<String>,
    /// Problems that did not stop the reading (for example a packet on an undeclared interface).
    pub notes: Vec<String>,
}

/// Recognise the container format from the first bytes of a stream.
pub fn detect_format(prefix: &[u8]) -> Result<CaptureFormat, CaptureError> {
    if prefix.is_empty() {
        return Err(CaptureError::Empty);
    }
    if prefix.len() < 4 {
        return Err(CaptureError::NotACapture(format!(
            "only {} bytes, shorter than any capture header",
            prefix.len()
        )));
    }
    let magic = [prefix[0], prefix[1], prefix[2], prefix[3]];
    match u32::from_le_bytes(magic) {
        0xa1b2_c3d4 | 0xa1b2_3c4d | 0xd4c3_b2a1 | 0x4d3c_b2a1 => return Ok(CaptureFormat::Pcap),
        0xa1b2_cd34 => return Ok(CaptureFormat::PcapModified),
        0x34cd_b2a1 => {
            return Err(CaptureError::Unsupported(
                "big-endian modified pcap (magic 0xa1b2cd34 byte-swapped)".into(),
            ));
        }
        0x0a0d_0d0a => return Ok(CaptureFormat::PcapNg),
        _ => {}
    }
    Err(CaptureError::NotACapture(describe_foreign_bytes(prefix)))
}

/// Say what a non-capture input looks like, so that an HTML error page or a gzip file gets a
/// message that tells the user what to do.
fn describe_foreign_bytes(prefix: &[u8]) -> String {
    let magic = u32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]);
    let hint = if prefix.starts_with(&[0x1f, 0x8b]) {
        Some("gzip-compressed data: decompress it first (gunzip)")
    } else if prefix.starts_with(b"BZh") {
        Some("bzip2-compressed data: decompress it first (bunzip2)")
    } else if prefix.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Some("zstd-compressed data: decompress it first (unzstd)")
    } else if prefix.starts_with(b"PK\x03\x04") {
        Some("a zip archive: extract the capture first")
    } else if prefix.starts_with(b"\xef\xbb\xbf<") || looks_like_markup(prefix) {
        Some("text markup (an HTML or XML document, such as an error page)")
    } else if prefix.starts_with(b"{") || prefix.starts_with(b"[") {
        Some("JSON text")
    } else if prefix.starts_with(b"snoop\0\0\0") {
        Some("a Solaris snoop capture: convert it with `editcap -F pcap`")
    } else if prefix
        .iter()
        .take(64)
        .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
    {
        Some("plain text")
    } else {
        None
    };
    match hint {
        Some(hint) => format!("unknown magic 0x{magic:08x}, looks like {hint}"),
        None => format!("unknown magic 0x{magic:08x} (expected pcap or pcapng)"),
    }
}

fn looks_like_markup(prefix: &[u8]) -> bool {
    let start = prefix.iter().position(|b| !b.is_ascii_whitespace());
    start.is_some_and(|i| prefix[i] == b'<')
}

/// Decode one capture stream, calling `on_frame` for every packet record in order.
///
/// Returns an error when the stream is not usable as a capture (unknown magic, corrupt file
/// header) or could not be read (a read error, at any point). Damage inside the capture ends
/// the stream early and is reported in [`ReadOutcome::cut_short`], with every earlier frame
/// delivered.
pub fn decode<R: Read>(
    input: R,
    on_frame: impl FnMut(&Frame<'_>),
) -> Result<ReadOutcome, CaptureError> {
    reader::decode_stream(input, on_frame)
}

/// Decode a capture held whole in memory (a mapped file) in place, with the same results as
/// [`decode`] on the same bytes. `checkpoint` is told the offset reached every
/// [`CHECKPOINT_INTERVAL`] bytes (to release pages behind it or move a progress bar); returning
/// `false` stops the decoding there, as the end of a stream would.
pub fn decode_slice(
    data: &[u8],
    checkpoint: impl FnMut(usize) -> bool,
    on_frame: impl FnMut(&Frame<'_>),
) -> Result<ReadOutcome, CaptureError> {
    reader::decode_slice(data, checkpoint, on_frame)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_every_magic() {
        let cases: [(&[u8], CaptureFormat); 6] = [
            (&[0xd4, 0xc3, 0xb2, 0xa1], CaptureFormat::Pcap),
            (&[0xa1, 0xb2, 0xc3, 0xd4], CaptureFormat::Pcap),
            (&[0x4d, 0x3c, 0xb2, 0xa1], CaptureFormat::Pcap),
            (&[0xa1, 0xb2, 0x3c, 0x4d], CaptureFormat::Pcap),
            (&[0x34, 0xcd, 0xb2, 0xa1], CaptureFormat::PcapModified),
            (&[0x0a, 0x0d, 0x0d, 0x0a], CaptureFormat::PcapNg),
        ];
        for (magic, format) in cases {
            assert_eq!(detect_format(magic).ok(), Some(format), "{magic:02x?}");
        }
    }

    #[test]
    fn names_foreign_inputs() {
        let html = detect_format(b"<!DOCTYPE html><html>")
            .unwrap_err()
            .to_string();
        assert!(html.contains("HTML or XML"), "{html}");
        let xml = detect_format(b"\xef\xbb\xbf<?xml version")
            .unwrap_err()
            .to_string();
        assert!(xml.contains("HTML or XML"), "{xml}");
        let gz = detect_format(&[0x1f, 0x8b, 8, 0, 0, 0])
            .unwrap_err()
            .to_string();
        assert!(gz.contains("gunzip"), "{gz}");
        let empty = detect_format(b"").unwrap_err().to_string();
        assert_eq!(empty, "empty input, not a capture");
        let short = detect_format(b"ab").unwrap_err().to_string();
        assert!(short.contains("only 2 bytes"), "{short}");
        let binary = detect_format(&[0, 1, 2, 3, 0xff]).unwrap_err().to_string();
        assert_eq!(
            binary,
            "not a capture file: unknown magic 0x00010203 (expected pcap or pcapng)"
        );
    }
}
