/**
 * Benchmark harnesses that print figures (docs/BENCHMARKS.md): the live path against a native
 * Flink job and a plain Kafka consumer, the history path, and the soak.
 */
package io.freshforever.runners.bench;
