#!/usr/bin/env bash
# The flow-dense benchmark capture, built from the repository's fixtures: every Ethernet capture that
# tshark reads (fixtures/MANIFEST.tsv) and tcprewrite accepts, appended into one mix of 5.7 MB, then the
# mix copied COPIES times with its addresses remapped per copy. 20 copies: 112 MB, 287,080 packets,
# 38,127 flows; 190 copies: 1.06 GB, 362,147 flows (about 340 flows per MB, a busy server's density).
#
#   benches/make-mixed.sh OUT.pcap [COPIES]
#
# Deterministic (the same file as ../shared/bench/make-mixed.sh). Needs tcpreplay and wireshark-common.
set -euo pipefail
out=$1
copies=${2:-20}
fixtures=$(cd "$(dirname "$0")/../fixtures" && pwd)
for tool in tcprewrite mergecap editcap; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install tcpreplay wireshark-common" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
# Columns of the manifest: 1 file, 6 link type, 12 tshark's verdict.
while read -r file; do
  n=$((n + 1))
  part=$work/in$(printf %02d $n).pcap
  editcap -F pcap -T ether "$fixtures/$file" "$part"
  tcprewrite --seed=1 -i "$part" -o "$work/probe.pcap" >/dev/null 2>&1 || rm -f "$part"
done < <(awk -F'\t' 'NR > 1 && $6 ~ /^Ethernet \(1\)/ && $12 == "ok" { print $1 }' "$fixtures/MANIFEST.tsv")
mergecap -a -F pcap -w "$work/mix.pcap" "$work"/in*.pcap
rm -f "$work"/in*.pcap
batch=()
parts=()
for ((n = 1; n <= copies; n++)); do
  tcprewrite --seed=$n -i "$work/mix.pcap" -o "$work/copy$n.pcap" 2>/dev/null
  batch+=("$work/copy$n.pcap")
  if ((${#batch[@]} == 25 || n == copies)); then
    parts+=("$work/part$n.pcap")
    mergecap -a -F pcap -w "${parts[-1]}" $(printf '%s\n' "${batch[@]}" | sort -V)
    rm -f "${batch[@]}"
    batch=()
  fi
done
mergecap -a -F pcap -w "$out" "${parts[@]}"
ls -l "$out"
