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
    let plain = flows_json(&file, &["--no-asn"]);
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
    // The bundled AS table gives AS fields with no option, and no cities.
    let bundled = flows_json(&file, &[]);
    let flow = bundled["flows"][0].as_object().unwrap();
    assert!(!flow.contains_key("src_city"));
    for key in ["src_asn", "dst_asn", "src_as_org", "dst_as_org"] {
        assert!(flow.contains_key(key), "{key} from the bundled table");
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
        // The bundled country database and the bundled AS table.
        let databases = geoip["databases"].as_array().unwrap().len() as u64;
        assert_eq!(databases, 2, "{name}");
        assert_eq!(
            geoip["addresses"].as_u64().unwrap(),
            distinct.len() as u64,
            "{name}"
        );
        assert_eq!(
            geoip["lookups"].as_u64().unwrap(),
            needing * databases,
            "{name}: one lookup each, in each database"
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

/// The CSV of the npm package the bundled AS table is built from (`.ci/run` fetches it).
fn asn_csv_dir() -> PathBuf {
    match std::env::var_os("CA_CLI_ASN_CSV_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(&std::env::var_os("HOME").unwrap_or_default())
            .join(".cache/ca-cli/ip-location-db-asn-2.3.2026061719/package"),
    }
}

/// An independent reader of the package's dotted-address CSV (the table is built from its
/// numeric twin): the first row, in file order, whose range holds the address.
const CSV_ORACLE: &str = r#"
import bisect, csv, ipaddress, sys
tables = {}
for family in ("ipv4", "ipv6"):
    rows = [(int(ipaddress.ip_address(a)), int(ipaddress.ip_address(b)), asn, org)
            for a, b, asn, org in csv.reader(open(f"{sys.argv[1]}/asn-{family}.csv", encoding="utf-8", newline=""))]
    tables[family] = ([r[0] for r in rows], rows)
for line in sys.stdin:
    ip = ipaddress.ip_address(line.strip())
    starts, rows = tables["ipv4" if ip.version == 4 else "ipv6"]
    n = int(ip)
    i = bisect.bisect_right(starts, n)
    holding = [j for j in range(max(0, i - 16), i) if rows[j][0] <= n <= rows[j][1]]
    if holding:
        _, _, asn, org = rows[holding[0]]
        print(f"{ip}\t{asn}\t{org}")
    else:
        print(f"{ip}\t\t")
"#;

/// Every public address of every capture gets, from the bundled table, the AS and organisation
/// that the package's own CSV gives it.
#[test]
fn the_bundled_as_table_agrees_with_the_package_csv() {
    let dir = asn_csv_dir();
    if !dir.join("asn-ipv4.csv").exists() {
        return common::skip_or_fail(&format!(
            "{} is absent (npm pack @ip-location-db/asn@2.3.2026061719; .ci/run does)",
            dir.display()
        ));
    }
    let seen = addresses(&[]);
    let asked: Vec<(IpAddr, IpAddr)> = seen
        .iter()
        .filter_map(|(ip, facts)| looked_up(*ip, &facts["label"]).map(|q| (*ip, q)))
        .collect();
    let mut oracle = Command::new("python3")
        .args(["-c", CSV_ORACLE])
        .arg(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    {
        use std::io::Write;
        let mut stdin = oracle.stdin.take().unwrap();
        for (_, query) in &asked {
            writeln!(stdin, "{query}").unwrap();
        }
    }
    let output = oracle.wait_with_output().unwrap();
    assert!(output.status.success());
    let answers = String::from_utf8(output.stdout).unwrap();
    let mut owned = 0;
    for ((ip, _), line) in asked.iter().zip(answers.lines()) {
        let mut fields = line.splitn(3, '\t');
        let (_, asn, org) = (
            fields.next(),
            fields.next().unwrap(),
            fields.next().unwrap(),
        );
        let facts = &seen[ip];
        let expected_asn: Option<u64> = asn.parse().ok();
        assert_eq!(facts["asn"].as_u64(), expected_asn, "{ip}");
        let expected_org = (!org.is_empty()).then_some(org);
        assert_eq!(facts["as_org"].as_str(), expected_org, "{ip}");
        owned += usize::from(expected_asn.is_some());
    }
    assert_eq!(answers.lines().count(), asked.len());
    assert!(
        owned > 300,
        "{owned} of {} addresses have an owner",
        asked.len()
    );
}

/// The bundled table is what its checked-in script makes of the package, byte for byte.
#[test]
fn the_bundled_as_table_is_rebuilt_exactly_from_the_package() {
    let dir = asn_csv_dir();
    if !dir.join("asn-ipv4-num.csv").exists() {
        return common::skip_or_fail(&format!("{} is absent", dir.display()));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let rebuilt = out.path().join("asn-table.bin");
    let status = Command::new("python3")
        .arg(root.join("src/enrich/data/make-asn-table.py"))
        .arg(&dir)
        .arg(&rebuilt)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let bundled = std::fs::read(root.join("src/enrich/data/asn-table.bin")).unwrap();
    assert!(
        std::fs::read(&rebuilt).unwrap() == bundled,
        "asn-table.bin differs"
    );
}

/// `--no-asn` and `--no-geoip` win over an ASN database, named or in the environment.
#[test]
fn no_asn_and_no_geoip_win_over_an_asn_database() {
    let file = fixture("zeek_http-get.pcap");
    let asn = fixture("geoip/asn.mmdb");
    for off in ["--no-asn", "--no-geoip"] {
        for named in [true, false] {
            let mut command = ca_cli();
            command.arg("flows").arg(&file).args(["--json", "-q", off]);
            if named {
                command.arg("--asn-db").arg(&asn);
            } else {
                command.env("CA_CLI_ASN_DB", &asn);
            }
            let output = command.output().unwrap();
            assert!(
                output.status.success(),
                "{off} {named}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
            let flow = doc["flows"][0].as_object().unwrap();
            assert!(
                !flow.contains_key("src_asn"),
                "{off}, database named: {named}"
            );
        }
    }
}
