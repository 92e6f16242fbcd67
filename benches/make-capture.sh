#!/usr/bin/env bash
# The first benchmark capture, built from the repository's fixtures: fixtures/pcpp_many-protocols.pcap
# copied COPIES times, each copy's addresses remapped (tcprewrite --seed=N) so that it adds flows of its
# own, then appended into one classic pcap. 70 copies: ~205 MB, 329,630 packets, 18k flows.
#
#   benches/make-capture.sh OUT.pcap [COPIES]
#
# Deterministic (the same file as ../shared/bench/make-capture.sh). Needs tcpreplay and wireshark-common.
set -euo pipefail
out=$1
copies=${2:-70}
fixtures=$(cd "$(dirname "$0")/../fixtures" && pwd)
for tool in tcprewrite mergecap; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install tcpreplay wireshark-common" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Merged 50 copies at a time: mergecap holds every input open.
batch=()
parts=()
for ((n = 1; n <= copies; n++)); do
  tcprewrite --seed=$n -i "$fixtures/pcpp_many-protocols.pcap" -o "$work/copy$n.pcap"
  batch+=("$work/copy$n.pcap")
  if ((${#batch[@]} == 50 || n == copies)); then
    parts+=("$work/part$n.pcap")
    mergecap -a -F pcap -w "${parts[-1]}" "${batch[@]}"
    rm -f "${batch[@]}"
    batch=()
  fi
done
mergecap -a -F pcap -w "$out" "${parts[@]}"
ls -l "$out"
