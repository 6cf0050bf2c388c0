package dev.rewind.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.storage.tier.PackTier;
import dev.rewind.storage.tier.Tier;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pack tier against a real in-process HDFS, started once for the class. */
class PackMiniDfsBlobStoreTest extends BaseBlobStoreTestCase {
  private static MiniDFSCluster cluster;
  private static Configuration conf;
  private static FileSystem fs;
  private org.apache.hadoop.fs.Path root;

  @BeforeAll
  static void startCluster() throws IOException {
    conf = new Configuration();
    // Closing a file polls the NameNode until the block is complete, first after 400 ms by
    // default; a short first delay keeps the suite fast.
    conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 10);
    conf.set(
        MiniDFSCluster.HDFS_MINIDFS_BASEDIR,
        Path.of("target", "minidfs").toAbsolutePath().toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    fs = cluster.getFileSystem();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @Override
  protected Tier newTier(String name) throws IOException {
    root = new org.apache.hadoop.fs.Path(fs.getUri().toString() + "/rewind/" + name);
    return PackTier.hadoop(
        URI.create(root.toString()),
        cluster.getConfiguration(0),
        PackLocalBlobStoreTest.SMALL_PACKS);
  }

  @Override
  protected List<String> filesUnderRoot() throws IOException {
    List<String> files = new ArrayList<>();
    if (!fs.exists(root)) {
      return files;
    }
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
    String prefix = fs.makeQualified(root).toUri().getPath() + "/";
    while (it.hasNext()) {
      files.add(it.next().getPath().toUri().getPath().substring(prefix.length()));
    }
    files.sort(null);
    return files;
  }

  @Override
  protected int blobsPerThread() {
    return 8;
  }

  @Test
  void packsAreOwnerOnlyOnHdfs() throws IOException {
    store.put(key(0, "v"), FloatBlock.of(1f));
    store.flush();
    List<String> files = filesUnderRoot();
    assertEquals(1, files.size(), "" + files);
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(root, files.get(0));
    assertEquals("rw-------", fs.getFileStatus(file).getPermission().toString());
    assertEquals("rwx------", fs.getFileStatus(file.getParent()).getPermission().toString());
  }

  @Test
  void blobsOfThePackBeingWrittenReadBackBetweenWrites() throws IOException {
    // Each read needs bytes that HDFS shows a reader only after hflush, and a shared input
    // opened before them cannot see them.
    for (int i = 0; i < 30; i++) {
      store.put(key(i, "v"), IntBlock.of(i, i + 1));
      for (int j = Math.max(0, i - 2); j <= i; j++) {
        assertEquals(IntBlock.of(j, j + 1), store.get(key(j, "v")));
      }
    }
    assertTrue(filesUnderRoot().size() == 1, "one pack holds 30 small blobs: " + filesUnderRoot());
  }
}
