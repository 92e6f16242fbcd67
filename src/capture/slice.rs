//! Decoding a capture that is already in memory (a mapped file): the records are parsed where
//! they lie, with no copy into a buffer, by the same parsers and handlers as a stream, so a
//! file and the same bytes through a pipe give identical results.

use pcap_parser::nom::{self, Offset};
use pcap_parser::pcapng::{parse_block_be, parse_block_le};
use pcap_parser::traits::PcapReaderIterator;
use pcap_parser::{
    Block, LegacyPcapBlock, PcapBlockOwned, PcapError, PcapHeader, parse_pcap_frame,
    parse_pcap_frame_be, parse_pcap_frame_modified,
};

use super::block::{LengthOrder, MAX_RECORD_LEN};
use super::pcap_swapped;

/// How often (in bytes of input) the decoder reports its position to its caller, which may
/// release the pages behind it, move a progress bar, or ask it to stop.
pub const CHECKPOINT_INTERVAL: usize = 8 << 20;

type FrameParser = fn(&[u8]) -> nom::IResult<&[u8], LegacyPcapBlock<'_>, PcapError<&[u8]>>;

/// The record grammar of the capture being read.
pub(super) enum Grammar {
    /// Classic pcap: the file header, then records in the modern length order.
    Legacy {
        header: PcapHeader,
        parse: FrameParser,
    },
    /// Classic pcap with the pre-2.3 length order.
    Old {
        header: PcapHeader,
        big_endian: bool,
        order: LengthOrder,
    },
    /// pcapng, whose byte order can change at every section header.
    Ng { big_endian: bool },
}

impl Grammar {
    pub(super) fn legacy(header: PcapHeader) -> Grammar {
        let parse: FrameParser = if header.is_modified_format() {
            parse_pcap_frame_modified
        } else if header.is_bigendian() {
            parse_pcap_frame_be
        } else {
            parse_pcap_frame
        };
        Grammar::Legacy { header, parse }
    }
}

/// A [`PcapReaderIterator`] over a slice that holds the whole capture: it never needs a refill,
/// and a record that runs past the end is a capture cut short.
pub(super) struct SliceReader<'a, C> {
    data: &'a [u8],
    position: usize,
    grammar: Grammar,
    header_delivered: bool,
    next_checkpoint: usize,
    /// Told the position every [`CHECKPOINT_INTERVAL`] bytes; `false` stops the reading there.
    checkpoint: C,
}

impl<'a, C: FnMut(usize) -> bool> SliceReader<'a, C> {
    pub(super) fn new(data: &'a [u8], grammar: Grammar, checkpoint: C) -> Self {
        // pcapng has no separate file header: its section header is its first block.
        let header_delivered = matches!(grammar, Grammar::Ng { .. });
        SliceReader {
            data,
            position: 0,
            grammar,
            header_delivered,
            next_checkpoint: CHECKPOINT_INTERVAL,
            checkpoint,
        }
    }
}

impl<C: FnMut(usize) -> bool> PcapReaderIterator for SliceReader<'_, C> {
    fn next(&mut self) -> Result<(usize, PcapBlockOwned<'_>), PcapError<&[u8]>> {
        if self.position >= self.next_checkpoint {
            self.next_checkpoint = self.position + CHECKPOINT_INTERVAL;
            if !(self.checkpoint)(self.position) {
                return Err(PcapError::Eof);
            }
        }
        if !self.header_delivered {
            self.header_delivered = true;
            if let Grammar::Legacy { header, .. } | Grammar::Old { header, .. } = &self.grammar {
                return Ok((header.size(), PcapBlockOwned::LegacyHeader(header.clone())));
            }
        }
        let rest = &self.data[self.position..];
        if rest.is_empty() {
            return Err(PcapError::Eof);
        }
        // No record is read past the limit a stream's buffer may grow to, so a corrupt length
        // ends the reading here as it would there, instead of swallowing the rest of the file.
        let data = &rest[..rest.len().min(MAX_RECORD_LEN)];
        let parsed = match &mut self.grammar {
            Grammar::Legacy { parse, .. } => {
                parse(data).map(|(rest, block)| (data.offset(rest), PcapBlockOwned::Legacy(block)))
            }
            Grammar::Old {
                big_endian, order, ..
            } => match pcap_swapped::parse_record(data, *big_endian, *order) {
                Ok((len, block)) => Ok((len, PcapBlockOwned::Legacy(block))),
                Err(_) => return Err(PcapError::UnexpectedEof),
            },
            Grammar::Ng { big_endian } => {
                let parse = if *big_endian {
                    parse_block_be
                } else {
                    parse_block_le
                };
                parse(data).map(|(rest, block)| {
                    if let Block::SectionHeader(shb) = &block {
                        *big_endian = shb.big_endian();
                    }
                    (data.offset(rest), PcapBlockOwned::NG(block))
                })
            }
        };
        match parsed {
            Ok(block) => {
                // The next record's header and first bytes, asked for now so they arrive from
                // memory while this one is dissected: on a large capture nearly every record
                // header is a cache miss, which otherwise stalls this loop for its full latency.
                prefetch(data, block.0);
                prefetch(data, block.0 + 64);
                Ok(block)
            }
            // Nothing more will come: wanting more is running past the end (never a refill).
            Err(nom::Err::Error(PcapError::Incomplete(_)))
            | Err(nom::Err::Failure(PcapError::Incomplete(_))) => Err(PcapError::UnexpectedEof),
            Err(nom::Err::Error(e)) | Err(nom::Err::Failure(e)) => Err(e),
            // All the capture is here: a record wanting more runs past its end.
            Err(nom::Err::Incomplete(_)) => Err(PcapError::UnexpectedEof),
        }
    }

    fn consume(&mut self, offset: usize) {
        self.position += offset;
    }

    fn consume_noshift(&mut self, offset: usize) {
        self.position += offset;
    }

    fn consumed(&self) -> usize {
        self.position
    }

    fn refill(&mut self) -> Result<(), PcapError<&[u8]>> {
        Ok(())
    }

    fn position(&self) -> usize {
        self.position
    }

    fn grow(&mut self, _new_size: usize) -> bool {
        false
    }

    fn data(&self) -> &[u8] {
        let rest = &self.data[self.position..];
        &rest[..rest.len().min(MAX_RECORD_LEN)]
    }

    fn reader_exhausted(&self) -> bool {
        true
    }
}

/// Ask for the cache line holding `data[at]`, if there is one.
#[inline(always)]
fn prefetch(data: &[u8], at: usize) {
    if let Some(byte) = data.get(at) {
        crate::hint::prefetch(byte);
    }
}
