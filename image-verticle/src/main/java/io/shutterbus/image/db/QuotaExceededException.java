package io.shutterbus.image.db;

import io.shutterbus.kit.http.ProblemException;
import io.shutterbus.kit.http.Problems;
import io.vertx.core.json.JsonObject;

/** One more image would take the owner over their quota of bytes or images; nothing was written. */
public final class QuotaExceededException extends RuntimeException {
  private final QuotaUsage usage;
  private final long requestedBytes;

  public QuotaExceededException(QuotaUsage usage, long requestedBytes) {
    super("quota exceeded", null, false, false);
    this.usage = usage;
    this.requestedBytes = requestedBytes;
  }

  public QuotaUsage usage() {
    return usage;
  }

  public long requestedBytes() {
    return requestedBytes;
  }

  /** A 403 {@code quota-exceeded} problem that says which limit was hit, with the numbers as members. */
  public ProblemException toProblem() {
    String detail = usage.usedCount() + 1 > usage.limitCount()
        ? "You already keep " + usage.usedCount() + " images, the most allowed; delete some to upload more."
        : "This image (" + requestedBytes + " bytes) does not fit: you use " + usage.usedBytes() + " of "
            + usage.limitBytes() + " bytes. Delete some images to upload more.";
    return new ProblemException(403, Problems.type("quota-exceeded"), "Quota Exceeded", detail, new JsonObject()
        .put("usedBytes", usage.usedBytes()).put("limitBytes", usage.limitBytes())
        .put("usedCount", usage.usedCount()).put("limitCount", usage.limitCount()));
  }
}
