//! What a view's report looks like in each format, said as data: the rows NDJSON and CSV print,
//! and the tables the text format draws. `output` draws them; a view never writes bytes itself.

use serde::Serialize;

/// A report every renderer can take: the whole of it as JSON (`Serialize`), its rows as NDJSON
/// or CSV, its tables as text.
pub trait Report: Serialize {
    type Row<'a>: Record
    where
        Self: 'a;
    /// The records NDJSON and CSV print, one per line.
    fn rows(&self) -> Rows<'_, Self::Row<'_>>;
    /// The text format's tables.
    fn text(&self) -> Text<'_>;
}

/// One NDJSON or CSV record.
pub trait Record: Serialize {
    /// Append the record as one line of compact JSON, without the newline. Records written by
    /// the million have a faster writer (the flow record's is in `output`).
    fn write_json_line(&self, line: &mut Vec<u8>) -> serde_json::Result<()> {
        serde_json::to_writer(line, self)
    }
}

/// Rows produced one at a time.
pub type Rows<'a, T> = Box<dyn Iterator<Item = T> + 'a>;

/// The text format of a report.
pub enum Text<'a> {
    /// Tables printed one after the other, a blank line between them.
    Tables(Vec<TextTable>),
    /// One long untitled table whose text is never held whole: `rows` is called once to measure
    /// the columns and again to print them.
    Streamed(StreamedTable<'a>),
}

/// A table of [`Text::Streamed`].
pub struct StreamedTable<'a> {
    pub title: Option<String>,
    /// The rows are few enough to hold as text (a timeline's, at most 100,000): they are
    /// made once, not once to measure and again to print.
    pub hold: bool,
    pub columns: &'a [Column],
    /// What to print instead of an empty table.
    pub empty: &'static str,
    pub rows: Box<dyn Fn() -> Rows<'a, Vec<CellText>> + 'a>,
}

/// A cell of a [`StreamedTable`]: most are made for the row, some are the same on every row
/// (`0`, `0 B` on each empty bucket of a long timeline) and cost no allocation.
pub type CellText = std::borrow::Cow<'static, str>;

/// One titled table of a text report.
#[derive(Clone, Debug)]
pub struct TextTable {
    pub title: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// What to print instead of an empty table.
    pub empty: &'static str,
}

/// Width of a bar column where the output has no width (a pipe or a file).
pub const BAR_WIDTH: usize = 40;
/// The narrowest a bar column is drawn.
pub const BAR_MIN: usize = 10;
/// The widest a bar column is drawn, however wide the terminal.
pub const BAR_MAX: usize = 100;

/// A text-table column. A row is always one line: a table too wide for its width first
/// shortens the cells of the columns that allow it (with `…` in the middle), then leaves out
/// optional columns from the right; no cell is ever broken (an address never is).
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub header: &'static str,
    /// Numbers are right-aligned.
    pub numeric: bool,
    /// The narrowest its cells may be shortened to (names); `None`: never shortened.
    pub shortest: Option<usize>,
    /// Left out when the table does not fit otherwise.
    pub optional: bool,
    /// Its cells are bars (made by [`super::cells::bar_cell`]), drawn as wide as the table's
    /// width leaves room for.
    pub bar: bool,
}

impl Column {
    pub const fn text(header: &'static str) -> Column {
        Column {
            header,
            numeric: false,
            shortest: None,
            optional: false,
            bar: false,
        }
    }

    /// A column of bars: [`BAR_WIDTH`] cells wide in a pipe or file, and in a terminal what
    /// the other columns leave (at least [`BAR_MIN`]).
    pub const fn bar(header: &'static str) -> Column {
        Column {
            shortest: Some(BAR_MIN),
            bar: true,
            ..Column::text(header)
        }
    }

    pub const fn number(header: &'static str) -> Column {
        Column {
            numeric: true,
            ..Column::text(header)
        }
    }

    /// Cells may be shortened down to `chars` characters (at least the header's).
    pub const fn shortened_to(self, chars: usize) -> Column {
        Column {
            shortest: Some(chars),
            ..self
        }
    }

    pub const fn optional(self) -> Column {
        Column {
            optional: true,
            ..self
        }
    }
}
