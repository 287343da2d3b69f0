package io.shutterbus.loadtest;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the loadtest module and the repository are, whatever directory Maven runs the tests from. */
final class Paths {
  private Paths() {
  }

  static Path module() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("run")) && Files.exists(here.resolve("scenarios.md")) ? here : here.resolve("loadtest");
  }

  static Path repository() {
    return module().getParent();
  }
}
