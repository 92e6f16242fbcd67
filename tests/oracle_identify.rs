//! Oracle test: the service and server name ca-cli finds in each flow's payload, against
//! tshark's dissectors on the same capture.
//!
//! For every TCP/UDP conversation (the outermost IP header and ports, as flows are keyed) the
//! test takes tshark's first application protocol in `frame.protocols`, and its first TLS/QUIC
//! server name, HTTP host or DNS query name. Where tshark names a protocol we also identify, our
//! service must agree; where tshark has a name, our server name must equal it (HTTP hosts
//! without their port, as we report them). Frames inside tunnels are skipped: flows are keyed
//! on the outer headers, whose payload is the tunnel; so are the fuzzed captures. At least 98%
//! must agree over the corpus; every disagreement is listed.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{file_name, flows_json};

/// tshark's protocol names (in `frame.protocols`) and ours.
const PROTOCOLS: &[(&str, &str)] = &[
    ("tls", "tls"),
    ("http", "http"),
    ("dns", "dns"),
    ("mdns", "mdns"),
    ("llmnr", "llmnr"),
    ("nbns", "netbios-ns"),
    ("nbdgm", "netbios-dgm"),
    ("quic", "quic"),
    ("ssh", "ssh"),
    ("rdp", "rdp"),
    ("smb", "smb"),
    ("smb2", "smb"),
    ("ntp", "ntp"),
    ("dhcp", "dhcp"),
    ("dhcpv6", "dhcpv6"),
    ("ssdp", "ssdp"),
    ("sip", "sip"),
    ("mqtt", "mqtt"),
    ("kerberos", "kerberos"),
    ("ldap", "ldap"),
    ("cldap", "ldap"),
    ("pgsql", "postgresql"),
    ("mysql", "mysql"),
    ("smtp", "smtp"),
    ("imap", "imap"),
    ("pop", "pop3"),
    ("ftp", "ftp"),
    ("rtsp", "rtsp"),
    ("bittorrent", "bittorrent"),
];

/// Encapsulations whose inner packets are not the outer flow's payload.
const TUNNELS: &[&str] = &[
    "vxlan", "gre", "geneve", "erspan", "teredo", "gtp", "l2tp", "pptp", "ipip",
];

/// (proto, address, port, address, port), the lower end first.
type Conversation = (String, String, u16, String, u16);

#[derive(Debug, Default)]
struct Seen {
    protocol: Option<&'static str>,
    name: Option<String>,
}

fn conversation(proto: &str, a: (&str, u16), b: (&str, u16)) -> Conversation {
    let (lo, hi) = if (a.0, a.1) <= (b.0, b.1) {
        (a, b)
    } else {
        (b, a)
    };
    (
        proto.to_string(),
        lo.0.to_string(),
        lo.1,
        hi.0.to_string(),
        hi.1,
    )
}

fn first(field: &str) -> &str {
    field.split(',').next().unwrap_or("")
}

/// `name:port`, `[v6]:port` and `[v6]` as the bare name, as ca-cli reports hosts.
fn host_without_port(host: &str) -> String {
    if let Some(v6) = host.strip_prefix('[') {
        return v6.split(']').next().unwrap_or(v6).to_string();
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !name.contains(':') => {
            name.to_string()
        }
        _ => host.to_string(),
    }
}

/// tshark's `-e` arguments: the conversation's fields ([`tshark_conversation`] reads them),
/// then `extra`.
fn fields(extra: &[&str]) -> Vec<String> {
    const CONVERSATION: [&str; 9] = [
        "frame.protocols",
        "ip.src",
        "ip.dst",
        "ipv6.src",
        "ipv6.dst",
        "tcp.srcport",
        "tcp.dstport",
        "udp.srcport",
        "udp.dstport",
    ];
    CONVERSATION
        .iter()
        .chain(extra)
        .flat_map(|f| ["-e".to_string(), f.to_string()])
        .collect()
}

fn tshark_view(file: &Path) -> Option<BTreeMap<Conversation, Seen>> {
    let output = Command::new("tshark")
        .args(["-n", "-r"])
        .arg(file)
        .args(["-T", "fields", "-E", "separator=/t", "-E", "occurrence=a"])
        .args(fields(&[
            "tls.handshake.extensions_server_name",
            "http.host",
            "dns.qry.name",
        ]))
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let mut seen: BTreeMap<Conversation, Seen> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 12 {
            continue;
        }
        let Some(key) = tshark_conversation(&f) else {
            continue;
        };
        let entry = seen.entry(key).or_default();
        let layers: Vec<&str> = f[0].split(':').collect();
        let ip_at = layers
            .iter()
            .position(|l| *l == "ip" || *l == "ipv6")
            .unwrap_or(0);
        let app = layers[ip_at + 2..].iter().find_map(|l| {
            PROTOCOLS
                .iter()
                .find(|(theirs, _)| theirs == l)
                .map(|(_, ours)| *ours)
        });
        if entry.protocol.is_none() {
            entry.protocol = app;
        }
        let sni = first(f[9]);
        let host = first(f[10]);
        let query = first(f[11]);
        if entry.name.is_none() {
            let name = if !sni.is_empty() {
                Some(sni.to_ascii_lowercase())
            } else if !host.is_empty() {
                Some(host_without_port(&host.to_ascii_lowercase()))
            } else if !query.is_empty() && query != "<Root>" {
                Some(query.to_ascii_lowercase())
            } else {
                None
            };
            entry.name = name;
        }
    }
    Some(seen)
}

#[test]
fn services_and_server_names_agree_with_tshark() {
    if !common::have_tool("tshark") {
        common::skip_or_fail("tshark is not installed");
        return;
    }
    let mut compared = 0usize;
    let mut agreed = 0usize;
    let mut disagreements = Vec::new();
    for file in common::all_captures() {
        // Fuzzed captures hold bit-flipped packets: tshark dissects them by port whatever the
        // bytes say, so they measure nothing about identification.
        if file_name(&file).contains("fuzz") {
            continue;
        }
        let Some(theirs) = tshark_view(&file) else {
            continue;
        };
        let output = common::ca_cli()
            .arg("flows")
            .arg(&file)
            .args(["--json", "--no-geoip", "-q"])
            .output()
            .unwrap();
        if output.status.code() != Some(0) {
            continue;
        }
        let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        // Our first flow with payload findings for each conversation.
        let mut ours: BTreeMap<Conversation, (String, String, Option<String>)> = BTreeMap::new();
        for flow in doc["flows"].as_array().unwrap() {
            let (Some(sport), Some(dport)) = (flow["src_port"].as_u64(), flow["dst_port"].as_u64())
            else {
                continue;
            };
            let key = conversation(
                flow["proto"].as_str().unwrap(),
                (flow["src_ip"].as_str().unwrap(), sport as u16),
                (flow["dst_ip"].as_str().unwrap(), dport as u16),
            );
            let entry = (
                flow["service"].as_str().unwrap().to_string(),
                flow["service_source"].as_str().unwrap().to_string(),
                flow["server_name"].as_str().map(str::to_string),
            );
            let better = |old: &(String, String, Option<String>)| {
                old.1 != "payload" && entry.1 == "payload" || old.2.is_none() && entry.2.is_some()
            };
            match ours.get(&key) {
                Some(old) if !better(old) => {}
                _ => {
                    ours.insert(key, entry);
                }
            }
        }
        let _ = flows_json;
        for (key, seen) in &theirs {
            let Some((service, source, name)) = ours.get(key) else {
                continue;
            };
            if let Some(protocol) = seen.protocol {
                compared += 1;
                if source == "payload" && service == protocol {
                    agreed += 1;
                } else {
                    disagreements.push(format!(
                        "{}: {key:?}: tshark {protocol}, ours {service} ({source})",
                        file_name(&file)
                    ));
                }
            }
            if let Some(expected) = &seen.name {
                compared += 1;
                if name.as_deref() == Some(expected.as_str()) {
                    agreed += 1;
                } else {
                    disagreements.push(format!(
                        "{}: {key:?}: tshark name {expected}, ours {name:?}",
                        file_name(&file)
                    ));
                }
            }
        }
    }
    let rate = agreed as f64 / compared.max(1) as f64;
    eprintln!(
        "{agreed} of {compared} services and names agree with tshark ({:.2}%)",
        rate * 100.0
    );
    for line in &disagreements {
        eprintln!("  {line}");
    }
    assert!(
        compared > 200,
        "only {compared} comparisons: the corpus is missing?"
    );
    assert!(rate >= 0.98, "{:.2}% agreement is under 98%", rate * 100.0);
}

/// The names `ca-cli dns` lists are the names tshark's DNS dissector finds in the same
/// capture's DNS, mDNS and LLMNR messages (outside tunnels; IP reassembly off, as ca-cli reads
/// only a datagram's first fragment), and each is counted at least once per query tshark sees.
#[test]
fn the_dns_view_lists_the_names_tshark_sees() {
    if !common::have_tool("tshark") {
        common::skip_or_fail("tshark is not installed");
        return;
    }
    let mut files = 0;
    let mut names_checked = 0;
    for file in common::all_captures() {
        if file_name(&file).contains("fuzz") {
            continue;
        }
        let Ok(output) = Command::new("tshark")
            .args(["-n", "-r"])
            .arg(&file)
            // Without reassembly: ca-cli reads the first fragment of a datagram, not the whole.
            .args(["-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"])
            .args([
                "-Y",
                "(dns || mdns || llmnr) && !icmp && !icmpv6",
                "-T",
                "fields",
                "-E",
                "separator=/t",
            ])
            .args([
                "-e",
                "frame.protocols",
                "-e",
                "dns.qry.name",
                "-e",
                "dns.flags.response",
            ])
            .output()
        else {
            continue;
        };
        if !output.status.success() {
            continue;
        }
        let mut theirs: BTreeMap<String, u64> = BTreeMap::new();
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let f: Vec<&str> = line.split('\t').collect();
            let layers: Vec<&str> = f
                .first()
                .map(|p| p.split(':').collect())
                .unwrap_or_default();
            let ip_layers = layers
                .iter()
                .filter(|l| **l == "ip" || **l == "ipv6")
                .count();
            if f.len() < 3 || ip_layers != 1 || layers.iter().any(|l| TUNNELS.contains(l)) {
                continue; // inside a tunnel: the outer flow is the tunnel's
            }
            // The first question, as we read it.
            let name = first(f[1]);
            if name.is_empty() || name == "<Root>" {
                continue;
            }
            let count = theirs.entry(name.to_ascii_lowercase()).or_insert(0);
            if first(f[2]) == "0" || first(f[2]) == "False" {
                *count += 1;
            }
        }
        let run = common::ca_cli()
            .arg("dns")
            .arg(&file)
            .args(["--json", "--no-geoip", "-q"])
            .output()
            .unwrap();
        if run.status.code() != Some(0) {
            continue;
        }
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let mut ours: BTreeMap<String, u64> = BTreeMap::new();
        for entry in doc["names"].as_array().unwrap() {
            let name = entry["name"].as_str().unwrap();
            if name == "." {
                continue;
            }
            *ours.entry(name.to_string()).or_insert(0) += entry["queries"].as_u64().unwrap();
        }
        let their_names: Vec<&String> = theirs.keys().collect();
        let our_names: Vec<&String> = ours.keys().collect();
        assert_eq!(our_names, their_names, "{}: names", file_name(&file));
        for (name, queries) in &theirs {
            assert!(
                ours[name] >= *queries,
                "{}: {name}: {} queries, tshark saw {queries}",
                file_name(&file),
                ours[name]
            );
        }
        if !theirs.is_empty() {
            files += 1;
            names_checked += theirs.len();
        }
    }
    eprintln!("{names_checked} names in {files} captures agree with tshark");
    assert!(
        files >= 3 && names_checked >= 30,
        "{files} files, {names_checked} names"
    );
}

/// The conversation of a tshark line whose first fields are frame.protocols, ip.src, ip.dst,
/// ipv6.src, ipv6.dst, tcp.srcport, tcp.dstport, udp.srcport, udp.dstport (outermost IP,
/// transport right above it, no tunnels).
fn tshark_conversation(f: &[&str]) -> Option<Conversation> {
    let layers: Vec<&str> = f.first()?.split(':').collect();
    if layers.iter().any(|l| TUNNELS.contains(l)) {
        return None;
    }
    let ip_at = layers.iter().position(|l| *l == "ip" || *l == "ipv6")?;
    let (src, dst) = if layers[ip_at] == "ip" {
        (first(f[1]), first(f[2]))
    } else {
        (first(f[3]), first(f[4]))
    };
    let (proto, sport, dport) = match layers.get(ip_at + 1) {
        Some(&"tcp") => ("tcp", first(f[5]), first(f[6])),
        Some(&"udp") => ("udp", first(f[7]), first(f[8])),
        _ => return None,
    };
    Some(conversation(
        proto,
        (src, sport.parse().ok()?),
        (dst, dport.parse().ok()?),
    ))
}

/// JA3 and JA3S fingerprints equal those tshark computes from the same hellos (TLS over TCP,
/// and the ClientHello inside QUIC Initials), on every corpus capture. Not compared, and
/// counted as such: a QUIC server's JA3S (its Initial is not decrypted, only the client's
/// is) and TLS started inside another protocol (MySQL's SSL request, STARTTLS), which
/// identification does not follow.
#[test]
fn tls_fingerprints_agree_with_tshark() {
    if !common::have_tool("tshark") {
        common::skip_or_fail("tshark is not installed");
        return;
    }
    let mut compared = 0usize;
    let mut not_compared = 0usize;
    let mut disagreements = Vec::new();
    for file in common::all_captures() {
        if file_name(&file).contains("fuzz") {
            continue;
        }
        let output = Command::new("tshark")
            .args(["-n", "-r"])
            .arg(&file)
            .args(["-Y", "tls.handshake.type == 1 || tls.handshake.type == 2"])
            .args(["-T", "fields", "-E", "separator=/t", "-E", "occurrence=f"])
            .args(fields(&["tls.handshake.ja3", "tls.handshake.ja3s"]))
            .output()
            .unwrap();
        if !output.status.success() {
            continue;
        }
        // tshark's first fingerprints of each kind per conversation.
        let mut theirs: BTreeMap<Conversation, (Option<String>, Option<String>)> = BTreeMap::new();
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 11 {
                continue;
            }
            let Some(key) = tshark_conversation(&f) else {
                continue;
            };
            let layers: Vec<&str> = f[0].split(':').collect();
            let above_transport = layers
                .iter()
                .position(|l| *l == "tcp" || *l == "udp")
                .and_then(|at| layers.get(at + 1));
            if !matches!(above_transport, Some(&"tls" | &"quic")) {
                not_compared += 1;
                continue;
            }
            if key.0 == "udp" && f[9].is_empty() {
                not_compared += 1;
                continue;
            }
            let entry = theirs.entry(key).or_default();
            if entry.0.is_none() && !f[9].is_empty() {
                entry.0 = Some(f[9].to_string());
            }
            if entry.1.is_none() && !f[10].is_empty() {
                entry.1 = Some(f[10].to_string());
            }
        }
        if theirs.is_empty() {
            continue;
        }
        let doc = flows_json(&file, &["--no-geoip"]);
        let mut ours: BTreeMap<Conversation, (Option<String>, Option<String>)> = BTreeMap::new();
        let mut services: BTreeMap<Conversation, String> = BTreeMap::new();
        for flow in doc["flows"].as_array().unwrap() {
            let (Some(sport), Some(dport)) = (flow["src_port"].as_u64(), flow["dst_port"].as_u64())
            else {
                continue;
            };
            let key = conversation(
                flow["proto"].as_str().unwrap(),
                (flow["src_ip"].as_str().unwrap(), sport as u16),
                (flow["dst_ip"].as_str().unwrap(), dport as u16),
            );
            services
                .entry(key.clone())
                .or_insert_with(|| flow["service"].as_str().unwrap_or("").to_string());
            let entry = ours.entry(key).or_default();
            if entry.0.is_none() {
                entry.0 = flow["ja3"].as_str().map(str::to_string);
            }
            if entry.1.is_none() {
                entry.1 = flow["ja3s"].as_str().map(str::to_string);
            }
        }
        for (key, (ja3, ja3s)) in &theirs {
            // TLS that another protocol started (MySQL's SSL request): not followed.
            if services.get(key).is_some_and(|s| s != "tls" && s != "quic") {
                not_compared += usize::from(ja3.is_some()) + usize::from(ja3s.is_some());
                continue;
            }
            let (our_ja3, our_ja3s) = ours.get(key).cloned().unwrap_or_default();
            for (kind, expected, found) in [("ja3", ja3, our_ja3), ("ja3s", ja3s, our_ja3s)] {
                if let Some(expected) = expected {
                    compared += 1;
                    if found.as_deref() != Some(expected.as_str()) {
                        disagreements.push(format!(
                            "{}: {key:?}: tshark {kind} {expected}, ours {found:?}",
                            file_name(&file)
                        ));
                    }
                }
            }
        }
    }
    eprintln!(
        "{} of {compared} fingerprints agree with tshark ({not_compared} hellos not compared)",
        compared - disagreements.len()
    );
    for line in &disagreements {
        eprintln!("  {line}");
    }
    assert!(
        compared > 100,
        "only {compared} fingerprints compared: the corpus is missing?"
    );
    assert!(disagreements.is_empty(), "{} disagree", disagreements.len());
}
