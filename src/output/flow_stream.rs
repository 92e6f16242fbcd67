//! `flows` as NDJSON or CSV, written as flows end.

use std::io::{self, Write};

use super::Format;
use super::json_line::write_flow_json;
use crate::capture::Precision;
use crate::enrich::{Enricher, Tags};
use crate::flow::Flow;
use crate::pipeline::{CaptureStats, Finished, Summary, View};
use crate::view::flows::{ExtraColumns, FlowRecord};
use crate::zone::Zone;

/// The formats whose records can be written one at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamFormat {
    Ndjson,
    Csv,
}

impl StreamFormat {
    /// `format` as a stream; `None` for the formats that are documents (text tables, JSON),
    /// which need the whole list.
    pub fn of(format: Format) -> Option<StreamFormat> {
        match format {
            Format::Ndjson => Some(StreamFormat::Ndjson),
            Format::Csv => Some(StreamFormat::Csv),
            Format::Text | Format::Json => None,
        }
    }
}

/// Where streamed records go.
enum StreamOut<'w> {
    Ndjson {
        out: &'w mut dyn Write,
        line: Vec<u8>,
    },
    Csv(Box<csv::Writer<&'w mut dyn Write>>),
}

/// Writes each selected flow as an NDJSON line or a CSV row the moment the flow ends, so the
/// list of a capture of any size starts at once and takes no memory. Records come in the
/// order flows end (idle timeout, a new connection on the same ports, or the end of the
/// capture); flows that end together come in start order.
pub struct FlowStream<'w> {
    out: StreamOut<'w>,
    /// The zone of the times (`--tz`); `None`: UTC.
    zone: Option<Zone>,
}

impl<'w> FlowStream<'w> {
    pub fn new(format: StreamFormat, out: &'w mut dyn Write) -> FlowStream<'w> {
        let out = match format {
            StreamFormat::Ndjson => StreamOut::Ndjson {
                out,
                line: Vec::with_capacity(1024),
            },
            StreamFormat::Csv => StreamOut::Csv(Box::new(csv::Writer::from_writer(out))),
        };
        FlowStream { out, zone: None }
    }

    /// Times in `zone` (`None`: UTC).
    pub fn in_zone(mut self, zone: Option<Zone>) -> FlowStream<'w> {
        self.zone = zone;
        self
    }
}

impl View for FlowStream<'_> {
    /// The records are written as they come: what is left is the summary.
    type Report = Summary;

    /// Write what is buffered.
    fn finish(self, run: Finished) -> io::Result<Summary> {
        match self.out {
            StreamOut::Ndjson { out, .. } => out.flush()?,
            StreamOut::Csv(mut writer) => writer.flush()?,
        }
        Ok(run.summary)
    }

    fn add(
        &mut self,
        flow: Flow,
        tags: Tags,
        enricher: &Enricher,
        stats: &CaptureStats,
    ) -> io::Result<()> {
        // Times print at the finest precision of the inputs read so far: every input's header
        // (and a pcapng file's interfaces) come before its packets.
        let precision = stats.precision.unwrap_or(Precision::MICROS);
        let record = FlowRecord::new(
            &flow,
            tags,
            enricher,
            precision,
            ExtraColumns::of(enricher),
            self.zone.as_ref(),
        );
        match &mut self.out {
            StreamOut::Ndjson { out, line } => {
                line.clear();
                write_flow_json(&record, line);
                line.push(b'\n');
                out.write_all(line)
            }
            StreamOut::Csv(writer) => writer.serialize(&record).map_err(csv_error),
        }
    }
}

/// A CSV error as the I/O error it wraps (a closed pipe stays a closed pipe).
fn csv_error(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}
