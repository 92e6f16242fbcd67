//! Filters: which flows a view looks at. Command-line options and `--filter` expressions both
//! become one [`Expr`], evaluated on each enriched flow.

mod display;
mod expr;
mod net;
mod time;
mod values;

use crate::capture::Timestamp;
use crate::enrich::{AddressInfo, CountryCode};
use crate::flow::Flow;

pub use expr::{ParseError, parse, parse_size, proto_number};
pub use net::IpNet;
pub use time::{TimeBound, parse_duration};
pub use values::{IDENTIFIED_SERVICES, SERVICE_ALIASES, check as check_values, service_matches};

/// Which end of a flow a condition looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Either,
    Src,
    Dst,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn holds<T: PartialOrd>(self, left: T, right: T) -> bool {
        match self {
            Cmp::Eq => left == right,
            Cmp::Ne => left != right,
            Cmp::Lt => left < right,
            Cmp::Le => left <= right,
            Cmp::Gt => left > right,
            Cmp::Ge => left >= right,
        }
    }
}

/// Per-flow quantities that can be compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// Bytes both ways.
    Bytes,
    Packets,
    /// Transport payload bytes both ways.
    Payload,
    /// Nanoseconds from first to last packet.
    Duration,
}

/// One condition on a flow.
#[derive(Clone, Debug, PartialEq)]
pub enum Predicate {
    Proto(u8),
    Host(End, IpNet),
    Port(End, Cmp, u16),
    Country(End, CountryCode),
    /// A special-range label (`private`, `azure-wireserver`, ...) or `public` for none.
    Label(End, String),
    Service(String),
    /// A glob (`*`, `?`) over the flow's server name, case-insensitive.
    Name(String),
    TcpState(String),
    Compare(Quantity, Cmp, u64),
    /// The flow was active at or after this time.
    Since(TimeBound),
    /// The flow was active at or before this time.
    Until(TimeBound),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Any,
    Pred(Predicate),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    pub fn and(self, other: Expr) -> Expr {
        match (self, other) {
            (Expr::Any, e) | (e, Expr::Any) => e,
            (a, b) => Expr::And(Box::new(a), Box::new(b)),
        }
    }

    /// Alternatives; `Any` when there are none.
    pub fn any_of(alternatives: impl IntoIterator<Item = Expr>) -> Expr {
        alternatives
            .into_iter()
            .reduce(|a, b| Expr::Or(Box::new(a), Box::new(b)))
            .unwrap_or(Expr::Any)
    }
}

/// A flow as filters see it.
#[derive(Clone, Copy, Debug)]
pub struct FlowFacts<'a> {
    pub flow: &'a Flow,
    pub src: &'a AddressInfo,
    pub dst: &'a AddressInfo,
    pub service: &'a str,
    /// First packet of the capture, for relative times (`+10m`).
    pub capture_start: Option<Timestamp>,
}

impl Expr {
    pub fn matches(&self, facts: &FlowFacts<'_>) -> bool {
        match self {
            Expr::Any => true,
            Expr::Pred(p) => p.matches(facts),
            Expr::Not(e) => !e.matches(facts),
            Expr::And(a, b) => a.matches(facts) && b.matches(facts),
            Expr::Or(a, b) => a.matches(facts) || b.matches(facts),
        }
    }
}

fn either(end: End, src: bool, dst: bool) -> bool {
    match end {
        End::Either => src || dst,
        End::Src => src,
        End::Dst => dst,
    }
}

impl Predicate {
    fn matches(&self, f: &FlowFacts<'_>) -> bool {
        let flow = f.flow;
        let (src, dst) = (flow.src(), flow.dst());
        match self {
            Predicate::Proto(p) => flow.key.proto == *p,
            Predicate::Host(end, net) => {
                either(*end, net.contains(src.addr), net.contains(dst.addr))
            }
            Predicate::Port(end, cmp, port) => {
                flow.key.has_ports()
                    && either(*end, cmp.holds(src.port, *port), cmp.holds(dst.port, *port))
            }
            Predicate::Country(end, code) => either(
                *end,
                f.src.country == Some(*code),
                f.dst.country == Some(*code),
            ),
            Predicate::Label(end, label) => {
                let has = |info: &AddressInfo| match info.label {
                    Some(l) => l.eq_ignore_ascii_case(label),
                    None => label.eq_ignore_ascii_case(crate::enrich::special::PUBLIC),
                };
                either(*end, has(f.src), has(f.dst))
            }
            Predicate::Service(name) => service_matches(name, f.service),
            Predicate::Name(pattern) => flow
                .app
                .as_ref()
                .and_then(|app| app.info.server_name.as_deref())
                .is_some_and(|name| glob_matches(pattern.as_bytes(), name.as_bytes())),
            Predicate::TcpState(state) => flow
                .tcp_state()
                .is_some_and(|s| s.eq_ignore_ascii_case(state)),
            Predicate::Compare(quantity, cmp, value) => {
                let actual = match quantity {
                    Quantity::Bytes => flow.total_bytes(),
                    Quantity::Packets => flow.total_packets(),
                    Quantity::Payload => {
                        flow.counters[0].payload_bytes + flow.counters[1].payload_bytes
                    }
                    Quantity::Duration => flow.duration_nanos(),
                };
                cmp.holds(actual, *value)
            }
            Predicate::Since(bound) => bound
                .resolve(f.capture_start)
                .is_none_or(|t| flow.last_seen >= t),
            Predicate::Until(bound) => bound
                .resolve(f.capture_start)
                .is_none_or(|t| flow.first_seen <= t),
        }
    }
}

/// Whether `text` matches the glob `pattern` (`*`: any run, `?`: any one byte), ignoring ASCII
/// case. Linear in practice: a `*` only ever backtracks to its last position.
pub fn glob_matches(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c.eq_ignore_ascii_case(&text[t]) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod glob_tests {
    use super::glob_matches;

    #[test]
    fn globs() {
        for (pattern, text, expected) in [
            ("*.example.com", "login.example.com", true),
            ("*.example.com", "example.com", false),
            ("*.EXAMPLE.com", "a.b.example.com", true),
            (
                "login.microsoftonline.com",
                "login.microsoftonline.com",
                true,
            ),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("*", "", true),
            ("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        ] {
            assert_eq!(
                glob_matches(pattern.as_bytes(), text.as_bytes()),
                expected,
                "{pattern} {text}"
            );
        }
    }
}
