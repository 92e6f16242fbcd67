//! A bounds-checked reader over untrusted bytes: every read is an `Option`, so a parser written
//! with `?` cannot index past the end of a packet.

use crate::ascii::ascii_str;

#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data, at: 0 }
    }

    pub fn position(&self) -> usize {
        self.at
    }

    pub fn remaining(&self) -> usize {
        self.data.len() - self.at
    }

    pub fn rest(&self) -> &'a [u8] {
        &self.data[self.at..]
    }

    pub fn u8(&mut self) -> Option<u8> {
        let b = *self.data.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    pub fn u16(&mut self) -> Option<u16> {
        let b = self.take(2)?;
        Some(u16::from_be_bytes([b[0], b[1]]))
    }

    pub fn u24(&mut self) -> Option<u32> {
        let b = self.take(3)?;
        Some(u32::from_be_bytes([0, b[0], b[1], b[2]]))
    }

    pub fn u32(&mut self) -> Option<u32> {
        let b = self.take(4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.data.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    pub fn skip(&mut self, n: usize) -> Option<()> {
        self.take(n).map(|_| ())
    }

    /// A QUIC variable-length integer (RFC 9000 §16).
    pub fn varint(&mut self) -> Option<u64> {
        let first = self.u8()?;
        let len = 1usize << (first >> 6);
        let mut value = u64::from(first & 0x3f);
        for _ in 1..len {
            value = (value << 8) | u64::from(self.u8()?);
        }
        Some(value)
    }

    /// A slice preceded by its length in `width` bytes (1, 2 or 3).
    pub fn vector(&mut self, width: usize) -> Option<&'a [u8]> {
        let len = match width {
            1 => usize::from(self.u8()?),
            2 => usize::from(self.u16()?),
            _ => self.u24()? as usize,
        };
        self.take(len)
    }
}

/// Printable ASCII text (what a name, a banner or a header value must be), or `None`.
pub fn printable(bytes: &[u8]) -> Option<&str> {
    // Every byte checked, without an early exit: the check runs on whole vectors.
    if bytes
        .iter()
        .fold(true, |ok, b| ok & (0x20..0x7f).contains(b))
    {
        ascii_str(bytes)
    } else {
        None
    }
}

/// A host name as it may appear in SNI, Host or DNS: letters, digits, `-`, `_`, `.`, `*`.
pub fn host_name(bytes: &[u8]) -> Option<&str> {
    if bytes.is_empty() || bytes.len() > 253 {
        return None;
    }
    let ok = bytes.iter().fold(true, |ok, b| {
        ok & (b.is_ascii_alphanumeric() | matches!(b, b'-' | b'_' | b'.' | b'*'))
    });
    if ok { ascii_str(bytes) } else { None }
}

/// The pieces joined, allocated once at their exact size (`format!` costs several times as
/// much, on every identified flow).
pub fn concat(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for piece in pieces {
        out.push_str(piece);
    }
    out
}

/// The first line of `data` (without CR LF), if a whole line is there.
pub fn first_line(data: &[u8]) -> Option<&[u8]> {
    let end = memchr::memchr(b'\n', data)?;
    let line = &data[..end];
    Some(line.strip_suffix(b"\r").unwrap_or(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_end() {
        let mut r = Reader::new(&[1, 2, 3]);
        assert_eq!(r.u16(), Some(0x0102));
        assert_eq!(r.u16(), None);
        assert_eq!(r.u8(), Some(3));
        assert_eq!(r.u8(), None);
        assert_eq!(Reader::new(&[0xff; 4]).take(usize::MAX), None);
    }

    #[test]
    fn quic_varints() {
        // RFC 9000 appendix A.1 examples.
        assert_eq!(Reader::new(&[0x25]).varint(), Some(37));
        assert_eq!(Reader::new(&[0x7b, 0xbd]).varint(), Some(15293));
        assert_eq!(
            Reader::new(&[0x9d, 0x7f, 0x3e, 0x7d]).varint(),
            Some(494_878_333)
        );
        assert_eq!(
            Reader::new(&[0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c]).varint(),
            Some(151_288_809_941_952_652)
        );
    }
}
