package io.freshforever.pipelines.warehouse;

import com.google.api.services.bigquery.model.Clustering;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TimePartitioning;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.TableDestination;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Both warehouse tables into BigQuery with load jobs, one day partition at a time: each day goes to
 * {@code table$YYYYMMDD} with {@code WRITE_TRUNCATE}, so re-running a day replaces exactly that
 * day and never duplicates it. Tables are created on first load, partitioned by day of their
 * timestamp column and clustered by {@code event_type}.
 */
public final class LoadBigQuery extends PTransform<PCollectionTuple, PDone> {
  private static final DateTimeFormatter BIGQUERY_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(ZoneOffset.UTC);

  private final WarehouseTarget.BigQuery target;
  private final @Nullable BigQueryServices testServices;

  private LoadBigQuery(WarehouseTarget.BigQuery target, @Nullable BigQueryServices testServices) {
    this.target = target;
    this.testServices = testServices;
  }

  public static LoadBigQuery into(WarehouseTarget.BigQuery target) {
    return new LoadBigQuery(target, null);
  }

  /** Beam's in-process fakes instead of the BigQuery API, for tests. */
  public LoadBigQuery withTestServices(BigQueryServices services) {
    return new LoadBigQuery(target, services);
  }

  @Override
  public PDone expand(PCollectionTuple rows) {
    for (WarehouseTable table : WarehouseTable.values()) {
      String tableSpec = target.project() + ":" + target.dataset() + "." + table.tableName();
      BigQueryIO.Write<GenericRecord> write =
          BigQueryIO.<GenericRecord>write()
              .to(
                  row ->
                      new TableDestination(
                          tableSpec + "$" + table.dayOf(row.getValue()).replace("-", ""),
                          null,
                          new TimePartitioning().setType("DAY").setField(table.partitionColumn()),
                          new Clustering().setFields(List.of(WarehouseTable.CLUSTERING_COLUMN))))
              .withFormatFunction(row -> toTableRow(table, row))
              .withSchema(table.bigQuerySchema())
              // Without it the clustering of each TableDestination is silently dropped.
              .withClustering()
              .withMethod(BigQueryIO.Write.Method.FILE_LOADS)
              .withCreateDisposition(BigQueryIO.Write.CreateDisposition.CREATE_IF_NEEDED)
              .withWriteDisposition(BigQueryIO.Write.WriteDisposition.WRITE_TRUNCATE);
      if (testServices != null) {
        write = write.withTestServices(testServices);
      }
      rows.get(table.rows()).apply("Load " + table.tableName(), write);
    }
    return PDone.in(rows.getPipeline());
  }

  static TableRow toTableRow(WarehouseTable table, GenericRecord row) {
    TableRow out = new TableRow();
    for (WarehouseTable.Column column : table.columns()) {
      Object value = row.get(column.name());
      if (value == null) {
        continue;
      }
      out.set(
          column.name(),
          column.type().equals("TIMESTAMP")
              ? BIGQUERY_TIMESTAMP.format(java.time.Instant.ofEpochMilli((Long) value))
              : column.type().equals("STRING") ? value.toString() : value);
    }
    return out;
  }
}
