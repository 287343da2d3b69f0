package io.shutterbus.image.format;

import static io.shutterbus.image.TestImages.GPS_SECRET;
import static io.shutterbus.image.TestImages.ascii;
import static io.shutterbus.image.TestImages.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shutterbus.image.TestImages;
import io.shutterbus.image.render.ExifFacts;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStripperTest {
  @TempDir
  Path dir;
  private int files;

  @Test
  void aPhoneJpegLosesGpsXmpCommentAndTrailerButKeepsItsScanBytesAndOrientation() throws Exception {
    byte[] photo = TestImages.jpegWithGps(320, 200, 6);
    assertTrue(contains(photo, GPS_SECRET), "the fixture carries the secret");

    byte[] stripped = strip(photo, ImageFormat.JPEG, 6);

    assertFalse(contains(stripped, GPS_SECRET), "no GPS block, XMP, comment or trailer");
    assertFalse(contains(stripped, "iPhone"), "no camera model in the stored file");
    List<Integer> markers = jpegMarkers(stripped);
    assertEquals(1, markers.stream().filter(m -> m == 0xE1).count(), "one APP1: " + markers);
    assertFalse(markers.contains(0xFE), "no comment");
    assertArrayEquals(TestImages.concat(ascii("Exif\0\0"), MetadataStripper.orientationTiff(6)), app1(stripped),
        "the only EXIF left is the orientation");
    assertEquals(0xD9, stripped[stripped.length - 1] & 0xFF, "ends at EOI");
    assertArrayEquals(fromFirstScan(photo), fromFirstScan(stripped), "the coded pixels are copied, not re-encoded");
    assertPixelsEqual(photo, stripped);
    ExifFacts facts = ExifFacts.read(write(stripped), ImageFormat.JPEG);
    assertEquals(6, facts.orientation());
    assertEquals(null, facts.model());
  }

  @Test
  void aProgressiveJpegKeepsEveryScanAndTheTablesBetweenThem() throws Exception {
    BufferedImage noisy = new BufferedImage(200, 120, BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(3);
    for (int y = 0; y < noisy.getHeight(); y++) {
      for (int x = 0; x < noisy.getWidth(); x++) {
        noisy.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
    param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (javax.imageio.stream.ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new javax.imageio.IIOImage(noisy, null, null), param);
    }
    writer.dispose();
    byte[] progressive = bytes.toByteArray();
    byte[] withGps = concat(Arrays.copyOf(progressive, 2), TestImages.segment(0xE1, concat(ascii("Exif\0\0"),
        ascii("MM\0*" + GPS_SECRET))), TestImages.segment(0xFE, ascii(GPS_SECRET)), Arrays.copyOfRange(progressive, 2, progressive.length));

    byte[] stripped = strip(withGps, ImageFormat.JPEG, 1);

    assertArrayEquals(progressive, stripped, "all scans, and the Huffman tables between them, byte for byte");
    assertFalse(contains(stripped, GPS_SECRET));
  }

  @Test
  void strippingIsIdempotentSoTheStoredBytesUploadedAgainLandOnTheSameBlob() throws Exception {
    byte[] once = strip(TestImages.jpegWithGps(64, 64, 3), ImageFormat.JPEG, 3);
    assertArrayEquals(once, strip(once, ImageFormat.JPEG, 3));
    byte[] upright = strip(TestImages.jpegWithGps(64, 64, 1), ImageFormat.JPEG, 1);
    assertFalse(jpegMarkers(upright).contains(0xE1), "orientation 1 needs no EXIF at all");
    assertArrayEquals(upright, strip(upright, ImageFormat.JPEG, 1));
  }

  @Test
  void aFileWithNothingToStripIsCopiedByteForByte() throws Exception {
    byte[] jpeg = TestImages.jpeg(50, 40);
    assertArrayEquals(jpeg, strip(jpeg, ImageFormat.JPEG, 1));
    byte[] png = TestImages.png(50, 40);
    assertArrayEquals(png, strip(png, ImageFormat.PNG, 1));
  }

  @Test
  void aPngLosesItsTextExifAndTimeChunksAndWhatFollowsIend() throws Exception {
    byte[] png = TestImages.png(60, 30);
    int afterIhdr = 8 + 25;
    byte[] zText = zlib(GPS_SECRET);
    byte[] withMeta = concat(Arrays.copyOf(png, afterIhdr),
        TestImages.chunk("tEXt", ascii("Location\0" + GPS_SECRET)),
        TestImages.chunk("zTXt", concat(ascii("Comment\0\0"), zText)),
        TestImages.chunk("iTXt", ascii("XML:com.adobe.xmp\0\0\0\0\0" + GPS_SECRET)),
        TestImages.chunk("eXIf", ascii("MM\0*" + GPS_SECRET)),
        TestImages.chunk("tIME", new byte[] {7, (byte) 0xE8, 7, 14, 18, 30, 0}),
        Arrays.copyOfRange(png, afterIhdr, png.length), ascii(GPS_SECRET));

    byte[] stripped = strip(withMeta, ImageFormat.PNG, 1);

    assertArrayEquals(png, stripped, "back to the picture alone");
    byte[] rotated = strip(withMeta, ImageFormat.PNG, 8);
    assertFalse(contains(rotated, GPS_SECRET));
    assertEquals(8, ExifFacts.read(write(rotated), ImageFormat.PNG).orientation(), "orientation kept in a fresh eXIf");
    assertPixelsEqual(png, rotated);
  }

  @Test
  void aWebpLosesItsExifAndXmpChunksAndTheirFlags() throws Exception {
    byte[] webp = TestImages.resource("alpha.webp");
    byte[] exif = concat(ascii("EXIF"), le32(26), Arrays.copyOf(ascii("MM\0*" + GPS_SECRET), 26));
    byte[] xmp = concat(ascii("XMP "), le32(GPS_SECRET.length()), ascii(GPS_SECRET));
    byte[] body = concat(Arrays.copyOfRange(webp, 12, webp.length), exif, xmp);
    byte[] withMeta = concat(ascii("RIFF"), le32(4 + body.length), ascii("WEBP"), body);
    withMeta[20] |= 0x0C;  // VP8X flags: EXIF and XMP present

    assertArrayEquals(webp, strip(withMeta, ImageFormat.WEBP, 1), "back to the fixture, flags and RIFF size included");
    byte[] rotated = strip(withMeta, ImageFormat.WEBP, 6);
    assertFalse(contains(rotated, GPS_SECRET));
    assertEquals(rotated.length - 8, ByteBuffer.wrap(rotated, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
    assertEquals(0x08, rotated[20] & 0x0C, "EXIF flag for the orientation block only");
    assertEquals(6, ExifFacts.read(write(rotated), ImageFormat.WEBP).orientation());
  }

  @Test
  void aGifLosesCommentsAndApplicationDataButKeepsItsFrames() throws Exception {
    byte[] gif = TestImages.gif(40, 20);
    int globalTable = (gif[10] & 0x80) != 0 ? 3 * (1 << ((gif[10] & 0x07) + 1)) : 0;
    int at = 13 + globalTable;
    byte[] comment = concat(new byte[] {0x21, (byte) 0xFE, (byte) GPS_SECRET.length()}, ascii(GPS_SECRET), new byte[] {0});
    byte[] xmp = concat(new byte[] {0x21, (byte) 0xFF, 11}, ascii("XMP DataXMP"),
        new byte[] {(byte) GPS_SECRET.length()}, ascii(GPS_SECRET), new byte[] {0});
    byte[] withMeta = concat(Arrays.copyOf(gif, at), comment, xmp, Arrays.copyOfRange(gif, at, gif.length), ascii(GPS_SECRET));

    byte[] stripped = strip(withMeta, ImageFormat.GIF, 1);

    assertFalse(contains(stripped, GPS_SECRET));
    assertPixelsEqual(gif, stripped);
    assertEquals(0x3B, stripped[stripped.length - 1] & 0xFF);
  }

  @Test
  void aCutOrCorruptFileIsCutWhereItsStructureEndsWithoutFailing() throws Exception {
    byte[] photo = TestImages.jpegWithGps(64, 64, 1);
    byte[] cut = Arrays.copyOf(photo, photo.length / 2);
    byte[] stripped = strip(cut, ImageFormat.JPEG, 1);
    assertFalse(contains(stripped, GPS_SECRET));
    byte[] garbage = concat(Arrays.copyOf(TestImages.jpeg(8, 8), 2), ascii("not a marker " + GPS_SECRET));
    assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8}, strip(garbage, ImageFormat.JPEG, 1));
  }

  private byte[] strip(byte[] data, ImageFormat format, int orientation) throws Exception {
    Path source = write(data);
    Path target = dir.resolve("out-" + (files++));
    MetadataStripper.Stripped result = MetadataStripper.strip(source, target, format, orientation);
    byte[] out = Files.readAllBytes(target);
    assertEquals(out.length, result.bytes());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out)), result.sha256());
    return out;
  }

  private Path write(byte[] data) throws Exception {
    return Files.write(dir.resolve("in-" + (files++)), data);
  }

  private static boolean contains(byte[] data, String text) {
    byte[] needle = text.getBytes(StandardCharsets.ISO_8859_1);
    outer:
    for (int i = 0; i + needle.length <= data.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Markers of the segments before the first scan. */
  static List<Integer> jpegMarkers(byte[] jpeg) {
    List<Integer> markers = new ArrayList<>();
    int pos = 2;
    while (pos + 4 <= jpeg.length && (jpeg[pos] & 0xFF) == 0xFF) {
      int marker = jpeg[pos + 1] & 0xFF;
      markers.add(marker);
      if (marker == 0xDA) {
        break;
      }
      pos += 2 + ((jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF));
    }
    return markers;
  }

  private static byte[] app1(byte[] jpeg) {
    int pos = 2;
    while ((jpeg[pos + 1] & 0xFF) != 0xE1) {
      pos += 2 + ((jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF));
    }
    int length = (jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF);
    return Arrays.copyOfRange(jpeg, pos + 4, pos + 2 + length);
  }

  private static byte[] fromFirstScan(byte[] jpeg) {
    int pos = 2;
    while ((jpeg[pos + 1] & 0xFF) != 0xDA) {
      pos += 2 + ((jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF));
    }
    int end = jpeg.length;
    while (!((jpeg[end - 2] & 0xFF) == 0xFF && (jpeg[end - 1] & 0xFF) == 0xD9)) {
      end--;
    }
    return Arrays.copyOfRange(jpeg, pos, end);
  }

  private static void assertPixelsEqual(byte[] expected, byte[] actual) throws Exception {
    BufferedImage a = ImageIO.read(new ByteArrayInputStream(expected));
    BufferedImage b = ImageIO.read(new ByteArrayInputStream(actual));
    assertNotNull(b, "still decodes");
    assertEquals(a.getWidth(), b.getWidth());
    assertEquals(a.getHeight(), b.getHeight());
    assertArrayEquals(a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth()),
        b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth()), "the same pixels");
  }

  private static byte[] zlib(String text) {
    Deflater d = new Deflater();
    d.setInput(text.getBytes(StandardCharsets.ISO_8859_1));
    d.finish();
    byte[] out = new byte[256];
    return Arrays.copyOf(out, d.deflate(out));
  }

  private static byte[] le32(int n) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(n).array();
  }
}
