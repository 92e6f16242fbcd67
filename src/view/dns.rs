//! The DNS view: every name the capture's DNS flows asked about, how often, what came back,
//! and who asked: the quickest way to see what a host talked to.

use std::collections::BTreeMap;
use std::io;
use std::net::IpAddr;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::cells::thousands;
use super::report::{Column, Record, Report, Rows, Text, TextTable};
use super::{SCHEMA_VERSION, Summary};
use crate::enrich::{Enricher, Tags};
use crate::flow::Flow;
use crate::identify::dns::{Answer, rcode_name, type_name};
use crate::pipeline::CaptureStats;
use crate::pipeline::{CaptureReport, Finished, Listed, View};

/// Answers and clients listed per name; counts go on beyond.
const LISTED: usize = 16;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DnsReport {
    pub schema_version: u32,
    pub summary: Summary,
    /// Questions, most asked first (or as `--sort` orders them; the first `--top`).
    pub names: Vec<DnsName>,
    /// Questions in the capture (`names` holds them all, or the first `--top`).
    pub total_names: usize,
}

/// One question (name and record type) over the whole capture.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DnsName {
    pub name: String,
    #[serde(rename = "type")]
    pub qtype: String,
    pub queries: u64,
    /// Responses by response code (`NOERROR`, `NXDOMAIN`, ...).
    pub responses: BTreeMap<&'static str, u64>,
    /// Queries that saw no response in the capture.
    pub unanswered: u64,
    /// Distinct addresses and aliases answered (the first 16).
    pub answers: Vec<String>,
    /// Distinct clients that asked, and the first 16 of them.
    pub client_count: u64,
    pub clients: Vec<IpAddr>,
}

#[derive(Default)]
struct Entry {
    queries: u64,
    responses: BTreeMap<&'static str, u64>,
    unanswered: u64,
    answers: Vec<String>,
    clients: Vec<IpAddr>,
    client_count: u64,
}

/// How the list of names is ordered and cut.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NameListConfig {
    pub sort: NameSort,
    /// Only the first N names.
    pub top: Option<usize>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NameSort {
    /// Queries, most first.
    #[default]
    Queries,
    /// Distinct clients, most first.
    Clients,
    /// Alphabetically.
    Name,
}

/// Builds the [`DnsReport`] from the DNS exchanges of each flow.
#[derive(Default)]
pub struct DnsView {
    list: NameListConfig,
    entries: FxHashMap<(String, u16), Entry>,
    /// Distinct clients per question beyond the listed ones, counted exactly.
    seen_clients: FxHashMap<(String, u16), rustc_hash::FxHashSet<IpAddr>>,
}

impl View for DnsView {
    type Report = DnsReport;

    fn needs_dns_details(&self) -> bool {
        true
    }

    fn finish(self, run: Finished) -> io::Result<DnsReport> {
        Ok(self.report(run.summary))
    }

    fn add(&mut self, flow: Flow, _: Tags, _: &Enricher, _: &CaptureStats) -> io::Result<()> {
        let Some(app) = flow.app.as_ref() else {
            return Ok(());
        };
        let client = flow.src().addr;
        for exchange in &app.info.dns {
            let name = if exchange.name.is_empty() {
                "." // the root
            } else {
                &exchange.name
            };
            let key = (name.to_string(), exchange.qtype);
            let entry = self.entries.entry(key.clone()).or_default();
            entry.queries += 1;
            match exchange.rcode {
                Some(rcode) => *entry.responses.entry(rcode_name(rcode)).or_insert(0) += 1,
                None => entry.unanswered += 1,
            }
            for answer in &exchange.answers {
                let text = match answer {
                    Answer::Address(addr) => addr.to_string(),
                    Answer::Alias(name) => name.to_string(),
                };
                if entry.answers.len() < LISTED && !entry.answers.contains(&text) {
                    entry.answers.push(text);
                }
            }
            if self.seen_clients.entry(key).or_default().insert(client) {
                entry.client_count += 1;
                if entry.clients.len() < LISTED {
                    entry.clients.push(client);
                }
            }
        }
        Ok(())
    }
}

impl CaptureReport for DnsReport {
    fn summary(&self) -> &Summary {
        &self.summary
    }

    fn listed(&self) -> Option<Listed> {
        (self.names.len() < self.total_names).then_some(Listed {
            shown: self.names.len() as u64,
            of: self.total_names as u64,
            what: "names",
        })
    }
}

impl DnsView {
    pub fn new(list: NameListConfig) -> DnsView {
        DnsView {
            list,
            ..DnsView::default()
        }
    }

    fn report(self, summary: Summary) -> DnsReport {
        let mut names: Vec<DnsName> = self
            .entries
            .into_iter()
            .map(|((name, qtype), e)| DnsName {
                name,
                qtype: type_name(qtype).into_owned(),
                queries: e.queries,
                responses: e.responses,
                unanswered: e.unanswered,
                answers: e.answers,
                client_count: e.client_count,
                clients: e.clients,
            })
            .collect();
        let by_name = |a: &DnsName, b: &DnsName| a.name.cmp(&b.name).then(a.qtype.cmp(&b.qtype));
        match self.list.sort {
            NameSort::Queries => {
                names.sort_by(|a, b| b.queries.cmp(&a.queries).then(by_name(a, b)))
            }
            NameSort::Clients => {
                names.sort_by(|a, b| b.client_count.cmp(&a.client_count).then(by_name(a, b)))
            }
            NameSort::Name => names.sort_by(by_name),
        }
        let total_names = names.len();
        if let Some(top) = self.list.top {
            names.truncate(top);
        }
        DnsReport {
            schema_version: SCHEMA_VERSION,
            summary,
            names,
            total_names,
        }
    }
}

/// A DNS question as one NDJSON or CSV record: lists joined by spaces.
#[derive(Clone, Debug, Serialize)]
pub struct DnsRow<'a> {
    pub name: &'a str,
    #[serde(rename = "type")]
    pub qtype: &'a str,
    pub queries: u64,
    pub responses: String,
    pub unanswered: u64,
    pub answers: String,
    pub client_count: u64,
    pub clients: String,
}

impl Record for DnsRow<'_> {}

fn responses_text(responses: &std::collections::BTreeMap<&'static str, u64>) -> String {
    let parts: Vec<String> = responses
        .iter()
        .map(|(code, n)| format!("{code} {n}"))
        .collect();
    parts.join(", ")
}

impl Report for DnsReport {
    type Row<'a> = DnsRow<'a>;

    fn rows(&self) -> Rows<'_, DnsRow<'_>> {
        Box::new(self.names.iter().map(|n| {
            DnsRow {
                name: &n.name,
                qtype: &n.qtype,
                queries: n.queries,
                responses: responses_text(&n.responses),
                unanswered: n.unanswered,
                answers: n.answers.join(" "),
                client_count: n.client_count,
                clients: n
                    .clients
                    .iter()
                    .map(IpAddr::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
            }
        }))
    }

    fn text(&self) -> Text<'_> {
        let rows = self
            .names
            .iter()
            .map(|n| {
                let mut answers = n
                    .answers
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ");
                if n.answers.len() > 3 {
                    answers.push_str(&format!(" +{}", n.answers.len() - 3));
                }
                let mut responses = responses_text(&n.responses);
                if n.unanswered > 0 {
                    if !responses.is_empty() {
                        responses.push_str(", ");
                    }
                    responses.push_str(&format!("none {}", n.unanswered));
                }
                vec![
                    n.name.clone(),
                    n.qtype.clone(),
                    thousands(n.queries),
                    responses,
                    answers,
                    thousands(n.client_count),
                ]
            })
            .collect();
        Text::Tables(vec![TextTable {
            title: None,
            columns: vec![
                Column::text("Name").shortened_to(24),
                Column::text("Type"),
                Column::number("Queries"),
                Column::text("Responses"),
                Column::text("Answers").shortened_to(16).optional(),
                Column::number("Clients"),
            ],
            rows,
            empty: "no DNS queries",
        }])
    }
}
