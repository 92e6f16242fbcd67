//! Renderers: any view to text (for people), JSON, NDJSON or CSV (for tools), written to any
//! `Write`.

mod flow_stream;
mod json_line;
pub mod text;

pub use flow_stream::{FlowStream, StreamFormat};
pub use json_line::write_flow_json;

use std::io::{self, Write};

use crate::view::report::{Record, Report, Text};

/// Output formats every view supports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    /// One JSON document with `schema_version`, `summary` and the view's data.
    Json,
    /// One JSON object per row and line, for streaming consumers.
    Ndjson,
    /// A header row, then one row per record.
    Csv,
}

/// The line that opens NDJSON and CSV output with `--schema-line`: the version of the records'
/// fields, as JSON documents carry it in `schema_version`. Nothing for text and JSON.
pub fn write_schema_line(format: Format, out: &mut dyn Write) -> io::Result<()> {
    let version = crate::view::SCHEMA_VERSION;
    match format {
        Format::Ndjson => writeln!(out, "{{\"schema_version\":{version}}}"),
        Format::Csv => writeln!(out, "#schema_version={version}"),
        Format::Text | Format::Json => Ok(()),
    }
}

/// Write `report` in `format`. `width` is the text tables' width budget (`None`: unlimited).
pub fn render<R: Report>(
    report: &R,
    format: Format,
    out: &mut dyn Write,
    width: Option<u16>,
) -> io::Result<()> {
    match format {
        Format::Json => {
            // A buffer of its own in front of the caller's writer: the pretty printer writes
            // a few bytes at a time, and each through `dyn Write` cost more than the bytes
            // (a timeline of 33,502 buckets spent half its instructions there).
            let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut *out);
            serde_json::to_writer_pretty(&mut buffered, report)?;
            buffered.write_all(b"\n")?;
            buffered.flush()?;
        }
        Format::Ndjson => {
            let mut line = Vec::with_capacity(1024);
            for row in report.rows() {
                line.clear();
                row.write_json_line(&mut line)?;
                line.push(b'\n');
                out.write_all(&line)?;
            }
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(&mut *out);
            for row in report.rows() {
                writer.serialize(&row)?;
            }
            writer.flush()?;
        }
        Format::Text => match report.text() {
            Text::Tables(tables) => {
                for (i, table) in tables.iter().enumerate() {
                    if i > 0 {
                        out.write_all(b"\n")?;
                    }
                    text::table(table, out, width)?;
                }
            }
            Text::Streamed(table) => text::streamed_table(&table, out, width)?,
        },
    }
    out.flush()
}
