/**
 * The history path: days of the lake, deduplicated exactly, into the warehouse (DuckDB locally,
 * BigQuery in production).
 */
package io.freshforever.pipelines.batch;
