/**
 * The Parquet lake, the system of record: its layout and schemas, the lake writer (its own Kafka
 * consumer that commits only what it has published), the files written inside pipelines (dead
 * letters), and the reads of the batch and replay paths.
 */
package io.freshforever.pipelines.lake;
