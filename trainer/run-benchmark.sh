#!/usr/bin/env bash
# Runs a trainer benchmark of docs/BENCHMARKS.md, offline, on a fresh clone (no install needed).
# Usage: trainer/run-benchmark.sh [args...]   (default: the forward+backward benchmark, T values)
# MAIN=<class> runs another main of the test sources, e.g.
#   MAIN=dev.rewind.trainer.checkpoint.ScheduleBenchmark JAVA_OPTS="-Dreps=2 -Xmx3g" \
#     trainer/run-benchmark.sh docs/bench 1000 10000
# Also leaves trainer/target/cp.txt, which benchmarks/compare_with_pytorch.py and
# docs/bench/max-length.sh read.
set -euo pipefail
cd "$(dirname "$0")/.."
# One reactor, so that the storage module resolves to its target/classes without an install.
mvn -B -o -q -Dspotless.check.skip=true -pl trainer -am test-compile dependency:build-classpath \
  -DskipTests -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
# shellcheck disable=SC2086
OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} exec java -Xmx4g --add-modules jdk.incubator.vector ${JAVA_OPTS:-} \
  -cp "trainer/target/test-classes:trainer/target/classes:$(cat trainer/target/cp.txt)" \
  "${MAIN:-dev.rewind.trainer.bench.ForwardBackwardBenchmark}" "$@"
