//! Which flows a view sees: each finished flow is enriched (GeoIP, service), tested against
//! the filter and counted, and the selected ones go on to the view.

use std::io;

use super::run::View;
use super::{CaptureStats, FlowSink};
use crate::enrich::Enricher;
use crate::filter::{Expr, FlowFacts};
use crate::flow::Flow;

/// How flows are enriched and which are selected.
pub struct Selection {
    pub enricher: Enricher,
    pub filter: Expr,
    /// The filter as the summary shows it; `None` without a filter.
    pub description: Option<String>,
}

impl Selection {
    /// Every flow, enriched by `enricher`.
    pub fn all(enricher: Enricher) -> Selection {
        Selection {
            enricher,
            filter: Expr::Any,
            description: None,
        }
    }
}

/// Flows seen, and what the filter selected of them: the totals every view's rows add up to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub flows: u64,
    pub selected_flows: u64,
    pub selected_packets: u64,
    pub selected_bytes: u64,
}

/// The flow sink of a run: enrich, select, count, and hand the selected flows to the view.
pub(super) struct Selector<'v, V> {
    pub selection: Selection,
    pub totals: Totals,
    pub view: &'v mut V,
}

impl<V: View> FlowSink for Selector<'_, V> {
    fn accept(&mut self, flow: Flow, stats: &CaptureStats) -> io::Result<()> {
        self.totals.flows += 1;
        let enricher = &mut self.selection.enricher;
        let tags = enricher.tag(&flow);
        let selected = self.selection.filter.matches(&FlowFacts {
            flow: &flow,
            src: enricher.info(tags.src),
            dst: enricher.info(tags.dst),
            service: enricher.service(tags.service),
            capture_start: stats.capture_start,
        });
        if !selected {
            return Ok(());
        }
        let totals = &mut self.totals;
        totals.selected_flows += 1;
        totals.selected_packets += flow.total_packets();
        totals.selected_bytes += flow.total_bytes();
        self.view.add(flow, tags, &self.selection.enricher, stats)
    }
}
