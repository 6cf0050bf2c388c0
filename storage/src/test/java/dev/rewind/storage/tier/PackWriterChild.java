package dev.rewind.storage.tier;

import java.nio.file.Path;

/** A JVM that writes a blob into a pack tier under its first argument and waits to be killed. */
final class PackWriterChild {
  private PackWriterChild() {}

  public static void main(String[] args) throws Exception {
    PackTier tier = PackTier.local(Path.of(args[0]), PackTier.DEFAULT_PACK_BYTES);
    tier.write("run/a0/b0/v/0.rwb", new byte[4096]);
    tier.flush();
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(120_000);
  }
}
