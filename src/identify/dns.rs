//! DNS messages (RFC 1035), as sent over UDP, over TCP (with a length prefix), and as mDNS and
//! LLMNR: the question, the response code and the address and alias answers. A parse is
//! strict (every count honoured, names well formed, nothing left over) so that it can tell DNS
//! from other payloads on any port.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use super::bytes::Reader;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: u16,
    pub response: bool,
    pub rcode: u8,
    /// The (first) question, lower case without the final dot; record type.
    pub question: Option<(Name, u16)>,
    pub answers: Vec<Answer>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Address(IpAddr),
    Alias(Arc<str>),
}

/// A name as read from a message, held inline when short (nearly all are; a message and its
/// name are moved around by value, and a 256-byte name made each move a copy call): most
/// names a flow's messages carry are one already known (a response repeats its query's), so
/// text is shared only when new.
#[derive(Clone)]
pub struct Name(NameBytes);

#[derive(Clone)]
enum NameBytes {
    Inline([u8; INLINE_NAME], u8),
    Long(Box<[u8]>),
}

/// Names up to this long are held inline.
const INLINE_NAME: usize = 62;

impl Name {
    fn new(bytes: &[u8]) -> Name {
        match u8::try_from(bytes.len()) {
            Ok(len) if bytes.len() <= INLINE_NAME => {
                let mut inline = [0; INLINE_NAME];
                inline[..bytes.len()].copy_from_slice(bytes);
                Name(NameBytes::Inline(inline, len))
            }
            _ => Name(NameBytes::Long(bytes.into())),
        }
    }

    /// Lower case, dot-separated, printable ASCII (checked label by label while read).
    pub fn as_str(&self) -> &str {
        crate::ascii::ascii_str(self.as_bytes()).unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }

    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            NameBytes::Inline(bytes, len) => &bytes[..usize::from(*len)],
            NameBytes::Long(bytes) => bytes,
        }
    }

    /// The name as shared text.
    pub fn to_shared(&self) -> Arc<str> {
        Arc::from(self.as_str())
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Name {}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// Names longer than this, or with more compression jumps, are not DNS.
const MAX_NAME: usize = 255;
const MAX_JUMPS: usize = 32;
const MAX_RECORDS: u16 = 64;

/// One piece of a name on the wire.
enum Part<'m> {
    /// The root label: the name ends.
    End,
    /// A compression pointer to this offset.
    Pointer(usize),
    /// A label of printable ASCII, without spaces.
    Label(&'m [u8]),
}

/// The piece of a name at `at`, checked: `None` for a label type other than plain and
/// pointer (0x40 and 0x80 are obsolete), bytes that are no host name, or a cut.
fn part_at(message: &[u8], at: usize) -> Option<Part<'_>> {
    let len = *message.get(at)?;
    match len {
        0 => Some(Part::End),
        0xc0..=0xff => {
            let target = u16::from_be_bytes([len & 0x3f, *message.get(at + 1)?]);
            Some(Part::Pointer(usize::from(target)))
        }
        1..=63 => {
            let label = message.get(at + 1..at + 1 + usize::from(len))?;
            // Every byte checked, without an early exit: the check runs on whole words.
            label
                .iter()
                .fold(true, |ok, b| ok & (0x21..0x7f).contains(b))
                .then_some(Part::Label(label))
        }
        _ => None,
    }
}

/// Walk the name at `r` (following compression pointers, at most [`MAX_JUMPS`]), handing each
/// label to `on_label`, and leave `r` after the name's bytes in place.
fn walk_name(
    message: &[u8],
    r: &mut Reader<'_>,
    mut on_label: impl FnMut(&[u8]) -> Option<()>,
) -> Option<()> {
    let mut at = r.position();
    let mut jumps = 0;
    let mut end = None;
    loop {
        match part_at(message, at)? {
            Part::End => {
                at += 1;
                break;
            }
            Part::Pointer(target) => {
                end.get_or_insert(at + 2);
                jumps += 1;
                if jumps > MAX_JUMPS || target >= message.len() {
                    return None;
                }
                at = target;
            }
            Part::Label(label) => {
                on_label(label)?;
                at += 1 + label.len();
            }
        }
    }
    let next = end.unwrap_or(at);
    r.skip(next.checked_sub(r.position())?)
}

/// The name at `r`, lower case.
fn name(message: &[u8], r: &mut Reader<'_>) -> Option<Name> {
    let mut text = [0; MAX_NAME];
    let mut len = 0;
    walk_name(message, r, |label| {
        let dot = usize::from(len > 0);
        let end = len + dot + label.len();
        if end > MAX_NAME {
            return None;
        }
        text[len] = b'.';
        text[len + dot..end].copy_from_slice(label);
        len = end;
        Some(())
    })?;
    text[..len].make_ascii_lowercase();
    Some(Name::new(&text[..len]))
}

/// Step over a name without building its text (record owners are not kept): its labels, up
/// to a compression pointer that must point back to a name read before (RFC 1035 §4.1.4) and
/// is not followed: that name was checked where it stood.
fn skip_name(message: &[u8], r: &mut Reader<'_>) -> Option<()> {
    let start = r.position();
    let mut at = start;
    loop {
        match part_at(message, at)? {
            Part::End => {
                at += 1;
                break;
            }
            Part::Pointer(target) if target < start => {
                at += 2;
                break;
            }
            Part::Pointer(_) => return None,
            Part::Label(label) => {
                at += 1 + label.len();
                if at - start > MAX_NAME + 1 {
                    return None;
                }
            }
        }
    }
    r.skip(at - start)
}

/// A whole DNS message, strictly.
pub fn parse(message: &[u8], aliases: bool) -> Option<Message> {
    parse_with(message, true, aliases)
}

/// A DNS message that may be cut short after its question (the first fragment of a large
/// response, or a short snaplen): the answers that are whole are read. For DNS ports only.
pub fn parse_cut(message: &[u8], aliases: bool) -> Option<Message> {
    parse_with(message, false, aliases)
}

/// `aliases`: read CNAME targets too (the DNS view lists them; flows need only addresses).
fn parse_with(message: &[u8], strict: bool, aliases: bool) -> Option<Message> {
    let mut r = Reader::new(message);
    let id = r.u16()?;
    let flags = r.u16()?;
    let opcode = (flags >> 11) & 0x0f;
    if opcode > 6 || opcode == 3 || flags & 0x0040 != 0 {
        return None; // unassigned opcode, or the Z bit set
    }
    let [qd, an, ns, ar] = [r.u16()?, r.u16()?, r.u16()?, r.u16()?];
    let response = flags & 0x8000 != 0;
    if qd > MAX_RECORDS || an > MAX_RECORDS || ns > MAX_RECORDS || ar > MAX_RECORDS {
        return None;
    }
    if !response && opcode == 0 && (qd == 0 || (strict && an > 0)) {
        // A standard query asks something, and off the DNS ports answers nothing (mDNS
        // queries carry the answers they know already).
        return None;
    }
    let mut question = None;
    for index in 0..qd {
        let parsed = (|| {
            let qname = name(message, &mut r)?;
            let qtype = r.u16()?;
            let class = r.u16()? & 0x7fff; // mDNS uses the top bit
            matches!(class, 1 | 3 | 4 | 255).then_some((qname, qtype))
        })();
        match parsed {
            Some(q) => {
                question.get_or_insert(q);
            }
            // Cut among the questions (a first fragment, a short snaplen): what was read
            // stands; the header alone says DNS on the DNS ports.
            None if !strict && (index > 0 || message.len() < 512) => {
                return Some(Message {
                    id,
                    response,
                    rcode: (flags & 0x0f) as u8,
                    question,
                    answers: Vec::new(),
                });
            }
            None => return None,
        }
    }
    let mut answers = Vec::with_capacity(usize::from(an));
    // A strict parse reads every record (nothing may be left over); otherwise the answers are
    // all that is wanted.
    let records = if strict {
        u32::from(an) + u32::from(ns) + u32::from(ar)
    } else {
        u32::from(an)
    };
    for index in 0..records {
        match record(message, &mut r, index < u32::from(an), aliases) {
            Some(Some(answer)) => answers.push(answer),
            Some(None) => {}
            None if strict => return None,
            None => break,
        }
    }
    if strict && r.remaining() != 0 {
        return None;
    }
    Some(Message {
        id,
        response,
        rcode: (flags & 0x0f) as u8,
        question,
        answers,
    })
}

/// One resource record: `Some(None)` for a record read but not kept (not an answer, or of
/// another type), `None` when it does not parse.
fn record(
    message: &[u8],
    r: &mut Reader<'_>,
    answer: bool,
    aliases: bool,
) -> Option<Option<Answer>> {
    skip_name(message, r)?;
    let kind = r.u16()?;
    let class = r.u16()?;
    r.u32()?; // TTL
    let data_start = r.position();
    let data = r.vector(2)?;
    if kind != 41 && !matches!(class & 0x7fff, 1 | 3 | 4 | 254 | 255) {
        return None; // OPT records carry the UDP size in the class field
    }
    if !answer {
        return Some(None);
    }
    Some(match (kind, data.len()) {
        (1, 4) => Some(Answer::Address(IpAddr::V4(Ipv4Addr::new(
            data[0], data[1], data[2], data[3],
        )))),
        (28, 16) => {
            let mut b = [0u8; 16];
            b.copy_from_slice(data);
            Some(Answer::Address(IpAddr::V6(Ipv6Addr::from(b))))
        }
        (5, _) if aliases => {
            let mut at = Reader::new(message);
            at.skip(data_start + 2)?;
            Some(Answer::Alias(name(message, &mut at)?.to_shared()))
        }
        _ => None,
    })
}

/// DNS over TCP: messages with a two-byte length prefix, as many as are whole in `stream`.
/// `None` when the start is not DNS.
pub fn parse_stream(stream: &[u8], aliases: bool) -> Option<Vec<Message>> {
    let mut r = Reader::new(stream);
    let mut messages = Vec::new();
    while r.remaining() >= 2 {
        let len = usize::from(u16::from_be_bytes([
            stream[r.position()],
            stream[r.position() + 1],
        ]));
        if len < 12 {
            return None;
        }
        if r.remaining() < 2 + len {
            break;
        }
        r.skip(2)?;
        messages.push(parse(r.take(len)?, aliases)?);
    }
    Some(messages)
}

/// RFC 1035 response code names, as dig prints them.
pub fn rcode_name(rcode: u8) -> &'static str {
    match rcode {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        _ => "RCODE?",
    }
}

/// Record type names for the common types; others as TYPEnnn (RFC 3597).
pub fn type_name(kind: u16) -> Cow<'static, str> {
    Cow::Borrowed(match kind {
        1 => "A",
        2 => "NS",
        5 => "CNAME",
        6 => "SOA",
        12 => "PTR",
        15 => "MX",
        16 => "TXT",
        28 => "AAAA",
        33 => "SRV",
        35 => "NAPTR",
        43 => "DS",
        48 => "DNSKEY",
        64 => "SVCB",
        65 => "HTTPS",
        255 => "ANY",
        other => return Cow::Owned(format!("TYPE{other}")),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A standard query for `name` (type A).
    pub fn query(id: u16, qname: &str) -> Vec<u8> {
        let mut m = id.to_be_bytes().to_vec();
        m.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
        for label in qname.split('.') {
            m.push(label.len() as u8);
            m.extend_from_slice(label.as_bytes());
        }
        m.extend_from_slice(&[0, 0, 1, 0, 1]);
        m
    }

    /// A response for `name` with an alias and an address answer, using a compression pointer.
    pub fn response(id: u16, qname: &str, alias: &str, addr: [u8; 4]) -> Vec<u8> {
        let mut m = id.to_be_bytes().to_vec();
        m.extend_from_slice(&[0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0]);
        let encode = |n: &str| {
            let mut out = Vec::new();
            for label in n.split('.') {
                out.push(label.len() as u8);
                out.extend_from_slice(label.as_bytes());
            }
            out.push(0);
            out
        };
        m.extend_from_slice(&encode(qname));
        m.extend_from_slice(&[0, 1, 0, 1]);
        // CNAME: owner = pointer to the question name (offset 12).
        let target = encode(alias);
        m.extend_from_slice(&[0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60]);
        m.extend_from_slice(&(target.len() as u16).to_be_bytes());
        let alias_at = m.len();
        m.extend_from_slice(&target);
        m.extend_from_slice(&[0xc0, alias_at as u8, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
        m.extend_from_slice(&addr);
        m
    }

    #[test]
    fn reads_questions_aliases_and_addresses() {
        let message = response(7, "Login.Example.com", "edge.cdn.net", [20, 1, 2, 3]);
        let without_aliases = parse(&message, false).unwrap();
        assert_eq!(
            without_aliases.answers,
            [Answer::Address(IpAddr::V4(Ipv4Addr::new(20, 1, 2, 3)))]
        );
        let m = parse(&message, true).unwrap();
        assert!(m.response);
        let (qname, qtype) = m.question.unwrap();
        assert_eq!((qname.as_str(), qtype), ("login.example.com", 1));
        assert_eq!(
            m.answers,
            [
                Answer::Alias("edge.cdn.net".into()),
                Answer::Address(IpAddr::V4(Ipv4Addr::new(20, 1, 2, 3)))
            ]
        );
    }

    #[test]
    fn pointer_loops_and_leftovers_are_not_dns() {
        let mut looped = response(1, "a.b", "c.d", [1, 2, 3, 4]);
        looped[12] = 0xc0;
        looped[13] = 12;
        assert_eq!(parse(&looped, true), None);
        let mut longer = response(1, "a.b", "c.d", [1, 2, 3, 4]);
        longer.push(0);
        assert_eq!(parse(&longer, true), None);
        assert_eq!(parse(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", true), None);
        // A record owner pointing forward (at itself here) is no earlier name.
        let mut forward = response(1, "a.b", "c.d", [1, 2, 3, 4]);
        let owner = 12 + "a.b".len() + 2 + 4;
        assert_eq!(&forward[owner..owner + 2], &[0xc0, 12]);
        forward[owner + 1] = owner as u8;
        assert_eq!(parse(&forward, true), None);
    }

    #[test]
    fn tcp_streams_hold_length_prefixed_messages() {
        let one = response(1, "a.example", "b.example", [1, 2, 3, 4]);
        let mut stream = (one.len() as u16).to_be_bytes().to_vec();
        stream.extend_from_slice(&one);
        stream.extend_from_slice(&(one.len() as u16).to_be_bytes());
        stream.extend_from_slice(&one[..5]);
        assert_eq!(parse_stream(&stream, true).map(|m| m.len()), Some(1));
    }
}
