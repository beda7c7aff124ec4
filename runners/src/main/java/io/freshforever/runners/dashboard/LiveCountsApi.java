package io.freshforever.runners.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.live.LiveRow;
import io.freshforever.runners.live.LiveCounts;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The dashboard's JSON API, read-only, over the live view:
 *
 * <ul>
 *   <li>{@code GET /api/types}: the event types that have counts.
 *   <li>{@code GET /api/counts?type=T&minutes=N}: the last N minutes (1 to 1440, default 30) of
 *       type T, oldest first, each with its count, pane, freshness and whether late events can
 *       still change it; plus the current minute's running count.
 *   <li>{@code GET /api/health}: whether the serving store answers and how fresh it is; 503 and
 *       {@code "status": "stale"} with the reason when the newest counted event is older than the
 *       threshold (or there is none in the last 15 minutes), so that a probe alerts on a stalled
 *       pipeline.
 *   <li>{@code GET /api/pipeline?minutes=N}: the streaming job's own counters per minute (events
 *       in, duplicates dropped, late updates, too late, dead letters) for the last N minutes (1 to
 *       {@value PipelineHealth#MINUTES_KEPT}, default 30) that have a scrape of its metrics
 *       endpoint ({@link PipelineHealth}); {@code "source": null} when the dashboard has none.
 * </ul>
 *
 * Bad parameters get a 400 with a message; the store failing gets a 503.
 */
final class LiveCountsApi {
  /** The window the live view's rows hold; the readers read the contract's only (LiveViewFlags). */
  private static final Duration WINDOW = EventContract.DEFAULT_WINDOW;

  static final int MAX_MINUTES = 1440;

  /** Each endpoint and the query parameters it takes. */
  private static final Map<String, Set<String>> ENDPOINT_PARAMETERS =
      Map.of("/api/types", Set.of(), "/api/counts", Set.of("type", "minutes"), "/api/health", Set.of(),
          "/api/pipeline", Set.of("minutes"));
  private static final ObjectMapper JSON = new ObjectMapper();

  record Response(int status, String body) {
    static Response error(int status, String message) {
      ObjectNode error = JSON.createObjectNode();
      error.put("error", message);
      return new Response(status, error.toString());
    }
  }

  /** How far back health looks for a counted event: a window's rows outlive their last pane. */
  private static final Duration HEALTH_LOOKBACK = Duration.standardMinutes(15);

  private final LiveCounts counts;
  private final TypeIndex types;
  private final Duration allowedLateness;
  private final Duration staleAfter;
  private final @Nullable PipelineHealth pipeline;

  LiveCountsApi(LiveCounts counts, Duration allowedLateness, Duration staleAfter, @Nullable PipelineHealth pipeline) {
    this.counts = counts;
    this.types = new TypeIndex(counts);
    this.pipeline = pipeline;
    this.allowedLateness = allowedLateness;
    this.staleAfter = staleAfter;
  }

  Response handle(URI uri) {
    Map<String, String> params;
    try {
      params = parameters(uri.getRawQuery());
    } catch (IllegalArgumentException e) {
      return Response.error(400, e.getMessage());
    }
    Set<String> allowed = ENDPOINT_PARAMETERS.get(uri.getPath());
    if (allowed == null) {
      return Response.error(404, "no such endpoint: " + uri.getPath() + " (try /api/types, /api/counts, /api/health, /api/pipeline)");
    }
    Set<String> unknown = new TreeSet<>(params.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      return Response.error(
          400, "unknown parameter(s) " + unknown + "; this endpoint takes " + new TreeSet<>(allowed));
    }
    try {
      switch (uri.getPath()) {
        case "/api/types":
          return types();
        case "/api/counts":
          return counts(params);
        case "/api/pipeline":
          return pipeline(params);
        default:
          return health();
      }
    } catch (RuntimeException storeFailed) {
      return Response.error(503, "the live view's store did not answer: " + storeFailed.getMessage());
    }
  }

  private Response types() {
    ObjectNode body = JSON.createObjectNode();
    TypeIndex.Types listed = types.types();
    ArrayNode names = body.putArray("types");
    listed.names().forEach(names::add);
    if (listed.truncated()) {
      body.put("truncated", true);
    }
    return new Response(200, body.toString());
  }

  private Response counts(Map<String, String> params) {
    String type = params.get("type");
    if (type == null || type.isEmpty()) {
      return Response.error(400, "type is required, e.g. /api/counts?type=click&minutes=30");
    }
    if (!EventContract.isLiveViewType(type)) {
      return Response.error(
          400, "type must match " + EventContract.EVENT_TYPE_PATTERN.pattern() + " or be " + EventContract.OTHER_TYPES);
    }
    int minutes;
    try {
      minutes = Integer.parseInt(params.getOrDefault("minutes", "30"));
    } catch (NumberFormatException e) {
      return Response.error(400, "minutes must be a whole number from 1 to " + MAX_MINUTES);
    }
    if (minutes < 1 || minutes > MAX_MINUTES) {
      return Response.error(400, "minutes must be a whole number from 1 to " + MAX_MINUTES);
    }
    Instant now = Instant.now();
    Instant currentMinute = new Instant(now.getMillis() - now.getMillis() % WINDOW.getMillis());
    Instant from = currentMinute.minus(Duration.standardMinutes(minutes - 1));
    List<LiveRow> rows = counts.read(type, from, currentMinute.plus(WINDOW));

    ObjectNode body = JSON.createObjectNode();
    body.put("type", type);
    body.put("now", now.toString());
    body.put("from", from.toString());
    body.put("minutes", minutes);
    body.put("allowed_lateness_seconds", allowedLateness.getStandardSeconds());
    long current = 0;
    Instant newestEvent = null;
    ArrayNode windows = body.putArray("windows");
    for (LiveRow m : rows) {
      ObjectNode w = windows.addObject();
      w.put("start", m.windowStart().toString());
      w.put("count", m.count());
      w.put("pane", m.pane());
      w.put("updated", m.updated().toString());
      w.put("newest_event", m.newestEvent().toString());
      w.put("open", !m.windowStart().plus(WINDOW).plus(allowedLateness).isBefore(now));
      if (m.windowStart().equals(currentMinute)) {
        current = m.count();
      }
      if (newestEvent == null || m.newestEvent().isAfter(newestEvent)) {
        newestEvent = m.newestEvent();
      }
    }
    body.put("current_minute_count", current);
    if (newestEvent == null) {
      body.putNull("freshness_seconds");
    } else {
      body.put("freshness_seconds", (now.getMillis() - newestEvent.getMillis()) / 1000.0);
    }
    return new Response(200, body.toString());
  }

  private Response pipeline(Map<String, String> params) {
    int minutes;
    try {
      minutes = Integer.parseInt(params.getOrDefault("minutes", "30"));
    } catch (NumberFormatException e) {
      minutes = 0;
    }
    if (minutes < 1 || minutes > PipelineHealth.MINUTES_KEPT) {
      return Response.error(400, "minutes must be a whole number from 1 to " + PipelineHealth.MINUTES_KEPT);
    }
    ObjectNode body = JSON.createObjectNode();
    ArrayNode rows = body.putArray("minutes");
    if (pipeline == null) {
      body.putNull("source");
      body.putNull("error");
      return new Response(200, body.toString());
    }
    body.put("source", pipeline.endpoint().toString());
    body.put("error", pipeline.error());
    for (PipelineHealth.Minute minute : pipeline.lastMinutes(minutes)) {
      ObjectNode row = rows.addObject();
      row.put("start", minute.start().toString());
      row.put("events_in", minute.increase().eventsIn());
      row.put("duplicates_dropped", minute.increase().duplicatesDropped());
      row.put("late_updates", minute.increase().lateUpdates());
      row.put("too_late", minute.increase().tooLate());
      row.put("dead_letters", minute.increase().deadLetters());
    }
    return new Response(200, body.toString());
  }

  private Response health() {
    Instant now = Instant.now();
    ObjectNode body = JSON.createObjectNode();
    body.put("store", "reachable");
    body.put("stale_after_seconds", staleAfter.getMillis() / 1000.0);
    Instant newest = counts.newestEventSince(types.types().names(), now.minus(HEALTH_LOOKBACK)).orElse(null);
    String staleBecause;
    if (newest == null) {
      body.putNull("freshness_seconds");
      body.putNull("newest_event");
      staleBecause = "no counted event in the last " + HEALTH_LOOKBACK.getStandardMinutes() + " minutes";
    } else {
      double freshness = (now.getMillis() - newest.getMillis()) / 1000.0;
      body.put("freshness_seconds", freshness);
      body.put("newest_event", newest.toString());
      staleBecause =
          newest.plus(staleAfter).isBefore(now)
              ? String.format(
                  "the newest counted event is %.1f s old, over the %d s threshold", freshness, staleAfter.getStandardSeconds())
              : null;
    }
    if (staleBecause == null) {
      body.put("status", "ok");
      return new Response(200, body.toString());
    }
    body.put("status", "stale");
    body.put("reason", staleBecause);
    return new Response(503, body.toString());
  }

  private static Map<String, String> parameters(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (params.put(name, value) != null) {
        throw new IllegalArgumentException("parameter " + name + " given twice");
      }
    }
    return params;
  }
}
