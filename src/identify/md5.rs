//! MD5 (RFC 1321), for JA3/JA3S fingerprints only: those are defined as the MD5 of a text, and
//! used to match a client or server against published lists, not for security.

const SHIFTS: [u32; 64] = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9,
    14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15,
    21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

/// The RFC's table, floor(abs(sin(i + 1)) * 2^32) (a unit test derives it again).
const K: [u32; 64] = [
    0xd76a_a478,
    0xe8c7_b756,
    0x2420_70db,
    0xc1bd_ceee,
    0xf57c_0faf,
    0x4787_c62a,
    0xa830_4613,
    0xfd46_9501,
    0x6980_98d8,
    0x8b44_f7af,
    0xffff_5bb1,
    0x895c_d7be,
    0x6b90_1122,
    0xfd98_7193,
    0xa679_438e,
    0x49b4_0821,
    0xf61e_2562,
    0xc040_b340,
    0x265e_5a51,
    0xe9b6_c7aa,
    0xd62f_105d,
    0x0244_1453,
    0xd8a1_e681,
    0xe7d3_fbc8,
    0x21e1_cde6,
    0xc337_07d6,
    0xf4d5_0d87,
    0x455a_14ed,
    0xa9e3_e905,
    0xfcef_a3f8,
    0x676f_02d9,
    0x8d2a_4c8a,
    0xfffa_3942,
    0x8771_f681,
    0x6d9d_6122,
    0xfde5_380c,
    0xa4be_ea44,
    0x4bde_cfa9,
    0xf6bb_4b60,
    0xbebf_bc70,
    0x289b_7ec6,
    0xeaa1_27fa,
    0xd4ef_3085,
    0x0488_1d05,
    0xd9d4_d039,
    0xe6db_99e5,
    0x1fa2_7cf8,
    0xc4ac_5665,
    0xf429_2244,
    0x432a_ff97,
    0xab94_23a7,
    0xfc93_a039,
    0x655b_59c3,
    0x8f0c_cc92,
    0xffef_f47d,
    0x8584_5dd1,
    0x6fa8_7e4f,
    0xfe2c_e6e0,
    0xa301_4314,
    0x4e08_11a1,
    0xf753_7e82,
    0xbd3a_f235,
    0x2ad7_d2bb,
    0xeb86_d391,
];

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

/// The digest of `data`.
pub fn digest(data: &[u8]) -> Digest {
    let mut state: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    let whole = data.len() - data.len() % 64;
    for block in data[..whole].chunks_exact(64) {
        compress(&mut state, block);
    }
    // The rest, the 0x80 marker, zeros and the bit length fill one or two last blocks.
    let rest = &data[whole..];
    let mut tail = [0u8; 128];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    let tail_len = if rest.len() < 56 { 64 } else { 128 };
    let bits = (data.len() as u64).wrapping_mul(8);
    tail[tail_len - 8..tail_len].copy_from_slice(&bits.to_le_bytes());
    for block in tail[..tail_len].chunks_exact(64) {
        compress(&mut state, block);
    }
    let mut bytes = [0u8; 16];
    for (out, word) in bytes.chunks_exact_mut(4).zip(state) {
        out.copy_from_slice(&word.to_le_bytes());
    }
    Digest(bytes)
}

/// The message word each of the 64 steps adds: in order, then (5i + 1), (3i + 5) and 7i mod 16.
const WORD: [usize; 64] = {
    let mut order = [0; 64];
    let mut i = 0;
    while i < 64 {
        order[i] = match i / 16 {
            0 => i,
            1 => (5 * i + 1) % 16,
            2 => (3 * i + 5) % 16,
            _ => (7 * i) % 16,
        };
        i += 1;
    }
    order
};

/// One 64-byte block into the state: four rounds of sixteen steps, each round a loop of its
/// own with its function fixed, so that the compiler unrolls it with constant indices and
/// shifts (one loop choosing the function per step ran at twice the instructions).
fn compress(state: &mut [u32; 4], block: &[u8]) {
    let mut m = [0u32; 16];
    for (word, bytes) in m.iter_mut().zip(block.chunks_exact(4)) {
        *word = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    }
    let [mut a, mut b, mut c, mut d] = *state;
    let mut round = |first: usize, f: fn(u32, u32, u32) -> u32| {
        for i in first..first + 16 {
            let rotated = a
                .wrapping_add(f(b, c, d))
                .wrapping_add(K[i])
                .wrapping_add(m[WORD[i]])
                .rotate_left(SHIFTS[i]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(rotated);
        }
    };
    round(0, |b, c, d| (b & c) | (!b & d));
    round(16, |b, c, d| (d & b) | (!d & c));
    round(32, |b, c, d| b ^ c ^ d);
    round(48, |b, c, d| c ^ (b | !d));
    for (s, v) in state.iter_mut().zip([a, b, c, d]) {
        *s = s.wrapping_add(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn the_constants_are_the_rfcs_sines() {
        for (i, &k) in K.iter().enumerate() {
            let derived = ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32;
            assert_eq!(k, derived, "K[{i}]");
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
