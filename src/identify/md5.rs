//! MD5 digests (RFC 1321), for JA3/JA3S fingerprints only: those are defined as the MD5 of a
//! text, and used to match a client or server against published lists, not for security.

/// An MD5 digest, kept as its 16 bytes (written out as hex only when a flow is).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest([u8; 16]);

impl Digest {
    /// The digest as 32 lower-case hex digits.
    pub fn hex(&self) -> HexDigest {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0u8; 32];
        for (pair, byte) in hex.chunks_exact_mut(2).zip(self.0) {
            pair[0] = HEX[usize::from(byte >> 4)];
            pair[1] = HEX[usize::from(byte & 15)];
        }
        HexDigest(hex)
    }
}

impl std::fmt::Display for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.hex().as_str())
    }
}

impl std::fmt::Debug for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl serde::Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.hex().as_str())
    }
}

/// A digest's 32 hex digits, on the stack.
pub struct HexDigest([u8; 32]);

impl HexDigest {
    pub fn as_str(&self) -> &str {
        // Hex digits only: always UTF-8.
        crate::ascii::ascii_str(&self.0).unwrap_or_default()
    }
}

/// The digest of `data` (RustCrypto's `md-5`: measured faster than the hand-written MD5
/// ca-cli had, benches/README.md, "MD5").
pub fn digest(data: &[u8]) -> Digest {
    use ::md5::Digest as _;
    Digest(::md5::Md5::digest(data).into())
}

#[cfg(test)]
mod tests {
    /// RFC 1321's test suite (appendix A.5).
    #[test]
    fn rfc_1321_test_suite() {
        let cases = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            (
                "abcdefghijklmnopqrstuvwxyz",
                "c3fcd3d76192e4007dfb496cca67e13b",
            ),
            (
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                "d174ab98d277d9f5a5611c2c9f419d9f",
            ),
            (
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
                "57edf4a22be3c955ac49da2e2107b67a",
            ),
        ];
        for (input, digest) in cases {
            assert_eq!(
                super::digest(input.as_bytes()).to_string(),
                digest,
                "{input:?}"
            );
        }
    }

    /// Lengths around the block and padding boundaries, against the digests of Python's
    /// hashlib for the same bytes (`hashlib.md5(bytes((i * 7 + 3) & 255 for i in
    /// range(n))).hexdigest()`).
    #[test]
    fn lengths_around_the_padding_boundaries() {
        let data: Vec<u8> = (0..200u32).map(|i| (i * 7 + 3) as u8).collect();
        let expected = [
            (55, "52c0e574e1198de5fe3f8f11440dcb1b"),
            (56, "46c9907fc908ee68b1e7b8e71286a518"),
            (63, "a62f6d59e837867693f042f5b8f5a236"),
            (64, "7160b8fb5e9e4023d549c3971fbaeead"),
            (65, "70bd662e7aefbda85a0f7244167b7897"),
            (119, "e84905d4214f4d1ca56c2cdcc152b143"),
            (120, "e3eb5a6c8669ea01a8c185b8abc8a5dc"),
            (128, "10b2da1a82f16d99a81a7203fe9f02cb"),
            (200, "4c79b81ac94bad7a875519ce6b964c66"),
        ];
        for (len, digest) in expected {
            assert_eq!(
                super::digest(&data[..len]).to_string(),
                digest,
                "length {len}"
            );
        }
    }
}
