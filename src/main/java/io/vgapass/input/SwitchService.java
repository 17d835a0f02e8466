package io.vgapass.input;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vgapass.libvirt.LibvirtFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The switch-back service: a small HTTP server the guest calls to give the keyboard and mouse back to the host
 * ({@code POST /switch-back}) or to take them ({@code POST /switch-to-guest}); {@code GET /status} says where they
 * are. Every request needs {@code Authorization: Bearer TOKEN} (401 otherwise). Requests are limited in size (headers
 * by the JDK server's limits, bodies to {@link Limits#maxBody} bytes, 413 beyond) and in rate (a token bucket, 429
 * beyond), and whatever arrives, the service keeps serving: each exchange is answered or closed, never left open.
 */
public final class SwitchService implements AutoCloseable {

  static {
    // read once by the JDK's server configuration: few headers, and a request must arrive within seconds
    defaultProperty("sun.net.httpserver.maxReqHeaders", "32");
    defaultProperty("sun.net.httpserver.maxReqHeaderSize", "8192");
    defaultProperty("sun.net.httpserver.maxReqTime", "5");
    defaultProperty("sun.net.httpserver.maxRspTime", "5");
    defaultProperty("sun.net.httpserver.maxIdleConnections", "16");
  }

  /** What a switch did: an HTTP status and one line for the guest to show. */
  public record Result(int status, String message) {}

  /** The switches themselves; called one at a time. */
  public interface Actions {
    List<String> switchBack();

    List<String> switchToGuest();

    String where();
  }

  /**
   * @param maxBody bytes a request body may have (the service needs none)
   * @param burst requests accepted at once
   * @param perSecond requests the bucket regains each second
   */
  public record Limits(int maxBody, int burst, double perSecond) {
    public static final Limits DEFAULT = new Limits(1024, 20, 5);
  }

  private final HttpServer server;
  private final ExecutorService pool;
  private final byte[] expected;
  private final Actions actions;
  private final Limits limits;
  private final Object bucketLock = new Object();
  private double tokens;
  private long lastRefill = System.nanoTime();

  private SwitchService(HttpServer server, ExecutorService pool, String token, Actions actions, Limits limits) {
    this.server = server;
    this.pool = pool;
    this.expected = ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
    this.actions = actions;
    this.limits = limits;
    this.tokens = limits.burst();
  }

  /** Binds and starts serving. */
  public static SwitchService start(InetSocketAddress bind, String token, Actions actions, Limits limits)
      throws IOException {
    if (token == null || token.length() < 16) throw new IllegalArgumentException("the token is too short");
    HttpServer server = HttpServer.create(bind, 16);
    ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "vgapass-switch-service");
          t.setDaemon(true);
          return t;
        });
    SwitchService s = new SwitchService(server, pool, token, actions, limits);
    server.createContext("/", s::handle);
    server.setExecutor(pool);
    server.start();
    return s;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  private void handle(HttpExchange ex) {
    try (ex) {
      Result r;
      try {
        r = answer(ex);
      } catch (IOException e) {
        return; // the client went away or sent garbage: nothing to answer
      } catch (RuntimeException e) {
        r = new Result(500, "internal error: " + e.getClass().getSimpleName());
      }
      respond(ex, r);
    } catch (RuntimeException | IOException e) {
      // never let one exchange take the service down
    }
  }

  private Result answer(HttpExchange ex) throws IOException {
    if (!take()) {
      ex.getResponseHeaders().set("Retry-After", "1");
      return new Result(429, "too many requests; wait a second");
    }
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        return new Result(400, "bad Content-Length");
      }
      if (n > limits.maxBody()) return new Result(413, "request too large (at most " + limits.maxBody() + " bytes)");
    }
    if (!drain(ex.getRequestBody())) {
      return new Result(413, "request too large (at most " + limits.maxBody() + " bytes)");
    }
    if (!authorized(ex.getRequestHeaders().get("Authorization"))) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vgapass\"");
      return new Result(401, "missing or wrong bearer token");
    }
    String path = ex.getRequestURI().getRawPath();
    String method = ex.getRequestMethod();
    boolean post = "POST".equals(method);
    switch (path == null ? "" : path) {
      case "/switch-back":
        return post ? run(true) : notAllowed(ex, "POST");
      case "/switch-to-guest":
        return post ? run(false) : notAllowed(ex, "POST");
      case "/status":
        if (!"GET".equals(method)) return notAllowed(ex, "GET");
        synchronized (actions) {
          return guarded(() -> List.of(actions.where()));
        }
      default:
        return new Result(404, "unknown path; use POST /switch-back or POST /switch-to-guest");
    }
  }

  private Result run(boolean back) {
    synchronized (actions) {
      return guarded(() -> back ? actions.switchBack() : actions.switchToGuest());
    }
  }

  private static Result guarded(java.util.function.Supplier<List<String>> action) {
    try {
      return new Result(200, String.join("; ", action.get()));
    } catch (SwitchRefused e) {
      int status = switch (e.reason()) {
        case NO_DOMAIN -> 404;
        case NOT_RUNNING -> 409;
        default -> 400;
      };
      return new Result(status, e.getMessage());
    } catch (LibvirtFailure e) {
      return new Result(502, e.getMessage());
    }
  }

  private static Result notAllowed(HttpExchange ex, String allow) {
    ex.getResponseHeaders().set("Allow", allow);
    return new Result(405, "use " + allow);
  }

  private boolean authorized(List<String> values) {
    if (values == null || values.size() != 1) return false;
    byte[] given = values.get(0).strip().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(given, expected);
  }

  /** Reads and drops the body; false when it exceeds the limit. */
  private boolean drain(InputStream in) throws IOException {
    byte[] buf = new byte[512];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > limits.maxBody()) return false;
    }
    return true;
  }

  private boolean take() {
    synchronized (bucketLock) {
      long now = System.nanoTime();
      tokens = Math.min(limits.burst(), tokens + (now - lastRefill) / 1e9 * limits.perSecond());
      lastRefill = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    }
  }

  private static void respond(HttpExchange ex, Result r) throws IOException {
    byte[] body = ("{\"ok\":" + (r.status() == 200) + ",\"status\":" + r.status() + ",\"message\":" + quote(r.message())
        + "}\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("Connection", "close");
    ex.sendResponseHeaders(r.status(), body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) System.setProperty(key, value);
  }
}
