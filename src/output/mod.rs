//! Renderers: any view to text (for people), JSON, NDJSON or CSV (for tools), written to any
//! `Write`.

mod tables;
pub mod text;

use std::io::{self, Write};

use serde::Serialize;

/// Output formats every view supports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    /// One JSON document with `schema_version`, `summary` and the rows.
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

/// A view with rows: what NDJSON, CSV and the text table print.
pub trait Tabular: Serialize {
    type Row: Serialize;
    fn rows(&self) -> &[Self::Row];
    fn columns(&self) -> &'static [Column];
    /// One text-table row (human units).
    fn cells(&self, row: &Self::Row) -> Vec<String>;
    /// What to say when there are no rows.
    fn empty_message(&self) -> &'static str;
}

/// Write `view` in `format`. `width` is the text table's width budget.
pub fn render<V: Tabular>(
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
        Format::Ndjson => {
            for row in view.rows() {
                serde_json::to_writer(&mut *out, row)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(&mut *out);
            for row in view.rows() {
                writer.serialize(row)?;
            }
            writer.flush()?;
        }
        Format::Text => text::table(view, out, width)?,
    }
    out.flush()
}
