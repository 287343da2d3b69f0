package io.shutterbus.image.store;

import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.kit.uploads.UploadLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Blobs named by their SHA-256 under one root directory (a shared volume in Kubernetes, so every
 * replica serves what any replica stored), laid out by {@link UploadLayout} (which the servers of
 * {@code /uploads} read by too):
 * <pre>
 *   originals/ab/ab12…ef.png        the uploaded bytes, as received
 *   thumbs/256/ab/ab12…ef.jpg       thumbnails, one folder per longest-edge size
 *   tmp/                            uploads and thumbnails being written (same filesystem)
 * </pre>
 * Every file appears whole or not at all: it is written to {@code tmp/}, forced to disk and moved
 * in place atomically. Equal content is stored once. Which rows still refer to a blob is the
 * database's business; {@link #delete} removes it when told. Names are made here from a validated
 * hash and a known format only, so nothing a client sends can reach a path.
 *
 * <p>All methods do file I/O and block: call them on a worker thread.
 */
public final class ContentStore {
  /** A lower-case hex SHA-256, the only thing a blob name is made of. */
  public static final Pattern SHA256 = UploadLayout.SHA256;
  private static final String TEMP_SUFFIX = ".part";

  private final Path root;
  private final UploadLayout layout;
  private final Path originals;
  private final Path thumbs;
  private final Path tmp;

  private ContentStore(Path root) {
    this.root = root;
    this.layout = UploadLayout.under(root);
    this.originals = layout.originals();
    this.thumbs = layout.thumbs();
    this.tmp = root.resolve("tmp");
  }

  /** Opens (and creates) the store under {@code root}. */
  public static ContentStore open(Path root) throws IOException {
    ContentStore store = new ContentStore(root.toAbsolutePath().normalize());
    Files.createDirectories(store.originals);
    Files.createDirectories(store.thumbs);
    Files.createDirectories(store.tmp);
    return store;
  }

  public Path root() {
    return root;
  }

  public UploadLayout layout() {
    return layout;
  }

  /** Where partial files live; on the store's filesystem so moves out of it are atomic. */
  public Path tempDir() {
    return tmp;
  }

  /** A fresh, not yet existing path in {@link #tempDir()}. */
  public Path newTempFile() {
    return tmp.resolve(UUID.randomUUID() + TEMP_SUFFIX);
  }

  public Path originalPath(String sha256, ImageFormat format) {
    return layout.original(sha256, format.extension());
  }

  public Path thumbnailPath(int size, String sha256) {
    if (size < 1) {
      throw new IllegalArgumentException("thumbnail size must be positive");
    }
    return layout.thumbnail(size, sha256);
  }

  public boolean hasOriginal(String sha256, ImageFormat format) {
    return Files.isRegularFile(originalPath(sha256, format));
  }

  /**
   * Moves a fully written temp file into place as the original for {@code sha256}. The caller
   * vouches for the hash (it computed it while receiving). If the blob is already stored, the
   * stored one is kept and the temp file deleted.
   *
   * @return true when the blob was stored now, false when it was there already
   */
  public boolean putOriginal(Path tempFile, String sha256, ImageFormat format) throws IOException {
    Path target = originalPath(sha256, format);
    if (Files.isRegularFile(target)) {
      Files.deleteIfExists(tempFile);
      return false;
    }
    moveIntoPlace(tempFile, target);
    return true;
  }

  /**
   * Gives {@code to} the thumbnails {@code from} has and {@code to} lacks (copies, each moved into
   * place atomically): a blob rewritten without metadata has the same pixels, so the same thumbnails.
   */
  public void copyThumbnails(String from, String to) throws IOException {
    List<Integer> sizes = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(thumbs, p -> p.getFileName().toString().matches("\\d{1,5}"))) {
      dirs.forEach(dir -> sizes.add(Integer.parseInt(dir.getFileName().toString())));
    }
    for (int size : sizes) {
      Path source = thumbnailPath(size, from);
      Path target = thumbnailPath(size, to);
      if (!Files.isRegularFile(source) || Files.isRegularFile(target)) {
        continue;
      }
      Path temp = newTempFile();
      try {
        Files.copy(source, temp);
        forceFile(temp);
        moveIntoPlace(temp, target);
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Writes a thumbnail atomically (an existing one is replaced by identical or newer bytes). */
  public Path putThumbnail(int size, String sha256, byte[] jpeg) throws IOException {
    Path target = thumbnailPath(size, sha256);
    Path temp = newTempFile();
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(jpeg);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
      moveIntoPlace(temp, target);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    return target;
  }

  /**
   * Removes the original and every thumbnail of {@code sha256}. Call it only when no image row
   * refers to the blob any more (see {@code ImageRepository.deleteImage}).
   *
   * @return true when the original was there
   */
  public boolean delete(String sha256, ImageFormat format) throws IOException {
    boolean existed = Files.deleteIfExists(originalPath(sha256, format));
    try (DirectoryStream<Path> sizes = Files.newDirectoryStream(thumbs, p -> p.getFileName().toString().matches("\\d{1,5}"))) {
      for (Path sizeDir : sizes) {
        Files.deleteIfExists(thumbnailPath(Integer.parseInt(sizeDir.getFileName().toString()), sha256));
      }
    }
    return existed;
  }

  /** Removes every stored file of {@code sha256}: its original in any format and its thumbnails. */
  public void deleteAll(String sha256) throws IOException {
    for (ImageFormat format : ImageFormat.values()) {
      delete(sha256, format);
    }
  }

  /**
   * The hashes of blobs with a file (original or thumbnail) last modified before {@code age} ago:
   * the candidates of an orphan sweep. Blocking: it walks the whole store.
   */
  public Set<String> hashesOlderThan(Duration age) throws IOException {
    Instant cutoff = Instant.now().minus(age);
    Set<String> hashes = new TreeSet<>();
    for (Path dir : List.of(originals, thumbs)) {
      try (Stream<Path> files = Files.walk(dir, 3)) {
        files.forEach(file -> {
          String name = file.getFileName().toString();
          int dot = name.indexOf('.');
          if (dot == 64 && SHA256.matcher(name.substring(0, dot)).matches() && modifiedBefore(file, cutoff)) {
            hashes.add(name.substring(0, dot));
          }
        });
      }
    }
    return hashes;
  }

  private static boolean modifiedBefore(Path file, Instant cutoff) {
    try {
      return Files.isRegularFile(file) && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff);
    } catch (IOException gone) {
      return false;
    }
  }

  /** Deletes temp files older than {@code age}, left behind by a crash mid-upload. Returns how many. */
  public int sweepTemp(Duration age) throws IOException {
    Instant cutoff = Instant.now().minus(age);
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp, "*" + TEMP_SUFFIX)) {
      for (Path file : files) {
        try {
          FileTime modified = Files.getLastModifiedTime(file);
          if (modified.toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
            removed++;
          }
        } catch (NoSuchFileException gone) {
          // finished or swept by another replica meanwhile
        }
      }
    }
    return removed;
  }

  private void moveIntoPlace(Path source, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException otherFilesystem) {
      Path local = newTempFile();
      try {
        Files.copy(source, local);
        forceFile(local);
        Files.move(local, target, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(local);
      }
      Files.deleteIfExists(source);
    }
    forceDirectory(target.getParent());
  }

  private static void forceFile(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /** Makes the rename itself durable; some filesystems refuse to open a directory, which is fine. */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException notSupported) {
      // best effort
    }
  }

  private static String checkHash(String sha256) {
    return UploadLayout.checkHash(sha256);
  }
}
