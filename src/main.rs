//! The `ca-cli` binary: parse arguments, run the library, map outcomes to exit codes.

mod cli;

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{CommandFactory, Parser};

use ca_cli::capture::Precision;
use ca_cli::config::{AnalysisConfig, FlowListConfig, SortKey};
use ca_cli::enrich::{CountrySource, Enricher, GeoConfig, GeoIp};
use ca_cli::filter::{self, Cmp, End, Expr, Predicate, Quantity};
use ca_cli::flow::IdleTimeouts;
use ca_cli::output::{self, Format, Report, text};
use ca_cli::pipeline::{AnalysisError, CaptureStats, Interrupt};
use ca_cli::source::{self, HttpOptions, InputSpec, Inputs, SourceOptions};
use ca_cli::view::dns::DnsView;
use ca_cli::view::flows::{FlowStream, FlowsView};
use ca_cli::view::geo::GeoView;
use ca_cli::view::lookup::{GeoInfoReport, LookupReport};
use ca_cli::view::protocols::ProtocolsView;
use ca_cli::view::stats::StatsView;
use ca_cli::view::{FlowView, Scan, Summary};
use cli::{
    CaptureArgs, Cli, Command, FilterArgs, FormatArg, GeoArgs, GeoipCommand, OutputArgs, SortArg,
};

/// What the exit status means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Exit {
    /// Results written (possibly with warnings about a damaged capture).
    Success = 0,
    /// Unusable input, an I/O failure, or (with --strict) a damaged capture.
    Failure = 1,
    /// The command line asks for something impossible (clap reports its own errors with 2).
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// A command-line mistake found after parsing (a bad filter expression).
#[derive(Debug)]
struct UsageError(String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The exit status after Ctrl-C, as shells report a process ended by SIGINT (128 + 2).
const INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let interrupt = Interrupt::default();
    handle_ctrl_c(&interrupt);
    let result = run(cli, &interrupt);
    if interrupt.is_raised() {
        // The report (when one was written) says it covers only what was read; the status
        // says the run did not finish.
        if let Err(error) = &result
            && !is_broken_pipe(error)
        {
            eprintln!("ca-cli: error: {error:#}");
        }
        return ExitCode::from(INTERRUPTED);
    }
    match result {
        Ok(exit) => exit.into(),
        Err(error) if is_broken_pipe(&error) => Exit::Success.into(),
        Err(error) => {
            eprintln!("ca-cli: error: {error:#}");
            if error.downcast_ref::<UsageError>().is_some() {
                Exit::Usage.into()
            } else {
                Exit::Failure.into()
            }
        }
    }
}

/// mimalloc: with identification on its own thread, every flow's findings are allocated on
/// one thread and freed on another, which glibc's arenas serve slowly (its lock and
/// consolidation showed in profiles). Measured on the 205 MB benchmark capture (30 alternating
/// runs, medians): flows with identification 174.9 -> 153.0 ms, without 116.4 -> 112.1 ms.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` (the position of `mi_option_purge_delay` in mimalloc.h's
/// `mi_option_e`, version 3, which the crate builds).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory is kept for reuse, not given back to the system, until the capture proves
/// large ([`release_memory_at_once`]): on a virtual machine a page's first touch costs up to
/// 2 ns a byte (the host backs it), and every purge is an madvise whose TLB shootdown
/// interrupts the other threads. Purging at once cost the 205 MB benchmark 100 MB of
/// re-faulted pages and 180 madvise calls a run (`MIMALLOC_SHOW_STATS=1`), and 10% of its wall
/// time (30 alternating runs); mimalloc's default (a second's delay) still purged 57 MB in that
/// 0.1 s run. `MIMALLOC_PURGE_DELAY` in the environment has the last word.
fn tune_allocator() {
    set_purge_delay(-1);
}

/// A capture of many flows (`ca_cli::pipeline::MANY_FLOWS`): freed memory goes back to the
/// system at once from here on, which keeps the 5-million-flow capture of
/// benches/make-many-flows.py within 1.5 GB in every view (memory kept throughout,
/// `stats --idle-timeout 0` peaked at 1.59 GB).
fn release_memory_at_once() {
    set_purge_delay(0);
}

/// mimalloc's purge delay in milliseconds (-1: never), unless the environment set one.
fn set_purge_delay(milliseconds: std::ffi::c_long) {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: setting an option has no precondition; mimalloc reads it when it next purges.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, milliseconds) };
    }
}

/// The first Ctrl-C stops the reading: the analysis reports what it read, flagged as
/// interrupted, and exits with status 130. An analysis blocked on a read that never returns
/// (an idle pipe, a stalled download) cannot see the request, and one already writing a long
/// report may take a while, so if the reading has not stopped within a second, or at a second
/// Ctrl-C, ca-cli leaves at once without a report.
fn handle_ctrl_c(interrupt: &Interrupt) {
    let interrupt = interrupt.clone();
    let installed = ctrlc::set_handler(move || {
        if interrupt.is_raised() {
            abandon();
        }
        interrupt.raise();
        for _ in 0..20 {
            if interrupt.is_noticed() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        abandon();
    });
    // Without a handler Ctrl-C keeps its default effect (the process ends at once).
    drop(installed);
}

/// The half-written `--output` file of this run, removed if the run is abandoned.
static PARTIAL_OUTPUT: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

fn abandon() -> ! {
    if let Ok(partial) = PARTIAL_OUTPUT.lock()
        && let Some(path) = partial.as_ref()
    {
        let _ = std::fs::remove_file(path);
    }
    // Straight to the descriptor: the main thread may hold the stderr lock.
    let message = b"ca-cli: interrupted\n";
    // SAFETY: writing a valid buffer to file descriptor 2; a failure changes nothing.
    unsafe {
        libc::write(2, message.as_ptr().cast(), message.len());
    }
    std::process::exit(i32::from(INTERRUPTED));
}

fn run(cli: Cli, interrupt: &Interrupt) -> Result<Exit> {
    match cli.command {
        Command::Flows(args) => {
            let prepared = prepare(&args.capture, args.output.quiet, interrupt)?;
            let strict = args.capture.analysis.strict;
            let format = format_of(&args.output);
            let streamed = matches!(format, Format::Ndjson | Format::Csv)
                && args.sort.is_none()
                && args.top.is_none();
            if streamed {
                let summary = write_output(&args.output, |format, out, _| {
                    let stream = match format {
                        Format::Csv => FlowStream::csv(out),
                        _ => FlowStream::ndjson(out),
                    };
                    let (stats, scan) = prepared.scan(stream)?;
                    let summary = scan.summary(&stats);
                    scan.view.finish()?;
                    Ok(summary)
                })?;
                return Ok(finish(&summary, format, &args.output, strict));
            }
            let list = FlowListConfig {
                sort: match args.sort.unwrap_or(SortArg::Start) {
                    SortArg::Start => SortKey::Start,
                    SortArg::Bytes => SortKey::Bytes,
                    SortArg::Packets => SortKey::Packets,
                    SortArg::Duration => SortKey::Duration,
                },
                top: args.top,
            };
            let (stats, scan) = prepared.scan(FlowsView::new(list))?;
            let summary = scan.summary(&stats);
            let precision = stats.precision.unwrap_or(Precision::MICROS);
            let report = scan.view.finish(summary, &scan.enricher, precision);
            emit(&report, &report.summary, &args.output, strict)
        }
        Command::Protocols(args) => {
            let prepared = prepare(&args.capture, args.output.quiet, interrupt)?;
            let (stats, scan) = prepared.scan(ProtocolsView::default())?;
            let summary = scan.summary(&stats);
            let report = scan.view.finish(summary);
            emit(
                &report,
                &report.summary,
                &args.output,
                args.capture.analysis.strict,
            )
        }
        Command::Stats(args) => {
            let prepared = prepare(&args.capture, args.output.quiet, interrupt)?;
            let (stats, scan) = prepared.scan(StatsView::default())?;
            let summary = scan.summary(&stats);
            let report = scan.view.finish(summary, &scan.enricher, args.top);
            emit(
                &report,
                &report.summary,
                &args.output,
                args.capture.analysis.strict,
            )
        }
        Command::Geo(args) => {
            let prepared = prepare(&args.capture, args.output.quiet, interrupt)?;
            let drill = match args.capture.filter.country.as_slice() {
                [one] => Some(*one),
                _ => None,
            };
            let (stats, scan) = prepared.scan(GeoView::new(drill))?;
            let summary = scan.summary(&stats);
            let report = scan.view.finish(summary, &scan.enricher);
            emit(
                &report,
                &report.summary,
                &args.output,
                args.capture.analysis.strict,
            )
        }
        Command::Dns(args) => {
            let mut prepared = prepare(&args.capture, args.output.quiet, interrupt)?;
            prepared.config.dns_details = true;
            let (stats, scan) = prepared.scan(DnsView::default())?;
            let summary = scan.summary(&stats);
            let report = scan.view.finish(summary);
            emit(
                &report,
                &report.summary,
                &args.output,
                args.capture.analysis.strict,
            )
        }
        Command::Geoip { command } => match command {
            GeoipCommand::Info { geo, output } => {
                let geo = GeoIp::open(&geo_config(&geo))?;
                let report = GeoInfoReport::new(&geo);
                write_output(&output, |format, out, width| {
                    Ok(output::render(&report, format, out, width)?)
                })?;
                Ok(Exit::Success)
            }
            GeoipCommand::Lookup {
                addresses,
                geo,
                output,
            } => {
                let mut geo = GeoIp::open(&geo_config(&geo))?;
                let report = LookupReport::new(&addresses, &mut geo);
                write_output(&output, |format, out, width| {
                    Ok(output::render(&report, format, out, width)?)
                })?;
                Ok(Exit::Success)
            }
        },
        Command::Completions { shell } => {
            io::stdout().lock().write_all(&completion_script(shell))?;
            Ok(Exit::Success)
        }
    }
}

fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "ca-cli", &mut script);
    if shell == clap_complete::Shell::Bash {
        // clap_complete spells the subcommand states of a hyphenated binary two ways, so no
        // option after a subcommand completes (clap-rs/clap#6421); use the loop's spelling.
        let text = String::from_utf8_lossy(&script).replace("ca__subcmd__cli", "ca__cli");
        script = text.into_bytes();
    }
    script
}

/// A capture command ready to run: its inputs opened, the GeoIP databases loaded, the filter
/// parsed.
struct Prepared {
    inputs: Inputs,
    config: AnalysisConfig,
    enricher: Enricher,
    filter: Expr,
    description: Option<String>,
}

impl Prepared {
    /// Analyse the capture, handing each finished and selected flow to `view`.
    fn scan<V: FlowView>(self, view: V) -> Result<(CaptureStats, Scan<V>)> {
        let mut scan = Scan::new(self.enricher, self.filter, self.description, view);
        match ca_cli::analyze_into(self.inputs, &self.config, &mut scan) {
            Ok(stats) => Ok((stats, scan)),
            // The output's own error, so `--output` names its file and a closed pipe ends quietly.
            Err(AnalysisError::Output(error)) => Err(error.into()),
            Err(error) => Err(error.into()),
        }
    }
}

/// Everything that can fail on the command line or the databases fails before the capture is
/// read.
fn prepare(args: &CaptureArgs, quiet: bool, interrupt: &Interrupt) -> Result<Prepared> {
    let (filter, description) = build_filter(&args.filter)?;
    let geo = GeoIp::open(&geo_config(&args.geo))?;
    let specs: Vec<InputSpec> = args.inputs.iter().map(|a| InputSpec::parse(a)).collect();
    // A second thread reads ahead (decodes mapped files), a third identifies payloads.
    // Measured on a page-cached 205 MB capture (2-core VM): reading ahead alone is 11-16%
    // faster in wall time for about 40% more CPU. Identification on a thread of its own pays
    // only with a core of its own: on two cores the decoding thread sets the pace and the
    // flow table's thread waits on it (13-24 ms of the 70 with `--no-identify`), time in
    // which it identifies payloads itself, where a third thread took its time from the
    // decoder (`flows` 7% off `--no-identify` with two threads, 18% with three;
    // benches/alternate.py, 30 rounds).
    let threads = args.analysis.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get().min(3)),
        usize::from,
    );
    let (read_ahead, identify_on_worker) = (threads >= 2, threads >= 3);
    let options = SourceOptions {
        http: HttpOptions {
            connections: usize::from(args.download.connections),
            timeout: Duration::from_secs(args.download.timeout),
            retries: args.download.retries,
            ca_cert: args.download.ca_cert.clone(),
            chunk_size: args.download.chunk_size,
            backoff: Duration::from_millis(args.download.backoff_ms),
        },
        progress: !quiet && io::stderr().is_terminal(),
        read_ahead,
    };
    let inputs = source::open_all(&specs, &options)?;
    let config = AnalysisConfig {
        idle_timeouts: args
            .analysis
            .idle_timeout
            .map_or_else(IdleTimeouts::zeek_defaults, IdleTimeouts::uniform),
        max_flows: (args.analysis.max_flows > 0).then_some(args.analysis.max_flows),
        interrupt: interrupt.clone(),
        no_identify: args.analysis.no_identify,
        identify_on_worker,
        decode_on_worker: read_ahead,
        dns_details: false,
        on_many_flows: Some(release_memory_at_once),
    };
    Ok(Prepared {
        inputs,
        config,
        enricher: Enricher::new(geo),
        filter,
        description,
    })
}

fn geo_config(args: &GeoArgs) -> GeoConfig {
    GeoConfig {
        country: match (&args.geoip_db, args.no_geoip) {
            (_, true) => CountrySource::Disabled,
            (Some(path), false) => CountrySource::File(path.clone()),
            (None, false) => CountrySource::Bundled,
        },
        asn: args.asn_db.clone(),
    }
}

/// The filter options and `--filter` as one expression, and as text for the summary. Option
/// values go into the tree as values: a server name holding ` or ` or `)` is still one name.
fn build_filter(args: &FilterArgs) -> Result<(Expr, Option<String>), UsageError> {
    fn group<T>(values: &[T], predicate: impl Fn(&T) -> Predicate) -> Expr {
        Expr::any_of(values.iter().map(|v| Expr::Pred(predicate(v))))
    }
    let options = [
        group(&args.proto, |&p| Predicate::Proto(p)),
        group(&args.service, |s| Predicate::Service(s.clone())),
        group(&args.name, |n| Predicate::Name(n.clone())),
        group(&args.host, |&h| Predicate::Host(End::Either, h)),
        group(&args.src, |&h| Predicate::Host(End::Src, h)),
        group(&args.dst, |&h| Predicate::Host(End::Dst, h)),
        group(&args.port, |&p| Predicate::Port(End::Either, Cmp::Eq, p)),
        group(&args.country, |&c| Predicate::Country(End::Either, c)),
        group(&args.src_country, |&c| Predicate::Country(End::Src, c)),
        group(&args.dst_country, |&c| Predicate::Country(End::Dst, c)),
        group(args.since.as_slice(), |&t| Predicate::Since(t)),
        group(args.until.as_slice(), |&t| Predicate::Until(t)),
        group(args.min_bytes.as_slice(), |&n| {
            Predicate::Compare(Quantity::Bytes, Cmp::Ge, n)
        }),
    ]
    .into_iter()
    .fold(Expr::Any, Expr::and);
    let options_text = (options != Expr::Any).then(|| options.to_string());
    let Some(text) = &args.filter else {
        return Ok((options, options_text));
    };
    let user =
        filter::parse(text).map_err(|e| UsageError(format!("--filter: {e}\n{}", e.pointer())))?;
    // The user's expression as typed: the summary should show what they wrote.
    let description = match options_text {
        Some(options_text) => format!("{options_text} and ({text})"),
        None => text.clone(),
    };
    Ok((options.and(user), Some(description)))
}

/// Write a capture report, then its summary and warnings, and say how the run ends.
fn emit<V: Report>(report: &V, summary: &Summary, args: &OutputArgs, strict: bool) -> Result<Exit> {
    write_output(args, |format, out, width| {
        Ok(output::render(report, format, out, width)?)
    })?;
    Ok(finish(summary, format_of(args), args, strict))
}

fn format_of(args: &OutputArgs) -> Format {
    if args.json {
        return Format::Json;
    }
    match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
        FormatArg::Ndjson => Format::Ndjson,
        FormatArg::Csv => Format::Csv,
    }
}

/// Render to stdout or to `--output FILE`. A regular file is written beside its final name and
/// renamed into place when complete, so a failed run never leaves half a report behind; a
/// device, pipe or symbolic link (`/dev/null`, a FIFO, a link into another directory) is
/// written in place, never replaced.
fn write_output<T>(
    args: &OutputArgs,
    render: impl FnOnce(Format, &mut dyn Write, u16) -> Result<T>,
) -> Result<T> {
    let format = format_of(args);
    let Some(path) = &args.output else {
        let stdout = io::stdout();
        let width = table_width(stdout.is_terminal());
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
        let value = render(format, &mut out, table_width(false)).map_err(name_the_file)?;
        out.flush()
            .with_context(|| format!("{}: cannot write", path.display()))?;
        return Ok(value);
    }
    let partial = partial_path(path);
    let file =
        File::create(&partial).with_context(|| format!("{}: cannot create", partial.display()))?;
    if let Ok(mut registered) = PARTIAL_OUTPUT.lock() {
        *registered = Some(partial.clone());
    }
    if let Some(permissions) = existing.map(|m| m.permissions()) {
        let _ = file.set_permissions(permissions);
    }
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let written = render(format, &mut out, table_width(false))
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

/// Tables fit the terminal, or 100 columns when piped (or `COLUMNS` when set).
fn table_width(to_terminal: bool) -> u16 {
    if let Some(columns) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return columns;
    }
    if to_terminal && let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
        return w;
    }
    100
}

/// Summary and warnings on stderr, and the exit status they imply.
fn finish(summary: &Summary, format: Format, args: &OutputArgs, strict: bool) -> Exit {
    if !args.quiet {
        let mut err = io::stderr().lock();
        if format == Format::Text {
            for line in text::summary_lines(summary) {
                let _ = writeln!(err, "ca-cli: {line}");
            }
        }
        for warning in &summary.warnings {
            let _ = writeln!(err, "ca-cli: warning: {warning}");
        }
    }
    let damaged = summary.cut_short || summary.malformed_packets > 0;
    if strict && damaged {
        if !args.quiet {
            eprintln!("ca-cli: error: the capture is damaged and --strict was given");
        }
        Exit::Failure
    } else {
        Exit::Success
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod allocator_tests {
    use super::*;

    /// The option set is the purge delay: the only one whose default is 1000 (ms) in
    /// mimalloc.h, version 3 (`MIMALLOC_VERBOSE=1 ca-cli --version` lists them all). Tests run
    /// without main, so the default is still in place, unless the environment set it.
    #[test]
    fn the_option_set_is_the_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reading an option has no precondition.
        let value = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(value, 1000);
    }
}
