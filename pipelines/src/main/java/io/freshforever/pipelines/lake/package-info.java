/**
 * The pipelines' side of the Parquet lake: the reads of the batch and replay paths and the files a
 * pipeline writes itself (the live job's dead letters). The lake's layout and schemas, and its
 * writer, the Kafka Connect sink, are in the lake module ({@code io.freshforever.lake}).
 */
package io.freshforever.pipelines.lake;
