//! Any byte stream through the capture decoder (classic pcap, its old variants, pcapng): a
//! result or an error, never a panic, and never more frames than bytes could hold; and the
//! same bytes decoded in place (as a mapped file is) give the same frames and the same end.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Frame lengths and first bytes, enough to tell two decodings apart.
fn summary(frames: &mut Vec<(u64, u32, usize, u8)>, frame: &ca_cli::capture::Frame<'_>) {
    frames.push((
        frame.number,
        frame.orig_len,
        frame.data.len(),
        frame.data.first().copied().unwrap_or(0),
    ));
}

fuzz_target!(|data: &[u8]| {
    let mut streamed = Vec::new();
    let outcome = ca_cli::capture::decode(data, |frame| summary(&mut streamed, frame));
    let mut in_place = Vec::new();
    let in_place_outcome =
        ca_cli::capture::decode_slice(data, |_| true, |frame| summary(&mut in_place, frame));
    assert_eq!(streamed, in_place);
    match (&outcome, &in_place_outcome) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("streamed {outcome:?}, in place {in_place_outcome:?}"),
    }
    if let Ok(outcome) = outcome {
        assert_eq!(outcome.frames, streamed.len() as u64);
        let bytes: usize = streamed.iter().map(|f| f.2).sum();
        assert!(
            bytes <= data.len(),
            "frames hold more bytes than the input"
        );
        assert!(outcome.bytes_consumed <= data.len() as u64);
    }
});
