/**
 * Rewind's off-chip memory: {@link dev.rewind.storage.BlobStore} holds typed blobs ({@link
 * dev.rewind.storage.FloatBlock}, {@link dev.rewind.storage.IntBlock}, {@link
 * dev.rewind.storage.SpikeFrame}, {@link dev.rewind.storage.SparseFloats}, {@link
 * dev.rewind.storage.ByteBlock}) under validated {@link dev.rewind.storage.BlobKey}s; {@link
 * dev.rewind.storage.BlobStores} opens stores over the tiers of {@code dev.rewind.storage.tier}.
 * Imports neither Spark nor ND4J.
 */
package dev.rewind.storage;
