//! Snapshots of what people read: the text table, the stderr summary, and CSV. The numbers in
//! them are checked against tshark by the oracle tests; these pin the layout.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test`).

use crate::common;

use common::{ca_cli, fixture};

/// Run `ca-cli` as a pipeline would (no terminal, no COLUMNS) and return stdout and stderr.
fn run(args: &[&str]) -> (String, String) {
    let output = ca_cli()
        .env_remove("COLUMNS")
        .current_dir(fixture(""))
        .args(args)
        .output()
        .expect("ca-cli runs");
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn text_table_vlan_and_mpls() {
    let (stdout, stderr) = run(&["flows", "zeek_mixed-vlan-mpls.pcap"]);
    insta::assert_snapshot!("text-flows-vlan-mpls", stdout);
    insta::assert_snapshot!("text-flows-vlan-mpls-stderr", stderr);
}

#[test]
fn text_table_biggest_flows_of_a_phone() {
    let (stdout, stderr) = run(&[
        "flows",
        "ndpi_iphone.pcap",
        "--sort",
        "bytes",
        "--top",
        "12",
    ]);
    insta::assert_snapshot!("text-flows-iphone-top12-by-bytes", stdout);
    insta::assert_snapshot!("text-flows-iphone-top12-by-bytes-stderr", stderr);
}

/// IPv6 endpoints are never broken: in a pipe the rows are as wide as they are; at 100
/// columns the optional columns are left out instead.
#[test]
fn text_table_ipv6_endpoints_stay_whole() {
    let (stdout, _) = run(&["flows", "zeek_communityid_icmp6.pcap", "--top", "6"]);
    insta::assert_snapshot!("text-flows-ipv6-piped", stdout);
    let (stdout, _) = run(&[
        "flows",
        "zeek_communityid_icmp6.pcap",
        "--top",
        "6",
        "--width",
        "100",
    ]);
    insta::assert_snapshot!("text-flows-ipv6-at-100-columns", stdout);
}

#[test]
fn text_icmp_echo_and_damage_summary() {
    let (stdout, _) = run(&["flows", "zeek_icmp_5-pings.pcap"]);
    insta::assert_snapshot!("text-flows-icmp-echo", stdout);
    let (stdout, stderr) = run(&[
        "flows",
        "ndpi_fuzz-2021-10-13.pcap",
        "zeek_trunc_ip4-trunc.pcap",
    ]);
    insta::assert_snapshot!("text-flows-damaged", stdout);
    insta::assert_snapshot!("text-flows-damaged-stderr", stderr);
}

#[test]
fn csv_vlan_and_mpls() {
    let (stdout, _) = run(&["flows", "zeek_mixed-vlan-mpls.pcap", "--format", "csv"]);
    insta::assert_snapshot!(stdout);
}

#[test]
fn text_protocols_stats_and_geo() {
    let (stdout, _) = run(&["protocols", "ndpi_iphone.pcap"]);
    insta::assert_snapshot!("text-protocols-iphone", stdout);
    let (stdout, _) = run(&["stats", "ndpi_iphone.pcap", "--top", "5"]);
    insta::assert_snapshot!("text-stats-iphone-top5", stdout);
    let (stdout, _) = run(&["geo", "ndpi_iphone.pcap"]);
    insta::assert_snapshot!("text-geo-iphone", stdout);
    let (stdout, _) = run(&["geo", "ndpi_iphone.pcap", "--country", "us"]);
    insta::assert_snapshot!("text-geo-iphone-us", stdout);
}

#[test]
fn text_geo_with_city_and_asn_databases() {
    let (stdout, _) = run(&[
        "geo",
        "ndpi_iphone.pcap",
        "--country",
        "NL",
        "--geoip-db",
        "geoip/maxmind-city.mmdb",
        "--asn-db",
        "geoip/asn.mmdb",
    ]);
    insta::assert_snapshot!(stdout);
}

#[test]
fn filter_summary_and_filter_errors() {
    let (stdout, stderr) = run(&[
        "flows",
        "ndpi_iphone.pcap",
        "--proto",
        "udp",
        "--filter",
        "not service dns and bytes > 300",
    ]);
    insta::assert_snapshot!("text-flows-filtered", stdout);
    insta::assert_snapshot!("text-flows-filtered-stderr", stderr);
    let (_, stderr) = run(&[
        "flows",
        "ndpi_iphone.pcap",
        "--filter",
        "proto tcp and (port 80 or",
    ]);
    insta::assert_snapshot!("filter-error-stderr", stderr);
}

#[test]
fn geoip_info_and_lookup() {
    let (stdout, _) = run(&["geoip", "info"]);
    insta::assert_snapshot!("geoip-info", stdout);
    let (stdout, _) = run(&[
        "geoip",
        "lookup",
        "8.8.8.8",
        "10.0.0.1",
        "168.63.129.16",
        "169.254.169.254",
        "64:ff9b::808:808",
        "fe80::1",
        "--geoip-db",
        "geoip/maxmind-city.mmdb",
        "--asn-db",
        "geoip/asn.mmdb",
    ]);
    insta::assert_snapshot!("geoip-lookup", stdout);
}

/// The machine-readable contract of every view, pinned on captures that between them have
/// VLAN/MPLS, TLS with countries, DNS, HTTP, fragments, VXLAN, QUIC over PPP, damage, pcapng
/// interfaces and ICMP: taken before the views moved onto one path, so a refactor that changes
/// one byte of any document shows here.
#[test]
fn json_documents_of_every_view() {
    for capture in [
        "zeek_mixed-vlan-mpls.pcap",
        "ndpi_iphone.pcap",
        "ndpi_dns-google-nsid.pcapng",
        "zeek_http-get.pcap",
        "pcpp_ip4_fragments.pcap",
        "tcpdump_vxlan.pcap",
        "zeek_quic-go_handshake-ppp.pcap",
        "ndpi_fuzz-2021-10-13.pcap",
        "pcpp_pcapng-example.pcapng",
        "zeek_icmp_5-pings.pcap",
    ] {
        for view in ["flows", "protocols", "stats", "geo", "dns"] {
            let (stdout, _) = run(&[view, capture, "--format", "json"]);
            insta::assert_snapshot!(format!("json-{view}-{capture}"), stdout);
        }
        let (stdout, _) = run(&["flows", capture, "--format", "ndjson"]);
        insta::assert_snapshot!(format!("ndjson-flows-{capture}"), stdout);
        let (stdout, _) = run(&["stats", capture, "--format", "csv"]);
        insta::assert_snapshot!(format!("csv-stats-{capture}"), stdout);
    }
}

#[test]
fn text_timeline_and_hours() {
    let (stdout, _) = run(&["timeline", "ndpi_iphone.pcap", "--width", "110"]);
    insta::assert_snapshot!("text-timeline-iphone", stdout);
    let (stdout, _) = run(&[
        "timeline",
        "ndpi_iphone.pcap",
        "--by",
        "service",
        "--top",
        "4",
        "--interval",
        "5s",
        "--width",
        "90",
    ]);
    insta::assert_snapshot!("text-timeline-iphone-by-service", stdout);
    let (stdout, _) = run(&["hours", "ndpi_iphone.pcap", "--tz", "Asia/Seoul"]);
    insta::assert_snapshot!("text-hours-iphone-seoul", stdout);
    let (stdout, _) = run(&[
        "timeline",
        "ndpi_iphone.pcap",
        "--interval",
        "10s",
        "--format",
        "csv",
    ]);
    insta::assert_snapshot!("csv-timeline-iphone", stdout);
}
