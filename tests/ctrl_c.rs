//! Being stopped: ca-cli stops promptly on Ctrl-C with what it read, or leaves at once, without
//! a half-written file, when the reading cannot stop. A test binary of its own: the one-second
//! window these tests depend on must not share two cores with the heavy tests of the main
//! binary (cargo runs test binaries one after the other).

mod common;

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::one_packet_flows;
use serde_json::Value;

fn spawn_on_stdin(args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("ca-cli"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn ctrl_c(child: &Child) {
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: sending SIGINT to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
}

/// Wait for the child to exit (it must, promptly) and collect its output.
fn wait_promptly(mut child: Child, limit: Duration) -> (Option<i32>, String, String) {
    let deadline = Instant::now() + limit;
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("ca-cli did not stop within {limit:?} of Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code(), reader.join().unwrap(), stderr)
}

#[test]
fn ctrl_c_reports_what_was_read_and_exits_130() {
    for threads in ["1", "2", "3"] {
        let mut child =
            spawn_on_stdin(&["flows", "-", "--json", "--no-geoip", "--threads", threads]);
        let stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || common::endless_capture(stdin));
        std::thread::sleep(Duration::from_millis(1500));
        ctrl_c(&child);
        let (code, stdout, stderr) = wait_promptly(child, Duration::from_secs(20));
        writer.join().unwrap();
        assert_eq!(code, Some(130), "threads {threads}: {stderr}");
        let doc: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!("threads {threads}: the report is whole JSON ({e}): {stderr}")
        });
        let summary = &doc["summary"];
        assert_eq!(summary["interrupted"], true);
        assert_eq!(summary["cut_short"], false, "stopping is not damage");
        let packets = summary["packets"].as_u64().unwrap();
        assert!(packets > 0, "what was read is reported");
        assert_eq!(doc["flows"].as_array().unwrap().len() as u64, packets);
        assert!(
            stderr.contains("interrupted at offset")
                && stderr.contains(&format!("after {packets} packets")),
            "{stderr}"
        );
    }
}

#[test]
fn ctrl_c_on_an_idle_pipe_leaves_at_once_without_a_half_written_file() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    for threads in ["1", "2", "3"] {
        // Streamed NDJSON: the file is being written while the capture is read.
        let mut child = spawn_on_stdin(&[
            "flows",
            "-",
            "--format",
            "ndjson",
            "--no-geoip",
            "--threads",
            threads,
            "--output",
            report.to_str().unwrap(),
        ]);
        // The header and one packet, then nothing: the writer keeps the pipe open.
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(&one_packet_flows(1)).unwrap();
        std::thread::sleep(Duration::from_millis(700));
        ctrl_c(&child);
        let (code, _, stderr) = wait_promptly(child, Duration::from_secs(10));
        drop(stdin);
        assert_eq!(code, Some(130), "{stderr}");
        assert!(stderr.contains("interrupted"), "{stderr}");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(
            left.is_empty(),
            "threads {threads}: files left behind: {left:?}"
        );
    }
}
