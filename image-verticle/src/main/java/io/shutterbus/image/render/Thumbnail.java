package io.shutterbus.image.render;

/** A rendered thumbnail: the size class it was made for (longest edge at most) and its actual pixels. */
public record Thumbnail(int size, int width, int height) {
}
