//! The aggregate views agree with the flow list, in every format; filters select exactly the
//! flows an independent predicate over the unfiltered flow list selects.

use crate::common;

use std::net::IpAddr;

use common::{ca_cli, file_name, fixture, flows_json};
use serde_json::Value;

fn view_json(view: &str, file: &std::path::Path, extra: &[&str]) -> Option<Value> {
    let output = ca_cli()
        .arg(view)
        .arg(file)
        .args(["--format", "json", "--quiet"])
        .args(extra)
        .output()
        .unwrap();
    output
        .status
        .success()
        .then(|| serde_json::from_slice(&output.stdout).expect("JSON"))
}

fn sum(rows: &Value, field: &str) -> u64 {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r[field].as_u64().unwrap())
        .sum()
}

#[test]
fn every_view_adds_up_to_the_flow_list_on_every_capture() {
    let mut checked = 0;
    for file in common::all_captures() {
        let Some(flows) = view_json("flows", &file, &[]) else {
            continue;
        };
        let name = file_name(&file);
        let summary = &flows["summary"];
        let (packets, bytes) = (
            summary["ip_packets"].as_u64().unwrap(),
            summary["ip_bytes"].as_u64().unwrap(),
        );
        let flow_rows = &flows["flows"];
        let flow_bytes = sum(flow_rows, "bytes_sent") + sum(flow_rows, "bytes_received");
        let flow_packets = sum(flow_rows, "packets_sent") + sum(flow_rows, "packets_received");
        let count = flow_rows.as_array().unwrap().len() as u64;
        assert_eq!(
            (flow_packets, flow_bytes),
            (packets, bytes),
            "{name}: flows"
        );
        assert_eq!(summary["selected_bytes"].as_u64().unwrap(), bytes, "{name}");

        let protocols = view_json("protocols", &file, &[]).unwrap();
        for section in ["transports", "services", "countries"] {
            let rows = &protocols[section];
            assert_eq!(
                sum(rows, "bytes"),
                bytes,
                "{name}: protocols {section} bytes"
            );
            assert_eq!(
                sum(rows, "packets"),
                packets,
                "{name}: protocols {section} packets"
            );
            assert_eq!(
                sum(rows, "flows"),
                count,
                "{name}: protocols {section} flows"
            );
        }

        // Service rows are the flows grouped by service and by whether the port guessed it.
        let mut expected = std::collections::BTreeMap::new();
        for flow in flow_rows.as_array().unwrap() {
            let key = (
                flow["service"].as_str().unwrap().to_string(),
                flow["service_source"] == "port",
            );
            let entry = expected.entry(key).or_insert((0u64, 0u64));
            entry.0 += 1;
            entry.1 +=
                flow["bytes_sent"].as_u64().unwrap() + flow["bytes_received"].as_u64().unwrap();
        }
        let found: std::collections::BTreeMap<(String, bool), (u64, u64)> = protocols["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    (
                        r["name"].as_str().unwrap().to_string(),
                        r["port_guess"].as_bool().unwrap(),
                    ),
                    (r["flows"].as_u64().unwrap(), r["bytes"].as_u64().unwrap()),
                )
            })
            .collect();
        assert_eq!(
            found, expected,
            "{name}: protocols services by name and port_guess"
        );

        let geo = view_json("geo", &file, &[]).unwrap();
        let rows = &geo["countries"];
        // Every byte has a sender and a receiver somewhere.
        assert_eq!(sum(rows, "bytes_to"), bytes, "{name}: geo bytes to");
        assert_eq!(sum(rows, "bytes_from"), bytes, "{name}: geo bytes from");
        assert_eq!(sum(rows, "packets_to"), packets, "{name}: geo packets to");
        assert_eq!(
            sum(rows, "packets_from"),
            packets,
            "{name}: geo packets from"
        );
        let share: f64 = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["share"].as_f64().unwrap())
            .sum();
        if bytes > 0 {
            assert!(
                (share - 1.0).abs() < 1e-9,
                "{name}: geo shares sum to {share}"
            );
        }

        let stats = view_json("stats", &file, &["--top", "100000"]).unwrap();
        let histogram: u64 = stats["duration_histogram"]["protocols"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["total"].as_u64().unwrap())
            .sum();
        assert_eq!(
            histogram, count,
            "{name}: every flow in one duration bucket"
        );
        assert_eq!(
            sum(&stats["top_protocols"], "bytes"),
            bytes,
            "{name}: stats protocols"
        );
        assert_eq!(
            sum(&stats["top_sources_by_bytes"], "bytes"),
            bytes,
            "{name}: senders"
        );
        assert_eq!(
            sum(&stats["top_destinations_by_bytes"], "bytes"),
            bytes,
            "{name}: receivers"
        );
        assert_eq!(
            sum(&stats["top_sources_by_flows"], "flows"),
            count,
            "{name}: initiators"
        );
        checked += 1;
    }
    assert!(checked > 20, "{checked} captures");
}

#[test]
fn every_view_renders_in_every_format() {
    let file = fixture("ndpi_iphone.pcap");
    for view in ["flows", "protocols", "stats", "geo"] {
        let json = view_json(view, &file, &[]).unwrap();
        assert_eq!(json["schema_version"], 2, "{view}");
        let run = |format: &str| {
            let output = ca_cli()
                .arg(view)
                .arg(&file)
                .args(["--format", format, "--quiet"])
                .output()
                .unwrap();
            assert!(output.status.success(), "{view} {format}");
            String::from_utf8(output.stdout).unwrap()
        };
        let ndjson = run("ndjson");
        let lines: Vec<Value> = ndjson
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(!lines.is_empty(), "{view} ndjson");
        let csv = run("csv");
        let mut rows = csv.lines();
        let columns = rows.next().unwrap().split(',').count();
        assert!(columns >= 5, "{view} csv header");
        assert_eq!(rows.count(), lines.len(), "{view}: csv rows == ndjson rows");
        let text = run("text");
        assert!(!text.is_empty(), "{view} text");
    }
}

#[test]
fn geo_drill_down_lists_only_that_countrys_addresses() {
    let file = fixture("ndpi_iphone.pcap");
    let geo = view_json("geo", &file, &["--country", "nl"]).unwrap();
    let detail = &geo["detail"];
    assert_eq!(detail["country"], "NL");
    let flows = flows_json(&file, &[]);
    let mut expected: Vec<String> = Vec::new();
    for flow in flows["flows"].as_array().unwrap() {
        for end in ["src", "dst"] {
            if flow[format!("{end}_country")] == "NL" {
                let ip = flow[format!("{end}_ip")].as_str().unwrap().to_string();
                if !expected.contains(&ip) {
                    expected.push(ip);
                }
            }
        }
    }
    let mut listed: Vec<String> = detail["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["address"].as_str().unwrap().to_string())
        .collect();
    expected.sort();
    listed.sort();
    assert_eq!(listed, expected);
    assert!(!listed.is_empty());
}

fn in_net(ip: &str, net: &str) -> bool {
    let (base, prefix) = net.split_once('/').unwrap();
    match (
        ip.parse::<IpAddr>().unwrap(),
        base.parse::<IpAddr>().unwrap(),
    ) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let prefix: u32 = prefix.parse().unwrap();
            let mask = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - prefix)
            };
            u32::from(a) & mask == u32::from(b) & mask
        }
        _ => false,
    }
}

type Predicate = Box<dyn Fn(&Value) -> bool>;

fn total(f: &Value) -> u64 {
    f["bytes_sent"].as_u64().unwrap() + f["bytes_received"].as_u64().unwrap()
}

fn port(f: &Value, end: &str) -> Option<u64> {
    f[format!("{end}_port")].as_u64()
}

fn either(f: &Value, field: &str, value: &str) -> bool {
    f[format!("src_{field}")] == value || f[format!("dst_{field}")] == value
}

#[test]
fn filters_select_what_an_independent_predicate_selects() {
    let file = fixture("ndpi_iphone.pcap");
    let all = flows_json(&file, &[]);
    let flows = all["flows"].as_array().unwrap();
    let times: Vec<&str> = flows
        .iter()
        .map(|f| f["first_seen"].as_str().unwrap())
        .collect();
    let middle = times[times.len() / 2].to_string();
    let m = middle.clone();
    let m2 = middle.clone();
    let cases: Vec<(Vec<String>, Predicate)> = vec![
        (
            vec!["--proto".into(), "udp".into()],
            Box::new(|f: &Value| f["proto"] == "udp"),
        ),
        (
            vec!["--proto".into(), "tcp,icmp".into()],
            Box::new(|f: &Value| f["proto"] == "tcp" || f["proto"] == "icmp"),
        ),
        (
            vec!["--port".into(), "53".into()],
            Box::new(move |f: &Value| port(f, "src") == Some(53) || port(f, "dst") == Some(53)),
        ),
        (
            vec!["--host".into(), "192.168.2.1".into()],
            Box::new(move |f: &Value| either(f, "ip", "192.168.2.1")),
        ),
        (
            vec!["--src".into(), "192.168.2.0/24".into()],
            Box::new(|f: &Value| in_net(f["src_ip"].as_str().unwrap(), "192.168.2.0/24")),
        ),
        (
            vec!["--dst-country".into(), "US".into()],
            Box::new(|f: &Value| f["dst_country"] == "US"),
        ),
        (
            vec!["--country".into(), "nl".into()],
            Box::new(move |f: &Value| either(f, "country", "NL")),
        ),
        (
            vec!["--service".into(), "dns".into()],
            Box::new(|f: &Value| f["service"] == "dns"),
        ),
        (
            vec!["--service".into(), "tls".into()],
            Box::new(|f: &Value| f["service"] == "tls" && f["service_source"] == "payload"),
        ),
        (
            // A glob over server names, written independently: a suffix match here.
            vec!["--name".into(), "*.ICLOUD.com".into()],
            Box::new(|f: &Value| {
                f["server_name"]
                    .as_str()
                    .is_some_and(|n| n.ends_with(".icloud.com"))
            }),
        ),
        (
            vec![
                "--filter".into(),
                "name gateway.icloud.com or name mesu.apple.com".into(),
            ],
            Box::new(|f: &Value| {
                matches!(
                    f["server_name"].as_str(),
                    Some("gateway.icloud.com" | "mesu.apple.com")
                )
            }),
        ),
        (
            vec!["--min-bytes".into(), "1k".into()],
            Box::new(move |f: &Value| total(f) >= 1000),
        ),
        (
            vec!["--since".into(), middle.clone()],
            Box::new(move |f: &Value| f["last_seen"].as_str().unwrap() >= m.as_str()),
        ),
        (
            vec!["--until".into(), middle.clone()],
            Box::new(move |f: &Value| f["first_seen"].as_str().unwrap() <= m2.as_str()),
        ),
        (
            vec!["--filter".into(), "not proto tcp".into()],
            Box::new(|f: &Value| f["proto"] != "tcp"),
        ),
        (
            vec!["--filter".into(), "bytes > 1k and packets < 10".into()],
            Box::new(move |f: &Value| {
                total(f) > 1000
                    && f["packets_sent"].as_u64().unwrap() + f["packets_received"].as_u64().unwrap()
                        < 10
            }),
        ),
        (
            vec![
                "--filter".into(),
                "dst port >= 1024 or src label link-local".into(),
            ],
            Box::new(move |f: &Value| {
                port(f, "dst").is_some_and(|p| p >= 1024) || f["src_label"] == "link-local"
            }),
        ),
        (
            vec!["--filter".into(), "state S1".into()],
            Box::new(|f: &Value| f["tcp_state"] == "S1"),
        ),
        (
            vec!["--filter".into(), "duration > 1s".into()],
            Box::new(|f: &Value| f["duration_s"].as_f64().unwrap() > 1.0),
        ),
        (
            vec!["--filter".into(), "label public and not country US".into()],
            Box::new(|f: &Value| {
                let public = f["src_label"].is_null() || f["dst_label"].is_null();
                public && !either(f, "country", "US")
            }),
        ),
        (
            vec![
                "--proto".into(),
                "udp".into(),
                "--filter".into(),
                "(port 5353 || port 1900) && !src label link-local".into(),
            ],
            Box::new(move |f: &Value| {
                f["proto"] == "udp"
                    && [5353, 1900]
                        .iter()
                        .any(|p| port(f, "src") == Some(*p) || port(f, "dst") == Some(*p))
                    && f["src_label"] != "link-local"
            }),
        ),
    ];
    for (args, predicate) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let filtered = flows_json(&file, &args);
        let expected: Vec<&Value> = flows.iter().filter(|f| predicate(f)).collect();
        let got: Vec<&Value> = filtered["flows"].as_array().unwrap().iter().collect();
        assert!(
            !expected.is_empty() || args.contains(&"state"),
            "{args:?} selects something"
        );
        assert!(
            expected.len() < flows.len(),
            "{args:?} leaves something out"
        );
        assert_eq!(got, expected, "{args:?}");
        assert_eq!(
            filtered["summary"]["selected_flows"].as_u64().unwrap() as usize,
            got.len()
        );
        assert!(filtered["summary"]["filter"].is_string(), "{args:?}");
    }
}

/// Option values are values: expression syntax inside one (`or`, `)`, quotes, `not`) is matched
/// literally, never read as more conditions, and the summary's filter text, given back as
/// `--filter`, selects the same flows. A service name holding it is no service: rejected,
/// with the value the user gave.
#[test]
fn option_values_holding_expression_syntax_match_literally() {
    let file = fixture("ndpi_iphone.pcap");
    let tcp = flows_json(&file, &["--proto", "tcp"]);
    let tcp_flows = tcp["flows"].as_array().unwrap().len();
    assert!(tcp_flows > 0);
    let cases: [(&[&str], usize, &str); 5] = [
        (&["--name", "x or proto tcp"], 0, r#"name "x or proto tcp""#),
        (&["--name", "not"], 0, "name not"),
        (
            &["--name", "(gateway.icloud.com"],
            0,
            r#"name "(gateway.icloud.com""#,
        ),
        (
            &["--proto", "tcp", "--name", "nope or tls"],
            0,
            r#"proto tcp and name "nope or tls""#,
        ),
        (
            &["--proto", "tcp", "--name", "*.icloud.com,nope or any"],
            usize::MAX,
            r#"proto tcp and (name *.icloud.com or name "nope or any")"#,
        ),
    ];
    for (args, expected, shown) in cases {
        let filtered = flows_json(&file, args);
        let got = filtered["flows"].as_array().unwrap().len();
        if expected == usize::MAX {
            assert!(got > 0 && got < tcp_flows, "{args:?}: {got}");
        } else {
            assert_eq!(got, expected, "{args:?}");
        }
        assert_eq!(filtered["summary"]["filter"], shown, "{args:?}");
        let again = flows_json(&file, &["--filter", shown]);
        assert_eq!(again["flows"], filtered["flows"], "{shown}");
    }
    for service in ["x)", "tls\" or proto tcp", "not tls"] {
        let output = ca_cli()
            .arg("flows")
            .arg(&file)
            .args(["--service", service])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{service}: {stderr}");
        assert!(
            stderr.contains(&format!("unknown service '{service}'")),
            "{service}: {stderr}"
        );
    }
}

#[test]
fn relative_times_count_from_the_capture_start() {
    let file = fixture("zeek_icmp_5-pings.pcap"); // echo pairs one second apart
    let all = flows_json(&file, &["--idle-timeout", "500ms"]);
    let after = flows_json(&file, &["--idle-timeout", "500ms", "--since", "+2.5s"]);
    let before = flows_json(&file, &["--idle-timeout", "500ms", "--until", "+2.5s"]);
    let n = |d: &Value| d["flows"].as_array().unwrap().len();
    assert_eq!(n(&all), 5);
    assert_eq!(n(&after) + n(&before), n(&all));
    assert_eq!(n(&before), 3);
}

#[test]
fn bad_filters_exit_2_pointing_at_the_column() {
    let cases: [(&[&str], &str); 6] = [
        (&["--filter", "proto tcp and dst port https"], "column 24"),
        (&["--filter", "(proto tcp"], "column 11"),
        (&["--filter", "country usa"], "column 9"),
        (&["--proto", "tcpp"], "unknown protocol 'tcpp'"),
        (
            &["--country", "Germany"],
            "neither a two-letter country code",
        ),
        (&["--since", "yesterday"], "is not a time"),
    ];
    for (args, message) in cases {
        let output = ca_cli()
            .arg("flows")
            .arg(fixture("zeek_http-get.pcap"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let output = ca_cli()
        .arg("flows")
        .arg(fixture("zeek_http-get.pcap"))
        .args(["--filter", "proto tcp and dst port https"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines[1], "  proto tcp and dst port https");
    assert_eq!(
        lines[2].find('^'),
        Some(2 + 23),
        "caret under column 24: {stderr}"
    );
}

/// `--schema-line` opens NDJSON and CSV with the schema version the JSON documents carry, and
/// leaves the records after it exactly as without it.
#[test]
fn schema_line_names_the_version_of_the_json_documents() {
    let file = fixture("ndpi_iphone.pcap");
    let run = |args: &[&str]| {
        let output = ca_cli()
            .arg(args[0])
            .arg(&file)
            .args(&args[1..])
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    for (view, format, sorted) in [
        ("flows", "ndjson", false),
        ("flows", "ndjson", true),
        ("flows", "csv", false),
        ("stats", "csv", false),
        ("protocols", "ndjson", false),
    ] {
        let document: Value =
            serde_json::from_str(&run(&[view, "--format", "json", "-q"])).unwrap();
        let version = document["schema_version"].as_u64().unwrap();
        let mut args = vec![view, "--format", format, "-q"];
        if sorted {
            args.extend(["--sort", "bytes"]);
        }
        let plain = run(&args);
        args.push("--schema-line");
        let with_line = run(&args);
        let (first, rest) = with_line.split_once('\n').unwrap();
        match format {
            "ndjson" => {
                let line: Value = serde_json::from_str(first).unwrap();
                assert_eq!(line, serde_json::json!({ "schema_version": version }));
            }
            _ => assert_eq!(first, format!("#schema_version={version}")),
        }
        assert_eq!(rest, plain, "{view} {format}");
    }
    // Nothing changes for JSON and text.
    for format in ["json", "text"] {
        let args = ["flows", "--format", format, "-q"];
        assert_eq!(run(&[&args[..], &["--schema-line"]].concat()), run(&args));
    }
}
