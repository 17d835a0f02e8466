package io.vgapass.input;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed attempts (missing or wrong token) counted per source address, each source with a token bucket of its own:
 * a source that keeps guessing is answered 429 instead of 401 until its bucket refills. Only failures draw from it,
 * so neither a guessing source nor any number of them can make the owner's valid token wait. At most
 * {@link #MAX_SOURCES} sources are remembered (the least recently seen is forgotten), so a flood from many addresses
 * cannot grow the table without bound.
 */
final class FailureLimit {
  static final int MAX_SOURCES = 4096;

  private final int burst;
  private final double perSecond;
  private final Map<InetAddress, Bucket> sources = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
      return size() > MAX_SOURCES;
    }
  };

  private static final class Bucket {
    double tokens;
    long last;
  }

  FailureLimit(int burst, double perSecond) {
    this.burst = burst;
    this.perSecond = perSecond;
  }

  /** Records one failure of {@code source}; false when it has used up its failures for now. */
  synchronized boolean fail(InetAddress source, long nowNanos) {
    Bucket b = sources.computeIfAbsent(source, s -> {
      Bucket n = new Bucket();
      n.tokens = burst;
      n.last = nowNanos;
      return n;
    });
    b.tokens = Math.min(burst, b.tokens + (nowNanos - b.last) / 1e9 * perSecond);
    b.last = nowNanos;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  synchronized int sources() {
    return sources.size();
  }
}
