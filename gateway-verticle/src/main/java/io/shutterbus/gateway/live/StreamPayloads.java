package io.shutterbus.gateway.live;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** What a browser gets of an image event: the fields it shows, never the owner id or anything else. */
final class StreamPayloads {
  private static final List<String> PROCESSED = List.of("imageId", "purpose", "url", "thumbnails", "width",
      "height", "format", "processedAt");
  private static final List<String> FAILED = List.of("imageId", "reason", "failedAt");

  private StreamPayloads() {
  }

  static JsonObject forOwner(JsonObject data, boolean processed) {
    JsonObject out = new JsonObject().put("status", processed ? "ready" : "failed");
    for (String field : processed ? PROCESSED : FAILED) {
      if (data.containsKey(field)) {
        out.put(field, data.getValue(field));
      }
    }
    if (processed) {
      // The Image shape of the API names these under "metadata": give the page both spellings.
      JsonObject metadata = new JsonObject();
      for (String field : List.of("width", "height", "format")) {
        if (data.containsKey(field)) {
          metadata.put(field, data.getValue(field));
        }
      }
      out.put("metadata", metadata);
    }
    return out;
  }
}
