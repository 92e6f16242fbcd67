//! Any text through the filter-expression parser: an expression or an error whose caret points
//! inside (or just past) the text, never a panic; an expression's text (the summary line's)
//! parses back to the same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match ca_cli::filter::parse(text) {
        Ok(expr) => {
            let shown = expr.to_string();
            assert_eq!(ca_cli::filter::parse(&shown).ok(), Some(expr), "{shown}");
        }
        Err(error) => {
            let _ = error.to_string();
            let _ = error.pointer();
        }
    }
});
