package io.freshforever.pipelines.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class WarehouseTargetTest {
  @Test
  public void parsesBothKinds() {
    WarehouseTarget.DuckDb duckDb = (WarehouseTarget.DuckDb) WarehouseTarget.parse("duckdb:/data/w:1.duckdb");
    assertEquals("/data/w:1.duckdb", duckDb.path());
    WarehouseTarget.BigQuery bigQuery = (WarehouseTarget.BigQuery) WarehouseTarget.parse("bigquery:prj-1:fresh");
    assertEquals("prj-1", bigQuery.project());
    assertEquals("fresh", bigQuery.dataset());
  }

  @Test
  public void rejectsAnythingElseWithTheAcceptedForms() {
    for (String bad : new String[] {"", "duckdb:", "bigquery:prj", "bigquery::ds", "bigquery:a:b:c", "postgres:x"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WarehouseTarget.parse(bad));
      assertThat(e.getMessage(), containsString("duckdb:PATH or bigquery:PROJECT:DATASET, was '" + bad + "'"));
    }
  }
}
