package dev.rewind.spark.internal.data;

/** A chunk's identity and length, without its frames. */
record ChunkShape(long sequence, int index, int label, int steps) {}
