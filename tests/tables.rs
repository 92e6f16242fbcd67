//! The text tables read like tables: one line per row at every width and in a pipe, addresses
//! never shortened or split, optional columns left out rather than rows wrapped.

use crate::common;

use std::path::Path;

use common::{ca_cli, file_name};
use serde_json::Value;

/// The view's text (stdout) at `width` (`None`: piped, no COLUMNS), and its JSON.
fn text_and_json(view: &str, file: &Path, width: Option<u16>) -> Option<(String, Value)> {
    let run = |args: &[&str]| {
        let mut command = ca_cli();
        command.env_remove("COLUMNS").arg(view).arg(file).args(args);
        command.output().unwrap()
    };
    let json = run(&["--format", "json", "--quiet"]);
    if !json.status.success() {
        return None;
    }
    let width = width.map(|w| w.to_string());
    let mut args = vec!["--quiet"];
    if let Some(w) = &width {
        args.extend(["--width", w]);
    }
    let text = run(&args);
    assert!(text.status.success(), "{view} {}", file_name(file));
    Some((
        String::from_utf8(text.stdout).unwrap(),
        serde_json::from_slice(&json.stdout).unwrap(),
    ))
}

/// Every flow is one line of the table, whatever the width, with its addresses whole.
#[test]
fn one_line_per_flow_on_every_capture_at_every_width() {
    let mut checked = 0;
    for file in common::all_captures() {
        for width in [None, Some(200), Some(120), Some(80), Some(40)] {
            let Some((text, json)) = text_and_json("flows", &file, width) else {
                continue;
            };
            let flows = json["flows"].as_array().unwrap();
            let lines: Vec<&str> = text.lines().collect();
            let name = format!("{} at {width:?}", file_name(&file));
            if flows.is_empty() {
                assert_eq!(lines, ["no flows"], "{name}");
                continue;
            }
            assert_eq!(
                lines.len(),
                flows.len() + 2,
                "{name}: header, rule, a line per flow"
            );
            for (line, flow) in lines[2..].iter().zip(flows) {
                for end in ["src", "dst"] {
                    let ip = flow[format!("{end}_ip")].as_str().unwrap();
                    let shown = match flow[format!("{end}_port")].as_u64() {
                        Some(port) if ip.contains(':') => format!("[{ip}]:{port}"),
                        Some(port) => format!("{ip}:{port}"),
                        None => ip.to_string(),
                    };
                    assert!(line.contains(&shown), "{name}: {shown} whole in {line:?}");
                }
            }
            if width.is_none() {
                // In a pipe nothing is shortened: every server name is there whole.
                for (line, flow) in lines[2..].iter().zip(flows) {
                    if let Some(server) = flow["server_name"].as_str() {
                        assert!(line.contains(server), "{name}: {server} in {line:?}");
                    }
                }
            } else if let Some(width) = width {
                let widest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
                // Wider than asked only once every optional column is left out.
                if widest > usize::from(width) {
                    for optional in ["Packets", "Duration", "State", "Server name", "Owner"] {
                        assert!(
                            !lines[0].contains(optional),
                            "{name}: {widest} wide with {optional}"
                        );
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 250, "{checked} tables checked");
}

/// The addresses of every list of `stats` and `geo --country` appear whole in their tables.
#[test]
fn no_table_splits_an_address() {
    let mut addresses = 0;
    for file in common::all_captures() {
        for width in [None, Some(100), Some(60)] {
            let Some((text, json)) = text_and_json("stats", &file, width) else {
                continue;
            };
            for section in [
                "top_sources_by_bytes",
                "top_sources_by_flows",
                "top_destinations_by_bytes",
                "top_destinations_by_flows",
            ] {
                for host in json[section].as_array().into_iter().flatten() {
                    let address = host["address"].as_str().unwrap();
                    let whole = text
                        .lines()
                        .any(|line| line.split_whitespace().next() == Some(address));
                    assert!(
                        whole,
                        "{} {section}: {address} at {width:?}",
                        file_name(&file)
                    );
                    addresses += 1;
                }
            }
        }
    }
    assert!(addresses > 1000, "{addresses} addresses checked");
}

/// `--top N` says how many of how many; `--top 0` is a mistake.
#[test]
fn top_says_how_many_of_how_many() {
    let file = common::fixture("ndpi_iphone.pcap");
    let all = common::flows_json(&file, &[]);
    let selected = all["summary"]["selected_flows"].as_u64().unwrap();
    assert!(selected > 2, "{selected}");
    let output = ca_cli()
        .arg("flows")
        .arg(&file)
        .args(["--top", "2"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("ca-cli: showing 2 of {selected} flows (--top)")),
        "{stderr}"
    );
    for view in ["flows", "stats"] {
        let output = ca_cli()
            .arg(view)
            .arg(&file)
            .args(["--top", "0"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{view}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("0 would show nothing"));
    }
}

/// Text written to a file starts with what the summary says on stderr, warnings included.
#[test]
fn text_written_to_a_file_carries_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    let file = common::fixture("ndpi_iphone.pcap");
    let out = dir.path().join("flows.txt");
    let shown = ca_cli()
        .arg("flows")
        .arg(&file)
        .args(["--filter", "proto tcp", "--top", "1"])
        .output()
        .unwrap();
    ca_cli()
        .arg("flows")
        .arg(&file)
        .args(["--filter", "proto tcp", "--top", "1", "-o"])
        .arg(&out)
        .assert()
        .success();
    let written = std::fs::read_to_string(&out).unwrap();
    let stderr = String::from_utf8_lossy(&shown.stderr);
    let header: Vec<String> = stderr
        .lines()
        .map(|l| l.strip_prefix("ca-cli: ").unwrap().to_string())
        .collect();
    assert!(
        header.iter().any(|l| l.starts_with("filter proto tcp")),
        "{stderr}"
    );
    assert!(
        header.iter().any(|l| l.starts_with("showing 1 of")),
        "{stderr}"
    );
    let expected = format!(
        "{}\n\n{}",
        header.join("\n"),
        String::from_utf8_lossy(&shown.stdout)
    );
    assert_eq!(written, expected);
}

/// The start column tells the time of day, and the date too when the capture spans days: each
/// flow's start as its JSON `first_seen` says, to the millisecond.
#[test]
fn the_start_column_is_each_flows_first_seen() {
    for (file, with_date) in [("ndpi_iphone.pcap", false), ("ndpi_sites.pcapng", true)] {
        let file = common::fixture(file);
        let Some((text, json)) = text_and_json("flows", &file, None) else {
            panic!("{} runs", file_name(&file));
        };
        let flows = json["flows"].as_array().unwrap();
        assert!(flows.len() > 10);
        for (line, flow) in text.lines().skip(2).zip(flows) {
            let first = flow["first_seen"].as_str().unwrap(); // 2020-07-28T17:34:54.169758000Z
            let (date, time) = first.split_once('T').unwrap();
            let expected = if with_date {
                format!("{date} {}", &time[..12])
            } else {
                time[..12].to_string()
            };
            assert!(
                line.starts_with(&format!("{expected}  ")),
                "{line:?} for {first}"
            );
        }
    }
}

/// `COLUMNS=0`, like `--width 0`, means as wide as the content.
#[test]
fn zero_columns_is_unlimited() {
    let file = common::fixture("ndpi_iphone.pcap");
    let run = |columns: Option<&str>, args: &[&str]| {
        let mut command = ca_cli();
        command
            .env_remove("COLUMNS")
            .arg("flows")
            .arg(&file)
            .arg("-q")
            .args(args);
        if let Some(c) = columns {
            command.env("COLUMNS", c);
        }
        command.output().unwrap().stdout
    };
    let piped = run(None, &[]);
    assert_eq!(run(Some("0"), &[]), piped);
    assert_eq!(run(Some("60"), &["--width", "0"]), piped);
    assert_ne!(run(Some("60"), &[]), piped, "COLUMNS=60 fits 60 columns");
}
