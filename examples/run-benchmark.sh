#!/usr/bin/env bash
# Runs the off-chip benchmark of docs/BENCHMARKS.md ("Off-chip tiers"), offline.
# Usage: examples/run-benchmark.sh [training sequences] [schedule]
set -euo pipefail
cd "$(dirname "$0")/.."
# One reactor, so that sibling modules resolve to their target/classes without an install.
mvn -B -o -q -Dspotless.check.skip=true -pl examples -am test-compile dependency:build-classpath \
  -DskipTests -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
# Sibling modules from this checkout, not from ~/.m2.
deps=$(tr ':' '\n' < examples/target/test-classpath.txt | grep -v '/dev/rewind/' | paste -sd:)
flags=$(sed -n 's:.*<rewind.jvm.flags>\(.*\)</rewind.jvm.flags>.*:\1:p' pom.xml)
cd examples
# shellcheck disable=SC2086
SPARK_LOCAL_IP=127.0.0.1 OMP_NUM_THREADS=1 exec java -Xmx3g $flags -Djava.io.tmpdir=target \
  -Dlog4j2.configurationFile=src/test/resources/log4j2-test.properties \
  -cp "target/test-classes:target/classes:../spark-connector/target/classes:../trainer/target/classes:../storage/target/classes:$deps" \
  "${MAIN:-dev.rewind.examples.bench.OffChipBenchmark}" "$@"
