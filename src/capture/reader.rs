//! The streaming loop shared by both container formats: fill a bounded buffer, hand complete
//! blocks to the format's block handler, and turn every way a stream can end into either a clean
//! end, a flagged cut, or (before the file header is read) an error.

use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;

use circular::Buffer;
use pcap_parser::nom;
use pcap_parser::traits::PcapReaderIterator;
use pcap_parser::{LegacyPcapReader, PcapError, PcapNGReader};

use super::block::{BlockHandler, MAX_RECORD_LEN};
use super::pcap::PcapHandler;
use super::pcap_swapped::SwappedLengthsReader;
use super::pcapng::PcapNgHandler;
use super::slice::{Grammar, SliceReader};
use super::{CaptureError, CaptureFormat, Frame, ReadOutcome, detect_format};

/// Reads are issued in chunks of this size: large enough that refills are rare, small enough to
/// stay in cache.
const BUFFER_CAPACITY: usize = 1 << 20;

/// A reader that retries interrupted reads and keeps the last I/O error, because the parser
/// reports read failures without their cause.
struct ErrorTrap<R> {
    inner: R,
    last_error: Rc<RefCell<Option<io::Error>>>,
}

impl<R: Read> Read for ErrorTrap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.inner.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let copy = io::Error::new(e.kind(), e.to_string());
                    *self.last_error.borrow_mut() = Some(e);
                    return Err(copy);
                }
                ok => return ok,
            }
        }
    }
}

pub(super) fn decode_stream<R: Read>(
    input: R,
    mut on_frame: impl FnMut(&Frame<'_>),
) -> Result<ReadOutcome, CaptureError> {
    let last_error = Rc::new(RefCell::new(None));
    let mut input = ErrorTrap {
        inner: input,
        last_error: Rc::clone(&last_error),
    };
    let mut buffer = Buffer::with_capacity(BUFFER_CAPACITY);
    // Fill the whole first buffer: the parsers expect the file header (and pcapng's section
    // header with its options) to be present in one piece, while pipes deliver a few KiB a read.
    loop {
        let space = buffer.space();
        if space.is_empty() {
            break;
        }
        match input.read(space) {
            Ok(0) => break,
            Ok(n) => {
                buffer.fill(n);
            }
            Err(source) => {
                return Err(CaptureError::Read {
                    offset: buffer.available_data() as u64,
                    source,
                });
            }
        }
    }
    let format = detect_format(buffer.data())?;
    let mut outcome = ReadOutcome {
        format: Some(format),
        ..ReadOutcome::default()
    };
    match format {
        CaptureFormat::Pcap | CaptureFormat::PcapModified => {
            let handler = PcapHandler::check_header(buffer.data(), format)?;
            let bad_header = |e: PcapError<&[u8]>| CaptureError::BadHeader {
                format: format.name(),
                detail: e.to_string(),
            };
            match handler.length_order() {
                None => {
                    let reader =
                        LegacyPcapReader::from_buffer(buffer, input).map_err(bad_header)?;
                    drive(reader, handler, &last_error, &mut on_frame, &mut outcome)?;
                }
                Some(order) => {
                    let big_endian = handler.big_endian();
                    let reader =
                        SwappedLengthsReader::from_buffer(buffer, input, big_endian, order)
                            .map_err(bad_header)?;
                    drive(reader, handler, &last_error, &mut on_frame, &mut outcome)?;
                }
            }
        }
        CaptureFormat::PcapNg => {
            let handler = PcapNgHandler::check_header(buffer.data())?;
            let reader =
                PcapNGReader::from_buffer(buffer, input).map_err(|e| CaptureError::BadHeader {
                    format: format.name(),
                    detail: match e {
                        PcapError::Incomplete(_) => {
                            "section header block is longer than the file".into()
                        }
                        other => other.to_string(),
                    },
                })?;
            drive(reader, handler, &last_error, &mut on_frame, &mut outcome)?;
        }
    }
    Ok(outcome)
}

/// Decode a capture held whole in memory; `checkpoint` is told the position every
/// [`CHECKPOINT_INTERVAL`](super::slice::CHECKPOINT_INTERVAL) bytes and stops the reading by
/// returning `false`.
pub(super) fn decode_slice(
    data: &[u8],
    checkpoint: impl FnMut(usize) -> bool,
    mut on_frame: impl FnMut(&Frame<'_>),
) -> Result<ReadOutcome, CaptureError> {
    let format = detect_format(data)?;
    let mut outcome = ReadOutcome {
        format: Some(format),
        ..ReadOutcome::default()
    };
    let bad_header = |e: nom::Err<PcapError<&[u8]>>| CaptureError::BadHeader {
        format: format.name(),
        detail: match e {
            nom::Err::Error(e) | nom::Err::Failure(e) => e.to_string(),
            nom::Err::Incomplete(_) if format == CaptureFormat::PcapNg => {
                "section header block is longer than the file".into()
            }
            nom::Err::Incomplete(_) => "file header cut short".into(),
        },
    };
    match format {
        CaptureFormat::Pcap | CaptureFormat::PcapModified => {
            let handler = PcapHandler::check_header(data, format)?;
            let (_, header) = pcap_parser::parse_pcap_header(data).map_err(bad_header)?;
            let grammar = match handler.length_order() {
                None => Grammar::legacy(header),
                Some(order) => Grammar::Old {
                    header,
                    big_endian: handler.big_endian(),
                    order,
                },
            };
            drive_in_place(
                data,
                grammar,
                checkpoint,
                handler,
                &mut on_frame,
                &mut outcome,
            )?;
        }
        CaptureFormat::PcapNg => {
            let handler = PcapNgHandler::check_header(data)?;
            pcap_parser::pcapng::parse_sectionheaderblock(data).map_err(bad_header)?;
            let grammar = Grammar::Ng { big_endian: false };
            drive_in_place(
                data,
                grammar,
                checkpoint,
                handler,
                &mut on_frame,
                &mut outcome,
            )?;
        }
    }
    Ok(outcome)
}

fn drive_in_place<H: BlockHandler>(
    data: &[u8],
    grammar: Grammar,
    checkpoint: impl FnMut(usize) -> bool,
    handler: H,
    on_frame: &mut dyn FnMut(&Frame<'_>),
    outcome: &mut ReadOutcome,
) -> Result<(), CaptureError> {
    // Nothing can fail to be read from memory.
    let no_read_errors = Rc::new(RefCell::new(None));
    let reader = SliceReader::new(data, grammar, checkpoint);
    drive(reader, handler, &no_read_errors, on_frame, outcome)
}

/// The parser's answer with the buffer borrow dropped, so the loop can act on the reader.
enum Step {
    Block(usize),
    End,
    NeedMore,
    TooSmall,
    CutShort,
    ReadFailed,
    Corrupt(String),
}

fn drive<P: PcapReaderIterator, H: BlockHandler>(
    mut reader: P,
    mut handler: H,
    last_error: &Rc<RefCell<Option<io::Error>>>,
    on_frame: &mut dyn FnMut(&Frame<'_>),
    outcome: &mut ReadOutcome,
) -> Result<(), CaptureError> {
    let mut offset: u64 = 0;
    loop {
        let step = match reader.next() {
            Ok((len, block)) => {
                handler.handle(block, on_frame);
                Step::Block(len)
            }
            Err(PcapError::Eof) => Step::End,
            Err(PcapError::Incomplete(_)) => Step::NeedMore,
            Err(PcapError::BufferTooSmall) => Step::TooSmall,
            Err(PcapError::UnexpectedEof) => Step::CutShort,
            Err(PcapError::ReadError) => Step::ReadFailed,
            Err(PcapError::HeaderNotRecognized) => {
                Step::Corrupt("block header not recognised".into())
            }
            Err(PcapError::NomError(_, kind)) | Err(PcapError::OwnedNomError(_, kind)) => {
                Step::Corrupt(format!("record failed to parse ({kind:?})"))
            }
        };
        match step {
            Step::Block(len) => {
                // No shift per record: the buffer moves its tail to the front only when a refill
                // needs room, instead of every time half of it has been read.
                reader.consume_noshift(len);
                offset += len as u64;
            }
            Step::End => break,
            Step::NeedMore => {
                let before = reader.data().len();
                if reader.refill().is_err() {
                    return Err(read_failure(offset, last_error));
                }
                if reader.data().len() == before
                    && !reader.reader_exhausted()
                    && !grow(&mut reader, before.saturating_mul(2))
                {
                    outcome.cut_short = Some(format!(
                        "corrupt record at offset {offset}: {}",
                        handler.describe_incomplete(reader.data())
                    ));
                    break;
                }
            }
            Step::TooSmall => {
                let claimed = handler.claimed_len(reader.data()).unwrap_or(u64::MAX);
                let fits = claimed <= MAX_RECORD_LEN as u64;
                if fits
                    && claimed > reader.data().len() as u64
                    && grow(&mut reader, claimed as usize + 4096)
                {
                    continue;
                }
                outcome.cut_short = Some(describe_damage(offset, &handler, reader.data()));
                break;
            }
            Step::CutShort => {
                outcome.cut_short = Some(describe_damage(offset, &handler, reader.data()));
                break;
            }
            Step::ReadFailed => return Err(read_failure(offset, last_error)),
            Step::Corrupt(why) => {
                outcome.cut_short = Some(format!(
                    "corrupt record at offset {offset}: {why}: {}",
                    handler.describe_incomplete(reader.data())
                ));
                break;
            }
        }
    }
    outcome.bytes_consumed = offset;
    handler.finish(outcome);
    Ok(())
}

/// Why the record at `offset` (the start of `data`, which holds the rest of the stream) could
/// not be read: a length no real record has, a record whose fields overrun its own length, or
/// a stream that ends inside it. The answer depends only on the bytes, so a file read in place
/// and the same file through a pipe say the same.
fn describe_damage<H: BlockHandler>(offset: u64, handler: &H, data: &[u8]) -> String {
    let detail = handler.describe_incomplete(data);
    match handler.claimed_len(data) {
        Some(claimed) if claimed > MAX_RECORD_LEN as u64 => format!(
            "corrupt record at offset {offset}: {detail}, over the {} MiB limit",
            MAX_RECORD_LEN >> 20
        ),
        Some(claimed) if claimed <= data.len() as u64 => {
            format!("corrupt record at offset {offset}: {detail}")
        }
        _ => format!("cut short at offset {offset}: {detail}"),
    }
}

fn grow<P: PcapReaderIterator>(reader: &mut P, wanted: usize) -> bool {
    let wanted = wanted.min(MAX_RECORD_LEN + 4096);
    reader.grow(wanted)
}

/// A read that failed for good (the source gave up: a network failure past its retries, a
/// blob that changed, a disk error) makes the input unusable: it is an error, not a capture
/// cut short, so a partial result is never taken for the whole.
fn read_failure(offset: u64, last_error: &Rc<RefCell<Option<io::Error>>>) -> CaptureError {
    let source = last_error
        .borrow_mut()
        .take()
        .unwrap_or_else(|| io::Error::other("read failed"));
    CaptureError::Read { offset, source }
}
