package io.shutterbus.gateway.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamSlotsTest {

  @Test
  void aUserPastTheirCapAndAGatewayPastItsTotalAreToldApart() {
    StreamSlots slots = new StreamSlots(3);
    assertEquals(StreamSlots.Grant.GRANTED, slots.acquire("ann", 2));
    assertEquals(StreamSlots.Grant.GRANTED, slots.acquire("ann", 2));
    assertEquals(StreamSlots.Grant.USER_FULL, slots.acquire("ann", 2));
    assertEquals(StreamSlots.Grant.GRANTED, slots.acquire("bob", 2));
    assertEquals(StreamSlots.Grant.GATEWAY_FULL, slots.acquire("cid", 2));
    slots.release("ann");
    assertEquals(StreamSlots.Grant.GRANTED, slots.acquire("cid", 2));
    assertEquals(3, slots.total());
  }

  /**
   * Threads (as event loops would) take and give back slots of one user as fast as they can. With a
   * counter that is removed from the map when it reaches zero while another thread still holds it,
   * the user got a second, orphaned counter and more streams than the cap: here the number held at
   * once never passes the cap and everything is given back.
   */
  @Test
  void racingAcquiresAndReleasesNeverLetAUserPastTheCapNorLeakASlot() throws Exception {
    StreamSlots slots = new StreamSlots(1000);
    int cap = 2;
    AtomicInteger held = new AtomicInteger();
    AtomicInteger maxHeld = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 20_000; i++) {
          if (slots.acquire("same-user", cap) == StreamSlots.Grant.GRANTED) {
            maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
            held.decrementAndGet();
            slots.release("same-user");
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertTrue(maxHeld.get() <= cap, "held at once: " + maxHeld.get());
    assertEquals(0, slots.total());
    assertEquals(0, slots.of("same-user"));
  }
}
