//! Any text through the filter-expression parser: an expression or an error whose caret points
//! inside (or just past) the text, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(error) = ca_cli::filter::parse(text) {
        let _ = error.to_string();
        let _ = error.pointer();
    }
});
