//! TLS handshakes: the ClientHello's server name (SNI), ALPN and offered versions, and the
//! ServerHello's chosen version; the JA3 and JA3S fingerprints of both. The record layer may split a handshake message over records
//! and segments; the caller hands in everything received so far in order.

use std::borrow::Cow;

use super::bytes::{Reader, printable};
use super::md5::{self, Digest as Fingerprint};

/// What a ClientHello tells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientHello {
    pub server_name: Option<String>,
    pub alpn: Vec<String>,
    /// The highest version offered (supported_versions, else the legacy field).
    pub version: u16,
    /// JA3: the MD5 of "version,ciphers,extensions,groups,point formats" (decimal values joined
    /// by '-', GREASE values left out), which tells client software apart.
    pub ja3: Fingerprint,
}

/// What a ServerHello tells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerHello {
    /// The version chosen (supported_versions, else the legacy field).
    pub version: u16,
    /// JA3S: the MD5 of "version,cipher,extensions" (the legacy version field).
    pub ja3s: Fingerprint,
}

/// Decimal values joined by '-', as JA3 writes its lists.
fn push_list(text: &mut String, values: impl IntoIterator<Item = u16>) {
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            text.push('-');
        }
        text.push_str(itoa::Buffer::new().format(value));
    }
}

/// A parse of a possibly incomplete stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed<T> {
    Done(T),
    /// The start fits, more bytes are needed.
    Partial,
    /// Not this protocol.
    No,
}

impl<T> Parsed<T> {
    /// What `parse` makes of a whole message; a message that does not parse is not this
    /// protocol.
    fn and_then<U>(self, parse: impl FnOnce(T) -> Option<U>) -> Parsed<U> {
        match self {
            Parsed::Done(whole) => parse(whole).map_or(Parsed::No, Parsed::Done),
            Parsed::Partial => Parsed::Partial,
            Parsed::No => Parsed::No,
        }
    }
}

const HANDSHAKE: u8 = 22;
const ALERT: u8 = 21;
const CLIENT_HELLO: u8 = 1;
const SERVER_HELLO: u8 = 2;
/// A handshake message bigger than this is not a hello (post-quantum key shares make
/// ClientHellos of 1.8 KB; certificates are not read).
const MAX_HELLO: usize = 16 * 1024;

/// Whether `data` starts like a TLS handshake record (type 22, version 3.x).
pub fn looks_like_handshake(data: &[u8]) -> bool {
    matches!(data, [HANDSHAKE, 3, minor, ..] if *minor <= 4)
}

/// Whether `data` starts with a TLS record of any type (a connection seen after its
/// handshake): content type 20-23, version SSL 3.0 to TLS 1.3, a plausible length.
pub fn looks_like_record(data: &[u8]) -> bool {
    match data {
        [kind, 3, minor, hi, lo, ..] => {
            let len = u16::from_be_bytes([*hi, *lo]);
            (20..=23).contains(kind) && *minor <= 4 && (1..=18 * 1024).contains(&len)
        }
        _ => false,
    }
}

/// Gather the first handshake message from TLS records at the start of `data` (borrowed
/// when one record holds it, as it mostly does).
fn first_message(data: &[u8], wanted: u8) -> Parsed<Cow<'_, [u8]>> {
    if data.len() < 6 {
        let fits = data.first().is_none_or(|&b| b == HANDSHAKE)
            && data.get(1).is_none_or(|&b| b == 3)
            && data.get(2).is_none_or(|&b| b <= 4);
        return if fits { Parsed::Partial } else { Parsed::No };
    }
    if !looks_like_handshake(data) || data[5] != wanted {
        return Parsed::No;
    }
    let record_len = usize::from(u16::from_be_bytes([data[3], data[4]]));
    if let Some(record) = data.get(5..5 + record_len)
        && let Some(total) = message_len(record)
        && total <= record.len()
        && record_len <= 18 * 1024
        && total <= MAX_HELLO
    {
        return Parsed::Done(Cow::Borrowed(&record[..total]));
    }
    let mut message = Vec::new();
    let mut r = Reader::new(data);
    loop {
        let Some(header) = r.take(5) else {
            return Parsed::Partial;
        };
        if header[0] != HANDSHAKE || header[1] != 3 {
            return Parsed::No;
        }
        let len = usize::from(u16::from_be_bytes([header[3], header[4]]));
        if len == 0 || len > 18 * 1024 {
            return Parsed::No;
        }
        match r.take(len) {
            Some(fragment) => message.extend_from_slice(fragment),
            None => {
                message.extend_from_slice(r.rest());
                // The record continues (a server's hello shares it with the certificates),
                // but the message itself may be whole already; if not, wait only for a
                // plausible one.
                return match message_len(&message) {
                    Some(total) if total > MAX_HELLO => Parsed::No,
                    Some(total) if message.len() >= total => {
                        message.truncate(total);
                        Parsed::Done(Cow::Owned(message))
                    }
                    _ => Parsed::Partial,
                };
            }
        }
        match message_len(&message) {
            Some(total) if total > MAX_HELLO => return Parsed::No,
            Some(total) if message.len() >= total => {
                message.truncate(total);
                return Parsed::Done(Cow::Owned(message));
            }
            _ => {}
        }
    }
}

/// Length of a handshake message (header included) from its 4-byte header.
fn message_len(message: &[u8]) -> Option<usize> {
    let b = message.get(..4)?;
    Some(4 + (u32::from_be_bytes([0, b[1], b[2], b[3]]) as usize))
}

/// A ClientHello carried in TLS records.
pub fn client_hello(data: &[u8]) -> Parsed<ClientHello> {
    first_message(data, CLIENT_HELLO).and_then(|message| parse_client_hello(&message))
}

/// The version a ServerHello chose, and its fingerprint. Servers may send a warning alert
/// first (unrecognized_name, when the SNI matches none of their names): it is stepped over.
pub fn server_hello(mut data: &[u8]) -> Parsed<ServerHello> {
    while let [ALERT, 3, minor, 0, 2, _, _, rest @ ..] = data
        && *minor <= 4
    {
        data = rest;
    }
    first_message(data, SERVER_HELLO).and_then(|message| parse_server_hello(&message))
}

/// GREASE values (RFC 8701) are never real versions or extensions.
fn grease(value: u16) -> bool {
    value & 0x0f0f == 0x0a0a && value >> 8 == value & 0xff
}

/// A ClientHello handshake message (type, 3-byte length, body), from TLS or a QUIC CRYPTO
/// stream.
pub fn parse_client_hello(message: &[u8]) -> Option<ClientHello> {
    let mut r = Reader::new(message);
    if r.u8()? != CLIENT_HELLO {
        return None;
    }
    let body = r.vector(3)?;
    let mut r = Reader::new(body);
    let legacy_version = r.u16()?;
    if legacy_version >> 8 != 3 {
        return None;
    }
    r.skip(32)?; // random
    let session_id = r.vector(1)?;
    if session_id.len() > 32 {
        return None;
    }
    let suites = r.vector(2)?;
    if suites.is_empty() || suites.len() % 2 != 0 {
        return None;
    }
    r.vector(1)?; // compression methods
    let mut hello = ClientHello {
        version: legacy_version,
        ..ClientHello::default()
    };
    let values = |list: &[u8]| {
        list.chunks_exact(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .filter(|v| !grease(*v))
            .collect::<Vec<u16>>()
    };
    let mut ja3 = String::with_capacity(256);
    ja3.push_str(itoa::Buffer::new().format(legacy_version));
    ja3.push(',');
    push_list(&mut ja3, values(suites));
    ja3.push(',');
    let (mut kinds, mut groups, mut point_formats) = (Vec::new(), Vec::new(), Vec::new());
    let extensions = if r.remaining() == 0 {
        &[][..] // no extensions (SSL 3.0 style)
    } else {
        r.vector(2)?
    };
    let mut extensions = Reader::new(extensions);
    while extensions.remaining() > 0 {
        let kind = extensions.u16()?;
        let mut data = Reader::new(extensions.vector(2)?);
        if !grease(kind) {
            kinds.push(kind);
        }
        match kind {
            // A malformed list only leaves its part of the fingerprint empty: the name and
            // ALPN are still worth reading.
            10 => groups = data.vector(2).map(values).unwrap_or_default(),
            11 => {
                point_formats = data
                    .vector(1)
                    .map(|formats| formats.iter().map(|&f| u16::from(f)).collect())
                    .unwrap_or_default()
            }
            0 => {
                let mut list = Reader::new(data.vector(2)?);
                while list.remaining() > 0 {
                    let name_type = list.u8()?;
                    let name = list.vector(2)?;
                    if name_type == 0 && hello.server_name.is_none() {
                        // Names as sent (some clients append a port), lower case.
                        hello.server_name = printable(name)
                            .filter(|n| !n.is_empty() && n.len() <= 255 && !n.contains(' '))
                            .map(str::to_ascii_lowercase);
                    }
                }
            }
            16 => {
                let mut list = Reader::new(data.vector(2)?);
                while list.remaining() > 0 {
                    let protocol = list.vector(1)?;
                    if let Some(p) = printable(protocol) {
                        hello.alpn.push(p.to_string());
                    }
                }
            }
            43 => {
                let mut versions = Reader::new(data.vector(1)?);
                while versions.remaining() > 0 {
                    let v = versions.u16()?;
                    if !grease(v) && v >> 8 == 3 {
                        hello.version = hello.version.max(v);
                    }
                }
            }
            _ => {}
        }
    }
    push_list(&mut ja3, kinds);
    ja3.push(',');
    push_list(&mut ja3, groups);
    ja3.push(',');
    push_list(&mut ja3, point_formats);
    hello.ja3 = md5::digest(ja3.as_bytes());
    Some(hello)
}

fn parse_server_hello(message: &[u8]) -> Option<ServerHello> {
    let mut r = Reader::new(message);
    if r.u8()? != SERVER_HELLO {
        return None;
    }
    let body = r.vector(3)?;
    let mut r = Reader::new(body);
    let legacy_version = r.u16()?;
    let mut version = legacy_version;
    r.skip(32)?;
    r.vector(1)?; // session id
    let cipher = r.u16()?;
    r.skip(1)?; // compression
    let mut kinds = Vec::new();
    if r.remaining() > 0 {
        let mut extensions = Reader::new(r.vector(2)?);
        while extensions.remaining() > 0 {
            let kind = extensions.u16()?;
            let data = extensions.vector(2)?;
            if !grease(kind) {
                kinds.push(kind);
            }
            if kind == 43 && data.len() == 2 {
                version = u16::from_be_bytes([data[0], data[1]]);
            }
        }
    }
    let mut ja3s = String::with_capacity(64);
    ja3s.push_str(itoa::Buffer::new().format(legacy_version));
    ja3s.push(',');
    ja3s.push_str(itoa::Buffer::new().format(cipher));
    ja3s.push(',');
    push_list(&mut ja3s, kinds);
    Some(ServerHello {
        version,
        ja3s: md5::digest(ja3s.as_bytes()),
    })
}

/// "TLS 1.3", "SSL 3.0", ...
pub fn version_name(version: u16) -> Cow<'static, str> {
    Cow::Borrowed(match version {
        0x0300 => "SSL 3.0",
        0x0301 => "TLS 1.0",
        0x0302 => "TLS 1.1",
        0x0303 => "TLS 1.2",
        0x0304 => "TLS 1.3",
        other => return Cow::Owned(format!("TLS 0x{other:04x}")),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A ClientHello as a handshake message, with the given SNI and ALPN, offering TLS 1.3
    /// (and a GREASE version).
    pub fn client_hello_message(sni: &str, alpn: &[&str], padding: usize) -> Vec<u8> {
        let mut ext = Vec::new();
        let mut push = |kind: u16, data: Vec<u8>| {
            ext.extend_from_slice(&kind.to_be_bytes());
            ext.extend_from_slice(&(data.len() as u16).to_be_bytes());
            ext.extend_from_slice(&data);
        };
        let mut sni_ext = Vec::new();
        sni_ext.extend_from_slice(&((sni.len() + 3) as u16).to_be_bytes());
        sni_ext.push(0);
        sni_ext.extend_from_slice(&(sni.len() as u16).to_be_bytes());
        sni_ext.extend_from_slice(sni.as_bytes());
        push(0, sni_ext);
        let mut list = Vec::new();
        for p in alpn {
            list.push(p.len() as u8);
            list.extend_from_slice(p.as_bytes());
        }
        let mut alpn_ext = (list.len() as u16).to_be_bytes().to_vec();
        alpn_ext.extend_from_slice(&list);
        push(16, alpn_ext);
        push(43, vec![4, 0x1a, 0x1a, 0x03, 0x04]);
        push(21, vec![0; padding]);
        let mut body = vec![3, 3];
        body.extend_from_slice(&[7; 32]);
        body.push(0);
        body.extend_from_slice(&[0, 4, 0x13, 0x01, 0x13, 0x02]);
        body.extend_from_slice(&[1, 0]);
        body.extend_from_slice(&(ext.len() as u16).to_be_bytes());
        body.extend_from_slice(&ext);
        let mut message = vec![CLIENT_HELLO];
        message.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
        message.extend_from_slice(&body);
        message
    }

    /// `message` in TLS records of at most `record` bytes each.
    pub fn in_records(message: &[u8], record: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for chunk in message.chunks(record) {
            out.extend_from_slice(&[HANDSHAKE, 3, 1]);
            out.extend_from_slice(&(chunk.len() as u16).to_be_bytes());
            out.extend_from_slice(chunk);
        }
        out
    }

    /// The JA3 text of the test hello: version 771, ciphers 0x1301-0x1302, extensions in
    /// order (GREASE only inside supported_versions), no groups, no point formats.
    #[test]
    fn fingerprints_the_hello_as_ja3_defines() {
        let hello = parse_client_hello(&client_hello_message("a.example", &["h2"], 4)).unwrap();
        assert_eq!(hello.ja3, md5::digest(b"771,4865-4866,0-16-43-21,,"));
        // A malformed supported_groups list (one byte where a 2-byte length is due) empties
        // its part of the fingerprint and keeps the rest of the hello.
        let mut message = client_hello_message("a.example", &["h2"], 1);
        let at = message.len() - 5;
        assert_eq!(message[at..], [0, 21, 0, 1, 0]);
        message[at + 1] = 10;
        let hello = parse_client_hello(&message).unwrap();
        assert_eq!(hello.server_name.as_deref(), Some("a.example"));
        assert_eq!(hello.ja3, md5::digest(b"771,4865-4866,0-16-43-10,,"));
    }

    #[test]
    fn reads_sni_alpn_and_version() {
        let stream = in_records(
            &client_hello_message("Example.COM", &["h2", "http/1.1"], 0),
            16384,
        );
        let Parsed::Done(hello) = client_hello(&stream) else {
            panic!("not parsed");
        };
        assert_eq!(hello.server_name.as_deref(), Some("example.com"));
        assert_eq!(hello.alpn, ["h2", "http/1.1"]);
        assert_eq!(version_name(hello.version), "TLS 1.3");
    }

    #[test]
    fn a_hello_split_over_records_and_segments() {
        let stream = in_records(&client_hello_message("a.example", &[], 1500), 1000);
        for cut in [1, 5, 6, 100, 1004, 1006, stream.len() - 1] {
            assert_eq!(
                client_hello(&stream[..cut]),
                Parsed::Partial,
                "cut at {cut}"
            );
        }
        assert!(
            matches!(client_hello(&stream), Parsed::Done(h) if h.server_name.as_deref() == Some("a.example"))
        );
    }

    #[test]
    fn other_bytes_are_not_tls() {
        assert_eq!(client_hello(b"GET / HTTP/1.1\r\n"), Parsed::No);
        assert_eq!(client_hello(&[22, 3, 1, 0, 0, 1]), Parsed::No);
        let mut bogus = in_records(&client_hello_message("x", &[], 0), 16384);
        bogus[9] = 9; // the ClientHello's version byte
        assert_eq!(client_hello(&bogus), Parsed::No);
    }
}
