package io.shutterbus.image.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.image.format.ImageFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
  private static final String HASH = "ab" + "0123456789abcdef".repeat(3) + "0123456789abcd";
  @TempDir
  Path root;
  private ContentStore store;

  @BeforeEach
  void open() throws Exception {
    store = ContentStore.open(root);
  }

  @Test
  void originalsAndThumbnailsAreNamedByHashAndShardedByItsFirstTwoCharacters() {
    assertEquals(62 + 2, HASH.length());
    assertEquals(root.resolve("originals/ab/" + HASH + ".jpg"), store.originalPath(HASH, ImageFormat.JPEG));
    assertEquals(root.resolve("thumbs/256/ab/" + HASH + ".jpg"), store.thumbnailPath(256, HASH));
    assertEquals(root.resolve("tmp"), store.newTempFile().getParent());
  }

  @Test
  void anythingButALowerCaseHexHashIsRefusedAsAName() {
    for (String bad : new String[] {"../../etc/passwd", HASH.toUpperCase(), HASH.substring(1), HASH + "/x", "", null}) {
      assertThrows(IllegalArgumentException.class, () -> store.originalPath(bad, ImageFormat.PNG), String.valueOf(bad));
    }
  }

  @Test
  void putMovesTheTempFileInPlaceAndKeepsAnExistingBlob() throws Exception {
    Path first = store.newTempFile();
    Files.write(first, new byte[] {1, 2, 3});
    assertTrue(store.putOriginal(first, HASH, ImageFormat.PNG));
    assertFalse(Files.exists(first));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(store.originalPath(HASH, ImageFormat.PNG)));

    Path second = store.newTempFile();
    Files.write(second, new byte[] {1, 2, 3});
    assertFalse(store.putOriginal(second, HASH, ImageFormat.PNG), "the same content is stored once");
    assertFalse(Files.exists(second), "the duplicate temp file is gone");
    assertTrue(store.hasOriginal(HASH, ImageFormat.PNG));
    assertTempDirEmpty();
  }

  @Test
  void aFileFromAnotherDirectoryIsCopiedInWhole(@TempDir Path elsewhere) throws Exception {
    Path outside = elsewhere.resolve("upload");
    Files.write(outside, new byte[] {9, 8, 7});
    assertTrue(store.putOriginal(outside, HASH, ImageFormat.GIF));
    assertArrayEquals(new byte[] {9, 8, 7}, Files.readAllBytes(store.originalPath(HASH, ImageFormat.GIF)));
    assertTempDirEmpty();
  }

  @Test
  void thumbnailsAreWrittenAtomicallyAndReplaced() throws Exception {
    store.putThumbnail(256, HASH, new byte[] {1});
    store.putThumbnail(256, HASH, new byte[] {2, 2});
    assertArrayEquals(new byte[] {2, 2}, Files.readAllBytes(store.thumbnailPath(256, HASH)));
    assertTempDirEmpty();
  }

  @Test
  void deleteRemovesTheOriginalAndEveryThumbnailOnly() throws Exception {
    String other = "cd" + HASH.substring(2);
    Path tmp = store.newTempFile();
    Files.write(tmp, new byte[] {1});
    store.putOriginal(tmp, HASH, ImageFormat.WEBP);
    store.putThumbnail(256, HASH, new byte[] {1});
    store.putThumbnail(1024, HASH, new byte[] {1});
    store.putThumbnail(256, other, new byte[] {1});

    assertTrue(store.delete(HASH, ImageFormat.WEBP));
    assertFalse(Files.exists(store.originalPath(HASH, ImageFormat.WEBP)));
    assertFalse(Files.exists(store.thumbnailPath(256, HASH)));
    assertFalse(Files.exists(store.thumbnailPath(1024, HASH)));
    assertTrue(Files.exists(store.thumbnailPath(256, other)));
    assertFalse(store.delete(HASH, ImageFormat.WEBP), "deleting twice is harmless");
  }

  @Test
  void sweepRemovesOnlyStaleTempFiles() throws Exception {
    Path stale = store.newTempFile();
    Files.write(stale, new byte[] {1});
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path fresh = store.newTempFile();
    Files.write(fresh, new byte[] {1});
    assertEquals(1, store.sweepTemp(Duration.ofHours(1)));
    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(fresh));
  }

  private void assertTempDirEmpty() throws Exception {
    try (Stream<Path> files = Files.list(store.tempDir())) {
      assertEquals(0, files.count());
    }
  }
}
