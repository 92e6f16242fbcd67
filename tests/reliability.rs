//! Hostile and huge input: ca-cli keeps its memory bounded where a capture is built to exhaust
//! it, and treats every crasher the fuzzers ever found as an ordinary damaged capture. (Being
//! stopped by Ctrl-C is `tests/ctrl_c.rs`.)

use crate::common;

use std::io::{Cursor, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use ca_cli::source::{Inputs, OpenedInput};
use ca_cli::{AnalysisConfig, analyze};
use common::{ca_cli, ipv4, one_packet_flows, pcap_header, pcap_record, udp};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Building captures

fn write_temp(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(".pcap").tempfile().unwrap();
    file.write_all(bytes).unwrap();
    file
}

fn json_of(args: &[&str], file: &Path) -> (Value, String) {
    let output = ca_cli()
        .args(args)
        .arg(file)
        .args(["--json", "--no-geoip"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    (serde_json::from_slice(&output.stdout).unwrap(), stderr)
}

fn analyze_bytes(bytes: &[u8]) -> Result<ca_cli::Analysis, ca_cli::AnalysisError> {
    analyze(
        Inputs::from_opened(vec![OpenedInput::from_reader(
            "built",
            Box::new(Cursor::new(bytes.to_vec())),
        )]),
        &AnalysisConfig::default(),
    )
}

// ---------------------------------------------------------------------------------------------
// Resource limits

#[test]
fn max_flows_bounds_the_table_and_keeps_every_record() {
    let capture = write_temp(&one_packet_flows(20_000));
    let (unlimited, quiet) = json_of(&["flows"], capture.path());
    assert_eq!(unlimited["summary"]["peak_active_flows"], 20_000);
    assert_eq!(unlimited["summary"]["evicted_flows"], 0);
    assert!(!quiet.contains("max-flows"), "{quiet}");

    let (limited, stderr) = json_of(&["flows", "--max-flows", "1000"], capture.path());
    let summary = &limited["summary"];
    assert!(summary["peak_active_flows"].as_u64().unwrap() <= 1000);
    assert!(summary["evicted_flows"].as_u64().unwrap() >= 19_000);
    assert!(
        stderr.contains("flows were ended before their idle timeout")
            && stderr.contains("1000 live flows (--max-flows)"),
        "{stderr}"
    );
    // One-packet flows cannot be split, so ending them early changes no record.
    assert_eq!(limited["flows"], unlimited["flows"]);
    assert_eq!(summary["packets"], unlimited["summary"]["packets"]);

    // Views that aggregate see the same totals.
    let (stats, _) = json_of(&["stats", "--max-flows", "1000"], capture.path());
    let (stats_unlimited, _) = json_of(&["stats"], capture.path());
    assert_eq!(stats["protocols"], stats_unlimited["protocols"]);
}

#[test]
fn max_flows_splits_a_long_flow_only_when_it_is_the_idlest() {
    // A busy flow on port 7 interleaved with 5,000 one-packet flows: the busy one is never the
    // idlest, so it stays one record whatever the limit.
    let mut out = pcap_header(228);
    for i in 0..5000u32 {
        let src = [10, 1, (i >> 8) as u8, i as u8];
        let one = ipv4(src, [10, 255, 0, 1], 17, 0, 0, &udp(40000, 53, b"q"));
        pcap_record(&mut out, 1_700_000_000, i * 100, &one);
        let busy = ipv4(
            [10, 2, 0, 1],
            [10, 255, 0, 2],
            17,
            0,
            0,
            &udp(7, 7, b"busy"),
        );
        pcap_record(&mut out, 1_700_000_000, i * 100 + 50, &busy);
    }
    let capture = write_temp(&out);
    let (doc, _) = json_of(&["flows", "--max-flows", "64"], capture.path());
    let busy: Vec<&Value> = doc["flows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["src_port"] == 7)
        .collect();
    assert_eq!(busy.len(), 1);
    assert_eq!(busy[0]["packets_sent"], 5000);
    assert_eq!(doc["flows"].as_array().unwrap().len(), 5001);
}

#[test]
fn a_record_claiming_four_gigabytes_is_a_flagged_cut_not_an_allocation() {
    let mut bytes = one_packet_flows(3);
    let at = bytes.len();
    pcap_record(&mut bytes, 1_700_000_001, 0, &[0; 64]);
    // caplen and len of the fourth record: 2^32 - 1.
    bytes[at + 8..at + 16].copy_from_slice(&[0xff; 8]);
    let analysis = analyze_bytes(&bytes).unwrap();
    assert_eq!(analysis.stats.packets, 3);
    assert!(analysis.stats.cut_short());
    let why = analysis.stats.inputs[0].cut_short.as_deref().unwrap();
    assert!(why.contains(&at.to_string()), "names the offset: {why}");
}

/// pcapng blocks whose length fields could make a reader stand still or go backwards.
#[test]
fn pcapng_block_lengths_that_would_loop_end_the_read() {
    fn block(kind: u32, body: &[u8], length: Option<u32>) -> Vec<u8> {
        let total = length.unwrap_or(12 + body.len() as u32);
        let mut out = kind.to_le_bytes().to_vec();
        out.extend_from_slice(&total.to_le_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(&total.to_le_bytes());
        out
    }
    let mut section = vec![0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0];
    section.extend_from_slice(&u64::MAX.to_le_bytes());
    let interface = [1u8, 0, 0, 0, 0, 0, 4, 0];
    let packet = ipv4([10, 0, 0, 1], [10, 0, 0, 2], 17, 0, 0, &udp(1, 2, b"x"));
    let mut epb = vec![0u8; 20];
    epb[12..16].copy_from_slice(&(packet.len() as u32).to_le_bytes());
    epb[16..20].copy_from_slice(&(packet.len() as u32).to_le_bytes());
    epb.extend_from_slice(&packet);
    while !epb.len().is_multiple_of(4) {
        epb.push(0);
    }
    let good = [
        block(0x0a0d_0d0a, &section, None),
        block(1, &interface, None),
        block(6, &epb, None),
    ]
    .concat();
    for (what, length) in [
        ("zero", 0u32),
        ("shorter than a block header", 8),
        ("not a multiple of four", 27),
        ("4 GiB", u32::MAX),
        ("back to itself", 12),
    ] {
        let mut bytes = good.clone();
        bytes.extend_from_slice(&block(6, &epb, Some(length)));
        bytes.extend_from_slice(&block(6, &epb, None));
        let started = Instant::now();
        match analyze_bytes(&bytes) {
            Ok(analysis) => {
                // The packet before the bad block counts; the read stops there, flagged.
                assert_eq!(analysis.stats.packets, 1, "{what}");
                let why = analysis.stats.inputs[0].cut_short.as_deref();
                assert!(
                    why.is_some_and(|w| w.contains("offset 112")),
                    "{what}: {why:?}"
                );
            }
            Err(e) => panic!("{what}: the packet before the bad block is lost: {e}"),
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{what}: no hang"
        );
    }
}

#[test]
fn endless_ipv6_extension_headers_are_malformed_not_followed() {
    // 8,000 destination-options headers (8 bytes each) before a UDP header: 64 KB of chain.
    let chain_len = 8000;
    let mut payload = Vec::new();
    for i in 0..chain_len {
        let next = if i + 1 == chain_len { 17 } else { 60 };
        payload.extend_from_slice(&[next, 0, 1, 4, 0, 0, 0, 0]);
    }
    payload.extend_from_slice(&udp(1, 2, b"deep"));
    let mut packet = vec![0x60, 0, 0, 0];
    packet.extend_from_slice(&((payload.len() % 65536) as u16).to_be_bytes());
    packet.extend_from_slice(&[60, 64]);
    packet.extend_from_slice(&[0xfd; 16]);
    packet.extend_from_slice(&[0xfe; 16]);
    packet.extend_from_slice(&payload);
    let mut bytes = pcap_header(229);
    for i in 0..50 {
        pcap_record(&mut bytes, 1_700_000_000 + i, 0, &packet);
    }
    let analysis = analyze_bytes(&bytes).unwrap();
    let stats = &analysis.stats;
    assert_eq!(stats.packets, 50);
    assert_eq!(
        stats.ip_packets + stats.undecoded_packets,
        50,
        "every packet is accounted for"
    );
    assert_eq!(
        stats.malformed_packets(),
        50,
        "each one is reported as damaged"
    );
}

#[test]
fn fragments_that_never_complete_stay_bounded_and_counted() {
    // 200,000 later fragments (offset 8, more-fragments set) of distinct datagrams, whose
    // first fragments never come, plus overlapping first fragments of one datagram.
    let mut bytes = pcap_header(228);
    let n = 200_000u32;
    for i in 0..n {
        let id = (i % 65_536) as u16;
        let src = [10, 3, (i >> 16) as u8, (i >> 8) as u8];
        let packet = ipv4(src, [10, 0, 0, 9], 17, id, 0x2000 | 1, &[0; 16]);
        pcap_record(&mut bytes, 1_700_000_000 + i / 1000, i % 1000, &packet);
    }
    for i in 0..1000u32 {
        let packet = ipv4(
            [10, 4, 0, 1],
            [10, 0, 0, 9],
            17,
            77,
            0x2000,
            &udp(5000, 6000, &[0; 24]),
        );
        pcap_record(&mut bytes, 1_700_000_300, i, &packet);
    }
    let capture = write_temp(&bytes);
    let (doc, _) = json_of(&["flows"], capture.path());
    let summary = &doc["summary"];
    assert_eq!(summary["packets"], n + 1000);
    assert_eq!(summary["ip_packets"], n + 1000);
    let in_flows: u64 = doc["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["packets_sent"].as_u64().unwrap() + f["packets_received"].as_u64().unwrap())
        .sum();
    assert_eq!(in_flows, u64::from(n + 1000), "no fragment is lost");
}

// ---------------------------------------------------------------------------------------------
// Fuzz crashers

/// Every input kept from the fuzz targets (`fixtures/fuzz/TARGET/`: crashers, hangs and
/// blow-ups once found, named `crash-*`, and samples of the corpora the fuzzers grew,
/// `corpus-*`) runs to a result or a clean error, through the target's own entry point.
#[test]
fn every_fuzz_crasher_is_harmless_now() {
    let root = common::fixture("fuzz");
    let mut checked = 0;
    for target in [
        "capture_decoder",
        "pipeline",
        "packet_dissector",
        "filter_parser",
        "payload_identifier",
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let started = Instant::now();
            match target {
                "capture_decoder" => {
                    let _ = ca_cli::capture::decode(&data[..], |_| {});
                }
                "packet_dissector" => {
                    if data.len() >= 2 {
                        for linktype in [data[1] as u32, 1, 0, 101, 228, 229, 113, 276] {
                            let _ =
                                ca_cli::dissect::dissect(linktype, &data[2..], data.len() as u32);
                        }
                    }
                }
                "filter_parser" => {
                    if let Ok(expr) = ca_cli::filter::parse(&String::from_utf8_lossy(&data)) {
                        let shown = expr.to_string();
                        assert_eq!(ca_cli::filter::parse(&shown).ok(), Some(expr), "{shown}");
                    }
                }
                "payload_identifier" => {
                    for tcp in [true, false] {
                        let mut app = ca_cli::identify::App::default();
                        let mut names = Vec::new();
                        for (i, packet) in data.chunks(600).enumerate() {
                            app.inspect(
                                &ca_cli::identify::Payload {
                                    data: packet,
                                    from_client: i % 3 != 2,
                                    tcp,
                                    seq: (i * 600) as u32,
                                    client_port: 40000,
                                    server_port: [53, 443, 80, 5353][i % 4],
                                    dns_details: tcp,
                                },
                                &mut names,
                            );
                        }
                        let _ = app.info.detail();
                    }
                }
                _ => {
                    let _ = analyze_bytes(&data);
                    let file = write_temp(&data);
                    for view in ["flows", "stats", "protocols", "geo"] {
                        let output = ca_cli()
                            .arg(view)
                            .arg(file.path())
                            .arg("--json")
                            .output()
                            .unwrap();
                        let stderr = String::from_utf8_lossy(&output.stderr);
                        assert!(
                            matches!(output.status.code(), Some(0 | 1)),
                            "{}: {view}: {stderr}",
                            path.display()
                        );
                        assert!(!stderr.contains("panicked"), "{}: {stderr}", path.display());
                    }
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{} is slow again",
                path.display()
            );
            checked += 1;
        }
    }
    eprintln!("{checked} fuzz inputs checked");
    assert!(checked >= 20, "fixtures/fuzz holds only {checked} inputs");
}

static MANY_FLOWS_CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn count_many_flows_call() {
    MANY_FLOWS_CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

/// The binary gives freed memory back once a capture proves to hold many flows: the library
/// says so once, when the flow that reaches the threshold starts, and never for fewer.
#[test]
fn many_flows_are_announced_once_at_the_threshold() {
    use ca_cli::pipeline::MANY_FLOWS;
    use std::sync::atomic::Ordering;
    for (flows, calls) in [(MANY_FLOWS - 1, 0), (MANY_FLOWS, 1), (MANY_FLOWS + 500, 1)] {
        MANY_FLOWS_CALLS.store(0, Ordering::SeqCst);
        let config = AnalysisConfig {
            on_many_flows: Some(count_many_flows_call),
            ..Default::default()
        };
        let capture = one_packet_flows(flows as u32);
        let input = OpenedInput::from_reader("many", Box::new(Cursor::new(capture)));
        let analysis = analyze(Inputs::from_opened(vec![input]), &config).unwrap();
        assert_eq!(analysis.flows.len() as u64, flows);
        assert_eq!(
            MANY_FLOWS_CALLS.load(Ordering::SeqCst),
            calls,
            "{flows} flows"
        );
    }
}
