//! The time views: buckets add up to the selection on every capture (with filters and
//! `--by`), a long flow is split exactly, local days have 23 or 25 hours across daylight
//! saving, and mistakes (a bad zone, too many buckets) exit 2. The per-bucket figures are
//! checked against tshark in `oracle_timeline`.

use crate::common;

use std::path::Path;

use common::{ca_cli, file_name, ipv4, pcap_header, pcap_record, udp};
use serde_json::Value;

/// The JSON of `ca-cli VIEW FILE ARGS --json`, or the error of a refusal (exit 2).
fn json_of(view: &str, file: &Path, args: &[&str]) -> Result<Value, String> {
    let output = ca_cli()
        .arg(view)
        .arg(file)
        .args(args)
        .args(["--json", "-q"])
        .output()
        .expect("ca-cli runs");
    match output.status.code() {
        Some(0) => Ok(serde_json::from_slice(&output.stdout).expect("JSON")),
        Some(2) => Err(String::from_utf8_lossy(&output.stderr).into_owned()),
        other => panic!(
            "{view} {}: exit {other:?}: {}",
            file.display(),
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

fn field(v: &Value, name: &str) -> u64 {
    v[name].as_u64().unwrap_or_else(|| panic!("{name} in {v}"))
}

fn sum(rows: &[Value], name: &str) -> u64 {
    rows.iter().map(|r| field(r, name)).sum()
}

#[test]
fn buckets_add_up_to_the_selection_on_every_capture() {
    let variants: [&[&str]; 5] = [
        &[],
        &["--by", "service"],
        &["--filter", "proto udp or service tls", "--by", "country"],
        &["--interval", "1m", "--by", "dst", "--top", "3"],
        &["--tz", "Asia/Kathmandu", "--interval", "1h", "--by", "name"],
    ];
    let mut checked = 0;
    for file in common::all_captures() {
        let name = file_name(&file);
        for args in variants {
            let timeline = match json_of("timeline", &file, args) {
                Ok(json) => json,
                // A capture spanning years (the corpus has some) at a fixed interval.
                Err(why) if why.contains("buckets") && args.contains(&"--interval") => continue,
                Err(why) => panic!("{name} {args:?}: {why}"),
            };
            let summary = &timeline["summary"];
            let buckets = timeline["buckets"].as_array().unwrap();
            let untimed = field(&timeline, "untimed_packets");
            assert_eq!(
                sum(buckets, "packets") + untimed,
                field(summary, "selected_packets"),
                "{name} {args:?}: packets"
            );
            assert_eq!(
                sum(buckets, "bytes") + field(&timeline, "untimed_bytes"),
                field(summary, "selected_bytes"),
                "{name} {args:?}: bytes"
            );
            if untimed == 0 {
                assert_eq!(
                    sum(buckets, "flows_started"),
                    field(summary, "selected_flows"),
                    "{name} {args:?}: flows"
                );
            }
            for b in buckets {
                assert_eq!(
                    field(b, "bytes"),
                    field(b, "bytes_sent") + field(b, "bytes_received"),
                    "{name}"
                );
                assert!(
                    field(b, "flows_active") >= field(b, "flows_started"),
                    "{name}"
                );
                assert!(field(b, "sources") <= field(b, "flows_active"), "{name}");
                if let Some(series) = b["series"].as_array() {
                    for figure in ["packets", "bytes", "flows_started", "flows_active"] {
                        assert_eq!(
                            sum(series, figure),
                            field(b, figure),
                            "{name} {args:?}: series {figure}"
                        );
                    }
                }
            }
            if let Some(top) = args.iter().position(|a| *a == "--top") {
                let top: usize = args[top + 1].parse().unwrap();
                assert!(timeline["series"].as_array().unwrap().len() <= top + 1);
            }
            // Consecutive buckets: each ends where the next starts.
            for pair in buckets.windows(2) {
                assert_eq!(pair[0]["bucket_end"], pair[1]["bucket_start"], "{name}");
            }
            checked += 1;
        }
        let hours = match json_of("hours", &file, &[]) {
            Ok(json) => json,
            Err(why) if why.contains("more than 100,000 hours") => continue,
            Err(why) => panic!("{name} hours: {why}"),
        };
        let rows = hours["hours"].as_array().unwrap();
        let by_hour = hours["by_hour_of_day"].as_array().unwrap();
        for figure in ["packets", "bytes", "flows"] {
            assert_eq!(sum(rows, figure), sum(by_hour, figure), "{name}: hours");
        }
        if field(&hours, "untimed_packets") == 0 {
            assert_eq!(
                sum(rows, "bytes"),
                field(&hours["summary"], "selected_bytes"),
                "{name}: hours"
            );
        }
        assert_eq!(rows.len() % 24, 0, "{name}: whole UTC days");
    }
    assert!(checked > 200, "{checked} timelines");
}

/// A capture of one UDP flow from `from` (seconds since the epoch), a packet of 100 bytes
/// every `every` seconds, `count` of them.
fn one_flow(from: u32, every: u32, count: u32) -> Vec<u8> {
    let mut capture = pcap_header(228);
    for i in 0..count {
        let payload = udp(40000, 53, &[0; 72]);
        let packet = ipv4([10, 0, 0, 1], [10, 0, 0, 2], 17, i as u16, 0, &payload);
        pcap_record(&mut capture, from + i * every, 0, &packet);
    }
    capture
}

fn write_capture(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_long_flow_counts_in_every_bucket_it_spans() {
    let dir = tempfile::tempdir().unwrap();
    // 2026-12-07T10:00:00Z, a packet a second for ten minutes: one flow.
    let file = write_capture(&dir, "long.pcap", &one_flow(1_796_637_600, 1, 600));
    let json = json_of("timeline", &file, &["--interval", "1m"]).unwrap();
    assert_eq!(json["summary"]["selected_flows"], 1);
    let buckets = json["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 10);
    for (i, b) in buckets.iter().enumerate() {
        assert_eq!(b["bucket_start"], format!("2026-12-07T10:{:02}:00Z", i));
        assert_eq!(field(b, "packets"), 60);
        assert_eq!(field(b, "bytes"), 60 * 100);
        assert_eq!(field(b, "flows_active"), 1);
        assert_eq!(field(b, "flows_started"), u64::from(i == 0));
    }
    // Chosen by itself: about 60 buckets of a human step over ten minutes.
    let json = json_of("timeline", &file, &[]).unwrap();
    assert_eq!(json["interval"], "10s");
    assert_eq!(json["buckets"].as_array().unwrap().len(), 60);
    // Aligned to the clock of a zone a quarter of an hour off the hour: 10:00Z is 15:45
    // there, in the hour that started at 15:00 (09:15Z).
    let json = json_of("timeline", &file, &["--interval", "1h", "--tz", "+05:45"]).unwrap();
    let bounds: Vec<(&str, &str)> = json["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["bucket_start"].as_str().unwrap(),
                b["bucket_end"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        bounds,
        [("2026-12-07T15:00:00+05:45", "2026-12-07T16:00:00+05:45")]
    );
}

#[test]
fn local_days_have_23_and_25_hours_across_daylight_saving() {
    let dir = tempfile::tempdir().unwrap();
    for (zone, from, long_day, short_from, short_day) in [
        // 2026-10-24T00:00Z and 2026-03-28T00:00Z: three days around each change.
        (
            "Europe/Berlin",
            1_792_800_000u32,
            "2026-10-25",
            1_774_656_000u32,
            "2026-03-29",
        ),
        (
            "America/New_York",
            1_793_491_200,
            "2026-11-01",
            1_772_841_600,
            "2026-03-08",
        ),
    ] {
        for (start, day, hours) in [(from, long_day, 25), (short_from, short_day, 23)] {
            let capture = one_flow(start, 1800, 3 * 48);
            let file = write_capture(&dir, "dst.pcap", &capture);
            let json = json_of("hours", &file, &["--tz", zone, "--idle-timeout", "0"]).unwrap();
            let rows = json["hours"].as_array().unwrap();
            let on_day = rows.iter().filter(|r| r["date"] == day).count();
            assert_eq!(on_day, hours, "{zone} {day}");
            assert_eq!(sum(rows, "packets"), 3 * 48, "{zone}: every packet");
            // The timeline's days follow the same clock.
            let timeline = json_of("timeline", &file, &["--tz", zone, "--interval", "1d"]).unwrap();
            let days = timeline["buckets"].as_array().unwrap();
            let day_row = days
                .iter()
                .find(|b| b["bucket_start"].as_str().unwrap().starts_with(day))
                .unwrap();
            // A packet every half hour: 50 in a day of 25 hours, 46 in one of 23.
            assert_eq!(field(day_row, "packets"), 2 * hours as u64, "{zone} {day}");
        }
    }
}

#[test]
fn mistakes_exit_2_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    // Two packets a year apart.
    let mut capture = one_flow(1_764_000_000, 1, 1);
    let packet = ipv4([10, 0, 0, 1], [10, 0, 0, 2], 17, 9, 0, &udp(1, 2, &[]));
    pcap_record(&mut capture, 1_764_000_000 + 365 * 86_400, 0, &packet);
    let file = write_capture(&dir, "year.pcap", &capture);
    let output = ca_cli()
        .args(["timeline", "--interval", "1s"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--interval 1s makes more than 100,000 buckets from")
            && stderr.contains("--since/--until"),
        "{stderr}"
    );
    // The interval chosen by itself is a day.
    let json = json_of("timeline", &file, &[]).unwrap();
    assert_eq!(json["interval"], "1d");
    let output = ca_cli()
        .args(["timeline", "--tz", "Europe/Berln"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("did you mean Europe/Berlin"), "{stderr}");
}

#[test]
fn text_follows_tz_while_data_stays_utc_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_capture(&dir, "long.pcap", &one_flow(1_796_637_600, 1, 600));
    let text = |env: Option<&str>, args: &[&str]| {
        let mut command = ca_cli();
        if let Some(tz) = env {
            command.env("TZ", tz);
        }
        let output = command
            .args(["timeline", "--interval", "5m"])
            .arg(&file)
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(text(Some("Asia/Seoul"), &[]).contains("\n19:05 "));
    assert!(text(None, &[]).contains("\n10:05 "));
    // JSON keeps UTC under TZ, and carries the offset with --tz.
    let json = text(Some("Asia/Seoul"), &["--json"]);
    assert!(json.contains("\"2026-12-07T10:05:00Z\""), "{json}");
    let json = text(None, &["--json", "--tz", "Asia/Seoul"]);
    assert!(json.contains("\"2026-12-07T19:05:00+09:00\""), "{json}");
}

#[test]
fn other_views_show_times_in_tz() {
    let file = common::fixture("ndpi_http.pcapng");
    let run = |env: Option<&str>, args: &[&str]| {
        let mut command = ca_cli();
        if let Some(tz) = env {
            command.env("TZ", tz);
        }
        let output = command.arg("flows").arg(&file).args(args).output().unwrap();
        assert!(output.status.success());
        (
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    // Nanosecond pcapng: the longest RFC 3339 text, with an offset.
    let (json, _) = run(None, &["--json", "--tz=-05:30"]);
    assert!(
        json.contains("\"2022-01-25T11:20:41.023341461-05:30\""),
        "{json}"
    );
    let (ndjson, _) = run(None, &["--format", "ndjson", "--tz", "Asia/Seoul"]);
    assert!(ndjson.contains("\"first_seen\":\"2022-01-26T01:50:41.023341461+09:00\""));
    // TZ moves the text, never the data.
    let (text, stderr) = run(Some("Asia/Seoul"), &[]);
    assert!(
        text.starts_with("Times in Asia/Seoul\nStart (local)"),
        "{text}"
    );
    assert!(text.contains("\n01:50:41.023 "), "{text}");
    assert!(
        stderr.contains("(2022-01-26T01:50:41.023341461+09:00 to"),
        "{stderr}"
    );
    let (json, _) = run(Some("Asia/Seoul"), &["--json"]);
    assert!(
        json.contains("\"2022-01-25T16:50:41.023341461Z\""),
        "{json}"
    );
    let (text, _) = run(None, &[]);
    assert!(text.starts_with("Start (UTC)"), "{text}");
}
