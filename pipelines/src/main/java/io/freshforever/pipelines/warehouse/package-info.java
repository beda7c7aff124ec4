/**
 * The warehouse: its tables and rows, where a load goes ({@code duckdb:PATH} or {@code
 * bigquery:PROJECT:DATASET}), and the two loads, each replacing whole days so that a re-run is
 * safe.
 */
package io.freshforever.pipelines.warehouse;
