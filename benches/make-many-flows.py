#!/usr/bin/env python3
"""Write a capture built to stress memory: FLOWS one-packet UDP flows, all distinct, from
65,536 clients in 10.0.0.0/16 (each on ever new source ports, as a busy NAT or resolver
farm produces) to about a million servers in 20.0.0.0/12; FRAME bytes per packet on the wire,
spread evenly over SECONDS of capture time so that idle flows expire as the capture advances.

    make-many-flows.py OUT.pcap [FLOWS=5000000] [FRAME=400] [SECONDS=3600]

5 million 400-byte frames make a 2.08 GB file. Deterministic.
"""
import struct
import sys

out = sys.argv[1]
flows = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000_000
frame = int(sys.argv[3]) if len(sys.argv) > 3 else 400
seconds = int(sys.argv[4]) if len(sys.argv) > 4 else 3600

header = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
payload = bytes(frame - 42)
start = 1_700_000_000
with open(out, "wb", buffering=1 << 20) as f:
    f.write(header)
    for i in range(flows):
        micros = i * seconds * 1_000_000 // flows
        src = 0x0A000000 | (i & 0xFFFF)                    # 10.0.y.z
        dst = 0x14000000 | ((i * 2654435761) & 0xFFFFF)    # 20.0-15.y.z
        sport = 1024 + (i >> 16) % 64000                   # new for each flow of a client
        dport = 53 + (i >> 8) % 1000
        ip = struct.pack(">BBHHHBBHII", 0x45, 0, frame - 14, i & 0xFFFF, 0, 64, 17, 0, src, dst)
        udp = struct.pack(">HHHH", sport, dport, frame - 34, 0)
        eth = b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00"
        f.write(struct.pack("<IIII", start + micros // 1_000_000, micros % 1_000_000, frame, frame))
        f.write(eth + ip + udp + payload)
