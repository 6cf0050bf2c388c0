#!/usr/bin/env bash
# Fixed against trainable time constants (MODEL_SPEC v2) on the long-memory task of
# loss-head-runs.sh, through `rewind train` on the JVM engine, for the seeds given (default 1 7 42):
# the mean head with fixed leaks, with --train-tau at the rate of every other parameter, and with
# --train-tau --tau-lr 0.01. Each run leaves its folder under OUT (default runs/train-tau) and one
# summary line: run, seed, test accuracy per epoch, seconds. DELAY (default 500) sets the delay
# (T = DELAY + 500), EPOCHS (default 7) the epochs.
# Usage: docs/bench/train-tau-runs.sh [OUT] [SEED...]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/train-tau}
shift || true
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 7 42)
delay=${DELAY:-500}
jar=examples/target/rewind.jar
task=(--engine jvm --steps $((delay + 500)) --delay "$delay" --cue-length 200 --recall-window 300 --channels 20
  --layers 64 --tau 200 --init-scale 40,1,2.5 --lr 0.03 --clip 0 --batch 32 --train-size 4096 --epochs "${EPOCHS:-7}")
mkdir -p "$out"
for seed in "${seeds[@]}"; do
  for run in fixed train-tau train-tau-lr0.01; do
    case $run in
      fixed) extra=() ;;
      train-tau) extra=(--train-tau) ;;
      train-tau-lr0.01) extra=(--train-tau --tau-lr 0.01) ;;
    esac
    dir="$out/$run-seed$seed"
    rm -rf "$dir"
    start=$(date +%s)
    # A run whose gradient overflows stops with its message; the epochs before it are kept.
    java --add-modules jdk.incubator.vector -jar "$jar" train "${task[@]}" --seed "$seed" "${extra[@]}" --out "$dir" \
      2> "$dir.err" | tr '\r' '\n' | grep -E '^epoch [0-9]+/[0-9]+ +train' > "$dir.log" || true
    accs=$(sed -E 's/.*test loss [0-9.]+ acc +([0-9.]+)%.*/\1/' "$dir.log" | tr '\n' ' ')
    echo "$run seed $seed: test accuracy per epoch $accs in $(( $(date +%s) - start )) s $(grep -o 'epoch [0-9]*, step [0-9]*: expected a finite gradient' "$dir.err" || true)"
  done
done
