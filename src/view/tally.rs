//! Counting flows, packets and bytes into named buckets, shared by the aggregate views.

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::cells::{bytes, percent, thousands};
use super::report::{Column, Record, TextTable};
use crate::enrich::service::proto_service;

/// Flows, packets and bytes of one bucket, and its share of the total bytes.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Share {
    pub name: String,
    /// Service rows only: `true` when the name is the port's guess (no payload confirmed it),
    /// `false` when the payload (or, for flows without ports, the IP protocol) named it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_guess: Option<bool>,
    pub flows: u64,
    pub packets: u64,
    pub bytes: u64,
    /// Fraction of the selected bytes, 0 to 1.
    pub share: f64,
}

/// Buckets keyed by name, in first-seen order until sorted.
#[derive(Clone, Default)]
pub struct Tally {
    index: FxHashMap<String, usize>,
    rows: Vec<Share>,
}

impl Tally {
    pub fn add(&mut self, name: &str, flows: u64, packets: u64, bytes: u64) {
        self.add_row(name, name, None, flows, packets, bytes);
    }

    /// A service's row: `label` tells a port's guess from a confirmed name of the same
    /// service (`dns (port)` and `dns` are two rows); the row carries the bare `name`.
    pub fn add_service(
        &mut self,
        label: &str,
        name: &str,
        port_guess: bool,
        flows: u64,
        packets: u64,
        bytes: u64,
    ) {
        self.add_row(label, name, Some(port_guess), flows, packets, bytes);
    }

    fn add_row(
        &mut self,
        key: &str,
        name: &str,
        port_guess: Option<bool>,
        flows: u64,
        packets: u64,
        bytes: u64,
    ) {
        let i = match self.index.get(key) {
            Some(&i) => i,
            None => {
                self.rows.push(Share {
                    name: name.to_string(),
                    port_guess,
                    ..Share::default()
                });
                self.index.insert(key.to_string(), self.rows.len() - 1);
                self.rows.len() - 1
            }
        };
        let row = &mut self.rows[i];
        row.flows += flows;
        row.packets += packets;
        row.bytes += bytes;
    }

    /// Rows by bytes (then packets, then name), largest first, with shares of `total_bytes`.
    pub fn into_sorted(self, total_bytes: u64) -> Vec<Share> {
        let mut rows = self.rows;
        for row in &mut rows {
            row.share = fraction(row.bytes, total_bytes);
        }
        rows.sort_by(|a, b| {
            b.bytes
                .cmp(&a.bytes)
                .then(b.packets.cmp(&a.packets))
                .then(a.name.cmp(&b.name))
        });
        rows
    }
}

pub fn fraction(part: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        part as f64 / total as f64
    }
}

/// A row of a view made of several named lists, for NDJSON and CSV.
#[derive(Clone, Debug, Serialize)]
pub struct SectionRow<'a> {
    pub section: Cow<'a, str>,
    pub name: Cow<'a, str>,
    /// Service rows: whether the name is the port's guess.
    pub port_guess: Option<bool>,
    pub country: Option<&'a str>,
    pub flows: u64,
    pub packets: Option<u64>,
    pub bytes: Option<u64>,
    pub share: Option<f64>,
}

impl Record for SectionRow<'_> {}

pub(crate) fn share_rows<'a>(
    section: &'a str,
    shares: &'a [Share],
) -> impl Iterator<Item = SectionRow<'a>> {
    shares.iter().map(move |s| SectionRow {
        section: Cow::Borrowed(section),
        name: Cow::Borrowed(&s.name),
        port_guess: s.port_guess,
        country: None,
        flows: s.flows,
        packets: Some(s.packets),
        bytes: Some(s.bytes),
        share: Some(s.share),
    })
}

/// A protocol as people know it: `igmp` rather than the number the JSON carries for it.
pub(crate) fn proto_label(name: &str) -> String {
    match name.parse::<u8>() {
        Ok(number) => format!("{} ({number})", proto_service(number)),
        Err(_) => name.to_string(),
    }
}

pub(crate) fn share_table(
    title: &str,
    first: &'static str,
    shares: &[Share],
    limit: Option<usize>,
) -> TextTable {
    let shown = limit.unwrap_or(usize::MAX).min(shares.len());
    let protocols = first == "Protocol";
    let mut rows: Vec<Vec<String>> = shares[..shown]
        .iter()
        .map(|s| {
            vec![
                if protocols {
                    proto_label(&s.name)
                } else if s.port_guess == Some(true) {
                    format!("{} (port)", s.name)
                } else {
                    s.name.clone()
                },
                thousands(s.flows),
                thousands(s.packets),
                bytes(s.bytes),
                percent(s.share),
            ]
        })
        .collect();
    if shown < shares.len() {
        let rest = &shares[shown..];
        rows.push(vec![
            format!("({} more)", rest.len()),
            thousands(rest.iter().map(|s| s.flows).sum()),
            thousands(rest.iter().map(|s| s.packets).sum()),
            bytes(rest.iter().map(|s| s.bytes).sum()),
            percent(rest.iter().map(|s| s.share).sum()),
        ]);
    }
    TextTable {
        title: Some(title.to_string()),
        columns: vec![
            Column::text(first).shortened_to(20),
            Column::number("Flows"),
            Column::number("Packets"),
            Column::number("Bytes"),
            Column::number("Share"),
        ],
        rows,
        empty: "  (none)",
    }
}
