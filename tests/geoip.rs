//! GeoIP against libmaxminddb's `mmdblookup` (Debian's mmdb-bin) on the same database files:
//! the bundled database, MaxMind-layout Country/City/ASN files and the top-level-`country_code`
//! layout, for every address in every capture.

use crate::common;

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{ca_cli, fixture, flows_json};
use serde_json::Value;

fn bundled_db() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/enrich/data/geo-whois-asn-country.mmdb")
}

/// libmaxminddb's value at `path` for `ip`, as text (strings unquoted), or None.
fn mmdblookup(db: &Path, ip: IpAddr, path: &[&str]) -> Option<String> {
    let output = Command::new("mmdblookup")
        .arg("--file")
        .arg(db)
        .arg("--ip")
        .arg(ip.to_string())
        .args(path)
        .output()
        .expect("mmdblookup runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let value = stdout.split('<').next()?.trim();
    if value.is_empty() {
        return None;
    }
    Some(value.trim_matches('"').to_string())
}

/// Every distinct address of every capture, with what ca-cli said about it.
fn addresses(extra: &[&str]) -> BTreeMap<IpAddr, Value> {
    let mut seen = BTreeMap::new();
    for file in common::all_captures() {
        let output = ca_cli()
            .arg("flows")
            .arg(&file)
            .args(["--format", "json", "--quiet"])
            .args(extra)
            .output()
            .unwrap();
        if !output.status.success() {
            continue; // unusable inputs are tested elsewhere
        }
        let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
        for flow in doc["flows"].as_array().unwrap() {
            for end in ["src", "dst"] {
                let ip: IpAddr = flow[format!("{end}_ip")].as_str().unwrap().parse().unwrap();
                let mut facts = serde_json::Map::new();
                for field in ["country", "label", "city", "asn", "as_org"] {
                    if let Some(v) = flow.get(format!("{end}_{field}")) {
                        facts.insert(field.to_string(), v.clone());
                    }
                }
                seen.insert(ip, Value::Object(facts));
            }
        }
    }
    assert!(seen.len() > 100, "only {} addresses", seen.len());
    seen
}

/// The address a database is asked about: the address itself, the IPv4 inside a NAT64 or
/// IPv4-mapped one, or none for other labelled addresses.
fn looked_up(ip: IpAddr, label: &Value) -> Option<IpAddr> {
    match (label.as_str(), ip) {
        (None, _) => Some(ip),
        (Some("nat64" | "ipv4-mapped"), IpAddr::V6(v6)) => Some(IpAddr::V4(Ipv4Addr::from(
            (u128::from(v6) & 0xffff_ffff) as u32,
        ))),
        (Some(_), _) => None,
    }
}

fn need_mmdblookup() -> bool {
    let present = Command::new("mmdblookup").arg("--version").output().is_ok();
    if !present {
        common::skip_or_fail("mmdblookup is not installed (apt-get install mmdb-bin)");
    }
    present
}

fn check_against_mmdblookup(db: &Path, extra: &[&str], fields: &[(&str, &[&str])]) {
    let mut checked = 0;
    let mut differences = Vec::new();
    for (ip, facts) in addresses(extra) {
        let target = looked_up(ip, &facts["label"]);
        for (field, path) in fields {
            let theirs = target.and_then(|t| mmdblookup(db, t, path));
            let ours = match &facts[*field] {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                other => Some(other.to_string()),
            };
            if ours != theirs {
                differences.push(format!(
                    "{ip} {field}: ca-cli {ours:?}, mmdblookup {theirs:?}"
                ));
            }
            checked += 1;
        }
    }
    assert!(checked > 100);
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[test]
fn bundled_database_countries_match_mmdblookup() {
    if need_mmdblookup() {
        check_against_mmdblookup(&bundled_db(), &[], &[("country", &["country_code"])]);
    }
}

#[test]
fn maxmind_country_layout_matches_mmdblookup() {
    if need_mmdblookup() {
        let db = fixture("geoip/maxmind-country.mmdb");
        let arg = db.to_str().unwrap();
        check_against_mmdblookup(
            &db,
            &["--geoip-db", arg],
            &[("country", &["country", "iso_code"])],
        );
    }
}

#[test]
fn city_and_asn_databases_match_mmdblookup() {
    if need_mmdblookup() {
        let city = fixture("geoip/maxmind-city.mmdb");
        let asn = fixture("geoip/asn.mmdb");
        let args = [
            "--geoip-db",
            city.to_str().unwrap(),
            "--asn-db",
            asn.to_str().unwrap(),
        ];
        check_against_mmdblookup(
            &city,
            &args,
            &[
                ("country", &["country", "iso_code"]),
                ("city", &["city", "names", "en"]),
            ],
        );
        check_against_mmdblookup(
            &asn,
            &args,
            &[
                ("asn", &["autonomous_system_number"]),
                ("as_org", &["autonomous_system_organization"]),
            ],
        );
    }
}

#[test]
fn top_level_country_code_layout_via_environment_matches_mmdblookup() {
    if !need_mmdblookup() {
        return;
    }
    let db = fixture("geoip/toplevel-country.mmdb");
    let file = fixture("ndpi_iphone.pcap");
    let output = ca_cli()
        .env("CA_CLI_GEOIP_DB", &db)
        .arg("flows")
        .arg(&file)
        .arg("--json")
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        doc["summary"]["geoip"]["databases"][0]["source"],
        db.to_str().unwrap()
    );
    let mut checked = 0;
    for flow in doc["flows"].as_array().unwrap() {
        let ip: IpAddr = flow["dst_ip"].as_str().unwrap().parse().unwrap();
        if flow["dst_label"].is_null() {
            let theirs = mmdblookup(&db, ip, &["country_code"]);
            assert_eq!(
                flow["dst_country"].as_str().map(str::to_string),
                theirs,
                "{ip}"
            );
            checked += 1;
        }
    }
    assert!(checked > 10);
}

#[test]
fn fields_appear_only_when_the_databases_have_them() {
    let file = fixture("zeek_http-get.pcap");
    let plain = flows_json(&file, &[]);
    let flow = plain["flows"][0].as_object().unwrap();
    for key in [
        "src_country",
        "dst_country",
        "src_label",
        "dst_label",
        "service",
    ] {
        assert!(flow.contains_key(key), "{key}");
    }
    for key in ["src_city", "src_asn", "src_as_org"] {
        assert!(!flow.contains_key(key), "{key} without the database");
    }
    let city = fixture("geoip/maxmind-city.mmdb");
    let asn = fixture("geoip/asn.mmdb");
    let full = flows_json(
        &file,
        &[
            "--geoip-db",
            city.to_str().unwrap(),
            "--asn-db",
            asn.to_str().unwrap(),
        ],
    );
    let flow = full["flows"][0].as_object().unwrap();
    for key in [
        "src_city",
        "dst_city",
        "src_asn",
        "dst_asn",
        "src_as_org",
        "dst_as_org",
    ] {
        assert!(flow.contains_key(key), "{key} with the databases");
    }
    // CSV columns follow the same rule, for every row alike.
    let csv = ca_cli()
        .arg("flows")
        .arg(fixture("ndpi_iphone.pcap"))
        .args(["--format", "csv", "--asn-db", asn.to_str().unwrap()])
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    let widths: Vec<usize> = csv.lines().map(|l| l.split(',').count()).collect();
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with("src_asn,dst_asn,src_as_org,dst_as_org")
    );
    assert!(widths.iter().all(|w| *w >= widths[0]), "{widths:?}");
}

#[test]
fn each_distinct_address_is_looked_up_once() {
    for name in [
        "ndpi_iphone.pcap",
        "pcpp_raw_ip.pcap",
        "ndpi_dns-google-nsid.pcapng",
    ] {
        let doc = flows_json(&fixture(name), &[]);
        let mut distinct = BTreeMap::new();
        for flow in doc["flows"].as_array().unwrap() {
            for end in ["src", "dst"] {
                let ip: IpAddr = flow[format!("{end}_ip")].as_str().unwrap().parse().unwrap();
                distinct.insert(ip, looked_up(ip, &flow[format!("{end}_label")]).is_some());
            }
        }
        let needing = distinct.values().filter(|v| **v).count() as u64;
        let geoip = &doc["summary"]["geoip"];
        assert_eq!(
            geoip["addresses"].as_u64().unwrap(),
            distinct.len() as u64,
            "{name}"
        );
        assert_eq!(
            geoip["lookups"].as_u64().unwrap(),
            needing,
            "{name}: one lookup each"
        );
    }
}

#[test]
fn special_ranges_are_labelled_without_a_lookup() {
    // The test City database gives every IPv4 /4 and fe80::/10 a country, so a country on any
    // of these would mean a lookup happened.
    let city = fixture("geoip/maxmind-city.mmdb");
    let cases = [
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd12:3456::1", "private"),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.10.10", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "cgnat"),
        ("224.0.0.251", "multicast"),
        ("ff02::fb", "multicast"),
        ("255.255.255.255", "broadcast"),
        ("192.0.2.1", "documentation"),
        ("2001:db8::1", "documentation"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("168.63.129.16", "azure-wireserver"),
        ("169.254.169.254", "azure-imds"),
    ];
    let output = ca_cli()
        .args([
            "geoip",
            "lookup",
            "--json",
            "--geoip-db",
            city.to_str().unwrap(),
        ])
        .args(cases.iter().map(|(ip, _)| *ip))
        .output()
        .unwrap();
    assert!(output.status.success());
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    for (record, (ip, label)) in doc["addresses"].as_array().unwrap().iter().zip(cases) {
        assert_eq!(record["address"], ip);
        assert_eq!(record["label"], label, "{ip}");
        assert!(record["country"].is_null(), "{ip} was looked up");
        assert!(record["city"].is_null(), "{ip} was looked up");
    }
}

#[test]
fn unusable_databases_fail_with_one_line_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("GeoLite2-Country.mmdb");
    let corrupt = fixture("geoip/corrupt.mmdb");
    let capture = fixture("zeek_http-get.pcap");
    let cases: [(&[&str], &str, &str); 5] = [
        (
            &["--geoip-db", missing.to_str().unwrap()],
            missing.to_str().unwrap(),
            "cannot open GeoIP database: no such file",
        ),
        (
            &["--geoip-db", corrupt.to_str().unwrap()],
            corrupt.to_str().unwrap(),
            "not a usable MaxMind DB file",
        ),
        (
            &["--geoip-db", dir.path().to_str().unwrap()],
            dir.path().to_str().unwrap(),
            "is a directory",
        ),
        (
            &["--asn-db", missing.to_str().unwrap()],
            missing.to_str().unwrap(),
            "cannot open GeoIP database",
        ),
        (
            &["--geoip-db", capture.to_str().unwrap()],
            "zeek_http-get.pcap",
            "not a usable MaxMind DB file",
        ),
    ];
    for (args, name, message) in cases {
        let output = ca_cli()
            .arg("flows")
            .arg(fixture("zeek_http-get.pcap"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains(name) && stderr.contains(message),
            "{stderr}"
        );
        assert!(!stderr.contains("os error"), "{stderr}");
    }
    // --no-geoip turns lookups off; labels stay.
    let doc = flows_json(&fixture("zeek_http-get.pcap"), &["--no-geoip"]);
    assert!(doc["flows"][0]["dst_country"].is_null());
    assert_eq!(doc["summary"]["geoip"]["lookups"], 0);
}
