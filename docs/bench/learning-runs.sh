#!/usr/bin/env bash
# Full BPTT against truncated BPTT on the README's long-memory task, through `rewind train` on
# the Spark engine, for the seeds given (default 42 7 1). Each run leaves its folder under
# OUT (default runs/learning) and one summary line: mode, seed, final test accuracy, seconds.
# EPOCHS (default 7, as the README's main job) sets the epochs.
# Usage: docs/bench/learning-runs.sh [OUT] [SEED...]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/learning}
shift || true
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(42 7 1)
jar=examples/target/rewind.jar
task=(--steps 1000 --delay 500 --cue-length 200 --recall-window 300 --channels 20 --layers 64 --tau 200 --init-scale 40,1,2.5 --lr 0.03 --clip 0
  --batch 32 --train-size 4096 --epochs "${EPOCHS:-7}" --memory-budget 2m)
mkdir -p "$out"
for seed in "${seeds[@]}"; do
  for mode in full truncated; do
    extra=()
    [ "$mode" = truncated ] && extra=(--truncate 250)
    dir="$out/$mode-seed$seed"
    rm -rf "$dir"
    start=$(date +%s)
    java --add-modules jdk.incubator.vector -jar "$jar" train "${task[@]}" --seed "$seed" "${extra[@]}" --out "$dir" \
      | tr '\r' '\n' | grep -E '^epoch [0-9]+/[0-9]+ +train' > "$dir.log"
    acc=$(tail -1 "$dir.log" | sed -E 's/.*test loss [0-9.]+ acc +([0-9.]+)%.*/\1/')
    echo "$mode seed $seed: test accuracy $acc% in $(( $(date +%s) - start )) s"
  done
done
