package io.freshforever.runners.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.freshforever.runners.live.LiveCounts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The ops dashboard: a page and a read-only JSON API over the live view in Bigtable, as a
 * production dashboard reads the serving store (never Kafka, never the pipeline's memory). The
 * page and its script are resources of this jar: it renders without network access.
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

  private final HttpServer server;
  private final ExecutorService threads;

  private Dashboard(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
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
    server.createContext("/api/", exchange -> respond(exchange, api));
    server.createContext("/", Dashboard::serveAsset);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    server.setExecutor(threads);
    server.start();
    return new Dashboard(server, threads);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, LiveCountsApi api) throws IOException {
    LiveCountsApi.Response response =
        exchange.getRequestMethod().equals("GET")
            ? api.handle(exchange.getRequestURI())
            : LiveCountsApi.Response.error(405, "the API is read-only: GET only");
    send(exchange, response.status(), "application/json; charset=utf-8", response.body().getBytes(StandardCharsets.UTF_8));
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
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
