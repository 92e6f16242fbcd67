//! Any byte stream through the capture decoder (classic pcap, its old variants, pcapng): a
//! result or an error, never a panic, and never more frames than bytes could hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut frames = 0u64;
    let mut bytes = 0u64;
    let outcome = ca_cli::capture::decode(data, |frame| {
        frames += 1;
        bytes += frame.data.len() as u64;
    });
    if let Ok(outcome) = outcome {
        assert_eq!(outcome.frames, frames);
        assert!(
            bytes <= data.len() as u64,
            "frames hold more bytes than the input"
        );
        assert!(outcome.bytes_consumed <= data.len() as u64);
    }
});
