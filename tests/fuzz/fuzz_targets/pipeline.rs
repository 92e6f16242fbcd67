//! The whole pipeline on a byte buffer: decode, dissect, build flows, enrich (bundled GeoIP),
//! aggregate in every view and render every format. Checks the accounting invariants too.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;

use ca_cli::capture::Precision;
use ca_cli::enrich::{Enricher, GeoConfig, GeoIp};
use ca_cli::filter::Expr;
use ca_cli::output::{self, Format, Report};
use ca_cli::pipeline::CaptureStats;
use ca_cli::source::{Inputs, OpenedInput};
use ca_cli::view::Scan;
use ca_cli::view::flows::FlowsView;
use ca_cli::view::stats::StatsView;
use ca_cli::{AnalysisConfig, FlowListConfig, analyze_into};

fn inputs(data: &[u8]) -> Inputs {
    Inputs::from_opened(vec![OpenedInput::from_reader(
        "fuzz",
        Box::new(Cursor::new(data.to_vec())),
    )])
}

fn enricher() -> Enricher {
    Enricher::new(GeoIp::open(&GeoConfig::default()).expect("the bundled database opens"))
}

fn render_all(report: &impl Report) {
    for format in [Format::Text, Format::Json, Format::Ndjson, Format::Csv] {
        let mut out = Vec::new();
        output::render(report, format, &mut out, 80).expect("rendering into memory succeeds");
    }
}

fn check_accounting(stats: &CaptureStats) {
    assert_eq!(
        stats.packets,
        stats.ip_packets + stats.non_ip_packets() + stats.undecoded_packets
    );
}

fuzz_target!(|data: &[u8]| {
    let config = AnalysisConfig::default();
    // Both views that do the most work: the flow list and the statistics, by length parity so
    // one run costs one analysis.
    if data.len() % 2 == 0 {
        let view = FlowsView::new(FlowListConfig::default());
        let mut scan = Scan::new(enricher(), Expr::Any, None, view);
        let Ok(stats) = analyze_into(inputs(data), &config, &mut scan) else {
            return;
        };
        check_accounting(&stats);
        let summary = scan.summary(&stats);
        let precision = stats.precision.unwrap_or(Precision::MICROS);
        let report = scan.view.finish(summary, &scan.enricher, precision);
        render_all(&report);
    } else {
        let mut scan = Scan::new(enricher(), Expr::Any, None, StatsView::default());
        let Ok(stats) = analyze_into(inputs(data), &config, &mut scan) else {
            return;
        };
        check_accounting(&stats);
        let summary = scan.summary(&stats);
        let report = scan.view.finish(summary, &scan.enricher, 10);
        render_all(&report);
    }
});
