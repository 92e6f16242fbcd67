//! Which application protocol a flow carries, told by the first payload bytes of each
//! direction (the port's guess is only the fallback), and the name of the server it talks to:
//! TLS and QUIC server names, HTTP hosts, DNS queries, and names that DNS answers seen earlier
//! in the capture give to addresses.
//!
//! Inspection is bounded: a few payload packets per direction, a few KiB kept per direction
//! for a message split over segments, then the state is freed. DNS flows are read on (up to
//! a bound) because each message carries names.

mod bytes;
pub mod dns;
mod identifier;
mod inspector;
mod loan;
pub mod md5;
pub mod quic;
mod signatures;
pub mod tls;
mod worker;

use std::net::IpAddr;
use std::sync::Arc;

pub use identifier::Identifier;
pub use inspector::Slot;
pub use loan::Loan;
pub use md5::Digest as Fingerprint;
use signatures::Found;
use tls::Parsed;

/// Payload packets inspected per direction (DNS flows excepted). The flow table hands no more
/// to identification, so a side ends after them even while the other side goes on.
pub(crate) const PACKETS_PER_SIDE: u8 = 4;
/// Bytes of a direction's stream kept while a message is incomplete.
const STREAM_BYTES: usize = 16 * 1024;
/// DNS messages read per flow.
const DNS_MESSAGES: usize = 128;
/// DNS questions a flow keeps for the DNS view.
const DNS_EXCHANGES: usize = 64;

/// Where a flow's server name comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameSource {
    /// The TLS ClientHello's server name indication.
    Tls,
    /// The server name in a QUIC Initial packet's ClientHello.
    Quic,
    /// The HTTP Host header.
    Http,
    /// The name a DNS flow asks about.
    Query,
    /// A DNS answer seen earlier in the capture for the server's address.
    Dns,
}

impl NameSource {
    pub fn as_str(self) -> &'static str {
        match self {
            NameSource::Tls => "tls",
            NameSource::Quic => "quic",
            NameSource::Http => "http",
            NameSource::Query => "query",
            NameSource::Dns => "dns",
        }
    }
}

/// One DNS question of a flow, and its answer if one was seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsExchange {
    pub id: u16,
    pub name: Arc<str>,
    pub qtype: u16,
    /// The response code; `None` while (or if) no response was seen.
    pub rcode: Option<u8>,
    /// Addresses and aliases answered.
    pub answers: Vec<dns::Answer>,
}

/// What identification found out about a flow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppInfo {
    /// The protocol the payload shows (`None`: not identified; the port's guess applies).
    pub service: Option<&'static str>,
    pub server_name: Option<Arc<str>>,
    pub name_source: Option<NameSource>,
    /// Version, software or request details ("TLS 1.3, h2", "GET, curl/8.5.0", ...); DNS
    /// flows describe their first question ("A NOERROR") once inspection ends.
    detail: Option<Box<str>>,
    /// The client's TLS fingerprint (JA3, also from a QUIC Initial's ClientHello).
    pub ja3: Option<Fingerprint>,
    /// The server's TLS fingerprint (JA3S).
    pub ja3s: Option<Fingerprint>,
    /// The questions of a DNS flow, kept for the DNS view only ([`Payload::dns_details`]).
    pub dns: Vec<DnsExchange>,
}

impl AppInfo {
    /// Version, software or request details: "TLS 1.3, h2", "GET, curl/8.5.0", "A NOERROR".
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }
}

/// A packet's payload, as identification sees it.
#[derive(Clone, Copy, Debug)]
pub struct Payload<'a> {
    pub data: &'a [u8],
    /// Sent by the flow's initiator (the client).
    pub from_client: bool,
    pub tcp: bool,
    /// TCP sequence number of the first payload byte.
    pub seq: u32,
    pub client_port: u16,
    pub server_port: u16,
    /// Keep every DNS answer, aliases included, for the DNS view (flows need only the
    /// questions and the addresses answered).
    pub dns_details: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Direction {
    /// In-order TCP payload from the first segment (UDP datagrams are read one by one).
    stream: Vec<u8>,
    next_seq: Option<u32>,
    packets: u8,
    /// DNS over TCP: messages of the stream already read.
    messages: usize,
    /// Nothing more to learn from this direction.
    done: bool,
}

/// A flow's identification: its findings, and the inspection state while it goes on (boxed
/// apart, so a flow keeps only its findings once inspection ends).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct App {
    pub info: AppInfo,
    state: Option<Box<Inspection>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Inspection {
    sides: [Direction; 2],
    quic: Option<Box<quic::ClientInitials>>,
    /// A DNS flow's first question: it names the flow and describes it.
    first_question: Option<FirstQuestion>,
    /// DNS messages read.
    dns_messages: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct FirstQuestion {
    id: u16,
    name: Arc<str>,
    qtype: u16,
    rcode: Option<u8>,
}

impl Default for App {
    fn default() -> App {
        App {
            info: AppInfo::default(),
            state: Some(Box::default()),
        }
    }
}

impl App {
    /// Findings made elsewhere (a DNS answer naming the server), with no inspection to do.
    pub fn found(info: AppInfo) -> App {
        App { info, state: None }
    }

    /// Nothing found, and nothing to inspect.
    pub fn idle() -> App {
        App::found(AppInfo::default())
    }

    /// Whether payload is still being inspected.
    pub fn inspecting(&self) -> bool {
        self.state.is_some()
    }

    /// The inspection state (present while [`App::inspecting`]).
    fn sides(&mut self) -> Option<&mut [Direction; 2]> {
        self.state.as_mut().map(|s| &mut s.sides)
    }

    /// Look at one packet's payload. DNS answers that name addresses go to `names`.
    pub fn inspect(&mut self, payload: &Payload<'_>, names: &mut Vec<(IpAddr, Arc<str>)>) {
        if payload.data.is_empty() {
            return;
        }
        let side = usize::from(!payload.from_client);
        let dns = self.is_dns();
        let Some(sides) = self.sides() else {
            return;
        };
        let direction = &mut sides[side];
        if direction.done || (direction.packets >= PACKETS_PER_SIDE && !dns) {
            return;
        }
        direction.packets = direction.packets.saturating_add(1);
        // A stream's first segment is read where it lies, and kept only if more must come;
        // later ones are appended. The stream is moved out while the parsers read it.
        let first_segment = payload.tcp && direction.next_seq.is_none() && payload.data.len() > 1;
        let stream = if payload.tcp && !first_segment {
            append_in_order(direction, payload);
            std::mem::take(&mut direction.stream)
        } else {
            Vec::new()
        };
        let data = if payload.tcp && !first_segment {
            &stream[..]
        } else {
            payload.data
        };
        if data.is_empty() {
            return;
        }
        let verdict = self.step(data, payload, names);
        if payload.tcp
            && let Some(sides) = self.sides()
        {
            if first_segment {
                if matches!(verdict, Step::Wait) {
                    append_in_order(&mut sides[side], payload);
                }
            } else {
                sides[side].stream = stream;
            }
        }
        match verdict {
            Step::Wait => {}
            Step::SideDone => {
                if let Some(sides) = self.sides() {
                    sides[side].done = true;
                }
            }
            Step::Finished => self.close(),
        }
        let exhausted = |d: &Direction| d.done || d.packets >= PACKETS_PER_SIDE;
        if !self.is_dns()
            && self
                .sides()
                .is_some_and(|sides| sides.iter().all(exhausted))
        {
            self.close();
        }
    }

    /// Whether the payload showed DNS: such flows are read on past [`PACKETS_PER_SIDE`].
    fn is_dns(&self) -> bool {
        matches!(self.info.service, Some("dns" | "mdns" | "llmnr"))
    }

    /// Whether inspection found nothing: the flow need not keep it.
    pub fn is_empty(&self) -> bool {
        !self.inspecting() && self.info == AppInfo::default()
    }

    /// Stop inspecting (the flow is over, or nothing more can be learnt) and free the state.
    pub fn close(&mut self) {
        if let Some(first) = self.state.take().and_then(|s| s.first_question) {
            let rcode = first.rcode.map_or("no response", dns::rcode_name);
            let qtype = dns::type_name(first.qtype);
            let mut detail = String::with_capacity(qtype.len() + 1 + rcode.len());
            detail.push_str(&qtype);
            detail.push(' ');
            detail.push_str(rcode);
            self.info.detail = Some(detail.into_boxed_str());
        }
    }

    fn step(&mut self, data: &[u8], p: &Payload<'_>, names: &mut Vec<(IpAddr, Arc<str>)>) -> Step {
        match self.info.service {
            None => self.identify(data, p, names),
            Some("tls") if !p.from_client => match tls::server_hello(data) {
                Parsed::Done(hello) => {
                    self.set_server_hello(hello);
                    Step::Finished
                }
                Parsed::Partial => Step::Wait,
                Parsed::No => Step::Finished,
            },
            Some("tls") if self.info.server_name.is_none() => self.tls_client(data),
            Some("quic") if p.from_client && self.info.server_name.is_none() => {
                self.quic_client(data)
            }
            Some("dns" | "mdns" | "llmnr") => {
                self.read_dns(data, p, names);
                let read = self.state.as_ref().map_or(DNS_MESSAGES, |s| s.dns_messages);
                if read >= DNS_MESSAGES {
                    Step::Finished
                } else {
                    Step::Wait
                }
            }
            Some(_) => Step::SideDone,
        }
    }

    fn identify(
        &mut self,
        data: &[u8],
        p: &Payload<'_>,
        names: &mut Vec<(IpAddr, Arc<str>)>,
    ) -> Step {
        if p.tcp {
            if tls::looks_like_handshake(data) || (data.len() < 3 && data.first() == Some(&22)) {
                return if p.from_client {
                    self.tls_client(data)
                } else {
                    match tls::server_hello(data) {
                        Parsed::Done(hello) => {
                            self.info.service = Some("tls");
                            self.set_server_hello(hello);
                            Step::Wait
                        }
                        Parsed::Partial => Step::Wait,
                        Parsed::No => Step::SideDone,
                    }
                };
            }
            if tls::looks_like_record(data) {
                // Application data of a connection whose handshake came before the capture.
                self.info.service = Some("tls");
                return Step::Finished;
            }
            let text = if p.from_client {
                signatures::client_text(data, false)
            } else {
                signatures::server_text(data, false)
            };
            let found = text
                .or_else(|| signatures::rdp(data))
                .or_else(|| signatures::smb(data))
                .or_else(|| signatures::mqtt(data))
                .or_else(|| signatures::postgresql(data).filter(|_| p.from_client))
                .or_else(|| signatures::mysql_greeting(data).filter(|_| !p.from_client))
                .or_else(|| signatures::kerberos(data, true).filter(|_| near(p, 88)))
                .or_else(|| signatures::ldap(data).filter(|_| near(p, 389) || near(p, 3268)))
                .or_else(|| signatures::bittorrent(data));
            if let Some(found) = found {
                return self.adopt(found);
            }
            if let Some(messages) = dns::parse_stream(data, p.dns_details).filter(|m| !m.is_empty())
                && (near(p, 53) || near(p, 5353))
            {
                self.info.service = Some("dns");
                if let Some(sides) = self.sides() {
                    sides[usize::from(!p.from_client)].messages = messages.len();
                }
                for message in messages {
                    self.note_dns(message, p.dns_details, names);
                }
                return Step::Wait;
            }
            if p.from_client && signatures::client_text_pending(data) {
                return Step::Wait;
            }
            return Step::SideDone;
        }
        // UDP: each datagram on its own. On the DNS ports a message may be cut after its
        // question (a large answer's first fragment); elsewhere it must parse whole.
        let dns_port = [53, 5353, 5355, 137].iter().any(|&port| near(p, port));
        let message = if dns_port {
            dns::parse_cut(data, p.dns_details)
        } else {
            dns::parse(data, p.dns_details)
        };
        if let Some(message) = message {
            let service = if near(p, 5353) {
                "mdns"
            } else if near(p, 5355) {
                "llmnr"
            } else if near(p, 137) {
                "netbios-ns"
            } else if near(p, 53) || message.question.is_some() {
                "dns"
            } else {
                return Step::SideDone;
            };
            self.info.service = Some(service);
            if service == "netbios-ns" {
                // NetBIOS names are encoded host names, not DNS names: identified, not read.
                return Step::Finished;
            }
            self.note_dns(message, p.dns_details, names);
            return Step::Wait;
        }
        if quic::long_header_version(data).is_some() {
            self.info.service = Some("quic");
            return if p.from_client {
                self.quic_client(data)
            } else {
                self.quic_server(data)
            };
        }
        let text = if p.from_client {
            signatures::client_text(data, true)
        } else {
            signatures::server_text(data, true)
        };
        let found = text
            .or_else(|| signatures::dhcp(data).filter(|_| near(p, 67) || near(p, 68)))
            .or_else(|| signatures::dhcpv6(data).filter(|_| near(p, 546) || near(p, 547)))
            .or_else(|| signatures::ntp(data).filter(|_| near(p, 123)))
            .or_else(|| signatures::netbios_datagram(data).filter(|_| near(p, 138)))
            .or_else(|| signatures::kerberos(data, false).filter(|_| near(p, 88)))
            .or_else(|| signatures::ldap(data).filter(|_| near(p, 389)));
        match found {
            Some(found) => self.adopt(found),
            None => Step::Wait,
        }
    }

    fn adopt(&mut self, found: Found) -> Step {
        self.info.service = Some(found.service);
        if let Some(name) = found.server_name {
            self.info.server_name = Some(name.into());
            self.info.name_source = Some(NameSource::Http);
        }
        // A server's answer only names the protocol; the client's request may still come.
        if self.info.server_name.is_none() && found.service == "http" {
            return Step::Wait;
        }
        if found.detail.is_some() {
            self.info.detail = found.detail.map(Into::into);
        }
        Step::SideDone
    }

    fn tls_client(&mut self, data: &[u8]) -> Step {
        match tls::client_hello(data) {
            Parsed::Done(hello) => {
                self.info.service = Some("tls");
                self.info.ja3 = Some(hello.ja3);
                if let Some(name) = hello.server_name {
                    self.info.server_name = Some(name.into());
                    self.info.name_source = Some(NameSource::Tls);
                }
                let version = tls::version_name(hello.version);
                let mut detail = String::with_capacity(
                    version.len()
                        + hello.alpn.iter().map(|p| p.len() + 1).sum::<usize>()
                        + usize::from(!hello.alpn.is_empty()),
                );
                detail.push_str(&version);
                for (i, protocol) in hello.alpn.iter().enumerate() {
                    detail.push_str(if i == 0 { ", " } else { " " });
                    detail.push_str(protocol);
                }
                self.info.detail = Some(detail.into_boxed_str());
                Step::SideDone
            }
            Parsed::Partial => Step::Wait,
            Parsed::No => Step::SideDone,
        }
    }

    /// The ServerHello's version replaces the highest one offered.
    fn set_server_hello(&mut self, hello: tls::ServerHello) {
        self.info.ja3s = Some(hello.ja3s);
        let chosen = tls::version_name(hello.version);
        let alpn = self
            .info
            .detail
            .as_deref()
            .and_then(|d| d.split_once(", "))
            .map(|(_, alpn)| alpn);
        let detail = match alpn {
            Some(alpn) => bytes::concat(&[&chosen, ", ", alpn]),
            None => chosen.into_owned(),
        };
        self.info.detail = Some(detail.into_boxed_str());
    }

    fn quic_client(&mut self, datagram: &[u8]) -> Step {
        let Some(state) = self.state.as_mut() else {
            return Step::Finished;
        };
        let initials = state.quic.get_or_insert_with(Default::default);
        let parsed = initials.feed(datagram);
        let version = initials.version;
        let mut detail = version.map(quic::version_name);
        let step = match parsed {
            Parsed::Done(hello) => {
                self.info.ja3 = Some(hello.ja3);
                if let Some(name) = hello.server_name {
                    self.info.server_name = Some(name.into());
                    self.info.name_source = Some(NameSource::Quic);
                }
                if let Some(d) = detail.as_mut()
                    && !hello.alpn.is_empty()
                {
                    d.push_str(", ");
                    d.push_str(&hello.alpn.join(" "));
                }
                if let Some(state) = self.state.as_mut() {
                    state.quic = None;
                }
                Step::SideDone
            }
            Parsed::Partial => Step::Wait,
            Parsed::No => Step::SideDone,
        };
        if detail.is_some() {
            self.info.detail = detail.map(Into::into);
        }
        step
    }

    fn quic_server(&mut self, datagram: &[u8]) -> Step {
        if self.info.detail.is_none() {
            self.info.detail = quic::long_header_version(datagram)
                .map(quic::version_name)
                .map(Into::into);
        }
        Step::SideDone
    }

    fn read_dns(&mut self, data: &[u8], p: &Payload<'_>, names: &mut Vec<(IpAddr, Arc<str>)>) {
        if p.tcp {
            // The stream so far: read the messages that are new.
            if let Some(messages) = dns::parse_stream(data, p.dns_details) {
                let side = usize::from(!p.from_client);
                let Some(sides) = self.sides() else {
                    return;
                };
                let seen = sides[side].messages;
                sides[side].messages = messages.len();
                for message in messages.into_iter().skip(seen) {
                    self.note_dns(message, p.dns_details, names);
                }
            }
        } else if let Some(message) = dns::parse_cut(data, p.dns_details) {
            self.note_dns(message, p.dns_details, names);
        }
    }

    fn note_dns(
        &mut self,
        message: dns::Message,
        keep_all: bool,
        names: &mut Vec<(IpAddr, Arc<str>)>,
    ) {
        let Some(state) = self.state.as_mut() else {
            return;
        };
        state.dns_messages += 1;
        let Some((qname, qtype)) = &message.question else {
            return;
        };
        // A response usually repeats the first question's name: its text is shared, not
        // made again.
        let known = state
            .first_question
            .as_ref()
            .filter(|first| first.name.as_bytes() == qname.as_bytes())
            .map(|first| Arc::clone(&first.name));
        let shared = known.unwrap_or_else(|| qname.to_shared());
        match &mut state.first_question {
            None => {
                state.first_question = Some(FirstQuestion {
                    id: message.id,
                    name: Arc::clone(&shared),
                    qtype: *qtype,
                    rcode: message.response.then_some(message.rcode),
                });
            }
            Some(first)
                if message.response
                    && first.rcode.is_none()
                    && first.id == message.id
                    && Arc::ptr_eq(&first.name, &shared) =>
            {
                first.rcode = Some(message.rcode);
            }
            Some(_) => {}
        }
        if message.response {
            for answer in &message.answers {
                if let dns::Answer::Address(addr) = answer {
                    names.push((*addr, Arc::clone(&shared)));
                }
            }
        }
        if keep_all {
            let existing = self
                .info
                .dns
                .iter()
                .rposition(|e| e.id == message.id && e.name == shared && e.rcode.is_none());
            match existing {
                Some(index) if message.response => {
                    let exchange = &mut self.info.dns[index];
                    exchange.rcode = Some(message.rcode);
                    exchange.answers.extend(message.answers);
                }
                _ if self.info.dns.len() < DNS_EXCHANGES => self.info.dns.push(DnsExchange {
                    id: message.id,
                    name: Arc::clone(&shared),
                    qtype: *qtype,
                    rcode: message.response.then_some(message.rcode),
                    answers: message.answers,
                }),
                _ => {}
            }
        }
        if self.info.server_name.is_none() && !qname.is_empty() {
            self.info.server_name = Some(shared);
            self.info.name_source = Some(NameSource::Query);
        }
    }
}

enum Step {
    /// Keep reading this direction.
    Wait,
    /// Nothing more to learn from this direction.
    SideDone,
    /// Nothing more to learn from the flow.
    Finished,
}

/// Either end uses `port`.
fn near(p: &Payload<'_>, port: u16) -> bool {
    p.client_port == port || p.server_port == port
}

/// Add a TCP segment to the direction's stream if it continues it (retransmissions and
/// segments after a gap are left out: the start of a stream is what identifies it).
fn append_in_order(direction: &mut Direction, p: &Payload<'_>) {
    if direction.next_seq.is_none() && p.data.len() == 1 {
        return; // a keep-alive probe's garbage byte, not the start of the stream
    }
    let expected = direction.next_seq.unwrap_or(p.seq);
    if p.seq != expected || direction.stream.len() >= STREAM_BYTES {
        return;
    }
    let room = STREAM_BYTES - direction.stream.len();
    let take = p.data.len().min(room);
    direction.stream.extend_from_slice(&p.data[..take]);
    direction.next_seq = Some(p.seq.wrapping_add(p.data.len() as u32));
}
