//! Oracle tests: our flow totals against tshark's dissection of the same capture.
//!
//! tshark's `-z conv` tables round byte counts, so this test groups tshark's per-frame fields
//! itself. Flows are keyed on the outermost IP header (a tunnel is a flow of its own, as in
//! NetFlow), so for each frame we take the first IP layer in `frame.protocols` and count the
//! frame as TCP or UDP only when that protocol directly follows it. Fragments: tshark runs
//! with defragmentation off, and we map every fragment to the ports of its datagram's first
//! fragment (IPv4: source, destination, protocol, identification; IPv6: source, destination,
//! fragment identification), as ca-cli does; datagrams without a first fragment are port-less.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{file_name, flows_json};

/// (proto, sender address, sender port, receiver address, receiver port)
type Direction = (String, String, Option<u16>, String, Option<u16>);

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Totals {
    packets: u64,
    bytes: u64,
    /// TCP payload bytes; compared for TCP only (UDP fragments make tshark's UDP length a
    /// datagram length, not a packet's).
    tcp_payload: u64,
    tcp_flags: u8,
}

const FIELDS: &[&str] = &[
    "frame.number",
    "frame.len",
    "frame.protocols",
    "ip.src",
    "ip.dst",
    "ip.proto",
    "ip.id",
    "ip.flags.mf",
    "ip.frag_offset",
    "ipv6.src",
    "ipv6.dst",
    "ipv6.fraghdr.ident",
    "ipv6.fraghdr.offset",
    "ipv6.fraghdr.nxt",
    "tcp.srcport",
    "tcp.dstport",
    "udp.srcport",
    "udp.dstport",
    "tcp.len",
    "tcp.flags",
    "tcp.hdr_len",
    "ip.len",
    "ip.hdr_len",
    "ipv6.plen",
];

enum TsharkResult {
    Read(BTreeMap<Direction, Totals>),
    Unreadable(String),
}

fn is_set(field: &str) -> bool {
    matches!(field, "1" | "True" | "true")
}

fn number(field: &str) -> u64 {
    let field = field.trim();
    if let Some(hex) = field.strip_prefix("0x") {
        u64::from_str_radix(hex, 16).unwrap_or(0)
    } else {
        field.parse().unwrap_or(0)
    }
}

fn tshark_directions(file: &Path) -> TsharkResult {
    let mut cmd = Command::new("tshark");
    cmd.args(["-n", "-r"])
        .arg(file)
        .args(["-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"])
        .args(["-T", "fields", "-E", "separator=/t", "-E", "occurrence=f"]);
    for field in FIELDS {
        cmd.args(["-e", field]);
    }
    let output = cmd.output().expect("tshark runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() && stdout.trim().is_empty() {
        return TsharkResult::Unreadable(stderr.trim().to_string());
    }

    struct Frame {
        proto: String,
        src: String,
        dst: String,
        ports: Option<(u16, u16)>,
        len: u64,
        tcp_payload: u64,
        tcp_flags: u8,
        fragment: Option<(String, bool)>, // (datagram key, is first)
    }
    let mut frames = Vec::new();
    for line in stdout.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let get = |name: &str| {
            let i = FIELDS.iter().position(|n| *n == name).unwrap();
            f.get(i).copied().unwrap_or("")
        };
        let protocols: Vec<&str> = get("frame.protocols").split(':').collect();
        let Some(ip_at) = protocols.iter().position(|p| *p == "ip" || *p == "ipv6") else {
            continue;
        };
        let v6 = protocols[ip_at] == "ipv6";
        let after_ip = protocols[ip_at + 1..]
            .iter()
            .find(|p| !p.starts_with("ipv6."))
            .copied()
            .unwrap_or("");
        let (src, dst) = if v6 {
            (get("ipv6.src"), get("ipv6.dst"))
        } else {
            (get("ip.src"), get("ip.dst"))
        };
        if src.is_empty() || dst.is_empty() {
            continue;
        }
        let fragment = if v6 {
            let ident = get("ipv6.fraghdr.ident");
            (!ident.is_empty() && protocols[ip_at + 1..].contains(&"ipv6.fraghdr")).then(|| {
                (
                    format!("{src} {dst} {}", number(ident)),
                    number(get("ipv6.fraghdr.offset")) == 0,
                )
            })
        } else {
            let offset = number(get("ip.frag_offset"));
            (is_set(get("ip.flags.mf")) || offset > 0).then(|| {
                (
                    format!("{src} {dst} {} {}", get("ip.proto"), number(get("ip.id"))),
                    offset == 0,
                )
            })
        };
        let proto_number = if v6 {
            number(get("ipv6.fraghdr.nxt"))
        } else {
            number(get("ip.proto"))
        };
        let proto = match (after_ip, fragment.is_some(), proto_number) {
            ("tcp", _, _) => "tcp",
            ("udp", _, _) => "udp",
            (_, true, 6) => "tcp",
            (_, true, 17) => "udp",
            _ => continue,
        };
        let ports = match after_ip {
            "tcp" => Some((get("tcp.srcport"), get("tcp.dstport"))),
            "udp" => Some((get("udp.srcport"), get("udp.dstport"))),
            _ => None,
        }
        .filter(|(s, d)| !s.is_empty() && !d.is_empty())
        .map(|(s, d)| (number(s) as u16, number(d) as u16));
        frames.push(Frame {
            proto: proto.to_string(),
            src: src.to_string(),
            dst: dst.to_string(),
            ports,
            len: number(get("frame.len")),
            tcp_payload: match (&fragment, after_ip) {
                // A fragment's share of the payload: its IP payload, less the TCP header in
                // the first fragment (IPv6: less the 8-byte fragment header).
                (Some((_, first)), _) => {
                    let ip_payload = if v6 {
                        number(get("ipv6.plen")).saturating_sub(8)
                    } else {
                        number(get("ip.len")).saturating_sub(number(get("ip.hdr_len")))
                    };
                    let header = if *first {
                        number(get("tcp.hdr_len"))
                    } else {
                        0
                    };
                    ip_payload.saturating_sub(header)
                }
                (None, "tcp") => number(get("tcp.len")),
                _ => 0,
            },
            tcp_flags: (number(get("tcp.flags")) & 0xff) as u8,
            fragment,
        });
    }
    // Ports of each datagram, from its first fragment.
    let mut datagram_ports = BTreeMap::new();
    for frame in &frames {
        if let (Some((key, true)), Some(ports)) = (&frame.fragment, frame.ports) {
            datagram_ports.insert(key.clone(), ports);
        }
    }
    let mut directions: BTreeMap<Direction, Totals> = BTreeMap::new();
    for frame in frames {
        let ports = match &frame.fragment {
            Some((key, _)) => datagram_ports.get(key).copied(),
            None => frame.ports,
        };
        let key = (
            frame.proto.clone(),
            frame.src,
            ports.map(|p| p.0),
            frame.dst,
            ports.map(|p| p.1),
        );
        let t = directions.entry(key).or_default();
        t.packets += 1;
        t.bytes += frame.len;
        if frame.proto == "tcp" {
            t.tcp_payload += frame.tcp_payload;
            t.tcp_flags |= frame.tcp_flags;
        }
    }
    TsharkResult::Read(directions)
}

fn flag_bits(letters: &str) -> u8 {
    letters
        .chars()
        .map(|c| match c {
            'F' => 0x01,
            'S' => 0x02,
            'R' => 0x04,
            'P' => 0x08,
            'A' => 0x10,
            'U' => 0x20,
            'E' => 0x40,
            'C' => 0x80,
            _ => 0,
        })
        .fold(0, |a, b| a | b)
}

fn our_directions(file: &Path) -> BTreeMap<Direction, Totals> {
    let doc = flows_json(file, &["--idle-timeout", "0"]);
    let mut directions: BTreeMap<Direction, Totals> = BTreeMap::new();
    for flow in doc["flows"].as_array().expect("flows array") {
        let proto = flow["proto"].as_str().unwrap().to_string();
        if proto != "tcp" && proto != "udp" {
            continue;
        }
        let ip = |k: &str| flow[k].as_str().unwrap().to_string();
        let port = |k: &str| flow[k].as_u64().map(|p| p as u16);
        let n = |k: &str| flow[k].as_u64().unwrap();
        let flags = |k: &str| flow[k].as_str().map_or(0, flag_bits);
        let tcp = proto == "tcp";
        let sent = (
            proto.clone(),
            ip("src_ip"),
            port("src_port"),
            ip("dst_ip"),
            port("dst_port"),
        );
        let received = (
            proto.clone(),
            ip("dst_ip"),
            port("dst_port"),
            ip("src_ip"),
            port("src_port"),
        );
        for (key, packets, bytes, payload, fl) in [
            (
                sent,
                n("packets_sent"),
                n("bytes_sent"),
                n("payload_bytes_sent"),
                flags("tcp_flags_sent"),
            ),
            (
                received,
                n("packets_received"),
                n("bytes_received"),
                n("payload_bytes_received"),
                flags("tcp_flags_received"),
            ),
        ] {
            if packets == 0 {
                continue;
            }
            let t = directions.entry(key).or_default();
            t.packets += packets;
            t.bytes += bytes;
            if tcp {
                t.tcp_payload += payload;
                t.tcp_flags |= fl;
            }
        }
    }
    directions
}

/// Differences, one line each, limited to the first few.
fn differences(
    ours: &BTreeMap<Direction, Totals>,
    theirs: &BTreeMap<Direction, Totals>,
) -> Vec<String> {
    let mut lines = Vec::new();
    let keys: std::collections::BTreeSet<_> = ours.keys().chain(theirs.keys()).collect();
    for key in keys {
        let (a, b) = (ours.get(key), theirs.get(key));
        if a != b {
            lines.push(format!("  {key:?}: ca-cli {a:?} tshark {b:?}"));
        }
    }
    lines
}

#[test]
fn tcp_and_udp_totals_per_direction_match_tshark() {
    if !common::have_tool("tshark") {
        common::skip_or_fail("tshark is not installed (apt-get install tshark)");
        return;
    }
    let files = common::all_captures();
    let results: Vec<(PathBuf, Result<usize, String>)> = std::thread::scope(|scope| {
        let chunks: Vec<Vec<PathBuf>> = (0..2)
            .map(|k| files.iter().skip(k).step_by(2).cloned().collect())
            .collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|file| {
                            let outcome = match tshark_directions(&file) {
                                TsharkResult::Unreadable(why) => Err(format!("SKIP {why}")),
                                TsharkResult::Read(theirs) => {
                                    let ours = our_directions(&file);
                                    let diff = differences(&ours, &theirs);
                                    if diff.is_empty() {
                                        Ok(theirs.len())
                                    } else {
                                        Err(diff.join("\n"))
                                    }
                                }
                            };
                            (file, outcome)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut failures = Vec::new();
    let mut compared = 0;
    for (file, outcome) in &results {
        match outcome {
            Ok(directions) => {
                compared += 1;
                eprintln!("ok   {} ({directions} directions)", file_name(file));
            }
            Err(why) if why.starts_with("SKIP") => {
                eprintln!("skip {}: tshark cannot read it: {why}", file_name(file));
            }
            Err(diff) => failures.push(format!("{}:\n{diff}", file_name(file))),
        }
    }
    assert!(compared > 0, "no capture was compared");
    assert!(
        failures.is_empty(),
        "{} of {} captures differ from tshark:\n{}",
        failures.len(),
        results.len(),
        failures.join("\n")
    );
}
