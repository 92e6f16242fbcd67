//! Protocols told by their first bytes: text protocols (HTTP, SIP, SSDP, RTSP, SSH and the
//! mail and file-transfer banners) and binary handshakes (RDP, SMB, MQTT, Kerberos, LDAP,
//! PostgreSQL, MySQL, NTP, DHCP, DHCPv6, BitTorrent). Each check is written to reject
//! ordinary payloads of other protocols: a wrong name is worse than the port's guess.

use super::bytes::{Reader, concat, first_line, host_name, printable};

/// What a first payload says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    pub service: &'static str,
    pub server_name: Option<String>,
    pub detail: Option<String>,
}

impl Found {
    fn named(service: &'static str) -> Found {
        Found {
            service,
            ..Found::default()
        }
    }

    fn with_detail(service: &'static str, detail: impl Into<String>) -> Found {
        Found {
            service,
            detail: Some(detail.into()),
            ..Found::default()
        }
    }
}

const HTTP_METHODS: [&str; 16] = [
    "GET",
    "POST",
    "HEAD",
    "PUT",
    "DELETE",
    "OPTIONS",
    "PATCH",
    "CONNECT",
    "TRACE",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
];

/// A request line `METHOD TARGET PROTOCOL/x.y` of an HTTP-like protocol. Only the method and
/// protocol are checked byte by byte: targets run to kilobytes and are not needed.
fn request_line(line: &[u8]) -> Option<(&str, &[u8], &str)> {
    let first_space = line.iter().take(17).position(|&b| b == b' ')?;
    let last_space = memchr::memrchr(b' ', line)?;
    if last_space <= first_space + 1 {
        return None;
    }
    let method = &line[..first_space];
    let version = &line[last_space + 1..];
    if method.is_empty()
        || !method.iter().all(|b| b.is_ascii_uppercase() || *b == b'-')
        || version.len() > 16
    {
        return None;
    }
    let target = &line[first_space + 1..last_space];
    Some((
        crate::ascii::ascii_str(method)?,
        target,
        printable(version)?,
    ))
}

/// The Host and User-Agent values of an HTTP-like head, in one pass over its lines.
fn host_and_agent(head: &[u8]) -> (Option<&str>, Option<&str>) {
    let (mut host, mut agent) = (None, None);
    for line in memchr::memchr_iter(b'\n', head)
        .scan(0, |start, end| {
            let line = &head[*start..end];
            *start = end + 1;
            Some(line)
        })
        .skip(1)
    {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() || (host.is_some() && agent.is_some()) {
            break;
        }
        // Only "Host" and "User-Agent" are read: other headers are passed at their first byte.
        if !matches!(line[0] | 0x20, b'h' | b'u') {
            continue;
        }
        let Some(colon) = line.iter().take(32).position(|&b| b == b':') else {
            continue;
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if host.is_none() && name.eq_ignore_ascii_case(b"host") {
            host = printable(value).map(str::trim);
        } else if agent.is_none() && name.eq_ignore_ascii_case(b"user-agent") {
            agent = printable(value).map(str::trim);
        }
    }
    (host, agent)
}

/// The name in a Host header: without its port, IPv6 literals without their brackets.
fn host_of(header: &str) -> Option<String> {
    let name = match header.strip_prefix('[') {
        Some(v6) => {
            let inside = v6.split(']').next()?;
            return inside
                .parse::<std::net::Ipv6Addr>()
                .ok()
                .map(|a| a.to_string());
        }
        None => header.rsplit_once(':').map_or(header, |(n, _)| n),
    };
    host_name(name.as_bytes()).map(str::to_ascii_lowercase)
}

/// Whether all headers have arrived (or as many as we wait for).
fn head_complete(data: &[u8]) -> bool {
    data.windows(4).any(|w| w == b"\r\n\r\n") || data.windows(2).any(|w| w == b"\n\n")
}

/// The text protocols a client starts.
pub fn client_text(data: &[u8], udp: bool) -> Option<Found> {
    // Every request and banner starts with a capital letter: binary payloads stop here.
    if !data.first()?.is_ascii_uppercase() {
        return None;
    }
    let line = first_line(data)?;
    if let Some(banner) = line.strip_prefix(b"SSH-") {
        return ssh(banner);
    }
    let (method, target, version) = request_line(line)?;
    if version.starts_with("HTTP/1.") && udp && matches!(method, "M-SEARCH" | "NOTIFY") {
        return Some(Found {
            service: "ssdp",
            server_name: host_and_agent(data).0.and_then(host_of),
            detail: Some(method.to_string()),
        });
    }
    if version == "SIP/2.0" && target.starts_with(b"sip") {
        return Some(Found::with_detail("sip", method));
    }
    if version.starts_with("RTSP/1.") {
        return Some(Found::with_detail("rtsp", method));
    }
    if version.starts_with("HTTP/1.") && !udp && HTTP_METHODS.contains(&method) {
        let (host, agent) = host_and_agent(data);
        let host = host.and_then(host_of);
        if host.is_none() && !head_complete(data) && data.len() < 8192 {
            return None; // wait for the headers
        }
        let detail = match agent {
            Some(agent) => concat(&[method, ", ", agent]),
            None => method.to_string(),
        };
        return Some(Found {
            service: "http",
            server_name: host,
            detail: Some(detail),
        });
    }
    None
}

/// Whether `data` could still become a client text request, so waiting for more makes sense:
/// a first line still arriving that starts like one, or an HTTP request whose headers are.
pub fn client_text_pending(data: &[u8]) -> bool {
    if data.len() >= 8192 {
        return false;
    }
    match first_line(data) {
        None => HTTP_METHODS
            .iter()
            .chain(&["SSH-"])
            .any(|m| data.starts_with(m.as_bytes()) || m.as_bytes().starts_with(data)),
        Some(line) => {
            request_line(line).is_some_and(|(method, _, version)| {
                version.starts_with("HTTP/1.") && HTTP_METHODS.contains(&method)
            }) && !head_complete(data)
        }
    }
}

fn ssh(banner: &[u8]) -> Option<Found> {
    let text = printable(banner)?;
    (text.starts_with("2.0-") || text.starts_with("1.99-") || text.starts_with("1.5-"))
        .then(|| Found::with_detail("ssh", format!("SSH-{text}")))
}

/// The text protocols a server starts, or answers with.
pub fn server_text(data: &[u8], udp: bool) -> Option<Found> {
    // Status lines and banners: SSH-, HTTP/, SIP/, RTSP/, 220, +OK, * OK.
    if !matches!(data.first()?, b'S' | b'H' | b'R' | b'2' | b'+' | b'*') {
        return None;
    }
    let line = first_line(&data[..data.len().min(1024)])?;
    if let Some(banner) = line.strip_prefix(b"SSH-") {
        return ssh(banner);
    }
    let text = printable(line)?;
    if let Some(status) = text.strip_prefix("HTTP/1.") {
        let code = status.get(2..5)?;
        if !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(if udp {
            Found::named("ssdp")
        } else {
            Found::with_detail("http", concat(&["HTTP/1.", status.get(..1)?]))
        });
    }
    if text.starts_with("SIP/2.0 ") {
        return Some(Found::named("sip"));
    }
    if text.starts_with("RTSP/1.") {
        return Some(Found::named("rtsp"));
    }
    let upper = text.to_ascii_uppercase();
    if let Some(rest) = text.strip_prefix("220") {
        if !(rest.starts_with(' ') || rest.starts_with('-')) {
            return None;
        }
        if upper.contains("SMTP") || upper.contains("MAIL") || upper.contains("POSTFIX") {
            return Some(Found::with_detail("smtp", rest[1..].trim()));
        }
        if upper.contains("FTP") {
            return Some(Found::with_detail("ftp", rest[1..].trim()));
        }
        return None;
    }
    if text.starts_with("+OK")
        && (upper.contains("POP") || upper.contains("READY") || text.len() <= 64)
    {
        return Some(Found::with_detail("pop3", text[3..].trim()));
    }
    if (text.starts_with("* OK") || text.starts_with("* PREAUTH")) && upper.contains("IMAP") {
        return Some(Found::with_detail("imap", text[4..].trim()));
    }
    None
}

/// RDP: a TPKT header then an X.224 connection request carrying the RDP cookie or negotiation.
pub fn rdp(data: &[u8]) -> Option<Found> {
    let mut r = Reader::new(data);
    if r.u8()? != 3 || r.u8()? != 0 {
        return None;
    }
    let len = usize::from(r.u16()?);
    let li = usize::from(r.u8()?);
    let code = r.u8()?;
    if len < 11 || len > data.len().max(len.min(4096)) || li + 5 != len || code != 0xe0 {
        return None;
    }
    let rest = data.get(11..len)?;
    let cookie = rest.starts_with(b"Cookie: mstshash=") || rest.starts_with(b"Cookie: msts=");
    let negotiation = rest.len() >= 8 && rest[rest.len() - 8] == 1 && rest[rest.len() - 6] == 8;
    (cookie || negotiation || rest.is_empty()).then(|| Found::named("rdp"))
}

/// SMB over NetBIOS session service or direct TCP: a 4-byte length then the SMB signature.
pub fn smb(data: &[u8]) -> Option<Found> {
    let len = u32::from_be_bytes([0, *data.get(1)?, *data.get(2)?, *data.get(3)?]) as usize;
    if data[0] != 0 || len < 32 {
        return None;
    }
    match data.get(4..8)? {
        [0xfe, b'S', b'M', b'B'] => Some(Found::with_detail("smb", "SMB2/3")),
        [0xff, b'S', b'M', b'B'] => Some(Found::with_detail("smb", "SMB1")),
        [0xfd, b'S', b'M', b'B'] => Some(Found::with_detail("smb", "SMB3 encrypted")),
        _ => None,
    }
}

/// MQTT: a CONNECT packet naming the protocol.
pub fn mqtt(data: &[u8]) -> Option<Found> {
    let mut r = Reader::new(data);
    if r.u8()? != 0x10 {
        return None;
    }
    for _ in 0..4 {
        if r.u8()? & 0x80 == 0 {
            break;
        }
    }
    let name = r.vector(2)?;
    let level = r.u8()?;
    match name {
        b"MQTT" => Some(Found::with_detail(
            "mqtt",
            match level {
                4 => "MQTT 3.1.1",
                5 => "MQTT 5",
                _ => "MQTT",
            },
        )),
        b"MQIsdp" => Some(Found::with_detail("mqtt", "MQTT 3.1")),
        _ => None,
    }
}

/// Kerberos: an application-tagged message (AS/TGS request or reply, AP request, error) whose
/// first field is pvno = 5. Over TCP a 4-byte length comes first.
pub fn kerberos(data: &[u8], tcp: bool) -> Option<Found> {
    let body = if tcp { data.get(4..)? } else { data };
    let tag = *body.first()?;
    if !matches!(tag, 0x6a | 0x6b | 0x6c | 0x6d | 0x6e | 0x6f | 0x7e) {
        return None;
    }
    let window = body.get(..body.len().min(24))?;
    window
        .windows(5)
        .any(|w| w == [0xa0, 0x03, 0x02, 0x01, 0x05] || w == [0xa1, 0x03, 0x02, 0x01, 0x05])
        .then(|| Found::named("kerberos"))
}

/// LDAP: a BER SEQUENCE holding a message ID and an application-tagged operation.
pub fn ldap(data: &[u8]) -> Option<Found> {
    let mut r = Reader::new(data);
    if r.u8()? != 0x30 {
        return None;
    }
    let first = r.u8()?;
    let len = match first {
        0..=0x7f => usize::from(first),
        0x81 => usize::from(r.u8()?),
        0x82 => usize::from(r.u16()?),
        0x84 => r.u32()? as usize,
        _ => return None,
    };
    if len < 5 {
        return None;
    }
    if r.u8()? != 0x02 {
        return None;
    }
    let id_len = usize::from(r.u8()?);
    if !(1..=4).contains(&id_len) {
        return None;
    }
    r.skip(id_len)?;
    let op = r.u8()?;
    // bindRequest 0x60 ... extendedResponse 0x78, with unbind/abandon/delete primitive forms.
    ((0x60..=0x79).contains(&op) || matches!(op, 0x42 | 0x4a | 0x50)).then(|| Found::named("ldap"))
}

/// PostgreSQL: a startup message (protocol 3.0), or an SSL/GSS encryption request.
pub fn postgresql(data: &[u8]) -> Option<Found> {
    let mut r = Reader::new(data);
    let len = r.u32()?;
    let code = r.u32()?;
    match code {
        0x0003_0000 if (8..10_000).contains(&len) => Some(Found::named("postgresql")),
        0x04d2_162f | 0x04d2_1630 if len == 8 => {
            Some(Found::with_detail("postgresql", "encryption request"))
        }
        _ => None,
    }
}

/// MySQL: the server's greeting (protocol 10) with its version string.
pub fn mysql_greeting(data: &[u8]) -> Option<Found> {
    let mut r = Reader::new(data);
    let le = r.take(3)?; // MySQL packet lengths are little-endian
    let len = usize::from(le[0]) | usize::from(le[1]) << 8 | usize::from(le[2]) << 16;
    if r.u8()? != 0 || r.u8()? != 10 || !(20..1024).contains(&len) {
        return None;
    }
    let rest = r.rest();
    let end = rest.iter().position(|&b| b == 0)?;
    let version = printable(&rest[..end])?;
    version
        .starts_with(|c: char| c.is_ascii_digit())
        .then(|| Found::with_detail("mysql", version))
}

/// NTP (versions 1 to 4): a 48-byte header (extensions and MACs may follow) with a valid mode.
pub fn ntp(data: &[u8]) -> Option<Found> {
    let first = *data.first()?;
    let version = (first >> 3) & 7;
    let mode = first & 7;
    (data.len() >= 48 && (1..=4).contains(&version) && (1..=5).contains(&mode))
        .then(|| Found::with_detail("ntp", format!("NTPv{version}")))
}

/// DHCP: a BOOTP message on Ethernet with the DHCP magic cookie.
pub fn dhcp(data: &[u8]) -> Option<Found> {
    let op = *data.first()?;
    ((op == 1 || op == 2) && data.get(236..240)? == [0x63, 0x82, 0x53, 0x63])
        .then(|| Found::named("dhcp"))
}

/// DHCPv6: a client/server message whose options parse to the end.
pub fn dhcpv6(data: &[u8]) -> Option<Found> {
    let kind = *data.first()?;
    if !(1..=13).contains(&kind) || matches!(kind, 12 | 13) {
        return None;
    }
    let mut r = Reader::new(data.get(4..)?);
    let mut options = 0;
    while r.remaining() > 0 {
        let code = r.u16()?;
        r.vector(2)?;
        if code == 0 || code > 200 {
            return None;
        }
        options += 1;
    }
    (options > 0).then(|| Found::named("dhcpv6"))
}

/// A NetBIOS datagram service message (RFC 1002 §4.4): type, flags, ID, source address and
/// port, then (for direct datagrams) the length of what follows.
pub fn netbios_datagram(data: &[u8]) -> Option<Found> {
    let kind = *data.first()?;
    let flags = *data.get(1)?;
    ((0x10..=0x16).contains(&kind) && flags & 0xf0 == 0 && data.len() >= 10)
        .then(|| Found::named("netbios-dgm"))
}

/// BitTorrent's peer handshake.
pub fn bittorrent(data: &[u8]) -> Option<Found> {
    data.starts_with(b"\x13BitTorrent protocol")
        .then(|| Found::named("bittorrent"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_requests_with_host_and_agent() {
        let found = client_text(
            b"GET /x HTTP/1.1\r\nHost: WWW.Example.com:8080\r\nUser-Agent: curl/8.5.0\r\n\r\n",
            false,
        )
        .unwrap();
        assert_eq!(found.service, "http");
        assert_eq!(found.server_name.as_deref(), Some("www.example.com"));
        assert_eq!(found.detail.as_deref(), Some("GET, curl/8.5.0"));
        // Headers still arriving: wait.
        assert_eq!(
            client_text(b"GET / HTTP/1.1\r\nAccept: */*\r\n", false),
            None
        );
        assert!(client_text_pending(b"GE"));
        assert!(!client_text_pending(b"\x16\x03\x01"));
    }

    #[test]
    fn banners() {
        assert_eq!(
            server_text(b"SSH-2.0-OpenSSH_9.6\r\n", false)
                .unwrap()
                .detail
                .as_deref(),
            Some("SSH-2.0-OpenSSH_9.6")
        );
        assert_eq!(
            server_text(b"220 mx.example.com ESMTP Postfix\r\n", false)
                .unwrap()
                .service,
            "smtp"
        );
        assert_eq!(
            server_text(b"220 (vsFTPd 3.0.5)\r\n", false)
                .unwrap()
                .service,
            "ftp"
        );
        assert_eq!(
            server_text(b"* OK [CAPABILITY IMAP4rev1] ready\r\n", false)
                .unwrap()
                .service,
            "imap"
        );
        assert_eq!(
            server_text(b"+OK POP3 ready\r\n", false).unwrap().service,
            "pop3"
        );
        assert_eq!(
            server_text(b"HTTP/1.1 200 OK\r\n", true).unwrap().service,
            "ssdp"
        );
        assert_eq!(server_text(b"220 hello\r\n", false), None);
    }

    #[test]
    fn binary_handshakes() {
        let mut rdp_cr = vec![3, 0, 0, 0x2b, 0x26, 0xe0, 0, 0, 0, 0, 0];
        rdp_cr.extend_from_slice(b"Cookie: mstshash=user\r\n");
        rdp_cr.extend_from_slice(&[1, 0, 8, 0, 3, 0, 0, 0]);
        rdp_cr[3] = rdp_cr.len() as u8;
        rdp_cr[4] = (rdp_cr.len() - 5) as u8;
        assert_eq!(rdp(&rdp_cr).unwrap().service, "rdp");
        assert_eq!(
            smb(&[0, 0, 0, 100, 0xfe, b'S', b'M', b'B'])
                .unwrap()
                .service,
            "smb"
        );
        assert_eq!(
            mqtt(&[0x10, 0x10, 0, 4, b'M', b'Q', b'T', b'T', 4])
                .unwrap()
                .detail
                .as_deref(),
            Some("MQTT 3.1.1")
        );
        assert_eq!(
            postgresql(&[0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f])
                .unwrap()
                .service,
            "postgresql"
        );
        let mut greeting = vec![0x4a, 0, 0, 0, 10];
        greeting.extend_from_slice(b"8.0.36\0");
        greeting.extend_from_slice(&[0; 60]);
        assert_eq!(
            mysql_greeting(&greeting).unwrap().detail.as_deref(),
            Some("8.0.36")
        );
        let mut ntp_packet = vec![0x23];
        ntp_packet.extend_from_slice(&[0; 47]);
        assert_eq!(ntp(&ntp_packet).unwrap().detail.as_deref(), Some("NTPv4"));
        let mut bootp = vec![1, 1, 6, 0];
        bootp.resize(236, 0);
        bootp.extend_from_slice(&[0x63, 0x82, 0x53, 0x63, 53, 1, 1, 255]);
        assert_eq!(dhcp(&bootp).unwrap().service, "dhcp");
        assert_eq!(
            ldap(&[
                0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03, 0x04, 0, 0x80, 0
            ])
            .unwrap()
            .service,
            "ldap"
        );
        assert_eq!(
            kerberos(
                &[0x6a, 0x81, 0x80, 0x30, 0x7d, 0xa1, 0x03, 0x02, 0x01, 0x05],
                false
            )
            .unwrap()
            .service,
            "kerberos"
        );
    }
}
