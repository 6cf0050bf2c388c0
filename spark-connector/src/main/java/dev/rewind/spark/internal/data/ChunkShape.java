package dev.rewind.spark.internal.data;

/** A chunk's identity, length and per-step supervision, without its frames. */
record ChunkShape(long sequence, int index, int label, int steps, StepSupervision supervision) {}
