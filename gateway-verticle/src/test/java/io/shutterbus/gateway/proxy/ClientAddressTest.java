package io.shutterbus.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shutterbus.kit.config.ConfigException;
import io.shutterbus.kit.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  @Test
  void parsesLiteralsOnlyNeverNames() {
    assertArrayEquals(new byte[]{10, 0, 0, 1}, ClientAddress.parse("10.0.0.1"));
    assertEquals(16, ClientAddress.parse("2001:db8::1").length);
    assertNull(ClientAddress.parse("localhost"));
    assertNull(ClientAddress.parse("999.1.1.1"));
    assertNull(ClientAddress.parse("1.2.3"));
    assertNull(ClientAddress.parse("example.com"));
    assertNull(ClientAddress.parse(""));
  }

  @Test
  void ipv6ClientsAreLimitedPerSlash64() {
    assertEquals("2001:0db8:0001:0002::/64", new ClientAddress.Client("2001:db8:1:2:abcd::9", "http").limitKey());
    assertEquals("192.0.2.7", new ClientAddress.Client("192.0.2.7", "http").limitKey());
  }

  @Test
  void badTrustedProxyEntryNamesTheVariable() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ClientAddress.fromEnv(Env.of(Map.of("GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8, ingress.local")), false));
    assertEquals(true, e.getMessage().contains("GATEWAY_TRUSTED_PROXIES"));
    assertThrows(ConfigException.class,
        () -> ClientAddress.fromEnv(Env.of(Map.of("GATEWAY_TRUSTED_PROXIES", "10.0.0.0/33")), false));
  }
}
