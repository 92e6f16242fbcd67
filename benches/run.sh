#!/usr/bin/env bash
# Benchmark `ca-cli flows` on the shared benchmark capture (pcpp_many-protocols.pcap, 70 copies
# with remapped addresses: ~205 MB, 329,630 packets), against tshark and nfpcapd when present.
#
#   benches/run.sh [COPIES]     (default 70; 700 builds ~2 GB)
#
# Prints wall time (best of RUNS), MB/s, packets/s and peak RSS for each tool. Page cache warm.
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-70}
runs=${RUNS:-5}
shared=../shared/bench/make-capture.sh
out=target/bench
capture=$out/bench-$copies.pcap
mkdir -p "$out"
[[ -f $shared ]] || { echo "needs $shared (the shared material beside the repository)" >&2; exit 1; }
[[ -s $capture ]] || bash "$shared" "$capture" "$copies" >/dev/null
cargo build --release --locked -q
bin=target/release/ca-cli
size=$(stat -c %s "$capture")
packets=$(capinfos -M -c "$capture" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')
packets=${packets:-$($bin flows "$capture" --format json -q | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["packets"])')}
cat "$capture" >/dev/null # warm the page cache

# best wall seconds and peak RSS (kB) over $runs runs of a command
measure() {
  local best="" rss=0 t
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%e %M' -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" || {
      cat "$out/stderr.txt" >&2; return 1; }
    read -r t r <"$out/time.txt"
    if [[ -z $best ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    ((r > rss)) && rss=$r
  done
  echo "$best $rss"
}

printf '%s: %d bytes, %d packets, best of %d runs\n\n' "$capture" "$size" "$packets" "$runs"
printf '%-34s %9s %9s %12s %10s %8s\n' tool seconds MB/s packets/s "peak RSS" "vs ca-cli"
report() {
  local name=$1 t=$2 rss=$3 base=$4
  awk -v n="$name" -v t="$t" -v s="$size" -v p="$packets" -v r="$rss" -v b="$base" 'BEGIN {
    if (t == 0) t = 0.005
    printf "%-34s %9.3f %9.0f %12.0f %8.0f MB %7.1fx\n", n, t, s / t / 1e6, p / t, r / 1024, t / b }'
}
read -r t rss < <(measure "$bin" flows "$capture" --format ndjson)
base=$t
report "ca-cli flows --format ndjson" "$t" "$rss" "$base"
read -r t rss < <(measure sh -c "cat '$capture' | $bin flows - --format ndjson")
report "cat | ca-cli flows - (stdin)" "$t" "$rss" "$base"
read -r t rss < <(measure "$bin" flows "$capture" --format json)
report "ca-cli flows --format json" "$t" "$rss" "$base"
read -r t rss < <(measure "$bin" flows "$capture" --format ndjson --no-geoip)
report "ca-cli flows --no-geoip" "$t" "$rss" "$base"
for view in stats protocols geo; do
  read -r t rss < <(measure "$bin" "$view" "$capture" --format json)
  report "ca-cli $view --format json" "$t" "$rss" "$base"
done
if command -v tshark >/dev/null; then
  runs=1 read -r t rss < <(runs=1 measure tshark -n -q -r "$capture" -z conv,tcp -z conv,udp)
  report "tshark -z conv,tcp -z conv,udp" "$t" "$rss" "$base"
fi
if command -v nfpcapd >/dev/null; then
  rm -rf "$out/nfcap" && mkdir -p "$out/nfcap"
  read -r t rss < <(measure sh -c "rm -rf '$out/nfcap'/*; nfpcapd -r '$capture' -w '$out/nfcap'")
  report "nfpcapd -r (flows only)" "$t" "$rss" "$base"
fi

# Downloads: the same capture as a SAS URL from Azurite (loopback), one connection against four.
if command -v azurite-blob >/dev/null && python3 -c "import azure.storage.blob" 2>/dev/null; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  work=$(mktemp -d)
  (cd "$work" && exec azurite-blob --blobHost 127.0.0.1 --blobPort "$port" --inMemoryPersistence \
     --silent --disableTelemetry --skipApiVersionCheck >/dev/null 2>&1) &
  azurite=$!
  trap 'kill $azurite 2>/dev/null; rm -rf "$work"' EXIT
  for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
  url=$(python3 tests/azurite/blobs.py --endpoint "http://127.0.0.1:$port/devstoreaccount1" \
        --container bench "bench.pcap=$capture" | python3 -c 'import json,sys; print(json.load(sys.stdin)["blobs"]["bench.pcap"]["url"])')
  read -r t rss < <(measure "$bin" flows "$url" --format ndjson --connections 1)
  report "SAS URL, --connections 1" "$t" "$rss" "$base"
  read -r t rss < <(measure "$bin" flows "$url" --format ndjson --connections 4)
  report "SAS URL, --connections 4" "$t" "$rss" "$base"
fi

# Downloads over a link that caps each connection (40 MB/s), as a blob store across a WAN does.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 benches/throttled_server.py "$capture" "$port" 40e6 &
throttled=$!
for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
runs=1
for c in 1 4 8; do
  read -r t rss < <(measure "$bin" flows "http://127.0.0.1:$port/bench.pcap" --format ndjson --connections "$c")
  report "40 MB/s per connection, --connections $c" "$t" "$rss" "$base"
done
kill $throttled 2>/dev/null
