#!/usr/bin/env bash
# Times the reference config (B=16, 128 inputs at 5 %, 512 recurrent LIF, 512 LIF, 10 classes)
# for T = 1000 and 4000 and both surrogates; appends one JSON line per run, preceded by the load
# average (timings on a shared machine are only comparable at a similar load), to $1.
# THREADS (default 2) sets torch.set_num_threads. OMP_WAIT_POLICY is passed through: on a
# machine with more runnable threads than cores, libgomp's default spin-waiting made two threads
# 10-20x slower than one; PASSIVE avoids that.
set -euo pipefail
cd "$(dirname "$0")"
out="${1:-timings.jsonl}"
threads="${THREADS:-2}"
for T in 1000 4000; do
  reps=$([ "$T" -le 1000 ] && echo 5 || echo 3)
  for surrogate in fast_sigmoid triangle; do
    echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg) nproc: $(nproc) OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-default}" >> "$out"
    /usr/bin/python3 snn_reference.py bench --T "$T" --surrogate "$surrogate" --reps "$reps" \
      --warmup 1 --threads "$threads" >> "$out"
  done
done
