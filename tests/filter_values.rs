//! Filter values of closed sets are checked, and every service name ca-cli prints selects its
//! flows (and the port names people type select the protocol the payload showed).

use crate::common;

use std::collections::BTreeMap;

use common::{ca_cli, file_name, flows_json};
use serde_json::Value;

/// The country codes ca-cli accepts are exactly ISO 3166-1's, as Debian's iso-codes lists them.
#[test]
fn country_codes_are_iso_3166() {
    let path = "/usr/share/iso-codes/json/iso_3166-1.json";
    let Ok(text) = std::fs::read_to_string(path) else {
        return common::skip_or_fail("iso-codes (Debian's ISO 3166 list)");
    };
    let json: Value = serde_json::from_str(&text).unwrap();
    let mut codes: Vec<String> = json["3166-1"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["alpha_2"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    assert_eq!(codes, ca_cli::enrich::iso3166::ASSIGNED.to_vec());
}

/// Each service of each capture's flows, given back as `service NAME`, selects exactly the
/// flows of that service (and of the services it is an alias of).
#[test]
fn every_service_ca_cli_prints_selects_its_flows() {
    let aliases: BTreeMap<&str, &[&str]> =
        ca_cli::filter::SERVICE_ALIASES.iter().copied().collect();
    let mut checked = 0;
    for file in common::all_captures() {
        let output = ca_cli()
            .arg("flows")
            .arg(&file)
            .args(["--json", "-q"])
            .output()
            .unwrap();
        if !output.status.success() {
            continue;
        }
        let all: Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut by_service: BTreeMap<String, usize> = BTreeMap::new();
        for flow in all["flows"].as_array().unwrap() {
            *by_service
                .entry(flow["service"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        for service in by_service.keys() {
            let selected = aliases.get(service.as_str()).copied().unwrap_or(&[]);
            let expected: usize = by_service
                .iter()
                .filter(|(name, _)| *name == service || selected.contains(&name.as_str()))
                .map(|(_, n)| n)
                .sum();
            let filter = format!("service \"{service}\"");
            let got = flows_json(&file, &["--filter", &filter]);
            let got = got["flows"].as_array().unwrap().len();
            assert_eq!(got, expected, "{}: {filter}", file_name(&file));
            checked += 1;
        }
    }
    assert!(checked > 150, "{checked} services checked");
}

/// `service https` selects what the payload showed to be TLS or QUIC, as well as flows only
/// guessed from port 443: on every capture it selects at least what `service tls` does.
#[test]
fn https_selects_tls_and_quic() {
    let mut with_tls = 0;
    for file in common::all_captures() {
        let count = |filter: &str| -> Option<usize> {
            let output = ca_cli()
                .arg("flows")
                .arg(&file)
                .args(["--json", "-q", "--filter", filter])
                .output()
                .unwrap();
            let json: Value = serde_json::from_slice(&output.stdout).ok()?;
            Some(json["flows"].as_array()?.len())
        };
        let (Some(https), Some(tls), Some(quic)) = (
            count("service https"),
            count("service tls"),
            count("service quic"),
        ) else {
            continue;
        };
        assert!(
            https >= tls + quic,
            "{}: {https} < {tls} + {quic}",
            file_name(&file)
        );
        with_tls += usize::from(tls > 0);
    }
    assert!(with_tls >= 5, "{with_tls} captures with TLS");
}

/// A value no flow can have is a usage error (exit 2) naming it and what it could be.
#[test]
fn values_of_closed_sets_are_checked() {
    let file = common::fixture("ndpi_iphone.pcap");
    let cases: [(&[&str], &str); 7] = [
        (
            &["--filter", "service htps"],
            "--filter: unknown service 'htps': did you mean https",
        ),
        (
            &["--service", "htps"],
            "unknown service 'htps': did you mean https",
        ),
        (
            &["--filter", "state FOO"],
            "--filter: unknown TCP state 'FOO' (one of S0, S1, SF,",
        ),
        (&["--country", "ZZ"], "'ZZ' is not an ISO 3166 country code"),
        (
            &["--filter", "dst country ZZ"],
            "--filter: 'ZZ' is not an ISO 3166 country code",
        ),
        (
            &["--filter", "label privat"],
            "--filter: unknown label 'privat' (one of ",
        ),
        (
            &["--filter", "not service xyzzy"],
            "--filter: unknown service 'xyzzy' (",
        ),
    ];
    for (args, message) in cases {
        let output = ca_cli()
            .arg("flows")
            .arg(&file)
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty());
    }
    // Known values of every kind are accepted.
    let ok = flows_json(
        &file,
        &[
            "--filter",
            "service domain or state SF or country US or label link-local",
        ],
    );
    assert!(!ok["flows"].as_array().unwrap().is_empty());
}
