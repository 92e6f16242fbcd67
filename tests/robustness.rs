//! Never a panic, never a lost packet: every real capture runs to a clean result or a clean
//! error, and a capture cut at any point still counts every packet before the cut.

mod common;

use std::io::Cursor;

use ca_cli::source::{Inputs, OpenedInput};
use ca_cli::{AnalysisConfig, analyze};
use common::file_name;

fn analyze_bytes(bytes: Vec<u8>) -> Result<ca_cli::Analysis, ca_cli::AnalysisError> {
    analyze(
        Inputs::from_opened(vec![OpenedInput::from_reader(
            "cut",
            Box::new(Cursor::new(bytes)),
        )]),
        &AnalysisConfig::default(),
    )
}

#[test]
fn every_capture_gives_a_result_or_a_one_line_error() {
    for file in common::all_captures() {
        let output = common::ca_cli()
            .arg("flows")
            .arg(&file)
            .args(["--format", "json"])
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("panicked"),
            "{}: {stderr}",
            file_name(&file)
        );
        match output.status.code() {
            Some(0) => {
                let doc: serde_json::Value = serde_json::from_slice(&output.stdout)
                    .unwrap_or_else(|e| panic!("{}: not JSON: {e}", file_name(&file)));
                let summary = &doc["summary"];
                // Every packet is accounted for: in a flow, not IP, or undecodable.
                let parts = summary["ip_packets"].as_u64().unwrap()
                    + summary["non_ip_packets"].as_u64().unwrap()
                    + summary["undecoded_packets"].as_u64().unwrap();
                assert_eq!(
                    parts,
                    summary["packets"].as_u64().unwrap(),
                    "{}",
                    file_name(&file)
                );
                let in_flows: u64 = doc["flows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| {
                        f["packets_sent"].as_u64().unwrap()
                            + f["packets_received"].as_u64().unwrap()
                    })
                    .sum();
                assert_eq!(
                    in_flows,
                    summary["ip_packets"].as_u64().unwrap(),
                    "{}",
                    file_name(&file)
                );
            }
            Some(1) => {
                assert!(output.stdout.is_empty());
                assert_eq!(stderr.lines().count(), 1, "{}: {stderr}", file_name(&file));
            }
            other => panic!("{}: exit status {other:?}: {stderr}", file_name(&file)),
        }
    }
}

/// Offsets where each packet record of a capture ends, and where every block ends, from an
/// independent walk of its record headers (classic pcap: 16-byte headers; pcapng: block
/// lengths).
fn record_ends(bytes: &[u8]) -> Option<(Vec<usize>, Vec<usize>)> {
    let magic = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?);
    let mut ends = Vec::new();
    let mut boundaries = vec![];
    match magic {
        0xa1b2_c3d4 | 0xa1b2_3c4d | 0xd4c3_b2a1 | 0x4d3c_b2a1 => {
            let be = magic & 0xffff == 0xb2a1;
            let minor = if be {
                u16::from_be_bytes([bytes[6], bytes[7]])
            } else {
                u16::from_le_bytes([bytes[6], bytes[7]])
            };
            if minor != 4 {
                return None; // older length orders: covered by the capture decoder's own tests
            }
            let mut at = 24;
            while at + 16 <= bytes.len() {
                let f = &bytes[at + 8..at + 12];
                let caplen = if be {
                    u32::from_be_bytes(f.try_into().ok()?)
                } else {
                    u32::from_le_bytes(f.try_into().ok()?)
                } as usize;
                let end = at + 16 + caplen;
                if end > bytes.len() {
                    break;
                }
                ends.push(end);
                boundaries.push(end);
                at = end;
            }
        }
        0x0a0d_0d0a => {
            let mut at = 0;
            let mut be = false;
            while at + 12 <= bytes.len() {
                let block_type = u32::from_le_bytes(bytes[at..at + 4].try_into().ok()?);
                if block_type == 0x0a0d_0d0a {
                    be = bytes[at + 8..at + 12] == [0x1a, 0x2b, 0x3c, 0x4d];
                }
                let read = |o: usize| -> Option<u32> {
                    let b: [u8; 4] = bytes.get(o..o + 4)?.try_into().ok()?;
                    Some(if be {
                        u32::from_be_bytes(b)
                    } else {
                        u32::from_le_bytes(b)
                    })
                };
                let len = read(at + 4)? as usize;
                let kind = read(at)?;
                if len < 12 || at + len > bytes.len() {
                    break;
                }
                if matches!(kind, 2 | 3 | 6) {
                    ends.push(at + len);
                }
                boundaries.push(at + len);
                at += len;
            }
        }
        _ => return None,
    }
    Some((ends, boundaries))
}

#[test]
fn a_cut_anywhere_keeps_every_packet_before_it() {
    let mut checked = 0;
    for file in common::all_captures() {
        let bytes = std::fs::read(&file).unwrap();
        let Some((ends, boundaries)) = record_ends(&bytes) else {
            continue;
        };
        if ends.is_empty() || bytes.len() > 400_000 {
            continue;
        }
        // Every offset of the first KiB, then a spread of offsets to the end.
        let mut cuts: Vec<usize> = (0..bytes.len().min(1024)).collect();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..40 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cuts.push((x % bytes.len() as u64) as usize);
        }
        for cut in cuts {
            let complete = ends.iter().filter(|&&end| end <= cut).count() as u64;
            match analyze_bytes(bytes[..cut].to_vec()) {
                Ok(analysis) => {
                    assert_eq!(
                        analysis.stats.packets,
                        complete,
                        "{} cut at {cut}",
                        file_name(&file)
                    );
                    let at_record_end = cut == bytes.len() || boundaries.contains(&cut);
                    if !at_record_end && cut > ends[0] {
                        assert!(
                            analysis.stats.cut_short(),
                            "{} cut at {cut} is flagged",
                            file_name(&file)
                        );
                    }
                }
                Err(e) => {
                    // Only a cut inside the file header may make the input unusable.
                    assert!(
                        complete == 0,
                        "{} cut at {cut}: {e} after {complete} packets",
                        file_name(&file)
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} cuts checked");
}
