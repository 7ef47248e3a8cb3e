package io.inferis.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks free loopback ports for test servers, never 6379 and never one this JVM handed out before.
 * Ports come from 20000–29999 so that a cluster bus port (port + 10000) stays valid.
 */
final class Ports {

  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private Ports() {}

  static int reserve(boolean needsBusPort) {
    for (int i = 0; i < 1000; i++) {
      int port = ThreadLocalRandom.current().nextInt(20000, 30000);
      if (HANDED_OUT.contains(port)) {
        continue;
      }
      if (isFree(port) && (!needsBusPort || isFree(port + 10000)) && HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port pair in 20000-29999");
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
