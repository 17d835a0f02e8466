package io.vgapass.input;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vgapass.libvirt.LibvirtFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The switch-back service: a small HTTP server the guest calls to give the keyboard and mouse back to the host
 * ({@code POST /switch-back}) or to take them ({@code POST /switch-to-guest}); {@code GET /status} says where they
 * are. Every request needs {@code Authorization: Bearer TOKEN} (401 otherwise). The token is checked first, before
 * any limit: requests with the valid token share one token bucket (429 beyond), and only they draw from it; failed
 * attempts are counted per source address ({@link FailureLimit}, 429 instead of 401 once a source has used its
 * failures up). So a flood of unauthenticated requests, from one source or many, never makes the owner's token wait
 * or fail. Sizes are limited too (headers by the JDK server's limits, bodies to {@link Limits#maxBody} bytes, 413
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
   * @param burst requests with the valid token accepted at once
   * @param perSecond such requests the bucket regains each second
   * @param failBurst failed attempts (no or a wrong token) one source address may make at once
   * @param failPerSecond failed attempts a source regains each second
   */
  public record Limits(int maxBody, int burst, double perSecond, int failBurst, double failPerSecond) {
    public static final Limits DEFAULT = new Limits(1024, 20, 5, 10, 0.2);

    /** Limits with the default allowance of failures per source. */
    public Limits(int maxBody, int burst, double perSecond) {
      this(maxBody, burst, perSecond, 10, 0.2);
    }
  }

  private static final int THREADS = 16;
  private final HttpServer server;
  private final ExecutorService pool;
  private final BearerToken token;
  private final FailureLimit failures;
  private final Actions actions;
  private final Limits limits;
  private final Object bucketLock = new Object();
  private double tokens;
  private long lastRefill = System.nanoTime();

  private SwitchService(HttpServer server, ExecutorService pool, String token, Actions actions, Limits limits) {
    this.server = server;
    this.pool = pool;
    this.token = new BearerToken(token);
    this.failures = new FailureLimit(limits.failBurst(), limits.failPerSecond());
    this.actions = actions;
    this.limits = limits;
    this.tokens = limits.burst();
  }

  /** Binds and starts serving. */
  public static SwitchService start(InetSocketAddress bind, String token, Actions actions, Limits limits)
      throws IOException {
    if (token == null || token.length() < 16) throw new IllegalArgumentException("the token is too short");
    HttpServer server = HttpServer.create(bind, 16);
    // the JDK server reads a request's headers on the pool's thread: enough threads that clients sending slowly
    // (up to maxReqTime each) cannot hold every one while the owner's request waits
    ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "vgapass-switch-service");
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
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
    // the token first: what other clients send must not count against the owner
    if (!token.matches(ex.getRequestHeaders().get("Authorization"))) {
      if (!failures.fail(ex.getRemoteAddress().getAddress(), System.nanoTime())) {
        ex.getResponseHeaders().set("Retry-After", String.valueOf((int) Math.ceil(1 / limits.failPerSecond())));
        return new Result(429, "too many failed attempts from this address; wait");
      }
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vgapass\"");
      return new Result(401, "missing or wrong bearer token");
    }
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

  private static Result guarded(Supplier<List<String>> action) {
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
