//! QUIC: the version from any long-header packet, and the ClientHello (SNI, ALPN) from the
//! client's Initial packets. Initial packets are encrypted with keys every observer can
//! derive from the packet's destination connection ID (RFC 9001 §5.2); the ClientHello sits
//! in CRYPTO frames, possibly in pieces, out of order, over several packets.

use ring::aead::quic::{AES_128, HeaderProtectionKey};
use ring::aead::{AES_128_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use ring::hkdf;

use super::bytes::Reader;
use super::tls::{self, ClientHello, Parsed};

const V1: u32 = 0x0000_0001;
const V2: u32 = 0x6b33_43cf;
const DRAFT_29: u32 = 0xff00_001d;

/// The largest ClientHello gathered from CRYPTO frames.
const MAX_CRYPTO: usize = 16 * 1024;

/// Initial salt and key labels of the versions whose Initial packets can be read.
fn version_params(version: u32) -> Option<(&'static [u8], &'static str)> {
    match version {
        V1 => Some((
            &[
                0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8,
                0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
            ],
            "quic",
        )),
        V2 => Some((
            &[
                0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93, 0x81, 0xbe, 0x6e, 0x26,
                0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
            ],
            "quicv2",
        )),
        DRAFT_29 => Some((
            &[
                0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97, 0x86, 0xf1, 0x9c, 0x61,
                0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99,
            ],
            "quic",
        )),
        _ => None,
    }
}

/// "QUIC v1", "QUIC v2", "QUIC draft-29", "QUIC 0x...".
pub fn version_name(version: u32) -> String {
    match version {
        V1 => "QUIC v1".into(),
        V2 => "QUIC v2".into(),
        v if v >> 8 == 0xff_0000 => format!("QUIC draft-{}", v & 0xff),
        v => format!("QUIC 0x{v:08x}"),
    }
}

/// The version of a QUIC long-header packet at the start of `datagram`, if it is one of a
/// known or plausible version (not version negotiation).
pub fn long_header_version(datagram: &[u8]) -> Option<u32> {
    let mut r = Reader::new(datagram);
    let first = r.u8()?;
    if first & 0xc0 != 0xc0 {
        return None; // short header, or the fixed bit is clear
    }
    let version = r.u32()?;
    let known = version_params(version).is_some()
        || version >> 8 == 0xff_0000 // IETF drafts
        || version & 0x0f0f_0f0f == 0x0a0a_0a0a; // reserved (greased) versions
    let dcid = r.vector(1)?;
    let scid = r.vector(1)?;
    (known && dcid.len() <= 20 && scid.len() <= 20).then_some(version)
}

/// HKDF-Expand-Label (RFC 8446 §7.1) with an empty context.
fn expand_label(prk: &hkdf::Prk, label: &str, out: &mut [u8]) -> Option<()> {
    struct Len(usize);
    impl hkdf::KeyType for Len {
        fn len(&self) -> usize {
            self.0
        }
    }
    let full = format!("tls13 {label}");
    let length = (out.len() as u16).to_be_bytes();
    let label_len = [full.len() as u8];
    let info: [&[u8]; 4] = [&length, &label_len, full.as_bytes(), &[0]];
    prk.expand(&info, Len(out.len())).ok()?.fill(out).ok()
}

/// The client's Initial packet protection, for one destination connection ID.
pub struct InitialKeys {
    packet: LessSafeKey,
    iv: [u8; 12],
    header: HeaderProtectionKey,
}

/// The client's Initial secret for a destination connection ID (RFC 9001 §5.2).
fn client_initial_secret(version: u32, dcid: &[u8]) -> Option<[u8; 32]> {
    let (salt, _) = version_params(version)?;
    let initial = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(dcid);
    let mut secret = [0u8; 32];
    expand_label(&initial, "client in", &mut secret)?;
    Some(secret)
}

/// The packet key, IV and header-protection key of the client's Initial packets.
fn client_initial_material(version: u32, dcid: &[u8]) -> Option<([u8; 16], [u8; 12], [u8; 16])> {
    let (_, prefix) = version_params(version)?;
    let secret = client_initial_secret(version, dcid)?;
    let client = hkdf::Prk::new_less_safe(hkdf::HKDF_SHA256, &secret);
    let (mut key, mut iv, mut hp) = ([0u8; 16], [0u8; 12], [0u8; 16]);
    expand_label(&client, &format!("{prefix} key"), &mut key)?;
    expand_label(&client, &format!("{prefix} iv"), &mut iv)?;
    expand_label(&client, &format!("{prefix} hp"), &mut hp)?;
    Some((key, iv, hp))
}

impl InitialKeys {
    pub fn client(version: u32, dcid: &[u8]) -> Option<InitialKeys> {
        let (key, iv, hp) = client_initial_material(version, dcid)?;
        Some(InitialKeys {
            packet: LessSafeKey::new(UnboundKey::new(&AES_128_GCM, &key).ok()?),
            iv,
            header: HeaderProtectionKey::new(&AES_128, &hp).ok()?,
        })
    }
}

/// CRYPTO stream bytes gathered by offset until the ClientHello is whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientInitials {
    crypto: Vec<u8>,
    /// Byte ranges of `crypto` received, unmerged.
    ranges: Vec<(usize, usize)>,
    pub version: Option<u32>,
}

impl ClientInitials {
    /// Feed one client datagram (coalesced packets included).
    pub fn feed(&mut self, datagram: &[u8]) -> Parsed<ClientHello> {
        let mut rest = datagram;
        let mut any = false;
        while !rest.is_empty() {
            let Some((used, initial_payload)) = self.packet(rest) else {
                break;
            };
            any = true;
            if let Some(plain) = initial_payload {
                self.frames(&plain);
            }
            rest = &rest[used..];
        }
        if !any && self.version.is_none() {
            return Parsed::No;
        }
        self.hello()
    }

    /// One long-header packet: its length, and the decrypted payload if it is an Initial.
    fn packet(&mut self, data: &[u8]) -> Option<(usize, Option<Vec<u8>>)> {
        let version = long_header_version(data)?;
        self.version.get_or_insert(version);
        let mut r = Reader::new(data);
        let first = r.u8()?;
        r.skip(4)?;
        let dcid = r.vector(1)?;
        r.vector(1)?;
        let kind = (first >> 4) & 3;
        let initial = if version == V2 { kind == 1 } else { kind == 0 };
        let retry = if version == V2 { kind == 0 } else { kind == 3 };
        if retry {
            return None;
        }
        if initial {
            let token_len = usize::try_from(r.varint()?).ok()?;
            r.skip(token_len)?;
        }
        let length = usize::try_from(r.varint()?).ok()?;
        let pn_offset = r.position();
        let end = pn_offset.checked_add(length)?;
        if end > data.len() {
            return None;
        }
        if !initial {
            return Some((end, None));
        }
        let keys = InitialKeys::client(version, dcid)?;
        Some((end, decrypt(&keys, &data[..end], pn_offset)))
    }

    fn frames(&mut self, plain: &[u8]) {
        let mut r = Reader::new(plain);
        while r.remaining() > 0 {
            let Some(kind) = r.varint() else { return };
            let ok = match kind {
                0x00 | 0x01 => Some(()),
                0x02 | 0x03 => skip_ack(&mut r, kind == 0x03),
                0x06 => (|| {
                    let offset = usize::try_from(r.varint()?).ok()?;
                    let len = usize::try_from(r.varint()?).ok()?;
                    let data = r.take(len)?;
                    self.crypto_frame(offset, data);
                    Some(())
                })(),
                0x1c | 0x1d => (|| {
                    r.varint()?;
                    if kind == 0x1c {
                        r.varint()?;
                    }
                    let reason = usize::try_from(r.varint()?).ok()?;
                    r.skip(reason)
                })(),
                _ => None, // a frame that may not appear in Initial packets: stop here
            };
            if ok.is_none() {
                return;
            }
        }
    }

    fn crypto_frame(&mut self, offset: usize, data: &[u8]) {
        let Some(end) = offset.checked_add(data.len()) else {
            return;
        };
        if end > MAX_CRYPTO || data.is_empty() {
            return;
        }
        if self.crypto.len() < end {
            self.crypto.resize(end, 0);
        }
        self.crypto[offset..end].copy_from_slice(data);
        self.ranges.push((offset, end));
    }

    /// Bytes received contiguously from offset 0.
    fn contiguous(&self) -> usize {
        let mut ranges = self.ranges.clone();
        ranges.sort_unstable();
        let mut reach = 0;
        for (start, end) in ranges {
            if start > reach {
                break;
            }
            reach = reach.max(end);
        }
        reach
    }

    fn hello(&self) -> Parsed<ClientHello> {
        let have = self.contiguous();
        let Some(header) = self.crypto.get(..4.min(have)).filter(|h| h.len() == 4) else {
            return Parsed::Partial;
        };
        if header[0] != 1 {
            return Parsed::No;
        }
        let total = 4 + u32::from_be_bytes([0, header[1], header[2], header[3]]) as usize;
        if total > MAX_CRYPTO {
            return Parsed::No;
        }
        if have < total {
            return Parsed::Partial;
        }
        match tls::parse_client_hello(&self.crypto[..total]) {
            Some(hello) => Parsed::Done(hello),
            None => Parsed::No,
        }
    }
}

fn skip_ack(r: &mut Reader<'_>, ecn: bool) -> Option<()> {
    r.varint()?; // largest acknowledged
    r.varint()?; // delay
    let ranges = r.varint()?;
    r.varint()?; // first range
    for _ in 0..ranges.min(256) {
        r.varint()?;
        r.varint()?;
    }
    if ecn {
        for _ in 0..3 {
            r.varint()?;
        }
    }
    Some(())
}

/// Remove header protection and decrypt one Initial packet (`packet` ends where it does).
fn decrypt(keys: &InitialKeys, packet: &[u8], pn_offset: usize) -> Option<Vec<u8>> {
    let sample = packet.get(pn_offset + 4..pn_offset + 20)?;
    let mask = keys.header.new_mask(sample).ok()?;
    let first = packet[0] ^ (mask[0] & 0x0f);
    let pn_len = usize::from(first & 0x03) + 1;
    let mut header = packet.get(..pn_offset + pn_len)?.to_vec();
    header[0] = first;
    for i in 0..pn_len {
        header[pn_offset + i] ^= mask[1 + i];
    }
    let mut nonce = keys.iv;
    for i in 0..pn_len {
        nonce[12 - pn_len + i] ^= header[pn_offset + i];
    }
    let mut payload = packet.get(pn_offset + pn_len..)?.to_vec();
    let plain = keys
        .packet
        .open_in_place(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(&header[..]),
            &mut payload,
        )
        .ok()?;
    Some(plain.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identify::tls::tests::client_hello_message;
    use ring::aead::quic::AES_128 as HP_AES_128;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 9001 appendix A.1: the client's Initial keys for DCID 0x8394c8f03e515708.
    #[test]
    fn initial_keys_match_rfc_9001() {
        let dcid = hex("8394c8f03e515708");
        assert_eq!(
            client_initial_secret(V1, &dcid).unwrap().to_vec(),
            hex("c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea")
        );
        let (key, iv, hp) = client_initial_material(V1, &dcid).unwrap();
        assert_eq!(key.to_vec(), hex("1f369613dd76d5467730efcbe3b1a22d"));
        assert_eq!(iv.to_vec(), hex("fa044b2f42a3fd3b46fb255c"));
        assert_eq!(hp.to_vec(), hex("9f50449e04a0e810283a1e9933adedd2"));
    }

    /// Build a client Initial packet carrying `frames`, protected as a client would.
    fn initial_packet(version: u32, dcid: &[u8], pn: u32, frames: &[u8]) -> Vec<u8> {
        let (key, iv, hp) = client_initial_material(version, dcid).unwrap();
        let kind = if version == V2 { 1 } else { 0 };
        let mut packet = vec![0xc0 | (kind << 4) | 0x03];
        packet.extend_from_slice(&version.to_be_bytes());
        packet.push(dcid.len() as u8);
        packet.extend_from_slice(dcid);
        packet.push(0); // no source connection ID
        packet.push(0); // no token
        let length = 4 + frames.len() + 16;
        packet.extend_from_slice(&(0x4000 | length as u16).to_be_bytes());
        let pn_offset = packet.len();
        packet.extend_from_slice(&pn.to_be_bytes());
        let mut nonce = iv;
        for (i, b) in pn.to_be_bytes().iter().enumerate() {
            nonce[8 + i] ^= b;
        }
        let sealing = LessSafeKey::new(UnboundKey::new(&AES_128_GCM, &key).unwrap());
        let mut payload = frames.to_vec();
        sealing
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(&packet[..]),
                &mut payload,
            )
            .unwrap();
        packet.extend_from_slice(&payload);
        let hpk = HeaderProtectionKey::new(&HP_AES_128, &hp).unwrap();
        let mask = hpk
            .new_mask(&packet[pn_offset + 4..pn_offset + 20])
            .unwrap();
        packet[0] ^= mask[0] & 0x0f;
        for i in 0..4 {
            packet[pn_offset + i] ^= mask[1 + i];
        }
        packet
    }

    fn crypto_frame(offset: usize, data: &[u8]) -> Vec<u8> {
        let mut f = vec![0x06];
        f.extend_from_slice(&(0x4000 | offset as u16).to_be_bytes());
        f.extend_from_slice(&(0x4000 | data.len() as u16).to_be_bytes());
        f.extend_from_slice(data);
        f
    }

    #[test]
    fn a_client_hello_split_over_two_initials_out_of_order() {
        let hello = client_hello_message("www.example.org", &["h3"], 1600);
        let dcid = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
        for version in [V1, V2] {
            let (a, b) = hello.split_at(1000);
            // Second half first, with PING and PADDING around it.
            let mut frames1 = vec![0x01];
            frames1.extend_from_slice(&crypto_frame(1000, b));
            frames1.extend_from_slice(&[0; 30]);
            let frames2 = crypto_frame(0, a);
            let mut initials = ClientInitials::default();
            let first = initial_packet(version, &dcid, 0, &frames1);
            assert_eq!(initials.feed(&first), Parsed::Partial);
            let second = initial_packet(version, &dcid, 1, &frames2);
            let Parsed::Done(found) = initials.feed(&second) else {
                panic!("no hello for version {version:#x}");
            };
            assert_eq!(found.server_name.as_deref(), Some("www.example.org"));
            assert_eq!(found.alpn, ["h3"]);
            assert_eq!(initials.version, Some(version));
        }
    }

    #[test]
    fn tampered_or_foreign_packets_are_not_read() {
        let hello = client_hello_message("x.example", &[], 0);
        let mut packet = initial_packet(V1, &[1, 2, 3, 4], 0, &crypto_frame(0, &hello));
        let last = packet.len() - 1;
        packet[last] ^= 1;
        assert_eq!(ClientInitials::default().feed(&packet), Parsed::Partial);
        assert_eq!(
            ClientInitials::default().feed(b"GET / HTTP/1.1"),
            Parsed::No
        );
        assert_eq!(long_header_version(&[0x40, 0, 0, 0, 1]), None);
    }
}
