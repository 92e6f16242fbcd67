//! Helpers shared by the integration tests: where the captures are, how to run the binary and
//! the peer tools used as oracles.
#![allow(dead_code)]

pub mod azurite;
pub mod faulty;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's own small real captures.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

pub fn fixture(name: &str) -> PathBuf {
    fixtures_dir().join(name)
}

/// When set (CI sets it), a missing oracle tool fails the test instead of skipping.
pub fn oracles_required() -> bool {
    std::env::var_os("CA_CLI_REQUIRE_ORACLES").is_some_and(|v| v != "0")
}

/// Skip (with a message) or fail, depending on [`oracles_required`].
pub fn skip_or_fail(what: &str) {
    if oracles_required() {
        panic!("{what} (CA_CLI_REQUIRE_ORACLES is set, so this is a failure, not a skip)");
    }
    eprintln!("SKIPPED: {what}");
}

/// Every capture to test against: the fixtures, which hold the whole shared corpus (copied,
/// with its sources and licences, `fixtures/README.md`).
pub fn all_captures() -> Vec<PathBuf> {
    let dir = fixtures_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "pcap" || x == "pcapng" || x == "cap")
        })
        .collect();
    files.sort();
    files
}

/// Whether `tool` runs here.
pub fn have_tool(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

pub fn ca_cli() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("ca-cli").expect("ca-cli binary is built");
    // Times in text follow TZ: the tests' expectations are in UTC.
    command.env_remove("TZ");
    command
}

/// Run `ca-cli flows FILE --format json` with extra arguments and parse the document.
pub fn flows_json(file: &Path, extra: &[&str]) -> serde_json::Value {
    let output = ca_cli()
        .arg("flows")
        .arg(file)
        .args(["--format", "json", "--quiet"])
        .args(extra)
        .output()
        .expect("ca-cli runs");
    assert!(
        output.status.success(),
        "{}: ca-cli failed: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("ca-cli prints JSON")
}

pub fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// A classic pcap file header (little-endian, microseconds, version 2.4).
pub fn pcap_header(linktype: u32) -> Vec<u8> {
    let mut out = 0xa1b2_c3d4u32.to_le_bytes().to_vec();
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    for word in [0u32, 0, 262_144, linktype] {
        out.extend_from_slice(&word.to_le_bytes());
    }
    out
}

/// Append one classic pcap record holding all of `frame`.
pub fn pcap_record(out: &mut Vec<u8>, seconds: u32, micros: u32, frame: &[u8]) {
    for word in [seconds, micros, frame.len() as u32, frame.len() as u32] {
        out.extend_from_slice(&word.to_le_bytes());
    }
    out.extend_from_slice(frame);
}

/// A classic pcap of one-packet UDP flows, one a second, for ever: its flows can only reach
/// the output by ending (after the 60 s UDP idle timeout), never by the capture ending.
pub fn endless_capture(mut to: impl std::io::Write) {
    if to.write_all(&pcap_header(1)).is_err() {
        return;
    }
    for i in 0u32.. {
        let mut frame = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00];
        let ip_len = 20u16 + 8 + 4;
        frame.extend_from_slice(&[0x45, 0]);
        frame.extend_from_slice(&ip_len.to_be_bytes());
        frame.extend_from_slice(&[0, 0, 0, 0, 64, 17, 0, 0]);
        frame.extend_from_slice(&[10, 0, 0, 1, 10, 0, 0, 2]);
        frame.extend_from_slice(&(1024 + (i % 60000) as u16).to_be_bytes());
        frame.extend_from_slice(&53u16.to_be_bytes());
        frame.extend_from_slice(&(8u16 + 4).to_be_bytes());
        frame.extend_from_slice(&[0, 0, b'p', b'i', b'n', b'g']);
        let mut record = Vec::new();
        pcap_record(&mut record, 1_700_000_000 + i, 0, &frame);
        if to.write_all(&record).is_err() {
            return;
        }
    }
}

/// An IPv4 packet (no Ethernet header; link type 228) with the given protocol and payload.
pub fn ipv4(
    src: [u8; 4],
    dst: [u8; 4],
    proto: u8,
    id: u16,
    fragment: u16,
    payload: &[u8],
) -> Vec<u8> {
    let mut packet = vec![0x45, 0];
    packet.extend_from_slice(&(20 + payload.len() as u16).to_be_bytes());
    packet.extend_from_slice(&id.to_be_bytes());
    packet.extend_from_slice(&fragment.to_be_bytes());
    packet.extend_from_slice(&[64, proto, 0, 0]);
    packet.extend_from_slice(&src);
    packet.extend_from_slice(&dst);
    packet.extend_from_slice(payload);
    packet
}

pub fn udp(src_port: u16, dst_port: u16, data: &[u8]) -> Vec<u8> {
    let mut out = src_port.to_be_bytes().to_vec();
    out.extend_from_slice(&dst_port.to_be_bytes());
    out.extend_from_slice(&(8 + data.len() as u16).to_be_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(data);
    out
}

/// `count` one-packet UDP flows, all within one second, so none can idle out.
pub fn one_packet_flows(count: u32) -> Vec<u8> {
    let mut out = pcap_header(228);
    for i in 0..count {
        let src = [10, (i >> 16) as u8, (i >> 8) as u8, i as u8];
        let packet = ipv4(src, [10, 255, 0, 1], 17, 0, 0, &udp(40000, 53, b"q"));
        pcap_record(&mut out, 1_700_000_000, i % 1_000_000, &packet);
    }
    out
}

/// The summary of `ca-cli stats FILE --json`.
pub fn summary_of(file: &Path) -> serde_json::Value {
    let output = ca_cli()
        .arg("stats")
        .arg(file)
        .args(["--json", "-q"])
        .output()
        .expect("ca-cli runs");
    let mut json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{}: not JSON: {e}", file.display()));
    json["summary"].take()
}
