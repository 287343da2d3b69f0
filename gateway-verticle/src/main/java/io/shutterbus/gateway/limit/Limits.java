package io.shutterbus.gateway.limit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The limiter state of one gateway process, shared by all its verticle instances (made once in
 * {@code GatewayService}, so a client cannot multiply its allowance by landing on other event loops).
 */
public record Limits(TokenBuckets loginPerIp, TokenBuckets registerPerIp, LoginBackoff loginBackoff,
                     Map<String, AtomicInteger> streamsPerUser) {

  public static Limits create(LimitSettings s) {
    return new Limits(
        new TokenBuckets(s.loginPerMinute(), s.loginBurst(), s.maxClients()),
        new TokenBuckets(s.registerPerMinute(), s.registerBurst(), s.maxClients()),
        new LoginBackoff(s.lockAfter(), s.lockBase(), s.lockMax(), s.failureMemory(), s.maxClients(),
            System::currentTimeMillis),
        new ConcurrentHashMap<>());
  }
}
