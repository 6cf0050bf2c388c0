/**
 * File formats: {@link dev.rewind.storage.format.Envelope} (the tag, version range and CRC32C
 * footer of every Rewind file), {@link dev.rewind.storage.format.BlobFormat} (the blob header
 * inside it), {@link dev.rewind.storage.format.BlobCodec} (blobs to images and back) and the
 * payload codecs (spike bitmap / delta varint / Golomb gaps, raw or LZ4 / zstd dense values).
 */
package dev.rewind.storage.format;
