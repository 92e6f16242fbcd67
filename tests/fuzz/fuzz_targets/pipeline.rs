//! The whole pipeline on a byte buffer: decode, dissect, build flows, enrich (bundled GeoIP),
//! aggregate in every view and render every format. Checks the accounting invariants too.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;

use ca_cli::enrich::{Enricher, GeoConfig, GeoIp};
use ca_cli::output::{self, Format, Report};
use ca_cli::pipeline::{CaptureReport, Summary, View};
use ca_cli::source::{Inputs, OpenedInput};
use ca_cli::view::flows::FlowsView;
use ca_cli::view::stats::StatsView;
use ca_cli::{AnalysisConfig, FlowListConfig, Job, Selection};

fn inputs(data: &[u8]) -> Inputs {
    Inputs::from_opened(vec![OpenedInput::from_reader(
        "fuzz",
        Box::new(Cursor::new(data.to_vec())),
    )])
}

/// The data through `view`, rendered in every format, its accounting checked.
fn run<V: View>(data: &[u8], view: V)
where
    V::Report: Report,
{
    let geo = GeoIp::open(&GeoConfig::default()).expect("the bundled database opens");
    let job = Job {
        inputs: inputs(data),
        analysis: AnalysisConfig::default(),
        selection: Selection::all(Enricher::new(geo)),
    };
    let Ok(report) = ca_cli::run(job, view) else {
        return;
    };
    check_accounting(report.summary());
    render_all(&report);
}

fn render_all(report: &impl Report) {
    for format in [Format::Text, Format::Json, Format::Ndjson, Format::Csv] {
        let mut out = Vec::new();
        output::render(report, format, &mut out, 80).expect("rendering into memory succeeds");
    }
}

fn check_accounting(summary: &Summary) {
    assert_eq!(
        summary.packets,
        summary.ip_packets + summary.non_ip_packets + summary.undecoded_packets
    );
}

fuzz_target!(|data: &[u8]| {
    // Both views that do the most work: the flow list and the statistics, by length parity so
    // one run costs one analysis.
    if data.len() % 2 == 0 {
        run(data, FlowsView::new(FlowListConfig::default()));
    } else {
        run(data, StatsView::new(10));
    }
});
