/**
 * Replay: recomputes a time range of the live view from the lake and replaces it in Bigtable, with
 * the counting the batch path uses.
 */
package io.freshforever.pipelines.replay;
