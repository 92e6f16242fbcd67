//! Text for people: a report's tables on stdout, and the capture summary for stderr.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};

use crate::view::Summary;
use crate::view::cells::{bytes, duration, thousands};
use crate::view::report::{Column, StreamedTable, TextTable};

/// Render `table` so that it fits `width` columns where it can: long text cells (IPv6
/// endpoints) are broken after a `:` or `.` rather than anywhere, and numbers are never broken.
pub fn table(table: &TextTable, out: &mut dyn Write, width: u16) -> io::Result<()> {
    if let Some(title) = &table.title {
        writeln!(out, "{title}")?;
    }
    if table.rows.is_empty() {
        return writeln!(out, "{}", table.empty);
    }
    let columns = &table.columns;
    let mut cells = table.rows.clone();
    fit_to_width(columns, &mut cells, usize::from(width));
    let mut rendered = Table::new();
    rendered
        .load_style(STYLE)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(columns.iter().map(|c| aligned(Cell::new(c.header), c)));
    for row in cells {
        rendered.add_row(
            row.into_iter()
                .zip(columns)
                .map(|(text, c)| aligned(Cell::new(text), c)),
        );
    }
    for (index, column) in rendered.column_iter_mut().enumerate() {
        // Two spaces between columns: one of padding, one where a border would be.
        column.set_padding((0, if index + 1 < columns.len() { 1 } else { 0 }));
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

/// Display width of a cell: its widest line.
fn cell_width(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// Choose a width limit for each text column so that the table fits `width` (narrowing the
/// widest column first, never below a floor), then break the cells that exceed their limit
/// at punctuation.
fn fit_to_width(columns: &[Column], cells: &mut [Vec<String>], width: usize) {
    let natural: Vec<usize> = (0..columns.len())
        .map(|i| {
            cells
                .iter()
                .map(|row| row.get(i).map_or(0, |c| cell_width(c)))
                .chain(std::iter::once(columns[i].header.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let limits = column_limits(columns, natural, width);
    for row in cells.iter_mut() {
        for (cell, &limit) in row.iter_mut().zip(&limits) {
            if cell_width(cell) > limit {
                *cell = wrap_at_punctuation(cell, limit);
            }
        }
    }
}

/// Width limits for columns of `natural` widths (their widest cell or header) in a table of
/// at most `width` columns: the widest text column gives way first, down to a floor.
fn column_limits(columns: &[Column], natural: Vec<usize>, width: usize) -> Vec<usize> {
    const MIN_TEXT_WIDTH: usize = 16;
    let mut limits = natural;
    let gaps = 2 * columns.len().saturating_sub(1);
    loop {
        let total: usize = limits.iter().sum::<usize>() + gaps;
        if total <= width {
            break;
        }
        let text_columns = || (0..columns.len()).filter(|&i| !columns[i].numeric);
        let Some(widest) = text_columns()
            .filter(|&i| limits[i] > MIN_TEXT_WIDTH)
            .max_by_key(|&i| limits[i])
        else {
            break;
        };
        // Shrink towards the next-widest text column first, so the width is shared.
        let runner_up = text_columns()
            .filter(|&i| i != widest)
            .map(|i| limits[i])
            .max()
            .unwrap_or(0);
        let wanted = limits[widest].saturating_sub(total - width);
        limits[widest] = wanted
            .max(runner_up.min(limits[widest] - 1))
            .max(MIN_TEXT_WIDTH);
    }
    limits
}

/// The same table as [`table`] (no title), for lists too long to hold as text: `rows` is called
/// once to measure the columns, once more if cells must be broken to fit, and once to print.
pub fn streamed_table(
    table: &StreamedTable<'_>,
    out: &mut dyn Write,
    width: u16,
) -> io::Result<()> {
    let (columns, empty, rows) = (table.columns, table.empty, &table.rows);
    let headers: Vec<usize> = columns.iter().map(|c| c.header.chars().count()).collect();
    let mut natural = headers.clone();
    let mut any = false;
    for row in rows() {
        any = true;
        for (w, cell) in natural.iter_mut().zip(&row) {
            *w = (*w).max(cell_width(cell));
        }
    }
    if !any {
        return writeln!(out, "{empty}");
    }
    let limits = column_limits(columns, natural.clone(), usize::from(width));
    let fit = |i: usize, cell: String| {
        if cell_width(&cell) > limits[i] {
            wrap_at_punctuation(&cell, limits[i])
        } else {
            cell
        }
    };
    let widths = if limits.iter().zip(&natural).any(|(l, n)| l < n) {
        let mut widths = headers;
        for row in rows() {
            for (i, cell) in row.into_iter().enumerate().take(widths.len()) {
                widths[i] = widths[i].max(cell_width(&fit(i, cell)));
            }
        }
        widths
    } else {
        natural
    };
    let mut line = String::new();
    let header: Vec<String> = columns.iter().map(|c| c.header.to_string()).collect();
    write_row(columns, &widths, &header, &mut line, out)?;
    let rule = widths.iter().sum::<usize>() + 2 * columns.len().saturating_sub(1);
    writeln!(out, "{}", "─".repeat(rule))?;
    for row in rows() {
        let cells: Vec<String> = row
            .into_iter()
            .enumerate()
            .map(|(i, c)| fit(i, c))
            .collect();
        write_row(columns, &widths, &cells, &mut line, out)?;
    }
    Ok(())
}

/// One row of cells (each perhaps several lines) laid out as [`table`] does: text left, numbers
/// right, two spaces between columns, no trailing blanks.
fn write_row(
    columns: &[Column],
    widths: &[usize],
    cells: &[String],
    line: &mut String,
    out: &mut dyn Write,
) -> io::Result<()> {
    let height = cells
        .iter()
        .map(|c| c.lines().count().max(1))
        .max()
        .unwrap_or(1);
    for n in 0..height {
        line.clear();
        for (i, (column, &width)) in columns.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let text = cells.get(i).and_then(|c| c.lines().nth(n)).unwrap_or("");
            let pad = width.saturating_sub(cell_width(text));
            if column.numeric {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(text);
            } else {
                line.push_str(text);
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Break `text` into lines of at most `max` characters: at a space where possible, else after
/// a `:`, `.` or `/`, and only mid-word when a run has no such place.
fn wrap_at_punctuation(text: &str, max: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for original in text.lines() {
        let mut rest: Vec<char> = original.chars().collect();
        while rest.len() > max {
            let cut = rest[..=max.min(rest.len() - 1)]
                .iter()
                .rposition(|c| *c == ' ')
                .filter(|&i| i > 0)
                .or_else(|| {
                    rest[..max]
                        .iter()
                        .rposition(|c| matches!(c, ':' | '.' | '/'))
                        .map(|i| i + 1)
                })
                .unwrap_or(max);
            lines.push(
                rest[..cut]
                    .iter()
                    .collect::<String>()
                    .trim_end()
                    .to_string(),
            );
            rest.drain(..cut);
            while rest.first() == Some(&' ') {
                rest.remove(0);
            }
        }
        lines.push(rest.into_iter().collect());
    }
    lines.join("\n")
}

/// No borders, only a rule under the header.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// The capture summary in a few lines, for stderr.
pub fn summary_lines(summary: &Summary) -> Vec<String> {
    let mut lines = Vec::new();
    let span = match (&summary.first_seen, &summary.last_seen) {
        (Some(first), Some(last)) => {
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

    #[test]
    fn wraps_at_punctuation_first() {
        assert_eq!(
            wrap_at_punctuation("[2a01:cb01:2049:8b07:991d:ec85:28df:f629]:56592", 20),
            "[2a01:cb01:2049:\n8b07:991d:ec85:28df:\nf629]:56592"
        );
        assert_eq!(wrap_at_punctuation("abcdefghij", 4), "abcd\nefgh\nij");
        assert_eq!(wrap_at_punctuation("short", 10), "short");
    }
}
