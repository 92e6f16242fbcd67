//! The binary's contract: exit codes, one-line errors, warnings for damaged captures, formats,
//! inputs from files, standard input and several files at once.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::{ca_cli, fixture, flows_json};
use predicates::prelude::*;
use serde_json::Value;

fn temp_file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

/// stderr must be exactly one line, naming `name`, for an unusable input.
fn assert_one_line_error(args: &[&str], name: &str, fragment: &str) {
    let output = ca_cli().args(args).output().expect("runs");
    assert_eq!(output.status.code(), Some(1), "{args:?}");
    assert!(output.stdout.is_empty(), "nothing on stdout for {args:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("ca-cli: error: "), "{stderr}");
    assert!(stderr.contains(name), "names {name}: {stderr}");
    assert!(stderr.contains(fragment), "says {fragment}: {stderr}");
}

#[test]
fn unusable_inputs_fail_with_one_line_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pcap");
    let missing = missing.to_str().unwrap();
    assert_one_line_error(&["flows", missing], missing, "cannot open: no such file");

    let d = dir.path().to_str().unwrap();
    assert_one_line_error(&["flows", d], d, "is a directory");

    let html = temp_file(
        &dir,
        "error.cap",
        b"<?xml version=\"1.0\"?><Error>AuthenticationFailed",
    );
    let html = html.to_str().unwrap();
    assert_one_line_error(&["flows", html], html, "not a capture file");
    assert_one_line_error(&["flows", html], html, "HTML or XML");

    let empty = temp_file(&dir, "empty.pcap", b"");
    let empty = empty.to_str().unwrap();
    assert_one_line_error(&["flows", empty], empty, "empty input");

    let text = temp_file(&dir, "notes.pcap", b"these are not packets\n");
    let text = text.to_str().unwrap();
    assert_one_line_error(&["flows", text], text, "unknown magic 0x74686573");

    let pcap = std::fs::read(fixture("zeek_http-get.pcap")).unwrap();
    let header = temp_file(&dir, "header.pcap", &pcap[..10]);
    let header = header.to_str().unwrap();
    assert_one_line_error(
        &["flows", header],
        header,
        "file header cut short (10 of 24 bytes)",
    );

    let mut bad_version = pcap.clone();
    bad_version[4] = 9;
    let bad_version = temp_file(&dir, "version.pcap", &bad_version);
    let bad_version = bad_version.to_str().unwrap();
    assert_one_line_error(&["flows", bad_version], bad_version, "version 9.4");

    let ng = std::fs::read(fixture("ndpi_dns-google-nsid.pcapng")).unwrap();
    let mut bad_bom = ng.clone();
    bad_bom[8..12].copy_from_slice(&[1, 2, 3, 4]);
    let bad_bom = temp_file(&dir, "bom.pcapng", &bad_bom);
    let bad_bom = bad_bom.to_str().unwrap();
    assert_one_line_error(&["flows", bad_bom], bad_bom, "byte-order magic");
}

#[test]
fn one_bad_input_among_several_fails_the_run_with_nothing_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let junk = temp_file(&dir, "junk.pcap", b"\x00\x01\x02\x03junk");
    let good = fixture("zeek_http-get.pcap");
    ca_cli()
        .arg("flows")
        .arg(&good)
        .arg(&junk)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("junk.pcap: not a capture file"));
}

/// Cut a capture at `at` bytes into a temp file.
fn truncated(dir: &tempfile::TempDir, source: &Path, at: usize) -> PathBuf {
    let bytes = std::fs::read(source).unwrap();
    temp_file(dir, "cut.pcap", &bytes[..at])
}

#[test]
fn a_capture_cut_short_keeps_what_was_read_and_warns() {
    let dir = tempfile::tempdir().unwrap();
    let source = fixture("zeek_http-get.pcap");
    let whole = flows_json(&source, &[]);
    let full_len = std::fs::metadata(&source).unwrap().len() as usize;
    // Cut inside the last packet record.
    let cut = truncated(&dir, &source, full_len - 1);
    let output = ca_cli()
        .arg("flows")
        .arg(&cut)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    let summary = &doc["summary"];
    assert_eq!(summary["cut_short"], true);
    assert_eq!(
        summary["packets"].as_u64().unwrap(),
        whole["summary"]["packets"].as_u64().unwrap() - 1,
        "every complete packet before the cut is counted"
    );
    let warning = summary["warnings"][0].as_str().unwrap();
    assert!(warning.contains("cut short at offset"), "{warning}");
    assert!(warning.contains("packet 14 needs"), "{warning}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ca-cli: warning: "), "{stderr}");
    assert!(stderr.contains("cut.pcap: cut short at offset"), "{stderr}");

    // --strict turns the damage into a failure, still with the results on stdout.
    let strict = ca_cli()
        .arg("flows")
        .arg(&cut)
        .args(["--format", "json", "--strict"])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
    assert!(!strict.stdout.is_empty());
}

#[test]
fn malformed_packets_are_reported_with_their_packet_number() {
    let output = ca_cli()
        .arg("flows")
        .arg(fixture("tcpdump_ipv4_invalid_length.pcap"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("tcpdump_ipv4_invalid_length.pcap: packet 1: IPv4 header cut short"),
        "{stderr}"
    );
    ca_cli()
        .arg("flows")
        .arg(fixture("tcpdump_ipv4_invalid_length.pcap"))
        .arg("--strict")
        .assert()
        .code(1);
    // A clean capture passes --strict.
    ca_cli()
        .arg("flows")
        .arg(fixture("zeek_http-get.pcap"))
        .arg("--strict")
        .assert()
        .code(0);
}

#[test]
fn standard_input_gives_the_same_flows_as_the_file() {
    for name in ["ndpi_iphone.pcap", "pcpp_pcapng-example.pcapng"] {
        let file = fixture(name);
        let from_file = flows_json(&file, &[]);
        let output = ca_cli()
            .args(["flows", "-", "--format", "json"])
            .pipe_stdin(&file)
            .unwrap()
            .output()
            .unwrap();
        assert!(output.status.success());
        let from_stdin: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(from_stdin["flows"], from_file["flows"], "{name}");
        assert_eq!(from_stdin["summary"]["inputs"][0]["name"], "<stdin>");
    }
    ca_cli()
        .args(["flows", "-", "-"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("only once"));
}

#[test]
fn a_multi_section_pcapng_reads_like_its_sections_in_turn() {
    // Concatenated pcapng files are one valid pcapng file with several sections, each with
    // its own interfaces (and here, byte orders).
    let dir = tempfile::tempdir().unwrap();
    let parts = [
        "ndpi_dns-google-nsid.pcapng",
        "pcapparser_test016-be.pcapng",
        "pcpp_many_interfaces-1.pcapng",
    ];
    let mut joined = Vec::new();
    for part in parts {
        joined.extend(std::fs::read(fixture(part)).unwrap());
    }
    let joined = temp_file(&dir, "sections.pcapng", &joined);
    let one = flows_json(&joined, &[]);
    let paths: Vec<PathBuf> = parts.iter().map(|p| fixture(p)).collect();
    let output = ca_cli()
        .arg("flows")
        .args(&paths)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let several: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(one["flows"], several["flows"]);
    assert_eq!(one["summary"]["packets"], several["summary"]["packets"]);
    assert_eq!(one["summary"]["cut_short"], false);
}

#[test]
fn formats_agree_with_each_other() {
    let file = fixture("ndpi_iphone.pcap");
    let json = flows_json(&file, &[]);
    let flows = json["flows"].as_array().unwrap();
    assert_eq!(json["schema_version"], 2);
    assert_eq!(
        json["summary"]["flows"].as_u64().unwrap() as usize,
        flows.len()
    );

    let shorthand = ca_cli()
        .arg("flows")
        .arg(&file)
        .arg("--json")
        .output()
        .unwrap();
    let shorthand: Value = serde_json::from_slice(&shorthand.stdout).unwrap();
    assert_eq!(shorthand, json);

    let ndjson = ca_cli()
        .arg("flows")
        .arg(&file)
        .args(["--format", "ndjson"])
        .output()
        .unwrap();
    let lines: Vec<Value> = String::from_utf8(ndjson.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(&lines, flows);

    let csv = ca_cli()
        .arg("flows")
        .arg(&file)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut rows = csv.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let json_fields: Vec<&String> = flows[0].as_object().unwrap().keys().collect();
    for field in &json_fields {
        assert!(header.contains(&field.as_str()), "CSV has {field}");
    }
    assert_eq!(rows.count(), flows.len());
}

#[test]
fn json_contract_field_names() {
    let doc = flows_json(&fixture("zeek_http-get.pcap"), &[]);
    for key in [
        "packets",
        "bytes",
        "first_seen",
        "last_seen",
        "flows",
        "non_ip_packets",
        "malformed_packets",
        "truncated_packets",
        "cut_short",
        "warnings",
    ] {
        assert!(doc["summary"].get(key).is_some(), "summary.{key}");
    }
    let flow = &doc["flows"][0];
    for key in [
        "proto",
        "src_ip",
        "src_port",
        "dst_ip",
        "dst_port",
        "first_seen",
        "last_seen",
        "duration_s",
        "packets_sent",
        "bytes_sent",
        "packets_received",
        "bytes_received",
        "payload_bytes_sent",
        "payload_bytes_received",
        "tcp_state",
    ] {
        assert!(flow.get(key).is_some(), "flows[].{key}");
    }
    // Microsecond capture: six fractional digits. Values checked with
    // `tshark -r zeek_http-get.pcap -T fields -e frame.time_epoch`: 1362692526.869344 first,
    // 1362692527.080972 last; `date -u -d @1362692526.869344` is 2013-03-07 21:42:06 UTC.
    assert_eq!(flow["first_seen"], "2013-03-07T21:42:06.869344Z");
    assert_eq!(flow["last_seen"], "2013-03-07T21:42:07.080972Z");
    assert_eq!(flow["src_ip"], "141.142.228.5");
    assert_eq!(flow["dst_port"], 80);
}

#[test]
fn nanosecond_captures_print_nanoseconds() {
    let doc = flows_json(&fixture("pcpp_nanosecs_big_endian.pcap"), &[]);
    let first = doc["summary"]["first_seen"].as_str().unwrap();
    let fraction = first.split('.').nth(1).unwrap().trim_end_matches('Z');
    assert_eq!(fraction.len(), 9, "{first}");
}

#[test]
fn sort_and_top_pick_the_biggest_flows() {
    let file = fixture("ndpi_iphone.pcap");
    let all = flows_json(&file, &[]);
    let top = flows_json(&file, &["--sort", "bytes", "--top", "5"]);
    let flows = top["flows"].as_array().unwrap();
    assert_eq!(flows.len(), 5);
    let total =
        |f: &Value| f["bytes_sent"].as_u64().unwrap() + f["bytes_received"].as_u64().unwrap();
    let mut expected: Vec<u64> = all["flows"].as_array().unwrap().iter().map(total).collect();
    expected.sort_unstable_by(|a, b| b.cmp(a));
    let got: Vec<u64> = flows.iter().map(total).collect();
    assert_eq!(got, expected[..5]);
    assert_eq!(
        top["summary"]["flows"], all["summary"]["flows"],
        "summary counts every flow"
    );
    for key in ["packets", "duration", "start"] {
        let sorted = flows_json(&file, &["--sort", key]);
        assert_eq!(
            sorted["flows"].as_array().unwrap().len(),
            all["flows"].as_array().unwrap().len()
        );
    }
}

#[test]
fn output_file_receives_the_report_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("flows.csv");
    ca_cli()
        .arg("flows")
        .arg(fixture("zeek_http-get.pcap"))
        .args(["--format", "csv", "--output"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("proto,src_ip,src_port,dst_ip,dst_port,"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no partial file left"
    );
}

#[test]
fn output_to_a_device_or_a_link_writes_through_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    // Through a link, so that a regression replaces the link, not the machine's /dev/null.
    let null_link = dir.path().join("null");
    std::os::unix::fs::symlink("/dev/null", &null_link).unwrap();
    ca_cli()
        .arg("flows")
        .arg(fixture("zeek_http-get.pcap"))
        .arg("--output")
        .arg(&null_link)
        .assert()
        .success();
    let null = std::fs::metadata(&null_link).unwrap();
    assert!(
        null.file_type().is_char_device(),
        "the link still leads to /dev/null"
    );

    let target = dir.path().join("target.json");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    ca_cli()
        .arg("flows")
        .arg(fixture("zeek_http-get.pcap"))
        .args(["--json", "--output"])
        .arg(&link)
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("schema_version")
    );
}

#[test]
fn text_output_puts_the_table_on_stdout_and_the_summary_on_stderr() {
    let output = ca_cli()
        .arg("flows")
        .arg(fixture("zeek_http-get.pcap"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stdout.starts_with("Start (UTC)"), "{stdout}");
    let narrow = ca_cli()
        .arg("flows")
        .arg(fixture("zeek_http-get.pcap"))
        .args(["--width", "100"])
        .output()
        .unwrap();
    let narrow = String::from_utf8(narrow.stdout).unwrap();
    assert!(
        narrow.lines().all(|l| l.chars().count() <= 100),
        "fits 100 columns:\n{narrow}"
    );
    assert!(stdout.lines().any(|l| l.chars().count() > 100), "{stdout}");
    assert!(stderr.contains("ca-cli: 14 packets"), "{stderr}");
    let quiet = ca_cli()
        .arg("flows")
        .arg(fixture("zeek_http-get.pcap"))
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(quiet.stderr.is_empty());
}

#[test]
fn help_shows_examples_and_usage_errors_exit_2() {
    ca_cli()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("ca-cli flows capture.pcap"));
    ca_cli()
        .args(["flows", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--idle-timeout"));
    ca_cli().args(["flows"]).assert().code(2);
    ca_cli()
        .args(["flows", "x.pcap", "--format", "xml"])
        .assert()
        .code(2);
    ca_cli()
        .args(["flows", "x.pcap", "--idle-timeout", "soon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a duration"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ca-cli"))
        .arg("flows")
        .arg(fixture("ndpi_iphone.pcap"))
        .args(["--format", "ndjson"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read nothing and close our end: the writer sees a broken pipe.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn idle_timeout_splits_flows() {
    // zeek_icmp_5-pings: five echo exchanges a second apart, one identifier.
    let file = fixture("zeek_icmp_5-pings.pcap");
    let one = flows_json(&file, &[]);
    let split = flows_json(&file, &["--idle-timeout", "500ms"]);
    let count = |d: &Value| d["flows"].as_array().unwrap().len();
    assert!(
        count(&split) > count(&one),
        "{} vs {}",
        count(&split),
        count(&one)
    );
    let packets = |d: &Value| -> u64 {
        d["flows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["packets_sent"].as_u64().unwrap() + f["packets_received"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(packets(&split), packets(&one));
}

/// A stream longer than 4 GiB, built on the fly: offsets past 2^32 are reported exactly.
#[test]
fn streams_past_four_gibibytes() {
    const RECORD: usize = 262_144;
    const RECORDS: u64 = (4 << 30) / RECORD as u64 + 64;
    let mut header = Vec::new();
    header.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    header.extend_from_slice(&2u16.to_le_bytes());
    header.extend_from_slice(&4u16.to_le_bytes());
    header.extend_from_slice(&[0; 8]);
    header.extend_from_slice(&(RECORD as u32).to_le_bytes());
    header.extend_from_slice(&1u32.to_le_bytes()); // Ethernet
    let mut frame = vec![0u8; RECORD];
    // An Ethernet frame carrying ARP: counted as a non-IP packet, cheap to dissect.
    frame[12..14].copy_from_slice(&[0x08, 0x06]);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ca-cli"))
        .args(["flows", "-", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        stdin.write_all(&header)?;
        for i in 0..RECORDS {
            let mut record = Vec::with_capacity(16);
            record.extend_from_slice(&(i as u32).to_le_bytes());
            record.extend_from_slice(&0u32.to_le_bytes());
            record.extend_from_slice(&(RECORD as u32).to_le_bytes());
            record.extend_from_slice(&(RECORD as u32).to_le_bytes());
            stdin.write_all(&record)?;
            stdin.write_all(&frame)?;
        }
        // A final record header announcing more than follows.
        stdin.write_all(&[0u8; 8])?;
        stdin.write_all(&(RECORD as u32).to_le_bytes())?;
        stdin.write_all(&(RECORD as u32).to_le_bytes())?;
        stdin.write_all(&[0u8; 10])
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success());
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["summary"]["packets"].as_u64().unwrap(), RECORDS);
    assert_eq!(doc["summary"]["non_ip_packets"].as_u64().unwrap(), RECORDS);
    let end = 24 + RECORDS * (16 + RECORD as u64);
    assert!(end > 1 << 32);
    let warning = doc["summary"]["warnings"][0].as_str().unwrap();
    assert!(
        warning.contains(&format!("cut short at offset {end}:")),
        "{warning}"
    );
}

/// Rewrite a little-endian classic pcap with its records in a different order.
fn reorder_pcap(source: &Path, order: impl Fn(&mut Vec<Vec<u8>>)) -> Vec<u8> {
    let bytes = std::fs::read(source).unwrap();
    assert_eq!(
        &bytes[..4],
        &[0xd4, 0xc3, 0xb2, 0xa1],
        "little-endian microsecond pcap"
    );
    let mut records = Vec::new();
    let mut at = 24;
    while at + 16 <= bytes.len() {
        let caplen = u32::from_le_bytes(bytes[at + 8..at + 12].try_into().unwrap()) as usize;
        records.push(bytes[at..at + 16 + caplen].to_vec());
        at += 16 + caplen;
    }
    order(&mut records);
    let mut out = bytes[..24].to_vec();
    for record in records {
        out.extend(record);
    }
    out
}

/// Flows keyed by their endpoints in sorted order, with each endpoint's packets, bytes and
/// payload, and the flow's time span: what stays the same when packets arrive reordered
/// (which side spoke first may change).
fn undirected(doc: &Value) -> Vec<Value> {
    let mut flows: Vec<Value> = doc["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let src = (f["src_ip"].to_string(), f["src_port"].to_string());
            let dst = (f["dst_ip"].to_string(), f["dst_port"].to_string());
            let sent = [
                &f["packets_sent"],
                &f["bytes_sent"],
                &f["payload_bytes_sent"],
            ];
            let received = [
                &f["packets_received"],
                &f["bytes_received"],
                &f["payload_bytes_received"],
            ];
            let (a, b) = if src <= dst {
                ((src, sent), (dst, received))
            } else {
                ((dst, received), (src, sent))
            };
            serde_json::json!([
                f["proto"],
                a.0,
                a.1,
                b.0,
                b.1,
                f["first_seen"],
                f["last_seen"]
            ])
        })
        .collect();
    flows.sort_by_key(|v| v.to_string());
    flows
}

#[test]
fn fragments_count_in_their_datagrams_flow_whatever_their_order() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["pcpp_ip4_fragments.pcap", "pcpp_frag_with_padding.pcap"] {
        let source = fixture(name);
        let original = flows_json(&source, &[]);
        let flows = original["flows"].as_array().unwrap();
        assert!(
            flows.iter().all(|f| !f["src_port"].is_null()),
            "{name}: every fragment found its datagram's ports"
        );
        let reversed = temp_file(
            &dir,
            "reversed.pcap",
            &reorder_pcap(&source, |r| r.reverse()),
        );
        let reversed = flows_json(&reversed, &[]);
        assert_eq!(
            undirected(&reversed),
            undirected(&original),
            "{name} reversed"
        );
        // Every later fragment first, then the first fragments.
        let shuffled = reorder_pcap(&source, |records| {
            let (firsts, laters): (Vec<_>, Vec<_>) = records.drain(..).partition(|r| {
                let ip = &r[16 + 14..];
                u16::from_be_bytes([ip[6], ip[7]]) & 0x1fff == 0
            });
            records.extend(laters);
            records.extend(firsts);
        });
        let shuffled = temp_file(&dir, "shuffled.pcap", &shuffled);
        let shuffled = flows_json(&shuffled, &[]);
        assert_eq!(
            undirected(&shuffled),
            undirected(&original),
            "{name} later fragments first"
        );
    }
}

#[test]
fn a_capture_split_into_files_reads_as_one_capture() {
    if !common::have_tool("editcap") {
        common::skip_or_fail("editcap is not installed (apt-get install wireshark-common)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for name in ["ndpi_iphone.pcap", "pcpp_pcapng-example.pcapng"] {
        let whole = fixture(name);
        // Network Watcher splits long sessions into files the same way: by size or count.
        let status = std::process::Command::new("editcap")
            .args(["-c", "37"])
            .arg(&whole)
            .arg(dir.path().join(name))
            .status()
            .unwrap();
        assert!(status.success());
        let mut parts: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| file_name_starts(p, name.split('.').next().unwrap()))
            .collect();
        parts.sort();
        assert!(parts.len() > 3, "{name} split into {} parts", parts.len());
        let output = ca_cli()
            .arg("flows")
            .args(&parts)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let split: Value = serde_json::from_slice(&output.stdout).unwrap();
        let original = flows_json(&whole, &[]);
        assert_eq!(split["flows"], original["flows"], "{name}");
        assert_eq!(split["summary"]["packets"], original["summary"]["packets"]);
        assert_eq!(
            split["summary"]["inputs"].as_array().unwrap().len(),
            parts.len()
        );
    }
}

fn file_name_starts(path: &Path, prefix: &str) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
}

#[test]
fn one_thread_two_and_three_give_byte_identical_output() {
    for file in common::all_captures() {
        // Flows (identified on the table's thread, or on a worker with three), and the DNS
        // view, which keeps every answer.
        for view in ["flows", "dns"] {
            let run = |threads: &str| {
                ca_cli()
                    .arg(view)
                    .arg(&file)
                    .args(["--format", "ndjson", "--quiet", "--threads", threads])
                    .output()
                    .unwrap()
            };
            let one = run("1");
            for threads in ["2", "3"] {
                let other = run(threads);
                let name = format!("{view} {} --threads {threads}", common::file_name(&file));
                assert_eq!(one.status.code(), other.status.code(), "{name}");
                assert!(one.stdout == other.stdout, "{name}");
                assert_eq!(one.stderr, other.stderr, "{name}");
            }
        }
    }
}
