#!/usr/bin/env bash
# The three loss heads (mean, last:300, per-step) on the long-memory task of learning-runs.sh,
# through `rewind train` on the JVM engine (per-step runs there only), for the seeds given
# (default 1 7 42). Each run leaves its folder under OUT (default runs/loss-heads) and one
# summary line: head, seed, test accuracy per epoch, seconds. EPOCHS (default 7) sets the epochs.
# Usage: docs/bench/loss-head-runs.sh [OUT] [SEED...]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/loss-heads}
shift || true
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 7 42)
jar=examples/target/rewind.jar
task=(--engine jvm --steps 1000 --delay 500 --cue-length 200 --recall-window 300 --channels 20 --layers 64 --tau 200
  --init-scale 40,1,2.5 --lr 0.03 --clip 0 --batch 32 --train-size 4096 --epochs "${EPOCHS:-7}")
mkdir -p "$out"
for seed in "${seeds[@]}"; do
  for head in mean last:300 per-step; do
    dir="$out/${head/:/}-seed$seed"
    rm -rf "$dir"
    start=$(date +%s)
    java --add-modules jdk.incubator.vector -jar "$jar" train "${task[@]}" --seed "$seed" --loss "$head" --out "$dir" \
      | tr '\r' '\n' | grep -E '^epoch [0-9]+/[0-9]+ +train' > "$dir.log"
    accs=$(sed -E 's/.*test loss [0-9.]+ acc +([0-9.]+)%.*/\1/' "$dir.log" | tr '\n' ' ')
    echo "$head seed $seed: test accuracy per epoch $accs in $(( $(date +%s) - start )) s"
  done
done
