//! The Protocol Overview: traffic by transport protocol, by service, and by country.

use std::io;

use serde::Serialize;

use super::report::{Report, Rows, Text};
use super::tally::{SectionRow, share_rows, share_table};
use super::tally::{Share, Tally};
use super::{Enriched, SCHEMA_VERSION, Summary, proto_name};
use crate::enrich::{Enricher, Tags};
use crate::flow::Flow;
use crate::pipeline::CaptureStats;
use crate::pipeline::{CaptureReport, Finished, View};

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ProtocolsReport {
    pub schema_version: u32,
    pub summary: Summary,
    /// By IP protocol (tcp, udp, icmp, ...).
    pub transports: Vec<Share>,
    /// By service: identified from the payload (`tls`, `dns`, ...), else the port's IANA name
    /// (`https`, `tcp/8443`) with `port_guess` true.
    pub services: Vec<Share>,
    /// By the country of each flow's outside end (see [`flow_place`]).
    pub countries: Vec<Share>,
}

/// Where a flow counts in a per-country breakdown: the country of its responder, else of its
/// initiator, else the responder's label (`private`, ...), else `unknown`. A capture taken
/// on a VM thus files its outbound and inbound traffic under the remote country.
pub fn flow_place<'a>(e: &Enriched<'a>) -> &'a str {
    match (&e.dst.country, &e.src.country) {
        (Some(c), _) | (None, Some(c)) => c.as_str(),
        (None, None) => e.dst.place(),
    }
}

/// Builds the [`ProtocolsReport`] flow by flow.
#[derive(Default)]
pub struct ProtocolsView {
    transports: Tally,
    services: Tally,
    countries: Tally,
}

impl View for ProtocolsView {
    type Report = ProtocolsReport;

    fn add(
        &mut self,
        flow: Flow,
        tags: Tags,
        enricher: &Enricher,
        _: &CaptureStats,
    ) -> io::Result<()> {
        let e = Enriched::new(&flow, tags, enricher);
        let (packets, bytes) = (flow.total_packets(), flow.total_bytes());
        self.transports
            .add(&proto_name(flow.key.proto), 1, packets, bytes);
        self.services
            .add_service(e.service_label, e.service, e.port_guess, 1, packets, bytes);
        self.countries.add(flow_place(&e), 1, packets, bytes);
        Ok(())
    }

    fn finish(self, run: Finished) -> io::Result<ProtocolsReport> {
        Ok(self.report(run.summary))
    }
}

impl CaptureReport for ProtocolsReport {
    fn summary(&self) -> &Summary {
        &self.summary
    }
}

impl ProtocolsView {
    fn report(self, summary: Summary) -> ProtocolsReport {
        let total = summary.selected_bytes;
        ProtocolsReport {
            schema_version: SCHEMA_VERSION,
            transports: self.transports.into_sorted(total),
            services: self.services.into_sorted(total),
            countries: self.countries.into_sorted(total),
            summary,
        }
    }
}

impl Report for ProtocolsReport {
    type Row<'a> = SectionRow<'a>;

    fn rows(&self) -> Rows<'_, SectionRow<'_>> {
        Box::new(
            share_rows("transport", &self.transports)
                .chain(share_rows("service", &self.services))
                .chain(share_rows("country", &self.countries)),
        )
    }

    fn text(&self) -> Text<'_> {
        Text::Tables(vec![
            share_table("By transport protocol", "Protocol", &self.transports, None),
            share_table(
                "By service; (port): guessed from the port number",
                "Service",
                &self.services,
                Some(25),
            ),
            share_table(
                "By country (of each flow's remote end)",
                "Country",
                &self.countries,
                Some(25),
            ),
        ])
    }
}
