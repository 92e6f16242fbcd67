//! The hand-written NDJSON writer prints exactly what serde_json prints for the same record,
//! for every flow of every capture, with and without the optional City and ASN columns.

mod common;

use ca_cli::capture::Precision;
use ca_cli::config::FlowListConfig;
use ca_cli::enrich::{CountrySource, Enricher, GeoConfig, GeoIp};
use ca_cli::filter::Expr;
use ca_cli::source::{InputSpec, SourceOptions, open_all};
use ca_cli::view::Scan;
use ca_cli::view::flows::FlowsView;
use ca_cli::{AnalysisConfig, analyze_into};
use common::{file_name, fixture};

#[test]
fn fast_json_lines_equal_serde_json() {
    let configs = [
        GeoConfig::default(),
        GeoConfig {
            country: CountrySource::File(fixture("geoip/maxmind-city.mmdb")),
            asn: Some(fixture("geoip/asn.mmdb")),
        },
    ];
    let mut lines = 0;
    for file in common::all_captures() {
        for config in &configs {
            let specs = [InputSpec::Path(file.clone())];
            let Ok(inputs) = open_all(&specs, &SourceOptions::default()) else {
                continue;
            };
            let geo = GeoIp::open(config).unwrap();
            let view = FlowsView::new(FlowListConfig::default());
            let mut scan = Scan::new(Enricher::new(geo), Expr::Any, None, view);
            let Ok(stats) = analyze_into(inputs, &AnalysisConfig::default(), &mut scan) else {
                continue;
            };
            let summary = scan.summary(&stats);
            let precision = stats.precision.unwrap_or(Precision::MICROS);
            let report = scan.view.finish(summary, &scan.enricher, precision);
            for record in report.flows.iter() {
                let mut fast = Vec::new();
                record.write_json(&mut fast);
                let serde = serde_json::to_string(&record).unwrap();
                assert_eq!(
                    String::from_utf8(fast).unwrap(),
                    serde,
                    "{}",
                    file_name(&file)
                );
                lines += 1;
            }
        }
    }
    assert!(lines > 1000, "{lines} lines compared");
}
