package io.shutterbus.testkit.image;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A container image as {@code jib:buildTar} writes it (docker-load format: manifest.json, the
 * config blob and gzipped layer tars), read back so tests can assert on what would run: the
 * config (entrypoint, user, ports, env, labels) and the files each layer holds.
 */
public record ContainerImage(List<String> repoTags, JsonObject config, List<Layer> layers) {

  /** One layer: Jib's history comment ("dependencies", "classes", ...) and its files by path. */
  public record Layer(String comment, Map<String, byte[]> files) {
  }

  public static ContainerImage read(Path tar) throws IOException {
    Map<String, byte[]> entries = untar(new BufferedInputStream(Files.newInputStream(tar)));
    JsonArray manifest = new JsonArray(text(entries, "manifest.json"));
    JsonObject image = manifest.getJsonObject(0);
    JsonObject config = new JsonObject(text(entries, image.getString("Config")));
    JsonArray history = config.getJsonArray("history", new JsonArray());
    List<Layer> layers = new ArrayList<>();
    JsonArray layerNames = image.getJsonArray("Layers");
    for (int i = 0; i < layerNames.size(); i++) {
      byte[] gz = entries.get(layerNames.getString(i));
      String comment = i < history.size() ? history.getJsonObject(i).getString("comment", "") : "";
      layers.add(new Layer(comment, untar(new GzipCompressorInputStream(new ByteArrayInputStream(gz)))));
    }
    List<String> tags = image.getJsonArray("RepoTags", new JsonArray()).stream().map(Object::toString).toList();
    return new ContainerImage(tags, config, layers);
  }

  /** The runtime part of the config: Entrypoint, User, ExposedPorts, Env, Labels. */
  public JsonObject runtime() {
    return config.getJsonObject("config", new JsonObject());
  }

  public List<String> entrypoint() {
    return runtime().getJsonArray("Entrypoint", new JsonArray()).stream().map(Object::toString).toList();
  }

  public Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    for (Object e : runtime().getJsonArray("Env", new JsonArray())) {
      String kv = e.toString();
      int eq = kv.indexOf('=');
      env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return env;
  }

  public Map<String, String> labels() {
    Map<String, String> labels = new HashMap<>();
    runtime().getJsonObject("Labels", new JsonObject()).forEach(e -> labels.put(e.getKey(), e.getValue().toString()));
    return labels;
  }

  public List<String> exposedPorts() {
    return runtime().getJsonObject("ExposedPorts", new JsonObject()).fieldNames().stream().sorted().toList();
  }

  /** Every file of the image filesystem, the upper layer winning (no whiteouts in jib images). */
  public Map<String, byte[]> files() {
    Map<String, byte[]> all = new LinkedHashMap<>();
    layers.forEach(l -> all.putAll(l.files()));
    return all;
  }

  public Layer layer(String comment) {
    return layers.stream().filter(l -> l.comment().equals(comment)).findFirst()
        .orElseThrow(() -> new AssertionError("no layer '" + comment + "' in " + layers.stream().map(Layer::comment).toList()));
  }

  private static String text(Map<String, byte[]> entries, String name) {
    byte[] bytes = entries.get(name);
    if (bytes == null) {
      throw new AssertionError("image tar has no " + name + ", only " + entries.keySet());
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static Map<String, byte[]> untar(InputStream in) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.isFile()) {
          files.put(e.getName().startsWith("/") ? e.getName().substring(1) : e.getName(), tar.readAllBytes());
        }
      }
    }
    return files;
  }
}
