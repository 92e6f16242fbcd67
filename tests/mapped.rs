//! Files are decoded in place from a mapping, pipes and downloads as streams: both must deliver
//! the same frames and end the same way on every capture, whole, cut anywhere or mutated.

use crate::common;

use std::io::Cursor;

use ca_cli::capture::{self, CHECKPOINT_INTERVAL, Frame, ReadOutcome};
use common::file_name;

/// Everything a decoder tells about a capture: its frames (as a digest) and how it ended, or
/// its error.
#[derive(Debug, PartialEq, Eq)]
enum Decoded {
    Read {
        frames: u64,
        digest: u64,
        outcome: ReadOutcome,
    },
    Failed(String),
}

/// FNV-1a over every field of every frame, in order.
#[derive(Default)]
struct Digest {
    frames: u64,
    state: u64,
}

impl Digest {
    fn add(&mut self, frame: &Frame<'_>) {
        if self.state == 0 {
            self.state = 0xcbf2_9ce4_8422_2325;
        }
        self.frames += 1;
        let fields = [
            frame.number,
            frame.linktype.into(),
            frame.orig_len.into(),
            frame.data.len() as u64,
        ];
        let time = format!("{:?} {:?}", frame.timestamp, frame.precision);
        let bytes = fields
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .chain(time.bytes())
            .chain(frame.data.iter().copied());
        for byte in bytes {
            self.state = (self.state ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn streamed(bytes: &[u8]) -> Decoded {
    let mut digest = Digest::default();
    match capture::decode(Cursor::new(bytes), |frame| digest.add(frame)) {
        Ok(outcome) => Decoded::Read {
            frames: digest.frames,
            digest: digest.state,
            outcome,
        },
        Err(e) => Decoded::Failed(e.to_string()),
    }
}

fn in_place(bytes: &[u8]) -> Decoded {
    let mut digest = Digest::default();
    match capture::decode_slice(bytes, |_| true, |frame| digest.add(frame)) {
        Ok(outcome) => Decoded::Read {
            frames: digest.frames,
            digest: digest.state,
            outcome,
        },
        Err(e) => Decoded::Failed(e.to_string()),
    }
}

#[test]
fn in_place_and_streamed_decoding_agree_on_every_capture_and_its_cuts() {
    let mut compared = 0;
    for file in common::all_captures() {
        let bytes = std::fs::read(&file).unwrap();
        let whole = in_place(&bytes);
        assert_eq!(whole, streamed(&bytes), "{}", file_name(&file));
        // Cuts: every offset of the first 2 KiB, then 100 spread over the rest.
        let mut cuts: Vec<usize> = (0..bytes.len().min(2048)).collect();
        if bytes.len() > 2048 {
            let step = (bytes.len() - 2048) / 100 + 1;
            cuts.extend((2048..bytes.len()).step_by(step).map(|c| c + step / 3));
        }
        for cut in cuts.into_iter().filter(|&c| c <= bytes.len()) {
            let prefix = &bytes[..cut];
            assert_eq!(
                in_place(prefix),
                streamed(prefix),
                "{} cut at {cut}",
                file_name(&file)
            );
            compared += 1;
        }
        // Bit flips and nasty lengths in the first records.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d ^ bytes.len() as u64;
        for round in 0..40 {
            let mut mutant = bytes[..bytes.len().min(16 << 10)].to_vec();
            if mutant.len() < 8 {
                break;
            }
            for _ in 0..3 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let at = (x % (mutant.len() as u64 - 4)) as usize;
                if x & 1 == 0 {
                    mutant[at] ^= 1 << ((x >> 8) % 8);
                } else {
                    mutant[at..at + 4].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
                }
            }
            assert_eq!(
                in_place(&mutant),
                streamed(&mutant),
                "{} mutant {round}",
                file_name(&file)
            );
            compared += 1;
        }
    }
    eprintln!("{compared} cut or mutated captures compared");
    assert!(compared > 10_000, "only {compared} compared");
}

/// A classic pcap of at least `size` bytes: a real capture's records, repeated.
fn big_capture(size: usize) -> Vec<u8> {
    let original = std::fs::read(common::fixture("ndpi_iphone.pcap")).unwrap();
    let (header, records) = original.split_at(24);
    let mut bytes = header.to_vec();
    while bytes.len() < size {
        bytes.extend_from_slice(records);
    }
    bytes
}

#[test]
fn checkpoints_report_progress_and_can_stop_the_decoding_at_a_record_boundary() {
    let bytes = big_capture(3 * CHECKPOINT_INTERVAL + 12345);
    let mut seen = Vec::new();
    let mut frames = 0u64;
    let outcome = capture::decode_slice(
        &bytes,
        |offset| {
            seen.push(offset);
            true
        },
        |_| frames += 1,
    )
    .unwrap();
    assert_eq!(outcome.bytes_consumed, bytes.len() as u64);
    assert_eq!(seen.len(), 3, "{seen:?}");
    for (i, offset) in seen.iter().enumerate() {
        let expected = (i + 1) * CHECKPOINT_INTERVAL;
        // Told at the first record boundary at or past each interval.
        assert!(
            (expected..expected + 2048).contains(offset),
            "checkpoint {i} at {offset}"
        );
    }

    // Stopped at the second checkpoint: what was delivered is exactly the prefix up to it,
    // and the outcome says where it stopped, with nothing flagged as damage.
    let mut calls = 0;
    let mut digest = Digest::default();
    let stopped = capture::decode_slice(
        &bytes,
        |_| {
            calls += 1;
            calls < 2
        },
        |frame| digest.add(frame),
    )
    .unwrap();
    let at = stopped.bytes_consumed as usize;
    assert_eq!(at, seen[1]);
    assert_eq!(stopped.cut_short, None);
    let prefix = streamed(&bytes[..at]);
    let Decoded::Read {
        frames: prefix_frames,
        digest: prefix_digest,
        ..
    } = prefix
    else {
        panic!("the prefix decodes: {prefix:?}");
    };
    assert_eq!(
        (digest.frames, digest.state),
        (prefix_frames, prefix_digest)
    );
    assert!(digest.frames < frames);
}

/// A capture big enough for many hand-overs between the decoding thread and the flow table,
/// and for pages to be given back: files (mapped, decoded on one thread or two), standard
/// input from a pipe (streamed) and standard input redirected from the file (mapped) give
/// byte-identical reports.
#[test]
fn a_large_file_reads_alike_mapped_on_one_thread_or_two_and_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.pcap");
    let bytes = big_capture(2 * CHECKPOINT_INTERVAL + 4321);
    std::fs::write(&path, &bytes).unwrap();
    for view in ["flows", "stats"] {
        // stdin: None (the file named), Some(false) (a pipe), Some(true) (redirected from the
        // file, which is mapped too).
        let run = |threads: &str, stdin: Option<bool>| {
            let mut command = common::ca_cli();
            command
                .arg(view)
                .arg(if stdin.is_some() {
                    "-"
                } else {
                    path.to_str().unwrap()
                })
                .args(["--format", "json", "--quiet", "--threads", threads]);
            let output = match stdin {
                Some(false) => command.write_stdin(bytes.clone()).output().unwrap(),
                // assert_cmd pipes what it is given; a file as standard input needs std's
                // Command.
                Some(true) => std::process::Command::new(assert_cmd::cargo::cargo_bin("ca-cli"))
                    .arg(view)
                    .arg("-")
                    .args(["--format", "json", "--quiet", "--threads", threads])
                    .stdin(std::fs::File::open(&path).unwrap())
                    .output()
                    .unwrap(),
                None => command.output().unwrap(),
            };
            assert_eq!(output.status.code(), Some(0), "{view} {threads} {stdin:?}");
            // The input's name is the only difference allowed.
            String::from_utf8(output.stdout)
                .unwrap()
                .replace(path.to_str().unwrap(), "INPUT")
                .replace("<stdin>", "INPUT")
        };
        let one = run("1", None);
        assert!(one.contains("\"packets\""), "{view}: {one:.200}");
        assert_eq!(one, run("2", None), "{view}: one thread and two");
        assert_eq!(one, run("3", None), "{view}: one thread and three");
        assert_eq!(
            one,
            run("3", Some(false)),
            "{view}: streamed, three threads"
        );
        assert_eq!(one, run("2", Some(false)), "{view}: mapped and streamed");
        assert_eq!(one, run("1", Some(false)), "{view}: streamed, one thread");
        assert_eq!(
            one,
            run("2", Some(true)),
            "{view}: standard input from the file"
        );
    }
}

/// A file that shrinks while it is mapped (another program truncates it) cannot be read past
/// its new end; that is a one-line error naming the file, exit status 1, not a crash (the
/// binary's SIGBUS handler, from what the library's `fault_at` tells). The debug-build hook
/// maps a short file as if it were long, which is what a truncation after mapping leaves.
#[test]
fn a_file_truncated_while_mapped_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shrunk.pcap");
    // The first 10,000 bytes of a 1 MiB capture, mapped (a test hook of debug builds) as the
    // whole 1 MiB: the file as it is when another program truncated it after the mapping.
    let mut capture = big_capture(1 << 20);
    capture.truncate(10_000);
    std::fs::write(&path, &capture).unwrap();
    // Named on the command line with one thread and two, and as standard input redirected
    // from the file (which is mapped as well).
    for (threads, stdin) in [("1", false), ("2", false), ("3", false), ("2", true)] {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("ca-cli"));
        command
            .arg("flows")
            .arg(if stdin {
                "-".as_ref()
            } else {
                path.as_os_str()
            })
            .args(["--format", "ndjson", "--threads", threads])
            .env("CA_CLI_TEST_MAP_LEN", (1 << 20).to_string());
        if stdin {
            command.stdin(std::fs::File::open(&path).unwrap());
        }
        let output = command.output().unwrap();
        let name = if stdin {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with(&format!("ca-cli: error: {name}: cannot read past offset ")),
            "{stderr}"
        );
        assert!(stderr.contains("the file shrank"), "{stderr}");
        // The offset is where the file now ends, rounded up to a page.
        let offset: u64 = stderr
            .split("offset ")
            .nth(1)
            .and_then(|rest| rest.split(':').next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!((10000..10000 + 4096 * 16).contains(&offset), "{stderr}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            capture,
            "the file is left as it was"
        );
    }
}

/// A record claiming more than the 64 MiB limit ends the reading as damage in both modes, even
/// when the file is long enough to hold it (a stream's buffer never grows that far).
#[test]
fn a_record_over_the_limit_is_damage_in_place_too() {
    let mut bytes = big_capture(0);
    let caplen = capture::MAX_RECORD_LEN as u32 + 1;
    bytes.extend_from_slice(&[0; 8]); // time
    bytes.extend_from_slice(&caplen.to_le_bytes());
    bytes.extend_from_slice(&caplen.to_le_bytes());
    bytes.resize(bytes.len() + caplen as usize + 100, 0);
    // The two say how much was present differently (a stream has only its buffer); the
    // frames, the offset and the verdict agree.
    for decoded in [in_place(&bytes), streamed(&bytes)] {
        let Decoded::Read {
            frames, outcome, ..
        } = &decoded
        else {
            panic!("{decoded:?}");
        };
        assert_eq!((*frames, outcome.bytes_consumed), (0, 24), "{decoded:?}");
        let cut = outcome.cut_short.as_deref().unwrap_or_default();
        assert!(
            cut.starts_with("corrupt record at offset 24: packet 1 needs 67108881 bytes")
                && cut.ends_with("over the 64 MiB limit"),
            "{cut}"
        );
    }
}
