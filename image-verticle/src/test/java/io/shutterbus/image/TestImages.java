package io.shutterbus.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Real image files made in memory with ImageIO, and hand-built ones no encoder would write. */
public final class TestImages {
  public static final Color LEFT = Color.RED;
  public static final Color RIGHT = Color.BLUE;

  private TestImages() {
  }

  /** {@code width x height}, left half red, right half blue. */
  public static BufferedImage halves(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(LEFT);
    g.fillRect(0, 0, width / 2, height);
    g.setColor(RIGHT);
    g.fillRect(width / 2, 0, width - width / 2, height);
    g.dispose();
    return img;
  }

  public static byte[] png(int width, int height) {
    return encode(halves(width, height), "png");
  }

  public static byte[] jpeg(int width, int height) {
    return encode(halves(width, height), "jpeg");
  }

  public static byte[] gif(int width, int height) {
    return encode(halves(width, height), "gif");
  }

  /** Left half opaque green, right half fully transparent. */
  public static byte[] pngWithTransparency(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(0, 160, 0));
    g.fillRect(0, 0, width / 2, height);
    g.dispose();
    return encode(img, "png");
  }

  /** Random pixels, so the compressed data is large and a cut lands in the middle of it. */
  public static byte[] noisyPng(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(42);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    return encode(img, "png");
  }

  /** Two frames: red then blue, both {@code width x height}. */
  public static byte[] animatedGif(int width, int height) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream();
         ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
      writer.setOutput(ios);
      writer.prepareWriteSequence(null);
      for (Color c : new Color[] {Color.RED, Color.BLUE}) {
        BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, width, height);
        g.dispose();
        writer.writeToSequence(new IIOImage(frame, null, null), null);
      }
      writer.endWriteSequence();
      writer.dispose();
      ios.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A JPEG of {@code width x height} (red left, blue right as stored) with a hand-built EXIF APP1
   * segment: Orientation, Make, Model and DateTimeOriginal ("yyyy:MM:dd HH:mm:ss").
   */
  public static byte[] jpegWithExif(int width, int height, int orientation, String make, String model,
                                    String dateTimeOriginal) {
    byte[] jpeg = jpeg(width, height);
    byte[] tiff = exifTiff(orientation, make, model, dateTimeOriginal);
    ByteBuffer app1 = ByteBuffer.allocate(4 + 6 + tiff.length);
    app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + tiff.length));
    app1.put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1)).put(tiff);
    int insertAt = 2;
    if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {  // keep JFIF APP0 first
      insertAt = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
    }
    return concat(Arrays.copyOf(jpeg, insertAt), app1.array(), Arrays.copyOfRange(jpeg, insertAt, jpeg.length));
  }

  /** Text in the GPS block of {@link #jpegWithGps}: it must never be fetchable by anyone. */
  public static final String GPS_SECRET = "GPS-SECRET-PLACE";

  /**
   * A camera JPEG as phones write it: an EXIF APP1 with Orientation, Make, Model, DateTimeOriginal
   * and a GPS IFD (latitude, longitude, a map datum of {@link #GPS_SECRET}), an XMP APP1, a comment
   * and, after the end of the image, an appended preview; the pixels as {@link #jpeg}.
   */
  public static byte[] jpegWithGps(int width, int height, int orientation) {
    byte[] jpeg = jpegWithExif(width, height, orientation, "Apple", "iPhone 12", "2024:07:14 18:30:00");
    byte[] tiff = gpsTiff(orientation);
    byte[] exif = segment(0xE1, concat(ascii("Exif\0\0"), tiff));
    byte[] xmp = segment(0xE1, concat(ascii("http://ns.adobe.com/xap/1.0/\0"),
        ascii("<x:xmpmeta><exif:GPSLatitude>48,51.4N</exif:GPSLatitude>" + GPS_SECRET + "</x:xmpmeta>")));
    byte[] comment = segment(0xFE, ascii("taken at " + GPS_SECRET));
    int app1 = indexOfApp1(jpeg);
    int app1End = app1 + 2 + ((jpeg[app1 + 2] & 0xFF) << 8 | (jpeg[app1 + 3] & 0xFF));
    return concat(Arrays.copyOf(jpeg, app1), exif, xmp, comment, Arrays.copyOfRange(jpeg, app1End, jpeg.length),
        ascii("MPF trailer " + GPS_SECRET));
  }

  private static int indexOfApp1(byte[] jpeg) {
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xE1) {
        return i;
      }
    }
    throw new IllegalStateException("no APP1");
  }

  public static byte[] segment(int marker, byte[] payload) {
    return concat(new byte[] {(byte) 0xFF, (byte) marker, (byte) ((payload.length + 2) >>> 8), (byte) (payload.length + 2)},
        payload);
  }

  /** IFD0 (Make, Model, Orientation, ExifIFD, GPSIFD), an Exif IFD (DateTimeOriginal), a GPS IFD. */
  private static byte[] gpsTiff(int orientation) {
    byte[] make = ascii("Apple\0");
    byte[] model = ascii("iPhone 12\0");
    byte[] date = ascii("2024:07:14 18:30:00\0");
    byte[] datum = ascii(GPS_SECRET + "\0");
    int ifd0 = 8;
    int exifIfd = ifd0 + 2 + 5 * 12 + 4;
    int gpsIfd = exifIfd + 2 + 12 + 4;
    int data = gpsIfd + 2 + 5 * 12 + 4;
    int makeAt = data;
    int modelAt = makeAt + make.length;
    int dateAt = modelAt + model.length;
    int latAt = dateAt + date.length;
    int lonAt = latAt + 24;
    int datumAt = lonAt + 24;
    ByteBuffer b = ByteBuffer.allocate(datumAt + datum.length);
    b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(ifd0);
    b.putShort((short) 5);
    entry(b, 0x010F, 2, make.length, makeAt);
    entry(b, 0x0110, 2, model.length, modelAt);
    b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    entry(b, 0x8769, 4, 1, exifIfd);
    entry(b, 0x8825, 4, 1, gpsIfd);
    b.putInt(0);
    b.putShort((short) 1);
    entry(b, 0x9003, 2, date.length, dateAt);
    b.putInt(0);
    b.putShort((short) 5);
    b.putShort((short) 0x0001).putShort((short) 2).putInt(2).put(ascii("N\0\0\0"));
    entry(b, 0x0002, 5, 3, latAt);
    b.putShort((short) 0x0003).putShort((short) 2).putInt(2).put(ascii("E\0\0\0"));
    entry(b, 0x0004, 5, 3, lonAt);
    entry(b, 0x0012, 2, datum.length, datumAt);
    b.putInt(0);
    b.put(make).put(model).put(date);
    b.putInt(48).putInt(1).putInt(51).putInt(1).putInt(2400).putInt(100);
    b.putInt(2).putInt(1).putInt(17).putInt(1).putInt(3500).putInt(100);
    b.put(datum);
    return b.array();
  }

  /** Big-endian TIFF structure: IFD0 (Make, Model, Orientation, ExifIFD pointer) and an Exif IFD (DateTimeOriginal). */
  private static byte[] exifTiff(int orientation, String make, String model, String date) {
    byte[] makeBytes = (make + "\0").getBytes(StandardCharsets.US_ASCII);
    byte[] modelBytes = (model + "\0").getBytes(StandardCharsets.US_ASCII);
    byte[] dateBytes = (date + "\0").getBytes(StandardCharsets.US_ASCII);
    int ifd0 = 8;
    int exifIfd = ifd0 + 2 + 4 * 12 + 4;
    int data = exifIfd + 2 + 12 + 4;
    int makeAt = data;
    int modelAt = makeAt + makeBytes.length;
    int dateAt = modelAt + modelBytes.length;
    ByteBuffer b = ByteBuffer.allocate(dateAt + dateBytes.length);
    b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(ifd0);
    b.putShort((short) 4);
    entry(b, 0x010F, 2, makeBytes.length, makeAt);
    entry(b, 0x0110, 2, modelBytes.length, modelAt);
    b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    entry(b, 0x8769, 4, 1, exifIfd);
    b.putInt(0);
    b.putShort((short) 1);
    entry(b, 0x9003, 2, dateBytes.length, dateAt);
    b.putInt(0);
    b.put(makeBytes).put(modelBytes).put(dateBytes);
    return b.array();
  }

  private static void entry(ByteBuffer b, int tag, int type, int count, int valueOrOffset) {
    b.putShort((short) tag).putShort((short) type).putInt(count).putInt(valueOrOffset);
  }

  /**
   * A small, valid-looking PNG whose IHDR declares {@code width x height}: signature, IHDR with a
   * correct CRC, a tiny IDAT, a tEXt chunk padding it to about {@code totalBytes}, IEND.
   */
  public static byte[] pngDeclaring(int width, int height, int totalBytes) {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[256]);
    deflater.finish();
    byte[] idat = new byte[64];
    int idatLength = deflater.deflate(idat);
    byte[] head = concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A},
        chunk("IHDR", ihdr.array()), chunk("IDAT", Arrays.copyOf(idat, idatLength)));
    int padding = Math.max(0, totalBytes - head.length - 12 - 12 - "Comment\0".length());
    byte[] text = concat("Comment\0".getBytes(StandardCharsets.ISO_8859_1), "x".repeat(padding).getBytes(StandardCharsets.ISO_8859_1));
    return concat(head, chunk("tEXt", text), chunk("IEND", new byte[0]));
  }

  /** A PNG chunk: length, type, data, CRC over type and data. */
  public static byte[] chunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
        .putInt((int) crc.getValue()).array();
  }

  public static byte[] resource(String name) {
    try (InputStream in = TestImages.class.getResourceAsStream("/images/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource images/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] encode(BufferedImage img, String format) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
