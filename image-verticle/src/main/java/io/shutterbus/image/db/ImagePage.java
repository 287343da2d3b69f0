package io.shutterbus.image.db;

import java.util.List;

/** One page of an owner's images, newest first; {@code nextCursor} is null on the last page. */
public record ImagePage(List<ImageRecord> items, String nextCursor) {
  public ImagePage {
    items = List.copyOf(items);
  }
}
