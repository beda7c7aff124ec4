package io.freshforever.runners.reconcile;

import com.google.api.client.googleapis.javanet.GoogleNetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.bigquery.Bigquery;
import com.google.api.services.bigquery.BigqueryScopes;
import com.google.api.services.bigquery.model.GetQueryResultsResponse;
import com.google.api.services.bigquery.model.JobReference;
import com.google.api.services.bigquery.model.QueryParameter;
import com.google.api.services.bigquery.model.QueryParameterType;
import com.google.api.services.bigquery.model.QueryParameterValue;
import com.google.api.services.bigquery.model.QueryRequest;
import com.google.api.services.bigquery.model.QueryResponse;
import com.google.api.services.bigquery.model.TableRow;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import io.freshforever.contract.EventContract;
import io.freshforever.pipelines.warehouse.WarehouseTable;
import io.freshforever.pipelines.warehouse.WarehouseTarget;
import io.freshforever.runners.reconcile.Reconciliation.Key;
import io.freshforever.runners.reconcile.Reconciliation.WarehouseWindow;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * {@link WarehouseWindows} from BigQuery: one query, filtered on both tables' partitioning columns
 * (the tables require it), with the range and the grace as typed parameters, never spliced in.
 * Runs as the caller's application-default credentials; needs {@code roles/bigquery.dataViewer} on
 * the dataset and {@code roles/bigquery.jobUser} in the project (the analysts' roles).
 */
final class BigQueryWindows {
  private BigQueryWindows() {}

  /** Events of a minute that Kafka accepted after the minute's grace had passed. */
  private static final String QUERY =
      "WITH after_grace AS ("
          + " SELECT event_type, TIMESTAMP_TRUNC(event_time, MINUTE) AS window_start, COUNT(*) AS arrived"
          + " FROM `%1$s.%2$s.%3$s`"
          + " WHERE event_time >= @from AND event_time < @to"
          + " AND ingest_time > TIMESTAMP_ADD(TIMESTAMP_TRUNC(event_time, MINUTE), INTERVAL @window_plus_grace_ms MILLISECOND)"
          + " GROUP BY event_type, window_start)"
          + " SELECT c.event_type, UNIX_MILLIS(c.window_start) AS window_start_ms, c.`count`, IFNULL(a.arrived, 0) AS arrived"
          + " FROM `%1$s.%2$s.%4$s` c LEFT JOIN after_grace a USING (event_type, window_start)"
          + " WHERE c.window_start >= @from AND c.window_start < @to";

  static Map<Key, WarehouseWindow> read(WarehouseTarget.BigQuery dataset, Instant from, Instant to, Duration allowedLateness)
      throws IOException {
    Bigquery client = client();
    QueryResponse first = client.jobs().query(dataset.project(), request(dataset, from, to, allowedLateness)).execute();
    Map<Key, WarehouseWindow> windows = new TreeMap<>();
    JobReference job = first.getJobReference();
    boolean complete = Boolean.TRUE.equals(first.getJobComplete());
    String page = first.getPageToken();
    if (complete) {
      windows.putAll(windows(first.getRows()));
    }
    while (!complete || page != null) {
      GetQueryResultsResponse next =
          client.jobs().getQueryResults(job.getProjectId(), job.getJobId())
              .setLocation(job.getLocation()).setPageToken(page).setTimeoutMs(60_000L).execute();
      if (Boolean.TRUE.equals(next.getJobComplete())) {
        complete = true;
        windows.putAll(windows(next.getRows()));
        page = next.getPageToken();
      }
    }
    return windows;
  }

  static QueryRequest request(WarehouseTarget.BigQuery dataset, Instant from, Instant to, Duration allowedLateness) {
    String sql = String.format(QUERY, dataset.project(), dataset.dataset(),
        WarehouseTable.EVENTS.tableName(), WarehouseTable.EVENT_COUNTS_MINUTE.tableName());
    return new QueryRequest()
        .setQuery(sql)
        .setUseLegacySql(false)
        .setParameterMode("NAMED")
        .setQueryParameters(List.of(
            parameter("from", "TIMESTAMP", from.toString()),
            parameter("to", "TIMESTAMP", to.toString()),
            parameter("window_plus_grace_ms", "INT64",
                String.valueOf(EventContract.DEFAULT_WINDOW.plus(allowedLateness).getMillis()))))
        .setTimeoutMs(60_000L);
  }

  /** Rows of {@link #QUERY}: every cell a string, as the REST API sends them. */
  static Map<Key, WarehouseWindow> windows(List<TableRow> rows) {
    Map<Key, WarehouseWindow> windows = new TreeMap<>();
    if (rows != null) {
      for (TableRow row : rows) {
        windows.put(
            new Key((String) row.getF().get(0).getV(), new Instant(Long.parseLong((String) row.getF().get(1).getV()))),
            new WarehouseWindow(Long.parseLong((String) row.getF().get(2).getV()), Long.parseLong((String) row.getF().get(3).getV())));
      }
    }
    return windows;
  }

  private static QueryParameter parameter(String name, String type, String value) {
    return new QueryParameter()
        .setName(name)
        .setParameterType(new QueryParameterType().setType(type))
        .setParameterValue(new QueryParameterValue().setValue(value));
  }

  private static Bigquery client() throws IOException {
    try {
      return new Bigquery.Builder(
              GoogleNetHttpTransport.newTrustedTransport(),
              GsonFactory.getDefaultInstance(),
              new HttpCredentialsAdapter(GoogleCredentials.getApplicationDefault().createScoped(BigqueryScopes.BIGQUERY)))
          .setApplicationName("fresh-reconcile")
          .build();
    } catch (GeneralSecurityException e) {
      throw new IOException("no TLS transport for BigQuery", e);
    }
  }
}
