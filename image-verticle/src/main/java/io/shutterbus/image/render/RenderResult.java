package io.shutterbus.image.render;

import io.shutterbus.image.serve.ImageUrls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A rendered image: its metadata and the thumbnails now in the store. */
public record RenderResult(String sha256, ImageMetadata metadata, List<Thumbnail> thumbnails) {

  public RenderResult {
    thumbnails = List.copyOf(thumbnails);
  }

  /**
   * The JSON kept in {@code images.metadata} and sent with {@code images.processed}:
   * {@code {width, height, format, bytes, orientation, camera?: {make?, model?}, takenAt?,
   * thumbnails: [{size, width, height, url}]}}.
   */
  public JsonObject toJson() {
    ImageMetadata m = metadata;
    JsonObject json = new JsonObject().put("width", m.width()).put("height", m.height())
        .put("format", m.format().id()).put("bytes", m.bytes()).put("orientation", m.orientation());
    if (m.cameraMake() != null || m.cameraModel() != null) {
      JsonObject camera = new JsonObject();
      if (m.cameraMake() != null) {
        camera.put("make", m.cameraMake());
      }
      if (m.cameraModel() != null) {
        camera.put("model", m.cameraModel());
      }
      json.put("camera", camera);
    }
    if (m.takenAt() != null) {
      json.put("takenAt", m.takenAt().toString());
    }
    JsonArray thumbs = new JsonArray();
    for (Thumbnail t : thumbnails) {
      thumbs.add(new JsonObject().put("size", t.size()).put("width", t.width()).put("height", t.height())
          .put("url", ImageUrls.thumbnail(t.size(), sha256)));
    }
    return json.put("thumbnails", thumbs);
  }
}
