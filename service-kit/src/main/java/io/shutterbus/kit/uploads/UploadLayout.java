package io.shutterbus.kit.uploads;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the content-addressed image store keeps each file, and the one Content-Type each stored
 * extension is served with. The image service writes by this layout ({@code ContentStore}); the
 * image service and, in the one-process platform, the gateway serve by it ({@link UploadServing}),
 * so both agree without either importing the other:
 * <pre>
 *   originals/ab/ab12…ef.png        the uploaded bytes, as received
 *   thumbs/256/ab/ab12…ef.jpg       thumbnails, one folder per longest-edge size
 * </pre>
 */
public final class UploadLayout {
  /** A lower-case hex SHA-256, the only thing a blob name is made of. */
  public static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  /** The longest edges thumbnails are rendered at, and the only sizes served. */
  public static final List<Integer> THUMBNAIL_SIZES = List.of(256, 1024);
  /** Stored extensions and the only Content-Type each is ever served with. */
  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "png", "image/png", "jpg", "image/jpeg", "gif", "image/gif", "webp", "image/webp");

  private final Path root;
  private final Path originals;
  private final Path thumbs;

  private UploadLayout(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.originals = this.root.resolve("originals");
    this.thumbs = this.root.resolve("thumbs");
  }

  public static UploadLayout under(Path root) {
    return new UploadLayout(root);
  }

  public Path root() {
    return root;
  }

  public Path originals() {
    return originals;
  }

  public Path thumbs() {
    return thumbs;
  }

  /** The original stored under {@code sha256} with {@code extension} (one of {@link #contentType}'s). */
  public Path original(String sha256, String extension) {
    String hash = checkHash(sha256);
    return originals.resolve(hash.substring(0, 2)).resolve(hash + "." + extension);
  }

  /** The JPEG thumbnail of {@code sha256} at {@code size} pixels on the longest edge. */
  public Path thumbnail(int size, String sha256) {
    String hash = checkHash(sha256);
    return thumbs.resolve(Integer.toString(size)).resolve(hash.substring(0, 2)).resolve(hash + ".jpg");
  }

  /** The Content-Type files stored with this extension are served with; empty for any other. */
  public static Optional<String> contentType(String extension) {
    return Optional.ofNullable(CONTENT_TYPES.get(extension));
  }

  public static String checkHash(String sha256) {
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
    }
    return sha256;
  }
}
