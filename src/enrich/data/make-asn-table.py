#!/usr/bin/env python3
"""Build asn-table.bin, the bundled IP-to-AS table, from the npm package @ip-location-db/asn.

    npm pack @ip-location-db/asn@2.3.2026061719 && tar xzf ip-location-db-asn-*.tgz
    python3 src/enrich/data/make-asn-table.py package src/enrich/data/asn-table.bin

The package's asn-ipv4-num.csv and asn-ipv6-num.csv rows are (first, last, asn, organisation),
sorted and, but for one pair, disjoint; where a range overlaps the one before it, the earlier keeps
the overlap (the later is clipped to start after it). The table, little-endian throughout:

    b"CAASN\\x00\\x01\\x00"
    u32 v4_count, u32 v6_count, u32 org_count, u32 names_len
    u32 v4_first[v4_count], u32 v4_last[v4_count], u32 v4_org[v4_count]
    u128 v6_first[v6_count], u128 v6_last[v6_count], u32 v6_org[v6_count]
    u32 org_asn[org_count], u32 org_name_end[org_count], names (UTF-8, names_len bytes)

Organisation `i`'s name is names[org_name_end[i-1]:org_name_end[i]] (from 0 for the first).
"""

import csv
import struct
import sys


def ranges(path, orgs, index):
    rows = []
    for first, last, asn, name in csv.reader(open(path, encoding="utf-8", newline="")):
        first, last, key = int(first), int(last), (int(asn), name)
        if key not in index:
            index[key] = len(orgs)
            orgs.append(key)
        if rows and first <= rows[-1][1]:
            first = rows[-1][1] + 1
            if first > last:
                continue
        rows.append((first, last, index[key]))
    return rows


def main(package, out):
    orgs, index = [], {}
    v4 = ranges(f"{package}/asn-ipv4-num.csv", orgs, index)
    v6 = ranges(f"{package}/asn-ipv6-num.csv", orgs, index)
    names = b""
    ends = []
    for _, name in orgs:
        names += name.encode("utf-8")
        ends.append(len(names))
    with open(out, "wb") as f:
        f.write(b"CAASN\x00\x01\x00")
        f.write(struct.pack("<4I", len(v4), len(v6), len(orgs), len(names)))
        for column in range(2):
            f.write(struct.pack(f"<{len(v4)}I", *(r[column] for r in v4)))
        f.write(struct.pack(f"<{len(v4)}I", *(r[2] for r in v4)))
        for column in range(2):
            for r in v6:
                f.write(r[column].to_bytes(16, "little"))
        f.write(struct.pack(f"<{len(v6)}I", *(r[2] for r in v6)))
        f.write(struct.pack(f"<{len(orgs)}I", *(asn for asn, _ in orgs)))
        f.write(struct.pack(f"<{len(orgs)}I", *ends))
        f.write(names)
    print(f"{out}: {len(v4)} IPv4 and {len(v6)} IPv6 ranges, {len(orgs)} organisations")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
