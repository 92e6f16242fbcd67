//! A filter tree written back as expression text, for the summary line.
//!
//! The text parses back to an equivalent tree: `or` groups are always parenthesised (so they
//! can sit inside an `and` or a `not`), and a value that the tokenizer would split or read as
//! syntax is double-quoted.

use std::fmt;

use super::{Cmp, End, Expr, Predicate, Quantity, TimeBound};
use crate::capture::{Precision, Timestamp};
use crate::enrich::service::ip_protocol_name;

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Any => f.write_str("any"),
            Expr::Pred(p) => write!(f, "{p}"),
            Expr::Not(inner) => match **inner {
                Expr::And(..) => write!(f, "not ({inner})"),
                // `or` parenthesises itself.
                _ => write!(f, "not {inner}"),
            },
            Expr::And(..) => {
                let mut operands = Vec::new();
                flatten(self, &mut operands, |e| match e {
                    Expr::And(a, b) => Some((a, b)),
                    _ => None,
                });
                join(f, &operands, " and ")
            }
            Expr::Or(..) => {
                let mut operands = Vec::new();
                flatten(self, &mut operands, |e| match e {
                    Expr::Or(a, b) => Some((a, b)),
                    _ => None,
                });
                f.write_str("(")?;
                join(f, &operands, " or ")?;
                f.write_str(")")
            }
        }
    }
}

/// The operands of a chain of one binary operator, left to right.
fn flatten<'e>(
    expr: &'e Expr,
    out: &mut Vec<&'e Expr>,
    split: impl Fn(&'e Expr) -> Option<(&'e Expr, &'e Expr)> + Copy,
) {
    match split(expr) {
        Some((a, b)) => {
            flatten(a, out, split);
            flatten(b, out, split);
        }
        None => out.push(expr),
    }
}

fn join(f: &mut fmt::Formatter<'_>, operands: &[&Expr], separator: &str) -> fmt::Result {
    for (i, operand) in operands.iter().enumerate() {
        if i > 0 {
            f.write_str(separator)?;
        }
        write!(f, "{operand}")?;
    }
    Ok(())
}

impl fmt::Display for Predicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Predicate::Proto(number) => match ip_protocol_name(*number) {
                Some(name) => write!(f, "proto {name}"),
                None => write!(f, "proto {number}"),
            },
            Predicate::Host(end, net) => write!(f, "{}host {net}", end_prefix(*end)),
            Predicate::Port(end, Cmp::Eq, port) => write!(f, "{}port {port}", end_prefix(*end)),
            Predicate::Port(end, cmp, port) => {
                write!(f, "{}port {} {port}", end_prefix(*end), cmp_text(*cmp))
            }
            Predicate::Country(end, code) => write!(f, "{}country {code}", end_prefix(*end)),
            Predicate::Label(end, label) => {
                write!(f, "{}label {}", end_prefix(*end), Value(label))
            }
            Predicate::Service(name) => write!(f, "service {}", Value(name)),
            Predicate::Name(glob) => write!(f, "name {}", Value(glob)),
            Predicate::TcpState(state) => write!(f, "state {}", Value(state)),
            Predicate::Compare(Quantity::Duration, cmp, nanos) => {
                write!(f, "duration {} {}", cmp_text(*cmp), Duration(*nanos))
            }
            Predicate::Compare(quantity, cmp, value) => {
                let name = match quantity {
                    Quantity::Bytes => "bytes",
                    Quantity::Packets => "packets",
                    Quantity::Payload => "payload",
                    Quantity::Duration => "duration",
                };
                write!(f, "{name} {} {value}", cmp_text(*cmp))
            }
            Predicate::Since(bound) => write!(f, "since {bound}"),
            Predicate::Until(bound) => write!(f, "until {bound}"),
        }
    }
}

impl fmt::Display for TimeBound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeBound::At(ts) => write!(f, "{}", ts.rfc3339(shortest_precision(*ts))),
            TimeBound::AfterStart(nanos) => write!(f, "+{}", Duration(*nanos)),
        }
    }
}

/// The fewest fractional digits (0, 3, 6 or 9) that keep `ts` exact.
fn shortest_precision(ts: Timestamp) -> Precision {
    let subsec = ts.as_nanos().rem_euclid(1_000_000_000);
    let digits = [0u32, 3, 6, 9]
        .into_iter()
        .find(|&d| subsec % 10i64.pow(9 - d) == 0)
        .unwrap_or(9);
    Precision::digits(digits)
}

fn end_prefix(end: End) -> &'static str {
    match end {
        End::Either => "",
        End::Src => "src ",
        End::Dst => "dst ",
    }
}

fn cmp_text(cmp: Cmp) -> &'static str {
    match cmp {
        Cmp::Eq => "=",
        Cmp::Ne => "!=",
        Cmp::Lt => "<",
        Cmp::Le => "<=",
        Cmp::Gt => ">",
        Cmp::Ge => ">=",
    }
}

/// A duration in the largest unit that keeps it exact.
struct Duration(u64);

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nanos = self.0;
        if nanos.is_multiple_of(1_000_000_000) {
            write!(f, "{}s", nanos / 1_000_000_000)
        } else if nanos.is_multiple_of(1_000_000) {
            write!(f, "{}ms", nanos / 1_000_000)
        } else if nanos.is_multiple_of(1_000) {
            write!(f, "{}us", nanos / 1_000)
        } else {
            write!(f, "{}.{:09}s", nanos / 1_000_000_000, nanos % 1_000_000_000)
        }
    }
}

/// A free-text value (a service, label, state or server-name glob), quoted when the tokenizer
/// would otherwise split it or read part of it as an operator.
struct Value<'a>(&'a str);

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let plain = !text.is_empty()
            && !text
                .chars()
                .any(|c| c.is_whitespace() || "()=!<>&|\"\\".contains(c));
        if plain {
            return f.write_str(text);
        }
        f.write_str("\"")?;
        for c in text.chars() {
            if c == '"' || c == '\\' {
                f.write_str("\\")?;
            }
            write!(f, "{c}")?;
        }
        f.write_str("\"")
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    #[test]
    fn text_parses_back_to_the_same_tree() {
        for text in [
            "proto tcp",
            "(proto tcp or proto udp) and port 443",
            "not (port 80 and proto tcp)",
            "not (port 80 or port 443)",
            "not not proto 200",
            "src host 10.0.0.0/8 and dst port >= 1024 and dst country US",
            "label azure-wireserver and src label public",
            "bytes > 1500 and packets <= 3 and payload != 0",
            "duration >= 5m and duration < 250ms and duration > 1.5us",
            "since 2026-01-01T10:00:00Z and until 2026-01-01T10:00:00.25Z",
            "since +10m and until +0.000000001s",
            "(proto tcp and port 80 or proto udp and port 53)",
            "name \"x or proto tcp\" and service \"x)\" and state \"a\\\"b\\\\c\"",
            "name \"\"",
            "any",
        ] {
            let tree = parse(text).unwrap();
            let shown = tree.to_string();
            assert_eq!(parse(&shown).unwrap(), tree, "{text} -> {shown}");
        }
    }

    #[test]
    fn readable_forms() {
        let show = |text: &str| parse(text).unwrap().to_string();
        assert_eq!(show("PROTO TCP || proto 17"), "(proto tcp or proto udp)");
        assert_eq!(
            show("(port 1 or port 2) or port 3"),
            "(port 1 or port 2 or port 3)"
        );
        assert_eq!(show("duration > 5m"), "duration > 300s");
        assert_eq!(show("bytes >= 10k"), "bytes >= 10000");
        assert_eq!(show("since +90s"), "since +90s");
        assert_eq!(
            show("since 2026-01-01T12:00:00+02:00"),
            "since 2026-01-01T10:00:00Z"
        );
        assert_eq!(show("name *.example.com"), "name *.example.com");
        assert_eq!(
            Expr::Pred(Predicate::Name("x or proto tcp".into())).to_string(),
            "name \"x or proto tcp\""
        );
    }
}
