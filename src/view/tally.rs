//! Counting flows, packets and bytes into named buckets, shared by the aggregate views.

use rustc_hash::FxHashMap;

use serde::Serialize;

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
