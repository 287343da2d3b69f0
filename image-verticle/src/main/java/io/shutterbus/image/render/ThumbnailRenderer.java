package io.shutterbus.image.render;

import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.image.format.ImageHeader;
import io.shutterbus.image.format.ImageSniffer;
import io.shutterbus.image.format.RejectedImageException;
import io.shutterbus.image.store.ContentStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a stored original and writes its JPEG thumbnails (longest edge 256 and 1024 px by default,
 * never upscaled, transparency on white, EXIF orientation applied) atomically into the store, and
 * reads its metadata. GIFs: the first frame only. The pixel budget is checked again from the
 * decoder's own idea of the size before any pixel is read, and very large images are decoded
 * subsampled, so memory stays bounded by the budget, not by the file.
 *
 * <p>Blocking and CPU-heavy: run it on a bounded WorkerExecutor. Thread-safe.
 */
public final class ThumbnailRenderer {
  public static final List<Integer> DEFAULT_SIZES = io.shutterbus.kit.uploads.UploadLayout.THUMBNAIL_SIZES;
  private static final Logger LOG = LoggerFactory.getLogger(ThumbnailRenderer.class);
  private static final float JPEG_QUALITY = 0.85f;

  static {
    ImageIO.setUseCache(false);  // decode in memory, no temp files in java.io.tmpdir
  }

  private final ContentStore store;
  private final long maxPixels;
  private final List<Integer> sizes;
  private final ImageSniffer sniffer;

  public ThumbnailRenderer(ContentStore store, long maxPixels) {
    this(store, maxPixels, DEFAULT_SIZES);
  }

  public ThumbnailRenderer(ContentStore store, long maxPixels, List<Integer> sizes) {
    if (sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 1)) {
      throw new IllegalArgumentException("thumbnail sizes must be positive");
    }
    this.store = store;
    this.maxPixels = maxPixels;
    this.sizes = List.copyOf(sizes);
    this.sniffer = new ImageSniffer(maxPixels);
  }

  public List<Integer> sizes() {
    return sizes;
  }

  /**
   * Renders the thumbnails of the original stored as {@code sha256.format} and reads its metadata.
   * Running it twice for the same image rewrites identical thumbnails: safe to repeat.
   */
  public RenderResult render(String sha256, ImageFormat format) throws RenderException {
    try {
      return renderOnce(sha256, format);
    } catch (OutOfMemoryError e) {
      throw new UndecodableImageException("The image needs more memory than the worker gives one image;"
          + " it is not tried again.", e);
    } catch (VirtualMachineError | LinkageError | AssertionError e) {
      // An Error is no passing condition of the storage: the same bytes would fail the same way.
      LOG.warn("rendering {} failed with {}", sha256, e.toString());
      throw new UndecodableImageException("The image could not be processed (" + e.getClass().getSimpleName()
          + "); it is not tried again.", e);
    }
  }

  private RenderResult renderOnce(String sha256, ImageFormat format) throws RenderException {
    Path original = store.originalPath(sha256, format);
    long bytes = sizeOf(original);
    checkHeader(original, format);
    ExifFacts exif = ExifFacts.read(original, format);
    Decoded decoded = decode(original, format);
    // Largest first, each smaller one scaled from the one before (the same halving steps, fewer
    // pixels to read than starting again from the decoded original).
    Map<Integer, BufferedImage> scaled = new HashMap<>();
    BufferedImage source = decoded.image;
    for (int size : sizes.stream().sorted(Comparator.reverseOrder()).distinct().toList()) {
      source = Pixels.scale(source, decoded.width, decoded.height, size);
      scaled.put(size, source);
    }
    List<Thumbnail> thumbnails = new ArrayList<>();
    for (int size : sizes) {
      BufferedImage thumb = Pixels.orient(scaled.get(size), exif.orientation());
      byte[] jpeg = encodeJpeg(thumb);
      try {
        store.putThumbnail(size, sha256, jpeg);
      } catch (IOException e) {
        throw new TransientRenderException("The thumbnail could not be stored; it will be tried again.", e);
      }
      thumbnails.add(new Thumbnail(size, thumb.getWidth(), thumb.getHeight()));
    }
    boolean sideways = exif.orientation() >= 5;
    ImageMetadata metadata = new ImageMetadata(
        sideways ? decoded.height : decoded.width, sideways ? decoded.width : decoded.height,
        format, bytes, exif.orientation(), exif.make(), exif.model(), exif.takenAt());
    return new RenderResult(sha256, metadata, thumbnails);
  }

  private static long sizeOf(Path original) throws RenderException {
    try {
      return Files.size(original);
    } catch (NoSuchFileException e) {
      throw new MissingOriginalException("The original file is no longer stored.", e);
    } catch (IOException e) {
      throw new TransientRenderException("The original file could not be read; it will be tried again.", e);
    }
  }

  /** The header again, from the stored bytes: a file that changed or lies about itself stops here. */
  private void checkHeader(Path original, ImageFormat format) throws RenderException {
    ImageHeader header;
    try {
      header = sniffer.sniff(original);
    } catch (RejectedImageException e) {
      throw new UndecodableImageException(e.getMessage(), e);
    } catch (NoSuchFileException e) {
      throw new MissingOriginalException("The original file is no longer stored.", e);
    } catch (IOException e) {
      throw new TransientRenderException("The original file could not be read; it will be tried again.", e);
    }
    if (header.format() != format) {
      throw new UndecodableImageException("The stored file is " + header.format().id() + ", not " + format.id() + ".", null);
    }
  }

  private Decoded decode(Path original, ImageFormat format) throws RenderException {
    ImageInputStream input;
    try {
      input = ImageIO.createImageInputStream(original.toFile());
    } catch (IOException e) {
      throw new TransientRenderException("The original file could not be opened; it will be tried again.", e);
    }
    if (input == null) {
      throw new TransientRenderException("The original file could not be opened; it will be tried again.", null);
    }
    String name = format.id().toUpperCase(Locale.ROOT);
    try (input) {
      ImageReader reader = readerFor(format);
      Warnings warnings = new Warnings();
      reader.addIIOReadWarningListener(warnings);
      try {
        reader.setInput(input, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width < 1 || height < 1 || (long) width * height > maxPixels) {
          throw new UndecodableImageException("The decoder sees " + width + " x " + height
              + " pixels; at most " + maxPixels + " pixels are accepted.", null);
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = subsampling(width, height);
        if (step > 1) {
          param.setSourceSubsampling(step, step, 0, 0);
        }
        BufferedImage image = reader.read(0, param);
        if (warnings.truncated) {
          throw new UndecodableImageException("The " + name + " image is truncated: its data ends early.", null);
        }
        return new Decoded(Pixels.flatten(image), width, height);
      } finally {
        reader.dispose();
      }
    } catch (IIOException | EOFException e) {
      throw new UndecodableImageException("The " + name + " image is truncated or corrupt and cannot be decoded.", e);
    } catch (IOException e) {
      throw new TransientRenderException("The original file could not be read; it will be tried again.", e);
    } catch (RuntimeException e) {
      LOG.debug("decoder failed on a {} image", name, e);
      throw new UndecodableImageException("The " + name + " image is corrupt and cannot be decoded.", e);
    }
  }

  private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Runs the render path once per process on a made-up picture, in memory: ImageIO's plugin
   * registry, the native JPEG codec, the PNG decoder and Java2D's scaling loops load and
   * initialise here instead of inside the first uploads (which otherwise wait for that on top of
   * an unwarmed JIT). Blocking, a few hundred ms of CPU once (the worker runs it before it starts
   * consuming); later calls return at once.
   */
  public static void warmUp() {
    if (!WARMED.compareAndSet(false, true)) {
      return;
    }
    long start = System.nanoTime();
    try {
      BufferedImage picture = new BufferedImage(1200, 800, Pixels.TYPE);
      java.awt.Graphics2D g = picture.createGraphics();
      try {
        g.setPaint(new java.awt.GradientPaint(0, 0, java.awt.Color.ORANGE, 1200, 800, java.awt.Color.BLUE));
        g.fillRect(0, 0, 1200, 800);
      } finally {
        g.dispose();
      }
      for (int round = 0; round < 3; round++) {
        byte[] jpeg = encodeJpeg(picture);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(Pixels.scale(picture, 1200, 800, 400), "png", png);
        for (byte[] encoded : List.of(jpeg, png.toByteArray())) {
          BufferedImage decoded = Pixels.flatten(ImageIO.read(new java.io.ByteArrayInputStream(encoded)));
          BufferedImage large = Pixels.scale(decoded, decoded.getWidth(), decoded.getHeight(), 1024);
          encodeJpeg(Pixels.scale(large, decoded.getWidth(), decoded.getHeight(), 256));
        }
      }
      LOG.info("render path warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
    } catch (IOException | RenderException | RuntimeException e) {
      LOG.warn("render warm-up failed (the first uploads render cold): {}", e.toString());
    }
  }

  private static ImageReader readerFor(ImageFormat format) throws IIOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(format.contentType());
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + format.contentType() + " on the classpath");
    }
    return readers.next();
  }

  /** Decoding every n-th pixel keeps memory bounded; the result stays at least twice the largest thumbnail. */
  private int subsampling(int width, int height) {
    int largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
    return Math.max(1, Math.max(width, height) / (2 * largest));
  }

  private static byte[] encodeJpeg(BufferedImage image) throws TransientRenderException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(JPEG_QUALITY);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new TransientRenderException("The thumbnail could not be encoded; it will be tried again.", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private record Decoded(BufferedImage image, int width, int height) {
  }

  /** Decoders report a truncated stream as a warning and fill the rest grey; we call that a failure. */
  private static final class Warnings implements javax.imageio.event.IIOReadWarningListener {
    boolean truncated;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      String w = String.valueOf(warning).toLowerCase(Locale.ROOT);
      if (w.contains("premature end") || w.contains("truncat") || w.contains("end of file")) {
        truncated = true;
      } else {
        LOG.debug("decoder warning: {}", warning);
      }
    }
  }
}
