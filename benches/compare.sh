#!/usr/bin/env bash
# Compare commands on a noisy machine: run them in turn N times (default 60), so a slow spell
# of the host hits all alike, and print each one's median and minimum wall time and its ratio
# of medians to the first command's.
#
#   benches/compare.sh 'target/release/ca-cli flows F --format ndjson -q' \
#                      'target/release/ca-cli flows F --format ndjson -q --no-identify' [...]
#
# Each command is evaluated by this shell, so environment assignments (`VAR=1 command`) work.
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 'COMMAND A' 'COMMAND B' [...]   (N=runs, default 60)" >&2; exit 2; }
runs=${N:-60}
ms() { # wall microseconds of one run of the command in $1
  local start end
  start=$(date +%s%N)
  eval "$1" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}
for ((i = 0; i < runs; i++)); do
  k=0
  for command in "$@"; do
    echo "$k $(ms "$command")"
    k=$((k + 1))
  done
done | sort -k1,1n -k2,2n | awk -v n="$runs" -v count=$# '
  { v[$1, ++c[$1]] = $2 / 1000 }
  END {
    for (k = 0; k < count; k++) {
      m[k] = (n % 2) ? v[k, (n + 1) / 2] : (v[k, n / 2] + v[k, n / 2 + 1]) / 2
      printf "%c: median %.1f ms, min %.1f ms, %.3fx the first\n", 97 + k, m[k], v[k, 1], m[k] / m[0]
    }
  }'
