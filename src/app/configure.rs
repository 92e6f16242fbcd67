//! Arguments to a run: the command line checked and turned into the library's [`Job`] (inputs
//! opened, GeoIP loaded, the filter built), so that everything that can fail on the command
//! line or the databases fails before the capture is read.

use std::io::{self, IsTerminal};
use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use ca_cli::config::{AnalysisConfig, Threads};
use ca_cli::enrich::{AsnSource, CountrySource, Enricher, GeoConfig, GeoIp};
use ca_cli::filter::{self, Cmp, End, Expr, Predicate, Quantity};
use ca_cli::flow::IdleTimeouts;
use ca_cli::interrupt::Interrupt;
use ca_cli::output::Format;
use ca_cli::pipeline::{Job, Selection};
use ca_cli::source::{self, FileIdentity, HttpOptions, InputSpec, SourceOptions};
use ca_cli::zone::{Zone, Zones};

use super::allocator;
use crate::cli::{CaptureArgs, FilterArgs, FormatArg, GeoArgs, OutputArgs, Place};

/// A command-line mistake found after parsing (a bad filter expression): exit status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The run a capture command asks for.
pub fn job(args: &CaptureArgs, output: &OutputArgs, interrupt: &Interrupt) -> Result<Job> {
    let (filter, description) = build_filter(&args.filter)?;
    let geo = GeoIp::open(&geo_config(&args.geo))?;
    let specs: Vec<InputSpec> = args.inputs.iter().map(|a| InputSpec::parse(a)).collect();
    if let Some(path) = &output.output {
        refuse_to_overwrite_an_input(path, &specs)?;
    }
    let quiet = output.quiet;
    // Why one thread per core, up to three: benches/README.md ("Threads").
    let threads = args
        .analysis
        .threads
        .map_or_else(Threads::per_core, |n| Threads::from_count(usize::from(n)));
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
        read_ahead: threads.read_ahead(),
        allow_duplicates: args.allow_duplicates,
    };
    let inputs = source::open_all(&specs, &options)?;
    let analysis = AnalysisConfig {
        idle_timeouts: args
            .analysis
            .idle_timeout
            .map_or_else(IdleTimeouts::zeek_defaults, IdleTimeouts::uniform),
        max_flows: (args.analysis.max_flows > 0).then_some(args.analysis.max_flows),
        interrupt: interrupt.clone(),
        no_identify: args.analysis.no_identify,
        threads,
        dns_details: false,
        time_zone: output.tz.clone(),
        profiles: None,
        on_many_flows: Some(allocator::release_memory_at_once),
    };
    Ok(Job {
        inputs,
        analysis,
        selection: Selection {
            enricher: Enricher::new(geo),
            filter,
            description,
        },
    })
}

/// `--output` must never replace a capture it reads: the same file by device and inode, links
/// followed (`--output copy.pcap` with `copy.pcap`, a link to it, or `- < copy.pcap`).
fn refuse_to_overwrite_an_input(output: &Path, inputs: &[InputSpec]) -> Result<()> {
    let Some(target) = FileIdentity::of_path(output) else {
        return Ok(());
    };
    match inputs
        .iter()
        .find(|spec| FileIdentity::of_input(spec) == Some(target))
    {
        Some(input) => Err(anyhow::anyhow!(
            "--output {} is the input {}: refusing to write over a capture",
            output.display(),
            input.display_name()
        )),
        None => Ok(()),
    }
}

pub fn geo_config(args: &GeoArgs) -> GeoConfig {
    GeoConfig {
        country: match (&args.geoip_db, args.no_geoip) {
            (_, true) => CountrySource::Disabled,
            (Some(path), false) => CountrySource::File(path.clone()),
            (None, false) => CountrySource::Bundled,
        },
        asn: match (&args.asn_db, args.no_asn || args.no_geoip) {
            (_, true) => AsnSource::Disabled,
            (Some(path), false) => AsnSource::File(path.clone()),
            (None, false) => AsnSource::Bundled,
        },
    }
}

/// The zone times are shown in (`--tz`, else `TZ`, else UTC), and the zone of the times in
/// JSON, NDJSON and CSV (`--tz`, else UTC: a pipeline's data does not change with the
/// environment of who runs it). A `TZ` that names no zone is UTC, with a warning.
pub fn zones(args: &OutputArgs) -> (Zone, Zone) {
    if let Some(zone) = &args.tz {
        return (zone.clone(), zone.clone());
    }
    let variable = std::env::var("TZ").ok();
    let shown = Zone::from_tz_variable(variable.as_deref()).unwrap_or_else(|error| {
        if !args.quiet {
            eprintln!("ca-cli: warning: TZ: {error}; times are in UTC");
        }
        Zone::utc()
    });
    (shown, Zone::utc())
}

/// The zone text shows times in, as [`zones`] says, without its warning.
pub fn text_zone(args: &OutputArgs) -> Zone {
    args.tz.clone().unwrap_or_else(|| {
        let variable = std::env::var("TZ").ok();
        Zone::from_tz_variable(variable.as_deref()).unwrap_or_else(|_| Zone::utc())
    })
}

/// The zones of a view's text and data, as [`zones`] says.
pub fn view_zones(args: &OutputArgs) -> Zones {
    let (text, _) = zones(args);
    Zones {
        text,
        data: args.tz.clone(),
    }
}

pub fn format_of(args: &OutputArgs) -> Format {
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
        group(&args.country, |place| match place {
            Place::Country(code) => Predicate::Country(End::Either, *code),
            Place::Label(label) => Predicate::Label(End::Either, label.to_string()),
        }),
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
    filter::check_values(&options).map_err(UsageError)?;
    let options_text = (options != Expr::Any).then(|| options.to_string());
    let Some(text) = &args.filter else {
        return Ok((options, options_text));
    };
    let user =
        filter::parse(text).map_err(|e| UsageError(format!("--filter: {e}\n{}", e.pointer())))?;
    filter::check_values(&user).map_err(|e| UsageError(format!("--filter: {e}")))?;
    // The user's expression as typed: the summary should show what they wrote.
    let description = match options_text {
        Some(options_text) => format!("{options_text} and ({text})"),
        None => text.clone(),
    };
    Ok((options.and(user), Some(description)))
}
