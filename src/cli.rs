//! The command line: clap argument types only. `main.rs` turns them into the library's
//! configuration; nothing below this file knows about clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

const EXAMPLES: &str = "\
Examples:
  ca-cli flows capture.pcap                        flows as a table
  ca-cli flows a.pcap b.pcapng --format json       several files as one capture, one JSON document
  ca-cli flows capture.cap --format ndjson | jq 'select(.bytes_sent > 1000000)'
  ca-cli flows capture.pcap --sort bytes --top 20  the 20 biggest flows
  cat capture.pcap | ca-cli flows -                read standard input
  ca-cli completions bash > /etc/bash_completion.d/ca-cli

Exit status: 0 success (also with warnings about a damaged capture), 1 unusable input or a
failure (and, with --strict, a damaged capture), 2 usage error.";

const FLOWS_EXAMPLES: &str = "\
Examples:
  ca-cli flows capture.pcap
  ca-cli flows capture.pcap --sort bytes --top 20
  ca-cli flows a.pcap b.pcapng --format json > flows.json
  ca-cli flows capture.cap --format ndjson | jq 'select(.tcp_state == \"REJ\")'
  ca-cli flows capture.pcap --format csv --output flows.csv
  cat capture.pcap | ca-cli flows -

A flow is one conversation: protocol plus both addresses and ports (ICMP echo by its
identifier), in both directions. The source (src) is the side that sent the first packet, or the
SYN of a TCP connection. Bytes are frame lengths on the wire, as Wireshark counts them.";

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
    /// List bidirectional flows: who talked to whom, how much, how long, TCP state
    #[command(after_help = FLOWS_EXAMPLES)]
    Flows(FlowsArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

#[derive(Debug, Args)]
pub struct FlowsArgs {
    /// Capture files (pcap or pcapng, recognised by content) or - for standard input; several
    /// are analysed as one capture
    #[arg(required = true, value_name = "CAPTURE")]
    pub inputs: Vec<String>,

    /// Order of the flows
    #[arg(long, short, value_enum, default_value_t = SortArg::Start)]
    pub sort: SortArg,

    /// Show only the first N flows (after sorting)
    #[arg(long, short = 'n', value_name = "N")]
    pub top: Option<usize>,

    #[command(flatten)]
    pub analysis: AnalysisArgs,

    #[command(flatten)]
    pub output: OutputArgs,
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
}

#[derive(Debug, Args)]
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A table for people (summary on stderr)
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
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a duration (examples: 300, 90s, 5m, 1h)"))?;
    let scale = match unit.trim() {
        "" | "s" => 1e9,
        "ms" => 1e6,
        "m" | "min" => 60e9,
        "h" => 3600e9,
        other => return Err(format!("unknown unit '{other}' (use ms, s, m or h)")),
    };
    let nanos = value * scale;
    if !(0.0..=1e18).contains(&nanos) {
        return Err(format!("'{text}' is out of range"));
    }
    Ok(nanos.round() as u64)
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
