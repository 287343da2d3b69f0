package io.shutterbus.events;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** A user registered. Carries no password, hash or token; the e-mail is needed by consumers that greet the user. */
public record UserRegistered(UUID userId, String email, String name, Instant createdAt) implements DomainEvent {
  public static final String TYPE = "shutterbus.user.registered.v1";
  public static final String TOPIC = Topics.USERS_REGISTERED;

  public UserRegistered {
    EventData.require(userId, "userId");
    EventData.require(email, "email");
    EventData.require(name, "name");
    EventData.require(createdAt, "createdAt");
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String topic() {
    return TOPIC;
  }

  @Override
  public String key() {
    return userId.toString();
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("userId", userId.toString())
        .put("email", email)
        .put("name", name)
        .put("createdAt", createdAt.toString());
  }

  public static UserRegistered fromJson(JsonObject data) {
    return new UserRegistered(EventData.uuid(data, "userId"), EventData.string(data, "email"),
        EventData.string(data, "name"), EventData.instant(data, "createdAt"));
  }
}
