package dev.rewind.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thin application jar ({@code rewind-spark-app.jar}) submitted with Spark's own {@code
 * SparkSubmit}, from a classpath of Spark's jars only (as a Spark distribution's {@code jars/}):
 * proves the jar carries every non-Spark dependency and that {@code spark.rewind.*} confs reach the
 * options. Runs after {@code package} (surefire execution {@code spark-submit-test}).
 */
@Tag("submit")
class SparkSubmitTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void theThinJarTrainsThroughSparkSubmit() throws IOException, InterruptedException {
    Path appJar = Path.of(System.getProperty("rewind.appJar"));
    Path sparkJars = Path.of(System.getProperty("rewind.sparkJars"));
    assertTrue(Files.isRegularFile(appJar), appJar + " (run mvn package first)");
    try (var jars = Files.list(sparkJars)) {
      List<String> names = jars.map(p -> p.getFileName().toString()).toList();
      assertTrue(names.stream().anyMatch(n -> n.startsWith("spark-core_")), names.toString());
      assertTrue(names.stream().noneMatch(n -> n.startsWith("rewind-")), names.toString());
      assertTrue(names.stream().noneMatch(n -> n.startsWith("nd4j-")), names.toString());
    }
    Path run = dir.resolve("run");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(List.of(System.getProperty("rewind.jvmFlags").trim().split("\\s+")));
    command.addAll(
        List.of(
            "-Djava.io.tmpdir=" + dir,
            "-cp",
            sparkJars + File.separator + "*",
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            "local[2]",
            "--class",
            "dev.rewind.examples.RewindCli",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.serializer=org.apache.spark.serializer.KryoSerializer",
            "--conf",
            "spark.kryo.registrator=dev.rewind.spark.RewindKryoRegistrator",
            "--conf",
            "spark.kryo.registrationRequired=true",
            "--conf",
            "spark.local.dir=" + dir.resolve("spark-local"),
            "--conf",
            "spark.rewind.epochs=2",
            "--conf",
            "spark.rewind.schedule=store-all",
            appJar.toString(),
            "train",
            "--steps",
            "60",
            "--delay",
            "20",
            "--cue-length",
            "10",
            "--recall-window",
            "10",
            "--channels",
            "8",
            "--layers",
            "12",
            "--batch",
            "8",
            "--train-size",
            "16",
            "--test-size",
            "8",
            "--out",
            run.toString()));
    Path log = dir.resolve("spark-submit.log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
    }
    String output = Files.readString(log);
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("master local[2]"), output);
    assertTrue(output.contains("epoch 2/2"), output);
    assertEquals(2, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "spark.rewind.epochs");
    assertTrue(Files.exists(run.resolve("spark-model/data/model.bin")));
    assertTrue(Files.exists(run.resolve("params/Wo.npy")));
  }
}
