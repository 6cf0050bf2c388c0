/**
 * Built-in datasets beyond the trainer's synthetic tasks (Fashion-MNIST from IDX files, Randman)
 * and the encodings that turn images into spike frames (latency, delta, sequential). Uses the
 * trainer's {@code data} types only: no Spark, no CLI.
 */
package dev.rewind.examples.datasets;
