//! Any frame through the packet dissector, under any link type: the first two bytes choose the
//! link type (the common ones most of the time), the rest is the frame.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Link types the dissector knows, so most inputs reach real decoding.
const LINK_TYPES: [u32; 16] = [
    1, 0, 101, 12, 14, 113, 276, 228, 229, 108, 9, 104, 50, 127, 119, 284,
];

fuzz_target!(|data: &[u8]| {
    let Some((&[pick, spare], frame)) = data.split_first_chunk::<2>() else {
        return;
    };
    let linktype = if pick < 240 {
        LINK_TYPES[usize::from(pick) % LINK_TYPES.len()]
    } else {
        u32::from(spare)
    };
    // The wire length may exceed what was captured (snaplen), never fall short of it.
    let orig_len = frame.len() as u32 + u32::from(pick & 0x0f) * 100;
    let _ = ca_cli::dissect::dissect(linktype, frame, orig_len);
});
