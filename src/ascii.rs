//! ASCII bytes as text, for parsers and writers that have already limited their bytes to
//! ASCII: `str::from_utf8` re-validates them at ~100 instructions per short string (callgrind,
//! a fifth of DNS name handling), where checking that they are ASCII takes a few words.

/// `bytes` as text if every byte is ASCII.
#[inline]
pub(crate) fn ascii_str(bytes: &[u8]) -> Option<&str> {
    if bytes.is_ascii() {
        // SAFETY: ASCII is valid UTF-8, and every byte was just checked to be ASCII.
        Some(unsafe { std::str::from_utf8_unchecked(bytes) })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::ascii_str;

    #[test]
    fn ascii_only() {
        assert_eq!(ascii_str(b"login.example.com"), Some("login.example.com"));
        assert_eq!(ascii_str(b""), Some(""));
        assert_eq!(ascii_str("Zürich".as_bytes()), None);
        assert_eq!(ascii_str(&[0x41, 0xff]), None);
        for b in 0..=255u8 {
            assert_eq!(ascii_str(&[b]).is_some(), b < 0x80, "{b:#x}");
        }
    }
}
