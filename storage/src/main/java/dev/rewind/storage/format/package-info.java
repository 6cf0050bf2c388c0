/**
 * The blob format: {@link dev.rewind.storage.format.BlobFormat} (header, CRC32C footer, version
 * range), {@link dev.rewind.storage.format.BlobCodec} (blobs to images and back) and the payload
 * codecs (spike bitmap / delta varint / Golomb gaps, raw or LZ4 / zstd dense values).
 */
package dev.rewind.storage.format;
