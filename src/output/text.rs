//! Text for people: a report's tables on stdout, and the capture summary for stderr.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::view::Summary;
use crate::view::cells::{bytes, draw_bar, duration, thousands};
use crate::view::report::{BAR_MAX, BAR_WIDTH, CellText, Column, StreamedTable, TextTable};
use crate::zone::Zone;

/// Render `table` in `width` columns (`None`: as wide as its content, for pipes and files),
/// one line per row: see [`Column`] for how a table too wide is fitted.
pub fn table(table: &TextTable, out: &mut dyn Write, width: Option<u16>) -> io::Result<()> {
    if let Some(title) = &table.title {
        writeln!(out, "{title}")?;
    }
    if table.rows.is_empty() {
        return writeln!(out, "{}", table.empty);
    }
    let columns = &table.columns;
    let natural = natural_widths(columns, &table.rows);
    let layout = Layout::new(columns, &natural, width);
    let mut rendered = Table::new();
    rendered
        .load_style(STYLE)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(
            layout
                .shown(columns)
                .map(|(_, c)| aligned(Cell::new(c.header), c)),
        );
    for row in &table.rows {
        rendered.add_row(layout.shown(columns).map(|(i, c)| {
            let text = row.get(i).map_or("", String::as_str);
            aligned(Cell::new(layout.fit(i, text)), c)
        }));
    }
    let shown = layout.shown(columns).count();
    for (index, column) in rendered.column_iter_mut().enumerate() {
        // Two spaces between columns: one of padding, one where a border would be.
        column.set_padding((0, if index + 1 < shown { 1 } else { 0 }));
    }
    for line in rendered.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn aligned(cell: Cell, column: &Column) -> Cell {
    if column.numeric {
        cell.set_alignment(CellAlignment::Right)
    } else {
        cell
    }
}

/// Each column's widest cell or header.
fn natural_widths<R: AsRef<[C]>, C: AsRef<str>>(
    columns: &[Column],
    rows: impl IntoIterator<Item = R>,
) -> Vec<usize> {
    let mut natural: Vec<usize> = columns.iter().map(|c| cell_width(c.header)).collect();
    for row in rows {
        for ((w, cell), column) in natural.iter_mut().zip(row.as_ref()).zip(columns) {
            if !column.bar {
                *w = (*w).max(cell_width(cell.as_ref()));
            }
        }
    }
    for (w, column) in natural.iter_mut().zip(columns) {
        if column.bar {
            *w = (*w).max(BAR_WIDTH);
        }
    }
    natural
}

/// Display width of a cell: columns in a terminal (a CJK character takes two).
fn cell_width(text: &str) -> usize {
    // Most cells are ASCII (numbers, addresses, times): one column a byte.
    if text.is_ascii() {
        text.len()
    } else {
        UnicodeWidthStr::width(text)
    }
}

/// Append `count` spaces.
fn pad(line: &mut String, count: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = count;
    while left > 0 {
        let n = left.min(SPACES.len());
        line.push_str(&SPACES[..n]);
        left -= n;
    }
}

/// Which columns a table shows and how wide each is.
struct Layout {
    shown: Vec<bool>,
    widths: Vec<usize>,
}

impl Layout {
    /// Columns of `natural` widths (their widest cell or header) in at most `width` columns,
    /// where that can be: optional columns are left out from the right while the table does
    /// not fit even with every shortenable column at its narrowest; then the widest
    /// shortenable column gives way first. A table that cannot fit is shown wider than
    /// `width` rather than broken.
    fn new(columns: &[Column], natural: &[usize], width: Option<u16>) -> Layout {
        let mut layout = Layout {
            shown: vec![true; columns.len()],
            widths: natural.to_vec(),
        };
        let Some(width) = width.map(usize::from) else {
            return layout;
        };
        let floor = |i: usize| {
            columns[i].shortest.map_or(natural[i], |s| {
                s.max(cell_width(columns[i].header)).min(natural[i])
            })
        };
        let floors: Vec<usize> = (0..columns.len()).map(floor).collect();
        for i in (0..columns.len()).rev() {
            if layout.total(&floors) <= width {
                break;
            }
            if columns[i].optional {
                layout.shown[i] = false;
            }
        }
        loop {
            let excess = layout.total(&layout.widths).saturating_sub(width);
            let shrinkable = |i: &usize| layout.shown[*i] && layout.widths[*i] > floors[*i];
            let Some(widest) = (0..columns.len())
                .filter(shrinkable)
                .max_by_key(|&i| layout.widths[i])
            else {
                break;
            };
            if excess == 0 {
                break;
            }
            // Shrink towards the next-widest shortenable column, so the width is shared.
            let runner_up = (0..columns.len())
                .filter(|&i| i != widest && shrinkable(&i))
                .map(|i| layout.widths[i])
                .max()
                .unwrap_or(0);
            let current = layout.widths[widest];
            layout.widths[widest] = current
                .saturating_sub(excess)
                .max(runner_up.min(current - 1))
                .max(floors[widest]);
        }
        // Bars take the room the other columns leave.
        let room = width.saturating_sub(layout.total(&layout.widths));
        if let Some(bar) = (0..columns.len()).find(|&i| columns[i].bar && layout.shown[i]) {
            layout.widths[bar] = (layout.widths[bar] + room).min(BAR_MAX.max(natural[bar]));
        }
        layout
    }

    /// Width of the shown columns at `widths`, two spaces between them.
    fn total(&self, widths: &[usize]) -> usize {
        let shown = || widths.iter().zip(&self.shown).filter(|(_, s)| **s);
        shown().map(|(w, _)| w).sum::<usize>() + 2 * shown().count().saturating_sub(1)
    }

    fn shown<'c>(&self, columns: &'c [Column]) -> impl Iterator<Item = (usize, &'c Column)> {
        columns.iter().enumerate().filter(|(i, _)| self.shown[*i])
    }

    /// The cell of column `i` as shown: shortened in the middle if it is too wide.
    fn fit<'t>(&self, i: usize, text: &'t str) -> std::borrow::Cow<'t, str> {
        let width = self.widths[i];
        let text = match draw_bar(text, width) {
            std::borrow::Cow::Borrowed(text) => text,
            drawn => return drawn,
        };
        if cell_width(text) <= width {
            return text.into();
        }
        // The end of a name (its domain) tells more than its middle; keep a little more of it.
        let kept = width.saturating_sub(1);
        let (head_room, tail_room) = (kept / 2, kept - kept / 2);
        let fitting = |room: usize, chars: &mut dyn Iterator<Item = char>| {
            let mut used = 0;
            let mut kept = Vec::new();
            for c in chars {
                let w = UnicodeWidthChar::width(c).unwrap_or(0);
                if used + w > room {
                    break;
                }
                used += w;
                kept.push(c);
            }
            kept
        };
        let head = fitting(head_room, &mut text.chars());
        let mut tail = fitting(tail_room, &mut text.chars().rev());
        tail.reverse();
        let mut short: String = head.into_iter().collect();
        short.push('…');
        short.extend(tail);
        short.into()
    }
}

/// The same table as [`table`] (no title), for lists too long to hold as text: `rows` is called
/// to see whether there is any row, to measure the columns and to print.
pub fn streamed_table(
    table: &StreamedTable<'_>,
    out: &mut dyn Write,
    width: Option<u16>,
) -> io::Result<()> {
    if let Some(title) = &table.title {
        writeln!(out, "{title}")?;
    }
    if table.hold {
        let held: Vec<Vec<CellText>> = (table.rows)().collect();
        laid_out_rows(table, || held.iter(), out, width)
    } else {
        laid_out_rows(table, || (table.rows)(), out, width)
    }
}

/// The rows of `rows()` (called to see whether there is any, to measure and to print), under
/// their header.
fn laid_out_rows<R: AsRef<[CellText]>, I: Iterator<Item = R>>(
    table: &StreamedTable<'_>,
    rows: impl Fn() -> I,
    out: &mut dyn Write,
    width: Option<u16>,
) -> io::Result<()> {
    let columns = table.columns;
    if rows().next().is_none() {
        return writeln!(out, "{}", table.empty);
    }
    let natural = natural_widths(columns, rows());
    let layout = Layout::new(columns, &natural, width);
    let mut line = String::new();
    let header: Vec<&str> = columns.iter().map(|c| c.header).collect();
    write_row(columns, &layout, &header, &mut line, out)?;
    let rule = layout.total(&layout.widths);
    writeln!(out, "{}", "─".repeat(rule))?;
    for row in rows() {
        write_row(columns, &layout, row.as_ref(), &mut line, out)?;
    }
    Ok(())
}

/// One row laid out as [`table`] does: text left, numbers right, two spaces between columns,
/// no trailing blanks.
fn write_row(
    columns: &[Column],
    layout: &Layout,
    cells: &[impl AsRef<str>],
    line: &mut String,
    out: &mut dyn Write,
) -> io::Result<()> {
    line.clear();
    let mut shown = layout.shown(columns).peekable();
    let mut first = true;
    while let Some((i, column)) = shown.next() {
        if !first {
            line.push_str("  ");
        }
        first = false;
        let text = layout.fit(i, cells.get(i).map_or("", AsRef::as_ref));
        let pad = layout.widths[i].saturating_sub(cell_width(&text));
        if column.numeric {
            self::pad(line, pad);
            line.push_str(&text);
        } else {
            line.push_str(&text);
            // A line ends with no blanks: the last column is never padded.
            if shown.peek().is_some() {
                self::pad(line, pad);
            }
        }
    }
    line.truncate(line.trim_end().len());
    line.push('\n');
    out.write_all(line.as_bytes())
}

/// No borders, only a rule under the header.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// The capture summary in a few lines, for stderr; times on the clock of `zone`.
pub fn summary_lines(summary: &Summary, zone: &Zone) -> Vec<String> {
    let mut lines = Vec::new();
    let span = match (summary.first_ts, summary.last_ts) {
        (Some(first), Some(last)) => {
            let (first, last) = (
                zone.rfc3339(first, summary.precision),
                zone.rfc3339(last, summary.precision),
            );
            format!(" over {} ({first} to {last})", duration(summary.duration_s))
        }
        _ => String::new(),
    };
    let links: Vec<_> = summary.link_types.iter().map(|l| l.name.as_str()).collect();
    let links = if links.is_empty() {
        String::new()
    } else {
        format!(", {}", links.join(" + "))
    };
    lines.push(format!(
        "{} packets, {}{span}{links}",
        thousands(summary.packets),
        bytes(summary.bytes)
    ));
    let mut second = format!(
        "{} from {} IP packets",
        plural(summary.flows, "flow", "flows"),
        thousands(summary.ip_packets)
    );
    if summary.non_ip_packets > 0 {
        let kinds: Vec<_> = summary
            .non_ip
            .iter()
            .map(|k| format!("{} {}", k.kind, thousands(k.packets)))
            .collect();
        second.push_str(&format!(
            "; {} not IP ({})",
            thousands(summary.non_ip_packets),
            kinds.join(", ")
        ));
    }
    if summary.malformed_packets > 0 {
        second.push_str(&format!(
            "; {} malformed",
            thousands(summary.malformed_packets)
        ));
        if summary.undecoded_packets > 0 {
            second.push_str(&format!(
                " ({} not placed in a flow)",
                thousands(summary.undecoded_packets)
            ));
        }
    }
    if summary.truncated_packets > 0 {
        second.push_str(&format!(
            "; {} cut by snaplen",
            thousands(summary.truncated_packets)
        ));
    }
    lines.push(second);
    if let Some(filter) = &summary.filter {
        lines.push(format!(
            "filter {filter}: {} of {} flows, {} of {}",
            thousands(summary.selected_flows),
            thousands(summary.flows),
            bytes(summary.selected_bytes),
            bytes(summary.ip_bytes)
        ));
    }
    if summary.cut_short {
        lines.push("capture cut short: results are partial".to_string());
    }
    lines
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> Vec<Column> {
        vec![
            Column::text("Address"),
            Column::text("Name").shortened_to(8),
            Column::number("Count").optional(),
        ]
    }

    fn lines(width: Option<u16>) -> Vec<String> {
        let table = TextTable {
            title: None,
            columns: columns(),
            rows: vec![vec![
                "[2001:db8::1]:443".into(),
                "login.microsoftonline.com".into(),
                "12".into(),
            ]],
            empty: "",
        };
        let mut out = Vec::new();
        super::table(&table, &mut out, width).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn a_table_too_wide_shortens_names_then_leaves_out_optional_columns() {
        let row = |width| lines(width)[2].clone();
        let whole = "[2001:db8::1]:443  login.microsoftonline.com     12";
        assert_eq!(row(None), whole);
        assert_eq!(row(Some(51)), whole);
        // The name gives way first, keeping a little more of its end.
        assert_eq!(
            row(Some(50)),
            "[2001:db8::1]:443  login.micro…ftonline.com     12"
        );
        assert_eq!(row(Some(38)), "[2001:db8::1]:443  login…ne.com     12");
        assert_eq!(row(Some(34)), "[2001:db8::1]:443  log….com     12");
        // Even at its narrowest the name leaves no room for the count: the count goes, and
        // the name takes the room back.
        assert_eq!(row(Some(33)), "[2001:db8::1]:443  login.…ine.com");
        assert_eq!(row(Some(27)), "[2001:db8::1]:443  log….com");
        // Never narrower than the address: wider than asked rather than broken.
        assert_eq!(row(Some(10)), "[2001:db8::1]:443  log….com");
        assert_eq!(lines(Some(10))[0], "Address            Name");
    }

    #[test]
    fn wide_characters_are_measured_as_a_terminal_shows_them() {
        let table = TextTable {
            title: None,
            columns: vec![
                Column::text("Organisation").shortened_to(12),
                Column::number("Flows"),
            ],
            rows: vec![
                vec!["日本電信電話株式会社".into(), "3".into()],
                vec!["Microsoft".into(), "12".into()],
            ],
            empty: "",
        };
        let mut out = Vec::new();
        super::table(&table, &mut out, Some(20)).unwrap();
        let text = String::from_utf8(out).unwrap();
        let widths: Vec<usize> = text.lines().map(UnicodeWidthStr::width).collect();
        // Ten double-width characters (20 columns) shortened to 13: three, the ellipsis, three.
        assert_eq!(text.lines().nth(2), Some("日本電…式会社      3"));
        assert!(widths.iter().all(|w| *w <= 20), "{text}");
    }
}
