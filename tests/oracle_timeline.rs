//! Oracle test: the timeline's packets and bytes per bucket against tshark's
//! `-z io,stat,INTERVAL,"ip||ipv6"` on every corpus capture, at several intervals.
//!
//! How the two are made comparable: tshark's intervals start at the capture's first frame, so
//! ours are aligned there too (`--align capture`), and its `ip||ipv6` filter selects the
//! frames ca-cli places in flows. Where the totals differ (a damaged capture whose broken IP
//! headers tshark still calls IP, while ca-cli counts them as malformed and places them in no
//! flow), each of our buckets must hold no more than tshark's, and the difference in all must
//! be the summary's `undecoded_packets`. tshark prints no interval at all for a capture of no
//! duration (one packet, or none with a time): those are left to the property tests, as are
//! captures with packets that have no time (tshark gives them times of its own) and with
//! times past 2262 (where ca-cli's nanosecond clock saturates).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::file_name;

/// Intervals in seconds, as tshark takes them, and as ca-cli does.
const INTERVALS: [(&str, &str); 4] = [("0.1", "100ms"), ("1", "1s"), ("10", "10s"), ("60", "1m")];

/// (frames, bytes) per interval, or why there are none.
fn tshark_intervals(file: &Path, interval: &str) -> Result<Vec<(u64, u64)>, String> {
    let output = Command::new("tshark")
        .args(["-n", "-q", "-r"])
        .arg(file)
        .args(["-z", &format!("io,stat,{interval},ip||ipv6")])
        .output()
        .map_err(|e| format!("tshark: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() && !text.contains("<>") {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let why = stderr.lines().rev().find(|l| !l.trim().is_empty());
        return Err(format!(
            "tshark cannot read it: {}",
            why.unwrap_or("failed")
        ));
    }
    let rows: Vec<(u64, u64)> = text
        .lines()
        .filter(|l| l.contains("<>"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let number = |i: usize| cells.get(i).and_then(|c| c.parse().ok()).unwrap_or(0);
            (number(2), number(3))
        })
        .collect();
    if rows.is_empty() {
        return Err("tshark prints no interval (the capture spans no time)".into());
    }
    Ok(rows)
}

struct Ours {
    buckets: Vec<(u64, u64)>,
    undecoded: u64,
    untimed: u64,
    /// A time beyond what nanoseconds since 1970 in an i64 hold (1677 to 2262), where
    /// ca-cli's clock saturates and tshark's does not.
    saturated: bool,
}

fn our_buckets(file: &Path, interval: &str) -> Result<Ours, String> {
    let output = common::ca_cli()
        .arg("timeline")
        .arg(file)
        .args(["--align", "capture", "--interval", interval, "--json", "-q"])
        .output()
        .expect("ca-cli runs");
    if output.status.code() == Some(2) {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
    }
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{}: not JSON: {e}", file.display()));
    // tshark counts frames earlier than the first (out of order) in its first interval; ours
    // are in buckets before it, which are added to the first here.
    let aligned_at = json["aligned_at"].as_str().unwrap_or("").to_string();
    let mut buckets: Vec<(u64, u64)> = Vec::new();
    let mut before = (0, 0);
    for b in json["buckets"].as_array().expect("buckets") {
        let counts = (b["packets"].as_u64().unwrap(), b["bytes"].as_u64().unwrap());
        // Both are RFC 3339 UTC at the same precision: their text sorts as their time.
        if b["bucket_start"].as_str().unwrap() < aligned_at.as_str() {
            before = (before.0 + counts.0, before.1 + counts.1);
        } else {
            buckets.push(counts);
        }
    }
    if let Some(first) = buckets.first_mut() {
        *first = (first.0 + before.0, first.1 + before.1);
    }
    Ok(Ours {
        buckets,
        undecoded: json["summary"]["undecoded_packets"].as_u64().unwrap(),
        untimed: json["untimed_packets"].as_u64().unwrap(),
        saturated: ["first_seen", "last_seen"].iter().any(|end| {
            let time = json["summary"][end].as_str().unwrap_or("");
            time.starts_with("2262-04-11T23:47:16") || time.starts_with("1677-09-21T00:12:43")
        }),
    })
}

/// What differs between our buckets and tshark's intervals, if anything.
fn compare(file: &Path, interval: (&str, &str)) -> Result<String, String> {
    let ours = match run_ours(file, interval) {
        Ok(ours) => ours,
        Err(skip) => return skip,
    };
    if ours.saturated {
        return Ok("skip (times beyond 2262: ca-cli's clock saturates there)".into());
    }
    if ours.untimed > 0 {
        return Ok(format!(
            "skip ({} packets have no timestamp; tshark gives them times of its own)",
            ours.untimed
        ));
    }
    compare_with_tshark(file, interval, ours)
}

/// Our buckets, or the outcome of a comparison that cannot be made.
#[allow(clippy::result_large_err)]
fn run_ours(file: &Path, interval: (&str, &str)) -> Result<Ours, Result<String, String>> {
    // Ours first: a capture spanning years (one in the corpus does) at a short interval is
    // refused, and tshark would print (and hold) millions of rows for it.
    match our_buckets(file, interval.1) {
        Ok(ours) => Ok(ours),
        Err(usage) => {
            let span = common::summary_of(file)["duration_s"]
                .as_f64()
                .unwrap_or(0.0);
            let seconds: f64 = interval.0.parse().unwrap();
            if usage.contains("buckets") && span / seconds > 100_000.0 {
                return Err(Ok(format!(
                    "skip (refused: {:.0} intervals)",
                    span / seconds
                )));
            }
            Err(Err(format!("ca-cli refused: {usage}")))
        }
    }
}

fn compare_with_tshark(file: &Path, interval: (&str, &str), ours: Ours) -> Result<String, String> {
    let theirs = match tshark_intervals(file, interval.0) {
        Ok(rows) => rows,
        Err(why) => return Ok(format!("skip ({why})")),
    };
    let len = ours.buckets.len().max(theirs.len());
    let at = |v: &[(u64, u64)], i: usize| v.get(i).copied().unwrap_or((0, 0));
    let total = |v: &[(u64, u64)]| v.iter().map(|r| r.0).sum::<u64>();
    let (our_total, their_total) = (total(&ours.buckets), total(&theirs));
    let exact = our_total == their_total;
    let mut diffs = Vec::new();
    for i in 0..len {
        let (o, t) = (at(&ours.buckets, i), at(&theirs, i));
        let wrong = if exact {
            o != t
        } else {
            o.0 > t.0 || o.1 > t.1
        };
        if wrong {
            diffs.push(format!("  bucket {i}: ours {o:?}, tshark {t:?}"));
        }
    }
    if !exact && their_total - our_total.min(their_total) != ours.undecoded {
        diffs.push(format!(
            "  totals: ours {our_total}, tshark {their_total}, and {} undecoded",
            ours.undecoded
        ));
    }
    if diffs.is_empty() {
        Ok(format!(
            "{len} buckets{}",
            if exact {
                String::new()
            } else {
                format!(", {} malformed packets in none", ours.undecoded)
            }
        ))
    } else {
        Err(diffs.join("\n"))
    }
}

#[test]
fn packets_and_bytes_per_bucket_match_tshark_io_stat() {
    if !common::have_tool("tshark") {
        common::skip_or_fail("tshark is not installed (apt-get install tshark)");
        return;
    }
    let files = common::all_captures();
    let results: Vec<(PathBuf, String, Result<String, String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|k| {
                let chunk: Vec<PathBuf> = files.iter().skip(k).step_by(2).cloned().collect();
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for file in chunk {
                        // And one interval of whole seconds making some 500 buckets, so that
                        // a capture spanning years is compared too.
                        let span = common::summary_of(&file)["duration_s"]
                            .as_f64()
                            .unwrap_or(0.0);
                        let coarse = ((span / 500.0).ceil() as u64).max(1);
                        let (seconds, ours) = (coarse.to_string(), format!("{coarse}s"));
                        for interval in INTERVALS
                            .iter()
                            .map(|&(t, o)| (t, o))
                            .chain([(seconds.as_str(), ours.as_str())])
                        {
                            out.push((
                                file.clone(),
                                interval.1.to_string(),
                                compare(&file, interval),
                            ));
                        }
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut failures = Vec::new();
    let mut compared = 0;
    for (file, interval, outcome) in &results {
        match outcome {
            Ok(what) => {
                compared += usize::from(!what.starts_with("skip"));
                eprintln!("{} {interval}: {what}", file_name(file));
            }
            Err(diff) => failures.push(format!("{} at {interval}:\n{diff}", file_name(file))),
        }
    }
    assert!(compared > 100, "only {compared} comparisons were made");
    assert!(
        failures.is_empty(),
        "{} comparisons differ from tshark:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
