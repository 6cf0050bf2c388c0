#!/usr/bin/env bash
# The per-step loss head on the Spark engine (embedded local[*]) through `rewind train`: the
# long-memory task with its 20-step recall window labelled at every step (T = DELAY + 40, default
# delay 80), for the seeds given (default 1 7 42). Each run leaves its folder under OUT (default
# runs/per-step-spark) and one summary line: seed, test accuracy over the labelled steps per
# epoch, seconds.
# Usage: [DELAY=N] [EPOCHS=N] docs/bench/per-step-spark-runs.sh [OUT] [SEED...]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/per-step-spark}
shift || true
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 7 42)
delay=${DELAY:-80}
jar=examples/target/rewind.jar
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
task=(--steps $((delay + 40)) --delay "$delay" --cue-length 10 --recall-window 20 --channels 20
  --layers 64 --loss per-step --lr 0.05 --batch 32 --train-size 512 --test-size 128 --epochs "${EPOCHS:-10}")
mkdir -p "$out"
for seed in "${seeds[@]}"; do
  dir="$out/seed$seed"
  rm -rf "$dir"
  start=$(date +%s)
  java --add-modules jdk.incubator.vector -jar "$jar" train --task long-memory "${task[@]}" --seed "$seed" --out "$dir" \
    2> "$dir.err" | tr '\r' '\n' | grep -E '^epoch [0-9]+/[0-9]+ +train' > "$dir.log" || true
  accs=$(sed -E 's/.*test loss [0-9.]+ acc +([0-9.]+)%.*/\1/' "$dir.log" | tr '\n' ' ')
  echo "seed $seed: test accuracy per epoch $accs in $(( $(date +%s) - start )) s"
done
