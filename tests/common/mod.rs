//! Helpers shared by the integration tests: where the captures are, how to run the binary and
//! the peer tools used as oracles.
#![allow(dead_code)]

pub mod azurite;
pub mod faulty;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's own small real captures.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

pub fn fixture(name: &str) -> PathBuf {
    fixtures_dir().join(name)
}

/// The shared corpus of real captures beside the repository, if present.
pub fn shared_corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real");
    dir.is_dir().then_some(dir)
}

/// When set (CI sets it), a missing oracle tool or corpus fails the test instead of skipping.
pub fn oracles_required() -> bool {
    std::env::var_os("CA_CLI_REQUIRE_ORACLES").is_some_and(|v| v != "0")
}

/// Skip (with a message) or fail, depending on [`oracles_required`].
pub fn skip_or_fail(what: &str) {
    if oracles_required() {
        panic!("{what} (CA_CLI_REQUIRE_ORACLES is set, so this is a failure, not a skip)");
    }
    eprintln!("SKIPPED: {what}");
}

/// Every capture to test against: the shared corpus when present, plus the fixtures, one per
/// file name.
pub fn all_captures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut dirs = Vec::new();
    match shared_corpus_dir() {
        Some(dir) => dirs.push(dir),
        None => skip_or_fail("../shared/corpus/real is absent: testing the fixtures only"),
    }
    dirs.push(fixtures_dir());
    for dir in dirs {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x == "pcap" || x == "pcapng" || x == "cap")
            })
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap().to_os_string();
            if seen.insert(name) {
                files.push(path);
            }
        }
    }
    files
}

/// Whether `tool` runs here.
pub fn have_tool(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

pub fn ca_cli() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("ca-cli").expect("ca-cli binary is built")
}

/// Run `ca-cli flows FILE --format json` with extra arguments and parse the document.
pub fn flows_json(file: &Path, extra: &[&str]) -> serde_json::Value {
    let output = ca_cli()
        .arg("flows")
        .arg(file)
        .args(["--format", "json", "--quiet"])
        .args(extra)
        .output()
        .expect("ca-cli runs");
    assert!(
        output.status.success(),
        "{}: ca-cli failed: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("ca-cli prints JSON")
}

pub fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}
