//! One path for every view: inputs → capture → flows → enrichment → filter → view → report.

use std::io;

use super::select::{Selection, Selector, Totals};
use super::summary::Summary;
use super::{AnalysisError, CaptureStats, analyze_into};
use crate::capture::Precision;
use crate::config::AnalysisConfig;
use crate::enrich::{Enricher, Tags};
use crate::flow::Flow;
use crate::flow::profile::ProfileSpec;
use crate::source::Inputs;

/// A view: built flow by flow from the selected flows as they end, then finished into a
/// report that every renderer can take. Adding a view is one type implementing this.
pub trait View {
    type Report: CaptureReport;

    /// Whether the analysis must keep every DNS answer (aliases included) in the flows' DNS
    /// exchanges; other views need only the questions and addresses.
    fn needs_dns_details(&self) -> bool {
        false
    }

    /// The time slices every flow's packets are to be counted in (its
    /// [`Flow::profile`](crate::flow::Flow::profile)), for views that place packets in time;
    /// `None` for the others, which pay nothing for it.
    fn profiles(&self) -> Option<ProfileSpec> {
        None
    }

    /// Take one selected flow. `stats` are the capture's counts so far; an error (the output
    /// was closed) stops the analysis.
    fn add(
        &mut self,
        flow: Flow,
        tags: Tags,
        enricher: &Enricher,
        stats: &CaptureStats,
    ) -> io::Result<()>;

    /// The report, once the capture has been read.
    fn finish(self, run: Finished) -> io::Result<Self::Report>;
}

/// What a view's report is made from, besides the flows it took.
pub struct Finished {
    pub summary: Summary,
    /// The enrichment of every flow: address facts, services, the databases used.
    pub enricher: Enricher,
    /// The finest timestamp precision of the inputs, for printing times.
    pub precision: Precision,
}

/// A finished report and the run's summary it carries (written to standard error as text, and
/// deciding the exit status).
pub trait CaptureReport {
    fn summary(&self) -> &Summary;

    /// What part of its list the report shows, when it shows only some (`--top`).
    fn listed(&self) -> Option<Listed> {
        None
    }
}

/// `shown` of `of` flows, names, places... listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listed {
    pub shown: u64,
    pub of: u64,
    pub what: &'static str,
}

impl CaptureReport for Summary {
    fn summary(&self) -> &Summary {
        self
    }
}

/// Everything an analysis needs besides its view: the opened inputs, how packets become
/// flows, and which flows are selected.
pub struct Job {
    pub inputs: Inputs,
    pub analysis: AnalysisConfig,
    pub selection: Selection,
}

/// Analyse the job's inputs as one capture, feed each selected flow to `view`, and finish it.
///
/// Fails only when an input is unusable as a capture or the view's output fails; damage inside
/// an input is counted in the summary, with everything before it kept.
pub fn run<V: View>(job: Job, mut view: V) -> Result<V::Report, AnalysisError> {
    let Job {
        inputs,
        mut analysis,
        selection,
    } = job;
    analysis.dns_details |= view.needs_dns_details();
    analysis.profiles = view.profiles();
    let mut selector = Selector {
        selection,
        totals: Totals::default(),
        view: &mut view,
    };
    let stats = analyze_into(inputs, &analysis, &mut selector)?;
    let Selector {
        selection, totals, ..
    } = selector;
    let mut summary = Summary::new(&stats, &totals, &selection.enricher, selection.description);
    if let Some(zone) = &analysis.time_zone {
        summary.in_zone(zone);
    }
    view.finish(Finished {
        summary,
        enricher: selection.enricher,
        precision: stats.precision.unwrap_or(Precision::MICROS),
    })
    .map_err(AnalysisError::Output)
}
