package dev.rewind.spark.internal.train;

import java.io.Serializable;
import java.net.URI;

/**
 * Where and how a task keeps its off-chip blobs, validated at construction.
 *
 * @param location empty for the executors' local dirs ({@code spark.local.dir}), else an absolute
 *     Hadoop URI (hdfs://, file://, s3a://...)
 * @param layout {@code packs}: blobs appended to a few large files ({@code PackTier}); {@code
 *     files}: one file per blob, slower (creating a file costs milliseconds locally and tens of
 *     them on HDFS) but each blob can be looked at on its own
 */
public record OffChip(String location, String layout) implements Serializable {
  /** The executors' local dirs, in pack files. */
  public static final OffChip EXECUTOR_LOCAL = new OffChip("", "packs");

  public OffChip {
    if (location == null) {
      throw new IllegalArgumentException("offChipLocation: expected a location, got null");
    }
    if (!"packs".equals(layout) && !"files".equals(layout)) {
      throw new IllegalArgumentException(
          "offChipLayout: expected packs or files, got '" + layout + "'");
    }
    if (!location.isEmpty()) {
      URI uri;
      try {
        uri = URI.create(location);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "offChipLocation: expected a Hadoop URI such as hdfs://host:port/dir, got '"
                + location
                + "'");
      }
      if (uri.getScheme() == null) {
        throw new IllegalArgumentException(
            "offChipLocation: expected a URI with a scheme (hdfs://, file://, ...), got '"
                + location
                + "'");
      }
    }
  }

  boolean packs() {
    return layout.equals("packs");
  }

  /**
   * The tier's name in the cost-calibration cache: {@code local-disk} or the URI's scheme, with
   * {@code -packs} under the pack layout, whose costs differ from a file per blob's.
   */
  public String tierName() {
    String tier = location.isEmpty() ? "local-disk" : URI.create(location).getScheme();
    return packs() ? tier + "-packs" : tier;
  }
}
