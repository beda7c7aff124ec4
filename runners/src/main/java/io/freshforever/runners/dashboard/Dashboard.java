package io.freshforever.runners.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.freshforever.runners.live.LiveCounts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The ops dashboard: a page and a read-only JSON API over the live view in Bigtable, as a
 * production dashboard reads the serving store (never Kafka, never the pipeline's memory). The
 * page and its script are resources of this jar: it renders without network access.
 *
 * <p>It defends itself: requests beyond {@link #MAX_PENDING} waiting or running are answered 503 at
 * once; a store read that takes over {@link #STORE_DEADLINE} answers 503 instead of hanging; a
 * client slower than 10 s to send or take a message is dropped; a request naming another host (DNS
 * rebinding) is refused; every answer forbids sniffing, framing and foreign scripts.
 */
public final class Dashboard implements AutoCloseable {
  private static final Map<String, String> ASSETS =
      Map.of(
          "/", "index.html",
          "/dashboard.js", "dashboard.js",
          "/dashboard.css", "dashboard.css");
  private static final Map<String, String> CONTENT_TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8");

  /** Requests waiting or being answered at most; more are answered 503 at once. */
  static final int MAX_PENDING = 64;
  /** How long an answer may wait for the store before it is a 503. */
  static final Duration STORE_DEADLINE = Duration.standardSeconds(5);
  private static final int THREADS = 8;

  /** Sent with every answer: no MIME sniffing, no framing, nothing but this dashboard's own files. */
  private static final Map<String, String> SECURITY_HEADERS =
      Map.of(
          "X-Content-Type-Options", "nosniff",
          "X-Frame-Options", "DENY",
          "Referrer-Policy", "no-referrer",
          "Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
              + " frame-ancestors 'none'; base-uri 'none'; form-action 'none'");

  static {
    // The JDK server's own limits on a client that sends or takes a message slowly (seconds).
    System.setProperty("sun.net.httpserver.maxReqTime", "10");
    System.setProperty("sun.net.httpserver.maxRspTime", "10");
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final ExecutorService storeReads;

  private Dashboard(HttpServer server, ExecutorService threads, ExecutorService storeReads) {
    this.server = server;
    this.threads = threads;
    this.storeReads = storeReads;
  }

  /**
   * Ops care about seconds; a probe allows for a pipeline restart (the DirectRunner's p99 is ~10 s,
   * docs/BENCHMARKS.md) before it pages.
   */
  public static final Duration DEFAULT_STALE_AFTER = Duration.standardSeconds(30);

  /**
   * Serves on {@code host:port} until {@link #close()}; port 0 picks a free one.
   *
   * @param staleAfter health turns stale when the newest counted event is older than this
   * @param pipeline the streaming job's counters for the health strip; null: no strip
   */
  public static Dashboard start(
      String host, int port, LiveCounts counts, Duration allowedLateness, Duration staleAfter,
      @Nullable PipelineHealth pipeline)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    LiveCountsApi api = new LiveCountsApi(counts, allowedLateness, staleAfter, pipeline);
    ExecutorService storeReads = Executors.newFixedThreadPool(THREADS);
    Set<String> hosts = allowedHosts(host);
    Semaphore pending = new Semaphore(MAX_PENDING);
    server.createContext("/api/", guarded(hosts, pending, exchange -> respond(exchange, api, storeReads)));
    server.createContext("/", guarded(hosts, pending, Dashboard::serveAsset));
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    server.setExecutor(threads);
    server.start();
    return new Dashboard(server, threads, storeReads);
  }

  /** The names this server answers to: loopback's, and the host it was bound to. */
  private static Set<String> allowedHosts(String host) {
    Set<String> hosts = new HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]"));
    hosts.add(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
    return hosts;
  }

  /** The Host check and the bound on pending requests, before {@code handler}. */
  private static HttpHandler guarded(Set<String> hosts, Semaphore pending, HttpHandler handler) {
    return exchange -> {
      String host = exchange.getRequestHeaders().getFirst("Host");
      String name = host == null ? "" : host.replaceFirst(":\\d+$", "");
      if (!hosts.contains(name)) {
        send(exchange, 403, "text/plain; charset=utf-8", ("not served to host " + host + "\n").getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!pending.tryAcquire()) {
        send(exchange, 503, "text/plain; charset=utf-8", "busy: try again\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      try {
        handler.handle(exchange);
      } finally {
        pending.release();
      }
    };
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, LiveCountsApi api, ExecutorService storeReads) throws IOException {
    LiveCountsApi.Response response =
        exchange.getRequestMethod().equals("GET")
            ? withDeadline(() -> api.handle(exchange.getRequestURI()), storeReads)
            : LiveCountsApi.Response.error(405, "the API is read-only: GET only");
    send(exchange, response.status(), "application/json; charset=utf-8", response.body().getBytes(StandardCharsets.UTF_8));
  }

  /** The answer, or a 503 once the store has kept it waiting for {@link #STORE_DEADLINE}. */
  private static LiveCountsApi.Response withDeadline(Supplier<LiveCountsApi.Response> answer, ExecutorService storeReads) {
    Future<LiveCountsApi.Response> reading = storeReads.submit(answer::get);
    try {
      return reading.get(STORE_DEADLINE.getMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      reading.cancel(true);
      return LiveCountsApi.Response.error(
          503, "store unreachable: the live view's store did not answer within " + STORE_DEADLINE.getStandardSeconds() + " s");
    } catch (ExecutionException e) {
      return LiveCountsApi.Response.error(503, "the live view's store did not answer: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return LiveCountsApi.Response.error(503, "stopping");
    }
  }

  private static void serveAsset(HttpExchange exchange) throws IOException {
    String asset = ASSETS.get(exchange.getRequestURI().getPath());
    if (asset == null || !exchange.getRequestMethod().equals("GET")) {
      send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    try (InputStream in = Dashboard.class.getResourceAsStream(asset)) {
      if (in == null) {
        throw new IllegalStateException("dashboard asset missing from the jar: " + asset);
      }
      send(exchange, 200, CONTENT_TYPES.get(asset.substring(asset.lastIndexOf('.') + 1)), in.readAllBytes());
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    SECURITY_HEADERS.forEach(exchange.getResponseHeaders()::set);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    storeReads.shutdownNow();
  }
}
