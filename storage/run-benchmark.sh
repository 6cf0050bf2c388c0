#!/usr/bin/env bash
# Runs the storage benchmark of docs/BENCHMARKS.md ("Storage"), offline.
# Usage: storage/run-benchmark.sh [MiB per block size] [rounds] [directories...]
# MAIN=dev.rewind.storage.bench.OffChipTierBenchmark storage/run-benchmark.sh [blobs] [rounds] [KiB,...]
# runs the off-chip tiers benchmark (local disk and MiniDFS, packs and a file per blob) instead.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -o -q -Dspotless.check.skip=true test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  "${MAIN:-dev.rewind.storage.bench.StorageBenchmark}" "$@"
