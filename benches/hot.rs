//! Criterion benchmarks of the hot functions, on real packets from the fixtures:
//! `cargo bench --bench hot`. Whole-program timings are in `benches/run.sh`.

use std::hint::black_box;
use std::io::Cursor;
use std::path::Path;

use ca_cli::capture::{self, Precision, Timestamp};
use ca_cli::dissect::{Dissection, Transport, dissect};
use ca_cli::flow::{Contribution, FlowKey, FlowTable, IdleTimeouts};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name),
    )
    .expect("fixture")
}

/// Every frame of a capture, with its link type and wire length.
fn frames(name: &str) -> Vec<(u32, Vec<u8>, u32, Timestamp)> {
    let mut out = Vec::new();
    capture::decode(Cursor::new(fixture(name)), |f| {
        out.push((f.linktype, f.data.to_vec(), f.orig_len, f.timestamp));
    })
    .expect("decodes");
    out
}

fn hot(c: &mut Criterion) {
    let capture = fixture("ndpi_iphone.pcap");
    let packets = frames("ndpi_iphone.pcap");

    let mut group = c.benchmark_group("capture");
    group.throughput(Throughput::Bytes(capture.len() as u64));
    group.bench_function("decode ndpi_iphone.pcap", |b| {
        b.iter(|| {
            let mut n = 0u64;
            capture::decode(Cursor::new(black_box(&capture)), |f| {
                n += u64::from(f.orig_len)
            })
            .expect("decodes");
            n
        })
    });
    group.finish();

    let mut group = c.benchmark_group("dissect");
    group.throughput(Throughput::Elements(packets.len() as u64));
    group.bench_function("500 real frames", |b| {
        b.iter(|| {
            packets
                .iter()
                .filter(|(lt, data, len, _)| {
                    matches!(dissect(*lt, black_box(data), *len), Dissection::Ip(_))
                })
                .count()
        })
    });
    group.finish();

    let observations: Vec<(FlowKey, ca_cli::flow::Side, Contribution)> = packets
        .iter()
        .filter_map(|(lt, data, len, ts)| match dissect(*lt, data, *len) {
            Dissection::Ip(p) => {
                let flags = match p.transport {
                    Transport::Ports { tcp_flags, .. } if p.proto == 6 => Some(tcp_flags),
                    _ => None,
                };
                let (key, side) = FlowKey::new(p.src, p.dst, p.proto, p.transport);
                Some((
                    key,
                    side,
                    Contribution::packet(*ts, *len, p.payload_len, flags),
                ))
            }
            _ => None,
        })
        .collect();
    let mut group = c.benchmark_group("flow table");
    group.throughput(Throughput::Elements(observations.len() as u64));
    group.bench_function("486 packets into 51 flows", |b| {
        b.iter(|| {
            let mut table = FlowTable::new(IdleTimeouts::zeek_defaults());
            for (key, side, contribution) in &observations {
                table.add(*key, *side, contribution, &[], 0);
            }
            table.into_flows().len()
        })
    });
    group.finish();

    c.bench_function("rfc3339 with microseconds", |b| {
        let ts = Timestamp::from_nanos(1_767_261_600_123_456_000);
        b.iter(|| {
            let mut buf = [0u8; ca_cli::capture::RFC3339_MAX];
            black_box(ts)
                .rfc3339(Precision::MICROS)
                .to_bytes(&mut buf)
                .len()
        })
    });
}

criterion_group!(benches, hot);
criterion_main!(benches);
