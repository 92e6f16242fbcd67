//! Classic pcap files older than format 2.3 (and DG/UX's 543.0) store a record's captured and
//! original lengths the other way round; some 2.3 files do too. libpcap and Wireshark swap
//! them back (always before 2.3, and in 2.3 when the captured length exceeds the original),
//! and so do we: pcap-parser's reader knows only the modern order, so this is a reader of the
//! same shape for the old one.

use std::io::Read;

use circular::Buffer;
use pcap_parser::traits::PcapReaderIterator;
use pcap_parser::{LegacyPcapBlock, PcapBlockOwned, PcapError};

use super::block::{LengthOrder, u32_at};

pub(super) struct SwappedLengthsReader<R> {
    reader: R,
    buffer: Buffer,
    big_endian: bool,
    order: LengthOrder,
    header_delivered: bool,
    header: pcap_parser::PcapHeader,
    exhausted: bool,
}

impl<R: Read> SwappedLengthsReader<R> {
    /// `buffer` holds the start of the file, file header included; the first block delivered is
    /// that header.
    pub(super) fn from_buffer(
        buffer: Buffer,
        reader: R,
        big_endian: bool,
        order: LengthOrder,
    ) -> Result<Self, PcapError<&'static [u8]>> {
        let header = match pcap_parser::parse_pcap_header(buffer.data()) {
            Ok((_, header)) => header,
            Err(_) => return Err(PcapError::HeaderNotRecognized),
        };
        Ok(SwappedLengthsReader {
            reader,
            buffer,
            big_endian,
            order,
            header_delivered: false,
            header,
            exhausted: false,
        })
    }
}

/// The record at the start of `data` and its length, header included; or, when `data` holds
/// only part of it, the length it needs.
pub(super) fn parse_record(
    data: &[u8],
    big_endian: bool,
    order: LengthOrder,
) -> Result<(usize, LegacyPcapBlock<'_>), usize> {
    if data.len() < 16 {
        return Err(16);
    }
    // The record header's 16 bytes are there: every field reads.
    let field = |at: usize| u32_at(data, at, big_endian).unwrap_or(0);
    let (caplen, origlen) = order.captured_and_original(field(8), field(12));
    let total = (caplen as usize).checked_add(16).ok_or(usize::MAX)?;
    if data.len() < total {
        return Err(total);
    }
    let block = LegacyPcapBlock {
        ts_sec: field(0),
        ts_usec: field(4),
        caplen,
        origlen,
        data: &data[16..total],
    };
    Ok((total, block))
}

impl<R: Read> PcapReaderIterator for SwappedLengthsReader<R> {
    fn next(&mut self) -> Result<(usize, PcapBlockOwned<'_>), PcapError<&[u8]>> {
        if !self.header_delivered {
            self.header_delivered = true;
            return Ok((24, PcapBlockOwned::LegacyHeader(self.header.clone())));
        }
        let data = self.buffer.data();
        if data.is_empty() && self.exhausted {
            return Err(PcapError::Eof);
        }
        match parse_record(data, self.big_endian, self.order) {
            Ok((total, block)) => Ok((total, PcapBlockOwned::Legacy(block))),
            Err(_) if self.exhausted => Err(PcapError::UnexpectedEof),
            Err(needed) if needed >= self.buffer.capacity() => Err(PcapError::BufferTooSmall),
            Err(needed) => Err(PcapError::Incomplete(needed - data.len())),
        }
    }

    fn consume(&mut self, offset: usize) {
        self.buffer.consume(offset);
    }

    fn consume_noshift(&mut self, offset: usize) {
        self.buffer.consume_noshift(offset);
    }

    fn consumed(&self) -> usize {
        0
    }

    fn refill(&mut self) -> Result<(), PcapError<&[u8]>> {
        self.buffer.shift();
        let space = self.buffer.space();
        if space.is_empty() {
            return Ok(());
        }
        let read = self.reader.read(space).map_err(|_| PcapError::ReadError)?;
        self.exhausted = read == 0;
        self.buffer.fill(read);
        Ok(())
    }

    fn position(&self) -> usize {
        self.buffer.position()
    }

    fn grow(&mut self, new_size: usize) -> bool {
        self.buffer.grow(new_size)
    }

    fn data(&self) -> &[u8] {
        self.buffer.data()
    }

    fn reader_exhausted(&self) -> bool {
        self.exhausted
    }
}
