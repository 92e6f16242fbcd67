//! Flow lists streamed as flows end (NDJSON and CSV without --sort or --top) hold exactly the
//! records of the sorted lists; they start before the capture ends, and stop reading when
//! their reader goes away.

use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{ca_cli, file_name};
use serde_json::Value;

fn stdout_of(args: &[&str], file: &std::path::Path) -> (Option<i32>, String) {
    let output = ca_cli().args(args).arg(file).output().unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

fn sorted_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    lines
}

#[test]
fn streamed_lists_hold_the_records_of_sorted_lists() {
    let mut records = 0;
    for file in common::all_captures() {
        for format in ["ndjson", "csv"] {
            let (code, streamed) = stdout_of(&["flows", "-q", "--format", format], &file);
            let (sorted_code, sorted) = stdout_of(
                &["flows", "-q", "--format", format, "--sort", "start"],
                &file,
            );
            let name = file_name(&file);
            assert_eq!(code, sorted_code, "{name} {format}");
            // The same records, each exactly as the sorted list prints it.
            assert_eq!(
                sorted_lines(&streamed),
                sorted_lines(&sorted),
                "{name} {format}"
            );
            if format == "csv" {
                // The header stays first.
                assert_eq!(streamed.lines().next(), sorted.lines().next(), "{name}");
            }
            records += sorted.lines().count();
        }
    }
    assert!(records > 1000, "{records} records compared");
}

#[test]
fn top_n_is_the_head_of_the_full_list() {
    for file in common::all_captures().iter().step_by(3) {
        for sort in ["start", "bytes", "packets", "duration"] {
            let flows = |extra: &[&str]| -> Vec<Value> {
                let mut args = vec!["flows", "-q", "--json", "--sort", sort];
                args.extend_from_slice(extra);
                let (_, text) = stdout_of(&args, file);
                let doc: Value = serde_json::from_str(&text).unwrap();
                doc["flows"].as_array().unwrap().clone()
            };
            let all = flows(&[]);
            for n in [1, 7] {
                let top = flows(&["--top", &n.to_string()]);
                let head: Vec<Value> = all.iter().take(n).cloned().collect();
                assert_eq!(top, head, "{} --sort {sort} --top {n}", file_name(file));
            }
        }
    }
}

#[test]
fn an_endless_capture_streams_flows_and_stops_when_the_reader_goes() {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("ca-cli"))
        .args(["flows", "-", "--format", "ndjson", "--no-geoip"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || common::endless_capture(stdin));
    let stdout = child.stdout.take().unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    // Reads lines until we stop listening, then hangs up.
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    // Records arrive while the capture is still being written.
    for _ in 0..3 {
        let line = received
            .recv_timeout(Duration::from_secs(120))
            .expect("no record while the capture goes on");
        let record: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(record["proto"], "udp");
        assert_eq!(record["packets_sent"], 1);
    }
    // Hang up: ca-cli sees a closed pipe, stops reading, and ends without an error.
    drop(received);
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "ca-cli kept reading a capture nobody reads"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    writer.join().unwrap();
    reader.join().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

/// The flow table is printed row by row (measured, then written) so that its text is never
/// held whole; it must be exactly the table comfy-table lays out from the whole text.
#[test]
fn the_streamed_flow_table_is_the_comfy_table_layout() {
    use ca_cli::enrich::{Enricher, GeoConfig, GeoIp};
    use ca_cli::output::text;
    use ca_cli::source::{InputSpec, SourceOptions, open_all};
    use ca_cli::view::flows::FlowsView;
    use ca_cli::view::report::{Report, Text, TextTable};
    use ca_cli::{AnalysisConfig, FlowListConfig, Job, Selection, SortKey};

    let mut tables = 0;
    for file in common::all_captures() {
        let Ok(inputs) = open_all(&[InputSpec::Path(file.clone())], &SourceOptions::default())
        else {
            continue;
        };
        let geo = GeoIp::open(&GeoConfig::default()).unwrap();
        let list = FlowListConfig {
            sort: SortKey::Bytes,
            top: None,
        };
        let job = Job {
            inputs,
            analysis: AnalysisConfig::default(),
            selection: Selection::all(Enricher::new(geo)),
        };
        let Ok(report) = ca_cli::run(job, FlowsView::new(list)) else {
            continue;
        };
        let Text::Streamed(table) = report.text() else {
            panic!("the flow list is a streamed table");
        };
        let whole = TextTable {
            title: None,
            columns: table.columns.to_vec(),
            rows: (table.rows)()
                .map(|row| row.into_iter().map(String::from).collect())
                .collect(),
            empty: table.empty,
        };
        for width in [Some(30), Some(72), Some(100), Some(160), None] {
            let (mut streamed, mut comfy) = (Vec::new(), Vec::new());
            text::streamed_table(&table, &mut streamed, width).unwrap();
            text::table(&whole, &mut comfy, width).unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(comfy).unwrap(),
                "{} at width {width:?}",
                file_name(&file)
            );
            tables += 1;
        }
    }
    assert!(tables > 100, "{tables} tables compared");
}
