//! Renderers: any view to text (for people), JSON, NDJSON or CSV (for tools), written to any
//! `Write`.

mod flow_stream;
mod json_line;
mod tables;
pub mod text;

pub use flow_stream::{FlowStream, StreamFormat};
pub use json_line::write_flow_json;

use std::io::{self, Write};

use serde::Serialize;

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

/// A text-table column.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub header: &'static str,
    /// Numbers are right-aligned and never wrapped.
    pub numeric: bool,
}

impl Column {
    pub const fn text(header: &'static str) -> Column {
        Column {
            header,
            numeric: false,
        }
    }

    pub const fn number(header: &'static str) -> Column {
        Column {
            header,
            numeric: true,
        }
    }
}

/// One titled table of a text report.
#[derive(Clone, Debug)]
pub struct TextTable {
    pub title: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// What to print instead of an empty table.
    pub empty: &'static str,
}

/// Rows produced one at a time.
pub type Rows<'a, T> = Box<dyn Iterator<Item = T> + 'a>;

/// A view that can be rendered: the whole of it as JSON, its rows as NDJSON or CSV, and its
/// tables as text.
pub trait Report: Serialize {
    type Row<'a>: Serialize
    where
        Self: 'a;
    /// The records NDJSON and CSV print, one per line.
    fn rows(&self) -> Rows<'_, Self::Row<'_>>;
    /// The tables the text format prints, in order.
    fn text_tables(&self) -> Vec<TextTable>;

    /// The text format; views with long lists write them without holding their text.
    fn write_text(&self, out: &mut dyn Write, width: u16) -> io::Result<()> {
        for (i, table) in self.text_tables().iter().enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            text::table(table, out, width)?;
        }
        Ok(())
    }

    /// The rows as NDJSON; views with many rows write them faster than serde does.
    fn write_ndjson(&self, out: &mut dyn Write) -> io::Result<()> {
        for row in self.rows() {
            serde_json::to_writer(&mut *out, &row)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
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

/// Write `view` in `format`. `width` is the text tables' width budget.
pub fn render<V: Report>(
    view: &V,
    format: Format,
    out: &mut dyn Write,
    width: u16,
) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, view)?;
            out.write_all(b"\n")?;
        }
        Format::Ndjson => view.write_ndjson(out)?,
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(&mut *out);
            for row in view.rows() {
                writer.serialize(&row)?;
            }
            writer.flush()?;
        }
        Format::Text => view.write_text(out, width)?,
    }
    out.flush()
}
