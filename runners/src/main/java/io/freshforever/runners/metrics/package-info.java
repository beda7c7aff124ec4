/**
 * Metrics ops tools can scrape: a Prometheus endpoint per runner and the parser of what it serves.
 */
package io.freshforever.runners.metrics;
