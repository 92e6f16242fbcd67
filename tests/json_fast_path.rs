//! The hand-written NDJSON writer prints exactly what serde_json prints for the same record,
//! for every flow of every capture, with and without the optional City and ASN columns (the
//! bundled AS table, a MaxMind ASN database, none).

use crate::common;

use ca_cli::enrich::{AsnSource, CountrySource, Enricher, GeoConfig, GeoIp};
use ca_cli::source::{InputSpec, SourceOptions, open_all};
use ca_cli::view::flows::FlowsView;
use ca_cli::{AnalysisConfig, FlowListConfig, Job, Selection};
use common::{file_name, fixture};

#[test]
fn fast_json_lines_equal_serde_json() {
    let configs = [
        GeoConfig::default(),
        GeoConfig {
            country: CountrySource::File(fixture("geoip/maxmind-city.mmdb")),
            asn: AsnSource::File(fixture("geoip/asn.mmdb")),
        },
        GeoConfig {
            asn: AsnSource::Disabled,
            ..GeoConfig::default()
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
            let job = Job {
                inputs,
                analysis: AnalysisConfig::default(),
                selection: Selection::all(Enricher::new(geo)),
            };
            let Ok(report) = ca_cli::run(job, view) else {
                continue;
            };
            for record in report.flows.iter() {
                let mut fast = Vec::new();
                ca_cli::output::write_flow_json(&record, &mut fast);
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
