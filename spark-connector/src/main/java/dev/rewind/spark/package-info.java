/**
 * The Spark connector's root: the Kryo registration of the types that travel between driver and
 * executors. Its subpackages hold the Estimator ({@code ml}), distributed training ({@code train}),
 * row decoding ({@code data}) and metrics output ({@code metrics}).
 */
package dev.rewind.spark;
