package dev.rewind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.tier.LocalDiskTier;
import dev.rewind.storage.tier.StripedTier;
import dev.rewind.storage.tier.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Local disk tiers over two directories, as over two Spark executor local dirs. */
class StripedBlobStoreTest extends BaseBlobStoreTestCase {
  private Path first;
  private Path second;

  @Override
  protected Tier newTier(String name) throws IOException {
    Path base = Path.of("target", "striped-test");
    Files.createDirectories(base);
    Path dir = Files.createTempDirectory(base, name);
    first = dir.resolve("disk1");
    second = dir.resolve("disk2");
    return new StripedTier(
        List.of(new LocalDiskTier(first, false), new LocalDiskTier(second, false)));
  }

  @Override
  protected List<String> filesUnderRoot() throws IOException {
    List<String> files = new ArrayList<>(LocalDiskBlobStoreTest.listFiles(first));
    files.addAll(LocalDiskBlobStoreTest.listFiles(second));
    files.sort(null);
    return files;
  }

  @Test
  void blobsAreSpreadOverBothDirectories() throws IOException {
    for (int i = 0; i < 40; i++) {
      store.put(key(i, "v"), IntBlock.of(i));
    }
    int inFirst = LocalDiskBlobStoreTest.listFiles(first).size();
    int inSecond = LocalDiskBlobStoreTest.listFiles(second).size();
    assertEquals(40, inFirst + inSecond);
    assertTrue(inFirst > 5 && inSecond > 5, inFirst + " and " + inSecond);
  }
}
