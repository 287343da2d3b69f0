package io.shutterbus.image.serve;

import io.shutterbus.image.format.ImageFormat;
import io.shutterbus.kit.uploads.UploadServing;

/** The public paths {@link UploadServing} answers, built from a hash; the API and events use these. */
public final class ImageUrls {
  private ImageUrls() {
  }

  public static String original(String sha256, ImageFormat format) {
    return UploadServing.PREFIX + sha256 + "." + format.extension();
  }

  public static String thumbnail(int size, String sha256) {
    return UploadServing.PREFIX + "thumbs/" + size + "/" + sha256 + ".jpg";
  }
}
