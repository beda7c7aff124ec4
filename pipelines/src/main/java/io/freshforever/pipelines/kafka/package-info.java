/**
 * The ingest log: reading it as event-time raw records, and rewinding a consumer group when the
 * live path starts without state.
 */
package io.freshforever.pipelines.kafka;
