package io.shutterbus.gateway.limit;

import io.shutterbus.gateway.live.StreamSlots;

/**
 * The limiter state of one gateway process, shared by all its verticle instances (made once in
 * {@code GatewayService}, so a client cannot multiply its allowance by landing on other event loops).
 */
public record Limits(TokenBuckets loginPerIp, TokenBuckets registerPerIp, LoginBackoff loginBackoff,
                     StreamSlots streams) {

  public static Limits create(LimitSettings s) {
    return new Limits(
        new TokenBuckets(s.loginPerMinute(), s.loginBurst(), s.maxClients()),
        new TokenBuckets(s.registerPerMinute(), s.registerBurst(), s.maxClients()),
        new LoginBackoff(s.lockAfter(), s.lockBase(), s.lockMax(), s.failureMemory(), s.maxClients(),
            System::currentTimeMillis),
        new StreamSlots(s.sseMaxTotal()));
  }
}
