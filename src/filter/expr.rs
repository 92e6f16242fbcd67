//! The `--filter` expression language, in the spirit of nfdump's and tcpdump's:
//!
//! ```text
//! expr      := term (("or" | "||") term)*
//! term      := factor (("and" | "&&") factor)*
//! factor    := ("not" | "!") factor | "(" expr ")" | condition
//! condition := "proto" NAME|NUMBER            tcp, udp, icmp, icmpv6, gre, esp, 47, ...
//!            | [END] ("host" | "net") ADDRESS|CIDR
//!            | [END] "port" [CMP] NUMBER
//!            | [END] "country" CC              ISO 3166 alpha-2, either case
//!            | [END] "label" NAME               private, loopback, azure-wireserver, public, ...
//!            | "service" NAME                   tls, http, dns, ssh, https, tcp/8443, ...
//!            | "name" GLOB                      server name: login.example.com, *.example.com
//!            | "state" NAME                     a TCP state: S0, SF, REJ, ...
//!            | ("bytes" | "packets" | "payload") CMP NUMBER[k|M|G|KiB|MiB|GiB]
//!            | "duration" CMP NUMBER[ms|s|m|h]
//!            | ("since" | "until") TIME        RFC 3339, or +DURATION after the capture's start
//!            | "any"
//! END       := "src" | "dst"                    without it, either end matches
//! CMP       := "=" | "==" | "!=" | "<" | "<=" | ">" | ">="
//! ```
//!
//! Keywords are case-insensitive. A value holding spaces or operator characters is written in
//! double quotes (`name "my host"`, `service "a\"b"`; `\"` and `\\` escape), and is then
//! always a value, never a keyword. Errors point at the column where the expression went wrong.

use std::fmt;

use super::{Cmp, End, Expr, IpNet, Predicate, Quantity};
use crate::enrich::CountryCode;
use crate::enrich::service::IP_PROTOCOLS;

/// A bad expression: where, and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based character column in the expression.
    pub column: usize,
    pub message: String,
    pub expression: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    /// The expression with a caret under the offending column, for a terminal.
    pub fn pointer(&self) -> String {
        format!(
            "  {}\n  {}^",
            self.expression,
            " ".repeat(self.column.saturating_sub(1))
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Word(String),
    /// A double-quoted value, unescaped.
    Quoted(String),
    Op(&'static str),
    Open,
    Close,
    End,
}

#[derive(Clone, Debug)]
struct Token {
    kind: Kind,
    column: usize,
}

fn tokenize(text: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let op = match two.as_str() {
            "==" => Some("=="),
            "!=" => Some("!="),
            "<=" => Some("<="),
            ">=" => Some(">="),
            "&&" => Some("&&"),
            "||" => Some("||"),
            _ => None,
        };
        if let Some(op) = op {
            tokens.push(Token {
                kind: Kind::Op(op),
                column,
            });
            i += 2;
            continue;
        }
        if c == '"' {
            let mut value = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        return Err(ParseError {
                            column,
                            message: "the quote opened here is never closed".into(),
                            expression: text.to_string(),
                        });
                    }
                    Some('"') => break,
                    Some('\\') if matches!(chars.get(i + 1), Some('"' | '\\')) => {
                        value.push(chars[i + 1]);
                        i += 2;
                    }
                    Some(&other) => {
                        value.push(other);
                        i += 1;
                    }
                }
            }
            tokens.push(Token {
                kind: Kind::Quoted(value),
                column,
            });
            i += 1;
            continue;
        }
        let kind = match c {
            '(' => Kind::Open,
            ')' => Kind::Close,
            '=' => Kind::Op("="),
            '<' => Kind::Op("<"),
            '>' => Kind::Op(">"),
            '!' => Kind::Op("!"),
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !"()=!<>&|\"".contains(chars[i])
                {
                    i += 1;
                }
                if i == start {
                    // A lone '&' or '|'.
                    i += 1;
                }
                tokens.push(Token {
                    kind: Kind::Word(chars[start..i].iter().collect()),
                    column,
                });
                continue;
            }
        };
        tokens.push(Token { kind, column });
        i += 1;
    }
    tokens.push(Token {
        kind: Kind::End,
        column: chars.len() + 1,
    });
    Ok(tokens)
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    text: &'a str,
    depth: usize,
}

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

/// Parse a filter expression.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    let mut parser = Parser {
        tokens: tokenize(text)?,
        at: 0,
        text,
        depth: 0,
    };
    if parser.peek().kind == Kind::End {
        return Err(parser.error_here("the expression is empty"));
    }
    let expr = parser.expr()?;
    match &parser.peek().kind {
        Kind::End => Ok(expr),
        Kind::Close => Err(parser.error_here("')' without a matching '('")),
        _ => Err(parser.error_here("expected 'and', 'or' or the end of the expression")),
    }
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.at.min(self.tokens.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let token = self.peek().clone();
        if self.at < self.tokens.len() - 1 {
            self.at += 1;
        }
        token
    }

    fn error_at(&self, column: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            column,
            message: message.into(),
            expression: self.text.to_string(),
        }
    }

    fn error_here(&self, message: impl Into<String>) -> ParseError {
        self.error_at(self.peek().column, message)
    }

    /// Whether the next token is one of these keywords; a quoted word never is.
    fn keyword(&self, words: &[&str]) -> bool {
        matches!(&self.peek().kind, Kind::Word(w) if words.iter().any(|k| w.eq_ignore_ascii_case(k)))
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.term()?;
        while self.keyword(&["or"]) || self.peek().kind == Kind::Op("||") {
            self.next();
            let right = self.term()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.factor()?;
        while self.keyword(&["and"]) || self.peek().kind == Kind::Op("&&") {
            self.next();
            let right = self.factor()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here(format!("nested more than {MAX_DEPTH} deep")));
        }
        let result = if self.keyword(&["not"]) || self.peek().kind == Kind::Op("!") {
            self.next();
            self.factor().map(|e| Expr::Not(Box::new(e)))
        } else if self.peek().kind == Kind::Open {
            let open = self.next();
            let inner = self.expr()?;
            if self.peek().kind != Kind::Close {
                return Err(self.error_here(format!(
                    "expected ')' to close the '(' at column {}",
                    open.column
                )));
            }
            self.next();
            Ok(inner)
        } else {
            self.condition()
        };
        self.depth -= 1;
        result
    }

    /// The next token as a word, or an error saying what was wanted.
    fn word(&mut self, wanted: &str) -> Result<(String, usize), ParseError> {
        let token = self.next();
        match token.kind {
            Kind::Word(w) | Kind::Quoted(w) => Ok((w, token.column)),
            Kind::End => Err(self.error_at(
                token.column,
                format!("expected {wanted}, found the end of the expression"),
            )),
            _ => Err(self.error_at(token.column, format!("expected {wanted}"))),
        }
    }

    fn cmp(&mut self, optional: bool) -> Result<Cmp, ParseError> {
        let cmp = match &self.peek().kind {
            Kind::Op("=") | Kind::Op("==") => Cmp::Eq,
            Kind::Op("!=") => Cmp::Ne,
            Kind::Op("<") => Cmp::Lt,
            Kind::Op("<=") => Cmp::Le,
            Kind::Op(">") => Cmp::Gt,
            Kind::Op(">=") => Cmp::Ge,
            _ if optional => return Ok(Cmp::Eq),
            _ => return Err(self.error_here("expected a comparison: = != < <= > >=")),
        };
        self.next();
        Ok(cmp)
    }

    fn condition(&mut self) -> Result<Expr, ParseError> {
        if let Kind::Quoted(value) = &self.peek().kind {
            return Err(self.error_here(format!(
                "\"{value}\" is a quoted value where a condition was expected (such as name \"{value}\")"
            )));
        }
        let (word, column) = self.word("a condition such as 'proto tcp' or 'port 443'")?;
        let keyword = word.to_ascii_lowercase();
        let (end, keyword, column) = match keyword.as_str() {
            "src" | "dst" => {
                let end = if keyword == "src" { End::Src } else { End::Dst };
                let (next, next_column) = self.word("host, net, port, country or label")?;
                (end, next.to_ascii_lowercase(), next_column)
            }
            _ => (End::Either, keyword, column),
        };
        let pred = match keyword.as_str() {
            "any" | "all" if end == End::Either => return Ok(Expr::Any),
            "host" | "net" | "ip" => {
                let (text, at) = self.word("an IP address or CIDR network")?;
                let net: IpNet = text.parse().map_err(|e: String| self.error_at(at, e))?;
                Predicate::Host(end, net)
            }
            "port" => {
                let cmp = self.cmp(true)?;
                let (text, at) = self.word("a port number")?;
                let port = text.parse::<u16>().map_err(|_| {
                    self.error_at(at, format!("'{text}' is not a port number (0 to 65535)"))
                })?;
                Predicate::Port(end, cmp, port)
            }
            "country" => {
                let (text, at) = self.word("a two-letter country code")?;
                let code = CountryCode::parse(&text).ok_or_else(|| {
                    self.error_at(
                        at,
                        format!("'{text}' is not a two-letter country code (ISO 3166)"),
                    )
                })?;
                Predicate::Country(end, code)
            }
            "label" => Predicate::Label(end, self.word("a label such as private or public")?.0),
            _ if end != End::Either => {
                return Err(self.error_at(
                    column,
                    format!(
                        "'{keyword}' cannot follow src/dst (host, net, port, country or label can)"
                    ),
                ));
            }
            "proto" => {
                let (text, at) = self.word("a protocol name or number")?;
                let proto = proto_number(&text).ok_or_else(|| {
                    self.error_at(at, format!("unknown protocol '{text}' (tcp, udp, icmp, icmpv6, gre, esp, or a number)"))
                })?;
                Predicate::Proto(proto)
            }
            "service" => Predicate::Service(self.word("a service name")?.0),
            "name" => Predicate::Name(self.word("a server name or glob such as *.example.com")?.0),
            "since" | "until" => {
                let (text, at) =
                    self.word("a time (RFC 3339, or +10m after the capture's start)")?;
                let bound: super::TimeBound =
                    text.parse().map_err(|e: String| self.error_at(at, e))?;
                if keyword == "since" {
                    Predicate::Since(bound)
                } else {
                    Predicate::Until(bound)
                }
            }
            "state" => Predicate::TcpState(self.word("a TCP state such as SF or REJ")?.0),
            "bytes" | "packets" | "payload" | "duration" => {
                let cmp = self.cmp(false)?;
                let (text, at) = self.word("a number")?;
                let (quantity, value) = if keyword == "duration" {
                    (Quantity::Duration, super::time::parse_duration(&text))
                } else {
                    let quantity = match keyword.as_str() {
                        "bytes" => Quantity::Bytes,
                        "packets" => Quantity::Packets,
                        _ => Quantity::Payload,
                    };
                    (quantity, parse_size(&text))
                };
                let value = value.ok_or_else(|| {
                    let units = if keyword == "duration" {
                        "a duration such as 500ms, 30s, 5m, 1h"
                    } else {
                        "a number, optionally with k, M, G, KiB, MiB or GiB"
                    };
                    self.error_at(at, format!("'{text}' is not {units}"))
                })?;
                Predicate::Compare(quantity, cmp, value)
            }
            _ => {
                return Err(self.error_at(
                    column,
                    format!(
                        "unknown condition '{word}' (expected proto, host, net, port, country, label, service, state, bytes, packets, payload, duration, since, until, src, dst, not or '(')"
                    ),
                ));
            }
        };
        Ok(Expr::Pred(pred))
    }
}

/// An IP protocol by name or number.
pub fn proto_number(text: &str) -> Option<u8> {
    if text.eq_ignore_ascii_case("ipv6-icmp") {
        return Some(58);
    }
    IP_PROTOCOLS
        .iter()
        .find(|(_, name)| name.eq_ignore_ascii_case(text))
        .map(|(number, _)| *number)
        .or_else(|| text.parse().ok())
}

/// "1500", "10k", "1.5M", "2G", "64KiB" -> bytes or packets.
pub fn parse_size(text: &str) -> Option<u64> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    let scale = match unit {
        "" => 1.0,
        "k" | "K" | "kB" | "KB" => 1e3,
        "M" | "MB" => 1e6,
        "G" | "GB" => 1e9,
        "T" | "TB" => 1e12,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let v = value * scale;
    (0.0..=1.8e19).contains(&v).then_some(v.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (usize, String) {
        let e = parse(text).unwrap_err();
        (e.column, e.message)
    }

    #[test]
    fn precedence_and_grouping() {
        let e = parse("proto tcp and port 443 or not country us").unwrap();
        let Expr::Or(left, right) = e else {
            panic!("{e:?}")
        };
        assert!(matches!(*left, Expr::And(_, _)));
        assert!(matches!(*right, Expr::Not(_)));
        let e = parse("proto tcp && (port 80 || port 443)").unwrap();
        assert!(matches!(e, Expr::And(_, _)));
        assert_eq!(
            parse("dst port >= 1024").unwrap(),
            Expr::Pred(Predicate::Port(End::Dst, Cmp::Ge, 1024))
        );
        assert_eq!(
            parse("bytes > 1.5M").unwrap(),
            Expr::Pred(Predicate::Compare(Quantity::Bytes, Cmp::Gt, 1_500_000))
        );
        assert_eq!(
            parse("duration >= 5m").unwrap(),
            Expr::Pred(Predicate::Compare(
                Quantity::Duration,
                Cmp::Ge,
                300_000_000_000
            ))
        );
        assert_eq!(
            parse("SRC NET 10.0.0.0/8").unwrap(),
            Expr::Pred(Predicate::Host(End::Src, "10.0.0.0/8".parse().unwrap()))
        );
        assert_eq!(parse("any").unwrap(), Expr::Any);
        assert!(matches!(
            parse("since 2026-01-01T10:00:00Z and until +10m").unwrap(),
            Expr::And(_, _)
        ));
    }

    #[test]
    fn errors_point_at_the_offending_column() {
        assert_eq!(err("proto tcp and dst port https").0, 24);
        assert!(
            err("proto tcp and dst port https")
                .1
                .contains("'https' is not a port")
        );
        assert_eq!(err("proto tcp and").0, 14);
        assert!(err("proto tcp and").1.contains("end of the expression"));
        assert_eq!(err("(proto tcp").0, 11);
        assert!(err("(proto tcp").1.contains("column 1"));
        assert_eq!(err("proto tcp)").0, 10);
        assert_eq!(err("country usa").0, 9);
        assert_eq!(err("bytes 100").0, 7);
        assert_eq!(err("src proto tcp").0, 5);
        assert_eq!(err("frobnicate 3").0, 1);
        assert_eq!(err("proto tcp port 80").0, 11);
        assert_eq!(err("").0, 1);
        assert_eq!(err("host 10.0.0.0/40").0, 6);
        assert_eq!(err("since yesterday").0, 7);
        let deep = format!("{}any{}", "(".repeat(100), ")".repeat(100));
        assert!(err(&deep).1.contains("nested"));
        assert_eq!(err("name \"abc").0, 6);
        assert!(err("name \"abc").1.contains("never closed"));
        assert_eq!(err("\"proto\" tcp").0, 1);
        let e = parse("port x").unwrap_err();
        assert_eq!(e.pointer(), "  port x\n       ^");
    }

    #[test]
    fn quoted_values_are_values_never_syntax() {
        assert_eq!(
            parse("name \"x or proto tcp\"").unwrap(),
            Expr::Pred(Predicate::Name("x or proto tcp".into()))
        );
        assert_eq!(
            parse("service \"a\\\"b\\\\\" and state \"not\"").unwrap(),
            Expr::And(
                Box::new(Expr::Pred(Predicate::Service("a\"b\\".into()))),
                Box::new(Expr::Pred(Predicate::TcpState("not".into())))
            )
        );
        // A quote ends a bare word, as an operator character does: no value is half quoted.
        assert!(parse("name a\"b c\"").is_err());
    }

    #[test]
    fn sizes_and_protocols() {
        assert_eq!(parse_size("1500"), Some(1500));
        assert_eq!(parse_size("10k"), Some(10_000));
        assert_eq!(parse_size("64KiB"), Some(65_536));
        assert_eq!(parse_size("x"), None);
        assert_eq!(proto_number("ICMPv6"), Some(58));
        assert_eq!(proto_number("47"), Some(47));
        assert_eq!(proto_number("bogus"), None);
    }
}
