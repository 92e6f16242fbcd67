//! Oracle test: the summary's packet and byte counts against capinfos (Wireshark's wiretap
//! reading the same file), on every capture it can read, cut-short ones included.

use crate::common;

use std::process::Command;

use common::{file_name, flows_json};

#[test]
fn summary_counts_match_capinfos() {
    if !common::have_tool("capinfos") {
        common::skip_or_fail("capinfos is not installed (apt-get install wireshark-common)");
        return;
    }
    let mut failures = Vec::new();
    let mut compared = 0;
    for file in common::all_captures() {
        // -T -r -M: one tab-separated line, no header, exact numbers.
        let out = Command::new("capinfos")
            .args(["-T", "-r", "-M", "-c", "-d"])
            .arg(&file)
            .output()
            .expect("capinfos runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let Some(line) = stdout.lines().find(|l| !l.trim().is_empty()) else {
            eprintln!(
                "skip {}: capinfos cannot read it: {}",
                file_name(&file),
                String::from_utf8_lossy(&out.stderr).trim()
            );
            continue;
        };
        let fields: Vec<&str> = line.split('\t').collect();
        let packets: u64 = fields[1].trim().parse().expect("packet count");
        let bytes: u64 = fields[2].trim().parse().expect("data size");
        let doc = flows_json(&file, &[]);
        let ours = (
            doc["summary"]["packets"].as_u64().unwrap(),
            doc["summary"]["bytes"].as_u64().unwrap(),
        );
        compared += 1;
        if ours != (packets, bytes) {
            failures.push(format!(
                "{}: ca-cli {ours:?}, capinfos {:?}",
                file_name(&file),
                (packets, bytes)
            ));
        }
    }
    assert!(compared > 0, "no capture was compared");
    assert!(failures.is_empty(), "differences:\n{}", failures.join("\n"));
}
