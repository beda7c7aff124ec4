package io.freshforever.runners.reconcile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.bigquery.model.QueryParameter;
import com.google.api.services.bigquery.model.QueryRequest;
import com.google.api.services.bigquery.model.QueryResponse;
import io.freshforever.pipelines.warehouse.WarehouseTarget;
import io.freshforever.runners.reconcile.Reconciliation.Key;
import io.freshforever.runners.reconcile.Reconciliation.WarehouseWindow;
import java.util.List;
import java.util.Map;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

/**
 * What reconcile asks BigQuery and how it reads the answer, through the API client's own types and
 * JSON: the real run needs a project (docs/OPERATIONS.md, section 11).
 */
public class BigQueryWindowsTest {
  private static final WarehouseTarget.BigQuery DATASET =
      (WarehouseTarget.BigQuery) WarehouseTarget.parse("bigquery:analytics-prod:fresh_warehouse");
  private static final Instant FROM = Instant.parse("2026-11-29T10:00:00Z");
  private static final Instant TO = Instant.parse("2026-11-29T12:00:00Z");

  @Test
  public void oneQueryFiltersBothTablesOnTheirPartitioningColumnsWithTypedParameters() throws Exception {
    QueryRequest request = BigQueryWindows.request(DATASET, FROM, TO, Duration.standardMinutes(10));

    String sql = request.getQuery();
    assertTrue(sql, sql.contains("FROM `analytics-prod.fresh_warehouse.events` WHERE event_time >= @from AND event_time < @to"));
    assertTrue(sql, sql.contains("FROM `analytics-prod.fresh_warehouse.event_counts_minute` c"));
    assertTrue(sql, sql.endsWith("WHERE c.window_start >= @from AND c.window_start < @to"));
    assertTrue(sql, sql.contains("ingest_time > TIMESTAMP_ADD(TIMESTAMP_TRUNC(event_time, MINUTE), INTERVAL @window_plus_grace_ms MILLISECOND)"));
    assertEquals(Boolean.FALSE, request.getUseLegacySql());
    assertEquals("NAMED", request.getParameterMode());
    assertEquals(
        List.of("from TIMESTAMP 2026-11-29T10:00:00.000Z", "to TIMESTAMP 2026-11-29T12:00:00.000Z",
            "window_plus_grace_ms INT64 660000"),
        request.getQueryParameters().stream().map(BigQueryWindowsTest::describe).toList());
    // What goes over the wire, as the client serializes it.
    QueryRequest sent = GsonFactory.getDefaultInstance().fromString(
        GsonFactory.getDefaultInstance().toString(request), QueryRequest.class);
    assertEquals(request.getQueryParameters().get(2).getParameterValue().getValue(),
        sent.getQueryParameters().get(2).getParameterValue().getValue());
    assertEquals(sql, sent.getQuery());
  }

  @Test
  public void aResponsesRowsMapToWindowsExactly() throws Exception {
    // A jobs.query response as BigQuery's REST API sends it: every cell a string.
    String response = "{\"kind\":\"bigquery#queryResponse\",\"jobComplete\":true,\"totalRows\":\"2\","
        + "\"jobReference\":{\"projectId\":\"analytics-prod\",\"jobId\":\"job_1\",\"location\":\"EU\"},"
        + "\"schema\":{\"fields\":[{\"name\":\"event_type\",\"type\":\"STRING\"},{\"name\":\"window_start_ms\",\"type\":\"INTEGER\"},"
        + "{\"name\":\"count\",\"type\":\"INTEGER\"},{\"name\":\"arrived\",\"type\":\"INTEGER\"}]},"
        + "\"rows\":[{\"f\":[{\"v\":\"click\"},{\"v\":\"1795946400000\"},{\"v\":\"10\"},{\"v\":\"3\"}]},"
        + "{\"f\":[{\"v\":\"view\"},{\"v\":\"1795946460000\"},{\"v\":\"4\"},{\"v\":\"0\"}]}]}";
    QueryResponse parsed = GsonFactory.getDefaultInstance().fromString(response, QueryResponse.class);

    Map<Key, WarehouseWindow> windows = BigQueryWindows.windows(parsed.getRows());

    assertEquals(
        Map.of(
            new Key("click", Instant.parse("2026-11-29T10:00:00Z")), new WarehouseWindow(10, 3),
            new Key("view", Instant.parse("2026-11-29T10:01:00Z")), new WarehouseWindow(4, 0)),
        windows);
    assertEquals(Map.of(), BigQueryWindows.windows(null)); // an empty result has no rows at all
  }

  private static String describe(QueryParameter p) {
    return p.getName() + " " + p.getParameterType().getType() + " " + p.getParameterValue().getValue();
  }
}
