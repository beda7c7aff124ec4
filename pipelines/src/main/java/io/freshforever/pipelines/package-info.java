/**
 * The pipelines, each a {@code build(Pipeline, Options)} that tests build too: {@link
 * io.freshforever.pipelines.StreamingPipeline} (Kafka to Bigtable), started by {@link
 * io.freshforever.pipelines.LiveJob}; the batch and replay pipelines in their packages.
 * Subpackages hold each store's I/O next to its layout.
 */
package io.freshforever.pipelines;
