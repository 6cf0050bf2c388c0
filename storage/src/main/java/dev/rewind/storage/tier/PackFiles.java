package dev.rewind.storage.tier;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * Where a {@link PackTier} keeps its pack files: append-only files in folders under one root, on
 * the local disk ({@link LocalPackFiles}) or in any Hadoop FileSystem ({@link HadoopPackFiles}).
 * Files and folders are created owner-only. Names are single path segments.
 */
interface PackFiles extends Closeable {

  /** A short description of the root, e.g. {@code local:/data/rewind}. */
  String name();

  /** Creates folder {@code folder} under the root, failing if it exists. */
  void createFolder(String folder) throws IOException;

  /** Removes folder {@code folder} and what it holds; does nothing when it is absent. */
  void deleteFolder(String folder) throws IOException;

  /** The folders under the root whose name starts with {@code prefix}. */
  List<String> folders(String prefix) throws IOException;

  /** When anything in {@code folder} last changed: its own and its files' modification times. */
  Instant lastModified(String folder) throws IOException;

  /** Creates the new, empty file {@code file} in {@code folder} for appending. */
  Output create(String folder, String file) throws IOException;

  /** Opens file {@code file} in {@code folder} for positioned reads. */
  Input open(String folder, String file) throws IOException;

  void delete(String folder, String file) throws IOException;

  /** The full location of a file, for error messages. */
  String location(String folder, String file);

  /** An open pack file being appended to. */
  interface Output extends Closeable {
    /** Appends the buffer's remaining bytes. */
    void append(ByteBuffer bytes) throws IOException;

    /** Makes every appended byte visible to inputs opened from now on. */
    void flush() throws IOException;

    /** Drops every byte after the first {@code length} (after a failed append), if it can. */
    void truncate(long length) throws IOException;
  }

  /** An open pack file read with positioned reads; safe for concurrent reads. */
  interface Input extends Closeable {
    /**
     * Fills {@code into} from its position to its limit with the bytes at {@code position}; throws
     * {@link java.io.EOFException} when the file, as this input sees it, ends before.
     */
    void read(long position, ByteBuffer into) throws IOException;
  }
}
