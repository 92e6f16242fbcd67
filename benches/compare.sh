#!/usr/bin/env bash
# Compare two commands on a noisy machine: run them alternately N times (default 60), so a
# slow spell of the host hits both alike, and print each one's median and minimum wall time
# and the ratio of medians.
#
#   benches/compare.sh 'target/release/ca-cli flows F --format ndjson -q' \
#                      'target/release/ca-cli flows F --format ndjson -q --no-identify'
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 'COMMAND A' 'COMMAND B'   (N=runs, default 60)" >&2; exit 2; }
runs=${N:-60}
ms() { # wall milliseconds of one run of the command in $1 (word-split on purpose)
  local start end
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  $1 >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}
for ((i = 0; i < runs; i++)); do
  echo "a $(ms "$1")"
  echo "b $(ms "$2")"
done | sort -k1,1 -k2,2n | awk -v n="$runs" '
  { v[$1, ++c[$1]] = $2 / 1000 }
  END {
    for (k = 1; k <= 2; k++) {
      s = (k == 1) ? "a" : "b"
      m[s] = (n % 2) ? v[s, (n + 1) / 2] : (v[s, n / 2] + v[s, n / 2 + 1]) / 2
      printf "%s: median %.1f ms, min %.1f ms\n", s, m[s], v[s, 1]
    }
    printf "ratio of medians a/b: %.3f\n", m["a"] / m["b"]
  }'
