/**
 * What the DirectRunner needs to carry the live path at useful rates (the package is named for it;
 * the FlinkRunner reads in batches too), kept out of the transforms' logic. Each piece changes how
 * elements are grouped into bundles or batches, never which records, timestamps, windows or
 * checkpoints a pipeline sees, so every runner runs the same code at no cost worth measuring.
 *
 * <ul>
 *   <li>{@link io.freshforever.transforms.directrunner.ReadInBatches} and {@link
 *       io.freshforever.transforms.directrunner.BatchedUnboundedSource}: the DirectRunner reads at
 *       most 10 elements of an unbounded source per bundle and pays a checkpoint for each bundle;
 *       batches of records make each element carry up to a thousand. Beam's Flink source updates
 *       every Beam metric of its step per element it reads (15% of the live job's time, record by
 *       record): a batch of what the consumer has fetched pays that once. (KafkaIO builds its source only
 *       in its own package: {@code org.apache.beam.sdk.io.kafka.KafkaSources} in the pipelines
 *       module opens it, with no logic of its own.)
 *   <li>{@link io.freshforever.transforms.directrunner.PartialsPerBundle}: combiner lifting by hand.
 *       Runners lift a combiner only under the default trigger; under the live view's early and late
 *       firings the DirectRunner keeps every value of a window in a bag and copies it per bundle, so
 *       a window cost the square of its events. The counting step and the lake's encoding use it.
 * </ul>
 *
 * <p>The figures behind each, measured on this project's benchmark machine: docs/BENCHMARKS.md,
 * section "Runner accommodations".
 */
package io.freshforever.transforms.directrunner;
