//! The command line: clap argument types only. `main.rs` turns them into the library's
//! configuration; nothing below this file knows about clap.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use ca_cli::enrich::CountryCode;
use ca_cli::filter::{IpNet, TimeBound};
use ca_cli::zone::Zone;

const EXAMPLES: &str = "\
Examples:
  ca-cli flows capture.pcap                        flows as a table
  ca-cli flows a.pcap b.pcapng --format json       several files as one capture, one JSON document
  ca-cli flows capture.cap --format ndjson | jq 'select(.bytes_sent > 1000000)'
  ca-cli protocols capture.pcap                    traffic by protocol, service and country
  ca-cli dns capture.pcap                          names queried, answers, who asked
  ca-cli stats capture.pcap --top 20               top talkers, services, countries, durations
  ca-cli geo capture.pcap                          traffic per country, with bars
  ca-cli geo capture.pcap --country DE             one country's addresses and services
  ca-cli flows capture.pcap --filter 'proto tcp and dst port 443 and not country US'
  cat capture.pcap | ca-cli flows -                read standard input
  ca-cli stats --json \"$SAS_URL\"                  a capture in Azure Blob Storage (SAS URL)

Exit status: 0 success (also with warnings about a damaged capture), 1 unusable input or a
failure (and, with --strict, a damaged capture), 2 usage error (including a bad --filter).";

const FILTER_HELP: &str = "\
Select flows with an expression, combined (and) with the other filter options:
  proto NAME|NUMBER           tcp, udp, icmp, icmpv6, gre, esp, 47, ...
  [src|dst] host ADDR|CIDR    either end without src/dst (also: net, ip)
  [src|dst] port [CMP] N      port 443, dst port >= 1024
  [src|dst] country CC        ISO 3166 alpha-2, any case
  [src|dst] label NAME        private, loopback, link-local, cgnat, multicast, azure-wireserver,
                              azure-imds, ... or public (no label)
  service NAME                tls, http, dns, ssh, https, tcp/8443, ...
  name GLOB                   server name: login.example.com, *.example.com
  state NAME                  TCP state: S0, S1, SF, REJ, RSTO, ...
  bytes|packets|payload CMP N[k|M|G|KiB|MiB|GiB]
  duration CMP N[ms|s|m|h]
  since|until TIME            RFC 3339, or +DURATION after the capture's start
  not X, X and Y, X or Y, (X) also !, &&, ||; CMP is = != < <= > >=
  A value holding spaces or ( ) = ! < > & | goes in double quotes: name \"a b\" (\\\" for \")
Example: --filter 'proto tcp and (dst port 443 or dst port 8443) and not country US'";

/// Turn packet captures (pcap, pcapng, Azure Network Watcher .cap) into traffic insight.
#[derive(Debug, Parser)]
#[command(
    name = "ca-cli",
    version,
    after_help = EXAMPLES,
    arg_required_else_help = true,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List bidirectional flows: who talked to whom, how much, how long, TCP state, countries
    #[command(after_help = FLOWS_EXAMPLES)]
    Flows(FlowsArgs),
    /// Protocol overview: traffic by transport protocol, by service and by country
    Protocols(ProtocolsArgs),
    /// Statistics: top sources and destinations, services, countries, flow durations
    Stats(StatsArgs),
    /// Geomap: traffic per country; with --country CC, that country's addresses and services
    Geo(GeoViewArgs),
    /// DNS: the names asked about, how often, the answers and response codes, who asked
    Dns(DnsArgs),
    /// Timeline: packets, bytes sent and received, flows and addresses per interval of time
    #[command(after_help = TIMELINE_EXAMPLES)]
    Timeline(TimelineArgs),
    /// Per hour: a heatmap of days by hour of the day (flows, bytes, sent, received or duration)
    #[command(after_help = HOURS_EXAMPLES)]
    Hours(HoursArgs),
    /// GeoIP databases: what they are (info) and what they say about addresses (lookup)
    Geoip {
        #[command(subcommand)]
        command: GeoipCommand,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

const FLOWS_EXAMPLES: &str = "\
Examples:
  ca-cli flows capture.pcap
  ca-cli flows capture.pcap --sort bytes --top 20
  ca-cli flows a.pcap b.pcapng --format json > flows.json
  ca-cli flows capture.cap --format ndjson | jq 'select(.tcp_state == \"REJ\")'
  ca-cli flows capture.pcap --format csv --output flows.csv
  ca-cli flows capture.pcap --country CN --service ssh
  cat capture.pcap | ca-cli flows -

A flow is one conversation: protocol plus both addresses and ports (ICMP echo by its
identifier), in both directions. The source (src) is the side that sent the first packet, or the
SYN of a TCP connection. Bytes are frame lengths on the wire, as Wireshark counts them.

Text and JSON list flows by start time. NDJSON and CSV stream each flow as it ends, for
captures of any size; add --sort start for start order.";

const TIMELINE_EXAMPLES: &str = "\
Examples:
  ca-cli timeline capture.pcap                     about 60 buckets over the capture
  ca-cli timeline capture.pcap --interval 1m --tz Europe/Berlin
  ca-cli timeline capture.pcap --by service --top 5
  ca-cli timeline capture.pcap --interval 10s --format csv -o timeline.csv

Each packet counts in the bucket of its own timestamp, so a long download spreads over many
buckets; the buckets add up to the summary's selected packets and bytes. Empty buckets are
listed. Sent is what initiators (the src of each flow) sent, received what responders sent.";

const HOURS_EXAMPLES: &str = "\
Examples:
  ca-cli hours capture.pcap --tz Asia/Seoul        bytes per hour of the VM's local day
  ca-cli hours capture.pcap --metric flows
  ca-cli hours capture.pcap --format csv           one row per date and hour, every metric

Hours are those of the --tz clock (default: $TZ, else UTC): a day when the clock changes has
23 or 25 hours. Bytes count in the hour of each packet, flows (and their mean duration) in the
hour they started.";

#[derive(Debug, Subcommand)]
pub enum GeoipCommand {
    /// Show the GeoIP databases in use: source, type, build date, licence
    Info {
        #[command(flatten)]
        geo: GeoArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Look addresses up: country, special-range label, city and AS where the databases have them
    Lookup {
        /// IP addresses
        #[arg(required = true, value_name = "ADDRESS")]
        addresses: Vec<IpAddr>,
        #[command(flatten)]
        geo: GeoArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
}

#[derive(Debug, Args)]
pub struct FlowsArgs {
    #[command(flatten)]
    pub capture: CaptureArgs,

    /// Order of the flows [default: start]
    ///
    /// Without --sort and --top, NDJSON and CSV are streamed instead: each flow is written when
    /// it ends (idle timeout, a new connection on its ports, or the end of the capture), so
    /// output starts at once and memory stays flat on captures of any size.
    #[arg(long, short, value_enum)]
    pub sort: Option<SortArg>,

    /// Show only the first N flows (after sorting)
    #[arg(long, short = 'n', value_name = "N", value_parser = at_least_one)]
    pub top: Option<usize>,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ProtocolsArgs {
    #[command(flatten)]
    pub capture: CaptureArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub capture: CaptureArgs,

    /// Entries per top list
    #[arg(long, short = 'n', value_name = "N", default_value_t = 10, value_parser = at_least_one)]
    pub top: usize,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct GeoViewArgs {
    #[command(flatten)]
    pub capture: CaptureArgs,

    /// Order of the places [default: bytes]
    #[arg(long, value_enum)]
    pub sort: Option<PlaceSortArg>,

    /// Show only the first N places
    #[arg(long, short = 'n', value_name = "N", value_parser = at_least_one)]
    pub top: Option<usize>,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PlaceSortArg {
    /// Bytes both ways, most first
    Bytes,
    /// Flows, most first
    Flows,
    /// Distinct addresses, most first
    Addresses,
}

#[derive(Debug, Args)]
pub struct DnsArgs {
    #[command(flatten)]
    pub capture: CaptureArgs,

    /// Order of the names [default: queries]
    #[arg(long, value_enum)]
    pub sort: Option<NameSortArg>,

    /// Show only the first N names
    #[arg(long, short = 'n', value_name = "N", value_parser = at_least_one)]
    pub top: Option<usize>,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub capture: CaptureArgs,

    /// Length of a bucket: N with ms, s, m, h or d (250ms, 10s, 5m, 1h, 1d) [default: about
    /// 60 buckets over the selected traffic, of 1, 2, 5, 10, 20, 50, 100, 200, 500 ms, 1, 2, 5,
    /// 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h or 1 d]
    #[arg(long, short, value_name = "DURATION", value_parser = parse_interval)]
    pub interval: Option<u64>,

    /// One series per key: the top --top keys by bytes, the rest summed as `other`
    #[arg(long, value_enum, value_name = "KEY")]
    pub by: Option<SeriesArg>,

    /// Series with --by
    #[arg(long, short = 'n', value_name = "N", default_value_t = 8, value_parser = at_least_one)]
    pub top: usize,

    /// Where buckets start: on the clock of --tz (a 5-minute bucket at :00, :05, ...; a day
    /// at midnight), or at the capture's first packet, as tshark's -z io,stat
    #[arg(long, value_enum, default_value_t = AlignArg::Clock)]
    pub align: AlignArg,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct HoursArgs {
    #[command(flatten)]
    pub capture: CaptureArgs,

    /// What the text heatmap shades (JSON, NDJSON and CSV carry every metric)
    #[arg(long, value_enum, default_value_t = MetricArg::Bytes)]
    pub metric: MetricArg,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricArg {
    /// Flows started in the hour
    Flows,
    /// Bytes both ways
    Bytes,
    /// Bytes sent by initiators
    Sent,
    /// Bytes sent by responders
    Received,
    /// Mean duration of the flows started in the hour
    Duration,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SeriesArg {
    /// IP protocol: tcp, udp, icmp, ...
    Proto,
    /// Service, as the protocols view names it
    Service,
    /// The country of each flow's remote end, as the protocols view counts it
    Country,
    /// Source (initiator) address
    Src,
    /// Destination (responder) address
    Dst,
    /// Server name (TLS/QUIC SNI, HTTP Host, DNS)
    Name,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlignArg {
    /// On the clock of the time zone
    Clock,
    /// At the capture's first packet
    Capture,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NameSortArg {
    /// Queries, most first
    Queries,
    /// Distinct clients, most first
    Clients,
    /// Name, alphabetically
    Name,
}

/// What every capture-reading command takes: the inputs, how to analyse them, GeoIP, filters.
#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// Capture files (pcap or pcapng, recognised by content), - for standard input, or
    /// http(s):// URLs such as Azure Blob SAS URLs; several are analysed as one capture
    #[arg(required = true, value_name = "CAPTURE")]
    pub inputs: Vec<String>,

    /// Read a file named more than once (or through a link) each time; by default it is read
    /// once, with a warning
    #[arg(long)]
    pub allow_duplicates: bool,

    #[command(flatten)]
    pub download: DownloadArgs,

    #[command(flatten)]
    pub analysis: AnalysisArgs,

    #[command(flatten)]
    pub geo: GeoArgs,

    #[command(flatten)]
    pub filter: FilterArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    /// Start time, earliest first
    Start,
    /// Bytes both ways, largest first
    Bytes,
    /// Packets both ways, most first
    Packets,
    /// Duration, longest first
    Duration,
}

#[derive(Debug, Args)]
pub struct AnalysisArgs {
    /// Start a new flow after this much silence: seconds, or with a unit (90s, 5m, 1h); 0
    /// never splits [default: TCP 5m, UDP and ICMP 1m]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_nanos)]
    pub idle_timeout: Option<u64>,

    /// Exit with status 1 when a capture is cut short or has malformed packets
    #[arg(long)]
    pub strict: bool,

    /// Threads: 1 does all on one (less CPU, slower); 2 decodes files (reads ahead from pipes
    /// and downloads) on a second thread while the first counts flows and identifies payloads;
    /// 3 identifies payloads on a third. Results are identical [default: the machine's cores,
    /// up to 3]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=3))]
    pub threads: Option<u16>,

    /// Most flows held in memory at once; past it the flows idle the longest end early, with a
    /// warning. The default keeps a hostile capture (millions of live flows) near 1 GB of
    /// memory. 0: no limit
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    pub max_flows: usize,

    /// Do not read payloads: services are guessed from ports, and no server names are found
    #[arg(long)]
    pub no_identify: bool,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Downloads (http:// and https:// inputs)")]
pub struct DownloadArgs {
    /// Parallel ranged requests for a blob over 8 MiB when one connection brings less than
    /// 200 MB/s; 1 always streams a single response
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub connections: u16,

    /// Seconds to wait for a connection or for the next bytes before retrying
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,

    /// Attempts after a dropped connection, timeout or server error before giving up (each
    /// resumes from the last byte received)
    #[arg(long, value_name = "N", default_value_t = 6)]
    pub retries: u32,

    /// PEM file of extra trusted root certificates (a corporate proxy's or a test CA)
    #[arg(long, value_name = "PEM")]
    pub ca_cert: Option<PathBuf>,

    /// Bytes per ranged request of a download (at least 1024)
    #[arg(long, value_name = "BYTES", default_value_t = 8 << 20, value_parser = clap::value_parser!(u64).range(1024..))]
    pub chunk_size: u64,

    /// First wait before retrying a download, in milliseconds; it doubles on each retry, up to
    /// 5 s
    #[arg(long, value_name = "MS", default_value_t = 250)]
    pub backoff_ms: u64,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "GeoIP")]
pub struct GeoArgs {
    /// Country (or City) database: MaxMind GeoIP2/GeoLite2, DB-IP or ip-location-db .mmdb
    /// [default: the bundled ip-location-db country database]
    #[arg(long, value_name = "PATH", env = "CA_CLI_GEOIP_DB")]
    pub geoip_db: Option<PathBuf>,

    /// ASN database (GeoLite2-ASN layout) for src_asn/dst_asn and AS organisations
    /// [default: the bundled ip-location-db IP-to-AS table]
    #[arg(long, value_name = "PATH", env = "CA_CLI_ASN_DB")]
    pub asn_db: Option<PathBuf>,

    /// No AS lookups, no src_asn/dst_asn fields (even with --asn-db or CA_CLI_ASN_DB)
    #[arg(long)]
    pub no_asn: bool,

    /// No GeoIP lookups, neither countries nor AS, whatever database is named (special-range
    /// labels still apply)
    #[arg(long)]
    pub no_geoip: bool,
}

#[derive(Debug, Args)]
#[command(
    next_help_heading = "Filters (select flows; repeat an option or use commas for alternatives)"
)]
pub struct FilterArgs {
    /// IP protocols: tcp, udp, icmp, icmpv6, gre, esp or a number
    #[arg(long, value_name = "PROTO", value_delimiter = ',', value_parser = parse_proto)]
    pub proto: Vec<u8>,

    /// Services: tls, http, dns, quic, ssh, ... as identified from the payload, else the
    /// port's name (https, tcp/8443, ...)
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub service: Vec<String>,

    /// Server names (TLS/QUIC SNI, HTTP Host, DNS): exact or a glob such as '*.example.com'
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    pub name: Vec<String>,

    /// Address or CIDR network at either end
    #[arg(long, value_name = "IP|CIDR", value_delimiter = ',')]
    pub host: Vec<IpNet>,

    /// Address or CIDR network of the source (initiator)
    #[arg(long, value_name = "IP|CIDR", value_delimiter = ',')]
    pub src: Vec<IpNet>,

    /// Address or CIDR network of the destination (responder)
    #[arg(long, value_name = "IP|CIDR", value_delimiter = ',')]
    pub dst: Vec<IpNet>,

    /// Port at either end
    #[arg(long, value_name = "N", value_delimiter = ',')]
    pub port: Vec<u16>,

    /// Country (ISO 3166 alpha-2) or label (private, multicast, ...) at either end;
    /// `geo --country CC,...` also details each
    #[arg(long, value_name = "CC", value_delimiter = ',', value_parser = parse_place)]
    pub country: Vec<Place>,

    /// Country of the source
    #[arg(long, value_name = "CC", value_delimiter = ',', value_parser = parse_country)]
    pub src_country: Vec<CountryCode>,

    /// Country of the destination
    #[arg(long, value_name = "CC", value_delimiter = ',', value_parser = parse_country)]
    pub dst_country: Vec<CountryCode>,

    /// Flows active at or after TIME: RFC 3339, or +DURATION after the capture's start
    #[arg(long, value_name = "TIME", value_parser = parse_time_bound)]
    pub since: Option<TimeBound>,

    /// Flows active at or before TIME: RFC 3339, or +DURATION after the capture's start
    #[arg(long, value_name = "TIME", value_parser = parse_time_bound)]
    pub until: Option<TimeBound>,

    /// Flows of at least N bytes (both ways; k, M, G allowed)
    #[arg(long, value_name = "N", value_parser = parse_bytes)]
    pub min_bytes: Option<u64>,

    /// A filter expression (see below)
    #[arg(long, value_name = "EXPR", long_help = FILTER_HELP)]
    pub filter: Option<String>,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format
    #[arg(long, short, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,

    /// Shorthand for --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// Write the output to FILE instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print no summary and no warnings on standard error (errors still)
    #[arg(long, short)]
    pub quiet: bool,

    /// NDJSON and CSV: start with a line naming the schema version ({"schema_version":N} or
    /// #schema_version=N); JSON documents always carry it
    #[arg(long)]
    pub schema_line: bool,

    /// Time zone of the times shown: an IANA name (Asia/Seoul), UTC, or an offset (+09:00);
    /// timeline cuts days and hours by its clock. Default: $TZ, else UTC; JSON, NDJSON and CSV
    /// keep UTC unless --tz is given
    #[arg(long, value_name = "ZONE", value_parser = parse_zone, allow_hyphen_values = true)]
    pub tz: Option<Zone>,

    /// Text tables: fit N columns (0: as wide as their content). Default: $COLUMNS, else the
    /// terminal's width; in a pipe or file without $COLUMNS, as wide as their content
    #[arg(long, value_name = "N")]
    pub width: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Tables for people (summary on stderr)
    Text,
    /// One JSON document
    Json,
    /// One JSON object per line
    Ndjson,
    /// Comma-separated values with a header row
    Csv,
}

/// "300", "300s", "1.5m", "5m", "1h", "250ms" -> nanoseconds.
fn parse_duration_nanos(text: &str) -> Result<u64, String> {
    ca_cli::filter::parse_duration(text.trim())
        .ok_or_else(|| format!("'{text}' is not a duration (examples: 300, 90s, 5m, 1h, 250ms)"))
}

/// A bucket length: at least a millisecond.
fn parse_interval(text: &str) -> Result<u64, String> {
    match ca_cli::filter::parse_duration(text.trim()) {
        Some(nanos) if nanos >= 1_000_000 => Ok(nanos),
        Some(_) => Err(format!(
            "'{text}' is shorter than the shortest interval, 1ms"
        )),
        None => Err(format!(
            "'{text}' is not an interval (examples: 250ms, 10s, 5m, 1h, 1d)"
        )),
    }
}

fn parse_zone(text: &str) -> Result<Zone, String> {
    Zone::parse(text).map_err(|e| e.to_string())
}

fn parse_proto(text: &str) -> Result<u8, String> {
    ca_cli::filter::proto_number(text).ok_or_else(|| {
        format!("unknown protocol '{text}' (tcp, udp, icmp, icmpv6, gre, esp, or a number)")
    })
}

/// Where an address is: a country, or a special range's label for addresses no country has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Country(CountryCode),
    Label(&'static str),
}

impl Place {
    /// As the geo view names places: `DE`, `private`.
    pub fn name(&self) -> String {
        match self {
            Place::Country(code) => code.to_string(),
            Place::Label(label) => label.to_string(),
        }
    }
}

fn parse_place(text: &str) -> Result<Place, String> {
    use ca_cli::enrich::special;
    if let Some(label) = special::filter_label(text) {
        return Ok(Place::Label(label));
    }
    CountryCode::parse(text).map(Place::Country).ok_or_else(|| {
        format!(
            "'{text}' is neither a two-letter country code (ISO 3166) nor a label ({})",
            special::filter_labels()
        )
    })
}

fn parse_country(text: &str) -> Result<CountryCode, String> {
    CountryCode::parse(text)
        .ok_or_else(|| format!("'{text}' is not a two-letter country code (ISO 3166)"))
}

fn parse_time_bound(text: &str) -> Result<TimeBound, String> {
    text.parse::<TimeBound>()
}

fn parse_bytes(text: &str) -> Result<u64, String> {
    ca_cli::filter::parse_size(text)
        .ok_or_else(|| format!("'{text}' is not a byte count (examples: 1500, 10k, 2M)"))
}

/// A count of entries to show: `--top 0` would show nothing, so it is a mistake.
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("0 would show nothing; give 1 or more (or leave --top out)".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_nanos("300"), Ok(300_000_000_000));
        assert_eq!(parse_duration_nanos("90s"), Ok(90_000_000_000));
        assert_eq!(parse_duration_nanos("1.5m"), Ok(90_000_000_000));
        assert_eq!(parse_duration_nanos("1h"), Ok(3_600_000_000_000));
        assert_eq!(parse_duration_nanos("250ms"), Ok(250_000_000));
        assert_eq!(parse_duration_nanos("0"), Ok(0));
        assert!(parse_duration_nanos("5 parsecs").is_err());
        assert!(parse_duration_nanos("-1").is_err());
        assert!(parse_duration_nanos("").is_err());
    }
}
