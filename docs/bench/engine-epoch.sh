#!/usr/bin/env bash
# One epoch at the CLI's defaults (long-memory T = 1000, 2 x 128 LIF, 256 sequences, batch 16) on
# Spark local[1], Spark local[2], and the JVM engine pinned to 1 and to 2 cores, same data and
# seed, one after the other in one run. Prints each epoch's seconds (the run folder's
# metrics.csv) and the ratios the front-door issue asks for. EPOCHS=N (default 1) trains N epochs
# per run and adds the ratios of the mean of epochs 2..N, once start-up is behind, and (N >= 4) of
# the second half of the epochs, once Spark's JIT warm-up on one core is behind too.
# SPARK_OPTIONS="..." adds options to the Spark runs only (e.g. "--steps-per-job 1").
# Usage: [EPOCHS=N] [SPARK_OPTIONS=...] docs/bench/engine-epoch.sh [EXTRA_TRAIN_OPTIONS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=examples/target/rewind.jar
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
epochs=${EPOCHS:-1}
runs=$(mktemp -d)
trap 'rm -rf "$runs"' EXIT
epoch() { # NAME COMMAND...: runs it with --out, prints every epoch's seconds
  local name=$1
  shift
  "$@" --out "$runs/$name" > "$runs/$name.log" 2>&1 || { cat "$runs/$name.log" >&2; exit 1; }
  tail -n +2 "$runs/$name/metrics.csv" | cut -d, -f7 | tr -d '\r' | xargs printf '%.3f ' | sed 's/ $//'
}
args=(train --epochs "$epochs" "$@")
read -r -a spark_args <<< "${SPARK_OPTIONS:-}"
s1=$(OMP_NUM_THREADS=1 epoch s1 taskset -c 0 java --add-modules jdk.incubator.vector -Dspark.master='local[1]' -jar "$jar" "${args[@]}" "${spark_args[@]}")
s2=$(OMP_NUM_THREADS=2 epoch s2 java --add-modules jdk.incubator.vector -Dspark.master='local[2]' -jar "$jar" "${args[@]}" "${spark_args[@]}")
j1=$(OMP_NUM_THREADS=1 epoch j1 taskset -c 0 java --add-modules jdk.incubator.vector -jar "$jar" "${args[@]}" --engine jvm)
j2=$(OMP_NUM_THREADS=2 epoch j2 java --add-modules jdk.incubator.vector -jar "$jar" "${args[@]}" --engine jvm)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'epoch seconds: spark local[1] %s; spark local[2] %s; jvm 1 core %s; jvm 2 cores %s\n' \
  "$s1" "$s2" "$j1" "$j2"
awk -v s1="$s1" -v s2="$s2" -v j1="$j1" -v j2="$j2" -v n="$epochs" 'BEGIN {
  split(s1, a, " "); split(s2, b, " "); split(j1, c, " "); split(j2, d, " ")
  printf "first epoch: local[1] / jvm 1 core = %.2f (goal <= 1.15), ", a[1] / c[1]
  printf "local[2] / local[1] = %.2f (goal <= 0.6), ", b[1] / a[1]
  printf "local[2] / jvm 2 cores = %.2f\n", b[1] / d[1]
  if (n > 1) {
    for (i = 2; i <= n; i++) { sa += a[i]; sb += b[i]; sc += c[i]; sd += d[i] }
    printf "epochs 2-%d (mean %.3f, %.3f, %.3f, %.3f s): ", n, sa / (n-1), sb / (n-1), sc / (n-1), sd / (n-1)
    printf "local[1] / jvm 1 core = %.2f, ", sa / sc
    printf "local[2] / local[1] = %.2f, local[2] / jvm 2 cores = %.2f\n", sb / sa, sb / sd
  }
  if (n >= 4) {
    # The second half of the run: Spark on one core is still JIT-compiling its own code for
    # several epochs after the JVM engine is warm.
    h = int(n / 2) + 1; sa = sb = sc = sd = 0
    for (i = h; i <= n; i++) { sa += a[i]; sb += b[i]; sc += c[i]; sd += d[i] }
    printf "epochs %d-%d: local[1] / jvm 1 core = %.2f, local[2] / local[1] = %.2f, ", h, n, sa / sc, sb / sa
    printf "local[2] / jvm 2 cores = %.2f\n", sb / sd
  } }'
