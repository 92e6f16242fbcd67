//! What protects the user from their own command line: an `--output` that would replace a
//! capture it reads, the same file named twice, a terminal on standard input, a URL of a
//! scheme ca-cli does not read.

use crate::common;

use std::path::Path;

use common::{ca_cli, fixture};
use serde_json::Value;

const CAPTURE: &str = "zeek_http-get.pcap";

fn copy_of_capture(dir: &Path) -> std::path::PathBuf {
    let copy = dir.join("copy.pcap");
    std::fs::copy(fixture(CAPTURE), &copy).unwrap();
    copy
}

/// The run fails with exit status 1 and one line naming both files, and the capture is intact.
fn assert_refused(dir: &Path, args: &[&str], stdin: Option<&Path>, output: &str, input: &str) {
    // Standard input redirected from the file itself (not piped: a pipe is another file).
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("ca-cli"));
    command.current_dir(dir).args(args);
    if let Some(path) = stdin {
        command.stdin(std::fs::File::open(path).unwrap());
    }
    let before = std::fs::read(fixture(CAPTURE)).unwrap();
    let result = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(
        stderr.contains(&format!("--output {output} is the input {input}")),
        "{args:?}: {stderr}"
    );
    assert_eq!(
        std::fs::read(dir.join("copy.pcap")).unwrap(),
        before,
        "{args:?}: the capture is untouched"
    );
}

#[test]
fn an_output_never_replaces_one_of_its_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_of_capture(d);
    std::os::unix::fs::symlink("copy.pcap", d.join("link.pcap")).unwrap();
    std::fs::hard_link(d.join("copy.pcap"), d.join("hard.pcap")).unwrap();
    for view in ["flows", "stats", "protocols", "geo", "dns"] {
        let args = [
            view,
            "copy.pcap",
            "--format",
            "csv",
            "--output",
            "copy.pcap",
        ];
        assert_refused(d, &args, None, "copy.pcap", "copy.pcap");
    }
    // Through a symbolic link on either side, a hard link, a second input, standard input.
    let other = fixture("zeek_dns-tcp.pcap").to_string_lossy().into_owned();
    let cases: [(&[&str], Option<&Path>, &str, &str); 5] = [
        (
            &["flows", "copy.pcap", "-o", "link.pcap"],
            None,
            "link.pcap",
            "copy.pcap",
        ),
        (
            &["flows", "link.pcap", "-o", "copy.pcap"],
            None,
            "copy.pcap",
            "link.pcap",
        ),
        (
            &["flows", "hard.pcap", "-o", "copy.pcap"],
            None,
            "copy.pcap",
            "hard.pcap",
        ),
        (
            &["stats", &other, "copy.pcap", "-o", "copy.pcap"],
            None,
            "copy.pcap",
            "copy.pcap",
        ),
        (
            &["flows", "-", "-o", "copy.pcap"],
            Some(&d.join("copy.pcap")),
            "copy.pcap",
            "<stdin>",
        ),
    ];
    for (args, stdin, output, input) in cases {
        assert_refused(d, args, stdin, output, input);
    }
    // Another file is written as before.
    ca_cli()
        .current_dir(d)
        .args(["flows", "copy.pcap", "--format", "csv", "-o", "flows.csv"])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(d.join("flows.csv"))
            .unwrap()
            .starts_with("proto,")
    );
}

#[test]
fn an_output_in_a_missing_directory_is_named_as_the_user_gave_it() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("no-such-dir").join("flows.csv");
    let result = ca_cli()
        .args([
            "flows",
            &fixture(CAPTURE).to_string_lossy(),
            "-o",
            &target.to_string_lossy(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!("{}: cannot create", target.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("partial"), "{stderr}");
}

fn summary(args: &[&str]) -> (Value, String) {
    let result = ca_cli()
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&result.stdout).unwrap();
    (
        json["summary"].clone(),
        String::from_utf8_lossy(&result.stderr).into_owned(),
    )
}

/// A file named twice (or through a link) is read once, with a warning, unless asked for; the
/// counts are then those of the file alone (or twice them).
#[test]
fn the_same_file_named_twice_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let copy = copy_of_capture(dir.path());
    let link = dir.path().join("link.pcap");
    std::os::unix::fs::symlink(&copy, &link).unwrap();
    let (copy, link) = (
        copy.to_string_lossy().into_owned(),
        link.to_string_lossy().into_owned(),
    );
    let (once, quiet) = summary(&["stats", &copy]);
    assert!(quiet.is_empty(), "{quiet}");
    let packets = once["packets"].as_u64().unwrap();
    assert!(packets > 0);
    for second in [&copy, &link] {
        let (twice, stderr) = summary(&["stats", &copy, second]);
        assert_eq!(twice["packets"].as_u64(), Some(packets), "{second}");
        assert_eq!(twice["flows"], once["flows"]);
        assert!(
            stderr.contains(&format!(
                "warning: {copy}: {second} is the same file: read once"
            )),
            "{stderr}"
        );
        let warnings = twice["warnings"].as_array().unwrap();
        assert!(
            warnings
                .iter()
                .any(|w| w.as_str().unwrap().contains("is the same file"))
        );
        let (allowed, _) = summary(&["stats", &copy, second, "--allow-duplicates"]);
        assert_eq!(allowed["packets"].as_u64(), Some(2 * packets));
    }
}

#[test]
fn a_terminal_on_standard_input_is_refused_with_a_hint() {
    if !common::have_tool("python3") {
        return common::skip_or_fail("python3 (for a pseudo-terminal)");
    }
    // The binary runs with a pseudo-terminal as standard input; its output is collected.
    let program = r#"
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "flows", "-"])
out = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode())
sys.exit(os.waitstatus_to_exitcode(status))
"#;
    let binary = assert_cmd::cargo::cargo_bin("ca-cli");
    let result = std::process::Command::new("python3")
        .args(["-c", program, &binary.to_string_lossy()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&result.stdout);
    assert_eq!(result.status.code(), Some(1), "{text}");
    assert_eq!(text.trim_end().lines().count(), 1, "{text}");
    assert!(
        text.contains("standard input is a terminal, not a capture: pipe one in"),
        "{text}"
    );
}

#[test]
fn a_url_of_another_scheme_says_so() {
    for url in ["ftp://example.com/capture.pcap", "s3://bucket/capture.pcap"] {
        let result = ca_cli().args(["flows", url]).output().unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(1), "{stderr}");
        let scheme = url.split_once("://").unwrap().0;
        assert!(
            stderr.contains(&format!(
                "{url}: cannot open: unsupported URL scheme {scheme} (ca-cli reads"
            )),
            "{stderr}"
        );
    }
}

/// A URL that does not parse is an error that says so, and its query (a SAS token) is never
/// printed; nor is the query of a URL of another scheme.
#[test]
fn a_malformed_url_is_named_without_its_token() {
    for (url, says) in [
        (
            "https://exa mple.blob.core.windows.net/c/x.cap?sv=2024&sig=SECRETSIG1",
            "not a valid URL",
        ),
        (
            "https://host:99999/c/x.cap?sig=SECRETSIG2",
            "not a valid URL",
        ),
        (
            "ftp://host/x.cap?sv=1&sig=SECRETSIG3",
            "unsupported URL scheme ftp",
        ),
    ] {
        let result = ca_cli().args(["flows", url]).output().unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(!stderr.contains("SECRETSIG"), "{stderr}");
        assert!(stderr.contains("?…"), "{stderr}");
    }
}
