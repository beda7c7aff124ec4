/**
 * The Parquet lake, the system of record: where rows live ({@link io.freshforever.lake.LakeLayout}),
 * their schemas ({@link io.freshforever.lake.LakeSchemas}), what a record of the ingest log becomes
 * ({@link io.freshforever.lake.LakeRow}) and how a slice of one Kafka partition is written and
 * published ({@link io.freshforever.lake.LakeFlush}). Its writer is the Kafka Connect sink in
 * {@link io.freshforever.lake.connect}; the pipelines read the lake with the same layout and schemas.
 */
package io.freshforever.lake;
