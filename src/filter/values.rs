//! Values of closed sets in a filter are checked before anything is read, so that a typo is an
//! error that lists what was meant instead of a filter that silently selects nothing: service
//! names (every name ca-cli prints, and the port names people type for identified protocols),
//! TCP states, country codes and address labels.

use super::{Expr, Predicate};
use crate::enrich::iso3166;
use crate::enrich::service::{IP_PROTOCOLS, port_name};
use crate::enrich::special;
use crate::flow::tcp_state::STATES;

/// Services the payload names (`identify`), beside the port names of `enrich::service`.
pub const IDENTIFIED_SERVICES: &[&str] = &[
    "bittorrent",
    "dhcp",
    "dhcpv6",
    "dns",
    "ftp",
    "http",
    "imap",
    "kerberos",
    "ldap",
    "mqtt",
    "mysql",
    "netbios-dgm",
    "ntp",
    "pop3",
    "postgresql",
    "quic",
    "rdp",
    "rtsp",
    "sip",
    "smb",
    "smtp",
    "ssdp",
    "ssh",
    "tls",
];

/// Names people type for a service that ca-cli names otherwise, and the services each selects
/// (besides itself): IANA's port names for protocols the payload identifies.
pub const SERVICE_ALIASES: &[(&str, &[&str])] = &[
    ("https", &["tls", "quic"]),
    ("domain", &["dns"]),
    ("www", &["http"]),
    ("www-http", &["http"]),
    ("http-alt", &["http"]),
    ("https-alt", &["tls"]),
    ("bootps", &["dhcp"]),
    ("bootpc", &["dhcp"]),
    ("ms-wbt-server", &["rdp"]),
    ("microsoft-ds", &["smb"]),
    ("postgres", &["postgresql"]),
    ("submission", &["smtp"]),
    ("imap4", &["imap"]),
];

/// Whether a flow whose service is `service` is selected by `service QUERY`.
pub fn service_matches(query: &str, service: &str) -> bool {
    service.eq_ignore_ascii_case(query)
        || SERVICE_ALIASES
            .iter()
            .find(|(alias, _)| alias.eq_ignore_ascii_case(query))
            .is_some_and(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(service)))
}

/// Every name a flow's service can have, but the `tcp/PORT` kind: identified, port names, IP
/// protocols, and the aliases.
fn known_services() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = IDENTIFIED_SERVICES.to_vec();
    for proto in [6, 17] {
        names.extend((0..=u16::MAX).filter_map(|port| port_name(proto, port)));
    }
    names.extend(IP_PROTOCOLS.iter().map(|(_, name)| *name));
    names.extend(SERVICE_ALIASES.iter().map(|(alias, _)| *alias));
    names.sort_unstable();
    names.dedup();
    names
}

/// `tcp/8443`, `udp/17500`, `ip-proto-200`: the names of ports and protocols without one.
fn is_numbered_service(name: &str) -> bool {
    let numbered = |prefix: &str| {
        name.strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.parse::<u16>().is_ok())
    };
    IP_PROTOCOLS
        .iter()
        .any(|(_, proto)| numbered(&format!("{proto}/")))
        || numbered("ip-proto-")
}

/// Check every value of `expr`: `Err` says which value is wrong and what it could be.
pub fn check(expr: &Expr) -> Result<(), String> {
    match expr {
        Expr::Any => Ok(()),
        Expr::Pred(predicate) => check_predicate(predicate),
        Expr::Not(e) => check(e),
        Expr::And(a, b) | Expr::Or(a, b) => check(a).and_then(|()| check(b)),
    }
}

fn check_predicate(predicate: &Predicate) -> Result<(), String> {
    match predicate {
        Predicate::Service(name) => {
            let lower = name.to_ascii_lowercase();
            let known = known_services();
            if known.binary_search(&lower.as_str()).is_ok() || is_numbered_service(&lower) {
                return Ok(());
            }
            Err(format!(
                "unknown service '{name}'{} (any name ca-cli prints; tcp/PORT or udp/PORT for others)",
                crate::suggest::closest(&lower, &known)
            ))
        }
        Predicate::TcpState(state) => {
            if STATES.iter().any(|s| s.eq_ignore_ascii_case(state)) {
                return Ok(());
            }
            Err(format!(
                "unknown TCP state '{state}' (one of {})",
                STATES.join(", ")
            ))
        }
        Predicate::Country(_, code) => {
            if iso3166::is_known(code.as_str()) {
                return Ok(());
            }
            Err(format!(
                "'{code}' is not an ISO 3166 country code (a label such as private is `label private`)"
            ))
        }
        Predicate::Label(_, label) => match special::filter_label(label) {
            Some(_) => Ok(()),
            None => Err(format!(
                "unknown label '{label}' (one of {})",
                special::filter_labels()
            )),
        },
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::parse;

    fn error_of(text: &str) -> String {
        check(&parse(text).unwrap()).unwrap_err()
    }

    #[test]
    fn names_people_type_select_the_identified_service() {
        assert!(service_matches("https", "tls"));
        assert!(service_matches("HTTPS", "quic"));
        assert!(service_matches("https", "https"));
        assert!(service_matches("domain", "dns"));
        assert!(
            !service_matches("tls", "https"),
            "tls is what the payload showed"
        );
        assert!(!service_matches("https", "http"));
    }

    #[test]
    fn unknown_values_are_errors_that_say_what_was_meant() {
        for ok in [
            "service https",
            "service tls",
            "service udp/17500",
            "service ip-proto-200",
            "service icmpv6",
            "state rstos0",
            "country fr",
            "label private",
            "not label public",
        ] {
            assert_eq!(check(&parse(ok).unwrap()), Ok(()), "{ok}");
        }
        assert_eq!(
            error_of("service htps"),
            "unknown service 'htps': did you mean https, ftps? (any name ca-cli prints; tcp/PORT or udp/PORT for others)"
        );
        assert!(error_of("port 1 or service xyzzy").starts_with("unknown service 'xyzzy' ("));
        assert_eq!(
            error_of("state FOO"),
            format!("unknown TCP state 'FOO' (one of {})", STATES.join(", "))
        );
        assert!(error_of("country ZZ").starts_with("'ZZ' is not an ISO 3166 country code"));
        assert!(error_of("not src label privat").starts_with("unknown label 'privat' (one of "));
    }
}
