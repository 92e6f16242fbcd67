//! The practical ceiling for flow counting on one core, as issue 5 describes it: a memory-mapped
//! classic pcap, hand-sliced Ethernet (one VLAN tag) / IPv4 / IPv6 / TCP / UDP, and an FxHash
//! map of canonical 5-tuples with per-direction packet and byte counters; nothing else (no
//! pcapng, no damage checks, no TCP state, no output). `benches/run.sh` times it beside
//! ca-cli on the same file.
//!
//!     cargo bench --bench ceiling -- FILE

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

type Key = (u8, [u8; 16], u16, [u8; 16], u16);
type Map = HashMap<Key, [u64; 4], BuildHasherDefault<rustc_hash::FxHasher>>;

fn main() {
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        eprintln!("usage: cargo bench --bench ceiling -- FILE");
        return;
    };
    let file = std::fs::File::open(&path).expect("capture file");
    // SAFETY: a benchmark on a file nobody modifies while it runs.
    let data = unsafe { memmap2::Mmap::map(&file) }.expect("mmap");
    let started = std::time::Instant::now();
    let mut flows = Map::default();
    let (mut at, mut packets) = (24usize, 0u64);
    while at + 16 <= data.len() {
        let caplen = u32::from_le_bytes(data[at + 8..at + 12].try_into().unwrap()) as usize;
        let len = u64::from(u32::from_le_bytes(
            data[at + 12..at + 16].try_into().unwrap(),
        ));
        let frame = &data[at + 16..(at + 16 + caplen).min(data.len())];
        at += 16 + caplen;
        packets += 1;
        if frame.len() < 14 {
            continue;
        }
        let (mut ethertype, mut ip) = (u16::from_be_bytes([frame[12], frame[13]]), 14);
        if ethertype == 0x8100 && frame.len() >= 18 {
            ethertype = u16::from_be_bytes([frame[16], frame[17]]);
            ip = 18;
        }
        let (mut src, mut dst, proto, l4) = ([0u8; 16], [0u8; 16], 0u8, 0usize);
        let (proto, l4) = match ethertype {
            0x0800 if frame.len() >= ip + 20 => {
                src[..4].copy_from_slice(&frame[ip + 12..ip + 16]);
                dst[..4].copy_from_slice(&frame[ip + 16..ip + 20]);
                (frame[ip + 9], ip + usize::from(frame[ip] & 0x0f) * 4)
            }
            0x86dd if frame.len() >= ip + 40 => {
                src.copy_from_slice(&frame[ip + 8..ip + 24]);
                dst.copy_from_slice(&frame[ip + 24..ip + 40]);
                (frame[ip + 6], ip + 40)
            }
            _ => (proto, l4),
        };
        if l4 == 0 {
            continue;
        }
        let (sport, dport) = match proto {
            6 | 17 if frame.len() >= l4 + 4 => (
                u16::from_be_bytes([frame[l4], frame[l4 + 1]]),
                u16::from_be_bytes([frame[l4 + 2], frame[l4 + 3]]),
            ),
            _ => (0, 0),
        };
        let forward = (src, sport) <= (dst, dport);
        let key = if forward {
            (proto, src, sport, dst, dport)
        } else {
            (proto, dst, dport, src, sport)
        };
        let counters = flows.entry(key).or_default();
        let side = if forward { 0 } else { 2 };
        counters[side] += 1;
        counters[side + 1] += len;
    }
    let elapsed = started.elapsed();
    println!(
        "ceiling: {packets} packets, {} flows, {:.3} s in the loop ({:.0} MB/s)",
        flows.len(),
        elapsed.as_secs_f64(),
        data.len() as f64 / elapsed.as_secs_f64() / 1e6
    );
}
