package io.shutterbus.image.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.image.MetadataBombs;
import io.shutterbus.image.TestImages;
import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.store.ContentStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files whose metadata inflates or multiplies without a limit cost the renderer what a plain file
 * of their size costs: the memory it allocates stays under a fixed budget (measured on the render
 * thread), the image renders or fails as undecodable, and the next image renders.
 */
class MetadataBombTest {
  /** A 16 x 16 image with 20 MiB of headers: the file read once or twice plus decoding, with room. */
  private static final long BUDGET = 64L << 20;
  @TempDir
  Path dir;
  private ContentStore store;
  private ThumbnailRenderer renderer;

  @BeforeEach
  void open() throws Exception {
    store = ContentStore.open(dir);
    renderer = new ThumbnailRenderer(store, 40_000_000);
  }

  @Test
  void aPngWhoseZtxtInflatesTo256MiBRendersWithinTheBudget() throws Exception {
    assertRendersWithinBudget(MetadataBombs.pngWithZtxt(256L << 20), ImageFormat.PNG);
  }

  @Test
  void aPngWhoseItxtInflatesTo256MiBRendersWithinTheBudget() throws Exception {
    assertRendersWithinBudget(MetadataBombs.pngWithItxt(256L << 20), ImageFormat.PNG);
  }

  @Test
  void aPngWhoseIccProfileInflatesTo256MiBRendersWithinTheBudget() throws Exception {
    assertRendersWithinBudget(MetadataBombs.pngWithIccp(256L << 20), ImageFormat.PNG);
  }

  @Test
  void aJpegWithAChainOfAppSegmentsUpToTheUploadLimitRendersWithinTheBudget() throws Exception {
    assertRendersWithinBudget(MetadataBombs.jpegWithAppChain(19 << 20), ImageFormat.JPEG);
  }

  @Test
  void aJpegWithAnIccProfileOfThousandsOfOverlappingTagsRendersWithinTheBudget() throws Exception {
    assertRendersWithinBudget(MetadataBombs.jpegWithIccBomb(), ImageFormat.JPEG);
  }

  private void assertRendersWithinBudget(byte[] bomb, ImageFormat format) throws Exception {
    String sha = put(bomb, format);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    String outcome;
    try {
      RenderResult result = renderer.render(sha, format);
      assertEquals(16, result.metadata().width());
      outcome = "ready";
    } catch (UndecodableImageException e) {
      outcome = "undecodable: " + e.reason();
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    System.out.printf("%s bomb of %d bytes: %s, %d MiB allocated%n", format, bomb.length, outcome, allocated >> 20);
    assertTrue(allocated < BUDGET, "rendering allocated " + (allocated >> 20) + " MiB (" + outcome + ")");

    String next = put(TestImages.png(40, 30), ImageFormat.PNG);
    assertEquals(40, renderer.render(next, ImageFormat.PNG).metadata().width(), "the next image renders");
  }

  private String put(byte[] bytes, ImageFormat format) throws Exception {
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    Path tmp = store.newTempFile();
    Files.write(tmp, bytes);
    store.putOriginal(tmp, sha, format);
    return sha;
  }
}
