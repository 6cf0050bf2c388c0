#!/usr/bin/env bash
# One epoch at the CLI's defaults (long-memory T = 1000, 2 x 128 LIF, 256 sequences, batch 16) on
# Spark local[1], Spark local[2], and the JVM engine pinned to 1 and to 2 cores, same data and
# seed, one after the other in one run. Prints each epoch's seconds and the ratios the
# front-door issue asks for. Usage: docs/bench/engine-epoch.sh [EXTRA_TRAIN_OPTIONS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=examples/target/rewind.jar
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
epoch() { # prints the epoch's seconds from the "epoch 1/1 ... | N s" line
  "$@" 2>&1 | tr '\r' '\n' | grep -E '^epoch 1/1 +train' | sed -E 's/.*\| +([0-9.]+) s$/\1/'
}
args=(train --epochs 1 "$@")
s1=$(OMP_NUM_THREADS=1 epoch taskset -c 0 java -Dspark.master='local[1]' -jar "$jar" "${args[@]}")
s2=$(OMP_NUM_THREADS=2 epoch java -Dspark.master='local[2]' -jar "$jar" "${args[@]}")
j1=$(OMP_NUM_THREADS=1 epoch taskset -c 0 java -jar "$jar" "${args[@]}" --engine jvm)
j2=$(OMP_NUM_THREADS=2 epoch java -jar "$jar" "${args[@]}" --engine jvm)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'epoch seconds: spark local[1] %s, spark local[2] %s, jvm 1 core %s, jvm 2 cores %s\n' \
  "$s1" "$s2" "$j1" "$j2"
awk -v s1="$s1" -v s2="$s2" -v j1="$j1" -v j2="$j2" 'BEGIN {
  printf "local[1] / jvm 1 core = %.2f (goal <= 1.15)\n", s1 / j1
  printf "local[2] / local[1] = %.2f (goal <= 0.6)\n", s2 / s1
  printf "local[2] / jvm 2 cores = %.2f\n", s2 / j2 }'
