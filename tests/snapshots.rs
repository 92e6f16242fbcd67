//! Snapshots of what people read: the text table, the stderr summary, and CSV. The numbers in
//! them are checked against tshark by the oracle tests; these pin the layout.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test`).

mod common;

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
    insta::assert_snapshot!(stdout);
    insta::assert_snapshot!(stderr);
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
    insta::assert_snapshot!(stdout);
    insta::assert_snapshot!(stderr);
}

#[test]
fn text_table_ipv6_endpoints_wrap_at_colons() {
    let (stdout, _) = run(&["flows", "zeek_communityid_icmp6.pcap", "--top", "6"]);
    assert!(stdout.lines().all(|l| l.chars().count() <= 100), "{stdout}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn text_icmp_echo_and_damage_summary() {
    let (stdout, _) = run(&["flows", "zeek_icmp_5-pings.pcap"]);
    insta::assert_snapshot!(stdout);
    let (stdout, stderr) = run(&[
        "flows",
        "ndpi_fuzz-2021-10-13.pcap",
        "zeek_trunc_ip4-trunc.pcap",
    ]);
    insta::assert_snapshot!(stdout);
    insta::assert_snapshot!(stderr);
}

#[test]
fn csv_vlan_and_mpls() {
    let (stdout, _) = run(&["flows", "zeek_mixed-vlan-mpls.pcap", "--format", "csv"]);
    insta::assert_snapshot!(stdout);
}
