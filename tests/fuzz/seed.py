#!/usr/bin/env python3
"""Build the fuzz targets' seed corpora from the real captures in fixtures/.

Usage: python3 tests/fuzz/seed.py [CORPUS_DIR]   (writes tests/fuzz/corpus/<target>/)

- capture_decoder, pipeline: the first 64 KiB of every capture (a cut capture is a fine seed).
- packet_dissector: up to 40 frames of every classic pcap, prefixed with the two bytes the
  target reads as its link-type choice.
- filter_parser: the expressions the README and the tests use.
- payload_identifier: the first TCP/UDP payloads of every capture, read with tshark when it is
  installed, behind the three bytes the target reads as ports, transport and packet size.
"""
import hashlib
import pathlib
import shutil
import struct
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "../../fixtures"
# The order of LINK_TYPES in fuzz_targets/packet_dissector.rs.
LINK_TYPES = [1, 0, 101, 12, 14, 113, 276, 228, 229, 108, 9, 104, 50, 127, 119, 284]
FILTERS = [
    "proto tcp and dst port 443 and not country US",
    "host 10.0.0.1 or (src net 192.168.0.0/16 && !port 53)",
    "service https and bytes >= 1M and duration > 10s",
    "since +10m and until 2024-01-01T00:00:00Z",
    "label private or country CN,RU",
    "state SF and packets > 3",
    "src host fe80::1 || dst host 2001:db8::/32",
]


def put(target, data):
    directory = HERE / "corpus" / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)


def frames(data):
    """(linktype, frame) of a classic pcap's first records."""
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        order = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        order = ">"
    else:
        return
    linktype = struct.unpack(order + "I", data[20:24])[0] & 0x0FFFFFFF
    at = 24
    for _ in range(40):
        if at + 16 > len(data):
            return
        caplen = struct.unpack(order + "I", data[at + 8 : at + 12])[0]
        frame = data[at + 16 : at + 16 + caplen]
        if len(frame) < caplen:
            return
        yield linktype, frame
        at += 16 + caplen


def main():
    captures = sorted(p for p in SOURCE.glob("*") if p.suffix in (".pcap", ".pcapng", ".cap"))
    if not captures:
        sys.exit(f"no captures in {SOURCE}")
    for path in captures:
        data = path.read_bytes()
        put("capture_decoder", data[:65536])
        put("pipeline", data[:65536])
        for linktype, frame in frames(data):
            if linktype in LINK_TYPES:
                put("packet_dissector", bytes([LINK_TYPES.index(linktype), 0]) + frame)
            elif linktype < 256:
                put("packet_dissector", bytes([250, linktype]) + frame)
    for text in FILTERS:
        put("filter_parser", text.encode())
    if shutil.which("tshark"):
        for path in captures:
            fields = ["-e", "tcp.payload", "-e", "udp.payload"]
            run = subprocess.run(["tshark", "-r", str(path), "-c", "300", "-T", "fields", *fields],
                                 capture_output=True, text=True)
            for line in run.stdout.splitlines():
                tcp_hex, _, udp_hex = line.partition("\t")
                payload = (tcp_hex or udp_hex).split(",")[0].replace(":", "")
                if payload:
                    put("payload_identifier", bytes([0x6F, 1 if tcp_hex else 0, 255]) + bytes.fromhex(payload)[:4000])
    for target in ("capture_decoder", "pipeline", "packet_dissector", "filter_parser", "payload_identifier"):
        directory = HERE / "corpus" / target
        count = len(list(directory.iterdir())) if directory.is_dir() else 0
        print(f"{target}: {count} seeds")


main()
