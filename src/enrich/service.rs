//! Service names from port numbers (IANA's registry, the commonly seen part) and names of IP
//! protocols. Port-based names are a guess: payload-based identification comes later.

use std::borrow::Cow;

/// The IANA service name for a well-known or registered port, where commonly seen.
pub fn port_name(proto: u8, port: u16) -> Option<&'static str> {
    let udp = proto == 17;
    Some(match port {
        20 => "ftp-data",
        21 => "ftp",
        22 => "ssh",
        23 => "telnet",
        25 => "smtp",
        53 => "dns",
        67 | 68 => "dhcp",
        69 if udp => "tftp",
        80 => "http",
        88 => "kerberos",
        110 => "pop3",
        111 => "sunrpc",
        119 => "nntp",
        123 => "ntp",
        135 => "msrpc",
        137 => "netbios-ns",
        138 => "netbios-dgm",
        139 => "netbios-ssn",
        143 => "imap",
        161 | 162 => "snmp",
        179 => "bgp",
        389 => "ldap",
        443 if udp => "quic",
        443 => "https",
        445 => "smb",
        464 => "kpasswd",
        465 => "smtps",
        500 => "isakmp",
        514 if udp => "syslog",
        520 if udp => "rip",
        546 | 547 => "dhcpv6",
        554 => "rtsp",
        587 => "submission",
        631 => "ipp",
        636 => "ldaps",
        853 => "dns-over-tls",
        873 => "rsync",
        990 => "ftps",
        993 => "imaps",
        995 => "pop3s",
        1080 => "socks",
        1194 => "openvpn",
        1433 => "mssql",
        1434 => "mssql-monitor",
        1521 => "oracle",
        1701 => "l2tp",
        1723 => "pptp",
        1812 | 1813 => "radius",
        1883 => "mqtt",
        1900 if udp => "ssdp",
        2049 => "nfs",
        2181 => "zookeeper",
        2375 | 2376 => "docker",
        3260 => "iscsi",
        3268 | 3269 => "ldap-gc",
        3306 => "mysql",
        3389 => "rdp",
        3478 => "stun",
        4500 if udp => "ipsec-nat-t",
        4789 if udp => "vxlan",
        5060 => "sip",
        5061 => "sips",
        5222 => "xmpp",
        5353 if udp => "mdns",
        5355 => "llmnr",
        5432 => "postgresql",
        5671 | 5672 => "amqp",
        5900 => "vnc",
        5985 | 5986 => "winrm",
        6081 if udp => "geneve",
        6379 => "redis",
        6443 => "kubernetes-api",
        8080 => "http-alt",
        8443 => "https-alt",
        8883 => "mqtts",
        9092 => "kafka",
        9200 => "elasticsearch",
        10250 => "kubelet",
        11211 => "memcached",
        27017 => "mongodb",
        _ => return None,
    })
}

/// IP protocols by number and name: the services of flows without ports, and the names
/// filters take (`proto gre`).
pub const IP_PROTOCOLS: [(u8, &str); 14] = [
    (1, "icmp"),
    (2, "igmp"),
    (4, "ipip"),
    (6, "tcp"),
    (17, "udp"),
    (41, "ipv6-in-ipv4"),
    (47, "gre"),
    (50, "esp"),
    (51, "ah"),
    (58, "icmpv6"),
    (89, "ospf"),
    (103, "pim"),
    (112, "vrrp"),
    (132, "sctp"),
];

/// The name of an IP protocol, where it has one in [`IP_PROTOCOLS`].
pub fn ip_protocol_name(proto: u8) -> Option<&'static str> {
    IP_PROTOCOLS
        .iter()
        .find(|(number, _)| *number == proto)
        .map(|(_, name)| *name)
}

/// The name of an IP protocol without ports.
pub fn proto_service(proto: u8) -> Cow<'static, str> {
    match ip_protocol_name(proto) {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(format!("ip-proto-{proto}")),
    }
}

/// The service of a flow: the name of its responder's port, else of its initiator's (for
/// flows seen from the middle), else `proto/port`; protocols without ports by their name.
pub fn service_name(proto: u8, ports: Option<(u16, u16)>) -> Cow<'static, str> {
    match ports {
        Some((src, dst)) => match port_name(proto, dst).or_else(|| port_name(proto, src)) {
            Some(name) => Cow::Borrowed(name),
            None => Cow::Owned(format!("{}/{dst}", proto_service(proto))),
        },
        None => proto_service(proto),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_by_responder_then_initiator_port() {
        assert_eq!(service_name(6, Some((51514, 443))), "https");
        assert_eq!(service_name(17, Some((51514, 443))), "quic");
        assert_eq!(service_name(17, Some((53, 40000))), "dns");
        assert_eq!(service_name(6, Some((40000, 40001))), "tcp/40001");
        assert_eq!(service_name(1, None), "icmp");
        assert_eq!(service_name(47, None), "gre");
        assert_eq!(service_name(200, None), "ip-proto-200");
    }
}
