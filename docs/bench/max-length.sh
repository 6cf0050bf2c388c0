#!/usr/bin/env bash
# Longest sequence one exact training step of the reference setting survives under -Xmx1g:
# store-all BPTT against `auto` (256 MiB budget, slow tier and input spool on local disk).
# Usage: docs/bench/max-length.sh WORKDIR "STORE_ALL_LENGTHS" "AUTO_LENGTHS"
# Needs: mvn -B -o -q -pl trainer -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
set -u
work=${1:-target/max-length}
storeall=${2:-"8000 10000 12000 14000"}
auto=${3:-"100000"}
export OMP_NUM_THREADS=1  # one BLAS thread: on a shared machine two were much slower
cp="trainer/target/classes:trainer/target/test-classes:$(cat trainer/target/cp.txt)"
mkdir -p "$work"
for t in $storeall; do
  java -Xmx1g -cp "$cp" dev.rewind.trainer.checkpoint.MaxLengthProbe store-all "$t" "$work" 2>&1 | grep -E '^(OK|OOM)'
done
for t in $auto; do
  java -Xmx1g -cp "$cp" dev.rewind.trainer.checkpoint.MaxLengthProbe auto "$t" "$work" $((256 << 20)) 2>&1 | grep -E '^(OK|OOM)'
done
