/**
 * The native Flink job the live path is measured against: the same parse, dedup, windows and
 * Bigtable rows, written against Flink's own API.
 */
package io.freshforever.runners.bench.nativeflink;
