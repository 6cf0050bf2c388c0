/**
 * The Spark ML API: {@link dev.rewind.spark.ml.SpikingSequenceClassifier} (an Estimator whose
 * Params carry every model and training option) and {@link
 * dev.rewind.spark.ml.SpikingSequenceClassificationModel} (transform, evaluation, save and load
 * through MLlib's writer and reader with a checksummed data file). Uses Spark ML, {@code
 * spark.data}, the connector's internal packages and the trainer's model and training types.
 */
package dev.rewind.spark.ml;
