//! The `ca-cli` binary: parse arguments, run the library, map outcomes to exit codes.

mod app;
mod cli;

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::{CommandFactory, Parser};

use ca_cli::FlowListConfig;
use ca_cli::enrich::GeoIp;
use ca_cli::interrupt::Interrupt;
use ca_cli::output::{self, FlowStream, Format, StreamFormat, text};
use ca_cli::pipeline::{AnalysisError, CaptureReport, Job, View};
use ca_cli::view::cells::thousands;
use ca_cli::view::clock::{Align, BucketClock};
use ca_cli::view::dns::{DnsView, NameListConfig, NameSort};
use ca_cli::view::flows::{FlowsView, SortKey};
use ca_cli::view::geo::{GeoView, PlaceListConfig, PlaceSort};
use ca_cli::view::hours::{HourMetric, HoursView};
use ca_cli::view::lookup::{GeoInfoReport, LookupReport};
use ca_cli::view::protocols::ProtocolsView;
use ca_cli::view::report::Report;
use ca_cli::view::stats::StatsView;
use ca_cli::view::timeline::{SeriesBy, TimelineConfig, TimelineView, TooManyBuckets};

use app::configure::{self, UsageError, format_of};
use app::ctrl_c::{self, INTERRUPTED};
use app::output_file::write_output;
use cli::{
    AlignArg, CaptureArgs, Cli, Command, FlowsArgs, GeoipCommand, MetricArg, NameSortArg,
    OutputArgs, Place, PlaceSortArg, SeriesArg, SortArg, TimelineArgs,
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
    /// Stopped by Ctrl-C, as shells report a process ended by SIGINT (128 + 2).
    Interrupted = INTERRUPTED as isize,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

fn main() -> ExitCode {
    app::allocator::keep_freed_memory();
    app::sigbus::install();
    let cli = Cli::parse();
    let interrupt = Interrupt::default();
    ctrl_c::install(&interrupt);
    let result = run(cli, &interrupt);
    if interrupt.is_raised() {
        // The report (when one was written) says it covers only what was read; the status
        // says the run did not finish.
        if let Err(error) = &result
            && !is_broken_pipe(error)
        {
            eprintln!("ca-cli: error: {error:#}");
        }
        return Exit::Interrupted.into();
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

fn run(cli: Cli, interrupt: &Interrupt) -> Result<Exit> {
    match cli.command {
        Command::Flows(args) => flows(args, interrupt),
        Command::Protocols(args) => show(
            &args.capture,
            &args.output,
            ProtocolsView::default(),
            interrupt,
        ),
        Command::Stats(args) => show(
            &args.capture,
            &args.output,
            StatsView::new(args.top),
            interrupt,
        ),
        Command::Geo(args) => {
            let drill = args
                .capture
                .filter
                .country
                .iter()
                .map(Place::name)
                .collect();
            let list = PlaceListConfig {
                sort: match args.sort.unwrap_or(PlaceSortArg::Bytes) {
                    PlaceSortArg::Bytes => PlaceSort::Bytes,
                    PlaceSortArg::Flows => PlaceSort::Flows,
                    PlaceSortArg::Addresses => PlaceSort::Addresses,
                },
                top: args.top,
            };
            show(
                &args.capture,
                &args.output,
                GeoView::new(drill, list),
                interrupt,
            )
        }
        Command::Dns(args) => {
            let list = NameListConfig {
                sort: match args.sort.unwrap_or(NameSortArg::Queries) {
                    NameSortArg::Queries => NameSort::Queries,
                    NameSortArg::Clients => NameSort::Clients,
                    NameSortArg::Name => NameSort::Name,
                },
                top: args.top,
            };
            show(&args.capture, &args.output, DnsView::new(list), interrupt)
        }
        Command::Timeline(args) => timeline(args, interrupt),
        Command::Hours(args) => {
            let (zone, data_zone) = configure::zones(&args.output);
            let metric = match args.metric {
                MetricArg::Flows => HourMetric::Flows,
                MetricArg::Bytes => HourMetric::Bytes,
                MetricArg::Sent => HourMetric::Sent,
                MetricArg::Received => HourMetric::Received,
                MetricArg::Duration => HourMetric::Duration,
            };
            show(
                &args.capture,
                &args.output,
                HoursView::new(zone, data_zone, metric),
                interrupt,
            )
        }
        Command::Geoip { command } => {
            match command {
                GeoipCommand::Info { geo, output } => {
                    let geo = GeoIp::open(&configure::geo_config(&geo))?;
                    render(&GeoInfoReport::new(&geo), &output)?;
                }
                GeoipCommand::Lookup {
                    addresses,
                    geo,
                    output,
                } => {
                    let mut geo = GeoIp::open(&configure::geo_config(&geo))?;
                    render(&LookupReport::new(&addresses, &mut geo), &output)?;
                }
            }
            Ok(Exit::Success)
        }
        Command::Completions { shell } => {
            io::stdout().lock().write_all(&completion_script(shell))?;
            Ok(Exit::Success)
        }
    }
}

/// Run `view` over the capture, write its report, and say how the run ends.
fn show<V: View>(
    capture: &CaptureArgs,
    output: &OutputArgs,
    view: V,
    interrupt: &Interrupt,
) -> Result<Exit>
where
    V::Report: Report,
{
    let job = configure::job(capture, output, interrupt)?;
    let report = analyse(job, view)?;
    // Text written to a file starts with the summary, which otherwise goes to stderr only.
    let header = output.output.is_some().then(|| {
        let (lines, warnings) = summary_text(&report, output);
        [lines, warnings].concat()
    });
    write_output(output, |format, out, width| {
        if format == Format::Text
            && let Some(header) = &header
        {
            for line in header {
                writeln!(out, "{line}")?;
            }
            writeln!(out)?;
        }
        Ok(output::render(&report, format, out, width)?)
    })?;
    Ok(finish(
        &report,
        format_of(output),
        output,
        capture.analysis.strict,
    ))
}

/// `flows`: NDJSON and CSV in the capture's order are written as flows end, never held.
fn flows(args: FlowsArgs, interrupt: &Interrupt) -> Result<Exit> {
    let format = format_of(&args.output);
    if let Some(stream) = StreamFormat::of(format)
        && args.sort.is_none()
        && args.top.is_none()
    {
        let job = configure::job(&args.capture, &args.output, interrupt)?;
        let summary = write_output(&args.output, |_, out, _| {
            analyse(
                job,
                FlowStream::new(stream, out).in_zone(args.output.tz.clone()),
            )
        })?;
        return Ok(finish(
            &summary,
            format,
            &args.output,
            args.capture.analysis.strict,
        ));
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
    let view = FlowsView::new(list).in_zones(configure::view_zones(&args.output));
    show(&args.capture, &args.output, view, interrupt)
}

fn timeline(args: TimelineArgs, interrupt: &Interrupt) -> Result<Exit> {
    let (zone, data_zone) = configure::zones(&args.output);
    let config = TimelineConfig {
        interval: args.interval,
        clock: BucketClock {
            zone,
            align: match args.align {
                AlignArg::Clock => Align::Clock,
                AlignArg::Capture => Align::Capture,
            },
        },
        by: args.by.map(|by| match by {
            SeriesArg::Proto => SeriesBy::Proto,
            SeriesArg::Service => SeriesBy::Service,
            SeriesArg::Country => SeriesBy::Country,
            SeriesArg::Src => SeriesBy::Src,
            SeriesArg::Dst => SeriesBy::Dst,
            SeriesArg::Name => SeriesBy::Name,
        }),
        top: args.top,
        data_zone,
    };
    show(
        &args.capture,
        &args.output,
        TimelineView::new(config),
        interrupt,
    )
}

/// The library's run, with the output's own error as the error (so `--output` names its
/// file and a closed pipe ends quietly).
fn analyse<V: View>(job: Job, view: V) -> Result<V::Report> {
    match ca_cli::run(job, view) {
        Ok(report) => Ok(report),
        Err(AnalysisError::Output(error)) => {
            // A view that finds the command line asks for the impossible says so as its error.
            if let Some(usage) = error
                .get_ref()
                .and_then(|e| e.downcast_ref::<TooManyBuckets>())
            {
                return Err(UsageError(usage.to_string()).into());
            }
            Err(error.into())
        }
        Err(error) => Err(error.into()),
    }
}

/// Write a report in the format asked for, where it was asked for.
fn render(report: &impl Report, args: &OutputArgs) -> Result<()> {
    write_output(args, |format, out, width| {
        Ok(output::render(report, format, out, width)?)
    })
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

/// The summary as text (and what part of the flows is listed), then the warnings.
fn summary_text(report: &impl CaptureReport, args: &OutputArgs) -> (Vec<String>, Vec<String>) {
    let summary = report.summary();
    let mut lines = text::summary_lines(summary, &configure::text_zone(args));
    if let Some(listed) = report.listed() {
        lines.push(format!(
            "showing {} of {} {} (--top)",
            thousands(listed.shown),
            thousands(listed.of),
            listed.what
        ));
    }
    let warnings = summary.warnings.iter().map(|w| format!("warning: {w}"));
    (lines, warnings.collect())
}

/// Summary and warnings on stderr, and the exit status they imply.
fn finish(report: &impl CaptureReport, format: Format, args: &OutputArgs, strict: bool) -> Exit {
    let summary = report.summary();
    if !args.quiet {
        let mut err = io::stderr().lock();
        let (lines, warnings) = summary_text(report, args);
        // Without text, only the warnings: the rest is in the JSON, NDJSON or CSV.
        let lines = if format == Format::Text {
            lines
        } else {
            Vec::new()
        };
        for line in lines.iter().chain(&warnings) {
            let _ = writeln!(err, "ca-cli: {line}");
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
