#!/usr/bin/env bash
# Benchmark `ca-cli flows` on the benchmark capture (benches/make-capture.sh: pcpp_many-protocols.pcap, 70 copies
# with remapped addresses: ~205 MB, 329,630 packets), against tshark and nfpcapd when present.
#
#   benches/run.sh [COPIES]     (default 70; 700 builds ~2 GB; MANY_FLOWS=0 skips the memory part)
#
# Prints wall time, MB/s, packets/s and peak RSS (GNU time) for each tool, page cache warm. The
# local runs take turns, RUNS rounds (default 15) of benches/alternate.py, so their ratios hold
# on a host whose speed swings; tshark runs once, the downloads with hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-70}
runs=${RUNS:-15}
out=target/bench
capture=$out/bench-$copies.pcap
mkdir -p "$out"
[[ -s $capture ]] || benches/make-capture.sh "$capture" "$copies" >/dev/null
cargo build --release --locked -q
cargo build --release --locked -q --bench ceiling
bin=target/release/ca-cli
ceiling=$(ls -t target/release/deps/ceiling-* | grep -v '\.d$' | head -1)
size=$(stat -c %s "$capture")
packets=$(capinfos -M -c "$capture" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')
packets=${packets:-$($bin flows "$capture" --format json -q | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["packets"])')}
cat "$capture" >/dev/null # warm the page cache

# median wall seconds (hyperfine, $runs runs after 2 warm-ups; GNU time's best when hyperfine
# is missing) and peak RSS in kB (GNU time, one run) of a command
measure() {
  /usr/bin/time -f '%e %M' -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" || {
    cat "$out/stderr.txt" >&2; return 1; }
  local best rss
  read -r best rss <"$out/time.txt"
  if command -v hyperfine >/dev/null && ((runs > 1)); then
    hyperfine -N -w 2 -r "$runs" --export-json "$out/hf.json" --output=null -- "$(printf '%q ' "$@")" >/dev/null 2>&1 &&
      best=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$out/hf.json")
  else
    for ((i = 1; i < runs; i++)); do
      /usr/bin/time -f '%e %M' -o "$out/time.txt" "$@" >/dev/null 2>&1
      read -r t r <"$out/time.txt"
      awk "BEGIN{exit !($t < $best)}" && best=$t
    done
  fi
  echo "$best $rss"
}

printf '%s: %d bytes, %d packets, median of %d runs in turn (tshark: one)\n\n' "$capture" "$size" "$packets" "$runs"
printf '%-40s %9s %9s %12s %10s %8s\n' tool seconds MB/s packets/s "peak RSS" "vs ca-cli"
report() {
  local name=$1 t=$2 rss=$3 base=$4
  awk -v n="$name" -v t="$t" -v s="$size" -v p="$packets" -v r="$rss" -v b="$base" 'BEGIN {
    if (t == 0) t = 0.005
    printf "%-40s %9.3f %9.0f %12.0f %8.0f MB %7.2fx\n", n, t, s / t / 1e6, p / t, r / 1024, t / b }'
}
# The local runs in turn, round after round (benches/alternate.py), so that their ratios hold on
# a host whose speed swings: names and commands, the first ca-cli one the base of the ratios.
names=("ceiling (issue 5's 60-line loop)" "ca-cli flows --format ndjson" "ca-cli flows --threads 1"
  "ca-cli flows --threads 3 (identify apart)"
  "cat | ca-cli flows - (stdin)" "cat | dd (what the pipe delivers)" "ca-cli flows --format json"
  "ca-cli flows --no-geoip" "ca-cli flows --no-identify" "ca-cli dns --format json"
  "ca-cli stats --format json" "ca-cli protocols --format json" "ca-cli geo --format json")
q=$(printf '%q' "$capture")
commands=("$ceiling $q" "$bin flows $q --format ndjson" "$bin flows $q --format ndjson --threads 1"
  "$bin flows $q --format ndjson --threads 3"
  "cat $q | $bin flows - --format ndjson" "cat $q | dd of=/dev/null bs=1M status=none"
  "$bin flows $q --format json" "$bin flows $q --format ndjson --no-geoip"
  # Payload identification's cost (issue 7 budgets 15%): the same run without it.
  "$bin flows $q --format ndjson --no-identify" "$bin dns $q --format json"
  "$bin stats $q --format json" "$bin protocols $q --format json" "$bin geo $q --format json")
if command -v nfpcapd >/dev/null; then
  rm -rf "$out/nfcap" && mkdir -p "$out/nfcap"
  names+=("nfpcapd -r (flows only)")
  commands+=("rm -rf $out/nfcap/*; nfpcapd -r $q -w $out/nfcap")
fi
mapfile -t results < <(python3 benches/alternate.py "$runs" "${commands[@]}")
read -r ceiling_t _ <<<"${results[0]}"
read -r base _ <<<"${results[1]}"
read -r no_identify_t _ <<<"${results[8]}"
for i in "${!names[@]}"; do
  read -r t rss _ <<<"${results[$i]}"
  if ((i == 0)); then report "${names[$i]}" "$t" "$rss" "$t"; else report "${names[$i]}" "$t" "$rss" "$base"; fi
done
if command -v tshark >/dev/null; then
  runs=1 read -r t rss < <(runs=1 measure tshark -n -q -r "$capture" -z conv,tcp -z conv,udp)
  report "tshark -z conv,tcp -z conv,udp" "$t" "$rss" "$base"
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

printf '\nca-cli flows / ceiling: %s\n' "$(awk -v a="$base" -v b="$ceiling_t" 'BEGIN { printf "%.2f", a / b }')"
printf 'ca-cli flows / flows --no-identify: %s\n' "$(awk -v a="$base" -v b="$no_identify_t" 'BEGIN { printf "%.2f", a / b }')"

# Memory against flows: 5 million one-packet UDP flows over an hour of capture time (2.08 GB).
# Memory must follow the flows alive at once, not the file, the packets or the flows in total.
# With --idle-timeout 0 no flow ever idles out: all 5 million stay live, and only --max-flows
# (default 1,000,000) bounds the table; --max-flows 0 shows what it saves.
if [[ ${MANY_FLOWS:-1} != 0 ]]; then
  capture=$out/many-flows.pcap
  [[ -s $capture ]] || python3 benches/make-many-flows.py "$capture"
  size=$(stat -c %s "$capture")
  packets=5000000
  runs=1
  printf '\n%s: %d bytes, %d packets, 5,000,000 flows, one run each\n\n' "$capture" "$size" "$packets"
  printf '%-40s %9s %9s %12s %10s %8s\n' tool seconds MB/s packets/s "peak RSS" "vs first"
  first=
  for args in "flows --format ndjson" "flows --format ndjson --sort start" "flows --format json" \
              "flows" "flows --sort bytes --top 20" "stats --format json" "protocols --format json" \
              "geo --format json" "timeline --format json" "hours --format json" \
              "stats --format json --idle-timeout 0" "timeline --format json --idle-timeout 0" \
              "stats --format json --idle-timeout 0 --max-flows 0"; do
    # shellcheck disable=SC2086 # the arguments are words
    read -r t rss < <(measure "$bin" $args "$capture")
    first=${first:-$t}
    report "ca-cli $args" "$t" "$rss" "$first"
  done
  if command -v nfpcapd >/dev/null; then
    read -r t rss < <(measure sh -c "rm -rf '$out/nfcap'/*; nfpcapd -r '$capture' -w '$out/nfcap'")
    report "nfpcapd -r (flows only)" "$t" "$rss" "$first"
  fi
fi
