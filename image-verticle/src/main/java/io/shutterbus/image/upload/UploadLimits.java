package io.shutterbus.image.upload;

import io.shutterbus.kit.config.Env;

/**
 * What one upload and one user may take. Bytes and pixels are checked while the upload streams in
 * (413 and 422), the quota when the image row is written.
 *
 * @param maxUploadBytes largest accepted file ({@code IMAGE_MAX_UPLOAD_BYTES}, default 20 MiB)
 * @param maxPixels      width x height budget read from the header ({@code IMAGE_MAX_PIXELS}, default 40 000 000)
 * @param quotaBytes     bytes one user may keep stored ({@code IMAGE_QUOTA_BYTES}, default 1 GiB)
 * @param quotaCount     images one user may keep ({@code IMAGE_QUOTA_COUNT}, default 1000)
 */
public record UploadLimits(long maxUploadBytes, long maxPixels, long quotaBytes, int quotaCount) {
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 20L * 1024 * 1024;
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
  public static final long DEFAULT_QUOTA_BYTES = 1024L * 1024 * 1024;
  public static final int DEFAULT_QUOTA_COUNT = 1000;

  public UploadLimits {
    if (maxUploadBytes < 1 || maxPixels < 1 || quotaBytes < 1 || quotaCount < 1) {
      throw new IllegalArgumentException("upload limits must be positive");
    }
  }

  public static UploadLimits defaults() {
    return new UploadLimits(DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MAX_PIXELS, DEFAULT_QUOTA_BYTES, DEFAULT_QUOTA_COUNT);
  }

  public static UploadLimits fromEnv(Env env) {
    return new UploadLimits(
        env.longValue("IMAGE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES, 1, 1L << 40),
        env.longValue("IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS, 1, 1_000_000_000L),
        env.longValue("IMAGE_QUOTA_BYTES", DEFAULT_QUOTA_BYTES, 1, Long.MAX_VALUE),
        env.integer("IMAGE_QUOTA_COUNT", DEFAULT_QUOTA_COUNT, 1, Integer.MAX_VALUE));
  }
}
