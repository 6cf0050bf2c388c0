#!/usr/bin/env bash
# Runs the Spark connector step-time benchmark of docs/BENCHMARKS.md ("Spark connector"), offline.
# Usage: spark-connector/run-benchmark.sh [sequences] [steps] [channels] [width] [repeats] [taskBatch]
# MAIN=<class> runs another main of the test sources (e.g. dev.rewind.spark.ml.LongMemoryEstimatorTest).
set -euo pipefail
cd "$(dirname "$0")/.."
# One reactor, so that sibling modules resolve to their target/classes without an install.
mvn -B -o -q -Dspotless.check.skip=true -pl spark-connector -am test-compile dependency:build-classpath \
  -DskipTests -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
# Sibling modules from this checkout, not from ~/.m2.
deps=$(tr ':' '\n' < spark-connector/target/test-classpath.txt | grep -v '/dev/rewind/' | paste -sd:)
flags=$(sed -n 's:.*<rewind.jvm.flags>\(.*\)</rewind.jvm.flags>.*:\1:p' pom.xml)
cd spark-connector
# local-cluster benchmarks (SegmentBenchmark) start executors from SPARK_HOME, of which an empty
# jars/ suffices: the class path, absolute, travels in spark.executor.extraClassPath.
# shellcheck disable=SC2086
SPARK_HOME=$PWD/target/spark-home SPARK_SCALA_VERSION=$(sed -n 's:.*<scala.binary.version>\(.*\)</scala.binary.version>.*:\1:p' ../pom.xml) \
SPARK_LOCAL_IP=127.0.0.1 OMP_NUM_THREADS=1 exec java -Xmx3g $flags -Djava.io.tmpdir=target \
  -Dlog4j2.configurationFile=src/test/resources/log4j2-test.properties \
  -cp "$PWD/target/test-classes:$PWD/target/classes:$PWD/../trainer/target/classes:$PWD/../storage/target/classes:$deps" \
  "${MAIN:-dev.rewind.spark.bench.StepTimeBenchmark}" "$@"
