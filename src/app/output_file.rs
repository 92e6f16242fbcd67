//! Where a report goes: standard output, or `--output FILE` written beside its final name and
//! renamed into place when complete.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use ca_cli::output::{self, Format};

use super::configure;
use crate::cli::OutputArgs;

/// The half-written `--output` file of this run, removed if the run is abandoned.
static PARTIAL_OUTPUT: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// Remove this run's half-written output file, if there is one.
pub fn remove_partial() {
    if let Ok(partial) = PARTIAL_OUTPUT.lock()
        && let Some(path) = partial.as_ref()
    {
        let _ = std::fs::remove_file(path);
    }
}

/// Render to stdout or to `--output FILE`. A regular file is written beside its final name and
/// renamed into place when complete, so a failed run never leaves half a report behind; a
/// device, pipe or symbolic link (`/dev/null`, a FIFO, a link into another directory) is
/// written in place, never replaced.
pub fn write_output<T>(
    args: &OutputArgs,
    render: impl FnOnce(Format, &mut dyn Write, Option<u16>) -> Result<T>,
) -> Result<T> {
    let format = configure::format_of(args);
    // The schema line comes before anything the report writes (a streamed list's first row).
    let render = |format: Format, out: &mut dyn Write, width: Option<u16>| -> Result<T> {
        if args.schema_line {
            output::write_schema_line(format, out)?;
        }
        render(format, out, width)
    };
    let Some(path) = &args.output else {
        let stdout = io::stdout();
        let width = table_width(args, stdout.is_terminal());
        let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
        let value = render(format, &mut out, width)?;
        out.flush()?;
        return Ok(value);
    };
    // The file's name on errors of writing it; other errors (an unusable capture, when the
    // report is written as the capture is read) speak for themselves.
    let name_the_file = |error: anyhow::Error| {
        if error.downcast_ref::<io::Error>().is_some() {
            error.context(format!("{}: cannot write", path.display()))
        } else {
            error
        }
    };
    let existing = std::fs::symlink_metadata(path).ok();
    if existing.as_ref().is_some_and(|m| !m.file_type().is_file()) {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)
            .with_context(|| format!("{}: cannot open for writing", path.display()))?;
        let mut out = BufWriter::with_capacity(1 << 16, file);
        let value = render(format, &mut out, table_width(args, false)).map_err(name_the_file)?;
        out.flush()
            .with_context(|| format!("{}: cannot write", path.display()))?;
        return Ok(value);
    }
    let partial = partial_path(path);
    let file =
        File::create(&partial).with_context(|| format!("{}: cannot create", path.display()))?;
    if let Ok(mut registered) = PARTIAL_OUTPUT.lock() {
        *registered = Some(partial.clone());
    }
    if let Some(permissions) = existing.map(|m| m.permissions()) {
        let _ = file.set_permissions(permissions);
    }
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let written = render(format, &mut out, table_width(args, false))
        .map_err(name_the_file)
        .and_then(|value| {
            out.flush()
                .and_then(|()| std::fs::rename(&partial, path))
                .with_context(|| format!("{}: cannot write", path.display()))?;
            Ok(value)
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    if let Ok(mut registered) = PARTIAL_OUTPUT.lock() {
        *registered = None;
    }
    written
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".partial-{}", std::process::id()));
    path.with_file_name(name)
}

/// The text tables' width: `--width` (0: unlimited), else `COLUMNS`, else the terminal's;
/// unlimited in a pipe or file, where rows are as wide as their content (as `ps -ww`).
fn table_width(args: &OutputArgs, to_terminal: bool) -> Option<u16> {
    if let Some(width) = args.width {
        return (width > 0).then_some(width);
    }
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
    {
        return (columns > 0).then_some(columns);
    }
    if to_terminal && let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
        return Some(w);
    }
    None
}
