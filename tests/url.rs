//! Captures from URLs: Azurite (the Azure Storage emulator) serving SAS URLs over HTTP and
//! HTTPS, and a misbehaving loopback server proving that downloads resume exactly. Every run's
//! output is checked for the SAS signature, which must never appear.

use crate::common;

use std::path::{Path, PathBuf};

use common::azurite::Azurite;
use common::faulty::{FaultyServer, Script};
use common::{ca_cli, fixture, flows_json};
use serde_json::Value;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Run ca-cli; assert the secret appears in neither stream (raw or percent-decoded).
fn run(args: &[&str], secrets: &[&str]) -> Run {
    let output = ca_cli()
        .env("RUST_BACKTRACE", "1")
        .env_remove("HTTP_PROXY")
        .env_remove("HTTPS_PROXY")
        .env_remove("http_proxy")
        .env_remove("https_proxy")
        .args(args)
        .output()
        .expect("ca-cli runs");
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    for secret in secrets {
        let decoded = secret
            .replace("%2B", "+")
            .replace("%2F", "/")
            .replace("%3D", "=");
        for form in [secret.to_string(), decoded] {
            assert!(!run.stdout.contains(&form), "secret in stdout of {args:?}");
            assert!(
                !run.stderr.contains(&form),
                "secret in stderr of {args:?}: {}",
                run.stderr
            );
        }
    }
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn json(run: &Run) -> Value {
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON")
}

/// The parts of two analyses that must agree whatever the source.
fn assert_same(remote: &Value, local: &Value, what: &str) {
    assert_eq!(remote["flows"], local["flows"], "{what}: flows");
    for key in [
        "packets",
        "bytes",
        "ip_packets",
        "ip_bytes",
        "first_seen",
        "last_seen",
        "cut_short",
    ] {
        assert_eq!(
            remote["summary"][key], local["summary"][key],
            "{what}: summary.{key}"
        );
    }
}

/// A pcap made of `copies` of a fixture's records: a bigger real capture for parallel downloads.
fn repeated_capture(dir: &Path, name: &str, copies: usize) -> PathBuf {
    let bytes = std::fs::read(fixture(name)).unwrap();
    let mut out = bytes[..24].to_vec();
    for _ in 0..copies {
        out.extend_from_slice(&bytes[24..]);
    }
    let path = dir.join(format!("{copies}x-{name}"));
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn sas_urls_from_azurite_give_the_same_analysis_as_local_files() {
    if !common::azurite::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let big = repeated_capture(dir.path(), "ndpi_iphone.pcap", 40); // 9 MB, three 4 MiB chunks
    let files: Vec<(String, PathBuf)> = [
        "ndpi_iphone.pcap",
        "pcpp_pcapng-example.pcapng",
        "zeek_http-get.pcap",
        "pcpp_ip4_fragments.pcap",
    ]
    .iter()
    .map(|n| (n.to_string(), fixture(n)))
    .chain(std::iter::once(("big.pcap".to_string(), big.clone())))
    .collect();
    let azurite = Azurite::start(false);
    let blobs: Vec<(&str, &Path)> = files
        .iter()
        .map(|(n, p)| (n.as_str(), p.as_path()))
        .collect();
    let sas = azurite.upload("captures", &blobs);
    for (name, path) in &files {
        let blob = &sas["blobs"][name];
        let url = blob["url"].as_str().unwrap();
        let sig = blob["sig"].as_str().unwrap();
        let local = flows_json(path, &[]);
        for extra in [
            &["--connections", "1"][..],
            &["--connections", "4"][..],
            &["--connections", "3", "--chunk-size", "16384"][..],
        ] {
            let mut args = vec!["flows", url, "--json"];
            args.extend_from_slice(extra);
            let remote = run(&args, &[sig]);
            assert_same(&json(&remote), &local, &format!("{name} {extra:?}"));
            assert!(
                remote
                    .stderr
                    .contains("SAS token was sent over plain http://"),
                "{}",
                remote.stderr
            );
            assert!(
                remote.stderr.contains("?<SAS redacted>"),
                "{}",
                remote.stderr
            );
        }
    }
    // Several URLs, and URLs mixed with files, are one capture.
    let a = sas["blobs"]["ndpi_iphone.pcap"]["url"].as_str().unwrap();
    let b = sas["blobs"]["zeek_http-get.pcap"]["url"].as_str().unwrap();
    let secrets = [
        sas["blobs"]["ndpi_iphone.pcap"]["sig"].as_str().unwrap(),
        sas["blobs"]["zeek_http-get.pcap"]["sig"].as_str().unwrap(),
    ];
    let local = ca_cli()
        .arg("stats")
        .arg(fixture("ndpi_iphone.pcap"))
        .arg(fixture("zeek_http-get.pcap"))
        .args(["--json", "--quiet"])
        .output()
        .unwrap();
    let local: Value = serde_json::from_slice(&local.stdout).unwrap();
    let remote = json(&run(&["stats", "--json", a, b, "--quiet"], &secrets));
    assert_eq!(
        remote["top_sources_by_bytes"],
        local["top_sources_by_bytes"]
    );
    assert_eq!(remote["summary"]["packets"], local["summary"]["packets"]);
    let mixed = json(&run(
        &[
            "flows",
            a,
            fixture("zeek_http-get.pcap").to_str().unwrap(),
            "--json",
            "--quiet",
        ],
        &secrets,
    ));
    assert_eq!(mixed["summary"]["packets"], local["summary"]["packets"]);
    let names: Vec<&str> = mixed["summary"]["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert!(
        names[0].ends_with("/captures/ndpi_iphone.pcap?<SAS redacted>"),
        "{names:?}"
    );
}

#[test]
fn https_azurite_with_a_private_ca() {
    if !common::azurite::available() {
        return;
    }
    let azurite = Azurite::start(true);
    let sas = azurite.upload("captures", &[("iphone.cap", &fixture("ndpi_iphone.pcap"))]);
    let blob = &sas["blobs"]["iphone.cap"];
    let (url, sig) = (blob["url"].as_str().unwrap(), blob["sig"].as_str().unwrap());
    assert!(url.starts_with("https://"));
    let refused = run(&["flows", url, "--json"], &[sig]);
    assert_eq!(refused.code, Some(1));
    assert!(refused.stdout.is_empty());
    assert!(
        refused
            .stderr
            .contains("TLS handshake with 127.0.0.1 failed"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("--ca-cert"), "{}", refused.stderr);
    assert_eq!(refused.stderr.lines().count(), 1, "{}", refused.stderr);
    let ca = azurite.ca.as_ref().unwrap().to_str().unwrap();
    let accepted = run(&["flows", url, "--json", "--ca-cert", ca], &[sig]);
    assert_same(
        &json(&accepted),
        &flows_json(&fixture("ndpi_iphone.pcap"), &[]),
        "https",
    );
    assert!(
        !accepted.stderr.contains("plain http"),
        "{}",
        accepted.stderr
    );
}

#[test]
fn refusals_are_one_line_errors_without_the_signature() {
    if !common::azurite::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("error.xml");
    std::fs::write(
        &page,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>InternalError</Code></Error>",
    )
    .unwrap();
    let azurite = Azurite::start(false);
    let sas = azurite.upload(
        "captures",
        &[
            ("iphone.cap", &fixture("ndpi_iphone.pcap")),
            ("page.cap", &page),
        ],
    );
    let blob = &sas["blobs"]["iphone.cap"];
    let sigs: Vec<String> = ["iphone.cap", "page.cap"]
        .iter()
        .map(|b| sas["blobs"][b]["sig"].as_str().unwrap().to_string())
        .collect();
    let secrets: Vec<&str> = sigs.iter().map(String::as_str).collect();
    let cases = [
        (
            blob["expired"].as_str().unwrap(),
            "the SAS token expired at se=",
        ),
        (
            blob["tampered"].as_str().unwrap(),
            "the SAS token is invalid",
        ),
        (
            blob["write_only"].as_str().unwrap(),
            "does not grant read permission (it grants sp=w",
        ),
        (
            sas["missing_blob"].as_str().unwrap(),
            "blob not found (404 BlobNotFound)",
        ),
        (
            sas["missing_container"].as_str().unwrap(),
            "container not found (404 ContainerNotFound)",
        ),
        (
            sas["blobs"]["page.cap"]["url"].as_str().unwrap(),
            "not a capture file",
        ),
    ];
    for (url, message) in cases {
        for view in ["flows", "stats"] {
            let run = run(&[view, url, "--json"], &secrets);
            assert_eq!(run.code, Some(1), "{url}: {}", run.stderr);
            assert!(run.stdout.is_empty());
            let lines: Vec<&str> = run.stderr.lines().collect();
            assert_eq!(lines.len(), 1, "one line: {}", run.stderr);
            assert!(
                lines[0].starts_with("ca-cli: error: http://127.0.0.1:"),
                "{}",
                lines[0]
            );
            assert!(lines[0].contains("?<SAS redacted>: "), "{}", lines[0]);
            assert!(lines[0].contains(message), "{message}: {}", lines[0]);
        }
    }
}

fn iphone() -> Vec<u8> {
    std::fs::read(fixture("ndpi_iphone.pcap")).unwrap()
}

fn fast(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = vec!["--json", "--backoff-ms", "10"];
    args.extend_from_slice(extra);
    args
}

fn over(server: &FaultyServer, extra: &[&'static str]) -> Run {
    let url = server.url("capture.pcap?sv=2022-11-02&sp=r&sig=NotARealSignatureButSecret%3D");
    let mut args = vec!["flows", url.as_str()];
    args.extend(fast(extra));
    run(&args, &["NotARealSignatureButSecret"])
}

#[test]
fn dropped_connections_resume_from_the_exact_byte() {
    let local = flows_json(&fixture("ndpi_iphone.pcap"), &[]);
    let server = FaultyServer::start(Script {
        body: iphone(),
        etag: "\"v1\"".into(),
        cut_after: vec![1000, 40_000, 100_001, 7],
        ..Script::default()
    });
    let remote = json(&over(&server, &["--connections", "1"]));
    assert_same(&remote, &local, "cut four times");
    assert_eq!(
        server.ranges(),
        ["-", "1000-", "41000-", "141001-", "141008-"],
        "each retry asks for the rest from the byte it stopped at"
    );
}

#[test]
fn server_errors_are_retried() {
    let local = flows_json(&fixture("ndpi_iphone.pcap"), &[]);
    let server = FaultyServer::start(Script {
        body: iphone(),
        etag: "\"v1\"".into(),
        fail_first: vec![503, 500, 503],
        ..Script::default()
    });
    assert_same(
        &json(&over(&server, &["--connections", "1"])),
        &local,
        "503s first",
    );
}

#[test]
fn parallel_chunks_survive_cuts_and_reassemble_in_order() {
    let local = flows_json(&fixture("ndpi_iphone.pcap"), &[]);
    let server = FaultyServer::start(Script {
        body: iphone(),
        etag: "\"v1\"".into(),
        cut_after: vec![500, 9000, 3, 16_000, 1],
        ..Script::default()
    });
    let remote = over(&server, &["--connections", "4", "--chunk-size", "16384"]);
    assert_same(&json(&remote), &local, "parallel with cuts");
    let ranges = server.ranges();
    assert!(
        ranges.len() >= 15,
        "one request per chunk at least: {ranges:?}"
    );
    assert!(
        ranges.iter().all(|r| r != "-"),
        "every request is ranged: {ranges:?}"
    );
}

#[test]
fn a_blob_replaced_mid_download_is_an_error_not_a_mix() {
    for connections in ["1", "4"] {
        let mut other = iphone();
        other[100] ^= 0xff;
        let server = FaultyServer::start(Script {
            body: iphone(),
            etag: "\"v1\"".into(),
            cut_after: vec![20_000],
            replace_after: Some((1, other, "\"v2\"".into())),
            ..Script::default()
        });
        let run = over(
            &server,
            &["--connections", connections, "--chunk-size", "65536"],
        );
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert!(run.stdout.is_empty(), "no partial result");
        assert!(
            run.stderr.contains("the blob changed during the download"),
            "{}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
}

#[test]
fn a_stall_past_the_timeout_is_retried() {
    let local = flows_json(&fixture("ndpi_iphone.pcap"), &[]);
    let server = FaultyServer::start(Script {
        body: iphone(),
        etag: "\"v1\"".into(),
        stall: Some((3000, std::time::Duration::from_secs(4))),
        ..Script::default()
    });
    let remote = over(&server, &["--connections", "1", "--timeout", "1"]);
    assert_same(&json(&remote), &local, "stalled");
    assert_eq!(server.ranges()[1], "3000-");
}

#[test]
fn a_trickling_server_is_left_for_a_new_connection_then_given_up() {
    // 200 bytes every 100 ms: each read well inside the 1 s timeout, yet 2 KB/s, far under the
    // 64 KiB a connection must bring per timeout.
    let local = flows_json(&fixture("ndpi_iphone.pcap"), &[]);
    let once = FaultyServer::start(Script {
        body: iphone(),
        etag: "\"v1\"".into(),
        trickle: Some((200, std::time::Duration::from_millis(100), 1)),
        ..Script::default()
    });
    let remote = over(&once, &["--connections", "1", "--timeout", "1"]);
    assert_same(&json(&remote), &local, "trickled once");
    let ranges = once.ranges();
    assert_eq!(ranges.len(), 2, "{ranges:?}");
    assert!(
        ranges[1].ends_with('-') && ranges[1] != "0-",
        "resumed: {ranges:?}"
    );

    for connections in ["1", "4"] {
        let always = FaultyServer::start(Script {
            body: iphone(),
            etag: "\"v1\"".into(),
            trickle: Some((200, std::time::Duration::from_millis(100), usize::MAX)),
            ..Script::default()
        });
        let started = std::time::Instant::now();
        let url = always.url("capture.pcap?sv=2022-11-02&sp=r&sig=TrickledSecret%2B%3D");
        let failed = run(
            &[
                "flows",
                &url,
                "--json",
                "--connections",
                connections,
                "--chunk-size",
                "65536",
                "--timeout",
                "1",
                "--retries",
                "2",
                "--backoff-ms",
                "10",
            ],
            &["TrickledSecret%2B%3D"],
        );
        assert_eq!(failed.code, Some(1), "{}", failed.stderr);
        assert!(failed.stdout.is_empty(), "no partial result");
        assert!(
            failed.stderr.contains("the server sent only") && failed.stderr.contains("attempts"),
            "{}",
            failed.stderr
        );
        assert_eq!(failed.stderr.lines().count(), 1, "{}", failed.stderr);
        assert!(started.elapsed() < std::time::Duration::from_secs(30));
    }
}

#[test]
fn a_server_that_ignores_ranges_still_gives_the_whole_capture() {
    let local = flows_json(&fixture("ndpi_iphone.pcap"), &[]);
    let server = FaultyServer::start(Script {
        body: iphone(),
        etag: "\"v1\"".into(),
        cut_after: vec![50_000],
        ignore_ranges: true,
        ..Script::default()
    });
    assert_same(
        &json(&over(&server, &["--connections", "1"])),
        &local,
        "no ranges",
    );
}

#[test]
fn a_server_that_overstates_its_length_ends_in_a_clear_error() {
    let server = FaultyServer::start(Script {
        body: iphone(),
        etag: "\"v1\"".into(),
        overstate_length: 100,
        ..Script::default()
    });
    let run = over(&server, &["--connections", "1", "--retries", "2"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "no partial result presented as complete"
    );
    assert!(
        run.stderr
            .contains("the server announced 230026 bytes but has no data past byte 229926"),
        "{}",
        run.stderr
    );
}

/// Run ca-cli under a pseudo-terminal (util-linux `script`), where progress bars draw.
fn on_a_terminal(args: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin("ca-cli");
    let output = std::process::Command::new("script")
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .env("COLUMNS", "100")
        .output()
        .expect("script (util-linux) runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_progress_bar_shows_on_a_terminal_only() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        common::skip_or_fail("util-linux script is not installed");
        return;
    }
    let server = FaultyServer::start(Script {
        body: iphone(),
        etag: "\"v1\"".into(),
        stall: Some((50_000, std::time::Duration::from_millis(300))),
        ..Script::default()
    });
    let url = server.url("capture.pcap");
    let shown = on_a_terminal(&format!("flows {url} --connections 1 --top 1"));
    assert!(
        shown.contains("capture.pcap [") && shown.contains("eta"),
        "{shown}"
    );
    let quiet = on_a_terminal(&format!("flows {url} --connections 1 --top 1 --quiet"));
    assert!(!quiet.contains("eta"), "{quiet}");
    // In a pipe (every other test) there is no bar: stderr holds the summary alone.
    let piped = over(&server, &["--connections", "1"]);
    assert!(!piped.stderr.contains("eta"), "{}", piped.stderr);
}

#[test]
fn unreachable_hosts_are_one_line_errors() {
    let secret = "sig=UnreachableSecret%3D";
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let cases = [
        (
            format!("http://127.0.0.1:{closed}/x.cap?sv=1&{secret}"),
            "cannot connect to 127.0.0.1",
        ),
        (
            format!("https://capture-host.invalid/x.cap?sv=1&{secret}"),
            "cannot resolve host capture-host.invalid",
        ),
    ];
    for (url, message) in cases {
        let run = run(
            &["flows", &url, "--retries", "1", "--backoff-ms", "10"],
            &["UnreachableSecret"],
        );
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains(message), "{message}: {}", run.stderr);
        assert!(run.stderr.contains("?<SAS redacted>"), "{}", run.stderr);
    }
}

#[test]
fn proxy_variables_are_honoured() {
    // A plain-HTTP proxy gets the request in absolute form; the fault server answers any path.
    let server = FaultyServer::start(Script {
        body: iphone(),
        etag: "\"v1\"".into(),
        ..Script::default()
    });
    let output = ca_cli()
        .env("HTTP_PROXY", format!("http://{}", server.addr))
        .env("http_proxy", format!("http://{}", server.addr))
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .args([
            "flows",
            "http://capture-host.invalid/capture.pcap",
            "--json",
            "--connections",
            "1",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_same(
        &doc,
        &flows_json(&fixture("ndpi_iphone.pcap"), &[]),
        "through a proxy",
    );
    assert_eq!(server.ranges().len(), 1, "the proxy carried the request");
}

/// Every way a run with a SAS URL can end badly (unusable bodies, damaged captures, bad
/// options, unwritable output, network faults), in every view: the signature appears in no
/// output, with `RUST_BACKTRACE=1` ([`run`] checks both streams of every run).
#[test]
fn no_error_path_shows_the_signature() {
    let secret = "SweepSecret%2BAbC%2F%3D";
    let capture = iphone();
    let cut_short = capture[..capture.len() - 100].to_vec();
    let mut header_only = capture[..24].to_vec();
    header_only.extend_from_slice(&[0xff; 16]);
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("capture", capture),
        ("cut short", cut_short),
        ("bad record", header_only),
        ("text", b"hello, this is not a capture\n".to_vec()),
        (
            "html",
            b"<!DOCTYPE html><html><body>sign in</body></html>".to_vec(),
        ),
        ("empty", Vec::new()),
    ];
    let dir = tempfile::tempdir().unwrap();
    let unwritable = dir.path().join("missing-dir/report.json");
    let unwritable = unwritable.to_str().unwrap();
    let mut runs = 0;
    for (what, body) in bodies {
        let server = FaultyServer::start(Script {
            body,
            etag: "\"v1\"".into(),
            cut_after: vec![5000, 5000],
            ..Script::default()
        });
        let url = server.url(&format!(
            "c.cap?sv=2022-11-02&se=2099-01-01&sp=r&sig={secret}"
        ));
        for view in ["flows", "stats", "protocols", "geo"] {
            for extra in [
                vec![],
                vec!["--strict"],
                vec!["--filter", "port 53 and"],
                vec!["--output", unwritable],
                vec!["--geoip-db", "/nonexistent.mmdb"],
                vec!["--retries", "0", "--connections", "1"],
                vec!["--format", "text"],
            ] {
                let mut args = vec![view, url.as_str(), "--backoff-ms", "1"];
                args.extend(extra.iter().copied());
                let result = run(&args, &[secret]);
                assert!(
                    matches!(result.code, Some(0..=2)),
                    "{what} {args:?}: {}",
                    result.stderr
                );
                if result.code != Some(0) {
                    assert!(!result.stderr.is_empty(), "{what} {args:?}: silent failure");
                }
                runs += 1;
            }
        }
    }
    // Two URLs, one unreachable: the error names the other by its redacted form.
    let dead = format!("http://127.0.0.1:9/x.cap?sv=1&sig={secret}");
    let result = run(&["stats", &dead, "--retries", "0"], &[secret]);
    assert_eq!(result.code, Some(1));
    assert!(result.stderr.contains("<SAS redacted>") || result.stderr.contains("redacted"));
    assert!(runs >= 160);
}
