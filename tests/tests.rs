//! The integration tests, one binary (as ripgrep's `tests/tests.rs`): each module was a test
//! binary of its own, and every one of them linked reqwest and rustls again.

mod common;

mod cli;
mod completions;
mod dissect_etherparse;
mod filter_values;
mod geoip;
mod guards;
mod json_fast_path;
mod mapped;
mod options;
mod oracle_capinfos;
mod oracle_identify;
mod oracle_timeline;
mod oracle_tshark;
mod oracle_zeek;
mod reliability;
mod robustness;
mod snapshots;
mod streaming;
mod tables;
mod timeline;
mod url;
mod views;
