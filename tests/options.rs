//! Options mean the same in every view: `--top` and `--sort` where a view has a list, and
//! `geo --country` details every place named, countries and labels alike.

use crate::common;

use std::collections::BTreeSet;

use common::{ca_cli, fixture};
use serde_json::Value;

fn json(view: &str, file: &str, args: &[&str]) -> Value {
    let output = ca_cli()
        .arg(view)
        .arg(fixture(file))
        .args(["--json", "-q"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{view} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The addresses of the flows whose `end` has `field` equal to `value`.
fn addresses_where(flows: &Value, field: &str, value: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for flow in flows["flows"].as_array().unwrap() {
        for end in ["src", "dst"] {
            if flow[format!("{end}_{field}")] == value {
                found.insert(flow[format!("{end}_ip")].as_str().unwrap().to_string());
            }
        }
    }
    found
}

#[test]
fn geo_details_every_place_named() {
    let file = "ndpi_iphone.pcap";
    let flows = json("flows", file, &[]);
    let geo = json("geo", file, &["--country", "NL", "--country", "us,private"]);
    let details = geo["details"].as_array().unwrap();
    let places: Vec<&str> = details
        .iter()
        .map(|d| d["country"].as_str().unwrap())
        .collect();
    assert_eq!(places, ["NL", "US", "private"]);
    assert_eq!(geo["detail"], details[0], "detail is the first place's");
    for (detail, (field, value)) in
        details
            .iter()
            .zip([("country", "NL"), ("country", "US"), ("label", "private")])
    {
        let listed: BTreeSet<String> = detail["addresses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["address"].as_str().unwrap().to_string())
            .collect();
        assert!(!listed.is_empty(), "{value}");
        assert_eq!(listed, addresses_where(&flows, field, value), "{value}");
        let services: u64 = detail["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["flows"].as_u64().unwrap())
            .sum();
        let organisations: u64 = detail["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["flows"].as_u64().unwrap())
            .sum();
        assert_eq!(
            services, organisations,
            "{value}: every flow counted once in each"
        );
    }
    // NDJSON and CSV rows are the addresses of every place, each naming its place.
    let output = ca_cli()
        .arg("geo")
        .arg(fixture(file))
        .args(["--country", "NL,private", "--format", "ndjson"])
        .output()
        .unwrap();
    let rows: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let named: BTreeSet<&str> = rows
        .iter()
        .map(|r| r["country"].as_str().unwrap())
        .collect();
    assert_eq!(named, BTreeSet::from(["NL", "private"]));
}

#[test]
fn top_and_sort_cut_and_order_every_list() {
    let file = "ndpi_iphone.pcap";
    // geo: the first N places of the whole list, in the order asked.
    for (sort, key) in [
        ("bytes", None),
        ("flows", Some("flows")),
        ("addresses", Some("addresses")),
    ] {
        let all = json("geo", file, &["--sort", sort]);
        let all = all["countries"].as_array().unwrap();
        if let Some(key) = key {
            let values: Vec<u64> = all.iter().map(|c| c[key].as_u64().unwrap()).collect();
            assert!(
                values.windows(2).all(|w| w[0] >= w[1]),
                "{sort}: {values:?}"
            );
        }
        let top = json("geo", file, &["--sort", sort, "--top", "3"]);
        assert_eq!(top["countries"].as_array().unwrap()[..], all[..3], "{sort}");
        assert_eq!(top["total_places"].as_u64(), Some(all.len() as u64));
    }
    // dns: likewise, by queries, clients or name.
    for (sort, key) in [
        ("queries", "queries"),
        ("clients", "client_count"),
        ("name", "name"),
    ] {
        let all = json("dns", file, &["--sort", sort]);
        let all = all["names"].as_array().unwrap();
        assert!(all.len() > 4);
        let values: Vec<&Value> = all.iter().map(|n| &n[key]).collect();
        let ordered = values
            .windows(2)
            .all(|w| match (w[0].as_u64(), w[1].as_u64()) {
                (Some(a), Some(b)) => a >= b,
                _ => w[0].as_str() <= w[1].as_str(),
            });
        assert!(ordered, "{sort}");
        let top = json("dns", file, &["--sort", sort, "--top", "4"]);
        assert_eq!(top["names"].as_array().unwrap()[..], all[..4], "{sort}");
        assert_eq!(top["total_names"].as_u64(), Some(all.len() as u64));
    }
    let output = ca_cli()
        .arg("dns")
        .arg(fixture(file))
        .args(["--top", "2"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ca-cli: showing 2 of "), "{stderr}");
    assert!(stderr.contains(" names (--top)"), "{stderr}");
}

#[test]
fn a_place_that_is_neither_country_nor_label_is_a_usage_error() {
    for value in ["Germany", "privat"] {
        let output = ca_cli()
            .arg("geo")
            .arg(fixture("ndpi_iphone.pcap"))
            .args(["--country", value])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("is neither a two-letter country code (ISO 3166) nor a label"),
            "{stderr}"
        );
    }
}

/// `public` is every address without a label, as the filter reads it; a place named twice is
/// detailed once.
#[test]
fn geo_details_public_and_each_place_once() {
    let file = "ndpi_iphone.pcap";
    let flows = json("flows", file, &[]);
    let geo = json("geo", file, &["--country", "public"]);
    let details = geo["details"].as_array().unwrap();
    assert_eq!(details.len(), 1);
    let listed: BTreeSet<String> = details[0]["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["address"].as_str().unwrap().to_string())
        .collect();
    let mut unlabelled = BTreeSet::new();
    for flow in flows["flows"].as_array().unwrap() {
        for end in ["src", "dst"] {
            if flow[format!("{end}_label")].is_null() {
                unlabelled.insert(flow[format!("{end}_ip")].as_str().unwrap().to_string());
            }
        }
    }
    assert!(!unlabelled.is_empty());
    assert_eq!(listed, unlabelled);
    let twice = json("geo", file, &["--country", "US,us"]);
    assert_eq!(twice["details"].as_array().unwrap().len(), 1);
}
